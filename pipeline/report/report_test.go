package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func build(t *testing.T, files ...File) *Builder {
	t.Helper()
	b, err := NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for _, f := range files {
		b.Add(f)
	}
	return b
}

var meta = Meta{Tool: "veil", Version: "t", Command: "run", Profile: "court", Source: "in", Dest: "out",
	Started: time.Unix(0, 0), Finished: time.Unix(60, 0), Notices: []string{"review before sharing"}}

func TestJSONIsValidAndComplete(t *testing.T) {
	for _, files := range [][]File{
		nil,
		{{Key: "a.txt", Status: StatusRedacted, Bytes: 10, Entities: map[string]int{"SSN": 2}, Actions: map[string]int{"keep_last": 2},
			Changes: []Change{{Part: "body", Start: 1, End: 12, Entity: "SSN", Rule: "pattern/us-ssn", Score: 0.85, Action: "keep_last", Replacement: "XXX-XX-1234", Basis: "FRCP 5.2(a)(1)"}}},
			{Key: "b|c.txt", Status: StatusQuarantined, Reason: "encoding", Detail: "text is not valid UTF-8"}},
	} {
		b := build(t, files...)
		var out bytes.Buffer
		if err := b.WriteJSON(&out, meta); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Schema string
			Totals Totals
			Files  []File
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, out.String())
		}
		if got.Schema != Schema || len(got.Files) != len(files) || got.Totals.Files != len(files) {
			t.Fatalf("decoded %+v", got)
		}
		if len(files) > 0 && (got.Totals.Redactions != 2 || got.Totals.Quarantined != 1 || got.Totals.Reasons["encoding"] != 1) {
			t.Fatalf("totals %+v", got.Totals)
		}
	}
}

func TestCSVAndMarkdown(t *testing.T) {
	b := build(t,
		File{Key: "a.txt", Status: StatusRedacted, Entities: map[string]int{"SSN": 1, "CUSTOM_TERM": 1},
			Bates: "ACME000001–ACME000003", Notes: []string{"removed: open action", "docProps/core.xml:lastModifiedBy emptied"},
			Changes: []Change{
				{Part: "page 2", Page: 2, Entity: "SSN", Action: "keep_last", Replacement: "XXX-XX-6789", Basis: "Fed. R. Civ. P. 5.2(a)(1)", Bates: "ACME000002",
					Category: "Social Security number", Reason: "last four digits shown", Location: "page 2"},
				{Part: "page 3", Page: 3, Entity: "CUSTOM_TERM", Action: "drop", Basis: "Attorney-client privilege", Bates: "ACME000003", Location: "page 3",
					Category: "Privileged", Reason: "attorney-client communication", Privileged: true, Privilege: "Attorney-client privilege"},
			}},
		File{Key: "b|c.txt", Status: StatusQuarantined, Reason: "encoding", Detail: "not UTF-8"},
	)
	var c bytes.Buffer
	if err := b.WriteCSV(&c); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv %v %v", rows, err)
	}
	for i, want := range []string{
		"Document,Bates range,Bates number,Page,Location,Category,Reason,Basis,Shown as",
		"a.txt,ACME000001–ACME000003,ACME000002,2,page 2,Social Security number,last four digits shown,Fed. R. Civ. P. 5.2(a)(1),XXX-XX-6789",
		"a.txt,ACME000001–ACME000003,ACME000003,3,page 3,Privileged,attorney-client communication,Attorney-client privilege,(removed)",
	} {
		if got := strings.Join(rows[i], ","); got != want {
			t.Errorf("row %d:\n%s\nwant\n%s", i, got, want)
		}
	}
	var m bytes.Buffer
	if err := b.WriteMarkdown(&m, meta); err != nil {
		t.Fatal(err)
	}
	md := m.String()
	for _, want := range []string{"## Files not written", `b\|c.txt | encoding | not UTF-8`, "> **Note:** review before sharing", "| 2 | 1 | 0 | 1 | 0 | 2 |",
		"| a.txt | ACME000001–ACME000003 | ", "| Social Security number — last four digits shown | 1 |", "2 notes on metadata and hidden content (report.json)",
		"1 document withholding privileged material"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	// Veil's codes stay in report.json.
	for _, code := range []string{"SSN", "CUSTOM_TERM", "keep_last", "drop", "open action", "docProps"} {
		if strings.Contains(md, code) || strings.Contains(c.String(), code) {
			t.Errorf("a code reaches report.md or the log: %q", code)
		}
	}
}

func TestCategoryCounts(t *testing.T) {
	b, err := NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.Add(File{Key: "a", Status: StatusRedacted, Found: map[string]int{"AGE": 3, "DATE": 2, "PHONE": 1}, Entities: map[string]int{"AGE": 1, "DATE": 2, "PHONE": 1}})
	b.Add(File{Key: "b", Status: StatusRedacted, Found: map[string]int{"AGE": 1}, Entities: map[string]int{"AGE": 1}})
	cats := []Category{
		{ID: "C", Name: "dates", Basis: "(C)", Entities: []string{"DATE", "AGE"}},
		{ID: "P", Name: "biometrics", Basis: "(P)", Note: "check by hand"},
	}
	got := b.Totals().Count(cats)
	if got[0].Found != 6 || got[0].Removed != 4 || !got[0].Detectable || got[1].Detectable || got[1].Found != 0 {
		t.Fatalf("%+v", got)
	}
	var md, js bytes.Buffer
	m := Meta{Profile: "research", Categories: cats}
	if err := b.WriteMarkdown(&md, m); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteJSON(&js, m); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| C | dates | 6 | 4 | (C) |", "| P | biometrics | — | — | (P) |", "- (P) biometrics: check by hand"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report.md lacks %q:\n%s", want, md.String())
		}
	}
	var doc struct {
		Categories []CategoryCount `json:"categories"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.Categories) != 2 || doc.Categories[0].Removed != 4 {
		t.Fatalf("report.json categories %+v %v", doc.Categories, err)
	}
}

// The privilege log's DOCX is a well-formed WordprocessingML package: every
// part parses as XML, the document is landscape, one table row per entry
// plus the header row, repeated on every page; the Markdown and CSV have
// the same entries.
func TestPrivilegeLogFormats(t *testing.T) {
	priv := Change{Part: "page 1", Page: 1, Entity: "CUSTOM_TERM", Action: "label", Replacement: "REDACTED – PRIVILEGED",
		Category: "Privileged", Reason: "attorney work product", Privileged: true, Privilege: "Attorney work product"}
	b := build(t,
		File{Key: "a & b.pdf", Format: "pdf", Status: StatusRedacted, Bates: "ACME000001–ACME000002", Date: "2025-03-03", Changes: []Change{priv, priv}},
		File{Key: "c.txt", Format: "text", Status: StatusRedacted, Changes: []Change{{Entity: "SSN", Category: "Social Security number"}}},
		File{Key: "d.eml", Format: "email", Status: StatusRedacted, Changes: []Change{{Privileged: true, Reason: "privileged material withheld; see the privilege log"}}},
	)
	var docx, md, cs bytes.Buffer
	if err := b.WritePrivilegeDOCX(&docx, meta); err != nil {
		t.Fatal(err)
	}
	if err := b.WritePrivilegeMarkdown(&md, meta); err != nil {
		t.Fatal(err)
	}
	if err := b.WritePrivilegeCSV(&cs); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(docx.Bytes()), int64(docx.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
		if f.Name == "word/document.xml" {
			doc = string(data)
		}
	}
	for _, want := range []string{`w:orient="landscape"`, `<w:tblHeader/>`, "a &amp; b.pdf", "ACME000001–ACME000002", "Attorney work product", ToComplete} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	if n := strings.Count(doc, "<w:tr>"); n != 3 {
		t.Errorf("%d table rows, want the header and 2 entries", n)
	}
	rows, _ := csv.NewReader(&cs).ReadAll()
	if len(rows) != 3 || rows[2][7] != ToComplete || rows[2][4] != "Email" || rows[1][9] != "redacted in part (2 passages; page 1)" ||
		rows[1][8] != "PDF document containing attorney work product" || rows[2][8] != "Email containing privileged material (nature "+ToComplete+")" {
		t.Errorf("privilege-log.csv %q", rows)
	}
	if strings.Count(md.String(), "\n| ") != 3 || !strings.Contains(md.String(), "a & b.pdf") {
		t.Errorf("privilege-log.md:\n%s", md.String())
	}
}

// TestMarkdownTablesCapped: the could-still-identify and files tables of
// report.md come in that order, each with at most MaxMarkdownRows rows
// and a line that counts the rest, every row in report order.
func TestMarkdownTablesCapped(t *testing.T) {
	for _, numbered := range []bool{false, true} {
		var files []File
		n := MaxMarkdownRows + 7
		for i := 0; i < n; i++ {
			f := File{Key: fmt.Sprintf("f%05d.txt", i), Format: "text", Status: StatusRedacted, Entities: map[string]int{"PERSON": 2, "DATE": 1},
				Changes: []Change{{Part: "body", Entity: "PERSON", Action: "alias", Replacement: "Person A"}}}
			if i%2 == 0 {
				f.StillIdentify = []Residual{{Kind: "small place", Part: "body"}, {Kind: "vessel", Part: "body", Location: "line 3"}}
			}
			if numbered && i > 0 {
				f.Bates = fmt.Sprintf("B%06d", i)
			}
			files = append(files, f)
		}
		b := build(t, files...)
		var m bytes.Buffer
		if err := b.WriteMarkdown(&m, meta); err != nil {
			t.Fatal(err)
		}
		md := m.String()
		still, table := strings.Index(md, "## Could still identify"), strings.Index(md, "## Files\n")
		if still < 0 || table < still {
			t.Fatalf("numbered %v: sections at %d and %d", numbered, still, table)
		}
		stillRows := strings.Count(md[still:table], "| f0")
		fileRows := strings.Count(md[table:], "| f0")
		wantStill := 2 * (n/2 + 1) // two for every even file
		if stillRows != MaxMarkdownRows || !strings.Contains(md, fmt.Sprintf("\n%d more: see could_still_identify in report.json.\n\n## Files", wantStill-MaxMarkdownRows)) {
			t.Errorf("numbered %v: %d rows could still identify, want %d and a line for %d more", numbered, stillRows, MaxMarkdownRows, wantStill-MaxMarkdownRows)
		}
		if fileRows != MaxMarkdownRows || !strings.HasSuffix(md, fmt.Sprintf("\n7 more files: see report.json.\n")) {
			t.Errorf("numbered %v: %d file rows, want %d and a line for 7 more", numbered, fileRows, MaxMarkdownRows)
		}
		if want := "| f00000.txt | body | small place |\n| f00000.txt | line 3 | vessel |\n| f00002.txt | body | small place |"; !strings.Contains(md, want) {
			t.Errorf("numbered %v: rows out of order or missing: %q", numbered, want)
		}
		first, last := "| f00000.txt | text | redacted | 3 |\n| f00001.txt |", fmt.Sprintf("| f%05d.txt | text | redacted | 3 |\n\n", MaxMarkdownRows-1)
		if numbered {
			first, last = "| f00000.txt | — | text | redacted | 3 |\n| f00001.txt | B000001 |", fmt.Sprintf("| f%05d.txt | B%06d | text | redacted | 3 |\n\n", MaxMarkdownRows-1, MaxMarkdownRows-1)
		}
		if !strings.Contains(md, first) || !strings.Contains(md, last) {
			t.Errorf("numbered %v: files table lacks %q or %q", numbered, first, last)
		}
	}
}
