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

// TestRenamedSheetLeftInLiterals: a sheet renamed by construction is
// renamed where Veil's reading of formulas did not rewrite it before: a
// reference inside a formula's string literal (INDIRECT, HYPERLINK with
// '#') and a cell hyperlink's relationship Target="#..." (safety review
// of sheetdoor, F1: all three were written with "Quillanby!A1" in them).
// Judged by unzipping every entry. A reference built by concatenation,
// which no rewrite follows, is refused (ErrUninspectable, the name not in
// the error) by the backstop over every written entry.
func TestRenamedSheetLeftInLiterals(t *testing.T) {
	const sheetNS = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	const relNS = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	const pkgNS = `http://schemas.openxmlformats.org/package/2006/relationships`
	sheet4 := func(body string) [2]string {
		return [2]string{"xl/worksheets/sheet4.xml", `<worksheet xmlns="` + sheetNS + `" xmlns:r="` + relNS + `"><sheetData>` + body + `</worksheet>`}
	}
	for name, tc := range map[string]struct {
		extra [][2]string
		want  string // "" = refused
	}{
		"INDIRECT":  {[][2]string{sheet4(`<row r="1"><c r="A1"><f>INDIRECT("Quillanby!A1")</f></c></row></sheetData>`)}, `INDIRECT("Sheet1!A1")`},
		"HYPERLINK": {[][2]string{sheet4(`<row r="1"><c r="A1"><f>HYPERLINK("#'Quillanby'!A1","open")</f></c></row></sheetData>`)}, `HYPERLINK("#Sheet1!A1","open")`},
		"rels Target": {[][2]string{
			sheet4(`<row r="1"><c r="A1" t="inlineStr"><is><t>open</t></is></c></row></sheetData><hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks>`),
			{"xl/worksheets/_rels/sheet4.xml.rels", `<Relationships xmlns="` + pkgNS + `"><Relationship Id="rId1" Type="` + relNS +
				`/hyperlink" Target="#Quillanby!A1" TargetMode="External"/></Relationships>`},
		}, `Target="#Sheet1!A1"`},
		"defined name in a literal": {[][2]string{sheet4(`<row r="1"><c r="A1"><f>SUM(INDIRECT("Tamsin_Everard"))</f></c></row></sheetData>`)}, ""},
		"concatenation":             {[][2]string{sheet4(`<row r="1"><c r="A1"><f>INDIRECT("'"&amp;"Quillanby"&amp;"'!A1")</f></c></row></sheetData>`)}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			in := xlsxtest.Zip(append(contextFreeEntries(t, "xl/worksheets/sheet4.xml"), tc.extra...)...)
			var out bytes.Buffer
			err := parse(t, in).Redact(&out, nil)
			if tc.want == "" {
				if !errors.Is(err, redactors.ErrUninspectable) {
					t.Fatalf("got %v, want ErrUninspectable", err)
				}
				if strings.Contains(strings.ToLower(err.Error()), "quillanby") || strings.Contains(strings.ToLower(err.Error()), "tamsin") {
					t.Fatalf("the error names the sheet: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, e := range mustZip(t, out.Bytes()) {
				if strings.Contains(strings.ToLower(e[1]), "quillanby!") || strings.Contains(strings.ToLower(e[1]), "quillanby'!") {
					t.Errorf("%s still refers to the renamed sheet", e[0])
				}
				all += e[1]
			}
			if !strings.Contains(all, tc.want) {
				t.Errorf("the output lacks %s", tc.want)
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
		`<f>INDIRECT("Quillanby!A1")</f>`:                 true,
		`<r Target="#'QUILLANBY'!A1"/>`:                   true,
		`<f>SUM('Quillanby:Jan 2026'!A1)</f>`:             true,
		`<f>SUM(Quillanby:Jan!A1)</f>`:                    true,
		`<a v="&#x51;uillanby!B2"/>`:                      true,
		`<f>'Tamsin Everard'!A1</f>`:                      true,
		`<!-- Quillanby!A1 -->`:                           true,
		`<t>Orsolya Quillanby, Tamsin Everard</t>`:        false,
		`<f>INDIRECT("'"&amp;"Quillanby"&amp;"'!A1")</f>`: true,
		`<a sheet=" quillanby"/>`:                         true,
		`<r Target="#'Tamsin%20Everard'!A1"/>`:            true,
		`<t>Quillanby</t>`:                                false,
		"<h location=\"'Tamsin\nEverard'!A1\"/>":          true,
		`<f>"Orsolya Quillanby"&amp;Sheet1!A1</f>`:        false,
		`<t>Quillanbys!A1</t>`:                            false,
		`<t>Quillanby: seen</t>`:                          false,
		`<f>XQuillanby!A1</f>`:                            false,
		`<a b="Quillanby`:                                 true,
	} {
		if got := xlsx.LeftRenamed([]byte(x), olds, nil); got != want {
			t.Errorf("%s: %v, want %v", x, got, want)
		}
	}
	// a renamed defined name, alone in quotes or as an attribute's value
	for x, want := range map[string]bool{
		`<f>INDIRECT("Tamsin_Everard")</f>`: true,
		`<n name="tamsin_everard"/>`:        true,
		`<f>Name1*2</f>`:                    false,
		`<t>Tamsin_Everard's file</t>`:      false,
	} {
		if got := xlsx.LeftRenamed([]byte(x), nil, []string{"tamsin_everard"}); got != want {
			t.Errorf("%s: %v, want %v", x, got, want)
		}
	}
	if xlsx.LeftRenamed([]byte(`<a b="Sheet1`), nil, nil) {
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
		xlsx.LeftRenamed([]byte(x), []string{old}, nil)
		if old == "" || strings.ContainsAny(old, "<>&\"'\r") || old != strings.ToLower(old) || !utf8.ValidString(old) {
			return
		}
		if !xlsx.LeftRenamed([]byte("<f>("+old+"!A1)</f>"), []string{old}, nil) {
			t.Fatalf("%q before '!' not found", old)
		}
	})
}

// TestExternalSheetNames: a sheet name of another workbook (after "[n]"
// in a reference, quoted or not, or an external link's sheetName) is
// chosen by that workbook's author like a local one, and Veil does not
// rename it: a name outside the vocabulary makes the workbook refused
// (ErrUninspectable, the name not in the error), never written (safety
// review of sheetdoor, F2: "[1]Everardine!A1" was written as it was, and
// "[1]Quillanby!A1" renamed after the book's own sheet). A kept name
// ("[1]Summary!A1") is no reason to refuse.
func TestExternalSheetNames(t *testing.T) {
	const sheetNS = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	sheet4 := func(f string) [2]string {
		return [2]string{"xl/worksheets/sheet4.xml", `<worksheet xmlns="` + sheetNS + `"><sheetData><row r="1"><c r="A1"><f>` + f + `</f></c></row></sheetData></worksheet>`}
	}
	for f, refuse := range map[string]bool{
		"[1]Everardine!A1":              true,
		"'[1]Tamsin Everard'!B2":        true,
		"[1]Quillanby!A1":               true,
		"SUM([1]Summary!A1:A3)":         false,
		"'[1]Jan 2026'!A1+[2]Sheet2!B2": false,
	} {
		var out bytes.Buffer
		d, err := xlsx.New(xlsx.Options{}).Parse(xlsxtest.Zip(append(contextFreeEntries(t, "xl/worksheets/sheet4.xml"), sheet4(f))...))
		if err == nil {
			err = d.Redact(&out, nil)
		}
		switch {
		case refuse && err == nil:
			t.Errorf("%s: written", f)
		case refuse && !errors.Is(err, redactors.ErrUninspectable):
			t.Errorf("%s: refused with %v, want ErrUninspectable", f, err)
		case refuse && strings.Contains(strings.ToLower(err.Error()), "everard"):
			t.Errorf("%s: the error names the sheet: %v", f, err)
		case !refuse && err != nil:
			t.Errorf("%s: refused: %v", f, err)
		}
	}
	// a defined name of the other book, and the sheet it refers to
	for dn, refuse := range map[string]bool{
		`<definedName name="Everardine" refersTo="=Sheet1!$A$1"/>`:       true,
		`<definedName name="Totals" refersTo="='Tamsin Everard'!$A$1"/>`: true,
		`<definedName name="Totals" refersTo="=Sheet1!$A$1"/>`:           false,
		`<definedName name="_xlnm.Print_Area" refersTo="=Sheet1!$A$1"/>`: false,
	} {
		var entries [][2]string
		for _, e := range mustZip(t, xlsxtest.Handmade()) {
			if e[0] == "xl/externalLinks/externalLink1.xml" {
				e[1] = strings.Replace(e[1], "</sheetNames>", "</sheetNames><definedNames>"+dn+"</definedNames>", 1)
			}
			entries = append(entries, e)
		}
		_, err := xlsx.New(xlsx.Options{}).Parse(xlsxtest.Zip(entries...))
		if refuse != (err != nil) || err != nil && !errors.Is(err, redactors.ErrUninspectable) {
			t.Errorf("%s: %v", dn, err)
		}
	}
	// an external link's own list of the other book's sheets: replaced
	// whatever the edits
	var out bytes.Buffer
	if err := parse(t, xlsxtest.Handmade()).Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	x := string(unzipEntry(t, out.Bytes(), "xl/externalLinks/externalLink1.xml"))
	if strings.Contains(x, "Oskarsdottir family") || !strings.Contains(x, `<sheetName val="External sheet 1"/>`) {
		t.Errorf("external link's sheet names: %s", x)
	}
}

// FuzzExternalSheet: any text: no panic, and a reference to another
// book's sheet by a name outside the vocabulary is always found.
func FuzzExternalSheet(f *testing.F) {
	f.Add("SUM([1]Everardine!A1:A3)", "Everardine")
	f.Add("'C:\\x\\[Book.xlsx]Tamsin''s'!A1", "Tamsin Everard")
	f.Add("Table1[[#This Row],[Col]]", "x")
	f.Fuzz(func(t *testing.T, s, name string) {
		xlsx.ExternalSheet(s)
		if name == "" || xlsx.KeepName(name) || strings.ContainsAny(name, "'[]:!") {
			return
		}
		if !xlsx.ExternalSheet(s + "+'[1]" + name + "'!A1") {
			t.Fatalf("%q not found", name)
		}
	})
}

// FuzzRenameInText: any literal: no panic, renaming twice changes
// nothing more, and a literal that is a reference to the renamed sheet
// loses the old name.
func FuzzRenameInText(f *testing.F) {
	f.Add("#'Quillanby'!A1")
	f.Add("Jan:Quillanby!A1 and [1]Quillanby!B2")
	f.Add("'it''s'!A1")
	renames := map[string]string{"quillanby": "Sheet1", "jan": "Sheet2", "it's": "Sheet3"}
	f.Fuzz(func(t *testing.T, s string) {
		once := xlsx.RenameInText(s, renames)
		if twice := xlsx.RenameInText(once, renames); twice != once {
			t.Fatalf("%q -> %q -> %q", s, once, twice)
		}
		if got := xlsx.RenameInText("#'Quillanby'!A1", renames); got != "#Sheet1!A1" {
			t.Fatalf("got %q", got)
		}
	})
}
