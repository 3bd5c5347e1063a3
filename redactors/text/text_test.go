package text

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
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
		{"control characters", bytes.Repeat([]byte("\x01\x02\x03\x04ab"), 200), redactors.ErrBinary},
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

// A short text with a stray control character is text, before and after
// a redaction that shortens it. Found by FuzzParse (the suite's contract:
// the output parses again), when the share of control characters was of
// the file's own length.
func TestRedactedTextStaysText(t *testing.T) {
	in := "Client: Odalys Brennick, seen 2025-01-28\x1a"
	out := redact(t, in, ed(0, 8, 23, "X"), ed(0, 30, 40, ""))
	if _, err := Plain().Parse([]byte(out)); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
}

// options describe plain text and Markdown to the conformance suite: the
// fixtures under testdata and the samples the README's quick start uses.
func options(t testing.TB, f Format) formattest.Options {
	var fixtures []formattest.Fixture
	for _, glob := range []string{"testdata/*", "../../samples/cases/*"} {
		files, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			if !slices.Contains(f.Extensions(), filepath.Ext(p)) {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fixtures = append(fixtures, formattest.Fixture{Name: filepath.Base(p), Data: data})
		}
	}
	if len(fixtures) < 2 {
		t.Fatalf("%s: %d fixtures", f.Name(), len(fixtures))
	}
	return formattest.Options{
		Format:      f,
		Fixtures:    fixtures,
		CheckOutput: sameOutsideEdits(f.name == "markdown"),
		// an edit of the body over a front matter is cut to its values;
		// one on a key is refused
		Compare:         frontMatterExact(f.name == "markdown"),
		RedactMayRefuse: []*redactors.Reason{redactors.ErrUninspectable},
		// a front matter value is a second reading of the body's bytes
		// and so is an HTML attribute's value
		Derived: func(p redactors.Part) bool {
			return strings.HasPrefix(p.Name, "front matter value ") || strings.HasPrefix(p.Name, "attribute value ")
		},
		Leaks: leakCases(),
		Judge: func(_ testing.TB, out []byte) string { return string(out) },
	}
}

// sameOutsideEdits: the output is the input, byte-order mark included,
// with exactly the edited spans replaced (an edit of a front matter value
// where the value lies in the body).
func sameOutsideEdits(markdown bool) func(in []byte, parts []redactors.Part, edits []redactors.Edit, out []byte) error {
	return func(in []byte, parts []redactors.Part, edits []redactors.Edit, out []byte) error {
		return sameOutside(markdown, in, parts, edits, out)
	}
}

func sameOutside(markdown bool, in []byte, parts []redactors.Part, edits []redactors.Edit, out []byte) error {
	d := &Document{parts: parts}
	d.read(markdown)
	be, err := d.bodyEdits(edits)
	if err != nil {
		return err
	}
	want := redactors.Splice(parts[0].Text, be)
	if bytes.HasPrefix(in, bom) {
		want = string(bom) + want
	}
	if string(out) != want || !utf8.Valid(out) {
		return fmt.Errorf("output differs from the input outside the edits")
	}
	return nil
}

// frontMatterExact is formattest.Exact with the body's edits as Redact
// makes them (bodyEdits: cut to the front matter's values).
func frontMatterExact(markdown bool) func(in []redactors.Part, edits []redactors.Edit, out []redactors.Part) error {
	return func(in []redactors.Part, edits []redactors.Edit, out []redactors.Part) error {
		d := &Document{parts: in}
		d.read(markdown)
		be, err := d.bodyEdits(edits)
		if err != nil {
			return err
		}
		return formattest.Exact(in, be, out)
	}
}

// leakCases are the text leak corpus: each hides a value in a way a reader
// of the file still sees. Every person is invented.
func leakCases() []formattest.LeakCase {
	return []formattest.LeakCase{
		{Name: "cases and line breaks", File: []byte("Client: Odalys Brennick\nODALYS BRENNICK missed the\nappointment; Ms Odalys\nBrennick called back. brennick@example.org\n"),
			Secrets: []string{"Odalys Brennick", "Brennick"}},
		{Name: "soft hyphen and zero-width space", File: []byte("Seen: Odalys Bren\u00adnick, then O\u200bdalys.\n"),
			Secrets: []string{"Brennick", "Odalys"}},
		{Name: "markdown link, comment and alt text", File: []byte("# Plan\n<!-- for Teodor Wyndham-Pike -->\nSee [portal](https://portal.example/p/twyndham) and ![Teodor's chart](c.png \"Wyndham-Pike\").\n"),
			Secrets: []string{"Wyndham-Pike", "twyndham", "Teodor"}},
		{Name: "letter-spaced name", File: []byte("CLIENT: O D A L Y S   B R E N N I C K\nReferred by S\u00a0A\u00a0N\u00a0T\u00a0E\u00a0R\u00a0R\u00a0E.\n"),
			Secrets: []string{"Odalys Brennick", "Santerre"}},
		{Name: "word joiner, zero-width joiner and BOM inside words", File: []byte("Seen: Odalys Bren\u2060nick, Bren\u200dnick and Bren\ufeffnick.\n"),
			Secrets: []string{"Brennick"}},
		{Name: "BOM and CRLF", File: []byte("\uFEFFPhone (971) 555-0143\r\nMRN 0048-2291\r\n"),
			Secrets: []string{"(971) 555-0143", "0048-2291"}},
	}
}

func TestConformance(t *testing.T) {
	for _, f := range []Format{Plain(), Markdown()} {
		t.Run(f.Name(), func(t *testing.T) { formattest.Run(t, options(t, f)) })
	}
}

// FuzzParse runs the suite's per-file contract on arbitrary bytes, seeded
// with the fixtures: no panic, sentinel errors only, valid parts, and
// random edits that change exactly the spans they name.
func FuzzParse(f *testing.F) {
	f.Add([]byte("\uFEFFé\r\nx"))
	formattest.Fuzz(f, options(f, Plain()))
}
