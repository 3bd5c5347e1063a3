package pipeline_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path"
	"strings"
	"testing"
	"unicode"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// The leak corpus of text forms (issue 13, points 4 and 5): a name or a
// deny-listed term written so that a reader still reads it but a
// detector that reads characters does not: a soft hyphen, a line-break
// hyphenation, zero-width characters, a look-alike letter of another
// script, letters spaced out, and, in file names, the initial+surname
// forms. Each fixture goes through the whole engine and its output is
// judged by an independent reading (readsAs: the raw bytes, or every
// entry of the DOCX zip, read as a person reads them); every written
// output and output name must be free of the values. A quarantine with a
// precise reason passes; a silent pass does not. All people are invented.

// readsAs is the judge's reading of bytes: what a person reads, written
// here without Veil's code: invisible format characters dropped, words
// hyphenated at a line break joined, the Cyrillic and Greek letters the
// fixtures use for Latin ones made Latin, white space and markup dropped,
// lower case. A value "survives" when its letters appear in a row.
func readsAs(b []byte) string {
	s := string(b)
	var out strings.Builder
	for i, r := range s {
		switch {
		case unicode.Is(unicode.Cf, r), unicode.IsSpace(r):
			continue
		case r == '-' || r == '\u2010':
			// "Bren-\n  nick": a hyphen before a line break joins.
			rest := strings.TrimLeft(s[i+len(string(r)):], " \t")
			if strings.HasPrefix(rest, "\n") || strings.HasPrefix(rest, "\r\n") {
				continue
			}
		}
		if l, ok := lookAlike[r]; ok {
			r = l
		}
		out.WriteRune(unicode.ToLower(r))
	}
	return out.String()
}

var lookAlike = map[rune]rune{'а': 'a', 'е': 'e', 'о': 'o', 'і': 'i', 'О': 'O', 'Н': 'H', 'Ο': 'O', 'ο': 'o'}

// survives reports whether the judge reads value in b: as written, and
// with markup (<…>) dropped.
func survives(b []byte, value string) bool {
	v := readsAs([]byte(value))
	if strings.Contains(readsAs(b), v) {
		return true
	}
	var text []byte
	in := false
	for _, c := range b {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			text = append(text, c)
		}
	}
	return strings.Contains(readsAs(text), v)
}

// zipEntries returns every entry of a zip, uncompressed, one after the
// other: what unzip gives.
func zipEntries(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("output is not a zip: %v", err)
	}
	var all []byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		all = append(append(all, f.Name...), '\n')
		all = append(append(all, data...), '\n')
	}
	return all
}

type formCase struct {
	name    string
	text    string
	secrets []string
}

// textFormCases hide the client "Odalys Brennick" and the deny-listed
// "Harbour Lane Project".
var textFormCases = []formCase{
	{"soft hyphen in a name", "Client: Odalys Bren\u00adnick.\nMs Bren\u00adnick reported better sleep.\n", []string{"Brennick"}},
	{"hyphenation at a line break", "Session with Odalys Bren-\nnick today; we reviewed the plan with Ms Bren-\r\n    nick.\n", []string{"Brennick"}},
	{"zero-width characters", "Client: O\u200bdalys Bren\u200dnick.\nMs Bren\u2060nick\ufeff reported better sleep.\n", []string{"Brennick", "Odalys"}},
	{"Cyrillic look-alike in a name", "Client: \u041edalys Brenn\u0456ck.\nMs Brenn\u0456ck reported better sleep.\n", []string{"Brennick", "Odalys"}},
	{"letter-spaced name", "CLIENT: O D A L Y S   B R E N N I C K\nThe client reported better sleep.\n", []string{"Brennick", "Odalys"}},
	{"letter-spaced with no-break spaces", "Client: Odalys B\u00a0R\u00a0E\u00a0N\u00a0N\u00a0I\u00a0C\u00a0K\nThe client reported better sleep.\n", []string{"Brennick"}},
	{"letter-spaced with hyphens", "Client: Odalys B-R-E-N-N-I-C-K\nThe client reported better sleep.\n", []string{"Brennick"}},
	{"Cyrillic look-alike in a deny-list term", "Client: Odalys Brennick.\nShe joined the H\u0430rbour Lane Pr\u043eject in May.\n", []string{"Harbour Lane Project"}},
	{"deny-list term hyphenated and soft-hyphenated", "She left the Harbour Lane Pro-\nject, then the Har\u00adbour Lane Project.\n", []string{"Harbour Lane Project"}},
}

func formEngine(t *testing.T, profile string) *pipeline.Engine {
	t.Helper()
	p, err := profiles.Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := profiles.NewKeys([]byte("text forms test key, not a secret"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Year: 2024, Secrets: keys, DenyList: []string{"Harbour Lane Project"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// judge fails t when a written output holds a secret, and accepts a
// quarantine only with a reason.
func judge(t *testing.T, what string, out []byte, reason, detail string, read func([]byte) []byte, secrets []string) {
	t.Helper()
	if out == nil {
		if reason == "" {
			t.Errorf("%s: not written, without a reason", what)
		}
		for _, s := range secrets {
			if strings.Contains(strings.ToLower(detail), strings.ToLower(s)) {
				t.Errorf("%s: the reason names the value", what)
			}
		}
		t.Logf("%s: quarantined: %s (%s)", what, reason, detail)
		return
	}
	for _, s := range secrets {
		if survives(read(out), s) {
			t.Errorf("%s: %q survives in the written output", what, s)
		}
	}
}

func TestTextFormsLeakCorpus(t *testing.T) {
	raw := func(b []byte) []byte { return b }
	for _, profile := range []string{"supervision", "research"} {
		for _, c := range textFormCases {
			for _, ext := range []string{".txt", ".md"} {
				e := formEngine(t, profile)
				out, rec := e.Redact(context.Background(), "note"+ext, []byte(c.text))
				judge(t, profile+"/"+c.name+"/"+ext, out, rec.Reason, rec.Detail, raw, c.secrets)
			}
		}
	}
	// Court keeps adults' names; deny-listed terms go in every form.
	for _, c := range textFormCases {
		if !strings.Contains(c.secrets[0], "Harbour") {
			continue
		}
		out, rec := formEngine(t, "court").Redact(context.Background(), "exhibit.txt", []byte(c.text))
		judge(t, "court/"+c.name, out, rec.Reason, rec.Detail, raw, c.secrets)
	}
}

// The same forms in a DOCX, judged on every entry of the output zip.
func TestTextFormsLeakCorpusDOCX(t *testing.T) {
	for _, c := range append(textFormCases,
		formCase{"w:softHyphen element", "", []string{"Brennick"}},
	) {
		var body string
		if c.text == "" {
			body = docxtest.P(`<w:r><w:t>Client: Odalys Bren</w:t><w:softHyphen/><w:t>nick.</w:t></w:r>`)
		} else {
			for _, line := range strings.Split(strings.TrimRight(c.text, "\n"), "\n") {
				body += docxtest.P(docxtest.R(line))
			}
			if strings.Contains(c.name, "line break") {
				// a hyphenated line break inside a paragraph
				body = docxtest.P(`<w:r><w:t>Session with Odalys Bren-</w:t><w:br/><w:t>nick today.</w:t></w:r>`)
			}
		}
		in := docxtest.Doc{Body: body}.Build()
		out, rec := formEngine(t, "supervision").Redact(context.Background(), "note.docx", in)
		judge(t, "docx/"+c.name, out, rec.Reason, rec.Detail, func(b []byte) []byte { return zipEntries(t, b) }, c.secrets)
	}
}

// File names give people the forms of a name that no text rule reads:
// the output name must hold none of them, and keep its extension.
func TestTextFormsLeakCorpusFileNames(t *testing.T) {
	e := formEngine(t, "supervision")
	body := []byte("Client: Odalys Brennick, seen weekly. Ms Brennick reported better sleep.\n")
	for _, key := range []string{
		"obrennick_note.txt", "notes/2024-05_BrennickO.md", "o.brennick/session.txt", "brennick_o.md",
		"OdalysBrennick_plan.txt", "odalysbrennick.md", "odalys.brennick@example.net.txt",
		"Bren\u00adnick_note.txt", "O D A L Y S_B R E N N I C K.txt",
	} {
		out, rec := e.Redact(context.Background(), key, body)
		if out == nil {
			t.Errorf("%s: not written: %s", key, rec.Reason)
			continue
		}
		if survives([]byte(rec.Key), "brennick") {
			t.Errorf("%s: output name %q keeps the name", key, rec.Key)
		}
		if path.Ext(rec.Key) != path.Ext(key) {
			t.Errorf("%s: output name %q lost its extension", key, rec.Key)
		}
		if survives(out, "Brennick") {
			t.Errorf("%s: the name survives in the text", key)
		}
	}
}
