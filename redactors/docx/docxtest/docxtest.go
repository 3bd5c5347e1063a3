// Package docxtest writes DOCX files from hand-written XML, for tests and
// for the generated samples. The output is deterministic: entries in the
// order given, a fixed modification time, default compression.
package docxtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Epoch is the modification time of every entry.
var Epoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// File is one zip entry.
type File struct {
	Name string
	Data string
}

// Zip writes the files into a zip archive.
func Zip(files []File) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: Epoch})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(f.Data)); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// NS declares the namespaces Word declares on the root of its story parts.
const NS = `xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:o="urn:schemas-microsoft-com:office:office" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:w10="urn:schemas-microsoft-com:office:word" ` +
	`xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ` +
	`xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" ` +
	`mc:Ignorable="w14 w15"`

const decl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"

// Relationship types.
const (
	RelBase      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	RelHyperlink = RelBase + "hyperlink"
	RelImage     = RelBase + "image"
)

// Rel is a relationship of word/document.xml.
type Rel struct {
	ID, Type, Target string
	External         bool
}

// Doc describes a Word document. Empty fields leave their part out.
type Doc struct {
	Body      string // inner XML of w:body, before the final w:sectPr
	Header    string // inner XML of w:hdr (header1.xml)
	Footer    string // inner XML of w:ftr (footer1.xml)
	Footnotes string // w:footnote elements (ids 1…; separators are added)
	Endnotes  string // w:endnote elements
	Comments  string // w:comment elements
	People    string // w15:person elements
	Settings  string // extra children of w:settings (after w:zoom)
	Styles    string // extra children of w:styles (after w:docDefaults: latent styles, styles)
	Glossary  string // inner XML of the glossary document's w:body
	// GlossaryName is the name of the glossary's building block
	// ("Signature" when empty).
	GlossaryName string
	// GlossaryCategory and GlossaryGallery are its category's name and
	// gallery ("General" and "placeholder" when empty).
	GlossaryCategory, GlossaryGallery string
	Core                              string // children of cp:coreProperties
	App                               string // children of Properties (extended)
	Custom                            string // property elements of the custom properties
	Rels                              []Rel  // more relationships of word/document.xml
	// SettingsRels are relationships of word/settings.xml (attachedTemplate).
	SettingsRels []Rel
	// Files are added as they are (media, customXml…); Types maps their
	// extension or "/"+name to a content type.
	Files     []File
	Types     map[string]string
	Thumbnail bool // docProps/thumbnail.jpeg
}

// P is a paragraph of plain runs.
func P(runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	for _, r := range runs {
		b.WriteString(R(r))
	}
	b.WriteString("</w:p>")
	return b.String()
}

// R is a run with text (escaped here).
func R(text string) string {
	return `<w:r><w:t xml:space="preserve">` + Esc(text) + `</w:t></w:r>`
}

// Esc escapes text for XML.
func Esc(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}

func rels(rs []Rel) string {
	var b strings.Builder
	b.WriteString(decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for _, r := range rs {
		mode := ""
		if r.External {
			mode = ` TargetMode="External"`
		}
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="%s" Target="%s"%s/>`, r.ID, r.Type, Esc(r.Target), mode)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// Build writes the document as a DOCX.
func (d Doc) Build() []byte {
	const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml."
	types := map[string]string{
		"rels": "application/vnd.openxmlformats-package.relationships+xml",
		"xml":  "application/xml",
		"png":  "image/png",
		"jpeg": "image/jpeg",
	}
	over := map[string]string{"/word/document.xml": wml + "document.main+xml", "/word/styles.xml": wml + "styles+xml",
		"/word/settings.xml": wml + "settings+xml"}
	docRels := []Rel{{"rId1", RelBase + "styles", "styles.xml", false}, {"rId2", RelBase + "settings", "settings.xml", false}}
	root := []Rel{{"rId1", RelBase + "officeDocument", "word/document.xml", false}}
	var files []File
	add := func(name, ct, data string) {
		files = append(files, File{name, data})
		if ct != "" {
			over["/"+name] = ct
		}
	}
	sect := `<w:sectPr>`
	if d.Header != "" {
		add("word/header1.xml", wml+"header+xml", decl+`<w:hdr `+NS+`>`+d.Header+`</w:hdr>`)
		docRels = append(docRels, Rel{"rId3", RelBase + "header", "header1.xml", false})
		sect += `<w:headerReference w:type="default" r:id="rId3"/>`
	}
	if d.Footer != "" {
		add("word/footer1.xml", wml+"footer+xml", decl+`<w:ftr `+NS+`>`+d.Footer+`</w:ftr>`)
		docRels = append(docRels, Rel{"rId4", RelBase + "footer", "footer1.xml", false})
		sect += `<w:footerReference w:type="default" r:id="rId4"/>`
	}
	sect += `<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>`
	add("word/document.xml", "", decl+`<w:document `+NS+`><w:body>`+d.Body+sect+`</w:body></w:document>`)
	add("word/styles.xml", "", decl+`<w:styles `+NS+`><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif"/><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>`+d.Styles+
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>`+
		`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style></w:styles>`)
	settingsXML := decl + `<w:settings ` + NS + `><w:zoom w:percent="100"/>` + d.Settings + `<w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`
	add("word/settings.xml", "", settingsXML)
	if len(d.SettingsRels) > 0 {
		add("word/_rels/settings.xml.rels", "", rels(d.SettingsRels))
	}
	if d.Footnotes != "" {
		add("word/footnotes.xml", wml+"footnotes+xml", decl+`<w:footnotes `+NS+`>`+
			`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>`+
			`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>`+
			d.Footnotes+`</w:footnotes>`)
		docRels = append(docRels, Rel{"rId5", RelBase + "footnotes", "footnotes.xml", false})
	}
	if d.Endnotes != "" {
		add("word/endnotes.xml", wml+"endnotes+xml", decl+`<w:endnotes `+NS+`>`+
			`<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>`+
			`<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:endnote>`+
			d.Endnotes+`</w:endnotes>`)
		docRels = append(docRels, Rel{"rId6", RelBase + "endnotes", "endnotes.xml", false})
	}
	if d.Comments != "" {
		add("word/comments.xml", wml+"comments+xml", decl+`<w:comments `+NS+`>`+d.Comments+`</w:comments>`)
		docRels = append(docRels, Rel{"rId7", RelBase + "comments", "comments.xml", false})
	}
	if d.People != "" {
		add("word/people.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml", decl+`<w15:people `+NS+`>`+d.People+`</w15:people>`)
		docRels = append(docRels, Rel{"rId8", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml", false})
	}
	if d.Glossary != "" {
		name := d.GlossaryName
		if name == "" {
			name = "Signature"
		}
		category, gallery := d.GlossaryCategory, d.GlossaryGallery
		if category == "" {
			category = "General"
		}
		if gallery == "" {
			gallery = "placeholder"
		}
		add("word/glossary/document.xml", wml+"document.glossary+xml", decl+`<w:glossaryDocument `+NS+`><w:docParts><w:docPart><w:docPartPr><w:name w:val="`+name+`"/><w:category><w:name w:val="`+category+`"/><w:gallery w:val="`+gallery+`"/></w:category><w:guid w:val="{6A1C5C9E-0000-4000-8000-000000000001}"/></w:docPartPr><w:docPartBody>`+d.Glossary+`</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>`)
		docRels = append(docRels, Rel{"rId9", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/glossaryDocument", "glossary/document.xml", false})
	}
	docRels = append(docRels, d.Rels...)
	add("word/_rels/document.xml.rels", "", rels(docRels))
	if d.Core != "" {
		add("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml", decl+
			`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`+
			d.Core+`</cp:coreProperties>`)
		root = append(root, Rel{"rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml", false})
	}
	if d.App != "" {
		add("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml", decl+
			`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">`+
			d.App+`</Properties>`)
		root = append(root, Rel{"rId3", RelBase + "extended-properties", "docProps/app.xml", false})
	}
	if d.Custom != "" {
		add("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml", decl+
			`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">`+
			d.Custom+`</Properties>`)
		root = append(root, Rel{"rId4", RelBase + "custom-properties", "docProps/custom.xml", false})
	}
	if d.Thumbnail {
		add("docProps/thumbnail.jpeg", "", "\xff\xd8\xff\xe0 not really a jpeg \xff\xd9")
		root = append(root, Rel{"rId5", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail", "docProps/thumbnail.jpeg", false})
	}
	for _, f := range d.Files {
		add(f.Name, "", f.Data)
	}
	for k, v := range d.Types {
		if strings.HasPrefix(k, "/") {
			over[k] = v
		} else {
			types[k] = v
		}
	}
	var ct strings.Builder
	ct.WriteString(decl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	for _, k := range sortedKeys(types) {
		fmt.Fprintf(&ct, `<Default Extension="%s" ContentType="%s"/>`, k, types[k])
	}
	for _, k := range sortedKeys(over) {
		fmt.Fprintf(&ct, `<Override PartName="%s" ContentType="%s"/>`, k, over[k])
	}
	ct.WriteString(`</Types>`)
	all := []File{{"[Content_Types].xml", ct.String()}, {"_rels/.rels", rels(root)}}
	return Zip(append(all, files...))
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// PNG returns a valid 2×2 PNG image.
func PNG() string {
	img := image.NewGray(image.Rect(0, 0, 2, 2))
	img.Pix[0] = 0x80
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.String()
}

// Image is the inline drawing of a picture with relationship id rid and
// alt text descr.
func Image(rid, name, descr string) string {
	return `<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="952500" cy="952500"/>` +
		`<wp:docPr id="1" name="` + Esc(name) + `" descr="` + Esc(descr) + `"/>` +
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>` +
		`<pic:nvPicPr><pic:cNvPr id="0" name="` + Esc(name) + `" descr="` + Esc(descr) + `"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + rid + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`
}

// TextBox is a floating text box holding paragraphs, written as Word does:
// DrawingML with a VML fallback, so its text is in the file twice.
func TextBox(paras string) string {
	return `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">` +
		`<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>3200400</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>` +
		`<wp:extent cx="2286000" cy="685800"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="2" name="Text Box 2"/>` +
		`<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>` +
		`<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2286000" cy="685800"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>` +
		`<wps:txbx><w:txbxContent>` + paras + `</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><v:shape id="Text Box 2" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;width:180pt;height:54pt">` +
		`<v:textbox><w:txbxContent>` + paras + `</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`
}

// Folder zips an unpacked package (a folder of parts, such as the OOXML
// corpus in redactors/ooxml/testdata/corpus) into a DOCX, entries in name
// order, [Content_Types].xml first; the images its relationships name
// (word/media/imageN.png) are added as 2×2 PNGs, and embedded workbooks as
// Workbook().
func Folder(dir string) []byte {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		panic(err)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "[Content_Types].xml") != (names[j] == "[Content_Types].xml") {
			return names[i] == "[Content_Types].xml"
		}
		return names[i] < names[j]
	})
	var files []File
	media := map[string]bool{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			panic(err)
		}
		files = append(files, File{n, string(b)})
		if strings.HasSuffix(n, ".rels") {
			for _, m := range mediaRE.FindAllStringSubmatch(string(b), -1) {
				media[m[1]] = true
			}
		}
	}
	var extra []string
	for m := range media {
		extra = append(extra, m)
	}
	sort.Strings(extra)
	for _, m := range extra {
		switch {
		case strings.HasPrefix(m, "media/") && strings.HasSuffix(m, ".png"):
			files = append(files, File{"word/" + m, PNG()})
		case strings.HasPrefix(m, "../embeddings/") && strings.HasSuffix(m, ".xlsx"):
			files = append(files, File{"word/" + strings.TrimPrefix(m, "../"), string(Workbook([][]string{{"", "Hours slept"}, {"Week 1", "4.5"}}))})
		}
	}
	return Zip(files)
}

var mediaRE = regexp.MustCompile(`Target="((?:\.\./embeddings|media)/[^"]+)"`)

// Workbook writes a minimal XLSX whose first sheet holds rows of inline
// strings (numbers where a cell parses as one): what Word embeds behind a
// chart.
func Workbook(rows [][]string) []byte {
	var sheet strings.Builder
	sheet.WriteString(decl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := fmt.Sprintf("%c%d", 'A'+c, r+1)
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, v)
			} else if v != "" {
				fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, Esc(v))
			}
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	const sml = "application/vnd.openxmlformats-officedocument.spreadsheetml."
	return Zip([]File{
		{"[Content_Types].xml", decl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="` + sml + `sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + sml + `worksheet+xml"/></Types>`},
		{"_rels/.rels", rels([]Rel{{"rId1", RelBase + "officeDocument", "xl/workbook.xml", false}})},
		{"xl/workbook.xml", decl + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", rels([]Rel{{"rId1", RelBase + "worksheet", "worksheets/sheet1.xml", false}})},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	})
}

// Entry returns the inflated bytes of the entry name of the zip data; the
// test fails when data is no zip, the entry is missing or does not inflate.
func Entry(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return b
		}
	}
	t.Fatalf("no entry %s", name)
	return nil
}
