package pipeline

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// Verify of a scan under maximum recall skips OCR's reading of the boxes
// Redact drew (labels, slivers of blanked glyphs: images.OCRNoise), and
// still refuses a real value left next to a box: a family name whose
// given name alone was blanked, and a number beside a blanked name. Only
// re-detection is tested here (no removed values to search for), with the
// research profile's whole chain on real Tesseract output, for the scan
// as an image file, as a picture inside a DOCX (docx.OCRNoise), and as
// an image in a PDF with a text layer (pdf.OCRNoise).
func TestVerifyOCRNoiseKeepsRealLeftovers(t *testing.T) {
	ocrtest.Require(t)
	const (
		given, family, number = "Orsolya", "Quillanby", "48213377"
	)
	s := ocrtest.NewSheet(8.5, 4, 200)
	s.Line(72, 72, ocrtest.Style{Size: 14, Bold: true}, "Referral for assessment")
	s.Line(72, 110, ocrtest.Style{Size: 12}, "Patient: "+given+" "+family+" "+number)
	s.Para(72, 140, 460, ocrtest.Style{Size: 12}, "Thank you for seeing this patient, who reports poor sleep over the past three months.")
	var img bytes.Buffer
	if err := png.Encode(&img, s.Img); err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name string
		data []byte
	}{
		{"scan.png", img.Bytes()},
		{"letter.docx", docxtest.WithImages(`<w:p><w:r><w:t>The referral we received is pasted below.</w:t></w:r></w:p>`, docxtest.Media{Name: "image1.png", Data: img.Bytes()})},
		{"filing.pdf", pdftest.Mixed(pdftest.Page{Lines: []string{"Notice of filing.", "The scanned letter on the next page is filed as an exhibit."}}, pdftest.Page{Image: s.Img})},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) { verifyOCRNoiseCase(t, f.name, f.data, given, family, number) })
	}
}

// verifyOCRNoiseCase is TestVerifyOCRNoiseKeepsRealLeftovers for one file
// that shows given, family and number in pixels.
func verifyOCRNoiseCase(t *testing.T, name string, data []byte, given, family, number string) {
	e, d := planScan(t, "research", name, data, "verify OCR noise test key, not a secret")
	ctx := context.Background()
	pi := -1 // the part of the picture's text
	for k, part := range d.parts {
		if strings.Contains(part.Text, family) {
			pi = k
		}
	}
	if pi < 0 {
		t.Fatalf("OCR of the input does not read the drawn name (%d parts)", len(d.parts))
	}
	in := d.parts[pi].Text
	at := func(w string) (int, int) {
		i := strings.Index(in, w)
		if i < 0 {
			t.Fatalf("OCR of the input does not read a drawn word (%d bytes read)", len(in))
		}
		return i, i + len(w)
	}
	gs, ge := at(given)
	fs, fe := at(family)
	ns, ne := at(number)
	covers := func(ed redactors.Edit, s, e int) bool { return ed.Part == pi && ed.Start < e && ed.End > s }
	for _, w := range [][2]int{{gs, ge}, {fs, fe}, {ns, ne}} {
		ok := false
		for _, ed := range d.edits {
			ok = ok || covers(ed, w[0], w[1])
		}
		if !ok {
			t.Fatalf("the plan leaves a drawn value at %d–%d", w[0], w[1])
		}
	}

	// verify redacts the input with edits (a Document of its own: a PDF
	// is redacted once), parses the output and returns the first
	// re-detected leftover's text.
	verify := func(t *testing.T, edits []redactors.Edit) (string, error) {
		t.Helper()
		d := e.Analyze(ctx, name, data)
		e.Plan(d)
		if d.err != nil || len(d.parts) <= pi || d.parts[pi].Text != in {
			t.Fatalf("analysed again, the input reads otherwise (%v)", d.err)
		}
		vi := d.verifyInput()
		vi.edits, vi.removed = edits, nil
		var out bytes.Buffer
		if err := d.doc.Redact(&out, edits); err != nil {
			t.Fatalf("redact: %v", err)
		}
		od, err := redactors.Parse(ctx, d.format, out.Bytes())
		if err != nil {
			t.Fatalf("parse the output: %v", err)
		}
		ls, err := e.verifier.leftovers(ctx, od, out.Bytes(), vi)
		if err != nil || len(ls) == 0 {
			return "", err
		}
		if ls[0].Kind != Redetected {
			t.Fatalf("leftover of kind %d", ls[0].Kind)
		}
		for _, p := range od.Parts() {
			if p.Name == ls[0].Part {
				return p.Text[ls[0].Start:ls[0].End], nil
			}
		}
		t.Fatalf("leftover in an unknown part")
		return "", nil
	}

	// The plan's own edits: the output passes, although OCR reads the
	// labels in the boxes.
	if got, err := verify(t, d.edits); err != nil || got != "" {
		t.Fatalf("the plan's output: leftover %q, %v", got, err)
	}

	// The name blanked up to the given name only: the family name stands
	// right of the box.
	var short, noNumber []redactors.Edit
	for _, ed := range d.edits {
		if covers(ed, gs, ge) && ed.End > ge {
			ed.End = ge
		}
		short = append(short, ed)
		ed = d.edits[len(short)-1]
		if covers(ed, ns, ne) {
			// keep what the edit covers before the number
			if ed.Start >= fe {
				continue
			}
			ed.End = fe
		}
		noNumber = append(noNumber, ed)
	}
	got, err := verify(t, short)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, family[1:len(family)-1]) {
		t.Errorf("family name beside the box: leftover %q, want the name", got)
	}
	// The number's edit dropped: it stands right of the name's box.
	got, err = verify(t, noNumber)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, number[1:len(number)-1]) {
		t.Errorf("number beside the box: leftover %q, want the number", got)
	}
}
