package names

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
)

// TestCaseCues covers the cues of a name or a place that case does not
// mark (names.go places, caseforms.go unknownAfterCue): a companion
// before a name in lower case, an unknown word in capitals after in, at,
// from or near, a word in no list before a care facility's head,
// hospital initials, "been" as a verb of place. Names and places are
// invented.
func TestCaseCues(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		// a companion (en/companion-roles) before a name in any case
		{"visitor: orsolya quillanby here this am.", "orsolya quillanby"},
		{"SITTER TAMSIN AT BEDSIDE.", "TAMSIN"},
		{"visitor: not allowed after 8pm.", ""},
		{"sitter at bedside overnight.", ""},
		// an unknown word in capitals after in, at, from, near, "@"
		{"DAUGHTER FROM QUORVATH VISITED.", "QUORVATH"},
		{"PT WORKS @ QUORVATH.", "QUORVATH"},
		{"PT IN ROOM, NO DISTRESS.", ""},
		{"PT FROM HOME WITH LASIX.", ""},
		{"BP UP AT BASELINE.", ""},
		// a word in no list before a care facility's head, in lower case
		{"d/c to quorvath rehab today.", "quorvath"},
		{"d/c to cardiac rehab today.", ""},
		// a hospital's initials in capitals
		{"transferred from the SRMH last night.", "SRMH"},
		{"pt came from QMWH ED.", "QMWH"},
		{"r/o ICH on CT.", ""},
		{"pt has much pain.", ""},
		{"pt from the QMWH ICU.", "QMWH"},
		{"FROM THE ICH TEAM.", ""},
		// "been" a verb of place, "up", "down" between a verb and its
		// preposition
		{"has been to mill creek twice.", "mill creek"},
		{"HAS BEEN TO PINE VALLEY.", "PINE VALLEY"},
		{"has been in good spirits.", ""},
		{"been to dialysis today.", ""},
		{"moved up to Quillmoor last year.", "Quillmoor"},
		{"went down to Quillmoor.", "Quillmoor"},
		{"has been up to chair.", ""},
		{"hand over to night team.", ""},
	}
	for _, c := range cases {
		got := spans(t, c.text)
		var texts []string
		for _, s := range got {
			texts = append(texts, s[strings.IndexByte(s, '=')+1:])
		}
		if strings.Join(texts, "|") != c.want {
			t.Errorf("%q: got %s, want %q", c.text, fmt.Sprint(got), c.want)
		}
	}
}

// TestCaseCuesLinear: the cues read a word and the one or two around it;
// the detector's cost stays linear on text full of them.
func TestCaseCuesLinear(t *testing.T) {
	unit := "visitor: orsolya quillanby. DAUGHTER FROM QUORVATH VISITED; d/c to quorvath rehab from the SRMH; has been in Quillmoor. "
	d := New()
	build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
	complexity.Assert(t, 4<<10, build, func(text string) {
		if _, err := d.Detect(context.Background(), text); err != nil {
			t.Fatal(err)
		}
	})
}
