package xlsx_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/xlsx"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

func parse(t *testing.T, b []byte) redactors.Document {
	t.Helper()
	d, err := xlsx.New(xlsx.Options{}).Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func part(t *testing.T, d redactors.Document, name string) redactors.Part {
	t.Helper()
	for _, p := range d.Parts() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no part %s", name)
	return redactors.Part{}
}

// TestDoneWhen redacts the Done-when workbook (as excelize writes it and
// as LibreOffice saves it) of its names, SSNs and birth dates as the
// parts show them, and reads every entry of the output: no name, no SSN,
// no birth date serial is left, in cells, the hidden sheet, comments,
// formulas and their cached values, the pivot cache, the chart caches,
// the sheet named after a person or the properties.
func TestDoneWhen(t *testing.T) {
	for name, in := range xlsxFixtures(t) {
		if !strings.HasPrefix(name, "done_when") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			d := parse(t, in)
			// a number and a date serial are read as the column shows them
			if p := part(t, d, "xl/worksheets/sheet1.xml:B2"); p.Text != "512447781" || p.Field != "SSN" || p.Cell != (redactors.Cell{Table: 1, Row: 2, Col: 2}) {
				t.Errorf("SSN cell: %+v", p)
			}
			if p := part(t, d, "xl/worksheets/sheet1.xml:C2"); p.Text != "1984-03-12" || p.Field != "DOB" {
				t.Errorf("birth date cell: %+v", p)
			}
			if p := part(t, d, "xl/worksheets/sheet1.xml:formula H2"); !strings.Contains(p.Text, "Marisol Quennelly") {
				t.Errorf("formula literals: %q", p.Text)
			}
			values := xlsxtest.Secrets()
			for _, p := range xlsxtest.People {
				values = append(values, p.BirthS)
			}
			var out bytes.Buffer
			if err := d.Redact(&out, formattest.EditsRemoving(d.Parts(), "[X]", values...)); err != nil {
				t.Fatal(err)
			}
			seen := judge(t, out.Bytes())
			for _, s := range append(values, xlsxtest.Serials()...) {
				if strings.Contains(seen, s) {
					t.Errorf("%q survives in the output", s)
				}
			}
			d2 := parse(t, out.Bytes())
			if p := part(t, d2, "xl/workbook.xml:sheet names"); p.Text != "Patients\nArchive\nSheet1\nPivot" {
				t.Errorf("sheet names: %q", p.Text)
			}
			if p := part(t, d2, "xl/worksheets/sheet1.xml:C2"); p.Text != "[X]" {
				t.Errorf("birth date cell: %q", p.Text)
			}
			if p := part(t, d2, "xl/worksheets/sheet1.xml:B3"); p.Text != "[X]" {
				t.Errorf("SSN cell: %q", p.Text)
			}
			for _, p := range d2.Parts() {
				if p.Name == "xl/worksheets/sheet1.xml:F2" || p.Name == "xl/worksheets/sheet1.xml:H2" {
					t.Errorf("the cached value of a formula over a redacted name stays: %s %q", p.Name, p.Text)
				}
			}
			// what was not redacted is still there
			if p := part(t, d2, "xl/worksheets/sheet1.xml:E2"); p.Text != "120.5" {
				t.Errorf("amount: %q", p.Text)
			}
			if !strings.Contains(seen, `"Dear "&A2`) {
				t.Errorf("the formula concatenating the name is gone")
			}
		})
	}
}

// TestHandmade: inline strings, a rich unused shared string, a threaded
// comment and its person, an external link, custom properties.
func TestHandmade(t *testing.T) {
	d := parse(t, xlsxtest.Handmade())
	var all strings.Builder
	for _, p := range d.Parts() {
		all.WriteString(p.Name + ": " + p.Text + "\n")
	}
	for _, want := range []string{
		"xl/worksheets/sheet1.xml:A2: Wendeline Oskarsdottir",
		"xl/sharedStrings.xml:unused string 1: Wendeline Oskarsdottir's brother",
		"xl/threadedComments/threadedComment1.xml:threaded comment 1: Ask Wendeline Oskarsdottir about the referral",
		"xl/persons/person.xml:authors: Ravindra Coelho-Marr\nrcoelho@example.org",
		"Oskarsdottir family",
		"file:///C:/Users/rcoelho/Oskarsdottir referrals.xlsx", // percent-decoded
		"docProps/custom.xml:value 1: 48213377",
	} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("parts lack %q:\n%s", want, all.String())
		}
	}
	if p := part(t, d, "xl/worksheets/sheet1.xml:B2"); p.Field != "MRN" {
		t.Errorf("MRN column: %+v", p)
	}
	// the independent reading sees them too, from other code
	ir := d.(redactors.IndependentReader)
	texts, err := ir.IndependentText(xlsxtest.Handmade())
	if err != nil {
		t.Fatal(err)
	}
	var ind strings.Builder
	for _, p := range texts {
		ind.WriteString(p.Text)
	}
	for _, s := range append(xlsxtest.SideDoors, "Oskarsdottir's brother", "Tobiah Lenk") {
		if !strings.Contains(ind.String(), s) {
			t.Errorf("the independent reading misses %q", s)
		}
	}
}

// TestExternalPathReplaced: a linked workbook's path names its folders
// (a login) and is percent-encoded, so a name in it is glued to "%20"
// and no detector reads it (the red team of session 33: research wrote
// "…/Users/<login>/Clients/[REDACTED]%20<given name>…"). It becomes a
// neutral file name whatever the edits; its decoded text is a part.
func TestExternalPathReplaced(t *testing.T) {
	d := parse(t, xlsxtest.Handmade())
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range zr.File {
		if f.Name != "xl/externalLinks/_rels/externalLink1.xml.rels" {
			continue
		}
		found = true
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if strings.Contains(string(b), "rcoelho") || strings.Contains(string(b), "Oskarsdottir") || !strings.Contains(string(b), `Target="external.xlsx"`) {
			t.Errorf("external path not replaced: %s", b)
		}
	}
	if !found {
		t.Fatal("the external link's relationships are gone from the output")
	}
	notes := strings.Join(d.(redactors.Noter).Notes(), "; ")
	if !strings.Contains(notes, "1 external link path replaced") {
		t.Errorf("notes: %s", notes)
	}
}

// TestRefused: what cannot be inspected is refused, never passed through.
func TestRefused(t *testing.T) {
	d := parse(t, xlsxtest.Handmade())
	_ = d
	withVBA := xlsxtest.Zip(append(handmadeEntries(t), [2]string{"xl/vbaProject.bin", "\x00\x01"})...)
	if _, err := xlsx.New(xlsx.Options{}).Parse(withVBA); err == nil || redactors.ReasonOf(err) != redactors.ErrUninspectable {
		t.Errorf("macros: %v", err)
	}
	withImage := xlsxtest.Zip(append(handmadeEntries(t), [2]string{"xl/media/image1.png", "\x89PNG\r\n\x1a\n"})...)
	if _, err := xlsx.New(xlsx.Options{}).Parse(withImage); err == nil || redactors.ReasonOf(err) != redactors.ErrUninspectable {
		t.Errorf("image: %v", err)
	}
	if _, err := xlsx.MacroEnabled().Parse(xlsxtest.Handmade()); redactors.ReasonOf(err) != redactors.ErrUninspectable {
		t.Errorf("xlsm: %v", err)
	}
}

func handmadeEntries(t *testing.T) [][2]string {
	t.Helper()
	var out [][2]string
	zr := mustZip(t, xlsxtest.Handmade())
	for _, f := range zr {
		out = append(out, f)
	}
	return out
}

func mustZip(t *testing.T, b []byte) [][2]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, [2]string{f.Name, string(x)})
	}
	return out
}

// TestEntryNames: a part named after a client is text, and cannot be
// renamed safely: an edit there refuses the file.
func TestEntryNames(t *testing.T) {
	in := xlsxtest.Zip(append(handmadeEntries(t), [2]string{"customXml/Wendeline Oskarsdottir.xml", "<notes/>"})...)
	d := parse(t, in)
	p := part(t, d, "zip entry names")
	if p.Text != "customXml/Wendeline Oskarsdottir.xml" {
		t.Fatalf("entry names: %q", p.Text)
	}
	for _, q := range d.Parts() {
		if strings.Contains(q.Name, "Oskarsdottir") {
			t.Errorf("a part name holds document text: %s", q.Name)
		}
	}
	err := d.Redact(io.Discard, formattest.EditsRemoving(d.Parts(), "[X]", "Oskarsdottir"))
	if redactors.ReasonOf(err) != redactors.ErrUninspectable {
		t.Errorf("an edit of an entry name: %v", err)
	}
}
