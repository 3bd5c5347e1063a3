package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// builder writes small PDF files for tests, object by object, with a
// correct cross-reference table. Objects are numbered from 1 in the order
// added; Catalog must be object 1.
type builder struct {
	objs []string
}

// add appends an object and returns its number.
func (b *builder) add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// set replaces object n.
func (b *builder) set(n int, body string) { b.objs[n-1] = body }

// stream returns a stream object body with data, Flate-compressed when z.
func stream(dict string, data []byte, z bool) string {
	if z {
		var buf bytes.Buffer
		w := zlib.NewWriter(&buf)
		w.Write(data)
		w.Close()
		data = buf.Bytes()
		dict += " /Filter /FlateDecode"
	}
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func (b *builder) bytes(trailerExtra string) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(b.objs))
	for i, o := range b.objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(b.objs)+1, trailerExtra, x)
	return out.Bytes()
}

// pagesDoc builds a document with one page per content stream. res adds
// the resource objects it needs and returns the resource dictionary shared
// by the pages (through the page tree); cat, if set, adds catalog entries.
func pagesDoc(contents []string, res func(b *builder) string, cat func(b *builder) string) []byte {
	b := &builder{}
	b.add("") // catalog
	b.add("") // pages
	r := res(b)
	extra := ""
	if cat != nil {
		extra = cat(b)
	}
	var kids []string
	for _, c := range contents {
		cs := b.add(stream("", []byte(c), true))
		p := b.add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>", cs))
		kids = append(kids, fmt.Sprintf("%d 0 R", p))
	}
	b.set(1, "<< /Type /Catalog /Pages 2 0 R "+extra+" >>")
	b.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /Resources %s >>", strings.Join(kids, " "), len(kids), r))
	return b.bytes("")
}

// helvFont is the standard Helvetica (WinAnsi, with fi and fl ligatures
// and a typographic apostrophe at spare codes).
const helvFont = `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica
  /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl /quoteright] >> >>`

// alphabet is the repertoire of the test CID font.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.,"

// fonts adds the test fonts: /F1 Helvetica, /F2 an Identity-H CID font
// with a ToUnicode CMap written without spaces between tokens, /F3 a Type 3
// font with a FontMatrix and glyph names; and /Fm, a Form XObject showing
// a name, drawn by several pages.
func fonts(b *builder) string {
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Test-UCS def\n1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n")
	fmt.Fprintf(&cm, "%d beginbfchar\n", len(alphabet)-10)
	for i, r := range alphabet[10:] {
		fmt.Fprintf(&cm, "<%04X><%04X>", 0x100+10+i, r)
	}
	cm.WriteString("\nendbfchar\n2 beginbfrange\n<0020><0020><0020>\n<0100><0109><0041>\nendbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n")
	tu := b.add(stream("", []byte(cm.String()), true))
	desc := b.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 /W [32 [300] 256 300 550] >>")
	f2 := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", desc, tu))
	sq := b.add(stream("", []byte("1000 0 0 0 750 750 d1 0 0 750 750 re f"), false))
	sp := b.add(stream("", []byte("500 0 d0"), false))
	f3 := b.add(fmt.Sprintf(`<< /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [0.001 0 0 0.001 0 0]
  /CharProcs << /K %[1]d 0 R /a %[1]d 0 R /t %[1]d 0 R /e %[1]d 0 R /space %[2]d 0 R >>
  /Encoding << /Type /Encoding /Differences [32 /space 75 /K 97 /a 101 /e 116 /t] >>
  /FirstChar 32 /LastChar 116 /Widths [500 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1000 0 0 0 1000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1000] >>`, sq, sp))
	fm := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 "+helvFont+" >> >>",
		[]byte("BT /F1 10 Tf 72 40 Td (Prepared for Margaret Ellison) Tj ET"), true))
	return fmt.Sprintf("<< /Font << /F1 %s /F2 %d 0 R /F3 %d 0 R >> /XObject << /Fm %d 0 R >> >>", helvFont, f2, f3, fm)
}
