package docx

import (
	"strings"

	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// Fixtures are generated here, XML written by hand the way Word writes it.
// Every person in them is invented.

// redaction is what the test detector replaces.
type redaction struct{ value, repl string }

// redactions are tried in order at each position (longest first).
var redactions = []redaction{
	{"Maria Sandoval", "Person A"}, {"Helen Fielding", "Person B"}, {"Raj Patel", "Person C"},
	{"O'Brien & Sons", "[organisation]"}, {"(503) 555-0147", "[phone]"},
	{"m.sandoval@example.net", "[email]"}, {"00482913", "[MRN]"}, {"Elena", "Person D"},
	{"Sandoval", "Person A"}, {"Maria", "Person A"}, {"Fielding", "Person B"}, {"11/2/2023", "[date]"},
}

// leakValues must not be anywhere in any output: the redacted values and
// what sanitising and accepting revisions remove.
var leakValues = []string{
	"Maria", "Sandoval", "Helen Fielding", "Fielding", "Raj Patel", "O'Brien", "555-0147",
	"m.sandoval@example.net", "00482913", "Elena",
	"Rosa",                       // only in a tracked deletion
	"Tomlinson",                  // only a revision author
	"hfielding",                  // lastModifiedBy, template path, people.xml user id
	"Riverside Counseling Group", // company
	"Dr. Whitfield",              // manager
	"2023-11-02", "11/2/2023",    // a date picker's value and its exact date
}

type fixture struct {
	name string
	doc  dt.Doc
}

const date = `w:date="2024-03-14T10:00:00Z"`

func fixtures() []fixture {
	png := dt.PNG()
	return []fixture{
		{"kitchen_sink", dt.Doc{
			Body: `<!-- draft for Maria Sandoval -->` +
				dt.P("Intake summary") +
				// A name split across runs, the first run bold.
				`<w:p><w:r><w:t xml:space="preserve">Client: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Maria San</w:t></w:r><w:r><w:t>doval</w:t></w:r><w:r><w:t xml:space="preserve"> (seen by Dr. Hel</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>en Fielding said</w:t></w:r><w:r><w:t>)</w:t></w:r></w:p>` +
				// Entities and a tab.
				`<w:p><w:r><w:t>Employer: O&apos;Brien &amp; Sons</w:t></w:r><w:r><w:tab/><w:t>night shift</w:t></w:r></w:p>` +
				// Tracked changes: insertion, deletion, paragraph mark, formatting.
				`<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="Greg Tomlinson" ` + date + `/></w:rPr></w:pPr>` +
				`<w:r><w:t xml:space="preserve">Referred by </w:t></w:r>` +
				`<w:ins w:id="1" w:author="Greg Tomlinson" ` + date + `><w:r><w:t>Raj Patel</w:t></w:r></w:ins>` +
				`<w:del w:id="2" w:author="Greg Tomlinson" ` + date + `><w:r><w:delText>Rosa Sandoval</w:delText></w:r></w:del>` +
				`<w:r><w:rPr><w:b/><w:rPrChange w:id="4" w:author="Greg Tomlinson" ` + date + `><w:rPr/></w:rPrChange></w:rPr><w:t>.</w:t></w:r></w:p>` +
				// A table, one row deleted as a tracked change.
				`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/></w:tblGrid>` +
				`<w:tr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>` + dt.P("Maria") + `</w:tc><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>` + dt.P("MRN 00482913") + `</w:tc></w:tr>` +
				`<w:tr><w:trPr><w:del w:id="5" w:author="Greg Tomlinson" ` + date + `/></w:trPr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr><w:p><w:del w:id="6" w:author="Greg Tomlinson" ` + date + `><w:r><w:delText>Rosa</w:delText></w:r></w:del></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>` +
				// A text box with a phone number.
				`<w:p>` + dt.R("See box. ") + dt.TextBox(dt.P("Call (503) 555-0147")) + `</w:p>` +
				// Hyperlink (relationship), HYPERLINK field split over two runs, simple merge field.
				`<w:p><w:hyperlink r:id="rId10" w:tooltip="Write to Maria"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>email</w:t></w:r></w:hyperlink>` +
				`<w:r><w:t xml:space="preserve"> or </w:t></w:r>` +
				`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:m.sandoval@</w:instrText></w:r><w:r><w:instrText xml:space="preserve">example.net" </w:instrText></w:r>` +
				`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>m.sandoval@example.net</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
				`<w:r><w:t xml:space="preserve">; </w:t></w:r><w:fldSimple w:instr=" MERGEFIELD Client_Maria_Sandoval \* MERGEFORMAT "><w:r><w:t>«Client»</w:t></w:r></w:fldSimple></w:p>` +
				// A date picker (content control) and a smart tag holding the name.
				`<w:sdt><w:sdtPr><w:alias w:val="First session"/><w:date w:fullDate="2023-11-02T00:00:00Z"><w:dateFormat w:val="M/d/yyyy"/></w:date></w:sdtPr>` +
				`<w:sdtContent><w:p><w:r><w:t>11/2/2023</w:t></w:r></w:p></w:sdtContent></w:sdt>` +
				`<w:p><w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName"><w:smartTagPr><w:attr w:name="ProductID" w:val="Maria Sandoval"/></w:smartTagPr>` +
				dt.R("Maria Sandoval") + `</w:smartTag>` + dt.R(" signed.") + `</w:p>` +
				// A picture with alt text, a comment, footnote and endnote references.
				`<w:p>` + dt.Image("rId11", "Picture 1", "Photo of Maria Sandoval") +
				`<w:commentRangeStart w:id="0"/>` + dt.R("Sister Elena visits.") + `<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>` +
				`<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>`,
			Header:    dt.P("Client: Maria Sandoval"),
			Footer:    dt.P("Prepared by Helen Fielding"),
			Footnotes: `<w:footnote w:id="1">` + dt.P(" Maria's sister Elena lives nearby.") + `</w:footnote>`,
			Endnotes:  `<w:endnote w:id="1">` + dt.P(" Chart MRN 00482913.") + `</w:endnote>`,
			Comments:  `<w:comment w:id="0" w:author="Helen Fielding" ` + date + ` w:initials="HF">` + dt.P("Ask Maria about her sister.") + `</w:comment>`,
			People:    `<w15:person w15:author="Helen Fielding"><w15:presenceInfo w15:providerId="AD" w15:userId="S::hfielding@riverside.example::8f2"/></w15:person>`,
			Settings:  `<w:attachedTemplate r:id="rId1"/><w:docVars><w:docVar w:name="client" w:val="Maria Sandoval"/></w:docVars>`,
			Glossary:  dt.P("Sincerely, Helen Fielding"),
			Core: `<dc:title>Intake for Maria Sandoval</dc:title><dc:subject>intake</dc:subject><dc:creator>Helen Fielding</dc:creator>` +
				`<cp:keywords>intake</cp:keywords><cp:lastModifiedBy>hfielding</cp:lastModifiedBy><cp:revision>3</cp:revision>` +
				`<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-14T09:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2024-03-14T10:00:00Z</dcterms:modified>`,
			App: `<Template>Normal.dotm</Template><TotalTime>12</TotalTime><Pages>1</Pages><Application>Microsoft Office Word</Application>` +
				`<Manager>Dr. Whitfield</Manager><Company>Riverside Counseling Group</Company><TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Intake for Maria Sandoval</vt:lpstr></vt:vector></TitlesOfParts><AppVersion>16.0000</AppVersion>`,
			Custom: `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Client"><vt:lpwstr>Maria Sandoval</vt:lpwstr></property>` +
				`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Sessions"><vt:i4>12</vt:i4></property>`,
			Rels: []dt.Rel{
				{ID: "rId10", Type: dt.RelHyperlink, Target: "mailto:m.sandoval@example.net", External: true},
				{ID: "rId11", Type: dt.RelImage, Target: "media/image1.png"},
			},
			SettingsRels: []dt.Rel{{ID: "rId1", Type: dt.RelBase + "attachedTemplate",
				Target: `file:///C:\Users\hfielding\AppData\Roaming\Microsoft\Templates\Intake%20Form.dotx`, External: true}},
			Files: []dt.File{
				{Name: "word/media/image1.png", Data: png},
				{Name: "customXml/item1.xml", Data: `<?xml version="1.0" encoding="UTF-8"?><client><name>Maria Sandoval</name><mrn>00482913</mrn></client>`},
			},
			Thumbnail: true,
		}},
		{"plain", dt.Doc{
			Body: dt.P("Session note for Maria Sandoval.") + dt.P("Dr. Helen Fielding saw Maria today; plan unchanged."),
			Core: `<dc:creator>Helen Fielding</dc:creator><cp:lastModifiedBy>Helen Fielding</cp:lastModifiedBy>`,
		}},
	}
}

// findEdits is the test detector: every occurrence of a redaction value.
func findEdits(parts []string) (edits [][3]int, repls []string) {
	for pi, t := range parts {
		for i := 0; i < len(t); {
			hit := false
			for _, r := range redactions {
				if strings.HasPrefix(t[i:], r.value) {
					edits = append(edits, [3]int{pi, i, i + len(r.value)})
					repls = append(repls, r.repl)
					i += len(r.value)
					hit = true
					break
				}
			}
			if !hit {
				i++
			}
		}
	}
	return edits, repls
}
