package docxtest

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
)

// LeakCase is a DOCX built to leak: identifying values put where a reader
// of a list of known places does not look (issue 13). Every person in them
// is invented. A format conformance suite runs each: the output must hold
// none of the Secrets in any part, or the file must be refused with
// Reason.
type LeakCase struct {
	// Name is the case's short name; Class is the kind of hiding place.
	Name, Class string
	Data        []byte
	// Secrets must be gone from every byte of the output, however read.
	Secrets []string
	// Shown are the secrets a reader of the document sees, and a detector
	// must therefore be able to find in the parsed parts; the others
	// (Secrets minus Shown) must go whatever is detected: the format
	// removes their place.
	Shown []string
	// Reason, if set, is the reason code the format must refuse the file
	// with (after an edit of the secrets, for "uninspectable" part names).
	Reason string
}

// The invented people of the leak cases.
const (
	leakName  = "Maria Sandoval"
	leakEmail = "m.sandoval@example.net"
	leakMRN   = "7730418"
	leakDOB   = "1984-07-19"
	leakUser  = "msandoval"
	leakOther = "Bruno Castellanos"
)

const (
	ctChart   = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
	ctXLSX    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	nsChart   = `xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	chartBody = `<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="7" name="Chart 1"/>` +
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId30"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`
)

// chartDoc is a document with one chart whose chart part is chart (the
// inside of c:plotArea's chart type element) and whose embedded workbook
// holds the chart's data.
func chartDoc(series string, workbook [][]string) []byte {
	chart := decl + `<c:chartSpace ` + nsChart + `><c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>` +
		series + `<c:axId val="1"/><c:axId val="2"/></c:barChart><c:catAx><c:axId val="1"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart>` +
		`<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>`
	return Doc{
		Body: P("Sleep over the last weeks:") + chartBody,
		Rels: []Rel{{ID: "rId30", Type: RelBase + "chart", Target: "charts/chart1.xml"}},
		Files: []File{
			{Name: "word/charts/chart1.xml", Data: chart},
			{Name: "word/charts/_rels/chart1.xml.rels", Data: rels([]Rel{{ID: "rId1", Type: RelBase + "package", Target: "../embeddings/Microsoft_Excel_Worksheet.xlsx"}})},
			{Name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", Data: string(Workbook(workbook))},
		},
		Types: map[string]string{"/word/charts/chart1.xml": ctChart, "xlsx": ctXLSX},
	}.Build()
}

const numCache = `<c:val><c:numRef><c:f>Sheet1!$B$2:$B$3</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="2"/>` +
	`<c:pt idx="0"><c:v>4.5</c:v></c:pt><c:pt idx="1"><c:v>6</c:v></c:pt></c:numCache></c:numRef></c:val>`

// gfxdata is what Word 2007 puts in a VML shape's o:gfxdata: base64 of a
// zip holding the shape again as DrawingML, its text box text included.
func gfxdata(text string) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("drs/shapexml.xml")
	w.Write([]byte(`<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx><w:txbxContent xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>`))
	zw.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// LeakCases returns the DOCX leak corpus of issue 13, one case per class.
func LeakCases() []LeakCase {
	jpeg, _ := imagetest.JPEG(leakName)
	pngMeta, _ := imagetest.PNG(leakName)
	gifMeta, _ := imagetest.GIF(leakName)
	image := func(name, data string) Doc {
		return Doc{
			Body:  P("Referral letter, scanned:") + `<w:p>` + Image("rId31", "Picture 1", "") + `</w:p>`,
			Rels:  []Rel{{ID: "rId31", Type: RelImage, Target: "media/" + name}},
			Files: []File{{Name: "word/media/" + name, Data: data}},
			Types: map[string]string{"gif": "image/gif"},
		}
	}
	gfx := gfxdata(leakName)
	return []LeakCase{
		{
			Name: "chart-series-literal", Class: "chart series name written as a literal (c:tx/c:v)",
			Data: chartDoc(`<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>`+leakName+`</c:v></c:tx>`+
				`<c:cat><c:strLit><c:ptCount val="2"/><c:pt idx="0"><c:v>Week 1</c:v></c:pt><c:pt idx="1"><c:v>Week 2</c:v></c:pt></c:strLit></c:cat>`+numCache+`</c:ser>`,
				[][]string{{"", leakName}, {"Week 1", "4.5"}, {"Week 2", "6"}}),
			Secrets: []string{leakName}, Shown: []string{leakName},
		},
		{
			Name: "chart-multilevel-categories", Class: "multi-level category labels (c:multiLvlStrCache)",
			Data: chartDoc(`<c:ser><c:idx val="0"/><c:order val="0"/><c:cat><c:multiLvlStrRef><c:f>Sheet1!$A$2:$B$3</c:f><c:multiLvlStrCache><c:ptCount val="2"/>`+
				`<c:lvl><c:pt idx="0"><c:v>Week 1</c:v></c:pt><c:pt idx="1"><c:v>Week 2</c:v></c:pt></c:lvl>`+
				`<c:lvl><c:pt idx="0"><c:v>`+leakName+`</c:v></c:pt><c:pt idx="1"><c:v>`+leakOther+`</c:v></c:pt></c:lvl>`+
				`</c:multiLvlStrCache></c:multiLvlStrRef></c:cat>`+numCache+`</c:ser>`,
				[][]string{{leakName, "Week 1", "4.5"}, {leakOther, "Week 2", "6"}}),
			Secrets: []string{leakName, leakOther}, Shown: []string{leakName, leakOther},
		},
		{
			Name: "chart-datalabels-range", Class: "data labels from cells (c15:datalabelsRange)",
			Data: chartDoc(`<c:ser><c:idx val="0"/><c:order val="0"/><c:dLbls><c:showVal val="0"/><c:extLst><c:ext uri="{02D57815-91ED-43cb-92C2-25804820EDAC}" xmlns:c15="http://schemas.microsoft.com/office/drawing/2012/chart"><c15:showDataLabelsRange val="1"/></c:ext></c:extLst></c:dLbls>`+numCache+
				`<c:extLst><c:ext uri="{02D57815-91ED-43cb-92C2-25804820EDAC}" xmlns:c15="http://schemas.microsoft.com/office/drawing/2012/chart"><c15:datalabelsRange><c15:f>Sheet1!$C$2:$C$3</c15:f>`+
				`<c15:dlblRangeCache><c:ptCount val="2"/><c:pt idx="0"><c:v>`+leakName+`</c:v></c:pt><c:pt idx="1"><c:v>MRN `+leakMRN+`</c:v></c:pt></c15:dlblRangeCache></c15:datalabelsRange></c:ext></c:extLst></c:ser>`,
				[][]string{{"", "Hours", "Label"}, {"Week 1", "4.5", leakName}, {"Week 2", "6", "MRN " + leakMRN}}),
			Secrets: []string{leakName, leakMRN}, Shown: []string{leakName, leakMRN},
		},
		{
			Name: "chart-workbook", Class: "a chart's embedded workbook (an OOXML package inside the DOCX)",
			Data: chartDoc(`<c:ser><c:idx val="0"/><c:order val="0"/>`+numCache+`</c:ser>`,
				[][]string{{"Client", "Hours"}, {leakName, "4.5"}, {"DOB " + leakDOB, "6"}}),
			Secrets: []string{leakName, leakDOB},
		},
		{
			Name: "customxml-attributes", Class: "custom XML item attributes (<ehr:Patient name= mrn= dob=>)",
			Data: Doc{
				Body: P("Intake note."),
				Files: []File{{Name: "customXml/item1.xml", Data: decl + `<ehr:record xmlns:ehr="urn:example:ehr"><ehr:Patient name="` + leakName +
					`" mrn="` + leakMRN + `" dob="` + leakDOB + `" email="` + leakEmail + `"/></ehr:record>`}},
			}.Build(),
			Secrets: []string{leakName, leakMRN, leakDOB, leakEmail}, Shown: []string{leakName, leakMRN, leakDOB, leakEmail},
		},
		{
			Name: "numbering-text", Class: "numbering text (w:lvlText) shown on every list item",
			Data: Doc{
				Body: `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + R("Intake form") + `</w:p>` +
					`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + R("Consent") + `</w:p>`,
				Rels: []Rel{{ID: "rId32", Type: RelBase + "numbering", Target: "numbering.xml"}},
				Files: []File{{Name: "word/numbering.xml", Data: decl + `<w:numbering ` + NS + `><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>` +
					`<w:lvlText w:val="Sandoval Exhibit %1:"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`}},
				Types: map[string]string{"/word/numbering.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"},
			}.Build(),
			Secrets: []string{"Sandoval"}, Shown: []string{"Sandoval"},
		},
		{
			Name: "permission-editor", Class: "editing permissions (w:permStart w:ed)",
			Data: Doc{Body: `<w:p><w:permStart w:id="1" w:ed="` + leakEmail + `"/>` + R("Plan agreed.") + `<w:permEnd w:id="1"/></w:p>` +
				`<w:p><w:permStart w:id="2" w:edGrp="everyone"/>` + R("Notes.") + `<w:permEnd w:id="2"/></w:p>`}.Build(),
			Secrets: []string{leakEmail},
		},
		{
			Name: "content-control-tag", Class: "content-control tag and alias (w:tag, w:alias)",
			Data: Doc{Body: `<w:sdt><w:sdtPr><w:alias w:val="` + leakName + ` record"/><w:tag w:val="` + leakMRN + `|` + leakName + `"/><w:id w:val="12"/><w:text/></w:sdtPr>` +
				`<w:sdtContent><w:p>` + R("Record on file.") + `</w:p></w:sdtContent></w:sdt>`}.Build(),
			Secrets: []string{leakName, leakMRN}, Shown: []string{leakName},
		},
		{
			Name: "mail-merge-source", Class: "the mail-merge data source (path, connection, query)",
			Data: Doc{
				Body: `<w:p><w:fldSimple w:instr=" MERGEFIELD First_name "><w:r><w:t>«First_name»</w:t></w:r></w:fldSimple></w:p>`,
				Settings: `<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/><w:dataType w:val="native"/>` +
					`<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;User ID=Admin;Data Source=C:\Users\` + leakUser + `\Documents\Sandoval intake.xlsx;Mode=Read"/>` +
					`<w:query w:val="SELECT * FROM ` + "`" + `Sandoval$` + "`" + `"/><w:dataSource r:id="rId1"/><w:odso><w:udl w:val="Data Source=C:\Users\` + leakUser + `\Documents\Sandoval intake.xlsx"/><w:table w:val="Sandoval$"/><w:src r:id="rId2"/></w:odso></w:mailMerge>`,
				SettingsRels: []Rel{
					{ID: "rId1", Type: RelBase + "mailMergeSource", Target: `file:///C:\Users\` + leakUser + `\Documents\Sandoval%20intake.xlsx`, External: true},
					{ID: "rId2", Type: RelBase + "mailMergeSource", Target: `file:///C:\Users\` + leakUser + `\Documents\Sandoval%20intake.xlsx`, External: true},
				},
			}.Build(),
			Secrets: []string{leakUser, "Sandoval"},
		},
		{
			Name: "custom-properties-not-strings", Class: "custom properties that are not strings (vt:filetime, vt:i4)",
			Data: Doc{
				Body: P("Progress note."),
				Custom: `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Date of birth"><vt:filetime>` + leakDOB + `T00:00:00Z</vt:filetime></property>` +
					`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Record number"><vt:i4>` + leakMRN + `</vt:i4></property>` +
					`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="Minor"><vt:bool>true</vt:bool></property>`,
			}.Build(),
			Secrets: []string{leakDOB, leakMRN},
		},
		{
			Name: "jpeg-metadata", Class: "image metadata: EXIF, XMP, IPTC, GPS, ICC, comment of a JPEG",
			Data: image("image1.jpeg", string(jpeg)).Build(), Secrets: []string{leakName},
		},
		{
			Name: "png-text-chunks", Class: "image metadata: PNG tEXt, zTXt, iTXt, eXIf",
			Data: image("image1.png", string(pngMeta)).Build(), Secrets: []string{leakName},
		},
		{
			Name: "gif-extensions", Class: "image metadata: GIF comment, plain-text and XMP extensions",
			Data: image("image1.gif", string(gifMeta)).Build(), Secrets: []string{leakName},
		},
		{
			Name: "embedded-font", Class: "an embedded font's name table (a binary part Veil does not read)",
			Data: Doc{
				Body: P("Seen today."),
				Rels: []Rel{{ID: "rId33", Type: RelBase + "fontTable", Target: "fontTable.xml"}},
				Files: []File{
					{Name: "word/fontTable.xml", Data: decl + `<w:fonts ` + NS + `><w:font w:name="Sandoval Hand"><w:embedRegular r:id="rId1" w:fontKey="{3F2A9C41-7B1D-4E6A-9C0B-2D5E8F1A4B37}"/></w:font></w:fonts>`},
					{Name: "word/_rels/fontTable.xml.rels", Data: rels([]Rel{{ID: "rId1", Type: RelBase + "font", Target: "fonts/font1.odttf"}})},
					{Name: "word/fonts/font1.odttf", Data: "\x00\x01\x00\x00 name table: Sandoval Hand, designed by " + leakName},
				},
				Types: map[string]string{"odttf": "application/vnd.openxmlformats-officedocument.obfuscatedFont",
					"/word/fontTable.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"},
			}.Build(),
			// the font's name is not one widely shipped: its table entry
			// goes with the file, by construction (nothing to detect)
			Secrets: []string{leakName, "Sandoval"},
		},
		{
			Name: "font-names", Class: "font names a user chose (font table, w:rFonts, theme typefaces, theme and scheme names)",
			Data: Doc{
				Body: `<w:p><w:r><w:rPr><w:rFonts w:ascii="Sandoval Hand" w:hAnsi="Sandoval Hand" w:cs="Sandoval Hand"/></w:rPr><w:t>Seen today.</w:t></w:r>` +
					`<w:r><w:sym w:font="Sandoval Dings" w:char="F04A"/></w:r></w:p>`,
				Rels: []Rel{{ID: "rId33", Type: RelBase + "fontTable", Target: "fontTable.xml"}, {ID: "rId35", Type: RelBase + "theme", Target: "theme/theme1.xml"}},
				Files: []File{
					{Name: "word/fontTable.xml", Data: decl + `<w:fonts ` + NS + `><w:font w:name="Liberation Serif"><w:family w:val="roman"/></w:font>` +
						`<w:font w:name="Sandoval Hand"><w:altName w:val="Sandoval Script"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>` +
						`<w:font w:name="Liberation Sans"><w:altName w:val="Maria Sandoval"/></w:font></w:fonts>`},
					{Name: "word/theme/theme1.xml", Data: themeXML("Sandoval Clinic", `<a:fontScheme name="Sandoval"><a:majorFont><a:latin typeface="Sandoval Serif"/><a:ea typeface=""/><a:cs typeface=""/><a:font script="Jpan" typeface="Sandoval Mincho"/></a:majorFont>`, "")},
				},
				Types: map[string]string{"/word/fontTable.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
					"/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml"},
			}.Build(),
			// none is shown: fonts and themes not widely shipped are
			// replaced by construction
			Secrets: []string{"Sandoval"},
		},
		{
			Name: "style-names", Class: "style names and ids a user chose (w:name, w:styleId, references, aliases, latent styles)",
			Data: Doc{
				Styles: `<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="2">` +
					`<w:lsdException w:name="Normal" w:uiPriority="0" w:qFormat="1"/><w:lsdException w:name="Sandoval Quote" w:uiPriority="29"/></w:latentStyles>` +
					`<w:style w:type="paragraph" w:customStyle="1" w:styleId="MariaSandoval"><w:name w:val="Maria Sandoval"/><w:aliases w:val="Sandoval,Client letter"/>` +
					`<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="MariaSandovalChar"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>` +
					`<w:style w:type="character" w:customStyle="1" w:styleId="MariaSandovalChar"><w:name w:val="Maria Sandoval Char"/><w:link w:val="MariaSandoval"/><w:rPr><w:b/></w:rPr></w:style>` +
					`<w:style w:type="table" w:customStyle="1" w:styleId="Sandoval"><w:name w:val="Sandoval"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>`,
				Body: `<w:p><w:pPr><w:pStyle w:val="MariaSandoval"/></w:pPr>` + R("Seen today.") + `</w:p>` +
					`<w:p><w:r><w:rPr><w:rStyle w:val="MariaSandovalChar"/></w:rPr><w:t>Plan unchanged.</w:t></w:r></w:p>` +
					`<w:tbl><w:tblPr><w:tblStyle w:val="Sandoval"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>` + P("Next visit in two weeks.") + `</w:tc></w:tr></w:tbl>` +
					P("End."),
			}.Build(),
			// none is shown: custom styles are renamed by construction
			Secrets: []string{"Sandoval"},
		},
		{
			Name: "vml-font-family", Class: "a font name a user chose in a VML style (WordArt's v:textpath, a text box's shape)",
			Data: Doc{
				Body: `<w:p><w:r><w:pict><v:shape id="_x0000_s1026" type="#_x0000_t136" style="position:absolute;width:180pt;height:40pt" fillcolor="black" stroked="f">` +
					`<v:textpath style="font-family:&quot;Sandoval Script&quot;;font-size:20pt;v-text-kern:t" string="Seen today."/></v:shape></w:pict></w:r></w:p>` +
					`<w:p><w:r><w:pict><v:shape id="_x0000_s1027" type="#_x0000_t202" style="position:absolute;width:180pt;height:54pt;font-family:Sandoval Hand;font-size:11pt">` +
					`<v:textbox><w:txbxContent>` + P("Homework") + `</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>`,
			}.Build(),
			// not shown: the font-family goes by construction
			Secrets: []string{"Sandoval"},
		},
		{
			Name: "vml-font-family-in-text-style", Class: "a font name a user chose in a VML style that is not structure for another reason (an unknown property, Office's mso-…-font-family, the font shorthand)",
			Data: Doc{
				Body: `<w:p><w:r><w:pict><v:shape id="_x0000_s1028" type="#_x0000_t202" style="position:absolute;width:180pt;height:54pt;mso-layout-grid-align:none;font-family:Quillanby;mso-ascii-font-family:&quot;Quillanby Hand&quot;;mso-bidi-font-family:Quillanby;font-size:11pt">` +
					`<v:textbox style="mso-fit-shape-to-text:t;mso-font-alt:Quillanby"><w:txbxContent>` + P("Homework") + `</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>` +
					`<w:p><w:r><w:pict><v:shape id="_x0000_s1029" type="#_x0000_t136" style="position:absolute;width:180pt;height:40pt" fillcolor="black" stroked="f">` +
					`<v:textpath style="font:italic bold 20pt Quillanby Script;v-text-kern:t;v-same-letter-heights:nonsense" string="Seen today."/></v:shape></w:pict></w:r></w:p>`,
			}.Build(),
			// not shown: every font name goes by construction, the rest of
			// the styles is read as text
			Secrets: []string{"Quillanby"},
		},
		{
			Name: "theme-family", Class: "a theme family's name (thm15:themeFamily in the theme's extensions)",
			Data: Doc{
				Body: P("Seen today."),
				Rels: []Rel{{ID: "rId35", Type: RelBase + "theme", Target: "theme/theme1.xml"}},
				Files: []File{{Name: "word/theme/theme1.xml", Data: themeXML("Office", `<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>`,
					`<a:extLst><a:ext uri="{05A4C25C-085E-4340-85A3-A5531E510DB2}"><thm15:themeFamily xmlns:thm15="http://schemas.microsoft.com/office/thememl/2012/main" name="Sandoval Theme" id="{62F939B6-93AF-4DB8-9C6B-D6C7DFDC589F}" vid="{4A3C46E8-61CC-4603-A589-7422A47A8E4A}"/></a:ext></a:extLst>`)}},
				Types: map[string]string{"/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml"},
			}.Build(),
			// not shown: replaced by "Office" by construction
			Secrets: []string{"Sandoval"},
		},
		{
			Name: "building-block-names", Class: "a glossary building block's name (w:docPartPr/w:name) and a placeholder naming it (w:docPart)",
			Data: Doc{
				Body:         `<w:sdt><w:sdtPr><w:placeholder><w:docPart w:val="Sandoval block"/></w:placeholder><w:showingPlcHdr/></w:sdtPr><w:sdtContent>` + P("Plan unchanged.") + `</w:sdtContent></w:sdt>`,
				Glossary:     P("Regards,"),
				GlossaryName: "Sandoval block",
			}.Build(),
			// not shown: renamed "Building Block N" by construction, the
			// placeholder's reference alike
			Secrets: []string{"Sandoval"},
		},
		{
			Name: "building-block-categories", Class: "a glossary building block's category name (w:category/w:name), a gallery not of the schema (w:gallery), a content control filtering on the category (w:docPartCategory) or on a gallery no one has (w:docPartGallery)",
			Data: Doc{
				Body: `<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Quick Parts"/><w:docPartCategory w:val="Quillanby forms"/></w:docPartObj></w:sdtPr><w:sdtContent>` +
					P("Plan unchanged.") + `</w:sdtContent></w:sdt>` +
					`<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Quillanby"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>` +
					P("Seen today.") + `</w:sdtContent></w:sdt>`,
				Glossary:         P("Regards,"),
				GlossaryCategory: "Quillanby forms",
				GlossaryGallery:  "Quillanby",
			}.Build(),
			// not shown: the category renamed "Category N" by construction,
			// the content control's filter alike; the galleries "default"
			// and "Quick Parts"
			Secrets: []string{"Quillanby"},
		},
		{
			Name: "customxml-smarttag-values", Class: "custom XML and smart tag attribute values (w:customXmlPr, w:smartTagPr w:attr w:val)",
			Data: Doc{
				Body: `<w:customXml w:uri="urn:example:ehr" w:element="visit"><w:customXmlPr><w:attr w:name="patient" w:val="` + leakName + `"/>` +
					`<w:attr w:name="record" w:val="` + leakMRN + `"/><w:attr w:name="born" w:val="` + leakDOB + `"/></w:customXmlPr>` + P("Seen today.") + `</w:customXml>` +
					`<w:p><w:smartTag w:uri="urn:example:tags" w:element="place"><w:smartTagPr><w:attr w:name="who" w:val="` + leakOther + `"/></w:smartTagPr>` +
					R("Plan unchanged.") + `</w:smartTag></w:p>`,
			}.Build(),
			// the values are emptied by construction; the element and
			// attribute names are the schema's
			Secrets: []string{leakName, leakMRN, leakDOB, leakOther},
		},
		{
			Name: "printer-settings", Class: "printer settings (a DEVMODE naming the printer, in UTF-16)",
			Data: Doc{
				Body:  P("Seen today.") + `<w:sectPr><w:printerSettings r:id="rId34"/></w:sectPr>`,
				Rels:  []Rel{{ID: "rId34", Type: RelBase + "printerSettings", Target: "printerSettings/printerSettings1.bin"}},
				Files: []File{{Name: "word/printerSettings/printerSettings1.bin", Data: utf16le(`\\CLINIC\Sandoval-office`) + strings.Repeat("\x00", 64)}},
				Types: map[string]string{"bin": "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"},
			}.Build(),
			Secrets: []string{"Sandoval-office"},
		},
		{
			Name: "image-pixels", Class: "an image whose pixels hold the letter (a scan pasted under one line)",
			Data: image("image1.png", string(imagetest.PNGOf(imagetest.Picture()))).Build(),
		},
		{
			Name: "vml-gfxdata", Class: "a legacy shape's hidden copy of itself (o:gfxdata, base64 zip)",
			Data: Doc{Body: `<w:p><w:r><w:pict><v:shape id="_x0000_s1025" o:spid="_x0000_s1025" type="#_x0000_t202" style="position:absolute;width:180pt;height:54pt" o:gfxdata="` +
				gfx + `"><v:textbox><w:txbxContent>` + P("Homework") + `</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>`}.Build(),
			// the name is in the base64 of a zip: the blob itself must go
			Secrets: []string{gfx[len(gfx)/2 : len(gfx)/2+32]},
		},
		{
			Name: "unknown-attribute", Class: "an attribute of a namespace nobody listed",
			Data:    Doc{Body: `<w:p xmlns:x="urn:example:intake" x:client="` + leakName + `" x:dob="` + leakDOB + `">` + R("Seen today.") + `</w:p>`}.Build(),
			Secrets: []string{leakName, leakDOB}, Shown: []string{leakName, leakDOB},
		},
		{
			Name: "xml-comment-and-pi", Class: "XML comments and processing instructions",
			Data:    Doc{Body: `<!-- client ` + leakName + ` --><?veil-client ` + leakName + `?>` + P("Seen today.")}.Build(),
			Secrets: []string{leakName},
		},
		{
			Name: "comment-date", Class: "a date in a typed slot (w:date of a comment)",
			Data: Doc{
				Body:     `<w:p><w:commentRangeStart w:id="0"/>` + R("Plan.") + `<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>`,
				Comments: `<w:comment w:id="0" w:author="A" w:date="` + leakDOB + `T00:00:00Z">` + P("ok") + `</w:comment>`,
			}.Build(),
			Secrets: []string{leakDOB}, Shown: []string{leakDOB},
		},
		{
			Name: "part-name", Class: "a part named after the client (part names cannot be rewritten)",
			Data:    Doc{Body: P("Seen today."), Files: []File{{Name: "customXml/" + strings.ReplaceAll(leakName, " ", "_") + ".xml", Data: `<note/>`}}}.Build(),
			Secrets: []string{"Maria_Sandoval"}, Shown: []string{"Maria_Sandoval"}, Reason: "uninspectable",
		},
	}
}

// themeXML is a theme part named name, whose font scheme opens with
// fontScheme (the a:fontScheme start tag and its a:majorFont), and whose
// a:extLst (or nothing) is ext.
func themeXML(name, fontScheme, ext string) string {
	return decl + `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="` + name + `"><a:themeElements>` +
		`<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
		`<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2>` +
		`<a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>` +
		`<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme>` +
		`` + fontScheme + `` +
		`<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>` +
		`<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst>` +
		`<a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>` +
		`<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>` +
		`<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme>` +
		`</a:themeElements>` + ext + `</a:theme>`
}
