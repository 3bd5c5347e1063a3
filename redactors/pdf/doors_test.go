package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// The leak corpus of issue 13 ("no side doors") for PDF: one small fixture
// per class of hidden text, each written here with invented people, each
// output judged by tools that share nothing with Veil's reader: poppler's
// pdftotext, mupdf's mutool, the raw bytes of every object that qpdf
// decompresses, and for images exiftool and the JPEG segments themselves.

// judgeTool returns the path of an external judge: under CI=true a missing
// judge fails the test, elsewhere it skips it (scripts/setup installs
// them all).
func judgeTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI (scripts/setup installs it): %v", name, err)
		}
		t.Skipf("%s not installed; run scripts/setup", name)
	}
	return p
}

// judged is what the independent judges read in one PDF.
type judged struct {
	pdftotext, mutool string // extracted text, white space folded
	raw               []byte // qpdf --qdf --object-streams=disable
}

// judgeRead runs the judges over data.
func judgeRead(t *testing.T, data []byte) judged {
	t.Helper()
	pdftotext, mutool, qpdf := judgeTool(t, "pdftotext"), judgeTool(t, "mutool"), judgeTool(t, "qpdf")
	dir := t.TempDir()
	src := filepath.Join(dir, "f.pdf")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var j judged
	b, err := exec.Command(pdftotext, src, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	j.pdftotext = strings.Join(strings.Fields(string(b)), " ")
	b, err = exec.Command(mutool, "draw", "-q", "-F", "txt", "-o", "-", src).Output()
	if err != nil {
		t.Fatalf("mutool draw: %v", err)
	}
	j.mutool = strings.Join(strings.Fields(string(b)), " ")
	j.raw = rawObjects(t, data)
	if b, err := exec.Command(qpdf, "--check", src).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, b)
	}
	return j
}

// rawObjects returns every object of a PDF decompressed by qpdf (--qdf
// --object-streams=disable), as bytes.
func rawObjects(t *testing.T, data []byte) []byte {
	t.Helper()
	qpdf := judgeTool(t, "qpdf")
	dir := t.TempDir()
	src, qdf := filepath.Join(dir, "f.pdf"), filepath.Join(dir, "q.pdf")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(qpdf, "--qdf", "--object-streams=disable", src, qdf).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --qdf: %v\n%s", err, b)
	}
	raw, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// judgeClean checks an output: no judge and no reading of Veil's finds any
// of values; the judges' texts still hold every kept text.
func judgeClean(t *testing.T, out []byte, values, kept []string) judged {
	t.Helper()
	j := judgeRead(t, out)
	for _, v := range values {
		if strings.Contains(j.pdftotext, v) {
			t.Errorf("pdftotext shows %q", v)
		}
		if strings.Contains(j.mutool, v) {
			t.Errorf("mutool shows %q", v)
		}
		if bytes.Contains(j.raw, []byte(v)) {
			t.Errorf("a decompressed object holds %q", v)
		}
	}
	for _, k := range kept {
		if !strings.Contains(j.pdftotext, k) {
			t.Errorf("pdftotext lost kept text %q", k)
		}
		if !strings.Contains(j.mutool, k) {
			t.Errorf("mutool lost kept text %q", k)
		}
	}
	d := parse(t, out)
	for _, p := range d.Parts() {
		for _, v := range values {
			if strings.Contains(p.Text, v) {
				t.Errorf("Veil's reading %s still holds %q", p.Name, v)
			}
		}
	}
	where, err := d.Leaks(out, func(s string) bool {
		for _, v := range values {
			if strings.Contains(s, v) {
				return true
			}
		}
		return false
	})
	if err != nil || len(where) > 0 {
		t.Errorf("Leaks = %v, %v; want none", where, err)
	}
	return j
}

// partNamed returns the index of the part called name, or -1.
func partNamed(d redactors.Document, name string) int {
	for i, p := range d.Parts() {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// editsIn returns edits over every occurrence of each value in part i.
func editsIn(d redactors.Document, i int, label string, values ...string) []redactors.Edit {
	var es []redactors.Edit
	text := d.Parts()[i].Text
	for _, v := range values {
		for off := 0; ; {
			k := strings.Index(text[off:], v)
			if k < 0 {
				break
			}
			es = append(es, redactors.Edit{Part: i, Start: off + k, End: off + k + len(v), Replacement: label})
			off += k + len(v)
		}
	}
	for a := range es {
		for b := a + 1; b < len(es); b++ {
			if es[b].Start < es[a].Start {
				es[a], es[b] = es[b], es[a]
			}
		}
	}
	return es
}

// redactWith parses data, applies edits and returns the output.
func redactWith(t *testing.T, data []byte, edits func(d redactors.Document) []redactors.Edit) []byte {
	t.Helper()
	d := parse(t, data)
	var out bytes.Buffer
	if err := d.Redact(&out, edits(d)); err != nil {
		t.Fatalf("redact: %v", err)
	}
	return out.Bytes()
}

// rot13 maps letters 13 places on: the "nonsense" a lying ToUnicode map
// gives.
func rot13(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return 'a' + (r-'a'+13)%26
		case r >= 'A' && r <= 'Z':
			return 'A' + (r-'A'+13)%26
		}
		return r
	}, s)
}

// lyingCMap is a ToUnicode map that reads every code as the ROT13 of the
// character code(n, r) stands for, for the runes of alphabet.
func lyingCMap(n int, alphabet string, code func(r rune) int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <%0*X> <%0*X> endcodespacerange\n", 2*n, 0, 2*n, 1<<(8*n)-1)
	fmt.Fprintf(&b, "%d beginbfchar\n", len([]rune(alphabet)))
	for _, r := range alphabet {
		fmt.Fprintf(&b, "<%0*X> <%04X>\n", 2*n, code(r), []rune(rot13(string(r)))[0])
	}
	b.WriteString("endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n")
	return b.String()
}

const doorsLine = "Patient: Maria Sandoval, seen today"

// Class 1, one-byte codes: Helvetica (its WinAnsi glyphs spell the line)
// with a ToUnicode map that reads it as ROT13. The page shows the name,
// the string holds it, and the fonts read nonsense: the codes read as
// bytes are a second part, and an edit on either reading removes the same
// glyphs.
func TestDoorLyingToUnicodeBytes(t *testing.T) {
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (" + doorsLine + ") Tj ET"}, func(b *builder) string {
		tu := b.add(stream("", []byte(lyingCMap(1, doorsLine, func(r rune) int { return int(r) })), true))
		return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode %d 0 R >> >> >>", tu)
	}, nil)
	d := parse(t, in)
	if got := d.Parts()[0].Text; got != rot13(doorsLine) {
		t.Fatalf("page text %q, want the ToUnicode reading", got)
	}
	alt := partNamed(d, "page 1 (codes read as bytes)")
	if alt < 0 || d.Parts()[alt].Text != doorsLine || d.Parts()[alt].Page != 1 {
		t.Fatalf("parts %+v: want the codes read as bytes", d.Parts())
	}
	if partNamed(d, "page 1 (glyph names)") >= 0 {
		t.Errorf("parts %+v: the glyph names say what the bytes say", d.Parts())
	}
	// The judges see the name in the raw bytes of the input.
	if j := judgeRead(t, in); !bytes.Contains(j.raw, []byte("Sandoval")) {
		t.Fatal("fixture: the raw string does not hold the name")
	}
	for _, c := range []struct {
		name  string
		part  func(d redactors.Document) int
		value string
	}{
		{"edit on the bytes", func(d redactors.Document) int { return partNamed(d, "page 1 (codes read as bytes)") }, "Maria Sandoval"},
		{"edit on the page text", func(redactors.Document) int { return 0 }, rot13("Maria Sandoval")},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := redactWith(t, in, func(d redactors.Document) []redactors.Edit {
				return editsIn(d, c.part(d), "NAME", c.value)
			})
			judgeClean(t, out, []string{"Sandoval", "Maria", rot13("Sandoval"), rot13("Maria")}, []string{rot13("Patient:"), rot13("seen today")})
			d2 := parse(t, out)
			if alt := partNamed(d2, "page 1 (codes read as bytes)"); alt < 0 || !strings.Contains(d2.Parts()[alt].Text, "Patient:") || !strings.Contains(d2.Parts()[alt].Text, "seen today") {
				t.Errorf("the kept glyphs lost their byte reading: %+v", d2.Parts())
			}
		})
	}
}

// Class 1, glyph names: codes 1, 2, 3… (nothing in the bytes) whose
// Differences name the glyphs of the line, and a lying ToUnicode map.
func TestDoorLyingToUnicodeGlyphNames(t *testing.T) {
	runes := []rune{}
	codeOf := map[rune]int{}
	for _, r := range doorsLine {
		if _, ok := codeOf[r]; !ok {
			runes = append(runes, r)
			codeOf[r] = len(runes)
		}
	}
	var diffs strings.Builder
	diffs.WriteString("1")
	for _, r := range runes {
		n := map[rune]string{' ': "space", ':': "colon", ',': "comma"}[r]
		if n == "" {
			n = string(r)
		}
		diffs.WriteString(" /" + n)
	}
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 700 Td <")
	for _, r := range doorsLine {
		fmt.Fprintf(&content, "%02X", codeOf[r])
	}
	content.WriteString("> Tj ET")
	in := pagesDoc([]string{content.String()}, func(b *builder) string {
		tu := b.add(stream("", []byte(lyingCMap(1, string(runes), func(r rune) int { return codeOf[r] })), true))
		return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [%s] >> /ToUnicode %d 0 R >> >> >>", diffs.String(), tu)
	}, nil)
	d := parse(t, in)
	alt := partNamed(d, "page 1 (glyph names)")
	if alt < 0 || d.Parts()[alt].Text != doorsLine || partNamed(d, "page 1 (codes read as bytes)") >= 0 {
		t.Fatalf("parts %+v: want the glyph names reading only", d.Parts())
	}
	out := redactWith(t, in, func(d redactors.Document) []redactors.Edit {
		return editsIn(d, partNamed(d, "page 1 (glyph names)"), "NAME", "Maria Sandoval")
	})
	judgeClean(t, out, []string{rot13("Sandoval"), rot13("Maria")}, []string{rot13("Patient:"), rot13("seen today")})
	if alt := partNamed(parse(t, out), "page 1 (glyph names)"); alt < 0 || strings.Contains(parse(t, out).Parts()[alt].Text, "Sandoval") {
		t.Errorf("glyph names reading after redaction: %+v", parse(t, out).Parts())
	}
}

// Class 1, a CID font: the embedded TrueType program's Unicode cmap names
// the glyphs of "MARIA SANDOVAL", the ToUnicode map reads ROT13.
func TestDoorLyingToUnicodeCID(t *testing.T) {
	const name = "MARIA SANDOVAL"
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 700 Td <")
	for _, r := range name {
		if r == ' ' {
			content.WriteString("0000")
			continue
		}
		fmt.Fprintf(&content, "%04X", 1+r-'A') // testProgram: A-Z are glyphs 1-26
	}
	content.WriteString("> Tj ET")
	in := pagesDoc([]string{content.String()}, func(b *builder) string {
		letters := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		cm := strings.Replace(lyingCMap(2, letters, func(r rune) int { return int(1 + r - 'A') }), "endbfchar", "endbfchar\n1 beginbfchar <0000> <0020> endbfchar", 1)
		tu := b.add(stream("", []byte(cm), true))
		prog := b.add(stream("", testProgram(true), true))
		fd := b.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /TestTT /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", prog))
		cf := b.add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestTT /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 600 /CIDToGIDMap /Identity >>", fd))
		f := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /TestTT /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cf, tu))
		return fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", f)
	}, nil)
	d := parse(t, in)
	if got := d.Parts()[0].Text; got != rot13(name) {
		t.Fatalf("page text %q", got)
	}
	alt := partNamed(d, "page 1 (glyph names)")
	if alt < 0 || d.Parts()[alt].Text != name {
		t.Fatalf("parts %+v: want the program's reading", d.Parts())
	}
	out := redactWith(t, in, func(d redactors.Document) []redactors.Edit {
		return editsIn(d, partNamed(d, "page 1 (glyph names)"), "NAME", "SANDOVAL")
	})
	judgeClean(t, out, []string{rot13("SANDOVAL")}, []string{rot13("MARIA")})
}

// Ordinary fonts have no other reading: the letter test document (Type 1
// with Differences, an Identity-H font with a truthful ToUnicode map, a
// Type 3 font) has one part a page, and the objects part; besides the
// reading with its line-end hyphen kept ("Hart-" + "mann", readingHyphen),
// which is the layout's, not a font's.
func TestDoorNoSpuriousReadings(t *testing.T) {
	d := parse(t, letter())
	for _, p := range d.Parts() {
		if p.Name == "page 1"+readingSuffix[readingHyphen] {
			continue
		}
		if !regexp.MustCompile(`^page \d+$`).MatchString(p.Name) && p.Name != objectsPartName {
			t.Errorf("unexpected part %q: %q", p.Name, p.Text)
		}
	}
}

// Class 3, a watermark in a tiling pattern: the cell's text is page text,
// its glyphs are removed from the cell and the box is drawn in the cell,
// so every tile shows it; a pattern no content selects is not written.
func TestDoorTilingPattern(t *testing.T) {
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Intake summary) Tj ET q /Pattern cs /P0 scn 0 0 612 792 re f Q"}, func(b *builder) string {
		cell := b.add(stream("/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 300 200] /XStep 300 /YStep 200 /Matrix [1 0 0 1 20 30] /Resources << /Font << /F1 "+helvFont+" >> >>",
			[]byte("0.9 g BT /F1 14 Tf 10 100 Td (DRAFT for Maria Sandoval) Tj ET"), true))
		unused := b.add(stream("/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 100 100] /XStep 100 /YStep 100 /Resources << /Font << /F1 "+helvFont+" >> >>",
			[]byte("BT /F1 14 Tf 10 50 Td (Unused Okonkwo) Tj ET"), true))
		return fmt.Sprintf("<< /Font << /F1 %s >> /Pattern << /P0 %d 0 R /P1 %d 0 R >> >>", helvFont, cell, unused)
	}, nil)
	d := parse(t, in)
	if got := d.Parts()[0].Text; !strings.Contains(got, "DRAFT for Maria Sandoval") || strings.Contains(got, "Okonkwo") {
		t.Fatalf("page text %q: want the selected pattern's text only", got)
	}
	if j := judgeRead(t, in); !bytes.Contains(j.raw, []byte("Sandoval")) {
		t.Fatal("fixture: no name in the input")
	}
	out := redactWith(t, in, func(d redactors.Document) []redactors.Edit { return editsIn(d, 0, "NAME", "Maria Sandoval") })
	judgeClean(t, out, []string{"Sandoval", "Maria", "Okonkwo"}, []string{"Intake summary"})
	got := parse(t, out).Parts()[0].Text
	if !strings.Contains(got, "DRAFT for") || !strings.Contains(got, "NAME") {
		t.Errorf("output text %q: want the rest of the watermark and the box's label in the cell", got)
	}
}

// Class 3, text in a soft mask's group (a luminosity mask shaped like the
// name): the group's text is page text and is removed; the box is drawn
// on the page.
func TestDoorSoftMask(t *testing.T) {
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Referral letter) Tj ET q /SM0 gs 0 0 1 rg 0 380 612 60 re f Q"}, func(b *builder) string {
		g := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Group << /S /Transparency /CS /DeviceGray >> /Resources << /Font << /F1 "+helvFont+" >> >>",
			[]byte("0 g 0 0 612 792 re f 1 g BT /F1 36 Tf 72 395 Td (Maria Sandoval) Tj ET"), true))
		return fmt.Sprintf("<< /Font << /F1 %s >> /ExtGState << /SM0 << /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G %d 0 R >> >> >> >>", helvFont, g)
	}, nil)
	d := parse(t, in)
	if got := d.Parts()[0].Text; !strings.Contains(got, "Maria Sandoval") {
		t.Fatalf("page text %q: want the soft mask's text", got)
	}
	out := redactWith(t, in, func(d redactors.Document) []redactors.Edit { return editsIn(d, 0, "NAME", "Maria Sandoval") })
	judgeClean(t, out, []string{"Sandoval", "Maria"}, []string{"Referral letter"})
	if got := parse(t, out).Parts()[0].Text; !strings.Contains(got, "NAME") {
		t.Errorf("output text %q: want the box's label on the page", got)
	}
}

// Class 3, Type 3 glyph procedures that show text (or draw a form) are not
// read as glyphs: a page that shows such a font is uninspectable, with the
// reason.
func TestDoorType3ShowsText(t *testing.T) {
	in := pagesDoc([]string{"BT /F3 12 Tf 72 700 Td (a) Tj ET"}, func(b *builder) string {
		proc := b.add(stream("", []byte("500 0 d0 BT /F1 1 Tf (Maria Sandoval) Tj ET"), false))
		return fmt.Sprintf(`<< /Font << /F3 << /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [0.001 0 0 0.001 0 0]
  /CharProcs << /a %d 0 R >> /Encoding << /Differences [97 /a] >> /FirstChar 97 /LastChar 97 /Widths [500]
  /Resources << /Font << /F1 %s >> >> >> >> >>`, proc, helvFont)
	}, nil)
	_, err := New().Parse(in)
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "Type 3 glyph procedure shows text") {
		t.Errorf("error %v, want uninspectable: a Type 3 glyph procedure shows text", err)
	}
}

// Class 3, annotation appearances: an annotation whose appearance stream
// shows a name (a stamp, a free-text note, a widget) is removed with it;
// a link keeps no appearance.
func TestDoorAnnotationAppearance(t *testing.T) {
	b := &builder{}
	b.add("")                                                                                            // 1 catalog
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 " + helvFont + " >> >> >>") // 2
	b.add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [
  << /Type /Annot /Subtype /Stamp /Rect [300 600 500 650] /AP << /N 5 0 R >> >>
  << /Type /Annot /Subtype /FreeText /Rect [300 500 500 550] /DA (/F1 12 Tf) /AP << /N 5 0 R >> >>
  << /Type /Annot /Subtype /Link /Rect [72 690 200 712] /Dest [3 0 R /Fit] /AP << /N 5 0 R >> >> ] >>`) // 3
	b.add(stream("", []byte("BT /F1 12 Tf 72 700 Td (Progress note) Tj ET"), true)) // 4
	b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 200 50] /Resources << /Font << /F1 "+helvFont+" >> >>",
		[]byte("BT /F1 12 Tf 5 20 Td (Approved by Maria Sandoval) Tj ET"), true)) // 5
	b.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
	in := b.bytes("")
	out := redactWith(t, in, func(redactors.Document) []redactors.Edit { return nil })
	judgeClean(t, out, []string{"Sandoval", "Approved by"}, []string{"Progress note"})
}

// Class 2, letter-spaced text: letters with space glyphs between them,
// letters placed by TJ numbers or by Td, and letters spread by character
// spacing. The page text reads them as pdftotext does (white space
// folded; with character spacing Veil joins the letters, which pdftotext
// and mutool spread), and an edit over the spaced span removes every glyph
// of it: the judges read the rest of the line and nothing of the name.
func TestDoorLetterSpaced(t *testing.T) {
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, c := range []struct {
		name, content, span string
		// reading: the other reading of the page that reads the name
		// whole ("" the page text), where the edit is made
		reading string
	}{
		{"space glyphs", "BT /F1 12 Tf 72 700 Td (Patient: M A R I A   S A N D O V A L, seen today) Tj ET", "M A R I A   S A N D O V A L", ""},
		{"TJ numbers", "BT /F1 12 Tf 72 700 Td [(Patient: M)-400(A)-400(R)-400(I)-400(A)-1200(S)-400(A)-400(N)-400(D)-400(O)-400(V)-400(A)-400(L)(, seen today)] TJ ET", "M A R I A S A N D O V A L", ""},
		{"Td per letter", "BT /F1 12 Tf 72 700 Td (Patient:) Tj 50 0 Td (M) Tj 14 0 Td (A) Tj 14 0 Td (R) Tj 14 0 Td (I) Tj 10 0 Td (A) Tj 24 0 Td (S) Tj 14 0 Td (A) Tj 14 0 Td (N) Tj 14 0 Td (D) Tj 14 0 Td (O) Tj 14 0 Td (V) Tj 14 0 Td (A) Tj 14 0 Td (L) Tj 12 0 Td (, seen today) Tj ET", "M A R I A S A N D O V A L", ""},
		// Letter-spaced by the character spacing: the page text reads it
		// spread, as pdftotext does; the letter-spaced reading reads it
		// whole, and an edit there removes every glyph.
		{"character spacing", "BT /F1 12 Tf 72 700 Td (Patient: ) Tj 4 Tc (MARIA SANDOVAL) Tj 0 Tc (, seen today) Tj ET", "MARIA SANDOVAL", readingSuffix[readingSpaced]},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := pagesDoc([]string{c.content}, helvRes, nil)
			d := parse(t, in)
			text := d.Parts()[0].Text
			j := judgeRead(t, in)
			if fold(text) != j.pdftotext {
				t.Errorf("page text %q, pdftotext reads %q", fold(text), j.pdftotext)
			}
			part := 0
			for i, p := range d.Parts() {
				if c.reading != "" && strings.HasSuffix(p.Name, c.reading) {
					part = i
				}
			}
			if got := d.Parts()[part].Text; !strings.Contains(got, c.span) || c.reading != "" && part == 0 {
				t.Fatalf("%s %q lacks %q", d.Parts()[part].Name, got, c.span)
			}
			out := redactWith(t, in, func(d redactors.Document) []redactors.Edit { return editsIn(d, part, "NAME", c.span) })
			j2 := judgeClean(t, out, nil, []string{"Patient:", "seen today"})
			for _, got := range []string{j2.pdftotext, j2.mutool, parse(t, out).Parts()[0].Text} {
				rest := strings.Join(strings.Fields(strings.ReplaceAll(got, "NAME", "")), "")
				if rest != "Patient:,seentoday" {
					t.Errorf("after the edit the line reads %q: a glyph of the name survives", got)
				}
			}
		})
	}
}

// Class 1, strings, names and streams outside the page text: each place
// the output would keep is read into the objects part, so the detectors
// see it, and an edit there quarantines the file (uninspectable, with the
// object) rather than writing it; what sanitizing removes is not read.
func TestDoorObjectsPart(t *testing.T) {
	cases := []struct {
		name    string
		content string
		res     func(b *builder) string
		cat     func(b *builder) string
	}{
		{"content stream comment", "BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET\n% reviewed by Maria Sandoval\n", helvRes, nil},
		// Marked-content properties are dropped by the rewriter, not read here (TestMarkedContentRewritten).
		{"resource name", "BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET /MariaSandoval gs", func(b *builder) string {
			return "<< /Font << /F1 " + helvFont + " >> /ExtGState << /MariaSandoval << /CA 1 >> >> >>"
		}, nil},
		{"calculator function", "BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET /Sh0 sh", func(b *builder) string {
			fn := b.add(stream("/FunctionType 4 /Domain [0 1] /Range [0 1]", []byte("{ % Maria Sandoval\n dup }"), false))
			return fmt.Sprintf("<< /Font << /F1 %s >> /Shading << /Sh0 << /ShadingType 2 /ColorSpace /DeviceGray /Coords [0 0 100 0] /Function %d 0 R >> >> >>", helvFont, fn)
		}, nil},
		{"CMap comment", "BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET", func(b *builder) string {
			tu := b.add(stream("", []byte("% Maria Sandoval\n/CIDInit /ProcSet findresource begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange endcmap"), true))
			return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode %d 0 R >> >> >>", tu)
		}, nil},
		{"form no content draws", "BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET /Fm Do", func(b *builder) string {
			hidden := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 100 100]", []byte("BT /F1 12 Tf 0 0 Td (Maria Sandoval) Tj ET"), true))
			fm := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Hidden %d 0 R >> >>", hidden), []byte("0 0 1 1 re f"), true))
			return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Fm %d 0 R >> >>", helvFont, fm)
		}, nil},
		{"output intent", "BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET", helvRes, func(b *builder) string {
			return "/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (Maria Sandoval) >>]"
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := pagesDoc([]string{c.content}, c.res, c.cat)
			d := parse(t, in)
			k := partNamed(d, objectsPartName)
			if k < 0 || !strings.Contains(d.Parts()[k].Text, "Sandoval") {
				t.Fatalf("parts %+v: the objects part lacks the value", d.Parts())
			}
			if strings.Contains(d.Parts()[0].Text, "Sandoval") {
				t.Errorf("the value is in the page text %q", d.Parts()[0].Text)
			}
			err := d.Redact(&bytes.Buffer{}, editsIn(d, k, "NAME", "Sandoval"))
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "object ") || strings.Contains(err.Error(), "Sandoval") {
				t.Errorf("Redact error %v, want uninspectable naming the object and not the value", err)
			}
		})
	}
	// Sanitized places are not read: the sanitizer removes them.
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET"}, helvRes, func(b *builder) string {
		b.add("<< /Author (Maria Sandoval) >>")
		meta := b.add(stream("/Type /Metadata /Subtype /XML", []byte("<x:xmpmeta>Maria Sandoval</x:xmpmeta>"), false))
		return fmt.Sprintf("/Metadata %d 0 R /AcroForm << /Fields [<< /T (Maria Sandoval) >>] >> /Outlines << /Title (Maria Sandoval) >>", meta)
	})
	if k := partNamed(parse(t, in), objectsPartName); k >= 0 && strings.Contains(parse(t, in).Parts()[k].Text, "Sandoval") {
		t.Errorf("the objects part reads what sanitizing removes: %q", parse(t, in).Parts()[k].Text)
	}
}

// A subset font that numbers its glyphs 1, 2, 3… gives some of them codes
// that happen to be ASCII letters: words mixing them with other codes are
// no byte reading (no search of the raw string finds such a word), so the
// page has no other part. A font that hides one word of a long page gives
// a reading of that word and its neighbours only, the rest left blank, so
// that what the page text shows is not found twice.
func TestDoorReadingWords(t *testing.T) {
	// Subset codes: characters numbered in order of appearance from 0x0C
	// on, so that the later ones get codes in the ASCII range (0x30 on:
	// digits and letters) within words that also hold earlier ones.
	line := "Northwind Legal Services, 1200 Harbor Boulevard, Suite 400 - Quincy, MA 02169 - Fax (617) 555-0147 - jkzxq@example.com"
	codeOf := map[rune]int{}
	var runes []rune
	var hex strings.Builder
	for _, r := range line {
		if r == ' ' {
			hex.WriteString("20")
			continue
		}
		if _, ok := codeOf[r]; !ok {
			c := 0x0C + len(runes)
			if c >= 0x20 {
				c++ // 0x20 is the space
			}
			codeOf[r] = c
			runes = append(runes, r)
		}
		fmt.Fprintf(&hex, "%02X", codeOf[r])
	}
	var cm strings.Builder
	cm.WriteString("begincmap 1 begincodespacerange <00> <FF> endcodespacerange\n")
	fmt.Fprintf(&cm, "%d beginbfchar\n<20> <0020>\n", len(runes)+1)
	for _, r := range runes {
		fmt.Fprintf(&cm, "<%02X> <%04X>\n", codeOf[r], r)
	}
	cm.WriteString("endbfchar endcmap")
	subset := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td <" + hex.String() + "> Tj ET"}, func(b *builder) string {
		tu := b.add(stream("", []byte(cm.String()), true))
		return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /TrueType /BaseFont /Sub /FirstChar 32 /LastChar 255 /Widths [%s] /ToUnicode %d 0 R >> >> >>",
			strings.TrimSpace(strings.Repeat("500 ", 224)), tu)
	}, nil)
	if codeOf[runes[len(runes)-1]] < 0x30 {
		t.Fatal("fixture: no code in the ASCII letter and digit range")
	}
	d := parse(t, subset)
	if got := d.Parts()[0].Text; got != line {
		t.Fatalf("page text %q", got)
	}
	if k := partNamed(d, "page 1 (codes read as bytes)"); k >= 0 {
		t.Errorf("a subset font's mixed codes gave a byte reading: %q", d.Parts()[k].Text)
	}

	// One hidden word at the end of a long line, in a lying font.
	far := "Intake for the clinic on Monday with Ellison present and then"
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (" + far + " a note for ) Tj /F2 12 Tf (Sandoval) Tj ET"}, func(b *builder) string {
		tu := b.add(stream("", []byte(lyingCMap(1, "Sandoval", func(r rune) int { return int(r) })), true))
		return fmt.Sprintf("<< /Font << /F1 %s /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode %d 0 R >> >> >>", helvFont, tu)
	}, nil)
	d = parse(t, in)
	k := partNamed(d, "page 1 (codes read as bytes)")
	if k < 0 {
		t.Fatalf("parts %+v: no byte reading", d.Parts())
	}
	alt := d.Parts()[k].Text
	if !strings.Contains(alt, "a note for Sandoval") || strings.Contains(alt, "Ellison") || strings.Contains(alt, "Intake") {
		t.Errorf("byte reading %q: want the hidden word and its neighbours only", alt)
	}
}

// The same value found in two readings of the same glyphs gets one box.
func TestDoorOneBoxForTwoReadings(t *testing.T) {
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (" + doorsLine + ") Tj ET"}, func(b *builder) string {
		tu := b.add(stream("", []byte(lyingCMap(1, doorsLine, func(r rune) int { return int(r) })), true))
		return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode %d 0 R >> >> >>", tu)
	}, nil)
	d := parse(t, in)
	alt := partNamed(d, "page 1 (codes read as bytes)")
	var pe []pageEdit
	for _, e := range editsIn(d, 0, "NAME", rot13("Sandoval")) {
		pe = append(pe, pageEdit{e, -1})
	}
	for _, e := range editsIn(d, alt, "NAME", "Maria Sandoval") {
		pe = append(pe, pageEdit{e, 0})
	}
	if _, boxes := planEdits(d.models[0], pe); len(boxes) != 2 {
		t.Errorf("%d boxes, want 2: the surname's, and the given name's that only the bytes reading covers", len(boxes))
	}
	pe = pe[:1]
	for _, e := range editsIn(d, alt, "NAME", "Sandoval") {
		pe = append(pe, pageEdit{e, 0})
	}
	if _, boxes := planEdits(d.models[0], pe); len(boxes) != 1 {
		t.Errorf("%d boxes for one value found in two readings, want 1", len(boxes))
	}
}
