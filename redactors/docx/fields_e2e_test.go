package docx_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/redactors/docx"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// The payments table of a firm's production (invented people; the SSNs
// pass the SSA's rules, the accounts are digit groups after a bank name,
// one wrapped in its cell), and a sentence after it holding values of the
// same shapes with no context, which must stay.
const (
	ssn1, ssn2   = "412739586", "523814467"
	acct1, acct2 = "4471 0926 3358", "5108 3327 9914"
	dob1, dob2   = "March 4, 1961", "07/19/1974"
	loneNumber   = "634120987"      // nine digits in prose, not under a header
	loneGroups   = "5580 2211 7734" // digit groups in prose
	loneDate     = "April 9, 1958"  // a date in prose: court keeps dates
)

// paymentsHTML is the table as HTML, for LibreOffice to make a DOCX of:
// the first account wraps across a line break, the second across
// paragraphs.
const paymentsHTML = `<html><body><p>Payments to claimants</p>
<table border="1"><tr><th>Payee</th><th>SSN</th><th>Bank / Account No.</th><th>Date of birth</th><th>Amount</th></tr>
<tr><td>Tobias Wrenfield</td><td>` + ssn1 + `</td><td>First Harbor Bank 4471<br>0926 3358</td><td>` + dob1 + `</td><td>$1,200.00</td></tr>
<tr><td>Odalys Brennick</td><td>` + ssn2 + `</td><td><p>Cedar Mutual 5108</p><p>3327 9914</p></td><td>` + dob2 + `</td><td>$845.10</td></tr>
</table>
<p>Order ` + loneNumber + ` shipped; invoice ` + loneGroups + ` was paid on ` + loneDate + `.</p></body></html>`

// libreOfficeDOCX converts html to DOCX with LibreOffice.
func libreOfficeDOCX(t *testing.T, html string) []byte {
	t.Helper()
	soffice := tool(t, "soffice", "libreoffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "payments.html")
	if err := os.WriteFile(in, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "payments.docx"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writerDOCX is the same table written by the test writer, the labels
// and values of a form after it.
func writerDOCX() []byte {
	cell := func(paras ...string) string { return "<w:tc>" + strings.Join(paras, "") + "</w:tc>" }
	row := func(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }
	wrapped := `<w:p>` + dt.R("First Harbor Bank 4471") + `<w:r><w:br/></w:r>` + dt.R("0926 3358") + `</w:p>`
	body := dt.P("Payments to claimants") + "<w:tbl>" +
		row(cell(dt.P("Payee")), cell(dt.P("SSN")), cell(dt.P("Bank / Account No.")), cell(dt.P("Date of birth")), cell(dt.P("Amount"))) +
		row(cell(dt.P("Tobias Wrenfield")), cell(dt.P(ssn1)), cell(wrapped), cell(dt.P(dob1)), cell(dt.P("$1,200.00"))) +
		row(cell(dt.P("Odalys Brennick")), cell(dt.P(ssn2)), cell(dt.P("Cedar Mutual 5108"), dt.P("3327 9914")), cell(dt.P(dob2)), cell(dt.P("$845.10"))) +
		"</w:tbl>" + dt.P("Order "+loneNumber+" shipped; invoice "+loneGroups+" was paid on "+loneDate+".")
	return dt.Doc{Body: body}.Build()
}

// TestFieldsCourt: under the court profile, the bare values of a column
// headed by an identifier are that identifier (FRCP 5.2: an SSN or an
// account shows its last four digits, a birth date its year), also when
// a value wraps inside its cell; values of the same shapes outside the
// table, with no context, are kept. The output is judged by the DOCX
// independent reading, which shares no code with the scanner.
func TestFieldsCourt(t *testing.T) {
	for _, c := range []struct {
		name string
		data func(*testing.T) []byte
	}{
		{"libreoffice", func(t *testing.T) []byte { return libreOfficeDOCX(t, paymentsHTML) }},
		{"writer", func(*testing.T) []byte { return writerDOCX() }},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.data(t)
			out, rec := runPipeline(t, "court", "payments.docx", in)
			if out == nil || rec.Status != report.StatusRedacted {
				t.Fatalf("not written: %s %s %s", rec.Status, rec.Reason, rec.Detail)
			}
			text := independentText(t, out)
			before := independentText(t, in)
			for _, v := range []string{ssn1, ssn2, "4471", "0926", "5108", "3327", dob1, dob2, loneNumber} {
				if !strings.Contains(before, v) {
					t.Fatalf("the input does not show %q: the test reads nothing", v)
				}
			}
			for _, v := range []string{ssn1, ssn2, "4471", "0926", "5108", "3327", "March 4", "07/19"} {
				if strings.Contains(text, v) {
					t.Errorf("%q left in the output", v)
				}
			}
			// what FRCP 5.2 keeps, and what has no context
			for _, v := range []string{"9586", "4467", "3358", "9914", "1961", "1974", loneNumber, loneGroups, loneDate, "Tobias Wrenfield", "$1,200.00"} {
				if !strings.Contains(text, v) {
					t.Errorf("%q is not in the output", v)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", text)
			}
		})
	}
}

// independentText is the DOCX independent reading of data, joined.
func independentText(t *testing.T, data []byte) string {
	t.Helper()
	doc, err := docx.New(docx.Options{}).Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := doc.(*docx.Document).IndependentText(data)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text + "\n")
	}
	return b.String()
}
