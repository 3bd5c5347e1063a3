package pipeline_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// TestPDFLineEndHyphenCompound: a deny-listed word that is the second half
// of a compound broken at a line end ("pre-" + "quillanby") is removed
// there too. Both pdftotext and Veil's page text join such a line
// ("prequillanby"), where the word is no word; but the page shows it,
// and once the same word is redacted earlier on the line, pdftotext's
// reading of the output no longer joins the two lines (the label moves in
// its reading order) and the word stands alone (issue 19: itu-t81 page 27,
// verify_failed "a redacted value survives in page 27 (pdftotext)").
func TestPDFLineEndHyphenCompound(t *testing.T) {
	pdftotext := needTool(t, "pdftotext")
	src := t.TempDir()
	content := "BT /F1 10 Tf 72 700 Td (keep any pre-quillanby data which comply with the format for pre-) Tj " +
		"0 -12 Td (quillanby data syntax specified in the annex for the process) Tj ET"
	if err := os.WriteFile(filepath.Join(src, "spec.pdf"), pdftest.Pages(nil, content), 0o644); err != nil {
		t.Fatal(err)
	}
	out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{
		DenyLists: []pipeline.DenyList{{Terms: []string{"Quillanby"}}}, NoNER: true,
	})
	if totals.Redacted != 1 || totals.NotWritten() != 0 {
		t.Fatalf("totals %+v\n%s", totals, rep["report.json"])
	}
	word := regexp.MustCompile(`(?i)\bquillanby`)
	for _, mode := range [][]string{nil, {"-layout"}, {"-raw"}} {
		text, err := exec.Command(pdftotext, append(mode, filepath.Join(out, "spec.pdf"), "-")...).Output()
		if err != nil {
			t.Fatal(err)
		}
		if word.Match(text) {
			t.Errorf("pdftotext %v reads the word in the output:\n%s", mode, text)
		}
		if !regexp.MustCompile(`data\s+syntax specified`).Match(text) {
			t.Errorf("pdftotext %v lost the kept text:\n%s", mode, text)
		}
	}
}
