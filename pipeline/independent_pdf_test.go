package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// needPdftotext skips (fails under CI=true) without poppler's pdftotext.
func needPdftotext(t *testing.T) {
	t.Helper()
	needTool(t, "pdftotext")
}

// A PDF that draws the second half of a phone number before the first
// (each piece placed where it shows): Veil's reader, in content order,
// reads "5-0147 …" on one line and "Call back on 503-55" on the next, in
// which no rule finds a phone, so nothing is redacted; pdftotext orders
// the words by position and reads the number whole. The verify step's
// independent reading (pdftotext, the whole chain) finds it: the file is
// refused, the reading named, never the value; veil verify reports it on
// the file as it is. The same text drawn in order is redacted and passes
// (no false alarm from the second reading).
func TestVerifyIndependentPDF(t *testing.T) {
	needPdftotext(t)
	p, _ := profiles.Load("supervision")
	const head = "BT /F1 12 Tf 72 720 Td (Session note, second visit.) Tj ET "
	for _, c := range []struct {
		name    string
		data    []byte
		refused bool
	}{
		{"drawn out of order", pdftest.Pages(nil, head+"BT /F1 12 Tf 1 0 0 1 178.72 700 Tm (5-0147 after five.) Tj 1 0 0 1 72 700 Tm (Call back on 503-55) Tj ET"), true},
		{"drawn in order", pdftest.Pages(nil, head+"BT /F1 12 Tf 72 700 Td (Call back on 503-555-0147 after five.) Tj ET"), false},
	} {
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Formats: redactors.NewRegistry(pdf.New())})
		if err != nil {
			t.Fatal(err)
		}
		out, rec := e.Redact(context.Background(), "note.pdf", c.data)
		if refused := rec.Reason == "verify_failed"; refused != c.refused {
			t.Errorf("%s: status %s %s (%s)", c.name, rec.Status, rec.Reason, rec.Detail)
		}
		if c.refused && (out != nil || !strings.Contains(rec.Detail, "PHONE in page 1 (pdftotext)") || strings.Contains(rec.Detail, "0147")) {
			t.Errorf("%s: output %v, detail %q", c.name, out != nil, rec.Detail)
		}
		if !c.refused && (out == nil || rec.Status != "redacted") {
			t.Errorf("%s: status %s %s (%s)", c.name, rec.Status, rec.Reason, rec.Detail)
		}
		ce, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, CheckOnly: true, Formats: redactors.NewRegistry(pdf.New())})
		if err != nil {
			t.Fatal(err)
		}
		checked := c.data
		if out != nil {
			checked = out
		}
		ls, err := ce.Check(context.Background(), "note.pdf", checked)
		if err != nil {
			t.Fatal(err)
		}
		leftInReading := false
		for _, l := range ls {
			leftInReading = leftInReading || l.Part == "page 1 (pdftotext)"
		}
		if leftInReading != c.refused {
			t.Errorf("%s: veil verify finds %+v", c.name, ls)
		}
	}
}
