package docx

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/ooxml"
)

// tbl is a table of rows of cells, each cell's XML given whole.
func tbl(rows ...[]string) string {
	var b strings.Builder
	b.WriteString("<w:tbl>")
	for _, r := range rows {
		b.WriteString("<w:tr>")
		for _, c := range r {
			if !strings.HasPrefix(c, "<w:tc") {
				c = "<w:tc>" + dt.P(c) + "</w:tc>"
			}
			b.WriteString(c)
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

// cellsOf returns "name [field] = text" for each cell part.
func cellsOf(parts []redactors.Part) []string {
	var out []string
	for _, p := range parts {
		if p.Cell.Table > 0 {
			out = append(out, fmt.Sprintf("%d,%d,%d [%s] = %q", p.Cell.Table, p.Cell.Row, p.Cell.Col, p.Field, p.Text))
		}
	}
	return out
}

// TestTableCells: every cell of a table is a part with its place, and the
// Field its table's layout gives: the header of its column, or the label
// beside it in a form of two columns; a value that wraps across
// paragraphs or line breaks of its cell is one text. The paragraphs of
// the body keep their numbers, counted with the tables' paragraphs.
func TestTableCells(t *testing.T) {
	wrapped := `<w:tc><w:p>` + dt.R("First Harbor Bank") + `<w:r><w:br/></w:r>` + dt.R("4471 0926") + `</w:p>` + dt.P("3358") + `</w:tc>`
	cases := []struct {
		name, body string
		want       []string
	}{
		{"header row", tbl([]string{"Payee", "SSN", "Bank / Account No."}, []string{"Tobias Wrenfield", "412739586", wrapped}, []string{"Odalys Brennick", "523814467", "5108 3327 9914"}),
			[]string{`1,1,1 [] = "Payee\n"`, `1,1,2 [] = "SSN\n"`, `1,1,3 [] = "Bank / Account No.\n"`,
				`1,2,1 [Payee] = "Tobias Wrenfield\n"`, `1,2,2 [SSN] = "412739586\n"`, `1,2,3 [Bank / Account No.] = "First Harbor Bank\n4471 0926\n3358\n"`,
				`1,3,1 [Payee] = "Odalys Brennick\n"`, `1,3,2 [SSN] = "523814467\n"`, `1,3,3 [Bank / Account No.] = "5108 3327 9914\n"`}},
		{"labels and values", tbl([]string{"Client", "Odalys Brennick"}, []string{"DOB", "07/19/1974"}, []string{"SSN", "523814467"}),
			[]string{`1,1,1 [] = "Client\n"`, `1,1,2 [Client] = "Odalys Brennick\n"`, `1,2,1 [] = "DOB\n"`, `1,2,2 [DOB] = "07/19/1974\n"`,
				`1,3,1 [] = "SSN\n"`, `1,3,2 [SSN] = "523814467\n"`}},
		{"two columns under a header", tbl([]string{"Name", "SSN"}, []string{"Tobias Wrenfield", "412739586"}, []string{"Odalys Brennick", "523814467"}),
			[]string{`1,1,1 [] = "Name\n"`, `1,1,2 [] = "SSN\n"`, `1,2,1 [Name] = "Tobias Wrenfield\n"`, `1,2,2 [SSN] = "412739586\n"`,
				`1,3,1 [Name] = "Odalys Brennick\n"`, `1,3,2 [SSN] = "523814467\n"`}},
		{"labels with colons", tbl([]string{"Name:", "Tobias Wrenfield"}, []string{"MRN:", "00731945"}, []string{"Account:", "0012 4456 7781"}),
			[]string{`1,1,1 [] = "Name:\n"`, `1,1,2 [Name:] = "Tobias Wrenfield\n"`, `1,2,1 [] = "MRN:\n"`, `1,2,2 [MRN:] = "00731945\n"`,
				`1,3,1 [] = "Account:\n"`, `1,3,2 [Account:] = "0012 4456 7781\n"`}},
		{"repeated header row, spans, merges and a nested table",
			`<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>` + dt.P("Date of birth") + `</w:tc><w:tc>` + dt.P("MRN") + `</w:tc></w:tr>` +
				`<w:tr><w:tc>` + dt.P("March") + `</w:tc><w:tc>` + dt.P("4, 1961") + `</w:tc><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>` + dt.P("00731945") +
				tbl([]string{"inner", "cell"}) + `</w:tc></w:tr>` +
				`<w:tr><w:tc>` + dt.P("July") + `</w:tc><w:tc>` + dt.P("19, 1974") + `</w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>`,
			[]string{`1,1,1 [] = "Date of birth\n"`, `1,1,3 [] = "MRN\n"`, `1,2,1 [Date of birth] = "March\n"`, `1,2,2 [Date of birth] = "4, 1961\n"`,
				`1,2,3 [MRN] = "00731945\ninner\ncell\n"`, `1,3,1 [Date of birth] = "July\n"`, `1,3,2 [Date of birth] = "19, 1974\n"`}},
		{"one row has no header", tbl([]string{"SSN", "412739586"}), []string{`1,1,1 [] = "SSN\n"`, `1,1,2 [] = "412739586\n"`}},
		{"a first row of values is no header", tbl([]string{"Tobias Wrenfield", "412739586", "x"}, []string{"Odalys Brennick", "523814467", "y"}),
			[]string{`1,1,1 [] = "Tobias Wrenfield\n"`, `1,1,2 [] = "412739586\n"`, `1,1,3 [] = "x\n"`, `1,2,1 [] = "Odalys Brennick\n"`, `1,2,2 [] = "523814467\n"`, `1,2,3 [] = "y\n"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustParse(t, dt.Doc{Body: dt.P("Before") + c.body + dt.P("After")}.Build())
			if got := d.Parts()[0].Text; got != "Before\nAfter\n" {
				t.Errorf("body %q", got)
			}
			got := cellsOf(d.Parts())
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("cells:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			// "After" is the paragraph after every paragraph of the table
			paras := strings.Count(c.body, "<w:p>") + strings.Count(c.body, "<w:p/>")
			if n := d.Paragraph(0, len("Before\n")); n != paras+2 {
				t.Errorf("paragraph of After: %d, want %d", n, paras+2)
			}
			if n := d.Paragraph(0, 0); n != 1 {
				t.Errorf("paragraph of Before: %d, want 1", n)
			}
			// a cell's paragraphs have their numbers in the body
			for i, p := range d.Parts() {
				if p.Cell.Table > 0 {
					if n := d.Paragraph(i, 0); n != 2 {
						t.Errorf("paragraph of the first cell: %d, want 2", n)
					}
					break
				}
			}
		})
	}
}

// TestTableCellEdits: an edit of a cell changes that cell, byte for byte
// where the edit says, and the output reads back with the same cells.
func TestTableCellEdits(t *testing.T) {
	wrapped := `<w:tc><w:p>` + dt.R("4471 0926") + `<w:r><w:br/></w:r>` + dt.R("33") + `</w:p>` + dt.P("58") + `</w:tc>`
	d := mustParse(t, dt.Doc{Body: dt.P("Payments") + tbl([]string{"SSN", "Account No."}, []string{"412739586", wrapped})}.Build())
	var edits []redactors.Edit
	for i, p := range d.Parts() {
		switch p.Field {
		case "SSN":
			edits = append(edits, redactors.Edit{Part: i, Start: 0, End: 9, Replacement: "XXX-XX-9586"})
		case "Account No.":
			edits = append(edits, redactors.Edit{Part: i, Start: 0, End: len("4471 0926\n33\n58"), Replacement: "[ACCOUNT]"})
		}
	}
	if len(edits) != 2 {
		t.Fatalf("cells with fields: %v", cellsOf(d.Parts()))
	}
	var out strings.Builder
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	got := cellsOf(mustParse(t, []byte(out.String())).Parts())
	want := []string{`1,1,1 [] = "SSN\n"`, `1,1,2 [] = "Account No.\n"`, `1,2,1 [SSN] = "XXX-XX-9586\n"`, `1,2,2 [Account No.] = "[ACCOUNT]\n\n\n"`} // separators stay
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("output cells:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzTableCells redacts random spans of the cells of a table (a header
// row, a cell whose value wraps across a line break and a paragraph, a
// nested table) and checks (formattest.Check) that the output's text is
// the input's with exactly those spans replaced, cell by cell, and that
// the body's paragraphs keep their order around the table.
func FuzzTableCells(f *testing.F) {
	f.Add("SSN", "4127", "39586", "Tobias", true)
	f.Add("Date of birth:", "", "March 4, 1961", "x", false)
	f.Add("a", "&", "é'x", "", true)
	o := fuzzOptions(f)
	f.Fuzz(func(t *testing.T, head, v1, v2, other string, header bool) {
		for _, r := range []string{head, v1, v2, other} {
			if !utf8.ValidString(r) || strings.ContainsFunc(r, func(c rune) bool { return !ooxml.IsXMLChar(c) || c == '\r' }) {
				return
			}
		}
		trPr := ""
		if header {
			trPr = `<w:trPr><w:tblHeader/></w:trPr>`
		}
		body := dt.P(other) + `<w:tbl><w:tr>` + trPr + `<w:tc>` + dt.P(head) + `</w:tc><w:tc>` + dt.P(other) + `</w:tc></w:tr>` +
			`<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">` + xmlEsc(v1) + `</w:t><w:br/></w:r>` + dt.R(v2) + `</w:p>` + dt.P(v1) + `</w:tc>` +
			`<w:tc>` + dt.P(v2) + tbl([]string{other, head}) + `</w:tc></w:tr></w:tbl>` + dt.P(head)
		formattest.Check(t, o, dt.Doc{Body: body}.Build())
	})
}
