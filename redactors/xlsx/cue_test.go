package xlsx_test

import (
	"testing"

	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestDataRowIsNoHeader: a row of text among the data ("pending | a
// client's name | y") is no header row: the record number below it keeps
// its column's label (safety review of sheetdoor, F5: it took "pending"
// as its label, and supervision wrote it). A header row after an empty
// row still labels the values under it, a label alone in its row the
// value below it (a form down one column), and a header row below a
// form's row the values under it.
func TestDataRowIsNoHeader(t *testing.T) {
	const sheetNS = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	s := func(ref, text string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
	}
	n := func(ref, v string) string { return `<c r="` + ref + `"><v>` + v + `</v></c>` }
	for _, h3 := range []string{"Q1 2024", "Ward"} {
		wb := xlsxtest.Zip(append(contextFreeEntries(t, "xl/worksheets/sheet4.xml"), [2]string{"xl/worksheets/sheet4.xml",
			`<worksheet xmlns="` + sheetNS + `"><sheetData>` +
				`<row r="1">` + s("A1", "MRN") + s("B1", "Name") + s("C1", h3) + `</row>` +
				`<row r="2">` + n("A2", "48213907") + s("B2", "Tamsin Everard") + s("C2", "x") + `</row>` +
				`<row r="3">` + s("A3", "pending") + s("B3", "Orsolya Quillanby") + s("C3", "y") + `</row>` +
				`<row r="4">` + n("A4", "48213908") + s("B4", "Tamsin Everard") + s("C4", "z") + `</row>` +
				`<row r="6">` + s("A6", "Phone") + s("B6", "Name") + `</row>` +
				`<row r="7">` + n("A7", "6175550143") + s("B7", "Orsolya Quillanby") + `</row>` +
				`<row r="9">` + s("A9", "Patient ID") + `</row>` + `<row r="10">` + n("A10", "48213907") + `</row>` +
				`<row r="11">` + s("A11", "Phone") + `</row>` + `<row r="12">` + n("A12", "6175550143") + `</row>` +
				`<row r="14">` + s("A14", "Seen") + s("B14", "2026-01-05") + `</row>` +
				`<row r="15">` + s("A15", "Client") + s("B15", "Phone") + `</row>` +
				`<row r="16">` + s("A16", "Tamsin Everard") + n("B16", "6175550199") + `</row>` +
				`</sheetData></worksheet>`})...)
		d := parse(t, wb)
		for ref, want := range map[string]string{"A2": "MRN", "A4": "MRN", "A7": "Phone", "A10": "Patient ID", "A12": "Phone", "B16": "Phone"} {
			if p := part(t, d, "xl/worksheets/sheet4.xml:"+ref); p.Field != want {
				t.Errorf("%s (third header %q): Field %q, want %q", ref, h3, p.Field, want)
			}
		}
	}
}
