package docx_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// The independent reading (IndependentText, for verify) reads every value
// of the leak corpus that is written as XML text or an attribute value,
// whatever the element or attribute: the reading knows no place. Values in
// numeric slots (a record number as vt:i4) are the vocabulary's structure
// and not read, nor is base64 (a shape's o:gfxdata); the redactor removes
// those places whatever is detected, and Leaks searches their bytes.
func TestIndependentReadingLeakCorpus(t *testing.T) {
	f := docx.New(docx.Options{})
	for _, c := range docxtest.LeakCases() {
		d, err := f.Parse(c.Data)
		if err != nil {
			continue // refused on parse: nothing to verify
		}
		parts, err := d.(redactors.IndependentReader).IndependentText(c.Data)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		var all strings.Builder
		for _, p := range parts {
			all.WriteString(p.Text)
			all.WriteByte('\n')
		}
		read := strings.ReplaceAll(all.String(), "\n", " ")
		for _, s := range c.Secrets {
			if !inXML(t, c.Data, s) {
				continue // image metadata, part names, base64: Leaks' bytes
			}
			if !strings.Contains(read, s) && !(c.Name == "custom-properties-not-strings" && s == "7730418") && c.Name != "vml-gfxdata" {
				t.Errorf("%s: the independent reading misses a secret written in XML", c.Name)
			}
		}
	}
}

// inXML reports whether s is written literally in an XML entry of the
// top-level archive.
func inXML(t *testing.T, data []byte, s string) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.HasPrefix(bytes.TrimSpace(b), []byte("<")) && bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// Image metadata is part of the independent reading: the leak corpus's
// JPEG (EXIF, XMP, IPTC, comment) reads its secrets in "image metadata"
// parts of the input, named by entry and kind only; the written output
// (metadata stripped, or the image blanked) reads none.
func TestIndependentReadingImageMetadata(t *testing.T) {
	f := docx.New(docx.Options{})
	for _, c := range docxtest.LeakCases() {
		if c.Name != "jpeg-metadata" {
			continue
		}
		d, err := f.Parse(c.Data)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := d.(redactors.IndependentReader).IndependentText(c.Data)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, p := range parts {
			if !strings.Contains(p.Name, "(independent reading: image metadata: ") {
				continue
			}
			for _, s := range c.Secrets {
				if strings.Contains(p.Text, s) {
					found++
				}
				if strings.Contains(p.Name, s) {
					t.Errorf("a part name holds a secret: %q", p.Name)
				}
			}
		}
		if found < 3 {
			t.Errorf("secrets read in %d image metadata parts, want 3 or more", found)
		}
		var out bytes.Buffer
		if err := d.Redact(&out, nil); err != nil {
			t.Fatal(err)
		}
		od, err := f.Parse(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		ps, err := od.(redactors.IndependentReader).IndependentText(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if strings.Contains(p.Name, "image metadata") {
				t.Errorf("the output reads %s", p.Name)
			}
		}
		return
	}
	t.Fatal("no jpeg-metadata case in the leak corpus")
}

// Entries read before are served from the cache (independent.go): a
// second reading of the same file gives the same texts, and a file that
// differs in one entry reads that entry's new text.
func TestIndependentReadingCache(t *testing.T) {
	f := docx.New(docx.Options{})
	long := strings.Repeat("Routine paragraph of the intake template. ", 80) // over cacheMin
	read := func(body string) []redactors.Part {
		data := docxtest.Doc{Body: docxtest.P(long) + docxtest.P(body)}.Build()
		d, err := f.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := d.(redactors.IndependentReader).IndependentText(data)
		if err != nil {
			t.Fatal(err)
		}
		return parts
	}
	join := func(ps []redactors.Part) string {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(p.Name + "\x00" + p.Text + "\x00")
		}
		return b.String()
	}
	first, again := join(read("Seen on Monday.")), join(read("Seen on Monday."))
	if first != again {
		t.Error("a second reading of the same file differs")
	}
	if other := join(read("Seen on Tuesday by Ingrid Halvorsen-Moe.")); !strings.Contains(other, "Ingrid Halvorsen-Moe") || other == first {
		t.Error("a changed entry is read from the cache")
	}
}

// Leaks over an output the independent reading read just before takes
// its entries from that reading (one decompression for both) and finds
// what it finds alone.
func TestLeaksSharesInflation(t *testing.T) {
	f := docx.New(docx.Options{})
	data := docxtest.Doc{
		Body:  docxtest.P("Seen on Monday by Ingrid Halvorsen-Moe."),
		Files: []docxtest.File{{Name: "customXml/item1.xml", Data: `<r a="Halvorsen-Moe"/>`}},
	}.Build()
	d, err := f.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	find := func(s string) bool { return strings.Contains(s, "Halvorsen") }
	alone, err := d.(redactors.LeakChecker).Leaks(data, find)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.(redactors.IndependentReader).IndependentText(data); err != nil {
		t.Fatal(err)
	}
	shared, err := d.(redactors.LeakChecker).Leaks(data, find)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(alone) != fmt.Sprint(shared) || len(alone) != 2 {
		t.Errorf("alone %v, after the independent reading %v", alone, shared)
	}
}

// The independent reading of a field instruction leaves out its structure
// (a known field type first, switches, the general formats after \*,
// bookmarks Word named) as the analysis does, so re-detection does not
// judge a field type alone; a first word in no list of field types, and
// every argument, is still read.
func TestIndependentReadingFieldStructure(t *testing.T) {
	instr := func(s string) string {
		return `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">` + s +
			`</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` + docxtest.R("1") +
			`<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
	}
	data := docxtest.Doc{Body: docxtest.P("Plan reviewed.") +
		instr(` PAGEREF _Ref160000001 \h `) +
		instr(` seq Figure \* ARABIC `) +
		instr(` Quillanby \h `) +
		`<w:p><w:fldSimple w:instr=" MERGEFIELD Everard_Tamsin \* MERGEFORMAT ">` + docxtest.R("«Everard_Tamsin»") + `</w:fldSimple></w:p>`,
	}.Build()
	d, err := docx.New(docx.Options{}).Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := d.(redactors.IndependentReader).IndependentText(data)
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, p := range parts {
		words = append(words, strings.Fields(p.Text)...)
	}
	read := " " + strings.Join(words, " ") + " "
	for _, gone := range []string{"PAGEREF", "_Ref160000001", `\h`, "seq", `\*`, "ARABIC", "MERGEFIELD", "MERGEFORMAT"} {
		if strings.Contains(read, " "+gone+" ") {
			t.Errorf("the independent reading shows the field structure %q", gone)
		}
	}
	for _, kept := range []string{"Figure", "Quillanby", "Everard_Tamsin"} {
		if !strings.Contains(read, " "+kept+" ") {
			t.Errorf("the independent reading misses %q", kept)
		}
	}
}
