// Package xlsxtest writes the workbooks the XLSX tests redact: invented
// people in every place a workbook keeps text (cells, a hidden sheet,
// comments, a pivot table, a chart, formulas, names, headers, data
// validation, properties). excelize writes them, so the fixtures come from
// a producer Veil does not share code with.
package xlsxtest

import (
	"bytes"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

// Person is an invented patient of the fixture.
type Person struct {
	Name   string
	SSN    int     // stored as a number
	Birth  float64 // a date serial (1900 system)
	BirthS string  // the same date, ISO
	City   string
	Amount float64
}

// People are the fixture's patients. The names are invented.
var People = []Person{
	{"Marisol Quennelly", 512447781, serial("1984-03-12"), "1984-03-12", "Tarrowby", 120.5},
	{"Teodor Vashkinov", 623108842, serial("1969-08-23"), "1969-08-23", "Pellingford", 80},
	{"Odalys Feverbrook", 734219953, serial("1992-01-10"), "1992-01-10", "Tarrowby", 45.25},
}

// serial is the 1900-system serial of an ISO date after February 1900.
func serial(iso string) float64 {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		panic(err)
	}
	return float64(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// Secrets are the values of the fixture that must not survive in any
// part of a redacted workbook: names (also the sheet named after one and
// the author of the comment), SSNs as the XML writes the numbers, and a
// birth date a comment writes out. The birth dates of the DOB column are
// date serials (Serials).
func Secrets() []string {
	var out []string
	for _, p := range People {
		out = append(out, p.Name, fmt.Sprint(p.SSN))
	}
	return append(out, "Quennelly", "Vashkinov", "Feverbrook", "Hollisande Brack", "1984-03-12")
}

// Serials are the birth dates as the cells store them.
func Serials() []string {
	var out []string
	for _, p := range People {
		out = append(out, fmt.Sprint(p.Birth))
	}
	return out
}

// Workbook writes the Done-when workbook: a sheet of patients (name, SSN
// as a number, birth date as a serial with a date format, city, amount, a
// formula concatenating the name), a hidden sheet with a copy, a sheet
// named after a person, comments, a table, a pivot table and a chart over
// the patients, a defined name, a header and footer, a data validation
// list of names, hidden rows and columns, and document properties.
func Workbook() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const s = "Patients"
	if err := f.SetSheetName("Sheet1", s); err != nil {
		return nil, err
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	heads := []string{"Patient Name", "SSN", "DOB", "City", "Amount", "Greeting"}
	for i, h := range heads {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(s, cell, h); err != nil {
			return nil, err
		}
	}
	for r, p := range People {
		row := r + 2
		set := func(col int, v any) error {
			cell, _ := excelize.CoordinatesToCellName(col, row)
			return f.SetCellValue(s, cell, v)
		}
		for col, v := range []any{p.Name, p.SSN, p.Birth, p.City, p.Amount} {
			if err := set(col+1, v); err != nil {
				return nil, err
			}
		}
		if err := f.SetCellStyle(s, fmt.Sprintf("C%d", row), fmt.Sprintf("C%d", row), date); err != nil {
			return nil, err
		}
		if err := f.SetCellFormula(s, fmt.Sprintf("F%d", row), fmt.Sprintf(`"Dear "&A%d`, row)); err != nil {
			return nil, err
		}
	}
	// a formula with the name as a literal, and a hidden row and column
	if err := f.SetCellFormula(s, "H2", `IF(A2="Marisol Quennelly","seen by Hollisande Brack","")`); err != nil {
		return nil, err
	}
	if err := f.SetRowVisible(s, 4, false); err != nil {
		return nil, err
	}
	if err := f.SetColVisible(s, "D", false); err != nil {
		return nil, err
	}
	if err := f.AddComment(s, excelize.Comment{Cell: "A2", Author: "Hollisande Brack",
		Paragraph: []excelize.RichTextRun{{Text: "Hollisande Brack: "}, {Text: "Marisol Quennelly called on 1984-03-12 about her SSN 512-44-7781"}}}); err != nil {
		return nil, err
	}
	if err := f.SetHeaderFooter(s, &excelize.HeaderFooterOptions{OddHeader: "&LPatients of Hollisande Brack&RPage &P", OddFooter: "&CPrepared for Teodor Vashkinov"}); err != nil {
		return nil, err
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = "A10:A20"
	if err := dv.SetDropList([]string{"Marisol Quennelly", "Teodor Vashkinov"}); err != nil {
		return nil, err
	}
	if err := f.AddDataValidation(s, dv); err != nil {
		return nil, err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "Birthdays", RefersTo: s + "!$C$2:$C$4", Comment: "birthdays of Marisol Quennelly and others"}); err != nil {
		return nil, err
	}
	if err := f.AddTable(s, &excelize.Table{Range: "A1:F4", Name: "PatientTable"}); err != nil {
		return nil, err
	}
	// a hidden sheet with a copy of the names
	if _, err := f.NewSheet("Archive"); err != nil {
		return nil, err
	}
	for r, p := range People {
		if err := f.SetCellValue("Archive", fmt.Sprintf("A%d", r+1), "old record of "+p.Name); err != nil {
			return nil, err
		}
	}
	if err := f.SetSheetVisible("Archive", false); err != nil {
		return nil, err
	}
	// a sheet named after a person
	if _, err := f.NewSheet("Feverbrook"); err != nil {
		return nil, err
	}
	if err := f.SetCellValue("Feverbrook", "A1", "notes"); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet("Pivot"); err != nil {
		return nil, err
	}
	if err := f.AddPivotTable(&excelize.PivotTableOptions{
		DataRange: s + "!A1:E4", PivotTableRange: "Pivot!A1:C8",
		Rows: []excelize.PivotTableField{{Data: "Patient Name"}}, Data: []excelize.PivotTableField{{Data: "Amount", Subtotal: "Sum"}},
	}); err != nil {
		return nil, err
	}
	if err := f.AddChart(s, "J2", &excelize.Chart{Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: s + "!$E$1", Categories: s + "!$A$2:$A$4", Values: s + "!$E$2:$E$4"}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Amounts of Marisol Quennelly and others"}}}}); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "Hollisande Brack", LastModifiedBy: "Hollisande Brack", Title: "Intake of Marisol Quennelly"}); err != nil {
		return nil, err
	}
	if err := f.SetCustomProps(excelize.CustomProperty{Name: "Clinician", Value: "Hollisande Brack"}); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MarkerWorkbook shows marker in a shared string, an inline-free cell
// with a header, a comment, a header, a formula literal, a chart title and
// the title property: every kind of place the format reads.
func MarkerWorkbook(marker string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	rows := [][]any{{"Client", "Note", "Visits"}, {marker, "called " + marker + " back", 3}, {"Zoë Ærensen", "no show", 1}}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue(s, cell, v); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetCellFormula(s, "D2", `IF(A2="`+marker+`",1,0)`); err != nil {
		return nil, err
	}
	if err := f.AddComment(s, excelize.Comment{Cell: "B2", Author: "Clinic", Paragraph: []excelize.RichTextRun{{Text: "about " + marker}}}); err != nil {
		return nil, err
	}
	if err := f.SetHeaderFooter(s, &excelize.HeaderFooterOptions{OddHeader: "&CFile of " + marker}); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Notes on " + marker}); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
