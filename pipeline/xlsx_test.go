package pipeline_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// unzipAll reads every entry of a zip, raw and with references decoded,
// as an adversary would.
func unzipAll(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("output is no zip: %v", err)
	}
	var s strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		s.WriteString(f.Name + "\n" + string(x) + "\n" + html.UnescapeString(string(x)) + "\n")
	}
	return s.String()
}

// TestXLSXRun runs veil over a folder with the Done-when workbook (a
// hidden sheet, comments, a pivot table and a chart over the patients, a
// formula concatenating a name, SSNs stored as numbers and birth dates as
// serials), as excelize writes it and as LibreOffice Calc saves it, under
// the research and court profiles; every entry of the outputs is unzipped
// and searched.
func TestXLSXRun(t *testing.T) {
	wb, err := xlsxtest.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	lo, err := os.ReadFile("../redactors/xlsx/testdata/done-when-libreoffice.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for name, b := range map[string][]byte{"intake.xlsx": wb, "intake-calc.xlsx": lo} {
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, profile := range []string{"research", "court"} {
		t.Run(profile, func(t *testing.T) {
			out, rep, _, _ := runFolder(t, profile, src, pipeline.Options{})
			var r struct {
				Files []struct {
					Key, Status, Reason, Detail string
				} `json:"files"`
			}
			if err := json.Unmarshal(rep["report.json"], &r); err != nil {
				t.Fatal(err)
			}
			for _, f := range r.Files {
				if f.Status != "redacted" && f.Status != "written" {
					t.Errorf("%s: %s %s %s", f.Key, f.Status, f.Reason, f.Detail)
				}
			}
			for _, name := range []string{"intake.xlsx", "intake-calc.xlsx"} {
				b, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Errorf("%s not written: %v", name, err)
					continue
				}
				seen := unzipAll(t, b)
				gone := xlsxtest.Serials()
				for _, p := range xlsxtest.People {
					gone = append(gone, fmt.Sprint(p.SSN))
					if profile == "research" {
						gone = append(gone, p.Name, strings.Fields(p.Name)[1])
					}
				}
				if profile == "research" {
					gone = append(gone, "Hollisande Brack", "Feverbrook", "Tarrowby", "1984-03-12")
				}
				for _, s := range gone {
					if strings.Contains(seen, s) {
						t.Errorf("%s (%s): %q survives in the output", name, profile, s)
					}
				}
				if profile == "court" && !strings.Contains(seen, "7781") {
					t.Errorf("%s: the court profile keeps the last four digits of an SSN, not found", name)
				}
			}
		})
	}
}
