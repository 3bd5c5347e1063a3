package pdfscan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// KeptAt of a scanned PDF is its page's (images.Document.KeptAt): a
// word of page 2 of the output stands where the input's OCR read the same
// word on page 2, and Redact kept it; the label drawn in a box stands on
// no kept input word; a part out of range or another document is nothing.
func TestKeptAtPage(t *testing.T) {
	requireAll(t)
	p := ocrtest.NewPerson(44)
	a, b := scans(t, p)
	f := format()
	doc, err := f.Parse(scanPDF(t, a, b))
	if err != nil {
		t.Fatal(err)
	}
	parts := doc.Parts()
	var out bytes.Buffer
	if err := doc.Redact(&out, ocrtest.Oracle(parts, p.Identifiers(), "[REDACTED]")); err != nil {
		t.Fatal(err)
	}
	od, err := f.Parse(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	read := od.Parts()[1].Text
	const word = "declaration"
	at := strings.Index(read, word)
	if at < 0 || !strings.Contains(parts[1].Text, word) {
		t.Fatalf("OCR does not read the kept word on page 2")
	}
	kp := doc.(interface {
		KeptAt(out redactors.Document, part, start, end int) ([][2]int, bool)
	})
	spans, ok := kp.KeptAt(od, 1, at, at+len(word))
	if !ok || len(spans) != 1 || parts[1].Text[spans[0][0]:spans[0][1]] != word {
		t.Errorf("the kept word of page 2 is at %v (ok %t), want the input's word", spans, ok)
	}
	if lbl := strings.Index(read, "REDACTED"); lbl >= 0 {
		if sp, ok := kp.KeptAt(od, 1, lbl, lbl+len("REDACTED")); ok {
			t.Errorf("a box's label stands on kept input words %v", sp)
		}
	} else {
		t.Errorf("OCR does not read the label drawn on page 2")
	}
	if _, ok := kp.KeptAt(od, 2, 0, 1); ok {
		t.Errorf("a part out of range is placed")
	}
	if _, ok := kp.KeptAt(nil, 1, at, at+len(word)); ok {
		t.Errorf("text of no scanned PDF is placed")
	}
}
