package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// sameIndependent fails unless the independent reading of out through d
// taking the entries d's parse inflated reads as the reading that inflates
// every entry itself: the same parts, the same inflated bytes and the same
// counts of each deflate stream's compressed bytes (for Leaks' File view);
// it returns how many entries were taken.
func sameIndependent(t *testing.T, name string, d *Document, out []byte) int {
	t.Helper()
	shared, serr := d.independent(out, true)
	alone, aerr := d.independent(out, false)
	if (serr == nil) != (aerr == nil) || (serr != nil && serr.Error() != aerr.Error()) {
		t.Fatalf("%s: shared: %v, alone: %v", name, serr, aerr)
	}
	if serr != nil {
		return 0
	}
	if alone.shared != 0 {
		t.Fatalf("%s: the reading alone took %d entries", name, alone.shared)
	}
	if !reflect.DeepEqual(shared.out, alone.out) {
		t.Errorf("%s: the parts differ", name)
	}
	if !reflect.DeepEqual(shared.inflated, alone.inflated) {
		t.Errorf("%s: the inflated entries differ", name)
	}
	if !reflect.DeepEqual(shared.streams, alone.streams) {
		t.Errorf("%s: the streams' counts differ: %v against %v", name, shared.streams, alone.streams)
	}
	return shared.shared
}

// TestIndependentTakesParsedEntries: the outputs of every fixture and
// corpus document, read through their input (Reparse: copied entries are
// the input's bytes, rewritten ones the re-parse's), and the inputs read
// by their own parse, read independently as when every entry is inflated
// again; and most entries are taken (else the test tests nothing).
func TestIndependentTakesParsedEntries(t *testing.T) {
	taken, outTaken, entries := 0, 0, 0
	for name, in := range reparseInputs(t) {
		d := mustParse(t, in)
		taken += sameIndependent(t, name+" (input)", d, in)
		var edits []redactors.Edit
		if p := d.Parts()[0].Text; len(p) > 0 {
			end := strings.IndexAny(p, " \n\t")
			if end < 0 {
				end = len(p)
			}
			if end > 0 {
				edits = append(edits, redactors.Edit{Part: 0, Start: 0, End: end, Replacement: "[x]"})
			}
		}
		var out bytes.Buffer
		if err := d.Redact(&out, edits); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		o, err := d.Reparse(context.Background(), out.Bytes())
		if err != nil {
			t.Fatalf("%s: reparse: %v", name, err)
		}
		n := sameIndependent(t, name+" (output)", o.(*Document), out.Bytes())
		if n == 0 {
			t.Errorf("%s: the output's reading took no entry from its parse", name)
		}
		outTaken += n
		entries += len(o.(*Document).entries)
		// A copy of the bytes is another file: nothing taken.
		if n := sameIndependent(t, name+" (a copy)", o.(*Document), bytes.Clone(out.Bytes())); n != 0 {
			t.Errorf("%s: %d entries taken for a copy of the file", name, n)
		}
	}
	t.Logf("%d entries taken from the inputs, %d from the outputs (%d entries in the outputs)", taken, outTaken, entries)
	if 2*outTaken < entries {
		t.Errorf("only %d of the outputs' %d entries taken: the test tests little", outTaken, entries)
	}
}

// deflated is b deflated (raw deflate, as in a zip entry).
func deflated(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withTrailer returns data with entry name's compressed data followed by
// tail inside its declared compressed size (bytes after the deflate
// stream's end, which no inflater reads), the rest copied.
func withTrailer(t *testing.T, data []byte, name string, tail []byte) []byte {
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
		body := dt.Entry(t, data, name)
		comp := append(deflated(t, body), tail...)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(comp)), UncompressedSize64: uint64(len(body))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A value hidden after the end of a copied entry's deflate stream, inside
// its compressed size, is in the output (Redact copies the compressed
// bytes as they are) and found by Leaks in the whole file's raw bytes:
// the count of the stream's bytes taken from the input's parse is exact,
// so the File view keeps what follows the stream. Counted as the whole
// compressed size, the value would be left out of every view.
func TestLeaksFindsTrailerOfCopiedEntry(t *testing.T) {
	const name = "Tamsin Everard"
	in := withTrailer(t, dt.Folder("../ooxml/testdata/corpus/word-2019"), "word/styles.xml", []byte(" "+name+" "))
	d := mustParse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte(name)) {
		t.Fatal("the trailer was not copied: the test tests nothing")
	}
	o, err := d.Reparse(context.Background(), out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	od := o.(*Document)
	if sameIndependent(t, "trailer", od, out.Bytes()) == 0 {
		t.Fatal("nothing taken: the test tests nothing")
	}
	if _, err := od.IndependentText(out.Bytes()); err != nil {
		t.Fatal(err)
	}
	where, err := od.Leaks(out.Bytes(), func(s string) bool { return strings.Contains(s, name) })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(where, []string{"the file's raw bytes"}) {
		t.Errorf("Leaks = %q; want the file's raw bytes", where)
	}
}

// An output whose data descriptor does not hold its entry's CRC-32 is
// refused by the independent reading (archive/zip checks it) whether or
// not it takes the parse's bytes, although the parse (which reads the
// central directory only) read the entry.
func TestIndependentChecksDescriptor(t *testing.T) {
	in := dt.Doc{Body: dt.P("The meeting was held."), Header: dt.P("Ward 4")}.Build()
	d := mustParse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	data := out.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	broken := 0
	for _, f := range zr.File {
		if f.Flags&0x8 == 0 || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		bad := bytes.Clone(data)
		at := off + int64(f.CompressedSize64)
		if binary.LittleEndian.Uint32(bad[at:]) == 0x08074b50 {
			at += 4
		}
		bad[at] ^= 0xFF
		o, err := d.Reparse(context.Background(), bad)
		if err != nil {
			continue // the parse read the descriptor's bytes too (a reader that does)
		}
		if n := sameIndependent(t, f.Name, o.(*Document), bad); n != 0 {
			t.Errorf("%s: the reading took %d entries and failed", f.Name, n)
		}
		if _, err := o.(*Document).IndependentText(bad); !errors.Is(err, redactors.ErrCorrupt) {
			t.Errorf("%s: a broken data descriptor: %v; want corrupt", f.Name, err)
		}
		broken++
	}
	if broken == 0 {
		t.Fatal("no entry with a data descriptor: the test tests nothing")
	}
}

// FuzzIndependentShared: whatever bytes a file holds (seeds: a small
// document and its output, with data descriptors), a parse that reads it
// hands the independent reading bytes that read as archive/zip's own: the
// same parts, entries and stream counts, or the same error.
func FuzzIndependentShared(f *testing.F) {
	in := dt.Doc{Body: dt.P("Tamsin Everard came."), Header: dt.P("Ward 4"), Footer: dt.P("page")}.Build()
	f.Add(in)
	if d, err := New(Options{}).Parse(in); err == nil {
		var out bytes.Buffer
		if err := d.(*Document).Redact(&out, []redactors.Edit{{Part: 0, Start: 0, End: 6, Replacement: "[x]"}}); err == nil {
			f.Add(out.Bytes())
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := New(Options{}).Parse(data)
		if err != nil {
			return
		}
		sameIndependent(t, "fuzzed", d.(*Document), data)
	})
}

// Reparse takes the input's reading of [Content_Types].xml and
// _rels/.rels when the output copies them byte for byte (the slices are
// the input's), and reads them again when they changed: a main part made
// a workbook's, or the main document relationship pointed elsewhere, is
// refused by Reparse as by Parse.
func TestReparseTakesPackageReadings(t *testing.T) {
	in := dt.Folder("../ooxml/testdata/corpus/word-2019")
	d := mustParse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	o := checkReparse(t, "word-2019", d, out.Bytes())
	if &o.types.Overrides[0] != &d.types.Overrides[0] || &o.pkgRels.Rels[0] != &d.pkgRels.Rels[0] {
		t.Fatal("the package's readings were not taken: the test tests nothing")
	}
	for _, c := range []struct{ entry, from, to string }{
		{"[Content_Types].xml", "wordprocessingml.document.main+xml", "spreadsheetml.sheet.main+xml"},
		{"_rels/.rels", `Target="word/document.xml"`, `Target="word/missing.xml"`},
	} {
		orig := dt.Entry(t, out.Bytes(), c.entry)
		changed := bytes.Replace(orig, []byte(c.from), []byte(c.to), 1)
		if bytes.Equal(changed, orig) {
			t.Fatalf("%s: nothing changed", c.entry)
		}
		data := rewrite(t, out.Bytes(), c.entry, changed, false)
		_, perr := New(Options{}).Parse(data)
		_, rerr := d.Reparse(context.Background(), data)
		if perr == nil || rerr == nil || perr.Error() != rerr.Error() {
			t.Errorf("%s changed: parse %v, reparse %v; want the same refusal", c.entry, perr, rerr)
		}
	}
}
