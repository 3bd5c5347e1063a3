package pdf

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// g4 encodes g as CCITT G4 with tiffcp (ocrtest.G4); it fails under CI
// without tiffcp and skips elsewhere.
func g4(t testing.TB, g *image.Gray) []byte {
	t.Helper()
	_, strip, err := ocrtest.G4(g, 200, 200)
	if errors.Is(err, exec.ErrNotFound) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("tiffcp is required under CI (scripts/setup installs libtiff-tools): %v", err)
		}
		t.Skipf("tiffcp not installed; run scripts/setup")
	}
	if err != nil {
		t.Fatal(err)
	}
	return strip
}

// inlineImage returns an inline image of g drawn at (90, 400), 432
// points wide: "flate" (8-bit grey, /F /Fl), "hex" (8-bit grey in ASCII
// hex, no other filter), "dct" (a grey JPEG), "g4" (1 bit, CCITT G4 from
// tiffcp, the image's /D reading 0 as white as a fax does), "indexed" (a
// two-colour palette named in the resources /ColorSpace).
func inlineImage(t testing.TB, g *image.Gray, enc string) string {
	t.Helper()
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	var dict string
	var data []byte
	switch enc {
	case "flate", "indexed":
		pix := g.Pix
		if enc == "indexed" {
			pix = make([]byte, len(g.Pix))
			for i, v := range g.Pix {
				if v >= 128 {
					pix[i] = 1
				}
			}
		}
		z := stream("", pix, true)
		start := strings.Index(z, "stream\n") + len("stream\n")
		data = []byte(z[start : len(z)-len("\nendstream")])
		dict = fmt.Sprintf("/W %d /H %d /CS /G /BPC 8 /F /Fl", w, h)
		if enc == "indexed" {
			dict = fmt.Sprintf("/W %d /H %d /CS /Pal /BPC 8 /F [/Fl]", w, h)
		}
	case "hex":
		data = []byte(hex.EncodeToString(g.Pix) + ">")
		dict = fmt.Sprintf("/W %d /H %d /CS /G /BPC 8 /F /AHx", w, h)
	case "dct":
		var j bytes.Buffer
		if err := jpeg.Encode(&j, g, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
		data = j.Bytes()
		dict = fmt.Sprintf("/W %d /H %d /CS /G /BPC 8 /F /DCT", w, h)
	case "g4":
		data = g4(t, g)
		dict = fmt.Sprintf("/W %d /H %d /IM false /CS /G /BPC 1 /F /CCF /DP << /K -1 /Columns %d /Rows %d /BlackIs1 false >>", w, h, w, h)
	default:
		t.Fatalf("encoding %q", enc)
	}
	ph := 432 * float64(h) / float64(w)
	return fmt.Sprintf("q 432 0 0 %s 90 %s cm BI %s ID\n%s\nEI Q", fmtNum(ph), fmtNum(620-ph), dict, data)
}

// inlineFiling is a two-page filing: page 1 has text and the card as an
// inline image; page 2 is a scanned page of one inline image only (the
// letter).
func inlineFiling(t testing.TB, card, letter *image.Gray, enc string) []byte {
	p1 := "BT /F1 12 Tf 72 720 Td (" + filingText + ") Tj ET " + inlineImage(t, card, enc)
	p2 := inlineImage(t, letter, enc)
	return pagesDoc([]string{p1, p2}, func(b *builder) string {
		return fmt.Sprintf("<< /Font << /F1 %s >> /ColorSpace << /Pal [/Indexed /DeviceGray 1 <00FF>] >> >>", helvFont)
	}, nil)
}

// TestInlineImagesOCR is issue 20's inline images: under ImagesOCR an
// inline image (Flate, ASCII hex, JPEG, CCITT G4 encoded by tiffcp, an
// indexed palette named in the resources) is read by OCR like an image
// XObject, on a page with text and as the only content of a scanned page;
// the values are blanked in its pixels, and it is written as an image
// XObject in its place so that verification reads it again: PixelLeaks
// finds nothing (and the name when it is left), an independent OCR of the
// rendered pages reads none of the values and the clinical prose still,
// pdfinfo counts the pages.
func TestInlineImagesOCR(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(63)
	ids := []string{p.Name(), p.Phone, p.MRN, p.DOB, p.Street, p.City}
	card := exhibit(p, 200).Img
	letter := ocrtest.Declaration(p, 200).Img
	for _, enc := range []string{"flate", "hex", "dct", "g4", "indexed"} {
		t.Run(enc, func(t *testing.T) {
			in := inlineFiling(t, card, letter, enc)
			doc, err := ocrFormat(ImagesQuarantine).Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			d := doc.(*Document)
			names := map[string]string{}
			for _, pt := range d.Parts() {
				names[pt.Name] = pt.Text
			}
			if !strings.Contains(names["page 1, image 1"], "Intake") || !strings.Contains(names["page 2, image 1"], "Declaration") {
				t.Fatalf("inline images not read: %s", partsText(d))
			}
			var out bytes.Buffer
			if err := d.Redact(&out, ocrtest.Oracle(d.Parts(), ids, "[REDACTED]")); err != nil {
				t.Fatal(err)
			}
			notes := strings.Join(d.Notes(), "\n")
			if !strings.Contains(notes, "page 2: no text layer (a scanned page): 1 image read by OCR") || strings.Contains(notes, "inline images removed") {
				t.Errorf("notes:\n%s", notes)
			}
			if n := pdfinfoPages(t, out.Bytes()); n != 2 {
				t.Errorf("%d pages, want 2", n)
			}
			if j := judgeRead(t, out.Bytes()); bytes.Contains(j.raw, []byte("\nBI ")) || bytes.Contains(j.raw, []byte(" BI ")) {
				t.Error("an inline image is still in the content")
			}
			for page, body := range map[int]string{1: exhibitBody, 2: ocrtest.DeclarationBody} {
				words := pageWordsAt(t, out.Bytes(), page)
				for _, m := range ocr.NewFuzzy(append(ids, p.Family, p.Given), 0.25).Find(words) {
					t.Errorf("page %d: value %d read again (distance %.2f)", page, m.Value, m.Dist)
				}
				if kept, all := wordsKept(body, words); kept < all*9/10 {
					t.Errorf("page %d: %d of %d words of the prose readable", page, kept, all)
				}
			}
			ctx := context.Background()
			if where, err := d.PixelLeaks(ctx, out.Bytes(), ids); err != nil || len(where) > 0 {
				t.Errorf("PixelLeaks on the output: %v %v", where, err)
			}
			if enc != "g4" {
				return
			}
			if where := leftOnScan(t, ocrFormat(ImagesQuarantine), in, ids, p.Given, 2); len(where) == 0 {
				t.Error("PixelLeaks does not find the name left on the scanned page")
			}
		})
	}
}

// TestInlineImageUnparsed: an inline image whose dictionary does not
// parse as an image is taken out with a note under Unread drop, and
// refuses the file under Unread quarantine; nothing is kept unread.
func TestInlineImageUnparsed(t *testing.T) {
	content := "BT /F1 12 Tf 72 720 Td (" + filingText + ") Tj ET q 100 0 0 100 90 400 cm BI /W 4 /H 4 /CS /G /BPC 8 /F /Nonsense ID\n0123456789abcdef\nEI Q"
	in := pagesDoc([]string{content}, func(b *builder) string {
		return fmt.Sprintf("<< /Font << /F1 %s >> >>", helvFont)
	}, nil)
	doc, err := ocrFormat(ImagesDrop).Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := doc.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(doc.(*Document).Notes(), "\n"); !strings.Contains(notes, "written blank") {
		t.Errorf("notes:\n%s", notes)
	}
	if j := judgeRead(t, out.Bytes()); bytes.Contains(j.raw, []byte("0123456789abcdef")) {
		t.Error("the inline image is still in the content")
	}
	if _, err := ocrFormat(ImagesQuarantine).Parse(in); err == nil {
		t.Error("Unread quarantine accepted an inline image it cannot read")
	}
}
