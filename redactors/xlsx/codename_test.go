package xlsx_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// codeNameBook is a workbook of two sheets whose code names (the names
// VBA gives the workbook and its sheets, kept in workbookPr and sheetPr)
// are wb, s1 and s2. Invented values.
func codeNameBook(wb, s1, s2 string) []byte {
	const (
		hdr  = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
		main = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
		rel  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
		pkg  = `http://schemas.openxmlformats.org/package/2006/relationships`
	)
	ws := func(n string) string {
		return `<Override PartName="/xl/worksheets/sheet` + n + `.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	}
	sheet := func(code string) string {
		return hdr + `<worksheet xmlns="` + main + `"><sheetPr codeName="` + code + `"/><sheetData>` +
			`<row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`
	}
	return xlsxtest.Zip(
		[2]string{"[Content_Types].xml", hdr + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			ws("1") + ws("2") + `</Types>`},
		[2]string{"_rels/.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		[2]string{"xl/workbook.xml", hdr + `<workbook xmlns="` + main + `" xmlns:r="` + rel + `"><workbookPr codeName="` + wb + `"/><sheets>` +
			`<sheet name="Summary" sheetId="1" r:id="rId1"/><sheet name="Jan" sheetId="2" r:id="rId2"/></sheets></workbook>`},
		[2]string{"xl/_rels/workbook.xml.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`},
		[2]string{"xl/worksheets/sheet1.xml", sheet(s1)},
		[2]string{"xl/worksheets/sheet2.xml", sheet(s2)},
	)
}

// TestCodeNamesByConstruction (safety review 2, finding 3): a code name
// of the workbook or of a sheet chosen by the author ("Quillanby48213907")
// is replaced with no edit at all, like a sheet name, by a name that no
// other code name of the workbook has ("Sheet<n>", "ThisWorkbook"); the
// default names stay. (A workbook with a VBA project, the only reader of
// code names, is refused whatever its code names.)
func TestCodeNamesByConstruction(t *testing.T) {
	codes := regexp.MustCompile(`codeName="([^"]*)"`)
	for _, c := range []struct {
		wb, s1, s2 string
		want       string
	}{
		{"Quillanby_Books", "Quillanby48213907", "Sheet1", "ThisWorkbook|Sheet2|Sheet1"},
		{"ThisWorkbook", "Sheet1", "Tabelle2", "ThisWorkbook|Sheet1|Tabelle2"},
		{"ThisWorkbook", "Orsolya", "Everard", "ThisWorkbook|Sheet1|Sheet2"},
		{"DieseArbeitsmappe", "Tamsin", "Sheet1", "DieseArbeitsmappe|Sheet2|Sheet1"},
	} {
		in := codeNameBook(c.wb, c.s1, c.s2)
		d := parse(t, in)
		var out bytes.Buffer
		if err := d.Redact(&out, nil); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range []string{"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} {
			for _, m := range codes.FindAllStringSubmatch(string(unzipEntry(t, out.Bytes(), e)), -1) {
				got = append(got, m[1])
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%s|%s|%s: code names %q, want %s", c.wb, c.s1, c.s2, got, c.want)
		}
		seen := judge(t, out.Bytes())
		for _, s := range []string{"Quillanby", "48213907", "Orsolya", "Everard", "Tamsin"} {
			if strings.Contains(seen, s) {
				t.Errorf("%q left in the output", s)
			}
		}
	}
}
