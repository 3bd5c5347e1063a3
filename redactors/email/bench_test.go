package email_test

import (
	"bytes"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/email"
	et "github.com/veilhq/veil/redactors/email/emailtest"
)

// BenchmarkEmail parses, redacts and re-reads (Leaks) samples: a message
// with DOCX, PDF and text attachments, and a mailbox of 100 messages.
func BenchmarkEmail(b *testing.B) {
	var box bytes.Buffer
	for i := 0; i < 100; i++ {
		box.Write(et.Mbox(false))
	}
	for _, bc := range []struct {
		name, ext string
		data      []byte
	}{
		{"attachments", ".eml", et.Attachments()},
		{"alternative", ".eml", et.Alternative()},
		{"outlook", ".msg", et.MSG(false, 0, 0)},
		{"mbox-300", ".mbox", box.Bytes()},
	} {
		f := format(b, bc.ext, email.Options{})
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			for i := 0; i < b.N; i++ {
				doc, err := f.Parse(bc.data)
				if err != nil {
					b.Fatal(err)
				}
				var out bytes.Buffer
				if err := doc.Redact(&out, findEdits(doc.Parts(), et.Secrets, "[X]")); err != nil {
					b.Fatal(err)
				}
				if _, err := doc.(redactors.LeakChecker).Leaks(out.Bytes(), func(string) bool { return false }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
