package pipeline

import (
	"sort"
	"strings"
	"testing"
	"unicode"

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
