package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"hash/crc32"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// reparseInputs are the fixtures and the OOXML corpus as DOCX.
func reparseInputs(t *testing.T) map[string][]byte {
	t.Helper()
	files := FixtureFiles()
	dirs, _ := filepath.Glob("../ooxml/testdata/corpus/*")
	if len(dirs) < 4 {
		t.Fatalf("corpus: %v", dirs)
	}
	for _, dir := range dirs {
		files["corpus "+filepath.Base(dir)] = dt.Folder(dir)
	}
	return files
}

// same fails unless a and b, two parses of one file, read the same: parts,
// notes, and the file Redact writes without edits.
func sameReading(t *testing.T, name string, ra, rb redactors.Document) {
	t.Helper()
	a, b := ra.(*Document), rb.(*Document)
	if !reflect.DeepEqual(a.Parts(), b.Parts()) {
		t.Errorf("%s: the parts differ", name)
	}
	if !reflect.DeepEqual(a.Notes(), b.Notes()) {
		t.Errorf("%s: the notes differ: %q against %q", name, a.Notes(), b.Notes())
	}
	if !reflect.DeepEqual(a.placed, b.placed) {
		t.Errorf("%s: the pieces of the parts differ", name)
	}
	if !reflect.DeepEqual(a.paraEnds, b.paraEnds) {
		t.Errorf("%s: the paragraph ends differ", name)
	}
	var wa, wb bytes.Buffer
	if err := a.Redact(&wa, nil); err != nil {
		t.Fatal(err)
	}
	if b.reused {
		// parts taken from the input: read only
		if err := b.Redact(&wb, nil); !errors.Is(err, redactors.ErrInternal) {
			t.Errorf("%s: a document read by Reparse redacts: %v", name, err)
		}
		return
	}
	if err := b.Redact(&wb, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wa.Bytes(), wb.Bytes()) {
		t.Errorf("%s: the files written differ", name)
	}
}

// TestReparseSameAsParse: the output of every fixture and corpus document
// read through its input (Reparse, which takes the XML of the entries
// copied byte for byte) reads as Parse reads it, with and without edits.
func TestReparseSameAsParse(t *testing.T) {
	reused := 0
	defer func() {
		if reused == 0 {
			t.Error("no scan taken from the input: the test tests nothing")
		}
		t.Logf("%d outputs read with parts taken from their input", reused)
	}()
	for name, in := range reparseInputs(t) {
		d := mustParse(t, in)
		var edits []redactors.Edit
		if strings.HasPrefix(name, "corpus") {
			// an edit of the first word of the body, when there is one
			if p := d.Parts()[0].Text; len(p) > 0 {
				end := strings.IndexAny(p, " \n\t")
				if end < 0 {
					end = len(p)
				}
				if end > 0 {
					edits = append(edits, redactors.Edit{Part: 0, Start: 0, End: end, Replacement: "[x]"})
				}
			}
		} else {
			_, edits, _ = redact(t, in)
		}
		for _, ed := range [][]redactors.Edit{nil, edits} {
			var out bytes.Buffer
			if err := d.Redact(&out, ed); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if checkReparse(t, name, d, out.Bytes()).reused {
				reused++
			}
		}
	}
}

// copiedEntries counts the entries of out that Reparse takes from d.
func copiedEntries(d *Document, out []byte) int {
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		return 0
	}
	byName := map[string]*entry{}
	for _, e := range d.entries {
		byName[e.f.Name] = e
	}
	n := 0
	for _, f := range zr.File {
		if _, ok := d.copied(f, out, byName); ok {
			n++
		}
	}
	return n
}

// rewrite returns data with the entry name's bytes replaced by body,
// stored (not deflated); with forge, its directory claims the CRC-32 and
// the size of the entry it replaces.
func rewrite(t *testing.T, data []byte, name string, body []byte, forge bool) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != name {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		fh := &zip.FileHeader{Name: f.Name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))}
		if forge {
			fh.CRC32, fh.UncompressedSize64 = f.CRC32, f.UncompressedSize64
		}
		w, err := zw.CreateRaw(fh)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReparseReadsChangedEntries: an entry of the output that is not the
// input's byte for byte is read from the output, whatever its name and
// directory say: a name written into a part the redactor copies (styles,
// settings) is in the parts Reparse returns, as in Parse's; an entry whose
// directory claims the input entry's CRC-32 and size over other bytes of
// that size is refused as Parse refuses it, and an entry stored where the
// input's was deflated (the same bytes inflated) reads the same.
func TestReparseReadsChangedEntries(t *testing.T) {
	const name = "Tamsin Everard"
	in := dt.Folder("../ooxml/testdata/corpus/word-2019")
	d := mustParse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	for _, entryName := range []string{"word/styles.xml", "word/settings.xml", "word/document.xml"} {
		orig := dt.Entry(t, out.Bytes(), entryName)
		// The name in an attribute of the root element that no vocabulary
		// knows: text the redactor's reading shows.
		decl := bytes.Index(orig, []byte("?>")) + 2
		gt := decl + bytes.IndexByte(orig[decl:], '>')
		changed := append(append(append([]byte{}, orig[:gt]...), []byte(` xmlns:zz="urn:example:zz" zz:note="`+name+`"`)...), orig[gt:]...)
		for _, c := range []struct {
			what string
			data []byte
		}{
			{"a name added", rewrite(t, out.Bytes(), entryName, changed, false)},
			{"stored, not deflated", rewrite(t, out.Bytes(), entryName, orig, false)},
		} {
			want, err := New(Options{}).Parse(c.data)
			if err != nil {
				t.Fatalf("%s, %s: parse: %v", entryName, c.what, err)
			}
			got, err := d.Reparse(context.Background(), c.data)
			if err != nil {
				t.Fatalf("%s, %s: reparse: %v", entryName, c.what, err)
			}
			sameReading(t, entryName+", "+c.what, want, got)
			var all strings.Builder
			for _, p := range got.Parts() {
				all.WriteString(p.Text)
			}
			if has := strings.Contains(all.String(), name); has != (c.what == "a name added") {
				t.Errorf("%s, %s: the name read: %v", entryName, c.what, has)
			}
		}
		// Other bytes of the same size under the input's CRC-32: the bytes
		// are read, and refused (their checksum is not the directory's).
		other := bytes.ReplaceAll(orig, []byte("w:"), []byte("x:"))
		if len(other) != len(orig) || bytes.Equal(other, orig) {
			t.Fatal("no other bytes of the same size")
		}
		forged := rewrite(t, out.Bytes(), entryName, other, true)
		_, perr := New(Options{}).Parse(forged)
		_, rerr := d.Reparse(context.Background(), forged)
		if perr == nil || rerr == nil || !errors.Is(rerr, redactors.ErrCorrupt) || !errors.Is(perr, redactors.ErrCorrupt) {
			t.Errorf("%s, forged checksum: parse %v, reparse %v; want both corrupt", entryName, perr, rerr)
		}
	}
}

// TestReparseSharedScans: entries copied unchanged whose scans are not
// their own alone (an author in the shared "authors" part, a table, which
// is numbered across the document) or that may have moved (a thumbnail
// dropped) are scanned again, and the output reads as Parse reads it.
func TestReparseSharedScans(t *testing.T) {
	table := `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>` +
		`<w:tr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>` + dt.P("Ward 4") + `</w:tc></w:tr></w:tbl>`
	for name, doc := range map[string]dt.Doc{
		"author": {Body: dt.P("Tamsin Everard came."), People: `<w15:person w15:author="Author"/>`},
		"authors": {Body: dt.P("Tamsin Everard came.") + `<w:p><w:ins w:id="1" w:author="Author" ` + date + `><w:r><w:t>Seen.</w:t></w:r></w:ins></w:p>`,
			People: `<w15:person w15:author="Author"/>`},
		"table":     {Body: dt.P("Tamsin Everard came.") + table, Footer: table + dt.P("page")},
		"thumbnail": {Body: dt.P("Tamsin Everard came."), Footer: dt.P("page"), Thumbnail: true},
	} {
		in := doc.Build()
		d := mustParse(t, in)
		var out bytes.Buffer
		at := strings.Index(d.Parts()[0].Text, "Tamsin Everard")
		if err := d.Redact(&out, []redactors.Edit{{Part: 0, Start: at, End: at + len("Tamsin Everard"), Replacement: "[x]"}}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkReparse(t, name, d, out.Bytes())
	}
}

// checkReparse requires Reparse of out through d to read as Parse reads
// out, and to take at least one entry from the input (else the check
// tests nothing); it returns the reparse.
func checkReparse(t *testing.T, name string, d *Document, out []byte) *Document {
	t.Helper()
	want, err := New(Options{}).Parse(out)
	if err != nil {
		t.Fatalf("%s: parse: %v", name, err)
	}
	got, err := d.Reparse(context.Background(), out)
	if err != nil {
		t.Fatalf("%s: reparse: %v", name, err)
	}
	sameReading(t, name, want, got)
	if copiedEntries(d, out) == 0 {
		t.Errorf("%s: no entry taken from the input: the test tests nothing", name)
	}
	return got.(*Document)
}

// FuzzReparse: whatever bytes an output holds (seeds: the outputs of a
// small document with a header, footer and footnote, with and without an
// edit), Reparse through the input reads them as Parse does: both refuse
// them, or both read the same parts and notes.
func FuzzReparse(f *testing.F) {
	in := dt.Doc{Body: dt.P("Tamsin Everard came."), Header: dt.P("Ward 4"), Footer: dt.P("page"),
		Footnotes: `<w:footnote w:id="1">` + dt.P("Seen twice.") + `</w:footnote>`}.Build()
	d, err := New(Options{}).Parse(in)
	if err != nil {
		f.Fatal(err)
	}
	doc := d.(*Document)
	for _, ed := range [][]redactors.Edit{nil, {{Part: 0, Start: 0, End: 1, Replacement: "[x]"}}} {
		var out bytes.Buffer
		if err := doc.Redact(&out, ed); err != nil {
			f.Fatal(err)
		}
		f.Add(out.Bytes())
	}
	f.Fuzz(func(t *testing.T, out []byte) {
		want, werr := New(Options{}).Parse(out)
		got, gerr := doc.Reparse(context.Background(), out)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("parse: %v, reparse: %v", werr, gerr)
		}
		if werr != nil {
			return
		}
		a, b := want.(*Document), got.(*Document)
		if !reflect.DeepEqual(a.Parts(), b.Parts()) || !reflect.DeepEqual(a.Notes(), b.Notes()) {
			t.Fatal("the readings differ")
		}
	})
}

// Every note counter of the scanner is in counters, which Reparse uses to
// carry a taken entry's notes over: a counter missing there would drop its
// notes from a reparse (w:fldData's was, when both were added at once).
func TestCountersListEveryCounter(t *testing.T) {
	s := newScanner()
	listed := map[uintptr]bool{}
	for _, p := range s.counters() {
		listed[reflect.ValueOf(p).Pointer()] = true
	}
	v := reflect.ValueOf(s).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.Type.Kind() != reflect.Int || f.Name == "cur" {
			continue
		}
		if !listed[v.Field(i).Addr().Pointer()] {
			t.Errorf("scanner.%s is not in counters()", f.Name)
		}
	}
	if len(listed) != len(scanCounts{}) {
		t.Errorf("counters() lists %d, scanCounts holds %d", len(listed), len(scanCounts{}))
	}
}

// A reparse that takes a header from the input keeps the note of the field
// data removed from it, as Parse gives it.
func TestReparseKeepsTakenNotes(t *testing.T) {
	fld := `<w:p><w:r><w:fldChar w:fldCharType="begin"><w:fldData xml:space="preserve">VGFtc2luIEV2ZXJhcmQ=</w:fldData></w:fldChar></w:r>` +
		`<w:r><w:instrText xml:space="preserve"> ADDIN CITE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
	in := dt.Doc{Body: dt.P("The meeting was held."), Header: fld}.Build()
	d, err := New(Options{}).Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.(*Document).Reparse(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if copiedEntries(d.(*Document), in) == 0 || !got.(*Document).reused {
		t.Fatal("nothing taken from the input: the test tests nothing")
	}
	sameReading(t, "header with field data", d, got)
	if notes := strings.Join(got.(*Document).notes, "; "); !strings.Contains(notes, "w:fldData") {
		t.Errorf("reparse notes = %q; want the field data's removal", notes)
	}
}
