package pipeline_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
)

// Tables: the column refiner, the profile's columns: rules, and the dates
// of a row bound to its person, through the engine on CSV files written
// here (invented people).

// redactCSV runs one CSV through e and returns its records; the file must
// be written.
func redactCSV(t *testing.T, e *pipeline.Engine, name, in string) ([][]string, report.File) {
	recs, rec, _ := redactCSVRaw(t, e, name, in)
	return recs, rec
}

func redactCSVRaw(t *testing.T, e *pipeline.Engine, name, in string) ([][]string, report.File, []byte) {
	t.Helper()
	out, rec := e.Redact(context.Background(), name, []byte(in))
	if out == nil {
		t.Fatalf("%s not written: %s %s %s", name, rec.Status, rec.Reason, rec.Detail)
	}
	recs, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		t.Fatalf("%s: output is no CSV: %v", name, err)
	}
	return recs, rec, out
}

func readCSV(t *testing.T, in string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(in)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// sameShape fails unless out has the records and fields of in.
func sameShape(t *testing.T, in, out [][]string) {
	t.Helper()
	if len(in) != len(out) {
		t.Fatalf("%d records out of %d", len(out), len(in))
	}
	for r := range in {
		if len(in[r]) != len(out[r]) {
			t.Fatalf("record %d: %d fields out of %d", r+1, len(out[r]), len(in[r]))
		}
	}
}

func TestColumnMajority(t *testing.T) {
	e := engine(t, "supervision", pipeline.Options{})
	// Names the rules find in most rows; the others (an unusual first
	// name, a lower case row whose surname is one typing error from an
	// ordinary word, a surname the lists lack) only the column makes
	// suspect. (A lower case row of a listed given name, or of two words
	// in no list, is found by the case-blind name rules: ner/names
	// caseforms.go.)
	const in = "Name,Age,Comment\n" +
		"Ysbrand Teulinck,40,Fine today\n" +
		"Quillon Marsh,41,\n" +
		"wendeline ashgrove,42,Called back\n" +
		"Odalric Venkataraman,43,\n" +
		"Tamsin Oyelaran,44,Seen by Tamsin Oyelaran\n" +
		"Brisco Halvorsen-Tjaden,45,Needs review\n" +
		"Peregrine Aldous,46,No change\n" +
		"qorvanth windwo,47,\n"
	src := readCSV(t, in)
	out, rec := redactCSV(t, e, "people.csv", in)
	sameShape(t, src, out)
	majority := 0
	for _, c := range rec.Changes {
		if c.Rule == "column/majority" {
			majority++
		}
	}
	if majority == 0 {
		t.Errorf("no cell taken by the column refiner: %+v", rec.Changes)
	}
	for r := 1; r < len(src); r++ {
		if out[r][0] == src[r][0] {
			t.Errorf("row %d: the name is kept: %q", r+1, out[r][0])
		}
		if out[r][1] != src[r][1] {
			t.Errorf("row %d: the age column changed: %q", r+1, out[r][1])
		}
	}
	// The comments are no column of names: a capitalised two-word remark
	// has the shape of a name, and stays.
	for _, r := range []int{1, 3, 6, 7} {
		if out[r][2] != src[r][2] {
			t.Errorf("row %d: a comment changed: %q -> %q", r+1, src[r][2], out[r][2])
		}
	}
}

func TestColumnMajorityNeedsAMajority(t *testing.T) {
	e := engine(t, "supervision", pipeline.Options{})
	// Two names among six remarks: no pattern, and remarks of their shape
	// stay.
	const in = "Id,Remark\n" +
		"1,Quillon Marsh\n" +
		"2,Fine today\n" +
		"3,Called back\n" +
		"4,Tamsin Oyelaran\n" +
		"5,Needs review\n" +
		"6,No change\n"
	src := readCSV(t, in)
	out, rec := redactCSV(t, e, "remarks.csv", in)
	for _, c := range rec.Changes {
		if c.Rule == "column/majority" {
			t.Errorf("the refiner took %s", c.Part)
		}
	}
	for _, r := range []int{2, 3, 5, 6} {
		if out[r][1] != src[r][1] {
			t.Errorf("row %d changed: %q", r+1, out[r][1])
		}
	}
	for _, r := range []int{1, 4} {
		if out[r][1] == src[r][1] {
			t.Errorf("row %d: the name is kept", r+1)
		}
	}
}

const columnsProfile = `
name: t-columns
extends: research
columns:
  "Patient Name": PERSON
  "Ward": keep
  "Free-text comments": drop
  "Admit Date": {entity: DATE, action: date_shift, max_days: 30, basis: "b"}
  "Discharged": {entity: DATE, action: month_year, basis: "b"}
`

func TestColumnRules(t *testing.T) {
	e := engine(t, columnsProfile, pipeline.Options{})
	// The patient column holds names no rule finds (lower case, single
	// words); the ward column holds a date-like code the profile would
	// take; the comments are dropped whatever they hold.
	const in = "Patient Name,Ward,Admit Date,Free-text comments,Notes,Discharged\n" +
		"zarek,ICU 2023-11-30,2024-03-01,nice chat,stable,2024-03-08\n" +
		"mirelle quonset,ICU 2023-12-01,2024-03-09,,stable,2024-03-30\n"
	src := readCSV(t, in)
	out, rec, raw := redactCSVRaw(t, e, "ehr.csv", in)
	if rec.Status != "redacted" {
		t.Fatalf("status %s %s", rec.Status, rec.Detail)
	}
	sameShape(t, src, out)
	for r := 1; r < len(src); r++ {
		if out[r][0] == src[r][0] || strings.Contains(strings.ToLower(out[r][0]), strings.Fields(src[r][0])[0]) {
			t.Errorf("row %d: the patient is kept: %q", r+1, out[r][0])
		}
		if out[r][1] != src[r][1] {
			t.Errorf("row %d: the kept ward changed: %q", r+1, out[r][1])
		}
		if out[r][3] != "" {
			t.Errorf("row %d: the dropped comment is %q", r+1, out[r][3])
		}
		if out[r][4] != src[r][4] {
			t.Errorf("row %d: notes changed: %q", r+1, out[r][4])
		}
		if _, err := time.Parse("2006-01-02", out[r][2]); err != nil || out[r][2] == src[r][2] {
			t.Errorf("row %d: the admit date is not shifted by the column's rule: %q", r+1, out[r][2])
		}
	}
	// veil verify, seeing the output alone, leaves the kept column alone
	// and judges the discharge dates by the column's rule (month and
	// year, which the profile's rule, the year, would change). A shifted
	// date cannot be told from an original by a reader of the output
	// alone: those are leftovers to it, as dates under date_shift are in
	// any document.
	left, err := e.Check(context.Background(), "ehr.csv", raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range left {
		if !strings.HasSuffix(l.Part, "column 3") {
			t.Errorf("verify of the output alone: a leftover in %s (%s)", l.Part, l.Entity)
		}
	}
	if len(left) != 2 {
		t.Errorf("verify of the output alone: %d leftovers, want the 2 shifted dates: %+v", len(left), left)
	}
}

func TestColumnKeptHoldsARemovedValue(t *testing.T) {
	e := engine(t, columnsProfile, pipeline.Options{})
	// A kept column that holds the name the patient column lost: the
	// file is refused, never written with the name.
	const in = "Patient Name,Ward\nmirelle quonset,mirelle quonset\n"
	out, rec := e.Redact(context.Background(), "ehr.csv", []byte(in))
	if out != nil || rec.Status == "redacted" {
		t.Fatalf("written with a kept copy of a removed name: %s\n%s", rec.Status, out)
	}
}

// shiftOf returns the days between the dates a and b (ISO).
func shiftOf(t *testing.T, a, b string) int {
	t.Helper()
	ta, err1 := time.Parse("2006-01-02", a)
	tb, err2 := time.Parse("2006-01-02", b)
	if err1 != nil || err2 != nil {
		t.Fatalf("dates %q %q", a, b)
	}
	return int(tb.Sub(ta).Hours() / 24)
}

func TestRowDatesFollowTheirPerson(t *testing.T) {
	e := engine(t, columnsProfile, pipeline.Options{})
	// Two patients in one file, each in two rows; the same patients in a
	// second file in another order. Each patient's dates move by that
	// patient's offset, in both files: intervals within a person are kept
	// across rows and files.
	const one = "Patient Name,Admit Date\n" +
		"mirelle quonset,2024-03-01\n" +
		"zarek ottoline,2024-03-05\n" +
		"mirelle quonset,2024-03-20\n" +
		"zarek ottoline,2024-04-02\n"
	const two = "Patient Name,Admit Date\n" +
		"zarek ottoline,2024-05-10\n" +
		"mirelle quonset,2024-05-11\n"
	src1, src2 := readCSV(t, one), readCSV(t, two)
	out1, _ := redactCSV(t, e, "one.csv", one)
	out2, _ := redactCSV(t, e, "two.csv", two)
	shift := func(src, out [][]string, r int) int { return shiftOf(t, src[r][1], out[r][1]) }
	m, z := shift(src1, out1, 1), shift(src1, out1, 2)
	if m == z {
		t.Fatalf("the two patients have one offset (%d): the test cannot tell rows apart", m)
	}
	if got := shift(src1, out1, 3); got != m {
		t.Errorf("first patient, second row: shift %d, first row %d", got, m)
	}
	if got := shift(src1, out1, 4); got != z {
		t.Errorf("second patient, second row: shift %d, first row %d", got, z)
	}
	if got := shift(src2, out2, 1); got != z {
		t.Errorf("second patient in another file: shift %d, was %d", got, z)
	}
	if got := shift(src2, out2, 2); got != m {
		t.Errorf("first patient in another file: shift %d, was %d", got, m)
	}
	if out1[1][0] != out1[3][0] || out1[1][0] != out2[2][0] {
		t.Errorf("one patient, many pseudonyms: %q %q %q", out1[1][0], out1[3][0], out2[2][0])
	}
}

func TestEHRExport(t *testing.T) {
	// An EHR-like export under the research profile and no columns:
	// rules: identifiers in their own columns and in free-text notes.
	e := engine(t, "research", pipeline.Options{})
	const in = "MRN,Patient,DOB,Phone,Visit,Note\r\n" +
		"MRN 4471902,Harriet Quenby,1958-02-14,(503) 555-0148,2024-01-09,\"Pt seen with daughter Olive Quenby. Reports dizziness since 2023-12-30; call back at (503) 555-0148.\"\r\n" +
		"MRN 4471935,Tobias Wrenfield,1990-11-02,(971) 555-0102,2024-01-10,Stable. No change to plan.\r\n" +
		"MRN 4472011,Margaret Ellacott,1931-07-21,(360) 555-0177,2024-01-11,\"Lives alone at 14 Larkspur Lane, Astoria; son Daniel Ellacott visits weekly.\"\r\n"
	ids := []string{"4471902", "4471935", "4472011", "Harriet", "Quenby", "Tobias", "Wrenfield", "Margaret", "Ellacott",
		"1958-02-14", "1990-11-02", "1931-07-21", "555-0148", "555-0102", "555-0177", "2024-01-09", "2023-12-30", "Olive", "Daniel", "Larkspur"}
	src := readCSV(t, in)
	out, rec, raw := redactCSVRaw(t, e, "export.csv", in)
	if rec.Status != "redacted" {
		t.Fatalf("status %s %s", rec.Status, rec.Detail)
	}
	sameShape(t, src, out)
	for _, id := range ids {
		if strings.Contains(string(raw), id) {
			t.Errorf("%q survives", id)
		}
	}
	if !strings.Contains(string(raw), "\r\n") || strings.Count(string(raw), "\r\n") != strings.Count(in, "\r\n") {
		t.Error("line endings changed")
	}
	if out[2][5] != src[2][5] || out[0][5] != "Note" {
		t.Errorf("text without identifiers changed: %q %q", out[0][5], out[2][5])
	}
	// Without header context, a birth date in a DOB column is a date,
	// kept to its year: 1931 says its patient is over 89. The custodian's
	// columns: rule makes the column birth dates, aggregated.
	e = engine(t, "name: t\nextends: research\ncolumns: {DOB: BIRTH_DATE}\n", pipeline.Options{})
	out, _ = redactCSV(t, e, "export.csv", in)
	if got := out[3][2]; got == "1931" || !strings.Contains(got, "90") {
		t.Errorf("a birth date over 89 years ago: %q", got)
	}
	if got := out[1][2]; got != "1958" {
		t.Errorf("a birth date kept to its year: %q", got)
	}
}
