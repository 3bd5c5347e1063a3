package email_test

import (
	"bytes"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/email"
	et "github.com/veilhq/veil/redactors/email/emailtest"
)

// FuzzParse checks that no message, however malformed, panics the parser
// or Redact, that Redact honours the edit contract, and that an output
// parses again.
func FuzzParse(f *testing.F) {
	for _, fx := range []func() []byte{fixAlternative, fixForward, fixCharsets, fixSigned, fixBrokenBoundary, fixPlainLF, fixDataURI} {
		f.Add(fx(), 3, 5)
	}
	f.Add([]byte("From: a\r\n\r\n"), 0, 1)
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n--x--\r\n"), 0, 0)
	fm := email.New(nil, email.Options{Limits: email.Limits{MaxDecoded: 1 << 20}})
	f.Fuzz(func(t *testing.T, data []byte, part, at int) {
		doc, err := fm.Parse(data)
		if err != nil {
			if redactors.ReasonOf(err) == redactors.ErrInternal {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		parts := doc.Parts()
		var edits []redactors.Edit
		if len(parts) > 0 {
			p := abs(part) % len(parts)
			n := len(parts[p].Text)
			a := abs(at) % (n + 1)
			for a < n && a > 0 && (parts[p].Text[a]&0xC0) == 0x80 {
				a--
			}
			edits = []redactors.Edit{{Part: p, Start: a, End: a, Replacement: "[X]"}}
		}
		var buf bytes.Buffer
		if err := doc.Redact(&buf, edits); err != nil {
			return
		}
		if _, err := fm.Parse(buf.Bytes()); err != nil && redactors.ReasonOf(err) == redactors.ErrInternal {
			t.Fatalf("output: internal error: %v", err)
		}
	})
}

// FuzzMbox checks the mailbox splitter and From quoting.
func FuzzMbox(f *testing.F) {
	f.Add([]byte("From a@b Tue Mar  3 09:14:05 2026\nSubject: x\n\n>From y\nFrom z\n\nFrom c@d Tue Mar  3 09:14:05 2026\nSubject: y\n\nbody\n"))
	fm := email.NewMBOX(nil, email.Options{Limits: email.Limits{MaxDecoded: 1 << 20}})
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := fm.Parse(data)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := doc.Redact(&buf, nil); err != nil {
			return
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("a mailbox without edits changed")
		}
	})
}

// FuzzMSG checks that no compound file panics the .msg reader.
func FuzzMSG(f *testing.F) {
	// A small message: the fuzzer mutates small inputs faster.
	f.Add(et.Message{
		Props:      et.Props{Strs: map[uint16]string{et.PidSubject: "S", et.PidBody: "B"}, Bins: map[uint16][]byte{et.PidRTF: et.CompressRTF(`{\rtf1 x\par}`, 0)}},
		Recipients: []et.Recipient{{Name: "N", Address: "n@example.org", Type: 1}},
		Attachments: []et.Attachment{{Name: "a.txt", Data: []byte("text")},
			{Name: "m.msg", Embedded: &et.Message{Props: et.Props{Strs: map[uint16]string{et.PidSubject: "T"}}}}},
	}.Build())
	fm := email.NewMSG(nil, email.Options{Limits: email.Limits{MaxDecoded: 1 << 20}})
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := fm.Parse(data); err != nil && redactors.ReasonOf(err) == redactors.ErrInternal {
			t.Fatalf("internal error: %v", err)
		}
	})
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
