package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/ooxml"
)

// rezip rebuilds a zip, letting edit change (or drop, with nil) each entry,
// and appending extra entries.
func rezip(t testing.TB, data []byte, edit func(name string, b []byte) []byte, extra ...dt.File) []byte {
	t.Helper()
	names, files := unzip(t, data)
	var out []dt.File
	for _, n := range names {
		b := files[n]
		if edit != nil {
			b = edit(n, b)
		}
		if b != nil {
			out = append(out, dt.File{Name: n, Data: string(b)})
		}
	}
	return dt.Zip(append(out, extra...))
}

func replaceIn(part, old, new string) func(string, []byte) []byte {
	return func(name string, b []byte) []byte {
		if name == part {
			return []byte(strings.Replace(string(b), old, new, 1))
		}
		return b
	}
}

func plainDoc() []byte {
	return dt.Doc{Body: dt.P("Session note for Maria Sandoval.")}.Build()
}

// TestRejects: every file Veil cannot process completely is refused with
// the right reason, and the error never holds document text.
func TestRejects(t *testing.T) {
	good := plainDoc()
	kitchen := fixtures()[0].doc.Build()
	deep := strings.Repeat("<w:sdt>", 20000) + strings.Repeat("</w:sdt>", 20000)
	laughs := `<!DOCTYPE w:document [<!ENTITY lol "Maria Sandoval"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>`
	cfb := append(append([]byte{}, ooxml.CFBMagic...), make([]byte, 512)...)
	encrypted := append(append([]byte{}, cfb...), ooxml.UTF16LE("EncryptedPackage")...)
	const ctMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	cases := []struct {
		name string
		data []byte
		f    Format
		want error
	}{
		{"empty", nil, New(Options{}), redactors.ErrEmpty},
		{"not a zip", []byte("Maria Sandoval, not a zip"), New(Options{}), redactors.ErrCorrupt},
		{"truncated", good[:len(good)/2], New(Options{}), redactors.ErrCorrupt},
		{"truncated directory", good[:len(good)-10], New(Options{}), redactors.ErrCorrupt},
		{"encrypted (OLE container)", encrypted, New(Options{}), redactors.ErrEncrypted},
		{"Word 97 .doc", cfb, New(Options{}), redactors.ErrUnsupported},
		{".docm by extension", good, MacroEnabled(), redactors.ErrUninspectable},
		{"macro-enabled content type", rezip(t, good, replaceIn("[Content_Types].xml", ctMain,
			"application/vnd.ms-word.document.macroEnabled.main+xml")), New(Options{}), redactors.ErrUninspectable},
		{"vbaProject.bin", rezip(t, good, nil, dt.File{Name: "word/vbaProject.bin", Data: "\xcc\x61 Maria Sandoval"}), New(Options{}), redactors.ErrUninspectable},
		{"embedded workbook", rezip(t, good, nil, dt.File{Name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", Data: "PK Maria Sandoval"}), New(Options{}), redactors.ErrUninspectable},
		{"OLE object relationship", rezip(t, good, replaceIn("word/_rels/document.xml.rels", "</Relationships>",
			`<Relationship Id="rId12" Type="`+dt.RelBase+`oleObject" Target="file:///C:/Maria.xls" TargetMode="External"/></Relationships>`)), New(Options{}), redactors.ErrUninspectable},
		{"altChunk", rezip(t, good, replaceIn("word/_rels/document.xml.rels", "</Relationships>",
			`<Relationship Id="rId13" Type="`+dt.RelBase+`aFChunk" Target="afchunk.mht"/></Relationships>`),
			dt.File{Name: "word/afchunk.mht", Data: "<html>Maria Sandoval</html>"}), New(Options{}), redactors.ErrUninspectable},
		{"unknown binary part", rezip(t, good, nil, dt.File{Name: "word/notes.bin", Data: "Maria Sandoval"}), New(Options{}), redactors.ErrUninspectable},
		{"DTD (entity expansion)", rezip(t, good, replaceIn("word/document.xml", "<w:document", laughs+"<w:document")), New(Options{}), redactors.ErrUninspectable},
		{"deep nesting", rezip(t, good, replaceIn("word/document.xml", "<w:body>", "<w:body>"+deep)), New(Options{}), redactors.ErrUninspectable},
		{"undeclared entity", rezip(t, good, replaceIn("word/document.xml", "Maria", "&maria;")), New(Options{}), redactors.ErrCorrupt},
		{"malformed XML", rezip(t, good, replaceIn("word/document.xml", "</w:t>", "</w:x>")), New(Options{}), redactors.ErrCorrupt},
		{"UTF-16 declared", rezip(t, good, replaceIn("word/document.xml", `encoding="UTF-8"`, `encoding="UTF-16"`)), New(Options{}), redactors.ErrEncoding},
		{"duplicate entry", dt.Zip([]dt.File{{Name: "word/document.xml", Data: "<a/>"}, {Name: "WORD/document.xml", Data: "<b/>"}}), New(Options{}), redactors.ErrCorrupt},
		{"escaping name", dt.Zip([]dt.File{{Name: "../evil.xml", Data: "<a/>"}}), New(Options{}), redactors.ErrCorrupt},
		{"no content types", dt.Zip([]dt.File{{Name: "word/document.xml", Data: "<a/>"}}), New(Options{}), redactors.ErrCorrupt},
		{"spreadsheet, not Word", rezip(t, good, replaceIn("[Content_Types].xml", ctMain,
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")), New(Options{}), redactors.ErrUnsupported},
		{"image-only body", dt.Doc{Body: `<w:p>` + dt.Image("rId11", "Picture 1", "") + `</w:p>`,
			Rels:  []dt.Rel{{ID: "rId11", Type: dt.RelImage, Target: "media/image1.png"}},
			Files: []dt.File{{Name: "word/media/image1.png", Data: dt.PNG()}}}.Build(), New(Options{}), redactors.ErrNoText},
		{"images set to quarantine", kitchen, New(Options{Images: ImagesQuarantine}), redactors.ErrNoText},
		{"too many entries", good, New(Options{Limits: Limits{MaxEntries: 3}}), redactors.ErrTooLarge},
		{"encrypted entry", encryptEntry(t, good), New(Options{}), redactors.ErrEncrypted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.f.Parse(c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if strings.Contains(err.Error(), "Maria") || strings.Contains(err.Error(), "Sandoval") {
				t.Errorf("error holds document text: %v", err)
			}
		})
	}
}

// encryptEntry sets the "encrypted" flag of the first entry (a traditional
// PKWARE-encrypted zip) in both headers.
func encryptEntry(t *testing.T, data []byte) []byte {
	out := append([]byte(nil), data...)
	n := 0
	for i := 0; i+8 < len(out); i++ {
		sig := string(out[i : i+4])
		switch sig {
		case "PK\x03\x04":
			if n == 0 {
				out[i+6] |= 1
				n++
			}
		case "PK\x01\x02":
			out[i+8] |= 1
			return out
		}
	}
	t.Fatal("no zip headers")
	return nil
}

// bomb returns a DOCX whose word/document.xml inflates to size bytes of
// zeros while its directory claims declared bytes. The deflate stream is
// built from one repeated block so that making it is cheap.
func bomb(t testing.TB, size, declared int64) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	chunk := make([]byte, 1<<20)
	fw.Write(chunk)
	fw.Flush()
	n1 := comp.Len()
	fw.Write(chunk)
	fw.Flush()
	block := append([]byte(nil), comp.Bytes()[n1:]...)
	for i := int64(2); i < size>>20; i++ {
		comp.Write(block)
	}
	fw.Close()
	// The stream really expands: check the first 64 MiB.
	if n, err := io.CopyN(io.Discard, flate.NewReader(bytes.NewReader(comp.Bytes())), 64<<20); n != 64<<20 || err != nil {
		t.Fatalf("bomb does not inflate: %d %v", n, err)
	}
	_, files := unzip(t, plainDoc())
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"} {
		w, _ := zw.Create(name)
		w.Write(files[name])
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(declared)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return b.Bytes()
}

// TestZipBomb: a document that expands to 1 GiB is refused, whether its
// directory tells the truth or not, after allocating a few MiB at most.
// Memory is measured with runtime statistics, not time.
func TestZipBomb(t *testing.T) {
	const gib = 1 << 30
	for _, c := range []struct {
		name     string
		declared int64
		want     error
	}{
		{"honest directory", gib, redactors.ErrTooLarge},
		{"directory claims 100 KiB", 100 << 10, redactors.ErrCorrupt},
		{"directory claims 200 MiB (ratio)", 200 << 20, redactors.ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := bomb(t, gib, c.declared)
			if len(data) > 4<<20 {
				t.Fatalf("bomb is %d bytes", len(data))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := New(Options{}).Parse(data)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			if alloc > 16<<20 {
				t.Errorf("allocated %d MiB to refuse a bomb", alloc>>20)
			}
			t.Logf("%d-byte file expanding to 1 GiB refused after allocating %d KiB: %v", len(data), alloc>>10, err)
		})
	}
}

func TestManyEntriesRefusedBeforeDirectory(t *testing.T) {
	var files []dt.File
	for i := 0; i < 200; i++ {
		files = append(files, dt.File{Name: "word/x" + strings.Repeat("a", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".xml", Data: ""})
	}
	data := dt.Zip(files)
	if n, ok := ooxml.CountEntries(data); !ok || n != 200 {
		t.Fatalf("ooxml.CountEntries = %d, %v", n, ok)
	}
	_, err := New(Options{Limits: Limits{MaxEntries: 100}}).Parse(data)
	if !errors.Is(err, redactors.ErrTooLarge) {
		t.Fatalf("err %v", err)
	}
}

// TestStrayTextRemoved: character data directly in WordprocessingML
// elements whose content is elements only (the body, a comment, a
// paragraph) is no part of the document's text: it is removed whatever
// the edits, with a note, and the paragraphs around it stay. Shown with a
// label before, an edit touching the label removed the whole element: the
// document's body, or the comment with its paragraphs (FuzzParseXML,
// testdata/fuzz/FuzzParseXML/body-digit-with-comment).
func TestStrayTextRemoved(t *testing.T) {
	body := `Tamsin Everard<w:p><w:r><w:t>Kept paragraph.</w:t></w:r>0417</w:p><![CDATA[Orsolya]]>`
	data := dt.Doc{Body: body, Comments: `<w:comment w:id="0" w:author="A B" w:initials="AB">Quillanby<w:p><w:r><w:t>Kept comment.</w:t></w:r></w:p></w:comment>`}.Build()
	d := mustParse(t, data)
	var all strings.Builder
	for _, p := range d.Parts() {
		all.WriteString(p.Text + "\n")
	}
	for _, s := range []string{"Tamsin", "Everard", "0417", "Orsolya", "Quillanby"} {
		if strings.Contains(all.String(), s) {
			t.Errorf("a stray text is read as a part: %q", all.String())
		}
	}
	for _, s := range []string{"Kept paragraph.", "Kept comment."} {
		if !strings.Contains(all.String(), s) {
			t.Errorf("%q is not read", s)
		}
	}
	if notes := strings.Join(d.Notes(), "\n"); !strings.Contains(notes, "4 pieces of text outside the document's text elements removed") {
		t.Errorf("notes %q do not say the stray text was removed", notes)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	_, files := unzip(t, out.Bytes())
	doc, comments := string(files["word/document.xml"]), string(files["word/comments.xml"])
	for _, s := range []string{"Tamsin", "0417", "Orsolya", "CDATA"} {
		if strings.Contains(doc, s) {
			t.Errorf("document.xml still holds %q", s)
		}
	}
	if strings.Contains(comments, "Quillanby") {
		t.Error("comments.xml still holds the stray text")
	}
	if !strings.Contains(doc, "<w:body>") || !strings.Contains(doc, "Kept paragraph.") || !strings.Contains(comments, "Kept comment.") {
		t.Error("the body, a paragraph or the comment was removed with the stray text")
	}
	if _, err := New(Options{}).Parse(out.Bytes()); err != nil {
		t.Fatalf("the output does not parse: %v", err)
	}
}

// The heads of the entries Leaks keeps for PixelLeaks are the first bytes
// entryHead reads of every top-level entry (an image under a name that is
// not an image's included), taken once, and only under ImagesOCR.
func TestOutputHeads(t *testing.T) {
	data := dt.WithImages(dt.P(dt.R("A note about Tamsin Everard.")), dt.Media{Name: "image1.png", Data: []byte(dt.PNG())})
	data = rezip(t, data, nil, dt.File{Name: "word/notes.bin", Data: dt.PNG()})
	for _, images := range []ImagePolicy{ImagesOCR, ImagesDrop} {
		d := &Document{opts: Options{Images: images}}
		if _, err := d.IndependentText(data); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Leaks(data, func(string) bool { return false }); err != nil {
			t.Fatal(err)
		}
		heads := outputHeads.take(data)
		if images != ImagesOCR {
			if heads != nil {
				t.Errorf("heads kept under %q", images)
			}
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range zr.File {
			want, err := entryHead(f)
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := heads[i]; !ok || !bytes.Equal(got, want) {
				t.Errorf("entry %d (%s): head %q, kept %v; entryHead reads %q", i, f.Name, got, ok, want)
			}
		}
		if outputHeads.take(data) != nil {
			t.Error("heads taken twice")
		}
	}
}
