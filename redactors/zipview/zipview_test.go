package zipview

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

type file struct {
	name, data, comment string
	extra               []byte
}

func zipOf(t testing.TB, comment string, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Comment: f.comment, Extra: f.extra})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.data))
	}
	zw.SetComment(comment)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// views collects every view, "kind entry: text".
func views(t *testing.T, data []byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := Read(data, Limits{}, func(v View) error {
		out[v.Kind] = append(out[v.Kind], v.Entry+": "+v.Text)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func has(vs []string, s string) bool {
	for _, v := range vs {
		if strings.Contains(strings.Join(strings.Fields(v), " "), s) {
			return true
		}
	}
	return false
}

// TestEveryPlace: a value hidden in each kind of place is found in the
// view of that kind.
// everyPlace is a zip with a value in each kind of place.
func everyPlace(t *testing.T) []byte {
	le := func(s string) string {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		return string(b)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("compressed Quentin Aldous"))
	zw.Close()
	inner := zipOf(t, "", file{name: "xl/sharedStrings.xml", data: `<sst><si><t>Nested Quentin</t></si></sst>`})
	data := zipOf(t, "archive comment Quentin",
		file{name: "word/document.xml", data: `<?xml version="1.0"?><!-- Comment Quentin --><?pi Instr Quentin?><w:p a="Attr &amp; Quentin" b='it&apos;s &#x51;uentin'><w:r><w:t>Spl</w:t></w:r><w:r><w:t>it Quentin</w:t></w:r><![CDATA[Cdata <Quentin>]]>Ent&#233;r&lt;x&gt;<x:QuentinAldous data-Quentin = "1"/></w:p>`},
		file{name: "word/media/image1.png", data: "\x89PNG\x00\x00" + le("Wide Quentin") + "\x00" + z.String()},
		file{name: "word/embeddings/b.xlsx", data: string(inner)},
		file{name: "word/printerSettings/printerSettings1.bin", data: le("Printer Quentin") + "\x00\x00"},
		file{name: "customXml/Quentin Name.xml", data: "<a/>", comment: "entry comment Quentin", extra: []byte("\x99\x99\x0d\x00extra Quentin")},
	)
	return data
}

func TestEveryPlace(t *testing.T) {
	v := views(t, everyPlace(t))
	for _, c := range []struct{ kind, want string }{
		{Joined, "Split Quentin"},
		{Spaced, "Spl it Quentin"},
		{Joined, "Cdata <Quentin>"},
		{Joined, "Entér<x>"},
		{Attributes, "Attr & Quentin"},
		{Attributes, "it's Quentin"},
		{Markup, "Comment Quentin"},
		{Markup, "Instr Quentin"},
		{UTF16LE, "Wide Quentin"},
		{UTF16LE, "Printer Quentin"},
		{Inflated, "compressed Quentin Aldous"},
		{Joined, "word/embeddings/b.xlsx!xl/sharedStrings.xml: Nested Quentin"},
		{Name, "Quentin Name.xml"},
		{Names, "x:QuentinAldous"},
		{Names, "data-Quentin"},
		{Comment, "entry comment Quentin"},
		{Comment, "archive comment Quentin"},
		{Extra, "extra Quentin"},
		{File, "archive comment Quentin"},
	} {
		if !has(v[c.kind], c.want) {
			t.Errorf("%s views lack %q:\n%s", c.kind, c.want, strings.Join(v[c.kind], "\n"))
		}
	}
}

func TestLimits(t *testing.T) {
	data := zipOf(t, "", file{name: "a.xml", data: strings.Repeat("<a>x</a>", 1000)})
	if err := Read(data, Limits{MaxTotal: 100}, func(View) error { return nil }); !errors.Is(err, ErrLimit) {
		t.Errorf("total: %v", err)
	}
	if err := Read(data, Limits{MaxEntries: 1}, func(View) error { return nil }); err != nil {
		t.Errorf("one entry: %v", err)
	}
	if err := Read([]byte("not a zip"), Limits{}, func(View) error { return nil }); !errors.Is(err, ErrNotZip) {
		t.Errorf("not a zip: %v", err)
	}
	stop := errors.New("stop")
	if err := Read(data, Limits{}, func(View) error { return stop }); err != stop {
		t.Errorf("fn's error: %v", err)
	}
}

// TestIndependent: this package imports nothing of Veil, so a bug in the
// readers that find text for redaction cannot hide text from it. The one
// exception is internal/digestcache, a container keyed on exactly the
// bytes (no reading of its own), which must itself import nothing of Veil
// and no XML reader: it is checked here too.
func TestIndependent(t *testing.T) {
	const container = "github.com/veilhq/veil/internal/digestcache"
	files, _ := filepath.Glob("*.go")
	own, _ := filepath.Glob("../../internal/digestcache/*.go")
	if len(own) == 0 {
		t.Fatal("internal/digestcache: no source found")
	}
	for _, f := range append(files, own...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			if imp.Path.Value == strconv.Quote(container) && !strings.Contains(f, "digestcache") {
				continue
			}
			if strings.Contains(imp.Path.Value, "veilhq/veil") || strings.Contains(imp.Path.Value, "encoding/xml") {
				t.Errorf("%s imports %s", f, imp.Path.Value)
			}
		}
	}
}

// FuzzLex: the lexer takes anything and never panics; the text it reads
// is a subsequence of the decoded input's characters.
func FuzzLex(f *testing.F) {
	f.Add([]byte(`<a b="1>2" c='&amp;'>x<![CDATA[y]]><!--z--><?q r?><!DOCTYPE [ <!ENTITY e "f"> ]></a>`))
	f.Add([]byte(`<a b="unterminated`))
	f.Fuzz(func(t *testing.T, b []byte) {
		lex(b)
		Read(b, Limits{MaxTotal: 1 << 20}, func(View) error { return nil })
	})
}

// ReadShared with the entries another archive/zip reading inflated gives
// the views Read gives; the bytes it is handed are the ones read (by
// place, not name), and they count against the limits.
func TestReadShared(t *testing.T) {
	data := everyPlace(t)
	have := map[string][]byte{}
	streams := map[string]int64{}
	var read func(data []byte, places string, depth int)
	read = func(data []byte, places string, depth int) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		counted := CountStreams(zr)
		for i, f := range zr.File {
			rc, err := counted.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			place := places + strconv.Itoa(i)
			have[place] = b
			streams[place] = counted.Last()
			if bytes.HasPrefix(b, []byte("PK\x03\x04")) && depth < 2 {
				read(b, place+"!", depth+1)
			}
		}
	}
	read(data, "", 0)
	if _, ok := have["2!0"]; !ok {
		t.Fatalf("the nested archive's entry is not at place 2!0: %v", have)
	}
	shared := func(m map[string][]byte, lim Limits) (map[string][]string, error) {
		out := map[string][]string{}
		err := ReadShared(data, lim, func(place string) ([]byte, int64, bool) {
			b, ok := m[place]
			n, known := streams[place]
			if !known {
				n = -1
			}
			return b, n, ok
		}, func(v View) error {
			out[v.Kind] = append(out[v.Kind], v.Entry+": "+v.Text)
			return nil
		})
		return out, err
	}
	got, err := shared(have, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if want := views(t, data); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ReadShared gives other views than Read:\n%v\n%v", got, want)
	}
	other := map[string][]byte{"2!0": []byte("<t>Handed Rosalind</t>")}
	got, err = shared(other, Limits{})
	if err != nil || !has(got[Joined], "word/embeddings/b.xlsx!xl/sharedStrings.xml: Handed Rosalind") || has(got[Joined], "Nested Quentin") {
		t.Errorf("the entry handed over is not the one read: %v %v", err, got[Joined])
	}
	big := map[string][]byte{"0": bytes.Repeat([]byte("x"), 1<<20)}
	if _, err := shared(big, Limits{MaxTotal: 1 << 19}); !errors.Is(err, ErrLimit) {
		t.Errorf("bytes handed over beyond the limit: %v", err)
	}
}
