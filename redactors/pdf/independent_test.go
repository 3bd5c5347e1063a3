package pdf

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// independentText returns the independent reading of data (through the
// document parsed from it), white space folded, page by page.
func independentText(t *testing.T, data []byte) []string {
	t.Helper()
	judgeTool(t, "pdftotext")
	parts, err := parse(t, data).IndependentText(data)
	if err != nil {
		t.Fatalf("IndependentText: %v", err)
	}
	var out []string
	for _, p := range parts {
		if want := fmt.Sprintf("page %d (pdftotext)", p.Page); p.Name != want {
			t.Errorf("part %q, want %q", p.Name, want)
		}
		out = append(out, strings.Join(strings.Fields(p.Text), " "))
	}
	return out
}

// The independent reading (pdftotext) reads where Veil's reader does not
// look, or reads otherwise: an annotation's appearance, an ActualText in
// place of its glyphs, words drawn out of order (pdftotext orders them by
// position: a name whose second half is drawn first reads whole), and a
// form drawn by two pages reads on both. After Redact (without edits),
// sanitizing has removed the annotation and the ActualText: the reading of
// the output no longer holds them (the redactor handles those places);
// the out-of-order name is still read whole, which the verify step then
// re-detects (pipeline's TestVerifyIndependentPDF).
func TestIndependentTextHostile(t *testing.T) {
	annot := &builder{}
	annot.add("<< /Type /Catalog /Pages 2 0 R >>")
	annot.add("<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 " + helvFont + " >> >> >>")
	annot.add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [
  << /Type /Annot /Subtype /FreeText /Rect [300 500 500 550] /DA (/F1 12 Tf) /AP << /N 5 0 R >> >> ] >>`)
	annot.add(stream("", []byte("BT /F1 12 Tf 72 700 Td (Progress note) Tj ET"), true))
	annot.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 200 50] /Resources << /Font << /F1 "+helvFont+" >> >>",
		[]byte("BT /F1 12 Tf 5 20 Td (Seen by Anselm Quiroga-Tate) Tj ET"), true))
	for _, c := range []struct {
		name     string
		data     []byte
		in       []string // what the reading of the input shows, page by page
		out      []string // and of the output
		veilSees bool     // whether the parse's own parts show the value
	}{
		{"annotation appearance", annot.bytes(""),
			[]string{"Progress note Seen by Anselm Quiroga-Tate"}, []string{"Progress note"}, false},
		{"ActualText", pdftest.Pages(nil, "/Span << /ActualText (Anselm Quiroga-Tate) >> BDC BT /F1 12 Tf 72 700 Td (xxxx) Tj ET EMC"),
			[]string{"Anselm Quiroga-Tate"}, []string{"xxxx"}, false},
		{"drawn out of order", pdftest.Pages(nil, "BT /F1 12 Tf 1 0 0 1 120.68 700 Tm (selm Quiroga-Tate) Tj 1 0 0 1 72 700 Tm (Client An) Tj ET"),
			[]string{"Client Anselm Quiroga-Tate"}, []string{"Client Anselm Quiroga-Tate"}, false},
		{"form on two pages", pdftest.Pages(map[string]string{"Fm": "BT /F1 10 Tf 72 40 Td (Prepared for Anselm Quiroga-Tate) Tj ET"},
			"BT /F1 12 Tf 72 720 Td (One) Tj ET /Fm Do", "BT /F1 12 Tf 72 720 Td (Two) Tj ET /Fm Do"),
			[]string{"One Prepared for Anselm Quiroga-Tate", "Two Prepared for Anselm Quiroga-Tate"},
			[]string{"One Prepared for Anselm Quiroga-Tate", "Two Prepared for Anselm Quiroga-Tate"}, true},
	} {
		if got := independentText(t, c.data); !equalStrings(got, c.in) {
			t.Errorf("%s: input read %q, want %q", c.name, got, c.in)
		}
		sees := false
		for _, p := range parse(t, c.data).Parts() {
			sees = sees || strings.Contains(p.Text, "Anselm Quiroga-Tate")
		}
		if sees != c.veilSees {
			t.Errorf("%s: Veil's own parts show the name: %v, want %v", c.name, sees, c.veilSees)
		}
		out := redactWith(t, c.data, func(redactors.Document) []redactors.Edit { return nil })
		if got := independentText(t, out); !equalStrings(got, c.out) {
			t.Errorf("%s: output read %q, want %q", c.name, got, c.out)
		}
	}
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

// normalisePoppler folds typesetting, not text.
func TestNormalisePoppler(t *testing.T) {
	for in, want := range map[string]string{
		"  Visit   sum-\nmary for  Elli-\nson\n\n":   "Visit summary for Ellison\n",
		"Whitfield-\nBarrett and 234-56-\n7890 here": "Whitfield-Barrett and 234-56-7890 here\n",
		"a dash -\nthen more; ends-\n(paren)":        "a dash -\nthen more; ends-\n(paren)\n",
		"\uFB01le of the \uFB02at\tde\uFB00er":       "file of the flat deffer\n",
		"line one\n\nline two\n":                     "line one\nline two\n",
		"":                                           "",
		"one-\ntwo-\nthree":                          "onetwothree\n",
	} {
		if got := normalisePoppler(in); got != want {
			t.Errorf("normalisePoppler(%q) = %q, want %q", in, got, want)
		}
	}
}

// Fail closed: without pdftotext the reading is an error (the file is
// quarantined by verify), never an empty reading.
func TestIndependentTextWithoutPdftotext(t *testing.T) {
	data := pdftest.Pages(nil, "BT /F1 12 Tf 72 700 Td (Progress note) Tj ET")
	d := parse(t, data)
	reset := func() { pdftotext.once, pdftotext.path = sync.Once{}, "" }
	reset()
	defer reset()
	t.Setenv("PATH", t.TempDir())
	parts, err := d.IndependentText(data)
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "needs pdftotext") || parts != nil {
		t.Errorf("IndependentText = %d parts, %v; want uninspectable: needs pdftotext", len(parts), err)
	}
}

// A file pdftotext cannot read is an error too.
func TestIndependentTextUnreadable(t *testing.T) {
	judgeTool(t, "pdftotext")
	data := pdftest.Pages(nil, "BT /F1 12 Tf 72 700 Td (Progress note) Tj ET")
	d := parse(t, data)
	_, err := d.IndependentText([]byte("%PDF-1.7\nnot a pdf at all"))
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "pdftotext fails on the file") {
		t.Errorf("IndependentText of garbage: %v; want uninspectable: pdftotext fails", err)
	}
}
