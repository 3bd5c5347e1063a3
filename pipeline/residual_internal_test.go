package pipeline

import (
	"context"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/profiles"
)

// A place of the GeoNames list left in the text is reported as a small
// place when fewer than SmallPlace people live there, and not otherwise.
// The places are taken from the list itself, so that the test names none.
func TestResidualSmallPlace(t *testing.T) {
	var small, big []string
	for k, pop := range placePopulations() {
		ws := strings.Fields(k)
		if len(ws) != 2 || gazetteer.IsName(ws[0]) || gazetteer.IsName(ws[1]) {
			continue
		}
		ascii := true
		for _, r := range k {
			ascii = ascii && (r == ' ' || r >= 'a' && r <= 'z')
		}
		if !ascii {
			continue
		}
		switch {
		case pop > 1000 && pop < SmallPlace/2:
			small = append(small, k)
		case pop > 2*SmallPlace:
			big = append(big, k)
		}
	}
	sort.Strings(small)
	sort.Strings(big)
	if len(small) == 0 || len(big) == 0 {
		t.Fatal("no places to test with")
	}
	title := func(k string) string {
		ws := strings.Fields(k)
		for i, w := range ws {
			ws[i] = string(unicode.ToUpper(rune(w[0]))) + w[1:]
		}
		return strings.Join(ws, " ")
	}
	for _, k := range small[:5] {
		text := "She grew up in " + title(k) + " and moved away."
		fs := residuals(text, nil)
		if len(fs) != 1 || fs[0].Entity != "SMALL_PLACE" || text[fs[0].Start:fs[0].End] != title(k) {
			t.Errorf("small place %q: %+v", k, fs)
		}
		if fs := residuals(text, [][2]int{{15, 15 + len(k)}}); len(fs) != 0 {
			t.Errorf("small place %q inside an edit: %+v", k, fs)
		}
	}
	for _, k := range big[:5] {
		if fs := residuals("She grew up in "+title(k)+" and moved away.", nil); len(fs) != 0 {
			t.Errorf("big place %q: %+v", k, fs)
		}
	}
}

// TestResidualsOutsideEdits: residuals with the edits of a part are
// exactly those without edits that overlap none of them, whatever the
// edits (the binary search over the edits against a scan of them all).
func TestResidualsOutsideEdits(t *testing.T) {
	text := strings.Repeat("The MV Kestrel left; she is one of quintuplets and a village of 900 people heard of it. "+
		"A town of about 1,200 residents, profiled in the Courier, the Harlow Mill Fire. ", 8)
	all := residuals(text, nil)
	if len(all) < 40 {
		t.Fatalf("test input: %d residuals without edits", len(all))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for try := 0; try < 200; try++ {
		var edits [][2]int
		for at := rng.IntN(40); at < len(text); {
			e := min(at+1+rng.IntN(30), len(text))
			edits = append(edits, [2]int{at, e})
			at = e + rng.IntN(200)
		}
		var want []ner.Finding
		for _, f := range all {
			clear := true
			for _, ed := range edits {
				clear = clear && (f.End <= ed[0] || f.Start >= ed[1])
			}
			if clear {
				want = append(want, f)
			}
		}
		if got := residuals(text, edits); !slices.Equal(got, want) {
			t.Fatalf("edits %v: got %v, want %v", edits, got, want)
		}
	}
}

// TestCapitalised: every word capitalised and not all upper case.
func TestCapitalised(t *testing.T) {
	for s, want := range map[string]bool{
		"Kestrel": true, "Harlow Mill": true, "Harlow mill": false, "HARLOW MILL": false,
		"Ödön": true, "": false, "K": false, "Mill\tCreek": true, "O'Neill Bay": true,
	} {
		if got := capitalised(s); got != want {
			t.Errorf("capitalised(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestResidualsAfterPlan: the serial plan stage leaves the could-still-
// identify review to the parallel stage after it, which finds what Plan
// would have found, once, after the findings the plan kept.
func TestResidualsAfterPlan(t *testing.T) {
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	in := "Tamsin Everard works as a lighthouse keeper.\nHer father crewed the MV Northern Star.\n"
	d := e.Analyze(context.Background(), "note.txt", []byte(in))
	e.Plan(d)
	if d.Failed() != nil || d.residualsIn == nil {
		t.Fatalf("plan: %v, residuals left %v", d.Failed(), d.residualsIn)
	}
	planned := len(d.kept)
	for _, k := range d.kept {
		if strings.HasPrefix(k.Rule, residualRule) {
			t.Errorf("the plan stage found a residual: %v", k)
		}
	}
	var spans [][2]int
	for _, ed := range d.edits {
		spans = append(spans, [2]int{ed.Start, ed.End})
	}
	want := residuals(in, spans)
	if len(want) < 2 {
		t.Fatalf("test input: residuals %v", want)
	}
	_, rec := e.Apply(context.Background(), d)
	if rec.Status != "redacted" || len(rec.StillIdentify) != len(want) || d.residualsIn != nil {
		t.Fatalf("apply: %s, %+v, want %d residuals", rec.Status, rec.StillIdentify, len(want))
	}
	d.keepResiduals()
	if len(d.kept) != planned+len(want) {
		t.Errorf("kept %d findings, want the plan's %d and %d residuals, once", len(d.kept), planned, len(want))
	}
	for i, f := range want {
		if k := d.kept[planned+i]; k.Part != 0 || k.Finding != f {
			t.Errorf("kept %d: %v, want %v", planned+i, k, f)
		}
	}
}
