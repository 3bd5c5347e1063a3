package pipeline_test

import (
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// TestPDFMosaic: a picture cut into strips, each its own image, drawn
// edge to edge (redactors/pdf/mosaic.go). Read strip by strip, a name
// across strips of 3 or 8 rows was read by nobody and the file was
// written with the name legible, verified (issue 19, found on
// CenterOfWhy's diagram of 43 strips). Now the strips are read together:
// the deny-listed name is removed from every strip it crosses, or the file
// is not written; never written with it legible. The judge is pdftoppm +
// tesseract on the output page.
func TestPDFMosaic(t *testing.T) {
	tools := []string{needTool(t, "pdftoppm"), needTool(t, "tesseract")}
	s := ocrtest.NewSheet(4, 0.6, 150)
	s.Line(10, 28, ocrtest.Style{Size: 16}, "Witness Tamsin Quillanby")
	name := regexp.MustCompile(`(?i)quill|anby`)
	for _, rows := range []int{3, 8} {
		t.Run(fmt.Sprintf("strips of %d rows", rows), func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, "m.pdf"), pdftest.Strips(s.Img, 150, rows, "Statement of the witness follows"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{
				DenyLists: []pipeline.DenyList{{Terms: []string{"Quillanby"}}}, NoNER: true,
			})
			if totals.Redacted == 0 {
				if rows == 8 {
					t.Fatalf("not written: %s", rep["report.json"])
				}
				if !strings.Contains(string(rep["report.json"]), `"quarantined"`) {
					t.Fatalf("not written and not quarantined: %s", rep["report.json"])
				}
				t.Logf("not written (fail closed): %s", rep["report.json"])
				return
			}
			png := filepath.Join(t.TempDir(), "p")
			if b, err := exec.Command(tools[0], "-r", "300", "-gray", "-png", filepath.Join(out, "m.pdf"), png).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, b)
			}
			text, err := exec.Command(tools[1], png+"-1.png", "-").Output()
			if err != nil {
				t.Fatalf("tesseract: %v", err)
			}
			if name.Match(text) || !regexp.MustCompile(`Witness`).Match(text) {
				t.Errorf("OCR of the output reads %q: want the name gone, Witness kept", text)
			}
		})
	}
}

// TestPDFMosaicPieces: the sheet of TestPDFMosaic cut into pieces that are
// not a mosaic (columns of 8 or 24 pixels; strips of 8 or 3 rows whose
// pixel widths alternate w, w-1), drawn edge to edge. Read piece by piece,
// each was a picture without text and the file was written with the name
// legible (safety review, issue 19). The page is read as an image
// (redactors/pdf raster.go): rendered and read whole, so the name is read
// across the pieces; the file is written with the name gone from
// tesseract's reading of the output, the page's text line kept. A
// quarantine (refusing the file, as before) fails the test.
func TestPDFMosaicPieces(t *testing.T) {
	tools := []string{needTool(t, "pdftoppm"), needTool(t, "tesseract")}
	s := ocrtest.NewSheet(4, 0.6, 150)
	s.Line(10, 28, ocrtest.Style{Size: 16}, "Witness Tamsin Quillanby")
	name := regexp.MustCompile(`(?i)quill|anby`)
	w, h := s.Img.Bounds().Dx(), s.Img.Bounds().Dy()
	for _, c := range []struct {
		name string
		cut  []image.Rectangle
	}{
		{"columns of 8", pdftest.Columns(w, h, 8)},
		{"columns of 24", pdftest.Columns(w, h, 24)},
		{"ragged strips of 8", pdftest.RaggedStrips(w, h, 8)},
		{"ragged strips of 3", pdftest.RaggedStrips(w, h, 3)},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, "m.pdf"), pdftest.Pieces(s.Img, 150, c.cut, "Statement of the witness follows"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{
				DenyLists: []pipeline.DenyList{{Terms: []string{"Quillanby"}}}, NoNER: true,
			})
			if name.Match(rep["report.json"]) {
				t.Fatalf("the report names the value: %s", rep["report.json"])
			}
			if totals.Redacted != 1 {
				t.Fatalf("not written: %s", rep["report.json"])
			}
			png := filepath.Join(t.TempDir(), "p")
			if b, err := exec.Command(tools[0], "-r", "300", "-gray", "-png", filepath.Join(out, "m.pdf"), png).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, b)
			}
			text, err := exec.Command(tools[1], png+"-1.png", "-").Output()
			if err != nil {
				t.Fatalf("tesseract: %v", err)
			}
			if name.Match(text) || !regexp.MustCompile(`Statement`).Match(text) {
				t.Errorf("OCR of the output reads %q: want the name gone, the page's text line kept", text)
			}
		})
	}
}
