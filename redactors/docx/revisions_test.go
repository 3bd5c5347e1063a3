package docx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// TestAcceptRevisions: every kind of tracked change is accepted, so the
// output shows the final text and no revision markup or author is left.
func TestAcceptRevisions(t *testing.T) {
	rev := func(name, inner string) string {
		return `<w:` + name + ` w:id="9" w:author="Rev Author" ` + date + `>` + inner + `</w:` + name + `>`
	}
	cases := []struct{ name, body, want string }{
		{"insertion", `<w:p>` + dt.R("a ") + rev("ins", dt.R("b")) + `</w:p>`, "a b\n"},
		{"deletion", `<w:p>` + dt.R("a") + rev("del", `<w:r><w:delText>Secret</w:delText></w:r>`) + `</w:p>`, "a\n"},
		{"inserted then deleted", `<w:p>` + rev("ins", rev("del", `<w:r><w:delText>Secret</w:delText></w:r>`)) + dt.R("x") + `</w:p>`, "x\n"},
		{"move", `<w:p><w:moveFromRangeStart w:id="1" w:name="m1" w:author="Rev Author"/>` + rev("moveFrom", dt.R("Secret")) + `<w:moveFromRangeEnd w:id="1"/></w:p>` +
			`<w:p><w:moveToRangeStart w:id="2" w:name="m1" w:author="Rev Author"/>` + rev("moveTo", dt.R("moved")) + `<w:moveToRangeEnd w:id="2"/></w:p>`, "\nmoved\n"},
		{"deleted field code", `<w:p>` + rev("del", `<w:r><w:delInstrText> MERGEFIELD Secret </w:delInstrText></w:r>`) + dt.R("y") + `</w:p>`, "y\n"},
		{"formatting and paragraph changes", `<w:p><w:pPr><w:jc w:val="center"/><w:pPrChange w:id="3" w:author="Rev Author"><w:pPr/></w:pPrChange><w:rPr>` + rev("ins", "") + `</w:rPr></w:pPr>` +
			`<w:r><w:rPr><w:i/><w:rPrChange w:id="4" w:author="Rev Author"><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><w:t>z</w:t></w:r></w:p>`, "z\n"},
		{"deleted row", `<w:tbl><w:tr><w:trPr>` + rev("del", "") + `</w:trPr><w:tc>` + dt.P("Secret") + `</w:tc></w:tr><w:tr><w:trPr>` + rev("ins", "") + `</w:trPr><w:tc>` + dt.P("kept") + `</w:tc></w:tr></w:tbl>`, "kept\n"},
		{"cell and section changes", `<w:tbl><w:tr><w:tc><w:tcPr><w:cellIns w:id="5" w:author="Rev Author"/></w:tcPr>` + dt.P("c") + `</w:tc></w:tr></w:tbl>` +
			`<w:p><w:pPr><w:sectPr><w:sectPrChange w:id="6" w:author="Rev Author"><w:sectPr/></w:sectPrChange></w:sectPr></w:pPr></w:p>`, "\nc\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustParse(t, dt.Doc{Body: c.body}.Build())
			if got := bodyText(d.Parts()); got != c.want {
				t.Errorf("text %q, want %q", got, c.want)
			}
			var out bytes.Buffer
			if err := d.Redact(&out, nil); err != nil {
				t.Fatal(err)
			}
			_, files := unzip(t, out.Bytes())
			x := string(files["word/document.xml"])
			for _, bad := range []string{"Secret", "Rev Author", "w:ins", "w:del", "w:move", "Change", "w:cellIns"} {
				if strings.Contains(x, bad) {
					t.Errorf("%q left in the output:\n%s", bad, x[strings.Index(x, "<w:body>"):])
				}
			}
			if got := bodyText(mustParse(t, out.Bytes()).Parts()); got != c.want {
				t.Errorf("output text %q, want %q", got, c.want)
			}
		})
	}
}

// TestWordArtAndVMLText: text held in VML attributes is a part.
func TestWordArtAndVMLText(t *testing.T) {
	d := mustParse(t, dt.Doc{Body: `<w:p><w:r><w:pict><v:shape id="_x0000_s1025" alt="Maria's logo"><v:textpath string="Maria Sandoval"/></v:shape></w:pict></w:r></w:p>`}.Build())
	var all []string
	for _, p := range d.Parts() {
		all = append(all, p.Name+": "+p.Text)
	}
	s := strings.Join(all, "\n")
	if !strings.Contains(s, "word/document.xml:attributes: Maria's logo\nMaria Sandoval\n") {
		t.Errorf("parts:\n%s", s)
	}
}

// bodyText is the text of the body: its part, then the cells of its
// tables (parts of their own).
func bodyText(parts []redactors.Part) string {
	var b strings.Builder
	for _, p := range parts {
		if p.Name == "word/document.xml" || strings.HasPrefix(p.Name, "word/document.xml:table ") {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}
