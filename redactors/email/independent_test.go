package email_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/email"
	et "github.com/veilhq/veil/redactors/email/emailtest"
)

// independent returns the independent reading of data (through the
// document parsed from it) and every text of it joined.
func independent(t *testing.T, f redactors.Format, data []byte) ([]redactors.Part, string) {
	t.Helper()
	doc, err := f.Parse(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	parts, err := doc.(redactors.IndependentReader).IndependentText(data)
	if err != nil {
		t.Fatalf("IndependentText: %v", err)
	}
	var all strings.Builder
	for _, p := range parts {
		all.WriteString(p.Text + "\n")
	}
	return parts, all.String()
}

// On every sample that is read, the independent reading sees every secret
// the parse shows (it reads at least what the redactor reads), names its
// texts by position only, and after redaction holds none of them.
func TestIndependentTextSamples(t *testing.T) {
	for _, s := range et.Samples() {
		if s.Reason != "" {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			f := format(t, s.Ext, email.Options{})
			doc, err := f.Parse(s.Data)
			if err != nil {
				t.Fatal(err)
			}
			parts, err := doc.(redactors.IndependentReader).IndependentText(s.Data)
			if s.Name == "signed" {
				// The signature (a certificate, binary) is not read:
				// Redact drops it; the output is read below.
				if redactors.ReasonOf(err) != redactors.ErrUninspectable {
					t.Errorf("signed input: %v, want uninspectable", err)
				}
			} else if err != nil {
				t.Fatalf("IndependentText: %v", err)
			}
			var all strings.Builder
			for _, p := range parts {
				all.WriteString(p.Text + "\n")
			}
			for _, p := range doc.Parts() {
				if s.Name == "signed" {
					break
				}
				for _, v := range et.Secrets {
					if strings.Contains(p.Text, v) && !strings.Contains(all.String(), v) {
						t.Errorf("the parse shows a secret in %s that the independent reading does not", p.Name)
					}
				}
			}
			for _, p := range parts {
				if containsAny(p.Name, et.Secrets) {
					t.Errorf("a part name holds a secret: %q", p.Name)
				}
			}
			var buf bytes.Buffer
			if err := doc.Redact(&buf, findEdits(doc.Parts(), et.Secrets, "[X]")); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			if s.Ext == ".msg" {
				f = format(t, ".eml", email.Options{})
			}
			if _, all := independent(t, f, out); containsAny(all, et.Secrets) {
				t.Errorf("a secret survives in the independent reading of the output")
			}
		})
	}
}

// The independent reading decodes every place of the hostile message.
func TestIndependentTextHostile(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	parts, all := independent(t, f, et.Hostile())
	for _, want := range []string{
		"Aurélie Vantongeren-Bosch <avb@mail.example>", // address, encoded display name
		"Aurélie Vantongeren-Bosch\n",                  // the X- field
		"Preamble for Aurélie Vantongeren-Bosch.",
		"Client: Aurélie Vantongeren-Bosch", // inline tags joined
		"Photo of Quillon Abernathy-Roux",   // an attribute
		"Seen by Aurélie Vantongeren-Bosch on Friday.",
		"Aurélie notes.txt",                                  // RFC 2231 file name
		"Quillon Abernathy-Roux <quillon@abernathy.example>", // forwarded, base64
		"Please call 503-555-0162.",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the independent reading lacks %q", want)
		}
	}
	for _, p := range parts {
		if strings.Contains(p.Name, "Aur") || strings.Contains(p.Name, "Quillon") || !strings.Contains(p.Name, "(independent reading)") {
			t.Errorf("part name %q", p.Name)
		}
	}
}

// What the independent reading cannot read is an error: an unknown
// charset, a multipart without its boundary.
func TestIndependentTextRefuses(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	doc, err := f.Parse(et.Alternative())
	if err != nil {
		t.Fatal(err)
	}
	ir := doc.(redactors.IndependentReader)
	for name, c := range map[string]struct {
		data   string
		reason *redactors.Reason
	}{
		"charset":  {"Subject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\nHello\r\n", redactors.ErrEncoding},
		"boundary": {"Subject: x\r\nContent-Type: multipart/mixed\r\n\r\nHello\r\n", redactors.ErrCorrupt},
		"not mail": {"\x00\x01\x02", redactors.ErrCorrupt},
	} {
		if _, err := ir.IndependentText([]byte(c.data)); redactors.ReasonOf(err) != c.reason {
			t.Errorf("%s: %v, want %s", name, err, c.reason.Code)
		}
	}
}
