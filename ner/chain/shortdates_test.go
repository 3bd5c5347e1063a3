package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented notes: month and day with a hyphen after a cue are dates;
// ranges, readings and counts are not.
func TestShortDates(t *testing.T) {
	for text, want := range map[string]string{
		"BLOOD CX FROM 4-7 GREW GPC.":          "4-7",
		"on 11-2 started heparin gtt":          "11-2",
		"Febrile since 12-24, cultures sent.":  "12-24",
		"Held until 4-9.":                      "4-9",
		"weaned from 3-5 L NC":                 "",
		"weaned from 3-5L NC":                  "",
		"swelling since 2-3 days":              "",
		"on 1-2 units of insulin":              "",
		"from 4-6 to 2-3 per hour":             "",
		"PEEP from 8-10 overnight":             "",
		"pain from 3-5/10 after turning":       "",
		"on 2-4 mg morphine":                   "",
		"went from 13-4 in the scrimmage":      "", // no month 13
		"on 3-45 hold":                         "", // no day 45
		"from 3-5.5 over the shift":            "",
		"Tamsin came in on 6-7 and 6-8 again.": "6-7",
	} {
		out, err := ShortDates{}.Refine(context.Background(), text, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range out {
			if f.Entity != ner.Date || f.Rule != ShortDateRule {
				t.Errorf("%q: finding %+v", text, f)
			}
			got = append(got, text[f.Start:f.End])
		}
		if g := strings.Join(got, "|"); g != want {
			t.Errorf("%q: got %q, want %q", text, g, want)
		}
	}
	// a date some rule found already is left alone
	text := "from 4-7 grew"
	f := ner.Finding{Start: 5, End: 8, Entity: ner.Date, Rule: "pattern/test"}
	if out, _ := (ShortDates{}).Refine(context.Background(), text, []ner.Finding{f}); len(out) != 1 || out[0] != f {
		t.Errorf("overlap: %v", out)
	}
}
