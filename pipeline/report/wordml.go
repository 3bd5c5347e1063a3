package report

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// wordDoc builds a minimal WordprocessingML document (ECMA-376 Part 1):
// [Content_Types].xml, the package relationships, word/document.xml and
// word/styles.xml; nothing else, no metadata. It is written for logs to
// file: a title, paragraphs and one table, landscape Letter pages with
// half-inch margins.
type wordDoc struct {
	body strings.Builder
}

func newWordDoc() *wordDoc { return &wordDoc{} }

// text escapes s for a w:t element; line breaks become w:br.
func wordText(s string) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		xml.EscapeText(&b, []byte(line))
		b.WriteString(`</w:t>`)
	}
	return b.String()
}

func (d *wordDoc) heading(s string) {
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r>%s</w:r></w:p>`, wordText(s))
}

func (d *wordDoc) para(s string, italic bool) {
	rpr := ""
	if italic {
		rpr = `<w:rPr><w:i/></w:rPr>`
	}
	fmt.Fprintf(&d.body, `<w:p><w:r>%s%s</w:r></w:p>`, rpr, wordText(s))
}

// landscape Letter, in twentieths of a point, and half-inch margins.
const (
	pageW, pageH, margin = 15840, 12240, 720
	tableW               = pageW - 2*margin
)

// table writes rows, the first a header repeated on every page; widths
// are the columns' shares in percent.
func (d *wordDoc) table(rows [][]string, widths []int) {
	b := &d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="LogTable"/>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/>`, tableW)
	b.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	cols := make([]int, len(widths))
	for i, p := range widths {
		cols[i] = tableW * p / 100
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, cols[i])
	}
	b.WriteString(`</w:tblGrid>`)
	for r, row := range rows {
		b.WriteString(`<w:tr>`)
		if r == 0 {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for c, cell := range row {
			w := 0
			if c < len(cols) {
				w = cols[c]
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w)
			if r == 0 {
				b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>`)
			}
			b.WriteString(`</w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:r>`)
			if r == 0 {
				b.WriteString(`<w:rPr><w:b/></w:rPr>`)
			}
			b.WriteString(wordText(cell))
			b.WriteString(`</w:r></w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl><w:p/>`)
}

const (
	wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

	contentTypes = xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
		`</Types>`
	packageRels = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`</Relationships>`
	documentRels = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`</Relationships>`
	styles = xmlDecl + `<w:styles ` + wordNS + `>` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>` +
		`<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr>` +
		`<w:rPr><w:b/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
		`<w:style w:type="table" w:default="1" w:styleId="LogTable"><w:name w:val="Log Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/></w:tblPr></w:style>` +
		`</w:styles>`
)

// wordEpoch is the time of every zip entry: the same log, the same bytes.
var wordEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func (d *wordDoc) write(w io.Writer) error {
	document := xmlDecl + `<w:document ` + wordNS + `><w:body>` + d.body.String() +
		fmt.Sprintf(`<w:sectPr><w:pgSz w:w="%d" w:h="%d" w:orient="landscape"/>`+
			`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="360" w:footer="360" w:gutter="0"/></w:sectPr>`,
			pageW, pageH, margin, margin, margin, margin) +
		`</w:body></w:document>`
	zw := zip.NewWriter(w)
	for _, f := range []struct{ name, data string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"word/document.xml", document},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles},
	} {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: wordEpoch})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}
