package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestCoordination(t *testing.T) {
	cases := []struct {
		name, text string
		found      []string // places found, as substrings
		want       []string // the words added
	}{
		{"ALL CAPS after", "SCREENED BY QUILLANBY REHAB AND HOLLOWAY. BED PENDING", []string{"QUILLANBY REHAB"}, []string{"HOLLOWAY"}},
		{"capitalised after", "Seen by Drs Everard and Quillanby, who agreed.", []string{"Everard"}, []string{"Quillanby"}},
		{"lower case, a listed name", "rosalind and tamsin visited today", []string{"tamsin"}, []string{"rosalind"}},
		{"lower case, in no list", "orsolya and tamsin visited today", []string{"tamsin"}, nil},
		{"ampersand", "Everard & Quillanby called", []string{"Everard"}, []string{"Quillanby"}},
		{"ordinary word", "Everard and Family called", []string{"Everard"}, nil},
		{"clinical abbreviation", "SEEN BY QUILLANBY AND NEURO", []string{"QUILLANBY"}, nil},
		{"medicine", "ON HOLLOWAY AND LASIX", []string{"HOLLOWAY"}, nil},
		{"other case", "Everard and QUILLANBY", []string{"Everard"}, nil},
		{"a longer name follows", "Everard and Quillanby Brackenridge", []string{"Everard"}, nil},
		{"short", "Everard and Ko", []string{"Everard"}, nil},
		{"already found", "Everard and Quillanby", []string{"Everard", "Quillanby"}, nil},
		{"no conjunction", "Everard met Quillanby", []string{"Everard"}, nil},
		{"a code", "Everard and Qzx-12", []string{"Everard"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var found []ner.Finding
			for _, s := range c.found {
				found = append(found, find(c.text, s, ner.Location))
			}
			got, err := Coordination{}.Refine(context.Background(), c.text, found)
			if err != nil {
				t.Fatal(err)
			}
			var added []string
			for _, f := range got[len(found):] {
				added = append(added, c.text[f.Start:f.End])
				if f.Entity != ner.Location || f.Rule != CoordinationRule {
					t.Errorf("added %v", f)
				}
			}
			if strings.Join(added, "|") != strings.Join(c.want, "|") {
				t.Errorf("added %q, want %q", added, c.want)
			}
		})
	}
}

// A name scoring below the floor lends nothing.
func TestCoordinationFloor(t *testing.T) {
	text := "Everard and Quillanby"
	f := find(text, "Everard", ner.Person)
	f.Score = CoordinationFloor - 0.1
	if got, _ := (Coordination{}).Refine(context.Background(), text, []ner.Finding{f}); len(got) != 1 {
		t.Errorf("got %v", got)
	}
}

func FuzzCoordination(f *testing.F) {
	f.Add("Everard and Quillanby", 0, 7)
	f.Add("a and B", 6, 7)
	f.Add("Ä & Ö", 0, 2)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		var found []ner.Finding
		if 0 <= s && s < e && e <= len(text) {
			found = append(found, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: 0.9})
		}
		got, err := Coordination{}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			if g.Start < 0 || g.End > len(text) || g.Start >= g.End {
				t.Fatalf("bad finding %v of %d bytes", g, len(text))
			}
		}
	})
}

func TestCoordinationTypingErrors(t *testing.T) {
	for _, text := range []string{"from Everard and aproximately 40", "EVERARD AND APROXIMATELY", "everard and quillanbyx"} {
		f := find(text, strings.Fields(text)[len(strings.Fields(text))-3], ner.Location)
		if strings.HasPrefix(text, "from") {
			f = find(text, "Everard", ner.Location)
		}
		if got, _ := (Coordination{}).Refine(context.Background(), text, []ner.Finding{f}); len(got) != 1 {
			t.Errorf("%q: got %v", text, got)
		}
	}
}

// Invented notes: persons glued by a slash.
func TestCoordinationSlash(t *testing.T) {
	for _, c := range []struct {
		text, found string
		want        []string
	}{
		{"marchbanks/hadleigh aware", "hadleigh", []string{"marchbanks"}},
		{"Drs Everard/Quillanby in", "Everard", []string{"Quillanby"}},
		{"MD QUILLANBY/EVERARD AWARE", "QUILLANBY", []string{"EVERARD"}},
		{"quillanby/icu team aware", "quillanby", nil},
		{"quillanby/lasix", "quillanby", nil},
		{"quillanby/wife aware", "quillanby", nil},
		{"quillanby/famly aware", "quillanby", nil}, // a typing error of "family"
		{"Everard/a/b", "Everard", nil},
	} {
		found := []ner.Finding{find(c.text, c.found, ner.Person)}
		found[0].Score = 0.8
		got, err := Coordination{}.Refine(context.Background(), c.text, found)
		if err != nil {
			t.Fatal(err)
		}
		var added []string
		for _, f := range got[1:] {
			added = append(added, c.text[f.Start:f.End])
			if f.Entity != ner.Person || f.Rule != CoordinationRule {
				t.Errorf("%q: added %v", c.text, f)
			}
		}
		if strings.Join(added, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: added %q, want %q", c.text, added, c.want)
		}
	}
}
