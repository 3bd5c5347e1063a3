package pipeline_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// TestImageEndToEnd runs a scanned referral (PNG) through the batch runner
// with the research profile: the detectors work on the OCR text, the
// image is blanked and verified, and an independent OCR reading of the
// written file finds none of the person's identifiers.
func TestImageEndToEnd(t *testing.T) {
	if err := ocr.Default().Check(nil); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("OCR is required under CI (scripts/setup installs tesseract-ocr): %v", err)
		}
		t.Skipf("no OCR: %v", err)
	}
	p := ocrtest.NewPerson(5)
	s := ocrtest.Referral(p, 150)
	var b bytes.Buffer
	if err := png.Encode(&b, s.Img); err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "scan.png"), b.Bytes(), 0o644)
	out, rep, _, totals := runFolder(t, "research", src, pipeline.Options{})
	if totals.Redacted != 1 || totals.NotWritten() != 0 {
		t.Fatalf("totals %+v\n%s", totals, rep["report.json"])
	}
	data, err := os.ReadFile(filepath.Join(out, "scan.png"))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := ocr.Default().RecognizeFile(context.Background(), data, ocr.Options{Mode: ocr.ModeSparse})
	if err != nil || len(pages) != 1 {
		t.Fatalf("independent reading: %v", err)
	}
	var words []string
	for _, w := range pages[0].Words() {
		words = append(words, w.Text)
	}
	for _, m := range ocr.NewFuzzy(p.Identifiers(), 0.25).Find(words) {
		t.Errorf("identifier %d readable in the output", m.Value)
	}
	text := strings.Join(words, " ")
	for _, keep := range []string{"sertraline", "cognitive", "appetite"} {
		if !strings.Contains(text, keep) {
			t.Errorf("clinical word %q lost", keep)
		}
	}
	js := string(rep["report.json"])
	if !strings.Contains(js, `"format":"image"`) || !strings.Contains(js, "mean confidence") {
		t.Errorf("report lacks the image format or the OCR note:\n%s", js)
	}
	for _, id := range p.Identifiers() {
		if strings.Contains(js, id) {
			t.Errorf("report holds an identifier")
		}
	}
}
