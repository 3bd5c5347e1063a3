package pipeline_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// onePagePDF writes a minimal PDF whose page shows lines in Helvetica.
var onePagePDF = pdftest.OnePage

// TestPDFEndToEnd runs two PDFs through the batch runner with the court
// profile, a deny list and Bates numbering, and judges the outputs with
// pdftotext: the deny-list name (split over two lines in one file) and the
// SSN are gone, the rest of the text is there, and the Bates numbers
// continue from one file to the next in key order.
func TestPDFEndToEnd(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required under CI (scripts/setup installs poppler-utils)")
		}
		t.Skip("pdftotext not installed; run scripts/setup")
	}
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "a.pdf"), onePagePDF("Claim filed by Margaret", "Ellison, SSN 123-45-6789.", "The adjuster agreed."), 0o644)
	os.WriteFile(filepath.Join(src, "b.pdf"), onePagePDF("Second letter to Ms. Ellison."), 0o644)
	out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{
		DenyLists: []pipeline.DenyList{{Terms: []string{"Margaret Ellison", "Ellison"}}}, NoNER: true,
		Bates: &pipeline.Bates{Prefix: "VEIL", Start: 41, Digits: 5},
	})
	if totals.Redacted != 2 || totals.NotWritten() != 0 {
		t.Fatalf("totals %+v", totals)
	}
	for name, want := range map[string][]string{
		"a.pdf": {"Claim filed by", "SSN XXX-XX-6789", "The adjuster agreed.", "VEIL00041"},
		"b.pdf": {"Second letter to Ms.", "VEIL00042"},
	} {
		text, err := exec.Command(pdftotext, filepath.Join(out, name), "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", name, err)
		}
		s := strings.Join(strings.Fields(string(text)), " ")
		for _, gone := range []string{"Ellison", "Margaret", "123-45"} {
			if strings.Contains(s, gone) {
				t.Errorf("%s: %q survives: %s", name, gone, s)
			}
		}
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: %q missing: %s", name, w, s)
			}
		}
		raw, _ := os.ReadFile(filepath.Join(out, name))
		if bytes.Contains(raw, []byte("Ellison")) {
			t.Errorf("%s: the document information survives", name)
		}
	}
	csv := string(rep["redaction-log.csv"])
	if !strings.Contains(csv, "a.pdf,VEIL00041,VEIL00041,1,page 1,Privileged,") || !strings.Contains(csv, "b.pdf,VEIL00042,VEIL00042,1,page 1,Privileged,") {
		t.Errorf("redaction log lacks Bates numbers:\n%s", csv)
	}
}
