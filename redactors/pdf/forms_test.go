package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// formDoc writes a two-page document with an AcroForm (issue 19): page 1
// holds a text field whose appearance shows its value, a field whose two
// widgets sit on pages 1 and 2 (one value, an appearance on each), a text
// field with a value and no appearance, a checked check box and a hidden
// field; acroExtra is added to the AcroForm dictionary (NeedAppearances,
// XFA). Every value is invented.
func formDoc(acroExtra string) []byte { return formDocCat("", acroExtra) }

// formDocCat is formDoc with catExtra added to the catalog.
func formDocCat(catExtra, acroExtra string) []byte {
	b := &builder{}
	b.add("") // catalog
	b.add("") // pages
	font := b.add(helvFont)
	apStream := func(w, h int, text string) int {
		return b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Resources << /Font << /Helv %d 0 R >> >>", w, h, font),
			[]byte(fmt.Sprintf("/Tx BMC q BT /Helv 11 Tf 0 g 2 6 Td (%s) Tj ET Q EMC", text)), true))
	}
	c1 := b.add(stream("", []byte("BT /F1 12 Tf 72 720 Td (Intake form of the clinic) Tj 0 -40 Td (Client:) Tj 0 -40 Td (Caseworker:) Tj 0 -40 Td (Referred by:) Tj ET"), true))
	c2 := b.add(stream("", []byte("BT /F1 12 Tf 72 720 Td (Second page, caseworker again:) Tj ET"), true))
	p1 := b.add("")
	p2 := b.add("")
	// A field with its value in its appearance.
	ap1 := apStream(200, 20, "Rosalind Quorrendale")
	client := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (client) /V (Rosalind Quorrendale) /DA (/Helv 11 Tf 0 g) /Rect [160 674 360 694] /F 4 /P %d 0 R /AP << /N %d 0 R >> >>", p1, ap1))
	// One field, two widgets on two pages.
	cw := b.add("")
	apA, apB := apStream(220, 20, "Thaddeus Brambleford"), apStream(220, 20, "Thaddeus Brambleford")
	w1 := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /Parent %d 0 R /Rect [160 634 380 654] /F 4 /P %d 0 R /AP << /N %d 0 R >> >>", cw, p1, apA))
	w2 := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /Parent %d 0 R /Rect [300 714 520 734] /F 4 /P %d 0 R /AP << /N %d 0 R >> >>", cw, p2, apB))
	b.set(cw, fmt.Sprintf("<< /FT /Tx /T (caseworker) /V (Thaddeus Brambleford) /DA (/Helv 0 Tf 0 0 0.5 rg) /Kids [%d 0 R %d 0 R] >>", w1, w2))
	// A value without an appearance.
	// An appearance without resources: its font is in the form's /DR.
	apDR := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 200 20]", []byte("/Tx BMC BT /Helv 9 Tf 2 6 Td (Ward 7, Ottilie Carrow) Tj ET EMC"), false))
	ward := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (ward) /V (Ward 7, Ottilie Carrow) /Rect [160 530 360 550] /P %d 0 R /AP << /N %d 0 R >> >>", p1, apDR))
	ref := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (referrer) /V (Dr. Ignatius Velloway) /DA (/Helv 10 Tf 0 g) /Rect [160 594 400 614] /P %d 0 R >>", p1))
	// A check box: states, the one shown is /AS.
	on := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 12 12]", []byte("0 0 12 12 re f"), false))
	off := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 12 12]", []byte("0 0 12 12 re S"), false))
	box := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Btn /T (consent) /V /Yes /AS /Yes /Rect [72 560 84 572] /P %d 0 R /AP << /N << /Yes %d 0 R /Off %d 0 R >> >> >>", p1, on, off))
	// A hidden field: no viewer shows it, it leaves with the form.
	apH := apStream(200, 20, "Hidden Pemberton")
	hidden := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (internal) /V (Hidden Pemberton) /Rect [160 500 360 520] /F 2 /P %d 0 R /AP << /N %d 0 R >> >>", p1, apH))
	b.set(p1, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Annots [%d 0 R %d 0 R %d 0 R %d 0 R %d 0 R %d 0 R] >>", c1, client, w1, ref, box, hidden, ward))
	b.set(p2, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Annots [%d 0 R] >>", c2, w2))
	b.set(1, fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R %s /AcroForm << /Fields [%d 0 R %d 0 R %d 0 R %d 0 R %d 0 R %d 0 R] /DR << /Font << /Helv %d 0 R >> >> /DA (/Helv 0 Tf 0 g) %s >> >>", catExtra, client, cw, ref, box, hidden, ward, font, acroExtra))
	b.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 2 /Resources << /Font << /F1 %d 0 R >> >> >>", p1, p2, font))
	return b.bytes("")
}

// Filled fields are flattened into their pages: each value is page text on
// the page its widget sits on (both pages for a field with two widgets), a
// value without an appearance gets one, a hidden field does not show, and
// a redacted value leaves the file while the other values stay on the
// page.
func TestFormsFlattened(t *testing.T) {
	for _, tc := range []struct{ name, extra string }{{"appearances", ""}, {"need appearances", "/NeedAppearances true"}} {
		t.Run(tc.name, func(t *testing.T) {
			in := formDoc(tc.extra)
			// The judge reads the values in the input (poppler draws
			// widgets as a viewer does).
			if got := pdftotextOf(t, in); !strings.Contains(got, "Rosalind Quorrendale") {
				t.Fatalf("fixture: pdftotext does not show the field value: %q", got)
			}
			d := parse(t, in)
			p1, p2 := d.Parts()[0].Text, d.Parts()[1].Text
			for _, v := range []string{"Rosalind Quorrendale", "Thaddeus Brambleford", "Dr. Ignatius Velloway", "Ward 7, Ottilie Carrow"} {
				if !strings.Contains(p1, v) {
					t.Errorf("page 1 text lacks the field value %q: %q", v, p1)
				}
			}
			if !strings.Contains(p2, "Thaddeus Brambleford") {
				t.Errorf("page 2 text lacks the second widget's value: %q", p2)
			}
			if strings.Contains(p1, "Hidden Pemberton") {
				t.Errorf("a hidden field reads as page text")
			}
			out, d := redact(t, in, func(d redactors.Document) []redactors.Edit {
				es := editsIn(d, 0, "NAME", "Thaddeus Brambleford", "Ignatius Velloway", "Ottilie Carrow")
				return append(es, editsIn(d, 1, "NAME", "Thaddeus Brambleford")...)
			})
			// Four text widgets and the check box on page 1, one on page 2.
			notes := strings.Join(d.Notes(), "; ")
			if !strings.Contains(notes, "6 form field widgets flattened") {
				t.Errorf("notes %q do not count the flattened widgets", notes)
			}
			judge(t, in, out, []string{"Brambleford", "Thaddeus", "Velloway", "Carrow", "Hidden Pemberton"},
				[]string{"Intake form of the clinic", "Rosalind Quorrendale", "Client:", "Second page, caseworker again:"})
			raw := qdfText(t, out)
			for _, k := range []string{"/AcroForm", "/Widget", "/Annots"} {
				if strings.Contains(raw, k) {
					t.Errorf("the output still has %s", k)
				}
			}
			d2 := parse(t, out)
			if len(d2.pages) != 2 {
				t.Errorf("page count %d, want 2", len(d2.pages))
			}
			if !strings.Contains(d2.Parts()[0].Text, "Rosalind Quorrendale") {
				t.Errorf("the kept value is not page text of the output: %q", d2.Parts()[0].Text)
			}
			leaks, err := d2.Leaks(out, func(s string) bool { return strings.Contains(s, "Brambleford") || strings.Contains(s, "Velloway") })
			if err != nil || len(leaks) > 0 {
				t.Errorf("Leaks = %v, %v", leaks, err)
			}
		})
	}
}

// Under FormsDrop the form leaves with its values and the notes count the
// filled fields.
func TestFormsDrop(t *testing.T) {
	in := formDoc("")
	d, err := New(Options{Forms: FormsDrop}).Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Parts()[0].Text, "Quorrendale") {
		t.Errorf("a dropped form's value is page text")
	}
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(d.(*Document).Notes(), "; "), "removed: 6 filled form fields (forms: drop)") {
		t.Errorf("notes %q", d.(*Document).Notes())
	}
	judge(t, in, out.Bytes(), []string{"Quorrendale", "Brambleford", "Velloway", "Carrow"}, []string{"Intake form of the clinic"})
}

// XFA next to AcroForm fields, or next to pages every viewer shows, is
// dropped with a note; a dynamic XFA form (NeedsRendering: its pages are a
// placeholder, what a reader sees is XFA Veil cannot read) is refused.
func TestFormsXFA(t *testing.T) {
	in := formDoc("/XFA [(template) (<xdp:xdp>Rosalind Quorrendale</xdp:xdp>)]")
	out, d := redact(t, in, func(d redactors.Document) []redactors.Edit { return nil })
	if !strings.Contains(strings.Join(d.Notes(), "; "), "XFA") {
		t.Errorf("notes %q do not mention XFA", d.Notes())
	}
	if raw := qdfText(t, out); strings.Contains(raw, "xdp") || strings.Contains(raw, "/XFA") {
		t.Errorf("XFA data written")
	}
	b := &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R /NeedsRendering true /AcroForm << /Fields [] /XFA 4 0 R >> >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 " + helvFont + " >> >> >>")
	b.add(stream("", []byte("<xdp:xdp/>"), false))
	b.add(stream("", []byte("BT /F1 12 Tf 72 720 Td (Please wait) Tj ET"), false))
	if _, err := New().Parse(b.bytes("")); !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "no AcroForm field shown on a page") {
		t.Errorf("dynamic XFA without fields: %v, want uninspectable", err)
	}
	// Fields that are not shown (a hidden widget, a widget on no page)
	// are no fallback.
	b.add("<< /Type /Annot /Subtype /Widget /FT /Tx /T (hid) /V (Hollis Pardoe) /Rect [72 600 300 620] /F 2 >>")
	b.add("<< /Type /Annot /Subtype /Widget /FT /Tx /T (nowhere) /V (Hollis Pardoe) /Rect [72 600 300 620] >>")
	b.set(1, "<< /Type /Catalog /Pages 2 0 R /NeedsRendering true /AcroForm << /Fields [6 0 R 7 0 R] /XFA 4 0 R >> >>")
	b.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Annots [6 0 R] /Resources << /Font << /F1 "+helvFont+" >> >> >>")
	if _, err := New().Parse(b.bytes("")); !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "no AcroForm field shown on a page") {
		t.Errorf("dynamic XFA with hidden fields only: %v, want uninspectable", err)
	}
	// A dynamic XFA form with an AcroForm fallback (fields with widgets
	// on the pages): XFA and NeedsRendering go with a note, the fields
	// are flattened and redacted like any form's.
	dyn := formDocCat("/NeedsRendering true", "/XFA [(template) (<xdp:xdp>Marisol Thackeray</xdp:xdp>)]")
	out2, dd := redact(t, dyn, func(d redactors.Document) []redactors.Edit { return editsFor(d, "NAME", "Rosalind Quorrendale") })
	if notes := strings.Join(dd.Notes(), "; "); !strings.Contains(notes, "dynamic XFA form") || !strings.Contains(notes, "6 field widgets") {
		t.Errorf("notes %q do not say the dynamic XFA form fell back on its 6 shown widgets", notes)
	}
	if raw := qdfText(t, out2); strings.Contains(raw, "xdp") || strings.Contains(raw, "/XFA") || strings.Contains(raw, "NeedsRendering") {
		t.Errorf("XFA data or NeedsRendering written")
	}
	judge(t, dyn, out2, []string{"Quorrendale", "Thackeray"}, []string{"Intake form of the clinic", "Brambleford"})
	b.set(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>")
	d2, err := New().Parse(b.bytes(""))
	if err != nil || !strings.Contains(strings.Join(d2.(*Document).Notes(), "; "), "XFA") {
		t.Errorf("static XFA without fields: %v, want a note", err)
	}
}
