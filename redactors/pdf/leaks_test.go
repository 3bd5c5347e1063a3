package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// wordFinder returns a find function for Leaks that matches any of words
// as whole words, case-insensitively (what the engine's phrase matcher
// does for one-word values).
func wordFinder(words ...string) func(string) bool {
	re := regexp.MustCompile(`(?i)(?:^|[^\pL\pN])(?:` + strings.Join(words, "|") + `)(?:[^\pL\pN]|$)`)
	return re.MatchString
}

func helvRes(b *builder) string { return "<< /Font << /F1 " + helvFont + " >> >>" }

// Words spaced with TJ numbers of 0.15 em are words; letter spacing (Tc)
// does not split a word; kerning does not either.
func TestWordGap(t *testing.T) {
	in := pagesDoc([]string{`BT /F1 10 Tf 72 700 Td [(Program)-150(Design)] TJ ET
BT /F1 10 Tf 2 Tc 72 680 Td (LETTERS) Tj ET
BT /F1 10 Tf 0 Tc 72 660 Td [(Kern)60(ing)-40(s)] TJ ET`}, helvRes, nil)
	d := parse(t, in)
	// Letter spacing of 0.2 em reads spread, as pdftotext reads it; the
	// letter-spaced reading joins it (TestCharacterSpacingAsPdftotextReads).
	if got, want := d.Parts()[0].Text, "Program Design\nL E T T E R S\nKernings"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	if len(d.Parts()) < 2 || !strings.Contains(d.Parts()[1].Text, "LETTERS") {
		t.Errorf("%d parts, want a letter-spaced reading with LETTERS", len(d.Parts()))
	}
}

// The leak check reads shown strings as the page text does: a TJ kerning
// number inside "references" or a ligature code inside "Dockerfile" does
// not make "reference" or "Docker" a word, and structure tags (/Figure) are
// PDF vocabulary.
func TestLeaksReadsShownTextAsText(t *testing.T) {
	lig := `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica
  /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [30 /fi] >> >>`
	in := pagesDoc([]string{`/Figure <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td [(reference)4.9(s and the Docker\036le)] TJ ET EMC`},
		func(b *builder) string { return "<< /Font << /F1 " + lig + " >> >>" }, nil)
	d := parse(t, in)
	if got := d.Parts()[0].Text; got != "references and the Dockerﬁle" {
		t.Fatalf("text %q", got)
	}
	where, err := d.Leaks(in, wordFinder("reference", "docker", "figure"))
	if err != nil || len(where) > 0 {
		t.Errorf("Leaks = %v, %v; want none", where, err)
	}
}

// What the page text does not account for is still found: comments and
// other strings of a content stream, text in streams the interpreter does
// not run (a tiling pattern no content selects), names that are not PDF vocabulary, and codes
// whose bytes spell a value that the font's ToUnicode map hides.
func TestLeaksFindsWhatTextDoesNot(t *testing.T) {
	// a font whose ToUnicode maps every code to "x": the page text reads
	// nonsense, the codes read as bytes spell the value
	lyingToUnicode := func(b *builder) string {
		var cm strings.Builder
		cm.WriteString("begincmap 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <00> <FF> <0078> endbfrange endcmap")
		tu := b.add(stream("", []byte(cm.String()), true))
		return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >> >> >>", tu)
	}
	cases := []struct {
		name    string
		content string
		res     func(b *builder) string
		where   string
	}{
		{"comment", "BT /F1 12 Tf 72 700 Td (Visible) Tj ET\n% Ellison\n", helvRes, "object"},
		{"marked content string", "/Span << /Lang (Ellison) >> BDC BT /F1 12 Tf 72 700 Td (Visible) Tj ET EMC", helvRes, "object"},
		{"resource name", "BT /F1 12 Tf 72 700 Td (Visible) Tj ET /Ellison gs", helvRes, "object"},
		{"tiling pattern never painted", "BT /F1 12 Tf 72 700 Td (Visible) Tj ET", func(b *builder) string {
			p := b.add(stream("/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 100 100] /XStep 100 /YStep 100 /Resources << /Font << /F1 "+helvFont+" >> >>",
				[]byte("BT /F1 12 Tf 0 50 Td (Ellison) Tj ET"), true))
			return fmt.Sprintf("<< /Font << /F1 %s >> /Pattern << /P0 %d 0 R >> >>", helvFont, p)
		}, "object"},
		{"lying ToUnicode", "BT /F1 12 Tf 72 700 Td (Ellison) Tj ET", lyingToUnicode, "page 1"},
		// letter-spaced as well: the page text spaces the letters as
		// pdftotext does, and the bytes reading must join them again
		{"lying ToUnicode, letter-spaced", "BT /F1 12 Tf 2 Tc 72 700 Td (Ellison) Tj ET", lyingToUnicode, "page 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := pagesDoc([]string{c.content}, c.res, nil)
			d := parse(t, in)
			if strings.Contains(d.Parts()[0].Text, "Ellison") {
				t.Fatalf("the page text shows the value: %q", d.Parts()[0].Text)
			}
			if c.where == "page 1" { // a reading of the page's text: detection sees it too
				found := false
				for _, p := range d.Parts() {
					found = found || wordFinder("ellison")(p.Text)
				}
				if !found {
					t.Errorf("no part reads the value as a word: %v", d.Parts())
				}
			}
			where, err := d.Leaks(in, wordFinder("ellison"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(strings.Join(where, ","), c.where) {
				t.Errorf("Leaks = %v, want %s…", where, c.where)
			}
		})
	}
}

// A ToUnicode CMap's keywords (/Registry, /Ordering, /CMapName, the
// PostScript around them) are vocabulary and its hex strings are codes:
// the leak check does not find "Ordering" or "Adobe" there, yet it still
// finds a comment or a literal string in the CMap (issue 19: every veraPDF
// file with a term spelled like a CMap keyword was quarantined).
func TestLeaksReadsCMapsWithoutVocabulary(t *testing.T) {
	const cm = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <20> <7E> <0020> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end
`
	for _, c := range []struct {
		name  string
		extra string
		leak  bool
	}{
		{"keywords only", "", false},
		{"comment", "% Ellison\n", true},
		{"literal string", "/Ellison (Ellison) def\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Visible words) Tj ET"}, func(b *builder) string {
				tu := b.add(stream("", []byte(cm+c.extra), true))
				return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >> >> >>", tu)
			}, nil)
			d := parse(t, in)
			where, err := d.Leaks(in, wordFinder("ordering", "registry", "adobe", "ucs", "supplement", "ellison"))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(where) > 0; got != c.leak {
				t.Errorf("Leaks = %v, want a leak: %v", where, c.leak)
			}
		})
	}
}

// Glyph names of a font's /CharSet and /Differences ("paragraph",
// "Ordmasculine") are its repertoire, not document words; a name that is
// no standard glyph name is still searched.
func TestLeaksGlyphNames(t *testing.T) {
	for _, c := range []struct {
		charset string
		leak    bool
	}{
		{"/space/A/paragraph/a.sc/uni00E9", false},
		{"/space/A/paragraph/Ellison", true},
		{"/space/E_l_l_i_s_o_n", true},
	} {
		in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Visible words) Tj ET"}, func(b *builder) string {
			return "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /paragraph] >> /FontDescriptor << /Type /FontDescriptor /FontName /Helvetica /Flags 32 /CharSet (" + c.charset + ") >> >> >> >>"
		}, nil)
		where, err := parse(t, in).Leaks(in, wordFinder("paragraph", "ellison", "e_l_l_i_s_o_n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(where) > 0; got != c.leak {
			t.Errorf("CharSet %q: Leaks = %v, want a leak: %v", c.charset, where, c.leak)
		}
	}
}

// Named destinations are words of the document: links get the explicit
// destination, the names are not written.
func TestNamedDestinations(t *testing.T) {
	b := &builder{}
	b.add("")                                                                                            // 1 catalog
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 " + helvFont + " >> >> >>") // 2
	b.add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [
  << /Type /Annot /Subtype /Link /Rect [72 690 200 712] /Dest (section.Ellison) >>
  << /Type /Annot /Subtype /Link /Rect [72 660 200 682] /A << /S /GoTo /D /EllisonOld >> >>
  << /Type /Annot /Subtype /Link /Rect [72 630 200 652] /Dest (nowhere.Ellison) >> ] >>`) // 3
	b.add(stream("", []byte("BT /F1 12 Tf 72 700 Td (See the section) Tj ET"), true)) // 4
	b.add("<< /Names [(section.Ellison) 6 0 R] >>")                                   // 5
	b.add("<< /D [3 0 R /XYZ 0 792 0] >>")                                            // 6
	b.set(1, "<< /Type /Catalog /Pages 2 0 R /Names << /Dests << /Kids [5 0 R] >> >> /Dests << /EllisonOld [3 0 R /Fit] >> >>")
	in := b.bytes("")
	out, _ := redact(t, in, func(redactors.Document) []redactors.Edit { return nil })
	d2 := parse(t, out)
	where, err := d2.Leaks(out, wordFinder("ellison", "section"))
	if err != nil || len(where) > 0 {
		t.Errorf("Leaks = %v, %v; want none", where, err)
	}
	qdf := qdfText(t, out)
	if n := strings.Count(qdf, "/Subtype /Link"); n != 2 {
		t.Errorf("%d links written, want the 2 that lead somewhere", n)
	}
	if !strings.Contains(qdf, "/XYZ") || !strings.Contains(qdf, "/Fit") {
		t.Errorf("explicit destinations missing:\n%s", qdf)
	}
	judge(t, in, out, []string{"Ellison"}, []string{"See the section"})
}

// Property lists other than optional content are emptied; layers stay.
func TestPropertyLists(t *testing.T) {
	in := pagesDoc([]string{"/OC /L0 BDC BT /F1 12 Tf 72 700 Td (Layered) Tj ET EMC /Span /MC0 BDC BT /F1 12 Tf 72 680 Td (Marked) Tj ET EMC"},
		func(b *builder) string {
			ocg := b.add("<< /Type /OCG /Name (Ellison layer) >>")
			return fmt.Sprintf("<< /Font << /F1 %s >> /Properties << /L0 %d 0 R /MC0 << /Title (Ellison drawing) /Author (Ellison) >> >> >>", helvFont, ocg)
		}, func(b *builder) string {
			return "/OCProperties << /OCGs [3 0 R] /D << /Order [3 0 R] >> >>"
		})
	out, _ := redact(t, in, func(redactors.Document) []redactors.Edit { return nil })
	qdf := qdfText(t, out)
	if !strings.Contains(qdf, "/Type /OCG") || !strings.Contains(qdf, "/L0 ") {
		t.Errorf("the optional content group is gone:\n%s", qdf)
	}
	judge(t, in, out, []string{"Ellison"}, []string{"Layered", "Marked"})
}

// qdfText returns qpdf's uncompressed rendering of a PDF.
func qdfText(t *testing.T, data []byte) string {
	t.Helper()
	qpdf := tool(t, "qpdf")
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "q.pdf")
	os.WriteFile(src, data, 0o644)
	if b, err := exec.Command(qpdf, "--qdf", "--object-streams=disable", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --qdf: %v\n%s", err, b)
	}
	b, _ := os.ReadFile(dst)
	return string(bytes.ToValidUTF8(b, []byte("?")))
}

// A footnote mark raised after a word is a word of its own: "Ellison" with
// a superscript "1" reads "Ellison 1", so a deny-list term matches it, as
// pdftotext reads it (a veraPDF file leaked the term this way).
func TestSuperscriptIsAWordBreak(t *testing.T) {
	in := pagesDoc([]string{`BT /F1 11 Tf 72 700 Td (Ellison) Tj ET BT /F1 7 Tf 104.45 704 Td (1) Tj ET BT /F1 11 Tf 110 700 Td (wrote) Tj ET`}, helvRes, nil)
	if got := parse(t, in).Parts()[0].Text; !strings.HasPrefix(got, "Ellison 1") {
		t.Errorf("text %q, want the superscript apart", got)
	}
}
