package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// A page whose fonts cannot be read as text (a Type 3 font of generated
// glyph names, "Tamsin Everard"), mixed with a readable font holding a
// deny-listed surname: court and supervision (images: ocr) write it as an
// image of the page, and neither name survives in pdftotext's reading of
// the output, in qpdf's uncompressed objects, nor in tesseract's reading
// of the output page rendered by pdftoppm; the page's other words stay
// readable, and the report says the page was written as an image.
func TestPDFPageReadAsImage(t *testing.T) {
	ocrtest.Require(t)
	needPdftotext(t)
	in, err := pdftest.Type3Page("Statement of Tamsin Everard", " BT /F2 14 Tf 72 640 Td 20 TL (The witness, Orsolya Quillanby, was present.) ' "+
		"(The statement was taken at the office on the second visit.) ' (It was read back to the witness and signed on each page.) ' "+
		"(The account covers the events of the evening in question.) ' ET")
	if err != nil {
		t.Fatal(err)
	}
	gone := []string{"Everard", "Quillanby"}
	for _, profile := range []string{"court", "supervision"} {
		p, err := profiles.Load(profile)
		if err != nil {
			t.Fatal(err)
		}
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, Secrets: testKeys(t), Year: testYear, DenyList: gone})
		if err != nil {
			t.Fatal(err)
		}
		out, rec := e.Redact(context.Background(), "statement.pdf", in)
		if out == nil || rec.Status != "redacted" {
			t.Fatalf("%s: %s %s (%s)", profile, rec.Status, rec.Reason, rec.Detail)
		}
		if !strings.Contains(strings.Join(rec.Notes, "\n"), "page 1 written as an image: its fonts cannot be read as text") {
			t.Errorf("%s: notes %q", profile, rec.Notes)
		}
		dir := t.TempDir()
		f := filepath.Join(dir, "out.pdf")
		os.WriteFile(f, out, 0o600)
		text, err := exec.Command("pdftotext", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command("qpdf", "--qdf", "--object-streams=disable", f, filepath.Join(dir, "q.pdf")).CombinedOutput(); err != nil {
			t.Fatalf("qpdf: %v %s", err, b)
		}
		raw, _ := os.ReadFile(filepath.Join(dir, "q.pdf"))
		for _, g := range gone {
			if bytes.Contains(bytes.ToLower(text), []byte(strings.ToLower(g))) || bytes.Contains(bytes.ToLower(raw), []byte(strings.ToLower(g))) {
				t.Errorf("%s: %q in pdftotext's reading or qpdf's objects", profile, g)
			}
		}
		if b, err := exec.Command("pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", f, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, b)
		}
		png, _ := os.ReadFile(filepath.Join(dir, "p.png"))
		pages, err := ocr.Default().RecognizeFile(context.Background(), png, ocr.Options{Mode: ocr.ModeSparse})
		if err != nil || len(pages) != 1 {
			t.Fatalf("tesseract: %v", err)
		}
		var words []string
		for _, w := range pages[0].Words() {
			words = append(words, w.Text)
		}
		for _, m := range ocr.NewFuzzy(gone, 0.25).Find(words) {
			t.Errorf("%s: %q read on the output page (distance %.2f)", profile, gone[m.Value], m.Dist)
		}
		if len(ocr.NewFuzzy([]string{"present", "Statement", "evening", "signed"}, 0.25).Find(words)) < 4 {
			t.Errorf("%s: the page's other words are lost: %q", profile, words)
		}
	}
}
