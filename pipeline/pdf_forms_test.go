package pipeline_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// TestPDFFormEndToEnd: a filled PDF form goes through the batch runner
// with the court profile (forms: flatten): the field values are page text
// of the output, the deny-listed one is removed, the others stay visible
// to pdftotext, the form is gone and the report's notes say the widgets
// were flattened (issue 19: before, the form was dropped with its values).
func TestPDFFormEndToEnd(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required under CI (scripts/setup installs poppler-utils)")
		}
		t.Skip("pdftotext not installed; run scripts/setup")
	}
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "form.pdf"), pdftest.Form([]string{"Visitor log", "Visitor:", "Room:"},
		pdftest.Field{Name: "visitor", Value: "Agnes Quillfeather", Y: 690},
		pdftest.Field{Name: "room", Value: "Room 12 east wing", Y: 670}), 0o644)
	out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{
		DenyLists: []pipeline.DenyList{{Terms: []string{"Quillfeather"}}}, NoNER: true,
	})
	if totals.Redacted != 1 || totals.NotWritten() != 0 {
		t.Fatalf("totals %+v\n%s", totals, rep["report.json"])
	}
	text, err := exec.Command(pdftotext, filepath.Join(out, "form.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Join(strings.Fields(string(text)), " ")
	if strings.Contains(s, "Quillfeather") || !strings.Contains(s, "Room 12 east wing") || !strings.Contains(s, "Visitor log") {
		t.Errorf("output text: %s", s)
	}
	raw, _ := os.ReadFile(filepath.Join(out, "form.pdf"))
	if strings.Contains(string(raw), "/AcroForm") || strings.Contains(string(raw), "Quillfeather") {
		t.Errorf("the form or the value survives in the file")
	}
	if !strings.Contains(string(rep["report.json"]), "flattened") {
		t.Errorf("report lacks the flattening note:\n%s", rep["report.json"])
	}
}
