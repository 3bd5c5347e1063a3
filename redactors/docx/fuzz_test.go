package docx

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/ooxml"
)

// fuzzLimits keep fuzzing fast; the logic is the same as the defaults.
var fuzzLimits = Limits{MaxEntries: 200, MaxEntrySize: 4 << 20, MaxTotalSize: 8 << 20, MaxRatio: 200, RatioFloor: 1 << 20}

// checkDoc runs the whole contract on data: parse, redact the first word of
// every part, parse the output again, run the leak checker. Invalid input
// may be refused, but never with an internal error, and never by a panic.
func checkDoc(t *testing.T, data []byte) {
	f := New(Options{Limits: fuzzLimits})
	doc, err := f.Parse(data)
	if err != nil {
		if redactors.ReasonOf(err) == redactors.ErrInternal {
			t.Fatalf("internal error: %v", err)
		}
		return
	}
	var edits []redactors.Edit
	for i, p := range doc.Parts() {
		if !utf8.ValidString(p.Text) {
			t.Fatalf("part %s: invalid UTF-8", p.Name)
		}
		if p.Name == "" {
			t.Fatalf("part %d has no name", i)
		}
		if n := strings.IndexAny(p.Text, " \n"); n > 0 {
			edits = append(edits, redactors.Edit{Part: i, Start: 0, End: n, Replacement: "<X&Y>"})
		}
	}
	var out bytes.Buffer
	if err := doc.Redact(&out, edits); err != nil {
		t.Fatalf("redact: %v", err)
	}
	doc2, err := f.Parse(out.Bytes())
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if _, err := doc2.(redactors.LeakChecker).Leaks(out.Bytes(), func(s string) bool { return false }); err != nil {
		t.Fatalf("leaks: %v", err)
	}
}

// FuzzParse feeds whole files to the reader.
func FuzzParse(f *testing.F) {
	for _, fx := range fixtures() {
		f.Add(fx.doc.Build())
	}
	f.Add(plainDoc())
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add(append(append([]byte{}, ooxml.CFBMagic...), ooxml.UTF16LE("EncryptedPackage")...))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDoc(t, data)
	})
}

// FuzzParseXML feeds arbitrary XML as the body of a valid package, where
// the scanner sees it (zip-level fuzzing rarely gets that far).
func FuzzParseXML(f *testing.F) {
	f.Add(`<w:p><w:r><w:t>Maria San</w:t></w:r><w:ins w:author="A"><w:r><w:t>doval</w:t></w:r></w:ins></w:p>`)
	f.Add(`<w:p><w:del w:author="Greg"><w:r><w:delText>Rosa</w:delText></w:r></w:del><w:r><w:t><![CDATA[a]]>&amp;b</w:t></w:r></w:p>`)
	f.Add(`<w:tbl><w:tr><w:trPr><w:del w:author="x"/></w:trPr><w:tc><w:p><w:r><w:t>Rosa</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)
	f.Add(`<w:p><w:fldSimple w:instr=" MERGEFIELD a "><w:r><w:tab/><w:t xml:space="default"> x </w:t></w:r></w:fldSimple><!-- c --></w:p>`)
	f.Add(`<w:p><w:r><w:drawing><wp:docPr id="1" name="a" descr="Maria &quot;S&quot;"/></w:drawing></w:r><w:r><w:instrText>HYPERLINK</w:instrText></w:r></w:p>`)
	f.Fuzz(func(t *testing.T, body string) {
		checkDoc(t, dt.Doc{Body: body, Comments: `<w:comment w:id="0" w:author="A B" w:initials="AB">` + body + `</w:comment>`}.Build())
	})
}

// FuzzEditOffsets redacts a random span of a paragraph made of runs with
// entities, and checks that the output's text is the input's text with
// exactly that span replaced.
func FuzzEditOffsets(f *testing.F) {
	f.Add("Maria San", "doval & co", "é'x", 3, 12)
	f.Add("a", "", "b", 0, 2)
	f.Fuzz(func(t *testing.T, r1, r2, r3 string, s, e int) {
		for _, r := range []string{r1, r2, r3} {
			if !utf8.ValidString(r) || strings.ContainsFunc(r, func(c rune) bool { return !ooxml.IsXMLChar(c) || c == '\r' }) {
				return
			}
		}
		data := dt.Doc{Body: `<w:p>` + dt.R(r1) + `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + xmlEsc(r2) + `</w:t></w:r>` + dt.R(r3) + `</w:p>`}.Build()
		doc := mustParse(t, data)
		text := doc.Parts()[0].Text
		body := len(text) - 1 // the paragraph's final "\n" is not in any byte
		if s < 0 || e < s || e > body || !utf8.RuneStart(text[s]) && s < len(text) || e < len(text) && !utf8.RuneStart(text[e]) {
			return
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, []redactors.Edit{{Part: 0, Start: s, End: e, Replacement: "«R&»"}}); err != nil {
			t.Fatal(err)
		}
		got := mustParse(t, out.Bytes()).Parts()[0].Text
		if want := text[:s] + "«R&»" + text[e:]; got != want {
			t.Fatalf("got %q want %q", got, want)
		}
	})
}

// xmlEsc writes text with every kind of reference, to exercise the map.
func xmlEsc(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&#60;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\'':
			b.WriteString("&apos;")
		case r >= 0x80 && i%2 == 0:
			b.WriteString("&#x" + strings.ToUpper(strings.TrimLeft(hex(r), "0")) + ";")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hex(r rune) string {
	const digits = "0123456789abcdef"
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = digits[r&15]
		r >>= 4
	}
	return string(b[:])
}
