package xlsx_test

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/xlsx"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestValueCues: a value typed as a number has the label the layout shows
// for it as its Field: the header row below a title, the label beside it
// in a row of two cells; a data validation's list is a part under the
// header of the column it applies to (session sheetdoor,
// issue 13). Before, none of these had a Field and supervision wrote the
// record numbers and birth-date serials.
func TestValueCues(t *testing.T) {
	d := parse(t, xlsxtest.ContextFree())
	for name, field := range map[string]string{
		"xl/worksheets/sheet1.xml:B3": "MRN", "xl/worksheets/sheet1.xml:C4": "Phone", "xl/worksheets/sheet1.xml:D3": "DOB",
		"xl/worksheets/sheet1.xml:E4": "Amount", "xl/worksheets/sheet1.xml:B6": "Record number",
	} {
		if p := part(t, d, name); p.Field != field {
			t.Errorf("%s: Field %q, want %q", name, p.Field, field)
		}
	}
	// a header row below a title over column A: the title is taken for
	// the first row's header, the header row below it wins for values
	wb := xlsxtest.Zip(append(contextFreeEntries(t, "xl/worksheets/sheet4.xml"), [2]string{"xl/worksheets/sheet4.xml",
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>Clinic list</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>MRN</t></is></c><c r="B2" t="inlineStr"><is><t>Client</t></is></c></row>` +
			`<row r="3"><c r="A3"><v>48213907</v></c><c r="B3" t="inlineStr"><is><t>Orsolya Quillanby</t></is></c></row>` +
			`</sheetData></worksheet>`})...)
	if p := part(t, parse(t, wb), "xl/worksheets/sheet4.xml:A3"); p.Field != "MRN" {
		t.Errorf("a number under a header row below a title: Field %q", p.Field)
	}
	if p := part(t, d, "xl/worksheets/sheet1.xml:validation list 1"); p.Text != "48213950,48213951" || p.Field != "Patient ID" {
		t.Errorf("validation list: %+v", p)
	}
}

// TestNamesByConstruction: sheet names and defined names that are not of
// the closed vocabulary are renamed with no edit at all, in every place
// that refers to them (the workbook, defined names' and cells' formulas,
// a 2-D and quoted reference, a hyperlink's location, an extension's
// xm:f, docProps/app.xml); kept names stay. Judged by unzipping every
// entry, and by LibreOffice Calc, which must still follow every
// reference: the formulas have no cached values, so the totals it shows
// are computed through the renamed sheets and names.
func TestNamesByConstruction(t *testing.T) {
	in := xlsxtest.ContextFree()
	d := parse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	seen := judge(t, out.Bytes())
	// the names stay only as the data of the clients' validation list
	// (detection's business), nowhere as a sheet's or a range's name
	for _, s := range []string{"Quillanby!", "'Quillanby'", ">Quillanby<", `name="Quillanby"`, "Tamsin_Everard", "'48213907'"} {
		if strings.Contains(seen, s) {
			t.Errorf("%q left in the output", s)
		}
	}
	// the record number is left only in its cell (detection's business),
	// not as a sheet's name anywhere
	if n := strings.Count(string(unzipEntry(t, out.Bytes(), "xl/workbook.xml"))+string(unzipEntry(t, out.Bytes(), "docProps/app.xml")), "48213907"); n != 0 {
		t.Errorf("the record number stays as a sheet name (%d)", n)
	}
	d2 := parse(t, out.Bytes())
	if p := part(t, d2, "xl/workbook.xml:sheet names"); p.Text != "Sheet1\nSheet2\nSummary\nJan 2026" {
		t.Errorf("sheet names: %q", p.Text)
	}
	if p := part(t, d2, "xl/workbook.xml:names"); p.Text != "Name1\nTotals" {
		t.Errorf("defined names: %q", p.Text)
	}
	if p := part(t, d2, "docProps/app.xml:references"); p.Text != "Sheet1\nSheet2\nSummary\nJan 2026\nSheet1!Print_Area\nName1\nTotals" {
		t.Errorf("titles of parts: %q", p.Text)
	}
	for _, want := range []string{`location="Sheet2!A1"`, "<xm:f>Sheet1!$E$3:$E$4</xm:f>", "<f>Sheet1!E4+Summary!B1</f>", "<f>Name1*2</f>",
		`<definedName name="_xlnm.Print_Area" localSheetId="0">Sheet1!$A$1:$F$6</definedName>`} {
		if !strings.Contains(seen, want) {
			t.Errorf("the output lacks %s", want)
		}
	}
	notes := strings.Join(d.(redactors.Noter).Notes(), "; ")
	for _, want := range []string{"2 sheet names chosen by the workbook's author replaced", "1 defined or table name chosen by the workbook's author replaced"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q: %s", want, notes)
		}
	}
	// LibreOffice follows every renamed reference
	sheets := calcSheets(t, out.Bytes())
	for sheet, want := range map[string]string{
		"Sheet2":  "48213907\n280.5\n",
		"Summary": "Total,200.5\nTwice,96427814\n",
	} {
		if got := sheets[sheet]; got != want {
			t.Errorf("Calc shows sheet %s as %q, want %q (all: %v)", sheet, got, want, slices.Sorted(maps.Keys(sheets)))
		}
	}
}

// TestRenameReferences: references in formulas to renamed sheets, 3-D
// ones included, are rewritten; an edit inside a renamed reference gives
// way to the new name.
func TestRenameReferences(t *testing.T) {
	sheets := map[string]string{"quillanby": "Sheet1", "jan": "Sheet2"}
	names := map[string]string{"tamsin_everard": "Name1"}
	for in, want := range map[string]string{
		"SUM('Jan:Quillanby'!A1)":        "SUM('Sheet2:Sheet1'!A1)",
		"SUM(Summary:Quillanby!A1)":      "SUM(Summary:Sheet1!A1)",
		"SUM(Jan:Summary!A1)":            "SUM(Sheet2:Summary!A1)",
		"Quillanby!A1&\"Quillanby\"":     "Sheet1!A1&\"Quillanby\"",
		"Tamsin_Everard+'Quillanby'!B$2": "Name1+Sheet1!B$2",
		"quillanby":                      "Sheet1",
		"A1+B2":                          "A1+B2",
	} {
		if got := xlsx.RenameRefs(in, nil, sheets, names); got != want {
			t.Errorf("%s: got %s want %s", in, got, want)
		}
	}
	// an edit over the sheet's name gives way; one elsewhere stays
	got := xlsx.RenameRefs("Quillanby!A1 for Quillanby", []redactors.Edit{{Start: 0, End: 9, Replacement: "[X]"}, {Start: 17, End: 26, Replacement: "[X]"}}, sheets, names)
	if got != "Sheet1!A1 for [X]" {
		t.Errorf("edits and renames: %q", got)
	}
}

// TestKeepName: the closed vocabulary.
func TestKeepName(t *testing.T) {
	for name, keep := range map[string]bool{
		"Sheet1": true, "Summary": true, "Jan 2026": true, "Q3 FY2025": true, "SalesData": true, "Лист2": true,
		"Patients (2)": true, "Print_Area": true,
		"Quillanby": false, "48213907": false, "Tamsin_Everard": false, "Summary 482139": false, "Everard notes": false,
	} {
		if got := xlsx.KeepName(name); got != keep {
			t.Errorf("%q: keep %v, want %v", name, got, keep)
		}
	}
}

func unzipEntry(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	for _, e := range mustZip(t, b) {
		if e[0] == name {
			return []byte(e[1])
		}
	}
	t.Fatalf("no entry %s", name)
	return nil
}

// calcSheets converts a workbook with LibreOffice Calc to one CSV per
// sheet, formulas as their results, and returns them by sheet name.
func calcSheets(t *testing.T, b []byte) map[string]string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "book.xlsx"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	soffice(t, dir, "--convert-to", csvFilter, "--outdir", "csv", "book.xlsx")
	files, err := filepath.Glob(filepath.Join(dir, "csv", "book-*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		x, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "book-"), ".csv")] = strings.ReplaceAll(string(x), "\r\n", "\n")
	}
	return out
}

// FuzzRenameRefs: any text, any edit, renames of the sheets and names it
// may refer to: the edits handed to Splice are in order and inside the
// text (Splice panics otherwise), and a whole-value name is renamed.
func FuzzRenameRefs(f *testing.F) {
	f.Add("SUM('Jan:Quillanby'!A1)+Tamsin_Everard", 3, 9)
	f.Add("quillanby", 0, 0)
	f.Add("Quillanby!A1 for Quillanby", 17, 26)
	f.Add("'it''s'!A1", 1, 2)
	f.Fuzz(func(t *testing.T, text string, a, b int) {
		sheets := map[string]string{"quillanby": "Sheet1", "jan": "Sheet2", "it's": "Sheet3"}
		names := map[string]string{"tamsin_everard": "Name1"}
		var es []redactors.Edit
		if a >= 0 && b >= a && b <= len(text) {
			es = []redactors.Edit{{Start: a, End: b, Replacement: "[X]"}}
		}
		got := xlsx.RenameRefs(text, es, sheets, names)
		if strings.EqualFold(strings.TrimSpace(text), "quillanby") && got != "Sheet1" {
			t.Fatalf("%q -> %q", text, got)
		}
	})
}

// contextFreeEntries returns ContextFree's entries less the one named.
func contextFreeEntries(t *testing.T, without string) [][2]string {
	t.Helper()
	var out [][2]string
	for _, e := range mustZip(t, xlsxtest.ContextFree()) {
		if e[0] != without {
			out = append(out, e)
		}
	}
	return out
}
