package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented notes: the numbers maximum recall flagged that Measures drops
// (measurements, times of day) and those it keeps.
func TestMeasures(t *testing.T) {
	for _, c := range []struct {
		text, value string
		entity      ner.Entity
		rule        string
		dropped     bool
	}{
		{"Dialysis with 1800cc removed.", "1800cc", ner.Other, "names/max-recall", true},
		{"Bolus of 250ML given.", "250ML", ner.Other, "names/max-recall", true},
		{"Loaded with 150MG then drip.", "150MG", ner.Other, "names/max-recall", true},
		{"Cuff pressure over 35cmH20 noted.", "35cmH20", ner.Other, "names/max-recall", true},
		{"Cuff pressure over 35cmH2O noted.", "35cmH2O", ner.Other, "names/max-recall", true},
		{"Walked 2.5km with PT.", "2.5km", ner.Other, "names/max-recall", true},
		{"Night shift 1900-0700 uneventful.", "0700", ner.Date, "names/max-recall", true},
		{"Night shift 1900-0700 uneventful.", "1900", ner.Date, "names/max-recall", true},
		{"Labs drawn @ 2130, pending.", "2130", ner.Other, "names/max-recall", true},
		{"Turned at 1430 by staff.", "1430", ner.Other, "names/max-recall", true},
		{"Last CO (10/17 0500) 4.1.", "0500", ner.Other, "names/max-recall", true},
		{"Woke around 0345 confused.", "0345", ner.Other, "names/max-recall", true},
		{"History of CVA 2008, right weakness.", "2008", ner.Date, "names/max-recall", false}, // a year
		{"Moved here in 1987 with family.", "1987", ner.Other, "names/max-recall", false},
		{"Room 2210B assigned.", "2210B", ner.Other, "names/max-recall", false},      // no unit
		{"Code XR4471 on the band.", "XR4471", ner.Other, "names/max-recall", false}, // letters first
		{"Ext 0700 for the unit.", "0700", ner.Phone, "chain/pager", false},          // a rule's finding
		{"Seen by Rhoswen 1430 team.", "1430", ner.Other, "names/max-recall", false},
		{"Called at 2575 then.", "2575", ner.Other, "names/max-recall", false}, // no time of day
		{"Given 40cc by Orsolya.", "40cc", ner.Person, "names/max-recall", false},
	} {
		s := strings.Index(c.text, c.value)
		f := ner.Finding{Start: s, End: s + len(c.value), Entity: c.entity, Score: 0.45, Rule: c.rule}
		found := []ner.Finding{f}
		if d := strings.Index(c.text, "10/17"); d >= 0 {
			found = append([]ner.Finding{{Start: d, End: d + 5, Entity: ner.Date, Score: 0.55, Rule: "pattern/test"}}, found...)
		}
		out, err := Measures{}.Refine(context.Background(), c.text, found)
		if err != nil {
			t.Fatal(err)
		}
		dropped := len(out) < len(found)
		if dropped != c.dropped {
			t.Errorf("%q in %q: dropped %v, want %v", c.value, c.text, dropped, c.dropped)
		}
	}
}

func FuzzMeasures(f *testing.F) {
	f.Add("shift 1900-0700 with 250cc", 6, 10)
	f.Add("@ 0130", 2, 6)
	f.Add("0", 0, 1)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		if s < 0 || e > len(text) || s >= e {
			return
		}
		found := []ner.Finding{{Start: s, End: e, Entity: ner.Other, Score: 0.45, Rule: "names/max-recall"}, {Start: 0, End: s, Entity: ner.Date, Rule: "pattern/test"}}
		out, err := Measures{}.Refine(context.Background(), text, found)
		if err != nil || len(out) < 1 || len(out) > 2 || out[0] != found[0] && out[0] != found[1] {
			t.Fatalf("%v %v", out, err)
		}
	})
}
