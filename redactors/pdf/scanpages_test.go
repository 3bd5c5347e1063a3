package pdf

import (
	"bytes"
	"context"
	"errors"
	"image"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// signedFiling is a born-digital filing of three pages whose second page
// is a scanned signed declaration about p (an image and no text at all).
func signedFiling(p ocrtest.Person, scan *image.Gray) []byte {
	return pdftest.Mixed(
		pdftest.Page{Lines: []string{"Motion for leave to file the declaration of " + p.Name() + ".", "The declaration is attached as the next page."}},
		pdftest.Page{Image: scan},
		pdftest.Page{Lines: []string{"Respectfully submitted by counsel.", "Dated this day in chambers."}},
	)
}

// wordsKept counts the words of body that appear among words.
func wordsKept(body string, words []string) (kept, all int) {
	seen := map[string]bool{}
	for _, w := range words {
		seen[strings.ToLower(strings.Trim(w, ".,;:"))] = true
	}
	for _, w := range strings.Fields(strings.ToLower(body)) {
		all++
		if seen[strings.Trim(w, ".,;:")] {
			kept++
		}
	}
	return kept, all
}

// TestScannedPageInTextPDF is issue 20's image-only page inside a file
// with text: under ImagesOCR the scanned declaration page is read by OCR,
// its values blanked in the pixels, the text pages redacted as text, the
// page count kept; an independent reading of the rendered output page
// (pdftoppm at 300 dpi, tesseract) reads none of the values and the
// declaration's prose still; PixelLeaks finds nothing, and finds the name
// when it is left on the scan.
func TestScannedPageInTextPDF(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(61)
	ids := []string{p.Name(), p.Street, p.City, p.DOB, p.Phone}
	in := signedFiling(p, ocrtest.Declaration(p, 200).Img)
	doc, err := ocrFormat(ImagesDrop).Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.(*Document)
	var scan *redactors.Part
	for i, pt := range d.Parts() {
		if pt.Name == "page 2, image 1" {
			scan = &d.Parts()[i]
		}
	}
	if scan == nil || scan.Page != 2 {
		t.Fatalf("no part for the scanned page: %s", partsText(d))
	}
	if n := len(ocr.NewFuzzy([]string{p.Name(), p.Phone}, 0).Find(strings.Fields(scan.Text))); n < 2 {
		t.Fatalf("%d of 2 values in the OCR text", n)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, ocrtest.Oracle(d.Parts(), ids, "[REDACTED]")); err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(d.Notes(), "\n")
	for _, want := range []string{"page 2: no text layer (a scanned page): 1 image read by OCR", "page 2, image 1: OCR (eng) read", "regions blanked"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, p.Family) {
		t.Error("a note names the person")
	}
	j := judgeRead(t, out.Bytes())
	if strings.Contains(j.pdftotext, p.Family) || !strings.Contains(j.pdftotext, "Respectfully submitted") {
		t.Errorf("text pages: %q", j.pdftotext)
	}
	if n := pdfinfoPages(t, out.Bytes()); n != 3 {
		t.Errorf("the output has %d pages, want 3", n)
	}
	words := pageWordsAt(t, out.Bytes(), 2)
	for _, m := range ocr.NewFuzzy(append(ids, p.Family, p.Given), 0.25).Find(words) {
		t.Errorf("value %d read again on the rendered page (distance %.2f)", m.Value, m.Dist)
	}
	if kept, all := wordsKept(ocrtest.DeclarationBody, words); kept < all*95/100 {
		t.Errorf("declaration prose: %d of %d words readable", kept, all)
	}
	ctx := context.Background()
	if where, err := d.PixelLeaks(ctx, out.Bytes(), ids); err != nil || len(where) > 0 {
		t.Errorf("PixelLeaks on the output: %v %v", where, err)
	}
	// Left on the scan, the name is found by the checker. It is left
	// everywhere: a value removed anywhere in the document is blanked on
	// every image where verification's readings read it (rereadImages).
	if where := leftOnScan(t, ocrFormat(ImagesDrop), in, ids, p.Given, 0); len(where) != 1 {
		t.Errorf("PixelLeaks on an output that shows the name: %v", where)
	}
}

// leftOnScan redacts in with the oracle's edits of ids except those that
// hold word on page (0: any page), and returns what PixelLeaks finds on
// the output.
func leftOnScan(t *testing.T, f Format, in []byte, ids []string, word string, page int) []string {
	t.Helper()
	d, err := f.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	var less []redactors.Edit
	for _, e := range ocrtest.Oracle(d.Parts(), ids, "[REDACTED]") {
		pt := d.Parts()[e.Part]
		if (page != 0 && pt.Page != page) || !strings.Contains(pt.Text[e.Start:e.End], word) {
			less = append(less, e)
		}
	}
	var out bytes.Buffer
	if err := d.Redact(&out, less); err != nil {
		t.Fatal(err)
	}
	where, err := d.(*Document).PixelLeaks(context.Background(), out.Bytes(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return where
}

// pdfinfoPages is the page count pdfinfo reads.
func pdfinfoPages(t *testing.T, data []byte) int {
	t.Helper()
	cmd := exec.Command(judgeTool(t, "pdfinfo"), "-")
	cmd.Stdin = bytes.NewReader(data)
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
			n := 0
			for _, c := range f[1] {
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	t.Fatal("pdfinfo: no page count")
	return 0
}

// TestScannedPagePolicies: what happens to a page of images only when its
// image is not read. Without OCR (ImagesDrop, ImagesQuarantine) the file
// is refused no_text naming the page and the setting that reads it; under
// ImagesOCR a picture OCR reads nothing on is written blank with a note
// naming the page (Unread drop) or refuses the file (Unread quarantine); a
// file of scanned pages only is refused for redactors/pdfscan.
func TestScannedPagePolicies(t *testing.T) {
	p := ocrtest.NewPerson(62)
	letter := signedFiling(p, ocrtest.Declaration(p, 150).Img)
	for _, pol := range []ImagePolicy{ImagesDrop, ImagesQuarantine} {
		_, err := New(Options{Images: pol}).Parse(letter)
		if !errors.Is(err, redactors.ErrNoText) || !strings.Contains(err.Error(), "page 2") || !strings.Contains(err.Error(), "images: ocr") {
			t.Errorf("policy %d: error %v, want no_text naming page 2 and images: ocr", pol, err)
		}
	}
	scanOnly := pdftest.Mixed(pdftest.Page{Image: ocrtest.Declaration(p, 150).Img}, pdftest.Page{Image: ocrtest.Declaration(p, 150).Img})
	if _, err := ocrFormat(ImagesDrop).Parse(scanOnly); !errors.Is(err, redactors.ErrNoText) {
		t.Errorf("a file of scanned pages only: %v, want no_text (redactors/pdfscan reads it)", err)
	}
	requireOCR(t)
	// A photograph-like page: noise OCR reads nothing on.
	pic := image.NewGray(image.Rect(0, 0, 600, 800))
	r := rand.New(rand.NewPCG(3, 4))
	for i := range pic.Pix {
		pic.Pix[i] = uint8(r.IntN(256))
	}
	photo := signedFiling(p, pic)
	doc, err := ocrFormat(ImagesDrop).Parse(photo)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(doc.(*Document).Notes(), "\n")
	if !strings.Contains(notes, "page 2: no text layer (a scanned page): OCR read no text on it") || !strings.Contains(notes, "1 image written blank") {
		t.Errorf("notes:\n%s", notes)
	}
	var out bytes.Buffer
	if err := doc.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	if n := pdfinfoPages(t, out.Bytes()); n != 3 {
		t.Errorf("the output has %d pages, want 3", n)
	}
	for _, g := range grayImages(t, out.Bytes()) {
		if g.Bounds().Dx() > 1 {
			t.Errorf("an image of %v is still drawn", g.Bounds())
		}
	}
	if _, err := ocrFormat(ImagesQuarantine).Parse(photo); !errors.Is(err, redactors.ErrNoText) || !strings.Contains(err.Error(), "page 2") {
		t.Errorf("unread quarantine: %v, want no_text naming page 2", err)
	}
}
