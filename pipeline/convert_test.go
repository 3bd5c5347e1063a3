package pipeline_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// needTool returns a program the test needs; under CI=true a missing one
// fails the test (scripts/setup installs it).
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI (scripts/setup installs it)", names[0])
	}
	t.Skipf("%s not installed; run scripts/setup", names[0])
	return ""
}

// Under Bates numbering a Word document is redacted, converted to PDF
// pages, boxed and stamped; its redactions are logged on pages with their
// Bates numbers.
func TestDOCXBecomesStampedPDF(t *testing.T) {
	needTool(t, "soffice", "libreoffice")
	pdftotext := needTool(t, "pdftotext")
	src := t.TempDir()
	doc := docxtest.Doc{Body: docxtest.P("Settlement memorandum, March 3, 2025") +
		docxtest.P("The Brightwater tender remains open.") +
		docxtest.P("Claimant SSN 123-45-6789 on file.")}.Build()
	os.WriteFile(filepath.Join(src, "memo.docx"), doc, 0o644)
	out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{NoNER: true,
		DenyLists: []pipeline.DenyList{{Terms: []string{"Brightwater tender"}, Basis: "Attorney work product"}},
		Bates:     &pipeline.Bates{Prefix: "ACME", Start: 7, Digits: 6}})
	if totals.NotWritten() != 0 {
		t.Fatalf("not written: %+v\n%s", totals, rep["report.json"])
	}
	b, err := os.ReadFile(filepath.Join(out, "memo.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "memo.pdf")
	os.WriteFile(p, b, 0o600)
	text, err := exec.Command(pdftotext, p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"Settlement memorandum", "XXX-XX-6789", "REDACTED – PRIVILEGED", "ACME000007"} {
		if !strings.Contains(s, want) {
			t.Errorf("PDF lacks %q: %s", want, s)
		}
	}
	for _, gone := range []string{"Brightwater", "123-45"} {
		if strings.Contains(s, gone) {
			t.Errorf("PDF shows %q: %s", gone, s)
		}
	}
	var r struct{ Files []report.File }
	json.Unmarshal(rep["report.json"], &r)
	if len(r.Files) != 1 || r.Files[0].Format != "docx" || r.Files[0].Bates != "ACME000007" || r.Files[0].Key != "memo.pdf" {
		t.Fatalf("report %+v", r.Files)
	}
	log := string(rep["redaction-log.csv"])
	for _, want := range []string{
		"memo.pdf,ACME000007,ACME000007,1,page 1,Privileged,attorney work product,Attorney work product,REDACTED – PRIVILEGED",
		"memo.pdf,ACME000007,ACME000007,1,page 1,Social Security number,last four digits shown",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

// Without LibreOffice a Word document of a Bates-numbered run is not
// written, with the reason; it is never written without its numbers.
func TestDOCXWithoutConverterRefused(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "memo.docx"), docxtest.Doc{Body: docxtest.P("Plain memo.")}.Build(), 0o644)
	t.Setenv("PATH", t.TempDir())
	out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{NoNER: true, Bates: &pipeline.Bates{Prefix: "A", Digits: 3}})
	if totals.Quarantined != 1 || totals.Reasons["no_converter"] != 1 {
		t.Fatalf("totals %+v", totals)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("written: %v", entries)
	}
	if !strings.Contains(string(rep["report.md"]), "LibreOffice (soffice) was not found") {
		t.Errorf("report.md does not say why:\n%s", rep["report.md"])
	}
}
