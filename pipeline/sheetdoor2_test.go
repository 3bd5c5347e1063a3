package pipeline_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestExtensionNamespaceKept: the namespace URI of x14 extensions' xm
// prefix (http://schemas.microsoft.com/office/excel/2006/main), which
// vocabulary.txt does not list, is structure of the Microsoft extension
// family, not a URL for the detectors: under supervision and research it
// stays, so that the x14 data validation whose list lies on another sheet
// still works. Judged by unzipping the output and by LibreOffice Calc,
// which reads the validation back and writes it again (session
// sheetdoor2, issue 13). Before, xmlns:xm became "[url]".
func TestExtensionNamespaceKept(t *testing.T) {
	const xm = `xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"`
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "book.xlsx"), xlsxtest.ContextFree(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, profile := range []string{"supervision", "research"} {
		t.Run(profile, func(t *testing.T) {
			out, rep, _, totals := runFolder(t, profile, src, pipeline.Options{})
			if totals.NotWritten() != 0 {
				t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
			}
			b, err := os.ReadFile(filepath.Join(out, "book.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			book := unzipAll(t, b)
			if !strings.Contains(book, xm) {
				t.Errorf("the output lacks %s", xm)
			}
			if strings.Contains(book, "[url]") || strings.Contains(book, "[URL]") {
				t.Errorf("a URL replacement in the workbook")
			}
			if profile != "supervision" {
				return
			}
			// LibreOffice reads the x14 validation (a list on another
			// sheet) and writes it back as a validation of B1 on Sheet2
			soffice := needTool(t, "soffice", "libreoffice")
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "in.xlsx"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
				"--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", filepath.Join(dir, "lo"), filepath.Join(dir, "in.xlsx"))
			if o, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("soffice: %v\n%s", err, o)
			}
			lo, err := os.ReadFile(filepath.Join(dir, "lo", "in.xlsx"))
			if err != nil {
				t.Fatalf("LibreOffice wrote nothing: %v", err)
			}
			if s := unzipAll(t, lo); !strings.Contains(s, "Sheet1!$E$3:$E$4") {
				t.Errorf("LibreOffice did not read the extension's validation (%d validations in its output)", strings.Count(s, "dataValidation "))
			}
		})
	}
}
