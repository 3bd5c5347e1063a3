package docx

import (
	"strings"
	"testing"
	"unicode/utf8"

	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/ooxml"
)

// fuzzLimits keep fuzzing fast; the logic is the same as the defaults.
var fuzzLimits = Limits{MaxEntries: 200, MaxEntrySize: 4 << 20, MaxTotalSize: 8 << 20, MaxRatio: 200, RatioFloor: 1 << 20}

// fuzzOptions are the conformance options with the fuzzing limits.
func fuzzOptions(t testing.TB) formattest.Options {
	o := options(t)
	o.Format = New(Options{Limits: fuzzLimits})
	return o
}

// FuzzParse feeds whole files to the reader; every input must pass the
// suite's per-file contract (formattest.Check): refused with a sentinel
// other than ErrInternal, or parsed into valid parts that random edits
// change exactly, in an output that parses again and that Leaks reads.
func FuzzParse(f *testing.F) {
	f.Add(plainDoc())
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add(append(append([]byte{}, ooxml.CFBMagic...), ooxml.UTF16LE("EncryptedPackage")...))
	formattest.Fuzz(f, fuzzOptions(f))
}

// FuzzParseXML feeds arbitrary XML as the body of a valid package, where
// the scanner sees it (zip-level fuzzing rarely gets that far).
func FuzzParseXML(f *testing.F) {
	f.Add(`<w:p><w:r><w:t>Maria San</w:t></w:r><w:ins w:author="A"><w:r><w:t>doval</w:t></w:r></w:ins></w:p>`)
	f.Add(`<w:p><w:del w:author="Greg"><w:r><w:delText>Rosa</w:delText></w:r></w:del><w:r><w:t><![CDATA[a]]>&amp;b</w:t></w:r></w:p>`)
	f.Add(`<w:tbl><w:tr><w:trPr><w:del w:author="x"/></w:trPr><w:tc><w:p><w:r><w:t>Rosa</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)
	// tables: cells are parts of their own, with fields (cells.go)
	f.Add(`<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>SSN</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:p><w:r><w:t>4127</w:t><w:br/><w:t>39586</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>in</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>` +
		`<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl><w:p><w:r><w:t>after</w:t></w:r></w:p>`)
	f.Add(`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>DOB:</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1/2/1961</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:p><w:r><w:t>Name:</w:t></w:r></w:p></w:tc><w:tc><w:p><w:ins w:author="A"><w:r><w:t>Rosa</w:t></w:r></w:ins></w:p></w:tc></w:tr></w:tbl>`)
	f.Add(`<w:p><w:fldSimple w:instr=" MERGEFIELD a "><w:r><w:tab/><w:t xml:space="default"> x </w:t></w:r></w:fldSimple><!-- c --></w:p>`)
	f.Add(`<w:p><w:r><w:drawing><wp:docPr id="1" name="a" descr="Maria &quot;S&quot;"/></w:drawing></w:r><w:r><w:instrText>HYPERLINK</w:instrText></w:r></w:p>`)
	// typographic names replaced by construction (typography.go)
	f.Add(`<w:p><w:pPr><w:pStyle w:val="Quillanby"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Heading1Char"/><w:rFonts w:ascii="Quillanby &amp; Co" w:cs="Arial"/></w:rPr><w:sym w:font="Q" w:char="F04A"/><w:t>x</w:t></w:r></w:p>` +
		`<w:customXml w:element="e"><w:customXmlPr><w:attr w:name="n" w:val="Orsolya"/></w:customXmlPr><w:p/></w:customXml>`)
	o := fuzzOptions(f)
	f.Fuzz(func(t *testing.T, body string) {
		formattest.Check(t, o, dt.Doc{Body: body, Comments: `<w:comment w:id="0" w:author="A B" w:initials="AB">` + body + `</w:comment>`}.Build())
	})
}

// FuzzEditOffsets redacts random spans of a paragraph made of runs with
// every kind of character reference, and checks (formattest.Check) that
// the output's text is the input's text with exactly those spans replaced.
func FuzzEditOffsets(f *testing.F) {
	f.Add("Maria San", "doval & co", "é'x")
	f.Add("a", "", "b")
	o := fuzzOptions(f)
	f.Fuzz(func(t *testing.T, r1, r2, r3 string) {
		for _, r := range []string{r1, r2, r3} {
			if !utf8.ValidString(r) || strings.ContainsFunc(r, func(c rune) bool { return !ooxml.IsXMLChar(c) || c == '\r' }) {
				return
			}
		}
		formattest.Check(t, o, dt.Doc{Body: `<w:p>` + dt.R(r1) + `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + xmlEsc(r2) + `</w:t></w:r>` + dt.R(r3) + `</w:p>`}.Build())
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
