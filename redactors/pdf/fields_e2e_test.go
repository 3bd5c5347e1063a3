package pdf_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
)

// need returns the path of a tool; under CI=true a missing tool fails the
// test, elsewhere it skips it (scripts/setup installs them).
func need(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI (scripts/setup installs it): %v", name, err)
		}
		t.Skipf("%s not installed; run scripts/setup", name)
	}
	return p
}

// Invented people; the SSNs pass the SSA's rules; the accounts are digit
// groups after a bank name, one wrapped in its cell by a line break.
const (
	ssn1, ssn2 = "412739586", "523814467"
	dob1, dob2 = "March 4, 1961", "07/19/1974"
	loneNumber = "634120987"      // nine digits in prose, under no header
	loneGroups = "5580 2211 7734" // digit groups in prose
	loneDate   = "April 9, 1958"  // a date in prose: court keeps dates
)

const paymentsHTML = `<html><body><p>Payments to claimants</p>
<table border="1"><tr><th>Payee</th><th>SSN</th><th>Bank / Account No.</th><th>Date of birth</th></tr>
<tr><td>Tobias Wrenfield</td><td>` + ssn1 + `</td><td>First Harbor Bank 4471<br>0926 3358</td><td>` + dob1 + `</td></tr>
<tr><td>Odalys Brennick</td><td>` + ssn2 + `</td><td><p>Cedar Mutual</p><p>5108 3327 9914</p></td><td>` + dob2 + `</td></tr>
</table>
<p>Order ` + loneNumber + ` shipped; invoice ` + loneGroups + ` was paid on ` + loneDate + `.</p>
<p>Date of birth:&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;` + `June 2, 1949</p></body></html>`

// libreOfficePDF converts html to PDF with LibreOffice.
func libreOfficePDF(t *testing.T, html string) []byte {
	t.Helper()
	soffice := need(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "payments.html")
	if err := os.WriteFile(in, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "payments.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// pdftotext reads data with poppler.
func pdftotext(t *testing.T, data []byte) string {
	t.Helper()
	bin := need(t, "pdftotext")
	p := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestFieldsCourtPDF: in a PDF made by LibreOffice, the values under a
// column headed by an identifier are that identifier, by the geometry of
// the page (court: SSN and account to their last four digits, birth dates
// to the year), also a value wrapped inside its cell; a label left of its
// value on one baseline names it; values of the same shapes in prose are
// kept. pdftotext judges the output.
func TestFieldsCourtPDF(t *testing.T) {
	in := libreOfficePDF(t, paymentsHTML)
	before := pdftotext(t, in)
	for _, v := range []string{ssn1, ssn2, "4471", "0926", "5108 3327", dob1, loneNumber, "June 2, 1949"} {
		if !strings.Contains(before, v) {
			t.Fatalf("the input does not show %q: the test reads nothing\n%s", v, before)
		}
	}
	p, err := profiles.Load("court")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	out, rec := e.Redact(context.Background(), "payments.pdf", in)
	if out == nil || rec.Status != report.StatusRedacted {
		t.Fatalf("not written: %s %s %s", rec.Status, rec.Reason, rec.Detail)
	}
	text := pdftotext(t, out)
	for _, v := range []string{ssn1, ssn2, "4471", "0926", "5108", "3327", "March 4", "07/19", "June 2"} {
		if strings.Contains(text, v) {
			t.Errorf("%q left in the output", v)
		}
	}
	for _, v := range []string{"9586", "4467", "3358", "9914", "1961", "1974", "1949", loneNumber, loneGroups, loneDate, "Tobias Wrenfield"} {
		if !strings.Contains(text, v) {
			t.Errorf("%q is not in the output", v)
		}
	}
	if t.Failed() {
		t.Logf("output: %s", text)
	}
}
