package pdf

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// barsOps is the content of a barcode appearance: bars whose widths
// encode the field's value (as PDF417 or QR bars do); nothing reads them.
const barsOps = "0 g 0 0 3 60 re f 5 0 1 60 re f 9 0 2 60 re f"

// barcodeFormDoc writes a one-page form (issue 19, pmdfix): a text field
// whose appearance shows its value, and three paper-forms barcode fields
// (/PMD): one with a bars appearance, one whose /PMD is on the parent
// field of its widget, and one with a value and no appearance (a viewer
// generates one). catExtra goes into the catalog, acroExtra into the
// AcroForm. Every value is invented.
func barcodeFormDoc(catExtra, acroExtra string) []byte {
	b := &builder{}
	b.add("") // 1 catalog
	b.add("") // 2 pages
	font := b.add(helvFont)
	c := b.add(stream("", []byte("BT /F1 12 Tf 72 720 Td (Membership renewal) Tj 0 -40 Td (Member:) Tj ET"), false))
	p := b.add("")
	ap := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /Helv %d 0 R >> >>", font),
		[]byte("/Tx BMC q BT /Helv 11 Tf 0 g 2 6 Td (Tamsin Everard) Tj ET Q EMC"), false))
	member := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (member) /V (Tamsin Everard) /DA (/Helv 11 Tf 0 g) /Rect [160 674 360 694] /F 4 /P %d 0 R /AP << /N %d 0 R >> >>", p, ap))
	bars1 := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 200 60]", []byte(barsOps), false))
	bc1 := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (PaperFormsBarcode1) /V (Orsolya\tQuillanby) /PMD << /Symbology /PDF417 /ECC 1 >> /Rect [72 500 272 560] /F 4 /P %d 0 R /AP << /N %d 0 R >> >>", p, bars1))
	bars2 := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 200 60]", []byte(barsOps), false))
	parent := b.add("")
	kid := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /Parent %d 0 R /Rect [72 400 272 460] /F 4 /P %d 0 R /AP << /N %d 0 R >> >>", parent, p, bars2))
	b.set(parent, fmt.Sprintf("<< /FT /Tx /T (PaperFormsBarcode2) /V (Orsolya\tQuillanby) /PMD << /Symbology /QRCode >> /Kids [%d 0 R] >>", kid))
	bc3 := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (PaperFormsBarcode3) /V (Orsolya Quillanby) /DA (/Helv 10 Tf 0 g) /PMD << /Symbology /DataMatrix >> /Rect [72 300 372 320] /F 4 /P %d 0 R >>", p))
	b.set(p, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Annots [%d 0 R %d 0 R %d 0 R %d 0 R] /Resources << /Font << /F1 %d 0 R >> >> >>", c, member, bc1, kid, bc3, font))
	b.set(1, fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R %s /AcroForm << /Fields [%d 0 R %d 0 R %d 0 R %d 0 R] /DR << /Font << /Helv %d 0 R >> >> %s >> >>", catExtra, member, bc1, parent, bc3, font, acroExtra))
	b.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", p))
	return b.bytes("")
}

// A barcode field (/PMD) is never drawn, in any form path (plain AcroForm,
// with NeedAppearances, static XFA, a dynamic XFA form's AcroForm
// fallback): its bars would carry the form's values into the page where
// no detector reads them. The note says a barcode left, with no value; the
// other fields are flattened as before.
func TestFormsBarcodeNotDrawn(t *testing.T) {
	for _, tc := range []struct{ name, cat, acro string }{
		{"acroform", "", ""},
		{"need appearances", "", "/NeedAppearances true"},
		{"static XFA", "", "/XFA [(datasets) (<xfa:datasets><m>Tamsin Everard</m></xfa:datasets>)]"},
		{"dynamic XFA fallback", "/NeedsRendering true", "/XFA [(datasets) (<xfa:datasets><m>Tamsin Everard</m></xfa:datasets>)]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := barcodeFormDoc(tc.cat, tc.acro)
			out, d := redact(t, in, func(d redactors.Document) []redactors.Edit { return nil })
			raw := qdfText(t, out)
			if strings.Contains(raw, "5 0 1 60 re") {
				t.Errorf("a barcode's bars are written")
			}
			notes := strings.Join(d.Notes(), "; ")
			if !strings.Contains(notes, "removed: 3 barcode form field widgets (a barcode field encodes the form's values; not drawn)") {
				t.Errorf("notes %q do not say the 3 barcodes were removed", notes)
			}
			if !strings.Contains(notes, "1 form field widgets flattened") {
				t.Errorf("notes %q do not count the one flattened text field", notes)
			}
			if strings.Contains(notes, "Quillanby") || strings.Contains(notes, "Everard") {
				t.Errorf("a value in the notes: %q", notes)
			}
			if p := parse(t, out).Parts()[0].Text; !strings.Contains(p, "Tamsin Everard") || strings.Contains(p, "Quillanby") {
				t.Errorf("output page text %q: want the text field's value and no barcode's", p)
			}
			judge(t, in, out, []string{"Quillanby"}, []string{"Membership renewal", "Tamsin Everard"})
		})
	}
}

// placeholderXFA writes a dynamic XFA form (NeedsRendering) whose one page
// is a placeholder ("Please wait") and whose AcroForm holds the one
// widget annot (object 6, on the page); objs are added after it. Its XFA
// data holds an invented name.
func placeholderXFA(annot string, objs ...string) []byte {
	return placeholderXFAWith("(datasets) (<xfa:datasets><n>Orsolya Quillanby</n></xfa:datasets>)", annot, objs...)
}

// placeholderXFAWith is placeholderXFA with the XFA array's elements xfa.
func placeholderXFAWith(xfa, annot string, objs ...string) []byte {
	b := &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R /NeedsRendering true /AcroForm << /Fields [6 0 R] /XFA [" + xfa + "] >> >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Annots [6 0 R] /Resources << /Font << /F1 " + helvFont + " >> >> >>")
	b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 200 60]", []byte(barsOps), false))
	b.add(stream("", []byte("BT /F1 12 Tf 72 720 Td (Please wait) Tj ET"), false))
	b.add(annot)
	for _, o := range objs {
		b.add(o)
	}
	return b.bytes("")
}

// A dynamic XFA form falls back on its AcroForm only where that shows
// values: a visible text or choice field, or a check box or radio button
// with a value, that is no barcode. The safety reviewer's case (a
// placeholder page whose one field is a barcode, written at 60e71d6 with
// its bars) and placeholders holding only a push button, an unchecked box
// or a field of no area are refused with the precise reason.
func TestFormsXFAFallbackNeedsValues(t *testing.T) {
	for _, tc := range []struct{ name, annot string }{
		{"barcode (reviewer's repro)", "<< /Type /Annot /Subtype /Widget /FT /Tx /T (PaperFormsBarcode1) /V (Orsolya\tQuillanby\t1961-04-02) /PMD << /Symbology /PDF417 >> /Rect [72 500 272 560] /F 4 /P 3 0 R /AP << /N 4 0 R >> >>"},
		{"push button", "<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (submit) /Rect [72 500 272 560] /F 4 /P 3 0 R /AP << /N 4 0 R >> >>"},
		{"unchecked box", "<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Off /AS /Off /Rect [72 500 84 512] /F 4 /P 3 0 R /AP << /N << /Off 4 0 R >> >> >>"},
		{"no area", "<< /Type /Annot /Subtype /Widget /FT /Tx /T (n) /V (Orsolya Quillanby) /Rect [72 500 72 500] /F 4 /P 3 0 R >>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Parse(placeholderXFA(tc.annot))
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "no AcroForm field shown on a page to fall back on") || !strings.Contains(err.Error(), "push buttons and barcodes are none") {
				t.Errorf("Parse: %v, want uninspectable: no fallback", err)
			}
			if err != nil && strings.Contains(err.Error(), "Quillanby") {
				t.Errorf("a value in the reason: %v", err)
			}
		})
	}
	// A checked box, or a text field next to the barcode, is a fallback:
	// written, the barcode not drawn, the notes count the fallback fields.
	// (The box's XFA data is its state: a name only XFA held would be
	// refused, TestFormsXFAFallbackShowsValues.)
	for _, tc := range []struct {
		name, annot string
		objs        []string
	}{
		{"checked box", "<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Yes /AS /Yes /Rect [72 500 84 512] /F 4 /P 3 0 R /AP << /N << /Yes 7 0 R >> >> >>",
			[]string{stream("/Type /XObject /Subtype /Form /BBox [0 0 12 12]", []byte("0 0 12 12 re f"), false)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, d := redact(t, placeholderXFAWith("(datasets) (<xfa:datasets><xfa:data><f><agree>Yes</agree></f></xfa:data></xfa:datasets>)", tc.annot, tc.objs...), func(d redactors.Document) []redactors.Edit { return nil })
			if notes := strings.Join(d.Notes(), "; "); !strings.Contains(notes, "the pages and 1 field widgets") {
				t.Errorf("notes %q", notes)
			}
			if raw := qdfText(t, out); strings.Contains(raw, "xfa:data") || strings.Contains(raw, "/XFA") {
				t.Errorf("XFA data written")
			}
		})
	}
	in := barcodeFormDoc("/NeedsRendering true", "/XFA [(datasets) (<xfa:datasets><m>Tamsin Everard</m></xfa:datasets>)]")
	_, d := redact(t, in, func(d redactors.Document) []redactors.Edit { return nil })
	if notes := strings.Join(d.Notes(), "; "); !strings.Contains(notes, "the pages and 1 field widgets") || !strings.Contains(notes, "removed: 3 barcode form field widgets") {
		t.Errorf("notes %q: want 1 fallback field, 3 barcodes removed", notes)
	}
}
