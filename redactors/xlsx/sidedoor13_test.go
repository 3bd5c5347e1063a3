package xlsx_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/xlsx"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestRenamedNameBareInFormula: a defined name renamed by construction
// ("Tamsin_Everard", outside the vocabulary) used bare in a formula of a
// place Veil's rewrite does not treat as a formula of the workbook (an
// x14 extension's xm:f without a sheet reference, a CDATA formula, a
// form control's fmlaLink) is renamed where the rewrite reads it, and the
// workbook is refused where it does not (session "sidedoor13", issue 13:
// each was written with the old name in it). Judged by unzipping every
// entry and reading it for the old name, any case.
func TestRenamedNameBareInFormula(t *testing.T) {
	const main = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	const x14 = `http://schemas.microsoft.com/office/spreadsheetml/2009/9/main`
	const xm = `http://schemas.microsoft.com/office/excel/2006/main`
	sheet4 := func(body string) [2]string {
		return [2]string{"xl/worksheets/sheet4.xml", `<worksheet xmlns="` + main + `" xmlns:x14="` + x14 + `" xmlns:xm="` + xm + `"><sheetData>` +
			`<row r="1"><c r="A1"><v>1</v></c></row></sheetData>` + body + `</worksheet>`}
	}
	ext := func(f string) string {
		return `<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings><x14:conditionalFormatting>` +
			`<x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-000000000001}"><xm:f>` + f + `</xm:f></x14:cfRule>` +
			`<xm:sqref>A1</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>`
	}
	for name, tc := range map[string]struct {
		extra [][2]string
		want  string // "" = refused
	}{
		"x14 bare name":       {[][2]string{sheet4(ext(`A1&gt;Tamsin_Everard`))}, `A1&gt;Name1`},
		"x14 bare name, case": {[][2]string{sheet4(ext(`A1&gt;TAMSIN_EVERARD*2`))}, `A1&gt;Name1*2`},
		"x14 structured":      {[][2]string{sheet4(ext(`SUM(Tamsin_Everard)&gt;0`))}, `SUM(Name1)&gt;0`},
		"CDATA formula": {[][2]string{sheet4(`<conditionalFormatting sqref="A1"><cfRule type="expression" priority="2">` +
			`<formula><![CDATA[A1>Tamsin_Everard]]></formula></cfRule></conditionalFormatting>`)}, ""},
		"form control link":  {[][2]string{{"xl/ctrlProps/ctrlProp1.xml", `<formControlPr xmlns="` + x14 + `" objectType="Spin" fmlaLink="Tamsin_Everard"/>`}}, ""},
		"form control range": {[][2]string{{"xl/ctrlProps/ctrlProp1.xml", `<formControlPr xmlns="` + x14 + `" objectType="Drop" fmlaRange="OFFSET(Tamsin_Everard,0,0)"/>`}}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			in := xlsxtest.Zip(append(contextFreeEntries(t, "xl/worksheets/sheet4.xml"), tc.extra...)...)
			var out bytes.Buffer
			err := parse(t, in).Redact(&out, nil)
			if tc.want == "" {
				if err == nil {
					for _, e := range mustZip(t, out.Bytes()) {
						if strings.Contains(strings.ToLower(e[1]), "tamsin_everard") {
							t.Errorf("%s written with the renamed name", e[0])
						}
					}
					return
				}
				if !errors.Is(err, redactors.ErrUninspectable) {
					t.Fatalf("got %v, want ErrUninspectable", err)
				}
				if strings.Contains(strings.ToLower(err.Error()), "tamsin") {
					t.Fatalf("the error names the name: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, e := range mustZip(t, out.Bytes()) {
				if strings.Contains(strings.ToLower(e[1]), "tamsin_everard") {
					t.Errorf("%s still holds the renamed name", e[0])
				}
				all += e[1]
			}
			if !strings.Contains(all, tc.want) {
				t.Errorf("the output lacks %s", tc.want)
			}
		})
	}
}

// TestLeftRenamedFormulaToken: the backstop reads every formula of a part
// (an element of a formula's name in any namespace, CDATA included, and
// the formula attributes of form controls and pivot caches) token by
// token: a renamed defined name as an identifier counts, any case; the
// same word as data, inside a literal or as part of
// a longer identifier does not.
func TestLeftRenamedFormulaToken(t *testing.T) {
	olds := []string{"tamsin_everard"}
	for x, want := range map[string]bool{
		`<f>Tamsin_Everard*2</f>`:                              true,
		`<xm:f xmlns:xm="u">A1&gt;TAMSIN_EVERARD</xm:f>`:       true,
		`<formula><![CDATA[A1>Tamsin_Everard]]></formula>`:     true,
		`<c fmlaLink="Tamsin_Everard"/>`:                       true,
		`<c fmlaRange="OFFSET(tamsin_everard,0,0)"/>`:          true,
		`<cacheField name="x" formula="Tamsin_Everard/2"/>`:    true,
		`<definedName name="N">Tamsin_Everard+1</definedName>`: true,
		`<f>Sheet1!Tamsin_Everard</f>`:                         true,
		`<f>Tamsin_Everard[Amount]</f>`:                        true,
		`<f>Name1*2</f>`:                                       false,
		`<f>Tamsin_Everards*2</f>`:                             false,
		`<f>Tamsin_Everard(2)</f>`:                             true, // a LAMBDA called by its name
		`<f>SUM(2)</f>`:                                        false,
		`<t>Tamsin_Everard</t>`:                                false,
		`<f>"see Tamsin_Everard file"</f>`:                     false,
	} {
		if got := xlsx.LeftRenamed([]byte(x), nil, olds); got != want {
			t.Errorf("%s: %v, want %v", x, got, want)
		}
	}
}
