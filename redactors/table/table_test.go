package table

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/table/tabletest"
)

func parseDoc(t *testing.T, f Format, data []byte) *Document {
	t.Helper()
	doc, err := f.Parse(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc.(*Document)
}

func redactAll(t *testing.T, d *Document, edits []redactors.Edit) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := d.Redact(&b, edits); err != nil {
		t.Fatalf("redact: %v", err)
	}
	return b.Bytes()
}

// cells returns the parts as "name=text" lines, and field names.
func cells(d *Document) map[string]redactors.Part {
	out := map[string]redactors.Part{}
	for _, p := range d.Parts() {
		out[p.Name] = p
	}
	return out
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name, text string
		prefer     byte
		want       byte
	}{
		{"comma", "a,b,c\n1,2,3\n", ',', ','},
		{"semicolon with decimal commas", "Name;Weight;Height\nAnna;72,5;1,68\nBo;80,1;1,80\n", ',', ';'},
		{"tab", "a\tb\n1\t2\n", ',', '\t'},
		{"pipe", "a|b|c\n1|2|3\n", ',', '|'},
		{"quoted commas inside semicolons", "\"a, b\";c\n\"d, e\";f\n", ',', ';'},
		{"one column", "alpha\nbeta\n", '\t', '\t'},
		{"comma beats tab in a text with a stray tab", "a,b,c\n1,2\t,3\n4,5,6\n", '\t', ','},
	} {
		if got := sniff(c.text, c.prefer); got != c.want {
			t.Errorf("%s: sniffed %q, want %q", c.name, got, c.want)
		}
	}
}

// TestScanCoversEveryByte: fields, delimiters and line breaks are the whole
// text, and quoted values read as RFC 4180 says.
func TestScan(t *testing.T) {
	text := "id,note,x\r\n1,\"two\r\nlines, \"\"quoted\"\"\",\r\n2,plain \"inner\" quote,\"a\"b\n3,\"never closed,x\n"
	var got []field
	scan(text, ',', func(f field) bool { got = append(got, f); return true })
	want := []struct {
		row, col int
		value    string
	}{
		{1, 1, "id"}, {1, 2, "note"}, {1, 3, "x"},
		{2, 1, "1"}, {2, 2, "two\r\nlines, \"quoted\""}, {2, 3, ""},
		{3, 1, "2"}, {3, 2, "plain \"inner\" quote"}, {3, 3, "ab"},
		{4, 1, "3"}, {4, 2, "never closed,x\n"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d fields, want %d: %+v", len(got), len(want), got)
	}
	covered := 0
	for i, w := range want {
		g := got[i]
		if g.row != w.row || g.col != w.col || g.value != w.value {
			t.Errorf("field %d: (%d,%d) %q, want (%d,%d) %q", i, g.row, g.col, g.value, w.row, w.col, w.value)
		}
		covered += g.end - g.start
	}
	seps := strings.Count(text, ",") + strings.Count(text, "\n") - strings.Count(text[got[4].start:got[4].end], ",") -
		strings.Count(text[got[4].start:got[4].end], "\n") - strings.Count(text[got[10].start:got[10].end], ",") - strings.Count(text[got[10].start:got[10].end], "\n")
	seps += strings.Count(text, "\r\n") - strings.Count(text[got[4].start:got[4].end], "\r\n") // a CRLF is two bytes
	if covered+seps != len(text) {
		t.Errorf("fields cover %d bytes and separators %d of %d", covered, seps, len(text))
	}
}

func TestEncodings(t *testing.T) {
	csv := "Name,City\nZoë Brannigan,Malmö\n"
	u16 := func(e xunicode.Endianness) []byte {
		b, err := xunicode.UTF16(e, xunicode.UseBOM).NewEncoder().Bytes([]byte(csv))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	w1252, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(csv))
	// Polish in Windows-1250 ("Ołtarzewski", "Śląsk") is not Windows-1252
	polish, _ := charmap.Windows1250.NewEncoder().Bytes([]byte("Name,City\nWanda Ołtarzewska,Śląsk\n"))
	cyrillic, _ := charmap.Windows1251.NewEncoder().Bytes([]byte("Имя,Город\nЕлизавета Громова,Тверь\n"))
	for _, c := range []struct {
		name string
		data []byte
		want Encoding
		err  error
	}{
		{"utf-8", []byte(csv), UTF8, nil},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, csv...), UTF8BOM, nil},
		{"utf-16le", u16(xunicode.LittleEndian), UTF16LE, nil},
		{"utf-16be", u16(xunicode.BigEndian), UTF16BE, nil},
		{"windows-1252", w1252, Windows1252, nil},
		{"windows-1250 refused", polish, "", redactors.ErrEncoding},
		{"utf-16 without bom refused", u16(xunicode.LittleEndian)[2:], "", redactors.ErrEncoding},
		{"utf-16 odd length", append(u16(xunicode.LittleEndian), 'x'), "", redactors.ErrEncoding},
		{"C1 control refused", []byte("a,b\n\x81x,y\n"), "", redactors.ErrEncoding},
		{"utf-8 with a stray byte refused", append([]byte("Name\nZoë Brannigan\n"), 0xE9, '\n'), "", redactors.ErrEncoding},
		{"windows-1251 refused", cyrillic, "", redactors.ErrEncoding},
		{"empty", []byte(" \r\n"), "", redactors.ErrEmpty},
		{"binary", []byte("a,b\x00c\n"), "", redactors.ErrBinary},
	} {
		doc, err := CSV(Options{}).Parse(c.data)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%s: %v, want %v", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		d := doc.(*Document)
		if d.Encoding() != c.want {
			t.Errorf("%s: read as %s", c.name, d.Encoding())
		}
		if p := cells(d)["row 2, column 1"]; p.Text != "Zoë Brannigan" || p.Field != "Name" {
			t.Errorf("%s: row 2, column 1 is %q (field %q)", c.name, p.Text, p.Field)
		}
		// No edits: the same bytes. An edit: written back in the encoding.
		if out := redactAll(t, d, nil); !bytes.Equal(out, c.data) {
			t.Errorf("%s: Redact without edits changed the bytes", c.name)
		}
		out := redactAll(t, d, []redactors.Edit{{Part: 2, Start: 0, End: len("Zoë Brannigan"), Replacement: "Person Ä"}})
		d2 := parseDoc(t, CSV(Options{}), out)
		if d2.Encoding() != c.want || cells(d2)["row 2, column 1"].Text != "Person Ä" || cells(d2)["row 2, column 2"].Text != "Malmö" {
			t.Errorf("%s: after an edit, %s %+v", c.name, d2.Encoding(), d2.Parts())
		}
	}
	// A replacement Windows-1252 cannot hold becomes '?', never a parse error.
	d := parseDoc(t, CSV(Options{}), w1252)
	out := redactAll(t, d, []redactors.Edit{{Part: 2, Start: 0, End: 4, Replacement: "Ω→"}})
	if got := cells(parseDoc(t, CSV(Options{}), out))["row 2, column 1"].Text; got != "?? Brannigan" {
		t.Errorf("unencodable replacement: %q", got)
	}
}

// TestQuoting: a cell is quoted when it was, or when its new value needs
// quotes; escapes of untouched text and line endings stay.
func TestQuoting(t *testing.T) {
	in := "id;name;note\r\n7;Ada Quill;\"said \"\"hi\"\"; left\"\r\n8;\"Bo Reyes\";plain\r\n"
	d := parseDoc(t, CSV(Options{}), []byte(in))
	if d.Delimiter() != ';' || !d.Header() {
		t.Fatalf("delimiter %q header %v", d.Delimiter(), d.Header())
	}
	ps := cells(d)
	if ps["row 2, column 3"].Text != `said "hi"; left` || ps["row 2, column 3"].Field != "note" {
		t.Fatalf("note: %+v", ps["row 2, column 3"])
	}
	idx := map[string]int{}
	for i, p := range d.Parts() {
		idx[p.Name] = i
	}
	for _, c := range []struct {
		name string
		edit redactors.Edit
		want string
	}{
		{"unquoted stays unquoted", redactors.Edit{Part: idx["row 2, column 2"], Start: 0, End: 9, Replacement: "[PERSON]"}, "7;[PERSON];\"said"},
		{"unquoted gets quotes for a delimiter", redactors.Edit{Part: idx["row 2, column 2"], Start: 0, End: 9, Replacement: "A;B"}, "7;\"A;B\";"},
		{"unquoted gets quotes for a quote", redactors.Edit{Part: idx["row 2, column 2"], Start: 0, End: 3, Replacement: `"X"`}, "7;\"\"\"X\"\" Quill\";"},
		{"quoted keeps its escapes", redactors.Edit{Part: idx["row 2, column 3"], Start: 11, End: 15, Replacement: "gone"}, "\"said \"\"hi\"\"; gone\"\r\n"},
		{"quoted escapes a replacement's quote", redactors.Edit{Part: idx["row 2, column 3"], Start: 0, End: 4, Replacement: `"`}, "\"\"\" \"\"hi\"\"; left\""},
		{"quoted stays quoted", redactors.Edit{Part: idx["row 3, column 2"], Start: 0, End: 8, Replacement: "P"}, "8;\"P\";plain\r\n"},
	} {
		out := string(redactAll(t, parseDoc(t, CSV(Options{}), []byte(in)), []redactors.Edit{c.edit}))
		if !strings.Contains(out, c.want) {
			t.Errorf("%s: %q lacks %q", c.name, out, c.want)
		}
		d2 := parseDoc(t, CSV(Options{}), []byte(out))
		want := redactors.Splice(d.Parts()[c.edit.Part].Text, []redactors.Edit{{Start: c.edit.Start, End: c.edit.End, Replacement: c.edit.Replacement}})
		if got := cells(d2)[d.Parts()[c.edit.Part].Name].Text; got != want {
			t.Errorf("%s: read back %q, want %q", c.name, got, want)
		}
		if strings.Count(out, "\r\n") != 3 {
			t.Errorf("%s: line endings changed: %q", c.name, out)
		}
	}
}

func TestHeader(t *testing.T) {
	for _, c := range []struct {
		name  string
		first []string
		rest  [][]string
		want  bool
	}{
		{"labels", []string{"Patient", "DOB", "Notes"}, [][]string{{"Ada Quill", "1/2/1960", "ok"}}, true},
		{"names in a column of names", []string{"Ada Quill", "1/2/1960"}, [][]string{{"Ada Quill", "3/4/1970"}}, false},
		{"a date", []string{"Patient", "01/02/1960"}, [][]string{{"x", "y"}}, false},
		{"repeated label", []string{"Name", "name"}, [][]string{{"x", "y"}}, false},
		{"one row", []string{"Patient"}, nil, false},
		{"empty header cells are fine", []string{"", "Patient"}, [][]string{{"1", "Ada"}}, true},
		{"a long sentence", []string{strings.Repeat("word ", 20)}, [][]string{{"x"}}, false},
	} {
		if got := LooksLikeHeader(c.first, c.rest); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}

// TestEHRFixture: every non-blank cell is a part named by its place, with
// its column's header as Field; no header text in a name.
func TestEHRFixture(t *testing.T) {
	d := parseDoc(t, CSV(Options{}), tabletest.EHRCSV())
	rows := tabletest.EHRRows()
	n := 0
	for _, r := range rows {
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				n++
			}
		}
	}
	if len(d.Parts()) != n {
		t.Fatalf("%d parts, want %d", len(d.Parts()), n)
	}
	for _, p := range d.Parts() {
		want := rows[p.Cell.Row-1][p.Cell.Col-1]
		if p.Text != want {
			t.Errorf("%s: %q, want %q", p.Name, p.Text, want)
		}
		if p.Cell.Row > 1 && p.Field != tabletest.EHRHeader[p.Cell.Col-1] {
			t.Errorf("%s: field %q", p.Name, p.Field)
		}
		for _, h := range tabletest.EHRHeader {
			if strings.Contains(p.Name, h) {
				t.Errorf("%s: header text in the name", p.Name)
			}
		}
	}
}

// TestDelimiterKept: edits that would make another delimiter split the
// rows as well as the file's own get the cells holding it quoted, so the
// output reads as the input did.
func TestDelimiterKept(t *testing.T) {
	in := "a,b;c\nd,e,f;g\n"
	d := parseDoc(t, CSV(Options{}), []byte(in))
	if d.Delimiter() != ';' {
		t.Fatalf("sniffed %q", d.Delimiter())
	}
	// part 2 is "d,e,f": drop ",f"
	if d.Parts()[2].Text != "d,e,f" {
		t.Fatalf("part 2 is %q", d.Parts()[2].Text)
	}
	out := redactAll(t, d, []redactors.Edit{{Part: 2, Start: 3, End: 5}})
	d2 := parseDoc(t, CSV(Options{}), out)
	if d2.Delimiter() != ';' || len(d2.Parts()) != 4 || d2.Parts()[2].Text != "d,e" || d2.Parts()[0].Text != "a,b" {
		t.Errorf("output %q reads with %q as %+v", out, d2.Delimiter(), d2.Parts())
	}
}
