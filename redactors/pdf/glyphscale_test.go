package pdf

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/poppler"
)

// thinParen is a Type 3 glyph procedure drawing a bracket as a 1-bit
// bitmap of 10 × 45 samples, a stroke two or three samples wide (as
// scanned documents' bracket fonts do), in a glyph space of 100 units an em: the
// FontMatrix of smallEmFont makes it about half an em tall. closing
// mirrors it.
func thinParen(closing bool) string {
	var bits []byte
	for y := 0; y < 45; y++ {
		// The stroke's left column: at the left in the middle, bowing
		// to the right at the ends; three samples wide in the middle
		// half, two at the ends.
		d := float64(y-22) / 22
		x0 := int(1 + 7*d*d + 0.5)
		w := 2
		if d*d < 0.25 {
			w = 3
		}
		row := []byte{0xff, 0xff} // 1: not painted (Decode [0 1] of an image mask)
		for c := x0; c < x0+w && c < 10; c++ {
			if closing {
				c := 9 - c
				row[c/8] &^= 0x80 >> (c % 8)
				continue
			}
			row[c/8] &^= 0x80 >> (c % 8)
		}
		bits = append(bits, row...)
	}
	return fmt.Sprintf("13 0 1 -10 12 35 d1 q 10 0 0 45 1 -10 cm BI /W 10 /H 45 /BPC 1 /IM true /F /AHx ID %X> EI Q", bits)
}

// smallEmDoc is a page that shows "(Tamsin Everard)" with the brackets in
// a Type 3 font of bitmap glyphs with generated names (G1, G2), no
// ToUnicode, a glyph space of about 79 units an em (FontMatrix 0.0127)
// and drawn at 19 pt beside 9 pt text: the brackets are half an em tall.
func smallEmDoc(procs [2]string) []byte {
	return pagesDoc([]string{"BT /F2 9.36 Tf 100 600 Td (Tamsin Everard) Tj ET BT /F1 18.96 Tf 91 600.2 Td <01> Tj ET BT /F1 18.96 Tf 166 600.2 Td <02> Tj ET"}, func(b *builder) string {
		g1 := b.add(stream("", []byte(procs[0]), false))
		g2 := b.add(stream("", []byte(procs[1]), false))
		return fmt.Sprintf(`<< /Font << /F2 %s /F1 << /Type /Font /Subtype /Type3 /FontBBox [1 -10 12 35] /FontMatrix [0.0127 0 0 0.0127 0 0]
  /CharProcs << /G1 %d 0 R /G2 %d 0 R >> /Encoding << /Type /Encoding /Differences [1 /G1 /G2] >> /Resources << /ProcSet [/PDF /ImageB] >>
  /FirstChar 1 /LastChar 2 /Widths [13 13] >> >> >>`, helvFont, g1, g2)
	}, nil)
}

// Bitmap brackets of a Type 3 font whose em is large (the producer's
// FontMatrix) are half an em tall: on the glyph sheet a few thin pixels
// that OCR read as letters, so the page was uninspectable (pdf37, the
// cause of itu-t81's pages read as images; refused at 4a8049e). Drawn
// with the font's tallest glyph at an em they are read as marks, and the
// page is text: no renderer is given, so a page that had to be read as an
// image would be refused. The same small em does not make letters marks:
// Go Regular's letters in the same font matrix stay unread.
func TestGlyphOCRSmallEm(t *testing.T) {
	ocrtest.Require(t)
	noRender := Options{Images: ImagesOCR, Poppler: poppler.New("veil-no-such-pdftoppm", "")}
	t.Run("brackets read as marks", func(t *testing.T) {
		doc, err := New(noRender).Parse(smallEmDoc([2]string{thinParen(false), thinParen(true)}))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		text := doc.Parts()[0].Text
		if !strings.Contains(text, "Tamsin Everard") || strings.ContainsAny(strings.ReplaceAll(text, "Tamsin Everard", ""), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
			t.Errorf("page text %q: want the name and the brackets as marks, no letter", text)
		}
	})
	t.Run("letters stay unread", func(t *testing.T) {
		in := type3DocMatrix(t, true, "0.0005")
		_, err := New(noRender).Parse(in)
		if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "glyph OCR") {
			t.Fatalf("error %v, want uninspectable: glyph OCR takes marks only", err)
		}
	})
}

// A Type 3 glyph enlarged to an em is taken as a mark only when it reads
// as a bracket: the safety reviewer of pdf37 found a lone digit of such a
// font (Go Regular's "7", also "8", as a bitmap, in FontMatrix 0.0008 and
// 0.001) read as a mark and accepted after the enlargement, where it was
// refused before: inside an identifier the digit went and the identifier
// was not detected (pdffix37). Refused again, with the reason.
func TestGlyphOCRGrownDigit(t *testing.T) {
	ocrtest.Require(t)
	noRender := Options{Images: ImagesOCR, Poppler: poppler.New("veil-no-such-pdftoppm", "")}
	for _, digit := range []string{"7", "8"} {
		for _, k := range []string{"0.0008", "0.001"} {
			t.Run(digit+" "+k, func(t *testing.T) {
				doc, err := New(noRender).Parse(type3DocText(t, true, k, digit))
				if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "glyph OCR") {
					text := ""
					if doc != nil {
						text = doc.Parts()[0].Text
					}
					t.Fatalf("error %v (page text %q), want uninspectable: glyph OCR takes marks only", err, text)
				}
			})
		}
	}
}
