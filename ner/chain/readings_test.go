package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented notes: the date rules' findings that readings drop, and those
// they keep.
func TestReadings(t *testing.T) {
	for _, c := range []struct {
		text, value string
		reading     bool
	}{
		{"Complains of pain 6/10 after turning.", "6/10", true},
		{"CP 3/10, nitro given.", "3/10", true},
		{"On PSV 14/6 since noon.", "14/6", true},
		{"Vent 60% 10/5, sats fine.", "10/5", true},
		{"Settings 14/6/50% tolerated.", "14/6/50", true},
		{"Scale 30/04/08/16 as ordered.", "04/08/16", true},
		{"Blood cx 1/4 bottles positive.", "1/4", true},
		{"AC mode 500x14x.6/5 peep.", "6/5", true},
		{"Pain began 6/12 per family.", "6/12", false},    // a date after a pain word, not out of ten
		{"Weaned off 9/3, line removed.", "9/3", false},   // weaning has dates
		{"Seen in clinic 10/5 by team.", "10/5", false},   // no cue
		{"Cultures sent 5/17, pending.", "5/17", false},   // more than four bottles: a date
		{"Admitted 3/11/19 from home.", "3/11/19", false}, // a date with a year
		{"Heart: 3/6 SEM at LSB.", "3/6", true},
		{"Soft murmur 2/6 heard apex.", "2/6", true},
		{"Radial 2/4 bilat, cool feet.", "2/4", true},
		{"DP pulses 1/4 by doppler.", "1/4", true},
		{"Murmur noted 3/16, echo ordered.", "3/16", false}, // no grade out of six
		{"Pulses checked 5/4 at noon.", "5/4", false},       // no grade: over four
		{"Pt seen 2/4 by ortho.", "2/4", false},             // "pt" is the patient
	} {
		s := strings.Index(c.text, c.value)
		f := ner.Finding{Start: s, End: s + len(c.value), Entity: ner.Date, Score: 0.55, Rule: "pattern/test"}
		other := ner.Finding{Start: 0, End: 3, Entity: ner.Person, Score: 0.9, Rule: "names/test"}
		out, err := Readings{}.Refine(context.Background(), c.text, []ner.Finding{other, f})
		if err != nil {
			t.Fatal(err)
		}
		kept := len(out) == 2
		if kept == c.reading {
			t.Errorf("%q in %q: kept %v, want reading %v", c.value, c.text, kept, c.reading)
		}
		if len(out) == 0 || out[0] != other {
			t.Errorf("%q: a finding of another entity changed: %v", c.text, out)
		}
	}
}

func TestReadingsVitalCodes(t *testing.T) {
	for code, reading := range map[string]bool{"HR-104-128": true, "SBP-98-142": true, "NW-2023-04417": false, "QX-118": false, "HR-1234": false} {
		text := "Noted " + code + " overnight."
		f := ner.Finding{Start: 6, End: 6 + len(code), Entity: ner.ID, Score: 0.6, Rule: "pattern/code-id"}
		out, _ := Readings{}.Refine(context.Background(), text, []ner.Finding{f})
		if (len(out) == 0) != reading {
			t.Errorf("%s: dropped %v, want %v", code, len(out) == 0, reading)
		}
	}
}
