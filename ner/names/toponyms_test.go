package names

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
)

// TestToponyms covers places named with ordinary words (names.go,
// toponym): a word and a geographic generic, or one word of two
// elements, where the sentence speaks of a place. Place names are
// invented or made of ordinary words.
func TestToponyms(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		// after a verb of movement or residence and its preposition
		{"Pt transferred from Cedar Ridge by ambulance at noon.", "[names/place=Cedar Ridge]"},
		{"PT TRANSFERRED FROM PINE VALLEY BY AMBULANCE AT NOON.", "[names/place=PINE VALLEY]"},
		{"pt lives in mill creek with wife.", "[names/place=mill creek]"},
		{"transferred from Fairview this am.", "[names/place=Fairview]"},
		{"PT TRANSFERRED FROM LAKESIDE.", "[names/place=LAKESIDE]"},
		// the longer name the older words find is kept
		{"WIFE SAYS HE WAS ADMITTED FROM MERCY GROVE UNION MEDICAL ON SUNDAY", "[names/place=MERCY GROVE UNION]"},
		// after in/at/from/near, capitalised inside a sentence
		{"pt was at Bay View for 2 wks.", "[names/place=Bay View]"},
		{"pt seen at Fairview last week.", "[names/place=Fairview]"},
		// before a state the town alone: profiles that keep states keep it
		{"Signed at Portland, Oregon.", "[names/place=Portland]"},
		{"Signed at Fairview, Montana.", "[names/place=Fairview]"},
		// before a care facility's head in its case
		{"her sister drove her up from silver lake hosp", "[names/place=silver lake]"},
		{"PT FROM CEDAR RIDGE NURSING HOME.", "[names/place=CEDAR RIDGE]"},
		{"dc to fairview rehab today.", "[names/place=fairview]"},
		// not a place: ordinary words, beds, rooms, a generic alone
		{"transferred from outside hospital with cp.", "[]"},
		{"pt transferred to sick bay 4 this am.", "[]"},
		{"returned from bedside procedure.", "[]"},
		{"pt lives in a valley.", "[]"},
		{"Pt was at bedside for the interview.", "[]"},
		{"pt transferred to", "[]"}, // nothing after the preposition
	}
	for _, c := range cases {
		if got := fmt.Sprint(spans(t, c.text)); got != c.want {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}

// TestPlaceCompound: one-word place names of two elements, and ordinary
// words that end like them.
func TestPlaceCompound(t *testing.T) {
	for w, want := range map[string]bool{
		"fairview": true, "lakeside": true, "brookfield": true, "oakwood": true,
		"outside": false, "bedside": false, "interview": false, "homeland": false, "view": false, "rehab": false,
	} {
		if got := placeCompound(w); got != want {
			t.Errorf("placeCompound(%q) = %v, want %v", w, got, want)
		}
	}
}

// TestToponymsLinearTime: the toponym tests read a word and the one after
// it; the detector's cost stays linear on text full of them.
func TestToponymsLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	unit := "transferred from Cedar Ridge to fairview rehab, at Bay View from PINE VALLEY NURSING HOME in mill creek "
	d := New()
	build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
	complexity.Assert(t, 4<<10, build, func(text string) {
		if _, err := d.Detect(context.Background(), text); err != nil {
			t.Fatal(err)
		}
	})
}
