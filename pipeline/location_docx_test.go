package pipeline_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// The redaction log locates a change in a Word document by the paragraph
// a reader counts from the top of the body (every paragraph, empty ones
// and table cells included, in document order), or by the part of the
// page it is in (header, footer, footnotes, comments). The expected
// paragraph is counted here from the document's XML (the w:p elements
// before the one that holds the value), not from Veil's reading of it;
// line breaks, tabs, split runs and hyperlinks inside a paragraph do not
// make another one.
func TestDOCXLogLocations(t *testing.T) {
	ssn := func(n int) string { return fmt.Sprintf("521-38-%04d", 4000+n) }
	cell := func(paras string) string {
		return `<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>` + paras + `</w:tc>`
	}
	body := docxtest.P("Memorandum to file") +
		docxtest.P() + // empty
		docxtest.P("Claimant number one: ", ssn(1), ".") +
		`<w:p><w:r><w:t>First line</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space="preserve">second line, then a tab</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">and ` + ssn(2) + `</w:t></w:r></w:p>` +
		`<w:tbl><w:tblPr><w:tblW w:w="6000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>` +
		`<w:tr>` + cell(docxtest.P("Name")) + cell(docxtest.P("Number")) + `</w:tr>` +
		`<w:tr>` + cell(docxtest.P("Claimant")+docxtest.P("second paragraph of the cell")) + cell(docxtest.P("SSN "+ssn(3))) + `</w:tr>` +
		`</w:tbl>` +
		docxtest.P() +
		`<w:p><w:hyperlink w:anchor="x"><w:r><w:t xml:space="preserve">See the record of </w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve">SSN 521-38-</w:t></w:r><w:r><w:t>4004</w:t></w:r></w:p>`
	doc := docxtest.Doc{
		Body:   body,
		Header: docxtest.P("Header: SSN " + ssn(5)),
		Footer: docxtest.P("Footer: SSN " + ssn(6)),
	}
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "memo.docx"), doc.Build(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, rep, _, totals := runFolder(t, "court", src, pipeline.Options{NoNER: true})
	if totals.NotWritten() != 0 {
		t.Fatalf("totals %+v", totals)
	}
	// The judge: paragraphs counted in the body XML.
	paraOf := func(value string) string {
		i := strings.Index(body, value)
		if i < 0 {
			// a value split over runs: its last four digits
			i = strings.Index(body, value[len(value)-4:])
		}
		return fmt.Sprintf("paragraph %d", len(regexp.MustCompile(`<w:p[ >]`).FindAllStringIndex(body[:i], -1)))
	}
	want := map[string]string{}
	for n := 1; n <= 4; n++ {
		want[fmt.Sprintf("XXX-XX-%04d", 4000+n)] = paraOf(ssn(n))
	}
	want["XXX-XX-4005"], want["XXX-XX-4006"] = "page header", "page footer"
	if want["XXX-XX-4003"] != "paragraph 9" || want["XXX-XX-4004"] != "paragraph 11" {
		t.Fatalf("the judge counts wrong: %v", want)
	}
	rows, err := csv.NewReader(strings.NewReader(string(rep["redaction-log.csv"]))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[8]] = r[4]
	}
	for shown, loc := range want {
		if got[shown] != loc {
			t.Errorf("%s logged at %q, want %q", shown, got[shown], loc)
		}
	}
}
