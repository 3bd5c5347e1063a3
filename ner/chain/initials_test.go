package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented notes: the initial rule's findings in shorthand go, names stay.
func TestInitials(t *testing.T) {
	for _, c := range []struct {
		text, found string
		name        bool
	}{
		{"Denies N/V. Foley draining well.", "V. Foley", false},
		{"Site D+I. Dressing changed.", "I. Dressing", false},
		{"57 YO MALE W ACUTE PAIN", "W ACUTE", false},
		{"Seen by J. Marlowe today.", "J. Marlowe", true},
		{"Called K Whitcombe at home.", "K Whitcombe", true},
		{"Spoke with R. Bishop on the phone.", "R. Bishop", true}, // a full stop: an initial
	} {
		s := strings.Index(c.text, c.found)
		f := ner.Finding{Start: s, End: s + len(c.found), Entity: ner.Person, Score: 0.7, Rule: "names/initial"}
		out, err := Initials{}.Refine(context.Background(), c.text, []ner.Finding{f})
		if err != nil {
			t.Fatal(err)
		}
		if (len(out) == 1) != c.name {
			t.Errorf("%q in %q: kept %v, want %v", c.found, c.text, len(out) == 1, c.name)
		}
	}
}
