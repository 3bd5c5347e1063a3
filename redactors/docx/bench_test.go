package docx

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// bigDoc is a long case file: n paragraphs of split runs, with tables.
func bigDoc(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Session %d: Maria San</w:t></w:r><w:r><w:t xml:space="preserve">doval reported sleeping better; O&apos;Brien &amp; Sons shift changed.</w:t></w:r></w:p>`, i)
		if i%50 == 0 {
			b.WriteString(`<w:tbl><w:tr><w:tc>` + dt.P("Maria") + `</w:tc><w:tc>` + dt.P("(503) 555-0147") + `</w:tc></w:tr></w:tbl>`)
		}
	}
	return dt.Doc{Body: b.String()}.Build()
}

// wordDoc is bigDoc as Word writes it: every paragraph and run with its
// revision ids, paragraph ids, style, spacing, fonts, size and language,
// so most of the XML is attributes (about 6.6 MB for 10,000 paragraphs).
func wordDoc(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<w:p w14:paraId="%08X" w14:textId="%08X" w:rsidR="00A41C2D" w:rsidRDefault="00A41C2D" w:rsidP="00B52E3F">`+
			`<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/><w:ind w:left="720" w:hanging="360"/><w:jc w:val="both"/><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:pPr>`+
			`<w:r w:rsidRPr="00D74051"><w:rPr><w:rFonts w:ascii="Calibri" w:eastAsia="Calibri" w:hAnsi="Calibri" w:cs="Times New Roman"/><w:b/><w:color w:val="2F5496" w:themeColor="accent1" w:themeShade="BF"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr><w:t>Session %d: Maria San</w:t></w:r>`+
			`<w:r w:rsidR="00F96273"><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr><w:t xml:space="preserve">doval reported sleeping better.</w:t></w:r></w:p>`, 0x1000000+i, 0x2000000+i, i)
	}
	return dt.Doc{Body: b.String()}.Build()
}

// BenchmarkParseWordStyle: parsing is linear in the XML, attributes
// included (every one is classified by the vocabulary).
func BenchmarkParseWordStyle(b *testing.B) {
	data := wordDoc(10000)
	b.SetBytes(xmlSize(mustParse(b, data)))
	for b.Loop() {
		if _, err := New(Options{}).Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse and BenchmarkRedact measure a 10,000-paragraph document
// (about 2.9 MB of XML); -benchmem shows the allocations.
func BenchmarkParse(b *testing.B) {
	data := bigDoc(10000)
	b.SetBytes(xmlSize(mustParse(b, data))) // MB/s of XML, not of zip
	for b.Loop() {
		if _, err := New(Options{}).Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRedact(b *testing.B) {
	data := bigDoc(10000)
	d := mustParse(b, data)
	var texts []string
	for _, p := range d.Parts() {
		texts = append(texts, p.Text)
	}
	found, repls := findEdits(texts)
	var edits []redactors.Edit
	for i, f := range found {
		edits = append(edits, redactors.Edit{Part: f[0], Start: f[1], End: f[2], Replacement: repls[i]})
	}
	b.SetBytes(xmlSize(d))
	b.ResetTimer()
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if err := d.Redact(&out, edits); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(edits)), "edits")
}

func xmlSize(d *Document) int64 {
	var n int64
	for _, e := range d.entries {
		n += int64(len(e.xml))
	}
	return n
}
