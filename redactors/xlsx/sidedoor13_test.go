package xlsx_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
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

// pivotSlicerBook is a workbook as excelize writes it with a pivot table
// over a column headed by a client's surname ("Quillanby", a grid with a
// column per client), a slicer on that field (Excel's default names:
// the slicer is named as the field, its cache "Slicer_<field>", a defined
// name), a data field "Sum of Quillanby" and a GETPIVOTDATA formula that
// names it. Invented values.
func pivotSlicerBook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Data"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"Month", "Region", "Quillanby"}, {"Jan", "North", 3}, {"Feb", "South", 4}, {"Mar", "North", 5}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Data", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Pivot"); err != nil {
		t.Fatal(err)
	}
	if err := f.AddPivotTable(&excelize.PivotTableOptions{DataRange: "Data!A1:C4", PivotTableRange: "Pivot!A1:C8", Name: "PivotTable1",
		Rows: []excelize.PivotTableField{{Data: "Region"}}, Data: []excelize.PivotTableField{{Data: "Quillanby", Name: "Sum of Quillanby", Subtotal: "Sum"}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.AddSlicer("Pivot", &excelize.SlicerOptions{Name: "Quillanby", Cell: "E1", TableSheet: "Pivot", TableName: "PivotTable1",
		Caption: "Quillanby", Width: 200, Height: 200}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula("Data", "E1", `GETPIVOTDATA("Sum of Quillanby",Pivot!$A$1)`); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSlicerNames: a slicer's name and its cache's name (a defined name
// too) are identifiers the author chose, renamed by construction like
// defined names, the same new name in every place that names them (the
// defined name, the cache, the slicer's reference to its cache, the
// slicer, the drawing's slicer and its frame); the field's name, the
// slicer's caption and the data field's name are text, redacted where an
// edit finds them (session "sidedoor13", issue 13: with no edit the
// workbook was refused for the cache's name, and with the surname
// redacted everywhere the defined name and the cache's name no longer
// matched). Judged by unzipping every entry.
func TestSlicerNames(t *testing.T) {
	in := pivotSlicerBook(t)
	for _, tc := range []struct {
		name   string
		remove bool
	}{{"no edit", false}, {"surname removed", true}} {
		t.Run(tc.name, func(t *testing.T) {
			d := parse(t, in)
			var edits []redactors.Edit
			if tc.remove {
				edits = formattest.EditsRemoving(d.Parts(), formattest.Label, "Quillanby")
			}
			var out bytes.Buffer
			if err := d.Redact(&out, edits); err != nil {
				t.Fatal(err)
			}
			attrs := map[string][]string{} // element local name + " " + attribute → values
			for _, e := range mustZip(t, out.Bytes()) {
				l := strings.ToLower(e[1])
				if strings.Contains(l, "slicer_quillanby") {
					t.Errorf("%s keeps the cache's name", e[0])
				}
				if tc.remove && strings.Contains(l, "quillanby") {
					t.Errorf("%s keeps the surname", e[0])
				}
				dec := xml.NewDecoder(strings.NewReader(e[1]))
				for {
					tok, err := dec.Token()
					if err != nil {
						break
					}
					if se, ok := tok.(xml.StartElement); ok {
						for _, a := range se.Attr {
							attrs[se.Name.Local+" "+a.Name.Local] = append(attrs[se.Name.Local+" "+a.Name.Local], a.Value)
						}
						if se.Name.Local == "definedName" {
							for _, a := range se.Attr {
								if a.Name.Local == "name" {
									attrs["definedName"] = append(attrs["definedName"], a.Value)
								}
							}
						}
					}
				}
			}
			cache := attrs["slicerCacheDefinition name"]
			if len(cache) != 1 || cache[0] == "" {
				t.Fatalf("cache names %q", cache)
			}
			for _, k := range []string{"definedName", "slicer cache"} {
				if got := attrs[k]; len(got) != 1 || got[0] != cache[0] {
					t.Errorf("%s: %q, the cache is %q", k, got, cache[0])
				}
			}
			names := attrs["slicer name"] // the slicer part's and the drawing's
			if len(names) != 2 || names[0] != names[1] || strings.Contains(strings.ToLower(names[0]), "quillanby") {
				t.Errorf("slicer names %q", names)
			}
			frame := false
			for _, n := range attrs["cNvPr name"] {
				frame = frame || n == names[0]
				if strings.EqualFold(n, "quillanby") {
					t.Errorf("the slicer's frame keeps its name")
				}
			}
			if !frame {
				t.Errorf("no drawing frame named as the slicer: %q", attrs["cNvPr name"])
			}
		})
	}
}

// TestTimelineNames: a timeline's name and its cache's name are renamed
// by construction like a slicer's, the same new cache name in the cache
// and the timeline, the timeline's name in the drawing's timeslicer.
func TestTimelineNames(t *testing.T) {
	const x15 = `http://schemas.microsoft.com/office/spreadsheetml/2010/11/main`
	const tsle = `http://schemas.microsoft.com/office/drawing/2012/timeslicer`
	in := xlsxtest.Zip(append(contextFreeEntries(t, ""),
		[2]string{"xl/timelines/timeline1.xml", `<timelines xmlns="` + x15 + `"><timeline name="Quillanby visits" cache="NativeTimeline_Quillanby" caption="Visits" level="2"/></timelines>`},
		[2]string{"xl/timelineCaches/timelineCache1.xml", `<timelineCacheDefinition xmlns="` + x15 + `" name="NativeTimeline_Quillanby" sourceName="Visit date"/>`},
		[2]string{"xl/drawings/drawing9.xml", `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">` +
			`<xdr:graphicFrame><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Quillanby visits"/></xdr:nvGraphicFramePr>` +
			`<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/drawing/2012/timeslicer"><tsle:timeslicer xmlns:tsle="` + tsle + `" name="Quillanby visits"/></a:graphicData></a:graphic></xdr:graphicFrame></xdr:wsDr>`},
	)...)
	var out bytes.Buffer
	if err := parse(t, in).Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	all := ""
	for _, e := range mustZip(t, out.Bytes()) {
		all += e[1]
	}
	for _, w := range []string{`<timeline name="Timeline`, `cache="Name`, `name="Name`, `tsle="` + tsle + `" name="Timeline`, `cNvPr id="2" name="Timeline`} {
		if !strings.Contains(all, w) {
			t.Errorf("the output lacks %s", w)
		}
	}
	if strings.Contains(strings.ToLower(all), "quillanby visits") || strings.Contains(strings.ToLower(all), "nativetimeline_quillanby") {
		t.Error("a timeline's name is left")
	}
}

// FuzzFormulaNameLeft: any part, any renamed name: no panic, and a name
// made of formula name characters used as an identifier in an f element
// (after an operator, any case) is always found.
func FuzzFormulaNameLeft(f *testing.F) {
	f.Add("<f>Tamsin_Everard*2</f>", "tamsin_everard")
	f.Add(`<c fmlaRange="OFFSET(x,0,0)"/>`, "x")
	f.Add("<formula><![CDATA[A1>N]]></formula>", "n")
	f.Fuzz(func(t *testing.T, x, old string) {
		xlsx.LeftRenamed([]byte(x), nil, []string{old})
		if old == "" || old != strings.ToLower(old) || old[0] >= '0' && old[0] <= '9' {
			return
		}
		for i := 0; i < len(old); i++ {
			if c := old[i]; !(c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
				return
			}
		}
		if !xlsx.LeftRenamed([]byte("<f>1+"+strings.ToUpper(old)+"*2</f>"), nil, []string{old}) {
			t.Fatalf("%q used bare not found", old)
		}
	})
}
