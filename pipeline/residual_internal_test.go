package pipeline

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
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
