package pipeline_test

import (
	"context"
	"strings"
	"testing"
)

// The rest of a person's name goes with the part a pass read (issue 13/15):
// with the statistical models on, as `veil redact` runs, a given name in no
// list read as a person took the surname beside it to no finding, and the
// output kept it where verify, reading the surname alone, could not see
// it. Invented names.
func TestNameContinuation(t *testing.T) {
	lines := []struct{ text, gone string }{
		{"Seen Orsolya Quillanby today.\n", "Orsolya|Quillanby"},
		{"Intake Orsolya Quillanby\n", "Orsolya|Quillanby"},
		{"Intake: Orsolya Quillanby\n", "Orsolya|Quillanby"},
		{"Seen at Dribaerard today.\nwith Miaback Dribaerard, 45\n", "Miaback|Dribaerard"},
	}
	for _, profile := range []string{"supervision", "research"} {
		e := nerEngine(t, profile)
		for _, l := range lines {
			out, rec := e.Redact(context.Background(), "note.txt", []byte(l.text))
			if out == nil {
				t.Errorf("%s: %q not written: %s", profile, l.text, rec.Reason)
				continue
			}
			for _, w := range strings.Split(l.gone, "|") {
				if strings.Contains(string(out), w) {
					t.Errorf("%s: %q -> %q keeps %q", profile, l.text, out, w)
				}
			}
		}
	}
}
