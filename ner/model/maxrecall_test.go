package model

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// The lower-case threshold decides about words in lower case and in lines
// all in capitals, not about capitals in mixed-case lines. Invented note.
func TestMaxRecallLowerThreshold(t *testing.T) {
	text := "pt seen by dr quorvath today, asked for zelvany.\nFAMILY: DAUGHTER QUORVATH CALLED.\nSeen with Quorvath Zelvany in clinic.\n"
	flagged := func(r MaxRecall) map[string]bool {
		fs, err := r.Refine(context.Background(), text, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, f := range fs {
			line := strings.Count(text[:f.Start], "\n")
			got[string(rune('0'+line))+":"+text[f.Start:f.End]] = true
		}
		return got
	}
	// nothing in lower case or in the capitals line can pass 1.01
	strict := flagged(MaxRecall{UncertainLower: 1.01})
	for k := range strict {
		if k[0] == '0' || k[0] == '1' {
			t.Errorf("%q flagged above any probability", k)
		}
	}
	mixed := false
	for k := range strict {
		mixed = mixed || k[0] == '2'
	}
	if !mixed {
		t.Errorf("capitalised names in a mixed-case line left (flagged %v)", strict)
	}
	// and the threshold is what decides: at a low one the lower-case words go
	if loose := flagged(MaxRecall{Uncertain: 0.01, UncertainLower: 0.01}); len(loose) <= len(strict) {
		t.Errorf("a low threshold flagged %v, no more than a high one (%v)", loose, strict)
	}
}

// Maximum recall adds the model's places from PlaceScore, in mixed-case
// lines only, and never over another finding. Invented places.
func TestMaxRecallPlaces(t *testing.T) {
	text := "She moved from Tarnowa to Norvath Bay in the spring of that year.\nTHE FAMILY LIVES IN PORT ZELVANY.\n"
	places := func(r MaxRecall, found []ner.Finding) []string {
		fs, err := r.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			if f.Rule == RulePrefix+"/location" {
				got = append(got, text[f.Start:f.End])
			}
		}
		return got
	}
	if got := places(MaxRecall{}, nil); !slices.Equal(got, []string{"Norvath Bay"}) {
		t.Errorf("places added %q, want only the mixed-case line's sure one", got)
	}
	if got := places(MaxRecall{PlaceScore: 1.01}, nil); len(got) != 0 {
		t.Errorf("places above any probability added: %q", got)
	}
	if got := places(MaxRecall{PlaceScore: 0.4}, nil); !slices.Contains(got, "Tarnowa") {
		t.Errorf("a low PlaceScore added %q, not the less sure place", got)
	}
	i := strings.Index(text, "Norvath")
	rule := []ner.Finding{{Start: i, End: i + len("Norvath"), Entity: ner.Person, Score: 1, Rule: "test"}}
	if got := places(MaxRecall{}, rule); slices.Contains(got, "Norvath Bay") {
		t.Errorf("a place added over another finding: %q", got)
	}
}

// Refiner (mask-all, supervision, court) adds only the places the model
// is surest of (PlaceScore), in mixed-case lines. Invented places.
func TestRefinerPlaces(t *testing.T) {
	text := "She moved from Tarnowa to Norvath Bay in the spring of that year.\nTHE FAMILY LIVES IN PORT ZELVANY.\n"
	fs, err := Refiner{}.Refine(context.Background(), text, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Entity == ner.Location {
			got = append(got, text[f.Start:f.End])
		}
	}
	if !slices.Equal(got, []string{"Norvath Bay"}) {
		t.Errorf("places %q, want only the mixed-case line's sure one", got)
	}
}

// cover.overlaps answers as a scan of every span does.
func FuzzCoverOverlaps(f *testing.F) {
	f.Add([]byte{3, 5, 0, 2, 9, 12}, 4, 6)
	f.Add([]byte{}, 0, 1)
	f.Fuzz(func(t *testing.T, b []byte, start, end int) {
		var fs []ner.Finding
		for i := 0; i+1 < len(b); i += 2 {
			s, e := int(b[i]%64), int(b[i+1]%64)
			if e < s {
				s, e = e, s
			}
			fs = append(fs, ner.Finding{Start: s, End: e})
		}
		start, end = start%80, end%80
		want := false
		for _, g := range fs {
			want = want || g.Start < end && start < g.End
		}
		if got := newCover(fs).overlaps(start, end); got != want {
			t.Errorf("overlaps(%d, %d) over %v = %v, want %v", start, end, fs, got, want)
		}
	})
}

// cover.extends answers as a scan of every span does: some span overlaps
// [start, end) and none holds all of it.
func FuzzCoverExtends(f *testing.F) {
	f.Add([]byte{3, 5, 0, 2, 9, 12}, 4, 6)
	f.Add([]byte{3, 9}, 4, 6)
	f.Add([]byte{}, 0, 1)
	f.Fuzz(func(t *testing.T, b []byte, start, end int) {
		var fs []ner.Finding
		for i := 0; i+1 < len(b); i += 2 {
			s, e := int(b[i]%64), int(b[i+1]%64)
			if e < s {
				s, e = e, s
			}
			fs = append(fs, ner.Finding{Start: s, End: e})
		}
		start, end = start%80, end%80
		if start < 0 || end <= start {
			return
		}
		over, within := false, false
		for _, g := range fs {
			over = over || g.Start < end && start < g.End
			within = within || g.Start <= start && end <= g.End
		}
		if got, want := newCover(fs).extends(start, end), over && !within; got != want {
			t.Errorf("extends(%d, %d) over %v = %v, want %v", start, end, fs, got, want)
		}
	})
}
