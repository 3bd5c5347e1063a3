package images_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// Text found only magnified: a letter page at 100 dpi in small print,
// which OCR does not read at its size and reads magnified (the
// second reading of verification would read it on the output although
// analysis never saw it). Parse reads the page magnified, Redact blanks
// the number in the image's own pixels, and verification's readings, at
// that magnification, do not read it again.
func TestTextFoundOnlyMagnified(t *testing.T) {
	ocrtest.Require(t)
	const name, number = "Tamsin Everard", "48213377"
	const small = 4.5 // points: at 100 dpi, under OCR's size
	s := ocrtest.NewSheet(8.5, 6, 100)
	s.Line(40, 40, ocrtest.Style{Size: small}, "Referral for assessment")
	s.Line(40, 60, ocrtest.Style{Size: small}, "Patient: "+name+" "+number)
	s.Para(40, 80, 460, ocrtest.Style{Size: small}, "Thank you for seeing this patient, who reports poor sleep over the past three months.")
	data := ocrtest.TIFF([]ocrtest.TIFFPage{{Img: s.Img, XDPI: 100, YDPI: 100}})
	ctx := context.Background()

	// At its own size OCR does not read the small print: what the
	// format did before.
	at1, err := ocr.Default().Recognize(ctx, s.Img, ocr.Options{DPI: 100})
	if err != nil {
		t.Fatal(err)
	}
	if fz := ocr.NewWordFuzzy([]string{name, number}, 0); len(fz.Find(texts(at1.Words()))) > 0 {
		t.Fatalf("OCR reads the small print at the image's size: the case tests nothing")
	}

	f := images.New(images.Options{})
	doc, err := redactors.Parse(ctx, f, data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	d := doc.(*images.Document)
	if d.Magnified(0) <= 1 || d.Kinds()[0] != images.PageText {
		t.Fatalf("read at %.2g×, kind %v; want the page read magnified as text", d.Magnified(0), d.Kinds()[0])
	}
	if n := d.Notes()[0]; !strings.Contains(n, "magnified") {
		t.Errorf("the notes do not say the page was read magnified: %q", n)
	}
	// The name is misread at this size (the pipeline's detectors, not
	// this oracle, would take it from its "Patient:" label): the number
	// is what the oracle finds and blanks.
	edits := ocrtest.Oracle(d.Parts(), []string{number}, label)
	if len(edits) == 0 {
		t.Fatalf("the magnified reading does not hold the number")
	}
	images.WithoutLabels(d) // bare boxes: the pixels under them all dark

	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatalf("redact: %v", err)
	}
	// Blanked in the image's pixels: every drawn word of the number is
	// under a box.
	pages := decodePages(t, out.Bytes())
	for _, v := range []string{number} {
		for _, ws := range s.Find(v) {
			if !covered(pages[0], ws) {
				t.Errorf("a drawn value is not blanked in the image's pixels: %v", ws)
			}
		}
	}
	// Verification reads the output at the magnification the input was
	// read at, and does not find the number.
	c, err := d.VerifyOutput(ctx, out.Bytes(), []string{number})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Err(images.LowConfBlank); err != nil {
		t.Errorf("verify: %v", err)
	}
	// Not yet: the pipeline's verify parses the output again by the same
	// rule, and here it reads the output as a picture at its size (its
	// magnified reading finds no readable word between the boxes), so
	// its re-detection sees nothing of the page; the removed values are
	// searched for at the input's magnification (above).

	// Where the re-reading at that magnification cannot be done, the
	// output is refused.
	_, err = f.PixelLeaksAt(ctx, out.Bytes(), []string{number}, 40)
	if !errors.Is(err, redactors.ErrUninspectable) {
		t.Errorf("a page too large to read again magnified: %v, want uninspectable", err)
	}
}

func texts(ws []ocr.Word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}
