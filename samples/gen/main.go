// Command gen writes the generated samples of samples/cases: Word
// documents built from hand-written XML, so that the quick start and the
// pipeline's golden tests cover DOCX without committing a file nobody can
// review. Every person in them is invented.
//
//	go run ./samples/gen            # writes samples/cases/*.docx
//	go run ./samples/gen -dir DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

func main() {
	dir := flag.String("dir", "samples/cases", "folder to write the samples to")
	flag.Parse()
	for name, data := range Samples() {
		p := filepath.Join(*dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		fmt.Println("wrote", p)
	}
}

const date = `w:date="2024-03-15T09:30:00Z"`

// Samples returns the generated samples by file name.
func Samples() map[string][]byte {
	return map[string][]byte{"supervision_handout.docx": handout()}
}

// handout is a clinician's handout for a supervision group, written in
// Word with track changes on and a colleague's comment.
func handout() []byte {
	cell := func(text string) string {
		return `<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>` + dt.P(text) + `</w:tc>`
	}
	row := func(a, b string) string { return `<w:tr>` + cell(a) + cell(b) + `</w:tr>` }
	body := `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:t>Case consultation for the supervision group</w:t></w:r></w:p>` +
		dt.P("Presenting clinician: Dr. Helen Fielding, LPC") +
		// The client's name split over runs, as Word does after an edit.
		`<w:p><w:r><w:t xml:space="preserve">Client: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Maria San</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>doval</w:t></w:r>` +
		`<w:r><w:t xml:space="preserve">, 37, referred by Samuel Okafor (intake coordinator).</w:t></w:r></w:p>` +
		dt.P("Maria works nights as a dispatcher and reports panic attacks since October 2023. Her partner, Diego Alvarez, drives her to sessions.") +
		// A tracked deletion and insertion: accepting them removes the deleted text.
		`<w:p><w:r><w:t xml:space="preserve">Her mother </w:t></w:r>` +
		`<w:del w:id="1" w:author="Helen Fielding" ` + date + `><w:r><w:delText xml:space="preserve">Rosa Sandoval (SSN 234-56-7890) </w:delText></w:r></w:del>` +
		`<w:ins w:id="2" w:author="Helen Fielding" ` + date + `><w:r><w:t xml:space="preserve">now </w:t></w:r></w:ins>` +
		`<w:r><w:t>lives in Salem.</w:t></w:r></w:p>` +
		`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="9000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="4500"/></w:tblGrid>` +
		row("Session", "Focus") + row("02/26/2024", "psychoeducation, breathing") + row("03/14/2024", "interoceptive exposure") + `</w:tbl>` +
		`<w:p><w:commentRangeStart w:id="0"/>` + dt.R("Question for the group: how do we pace exposure while Maria's sleep is disrupted?") +
		`<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>` +
		`<w:p>` + dt.R("Referral contact: ") + `<w:hyperlink r:id="rId20"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>m.sandoval@example.net</w:t></w:r></w:hyperlink></w:p>`
	return dt.Doc{
		Body:      body,
		Header:    dt.P("Confidential: case consultation, M. Sandoval"),
		Footer:    dt.P("Prepared by Helen Fielding, Riverside Counseling Group"),
		Footnotes: `<w:footnote w:id="1">` + dt.P(" Consent for consultation signed 03/14/2024.") + `</w:footnote>`,
		Comments: `<w:comment w:id="0" w:author="Greg Tomlinson" ` + date + ` w:initials="GT">` +
			dt.P("Greg Tomlinson's team has a sleep protocol worth trying.") + `</w:comment>`,
		People: `<w15:person w15:author="Greg Tomlinson"><w15:presenceInfo w15:providerId="AD" w15:userId="S::gtomlinson@riverside.example::7c1"/></w15:person>`,
		Core: `<dc:title>Consultation: Maria Sandoval</dc:title><dc:creator>Helen Fielding</dc:creator><cp:lastModifiedBy>hfielding</cp:lastModifiedBy>` +
			`<cp:revision>4</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2024-03-15T08:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2024-03-15T09:30:00Z</dcterms:modified>`,
		App:  `<Template>Normal.dotm</Template><Application>Microsoft Office Word</Application><Company>Riverside Counseling Group</Company><AppVersion>16.0000</AppVersion>`,
		Rels: []dt.Rel{{ID: "rId20", Type: dt.RelHyperlink, Target: "mailto:m.sandoval@example.net", External: true}},
	}.Build()
}
