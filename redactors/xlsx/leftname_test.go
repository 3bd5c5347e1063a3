package xlsx_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/xlsx"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestRenamedSheetLeftInLiterals: a sheet renamed by construction must
// not survive where Veil's reading of formulas does not rewrite it: a
// reference inside a formula's string literal (INDIRECT, HYPERLINK with
// '#') or a cell hyperlink's relationship Target="#..." (safety review
// of sheetdoor, F1). Each workbook is either refused (ErrUninspectable,
// the name not in the error) or written with no reference to the old
// name in any entry (judged by unzipping every entry). Before, all three
// were written with "Quillanby!A1" in them.
func TestRenamedSheetLeftInLiterals(t *testing.T) {
	const sheetNS = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	const relNS = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	const pkgNS = `http://schemas.openxmlformats.org/package/2006/relationships`
	sheet4 := func(body string) [2]string {
		return [2]string{"xl/worksheets/sheet4.xml", `<worksheet xmlns="` + sheetNS + `" xmlns:r="` + relNS + `"><sheetData>` + body + `</worksheet>`}
	}
	for name, extra := range map[string][][2]string{
		"INDIRECT":  {sheet4(`<row r="1"><c r="A1"><f>INDIRECT("Quillanby!A1")</f></c></row></sheetData>`)},
		"HYPERLINK": {sheet4(`<row r="1"><c r="A1"><f>HYPERLINK("#'Quillanby'!A1","open")</f></c></row></sheetData>`)},
		"rels Target": {
			sheet4(`<row r="1"><c r="A1" t="inlineStr"><is><t>open</t></is></c></row></sheetData><hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks>`),
			{"xl/worksheets/_rels/sheet4.xml.rels", `<Relationships xmlns="` + pkgNS + `"><Relationship Id="rId1" Type="` + relNS +
				`/hyperlink" Target="#Quillanby!A1" TargetMode="External"/></Relationships>`},
		},
	} {
		t.Run(name, func(t *testing.T) {
			in := xlsxtest.Zip(append(contextFreeEntries(t, "xl/worksheets/sheet4.xml"), extra...)...)
			var out bytes.Buffer
			err := parse(t, in).Redact(&out, nil)
			if err != nil {
				if !errors.Is(err, redactors.ErrUninspectable) {
					t.Fatalf("refused with %v, want ErrUninspectable", err)
				}
				if strings.Contains(strings.ToLower(err.Error()), "quillanby") {
					t.Fatalf("the error names the sheet: %v", err)
				}
				return
			}
			for _, e := range mustZip(t, out.Bytes()) {
				if strings.Contains(strings.ToLower(e[1]), "quillanby!") || strings.Contains(strings.ToLower(e[1]), "quillanby'!") {
					t.Errorf("%s still refers to the renamed sheet", e[0])
				}
			}
		})
	}
}

// TestLeftRenamed: the backstop's reading of a part: a renamed sheet's
// old name as a reference (before '!', quoted or not, the first of a 3-D
// range, escaped in XML) counts; the same word as data does not.
func TestLeftRenamed(t *testing.T) {
	olds := []string{"quillanby", "tamsin everard"}
	for x, want := range map[string]bool{
		`<f>INDIRECT("Quillanby!A1")</f>`:          true,
		`<r Target="#'QUILLANBY'!A1"/>`:            true,
		`<f>SUM('Quillanby:Jan 2026'!A1)</f>`:      true,
		`<f>SUM(Quillanby:Jan!A1)</f>`:             true,
		`<a v="&#x51;uillanby!B2"/>`:               true,
		`<f>'Tamsin Everard'!A1</f>`:               true,
		`<!-- Quillanby!A1 -->`:                    true,
		`<t>Orsolya Quillanby, Tamsin Everard</t>`: false,
		`<f>"Orsolya Quillanby"&amp;Sheet1!A1</f>`: false,
		`<t>Quillanbys!A1</t>`:                     false,
		`<t>Quillanby: seen</t>`:                   false,
		`<f>XQuillanby!A1</f>`:                     false,
		`<a b="Sheet1`:                             true,
	} {
		if got := xlsx.LeftRenamed([]byte(x), olds); got != want {
			t.Errorf("%s: %v, want %v", x, got, want)
		}
	}
	if xlsx.LeftRenamed([]byte(`<a b="Sheet1`), nil) {
		t.Error("no renamed sheet: nothing to find")
	}
}

// FuzzLeftRenamed: any part, any old name: no panic, and a part that is
// the old name before '!' in an element's text is always found.
func FuzzLeftRenamed(f *testing.F) {
	f.Add("<f>Quillanby!A1</f>", "quillanby")
	f.Add("<t>Quillanby: x!</t>", "quillanby")
	f.Add("<a b=\"'it''s'!A1\"/>", "it''s")
	f.Fuzz(func(t *testing.T, x, old string) {
		xlsx.LeftRenamed([]byte(x), []string{old})
		if old == "" || strings.ContainsAny(old, "<>&\"'\r") || old != strings.ToLower(old) || !utf8.ValidString(old) {
			return
		}
		if !xlsx.LeftRenamed([]byte("<f>("+old+"!A1)</f>"), []string{old}) {
			t.Fatalf("%q before '!' not found", old)
		}
	})
}
