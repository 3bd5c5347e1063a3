package loadfile

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// A .dat as the public description shows it, byte by byte: þ (0xC3 0xBE in
// UTF-8) around every field, DC4 (0x14) between fields, ® (0xC2 0xAE) for
// a line break in a field, CR LF after each record.
func TestReadDATFromDescription(t *testing.T) {
	raw := "\ufeff" +
		"\u00feBEGBATES\u00fe\x14\u00feENDBATES\u00fe\x14\u00feTEXT\u00fe\r\n" +
		"\u00feVOL000001\u00fe\x14\u00feVOL000003\u00fe\x14\u00feline one\u00aeline two\u00fe\r\n" +
		"\u00feVOL000004\u00fe\x14\u00feVOL000004\u00fe\x14\u00fe\u00fe\r\n"
	fields, recs, err := ReadDAT(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fields, []string{"BEGBATES", "ENDBATES", "TEXT"}) {
		t.Errorf("fields %q", fields)
	}
	want := [][]string{{"VOL000001", "VOL000003", "line one\nline two"}, {"VOL000004", "VOL000004", ""}}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records %q, want %q", recs, want)
	}
	// The bytes of the delimiters are the documented ones.
	for _, b := range [][]byte{{0x14}, {0xc3, 0xbe}, {0xc2, 0xae}} {
		if !bytes.Contains([]byte(raw), b) {
			t.Fatalf("fixture lacks % x", b)
		}
	}
}

func TestDATRoundTrip(t *testing.T) {
	fields := []string{"BEGBATES", "ENDBATES", "FILENAME", "TEXTPATH", "REDACTED"}
	recs := [][]string{
		{"ACME000001", "ACME000003", "letter to Mr. Dąbrowski.pdf", `VOL1\TEXT\ACME000001.txt`, "Y"},
		{"ACME000004", "ACME000004", "", "", "N"},
		{"ACME000005", "ACME000005", "two\nlines\r\nand\rmore", "a,b \"quoted\"", "N"},
	}
	var b bytes.Buffer
	w, err := NewDATWriter(&b, fields)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\xef\xbb\xbf\xc3\xbeBEGBATES\xc3\xbe\x14")) {
		t.Errorf("header bytes % x", b.Bytes()[:20])
	}
	gotF, gotR, err := ReadDAT(&b)
	if err != nil {
		t.Fatal(err)
	}
	recs[2][2] = "two\nlines\nand\nmore" // line ends are normalised
	if !reflect.DeepEqual(gotF, fields) || !reflect.DeepEqual(gotR, recs) {
		t.Errorf("round trip:\n%q\n%q", gotF, gotR)
	}
}

func TestDATRefusesDelimiters(t *testing.T) {
	w, _ := NewDATWriter(&bytes.Buffer{}, []string{"A"})
	for _, v := range []string{"a\u00feb", "a\x14b", "a\u00aeb", "\xff"} {
		if err := w.Write([]string{v}); !errors.Is(err, ErrValue) {
			t.Errorf("%q: %v, want ErrValue", v, err)
		}
	}
	w, _ = NewDATWriter(&bytes.Buffer{}, []string{"A", "B"})
	if err := w.Write([]string{"one"}); !errors.Is(err, ErrValue) {
		t.Errorf("short record: %v", err)
	}
}

func TestReadDATMalformed(t *testing.T) {
	for _, raw := range []string{
		"",
		"\u00feA\u00fe\x14\u00feB\u00fe\r\n\u00feonly one\u00fe\r\n",
		"\u00feA\u00fe\r\n\u00feunterminated\r\n",
		"\u00feA\u00fe\r\n\u00fein\u00feside\u00fe\r\n",
	} {
		if _, _, err := ReadDAT(strings.NewReader(raw)); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v, want ErrSyntax", raw, err)
		}
	}
}

func TestOPTRoundTrip(t *testing.T) {
	images := []Image{
		{ID: "ACME000001", Volume: "VOL001", Path: `VOL001\IMAGES\ACME000001.pdf`, DocBreak: true, PageCount: 3},
		{ID: "ACME000004", Volume: "VOL001", Path: `VOL001\IMAGES\ACME000004.pdf`, DocBreak: true, FolderBreak: true, PageCount: 1},
		{ID: "ACME000005", Path: `IMAGES\ACME000005.tif`},
	}
	var b bytes.Buffer
	if err := WriteOPT(&b, images); err != nil {
		t.Fatal(err)
	}
	want := "ACME000001,VOL001,VOL001\\IMAGES\\ACME000001.pdf,Y,,,3\r\n" +
		"ACME000004,VOL001,VOL001\\IMAGES\\ACME000004.pdf,Y,Y,,1\r\n" +
		"ACME000005,,IMAGES\\ACME000005.tif,,,,\r\n"
	if b.String() != want {
		t.Errorf("opt:\n%q\nwant\n%q", b.String(), want)
	}
	got, err := ReadOPT(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, images) {
		t.Errorf("round trip %+v", got)
	}
	if err := WriteOPT(&b, []Image{{ID: "A,1", Path: "p"}}); !errors.Is(err, ErrValue) {
		t.Errorf("comma accepted: %v", err)
	}
	for _, bad := range []string{"A,V,P,Y,,\r\n", "A,V,P,X,,,1\r\n", "A,V,P,Y,,,-1\r\n", ",V,P,Y,,,1\r\n"} {
		if _, err := ReadOPT(strings.NewReader(bad)); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Whatever the writer accepts, the reader gives back (line ends
// normalised); whatever the reader is given, it does not panic.
func FuzzDATRoundTrip(f *testing.F) {
	f.Add("ACME000001", "line\nbreak", "")
	f.Add("þ", "\x14", "®")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		var buf bytes.Buffer
		w, err := NewDATWriter(&buf, []string{"A", "B", "C"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write([]string{a, b, c}); err != nil {
			if !errors.Is(err, ErrValue) {
				t.Fatal(err)
			}
			return
		}
		w.Flush()
		_, recs, err := ReadDAT(&buf)
		if err != nil {
			t.Fatalf("written record does not read back: %v", err)
		}
		norm := func(s string) string {
			return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		}
		if len(recs) != 1 || recs[0][0] != norm(a) || recs[0][1] != norm(b) || recs[0][2] != norm(c) {
			t.Fatalf("round trip %q", recs)
		}
		ReadDAT(strings.NewReader(a + b + c))
		ReadOPT(strings.NewReader(a + b + c))
	})
}
