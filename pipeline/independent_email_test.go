package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/email"
	et "github.com/veilhq/veil/redactors/email/emailtest"
	"github.com/veilhq/veil/redactors/text"
)

// The hostile message of emailtest (values in encoded words, an RFC 2231
// file name, a preamble, HTML split by inline tags and in an attribute, a
// windows-1252 body, a base64 forwarded message): the redactor reads
// every place, so the engine writes it and verify, which reads it again
// with the standard library (email's IndependentText), finds nothing. A
// redactor blind to the forwarded message (its parts hidden) writes the
// phone and the name there untouched: the independent reading finds
// them, the file is refused, the place named by MIME position, never the
// value; veil verify reports it on the file as it is.
func TestVerifyIndependentEmail(t *testing.T) {
	p, _ := profiles.Load("supervision")
	attached := redactors.NewRegistry(text.Plain())
	real := email.New(attached, email.Options{})
	for _, c := range []struct {
		name    string
		hide    func(string) bool
		refused bool
	}{
		{"the redactor reads every place", func(string) bool { return false }, false},
		{"the forwarded message hidden from the redactor", func(n string) bool { return strings.HasPrefix(n, "part 4") }, true},
	} {
		f := blindFormat{Format: real, hide: c.hide}
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Formats: redactors.NewRegistry(f)})
		if err != nil {
			t.Fatal(err)
		}
		out, rec := e.Redact(context.Background(), "note.eml", et.Hostile())
		if refused := rec.Reason == "verify_failed"; refused != c.refused || !refused && rec.Status != "redacted" {
			t.Errorf("%s: status %s %s (%s)", c.name, rec.Status, rec.Reason, rec.Detail)
		}
		if c.refused && (out != nil || !strings.Contains(rec.Detail, "part 4/") || !strings.Contains(rec.Detail, "(independent reading)") ||
			strings.Contains(rec.Detail, "Quillon") || strings.Contains(rec.Detail, "0162")) {
			t.Errorf("%s: output %v, detail %q", c.name, out != nil, rec.Detail)
		}
		if !c.refused {
			for _, v := range []string{"Vantongeren", "Quillon", "Abernathy", "555-0162", "Aur=E9lie", "QXVyw6lsaWUgVmFudG9uZ2VyZW4tQm9zY2g"} {
				if strings.Contains(string(out), v) {
					t.Errorf("%s: the output holds %q", c.name, v)
				}
			}
		}
		ce, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, CheckOnly: true, Formats: redactors.NewRegistry(f)})
		if err != nil {
			t.Fatal(err)
		}
		checked := et.Hostile()
		if out != nil {
			checked = out
		}
		ls, err := ce.Check(context.Background(), "note.eml", checked)
		if err != nil {
			t.Fatal(err)
		}
		if (len(ls) > 0) != c.refused {
			t.Errorf("%s: veil verify finds %+v", c.name, ls)
		}
	}
}
