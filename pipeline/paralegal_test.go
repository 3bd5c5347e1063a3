package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// A paralegal's production under the court profile (issue 16): every
// form of SSN, account number and date of birth a firm writes, handled
// as FRCP 5.2 requires, and routing numbers left as they are (they name
// the bank) instead of being masked as SSNs. Invented people and numbers;
// the SSNs, accounts and routing numbers pass their check algorithms.
func TestParalegalProduction(t *testing.T) {
	cell := func(s string) string { // "|" is a line break in the cell (<w:br/>)
		var runs string
		for i, line := range strings.Split(s, "|") {
			if i > 0 {
				runs += "<w:r><w:br/></w:r>"
			}
			runs += docxtest.R(line)
		}
		return "<w:tc><w:p>" + runs + "</w:p></w:tc>"
	}
	row := func(cells ...string) string {
		var b strings.Builder
		b.WriteString("<w:tr>")
		for _, c := range cells {
			b.WriteString(cell(c))
		}
		b.WriteString("</w:tr>")
		return b.String()
	}
	table := "<w:tbl>" +
		row("Payee", "SSN", "Bank / Account No.", "Routing", "Amount") +
		row("Dana Whitcombe", "456789012", "First Federal 0012 3456 789", "021000021", "$400.00") +
		row("Omar Lindqvist", "567-89-0123", "Coastal Savings 0098 7654 321", "011000015", "$75.10") +
		"</w:tbl>"
	body := docxtest.P("Schedule of payments, estate of Hollis Tremaine.") + table +
		docxtest.P("Q. And your date of birth? A. March 3, 1981.") +
		docxtest.P("His date of birth is July 9, 1975, and the wire used routing number 021000021.")
	docx := docxtest.Doc{Body: body}.Build()
	wrapped := docxtest.Doc{Body: "<w:tbl>" +
		row("Payee", "SSN", "Bank / Account No.", "Routing", "Amount") +
		row("Dana Whitcombe", "456789012", "First Federal 0012 3456|789", "021000021", "$400.00") +
		row("Omar Lindqvist", "567890123", "Coastal Savings 0098 7654 321", "011000015", "$75.10") +
		"</w:tbl>"}.Build()

	text := "Payee             SSN          Bank / Account No.      Amount\n" +
		"Dana Whitcombe    456789012    First Federal 0012      $400.00\n" +
		"                               3456 789\n" +
		"Omar Lindqvist    567890123    Coastal 0098 7654 321   $75.10\n\n" +
		"Q. And your date of birth?\nA. March 3, 1981.\n"

	e := formEngine(t, "court")
	for _, c := range []struct {
		key  string
		in   []byte
		read func([]byte) []byte
		gone []string // values that must not survive (FRCP 5.2 keeps the last four digits, the year)
		kept []string // values that must stay
	}{
		{"payments.docx", docx, func(b []byte) []byte { return zipEntries(t, b) },
			[]string{"456789012", "0012 3456", "0098 7654", "567-89", "March 3", "July 9"},
			[]string{"021000021", "011000015", "1981", "1975", "$400.00"}},
		{"wrapped.docx", wrapped, func(b []byte) []byte { return zipEntries(t, b) },
			[]string{"456789012", "567890123", "0012 3456", "0098 7654"},
			[]string{"021000021", "011000015", "$400.00", "$75.10"}},
		{"payments.txt", []byte(text), func(b []byte) []byte { return b },
			[]string{"456789012", "567890123", "0012", "3456 789", "0098 7654", "March 3"},
			[]string{"1981", "$400.00"}},
	} {
		out, rec := e.Redact(context.Background(), c.key, c.in)
		if out == nil {
			t.Fatalf("%s: not written: %s %s", c.key, rec.Reason, rec.Detail)
		}
		got := c.read(out)
		for _, v := range c.gone {
			if survives(got, v) {
				t.Errorf("%s: %q survives", c.key, v)
			}
		}
		for _, v := range c.kept {
			if !survives(got, v) {
				t.Errorf("%s: %q was changed, want it kept", c.key, v)
			}
		}
		for _, ch := range rec.Changes {
			if ch.Entity == "SSN" && !strings.HasPrefix(ch.Basis, "Fed. R. Civ. P. 5.2(a)(1)") ||
				ch.Entity == "ACCOUNT_NUMBER" && !strings.HasPrefix(ch.Basis, "Fed. R. Civ. P. 5.2(a)(4)") ||
				ch.Entity == "BIRTH_DATE" && !strings.HasPrefix(ch.Basis, "Fed. R. Civ. P. 5.2(a)(2)") {
				t.Errorf("%s: %s with basis %q", c.key, ch.Entity, ch.Basis)
			}
		}
		if n := count(rec.Changes, "SSN"); n != 2 {
			t.Errorf("%s: %d SSNs changed, want 2", c.key, n)
		}
		if n := count(rec.Changes, "ACCOUNT_NUMBER"); n < 2 {
			t.Errorf("%s: %d account numbers changed, want 2 or more (a wrapped one is two)", c.key, n)
		}
	}
}

func count(cs []report.Change, entity string) int {
	n := 0
	for _, c := range cs {
		if c.Entity == entity {
			n++
		}
	}
	return n
}
