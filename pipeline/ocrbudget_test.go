package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// ocrFiling is a two-page filing with a text layer, each page with a
// scanned card about p drawn on it.
func ocrFiling(p ocrtest.Person) []byte {
	var pages []pdftest.Page
	for i, l := range []string{"Telephone: " + p.Phone, "Email: " + p.Email} {
		s := ocrtest.NewSheet(6, 1.5, 200)
		s.Line(20, 30, ocrtest.Style{Size: 12}, "Intake card")
		s.Line(20, 60, ocrtest.Style{Size: 12}, l)
		s.Line(20, 90, ocrtest.Style{Size: 12}, "Seen for poor sleep and low mood.")
		pages = append(pages, pdftest.Page{Lines: []string{"Exhibit to the declaration, page " + string(rune('1'+i)) + "."}, Image: s.Img})
	}
	return pdftest.Mixed(pages...)
}

// ocrRun runs a profile that reads images by OCR over one filing with a
// file budget and a budget per OCR page, and returns its record.
func ocrRun(t *testing.T, data []byte, timeout, perPage time.Duration) report.File {
	t.Helper()
	src, out := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "filing.pdf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := profiles.Parse([]byte("name: scans\nextends: supervision\nimages: ocr\n"), "scans.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, _ := report.NewBuilder()
	defer rb.Close()
	err = pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 1,
		FileTimeout: timeout, OCRPageTimeout: perPage, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := rb.WriteJSON(&js, report.Meta{}); err != nil {
		t.Fatal(err)
	}
	var rep struct{ Files []report.File }
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil || len(rep.Files) != 1 {
		t.Fatalf("report: %v, %d files", err, len(rep.Files))
	}
	return rep.Files[0]
}

// The file budget grows with the pages OCR reads: a filing whose two
// scanned cards take OCR seconds is too slow for a budget of a quarter of
// a second by its bytes alone, and is redacted (its telephone number and
// email address found in the images, verified by reading the output's
// images again) when every OCR page adds to it.
func TestFileBudgetGrowsWithOCRPages(t *testing.T) {
	ocrtest.Require(t)
	data := ocrFiling(ocrtest.NewPerson(61))
	const small = 250 * time.Millisecond
	if rec := ocrRun(t, data, small, -1); rec.Reason != "too_slow" {
		t.Errorf("bytes-only budget: status %s reason %q, want too_slow", rec.Status, rec.Reason)
	}
	rec := ocrRun(t, data, small, 30*time.Second)
	if rec.Status != report.StatusRedacted {
		t.Fatalf("budget grown by OCR pages: status %s reason %q %s", rec.Status, rec.Reason, rec.Detail)
	}
	if len(rec.Changes) < 2 {
		t.Errorf("%d changes, want the telephone number and the email address in the images", len(rec.Changes))
	}
}
