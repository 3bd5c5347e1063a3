package office_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/office"
)

func need(t *testing.T) *office.Converter {
	t.Helper()
	c, err := office.Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("LibreOffice is required under CI (scripts/setup installs libreoffice-writer-nogui)")
		}
		t.Skip("LibreOffice not installed; run scripts/setup")
	}
	return c
}

// A Word document converts to a PDF whose text pdftotext reads, and the
// private folder of the conversion is gone afterwards.
func TestToPDF(t *testing.T) {
	c := need(t)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	in := docxtest.Doc{Body: docxtest.P("Quarterly statement for the Wexford account") + docxtest.P("Second paragraph.")}.Build()
	pdf, err := c.ToPDF(context.Background(), in, ".docx")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "out.pdf")
	os.WriteFile(p, pdf, 0o600)
	text, err := exec.Command(pdftotext, p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "Quarterly statement for the Wexford account") {
		t.Errorf("PDF text: %q", text)
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	// Not a document: a reason, no output.
	if _, err := c.ToPDF(context.Background(), []byte("PK\x03\x04 not a zip"), ".docx"); redactors.ReasonOf(err) != office.ErrConversion {
		t.Errorf("garbage: %v", err)
	}
}

func TestNoConverter(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := office.Find(); redactors.ReasonOf(err) != office.ErrNoConverter {
		t.Errorf("Find without LibreOffice: %v", err)
	}
}
