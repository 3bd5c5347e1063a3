package pipeline_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
)

// An intake summary as a clinic's office suite writes it: LibreOffice
// converts a page with a two-column table (label cell, value cell) to
// DOCX. Its font table names fonts with style words ("… Unicode MS"),
// which are structure, not text; the table reaches detection as one cell
// a line, label and value alternating, and the client's name in it,
// which no name list holds, is found there and named as the client.
func TestLibreOfficeIntakeForm(t *testing.T) {
	soffice := needTool(t, "soffice", "libreoffice")
	dir := t.TempDir()
	html := `<html><body><h1>Intake summary</h1>
<table border="1"><tr><td>Client</td><td>Orsolya Quillanby</td></tr>
<tr><td>Date of birth</td><td>03/11/1987</td></tr>
<tr><td>Referred by</td><td>Dr. Tamsin Everard</td></tr></table>
<p>Orsolya reported low mood since the move to the coast. Ms. Quillanby's brother visits weekly.</p>
</body></html>`
	if err := os.WriteFile(filepath.Join(dir, "intake.html"), []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "src")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", src, filepath.Join(dir, "intake.html"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	out, rep, _, totals := runFolder(t, "supervision", src, pipeline.Options{})
	if totals.NotWritten() != 0 {
		t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
	}
	b, err := os.ReadFile(filepath.Join(out, "intake.docx"))
	if err != nil {
		t.Fatal(err)
	}
	// read the output's text with archive/zip and a tag-stripping
	// expression, not with Veil's reader
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(x)
	}
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(all.String(), " ")
	for _, v := range []string{"Orsolya", "Quillanby", "03/11/1987", "Tamsin", "Everard"} {
		if strings.Contains(all.String(), v) {
			t.Errorf("output holds %q", v)
		}
	}
	if !strings.Contains(text, "Client A") {
		t.Errorf("the client is not named as the client: %s", strings.Join(strings.Fields(text), " "))
	}
}
