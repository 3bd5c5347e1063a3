package text

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

func ed(part, start, end int, repl string) redactors.Edit {
	return redactors.Edit{Part: part, Start: start, End: end, Replacement: repl}
}

func redact(t *testing.T, in string, edits ...redactors.Edit) string {
	t.Helper()
	d, err := Plain().Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := d.Redact(&b, edits); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestByteIdenticalOutsideEdits(t *testing.T) {
	cases := []struct {
		name, in string
		edits    []redactors.Edit
		want     string
	}{
		{"no edits", "a\r\nb\r\n", nil, "a\r\nb\r\n"},
		{"crlf kept", "Maria\r\nsaw Dr. Lee\r\n", []redactors.Edit{ed(0, 0, 5, "Person A"), ed(0, 15, 18, "Person B")}, "Person A\r\nsaw Dr. Person B\r\n"},
		{"bom kept, offsets after bom", "\uFEFFJosé called", []redactors.Edit{ed(0, 0, 5, "[PERSON]")}, "\uFEFF[PERSON] called"},
		{"no final newline", "call 555", []redactors.Edit{ed(0, 5, 8, "[n]")}, "call [n]"},
		{"edit at end", "name: Ana\n", []redactors.Edit{ed(0, 6, 9, "X")}, "name: X\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := redact(t, c.in, c.edits...); got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}

func TestRejects(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, redactors.ErrEmpty},
		{"bom only", []byte("\uFEFF"), redactors.ErrEmpty},
		{"latin1", []byte("caf\xe9 au lait"), redactors.ErrEncoding},
		{"utf16", []byte{0xFF, 0xFE, 'a', 0}, redactors.ErrEncoding},
		{"binary", []byte("MZ\x90\x00\x03\x00"), redactors.ErrBinary},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Plain().Parse(c.in)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
		})
	}
}

func TestBadEditsRefused(t *testing.T) {
	d, _ := Plain().Parse([]byte("José"))
	for _, e := range [][]redactors.Edit{
		{ed(0, 3, 4, "x")},                   // splits é
		{ed(0, 0, 9, "x")},                   // past the end
		{ed(1, 0, 1, "x")},                   // no such part
		{ed(0, 2, 3, "x"), ed(0, 0, 1, "y")}, // out of order
		{ed(0, 0, 3, "x"), ed(0, 2, 3, "y")}, // overlapping
	} {
		if err := d.Redact(&bytes.Buffer{}, e); err == nil {
			t.Errorf("edits %v accepted", e)
		}
	}
}

// FuzzApplyEdits checks that valid edits change exactly the spans they name.
func FuzzApplyEdits(f *testing.F) {
	f.Add("Maria Sandoval called 555-0147\r\n", 0, 5, 22, 30)
	f.Add("\uFEFFé\r\nx", 0, 2, 3, 5)
	f.Fuzz(func(t *testing.T, in string, s1, e1, s2, e2 int) {
		d, err := Plain().Parse([]byte(in))
		if err != nil {
			return
		}
		text := d.Parts()[0].Text
		edits := []redactors.Edit{ed(0, s1, e1, "«1»"), ed(0, s2, e2, "«2»")}
		if redactors.CheckEdits(d.Parts(), edits) != nil {
			if err := d.Redact(&bytes.Buffer{}, edits); err == nil {
				t.Fatalf("invalid edits %v accepted", edits)
			}
			return
		}
		var b bytes.Buffer
		if err := d.Redact(&b, edits); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		prefix := ""
		if bytes.HasPrefix([]byte(in), bom) {
			prefix = string(bom)
		}
		want := prefix + text[:s1] + "«1»" + text[e1:s2] + "«2»" + text[e2:]
		if out != want || !utf8.ValidString(out) {
			t.Fatalf("got %q want %q", out, want)
		}
	})
}
