package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
	"github.com/veilhq/veil/redactors/poppler"
)

// rasterParse parses in under ImagesOCR and returns the document and the
// index of its part read as an image of page 1.
func rasterParse(t *testing.T, in []byte) (*Document, int) {
	t.Helper()
	doc, err := New(Options{Images: ImagesOCR}).Parse(in)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	d := doc.(*Document)
	for i, p := range d.Parts() {
		if p.Name == "page 1 (read as an image)" {
			if p.Page != 1 {
				t.Fatalf("the image part is on page %d", p.Page)
			}
			return d, i
		}
	}
	t.Fatalf("no part read as an image:\n%s", partsText(d))
	return nil, 0
}

// fuzzyEdits returns edits over every run of words of part pi that reads
// as one of values (as verification matches), in the part's bytes.
func fuzzyEdits(d *Document, pi int, values ...string) []redactors.Edit {
	text := d.Parts()[pi].Text
	var starts, ends []int
	var words []string
	for i := 0; i < len(text); {
		for i < len(text) && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t') {
			i++
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' {
			j++
		}
		if j > i {
			starts, ends, words = append(starts, i), append(ends, j), append(words, text[i:j])
		}
		i = j
	}
	var edits []redactors.Edit
	for _, m := range ocr.NewWordFuzzy(values, 0).Find(words) {
		edits = append(edits, redactors.Edit{Part: pi, Start: starts[m.First], End: ends[m.Last], Replacement: "[REDACTED]"})
	}
	return edits
}

// checkRasterOutput judges out, page 1 written as an image: none of gone
// in pdftotext's reading, in qpdf's uncompressed objects, in tesseract's
// reading of the page rendered by pdftoppm, nor found by PixelLeaks; one
// page, no text layer, no font left; the notes say why (whyFonts or
// whyEdges).
func checkRasterOutput(t *testing.T, d *Document, out []byte, pages int, why string, gone ...string) {
	t.Helper()
	j := judgeRead(t, out)
	for _, g := range gone {
		if strings.Contains(strings.ToLower(j.pdftotext), strings.ToLower(g)) || bytes.Contains(bytes.ToLower(j.raw), []byte(strings.ToLower(g))) {
			t.Errorf("%q survives in the text or the objects", g)
		}
	}
	if bytes.Contains(j.raw, []byte("/Font")) && pages == 1 {
		t.Error("a font survives on a page written as an image")
	}
	if n := pdfinfoPages(t, out); n != pages {
		t.Errorf("the output has %d pages, want %d", n, pages)
	}
	words := pageWordsAt(t, out, 1)
	for _, m := range ocr.NewFuzzy(gone, 0.25).Find(words) {
		t.Errorf("%q read again on the rendered output (distance %.2f): %q", gone[m.Value], m.Dist, words)
	}
	if where, err := d.PixelLeaks(context.Background(), out, gone); err != nil || len(where) > 0 {
		t.Errorf("PixelLeaks on the output: %v %v", where, err)
	}
	notes := strings.Join(d.Notes(), "\n")
	if !strings.Contains(notes, "page 1 written as an image: "+why) {
		t.Errorf("notes:\n%s", notes)
	}
	for _, g := range gone {
		if strings.Contains(notes, g) {
			t.Errorf("a note holds %q", g)
		}
	}
}

// A page whose fonts cannot be read as text (glyphocr_test's fixtures:
// Go Regular as Type 3 outlines and bitmaps with generated names, and as
// a CID TrueType subset without cmap and post) is read as an image under
// ImagesOCR: OCR of the rendered page reads the name, the edits blank it
// in the pixels, the page is written as one image, and no reader finds
// the name in the output.
func TestRasterPage(t *testing.T) {
	requireOCR(t)
	for _, c := range []struct {
		name string
		doc  func(*testing.T) []byte
	}{
		{"Type 3 outlines", func(t *testing.T) []byte { return type3Doc(t, false) }},
		{"Type 3 bitmaps", func(t *testing.T) []byte { return type3Doc(t, true) }},
		{"CID TrueType without cmap and post", cidDoc},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.doc(t)
			d, pi := rasterParse(t, in)
			edits := fuzzyEdits(d, pi, "Everard")
			if len(edits) != 1 {
				t.Fatalf("%d edits for the name in %q", len(edits), d.Parts()[pi].Text)
			}
			var out bytes.Buffer
			if err := d.Redact(&out, edits); err != nil {
				t.Fatal(err)
			}
			checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Everard")
			// Left on the page, the name is found by every judge that
			// the test trusts: the checks above can fail.
			d2, _ := rasterParse(t, in)
			var kept bytes.Buffer
			if err := d2.Redact(&kept, nil); err != nil {
				t.Fatal(err)
			}
			if where, err := d2.PixelLeaks(context.Background(), kept.Bytes(), []string{"Everard"}); err != nil || len(where) == 0 {
				t.Errorf("PixelLeaks on an output that shows the name: %v %v", where, err)
			}
			if words := pageWordsAt(t, kept.Bytes(), 1); len(ocr.NewFuzzy([]string{"Everard"}, 0.25).Find(words)) == 0 {
				t.Errorf("the name is not read on an output that shows it: %q", words)
			}
		})
	}
}

// A page mixing a readable font (Helvetica, a surname found there) and an
// unreadable one: the readable text is the page's part, and a value found
// there is located on the image by OCR and blanked; a value drawn that
// OCR cannot locate on the image (drawn too small) refuses the file
// (text not drawn at all leaves with the text layer: undrawn_test.go).
func TestRasterMixed(t *testing.T) {
	requireOCR(t)
	in, err := pdftest.Type3Page(glyphName, " BT /F2 20 Tf 72 600 Td (Witness: Orsolya Quillanby) Tj ET")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := rasterParse(t, in)
	if !strings.Contains(d.Parts()[0].Text, "Quillanby") {
		t.Fatalf("the readable font's text is not page 1's part: %q", d.Parts()[0].Text)
	}
	edits := fuzzyEdits(d, 0, "Quillanby")
	if len(edits) != 1 {
		t.Fatalf("%d edits", len(edits))
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Quillanby")
	if words := pageWordsAt(t, out.Bytes(), 1); len(ocr.NewFuzzy([]string{"Witness", "Everard"}, 0.25).Find(words)) < 2 {
		t.Errorf("the page's other words are lost: %q", words)
	}

	// A value inside a longer word (an identifier in code) is located
	// by the word OCR reads, which is blanked whole.
	code, err := pdftest.Type3Page(glyphName, " BT /F2 20 Tf 72 600 Td (load := openQuillanbyFiles\\(dir\\)) Tj ET")
	if err != nil {
		t.Fatal(err)
	}
	d, _ = rasterParse(t, code)
	at := strings.Index(d.Parts()[0].Text, "Quillanby")
	if at < 0 {
		t.Fatalf("page 1's part: %q", d.Parts()[0].Text)
	}
	out.Reset()
	if err := d.Redact(&out, []redactors.Edit{{Part: 0, Start: at, End: at + len("Quillanby")}}); err != nil {
		t.Fatal(err)
	}
	if words := pageWordsAt(t, out.Bytes(), 1); strings.Contains(strings.Join(words, " "), "Quillanby") {
		t.Errorf("the value inside a word is read on the output: %q", words)
	}

	hidden, err := pdftest.Type3Page(glyphName, " BT /F2 2 Tf 72 600 Td (Zebulon Marchetti) Tj ET")
	if err != nil {
		t.Fatal(err)
	}
	d, _ = rasterParse(t, hidden)
	edits = fuzzyEdits(d, 0, "Marchetti")
	if len(edits) != 1 {
		t.Fatalf("%d edits on %q", len(edits), d.Parts()[0].Text)
	}
	err = d.Redact(&bytes.Buffer{}, edits)
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "not located on the page read as an image") {
		t.Fatalf("a value OCR cannot locate: %v, want uninspectable", err)
	}

	// Every place counts: the surname shown once and drawn too small
	// once more is located where the first is drawn, not where the
	// second is.
	twice, err := pdftest.Type3Page(glyphName, " BT /F2 20 Tf 72 600 Td (Witness: Orsolya Quillanby) Tj ET BT /F2 2 Tf 72 500 Td (Zebulon Quillanby) Tj ET")
	if err != nil {
		t.Fatal(err)
	}
	d, _ = rasterParse(t, twice)
	if edits = fuzzyEdits(d, 0, "Quillanby"); len(edits) != 2 {
		t.Fatalf("%d edits on %q", len(edits), d.Parts()[0].Text)
	}
	if err := d.Redact(&bytes.Buffer{}, edits); !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "not located on the page read as an image by OCR: its glyphs are drawn too small") {
		t.Fatalf("a value located once of twice: %v, want uninspectable", err)
	}
}

// A page OCR cannot read as text (glyphs that are checkered blocks) stays
// uninspectable, with the fonts' reason and the image reading's; so does
// every page of the kind without images: ocr, and without pdftoppm.
func TestRasterUnread(t *testing.T) {
	requireOCR(t)
	proc := "600 0 0 0 480 480 d1 480 0 0 480 0 0 cm BI /W 8 /H 8 /IM true /BPC 1 ID \xaa\x55\xaa\x55\xaa\x55\xaa\x55 EI"
	in := pagesDoc([]string{"BT /F1 24 Tf 72 700 Td <0101010101> Tj ET"}, func(b *builder) string {
		g := b.add(stream("", []byte(proc), false))
		return fmt.Sprintf(`<< /Font << /F1 << /Type /Font /Subtype /Type3 /FontBBox [0 -100 600 700] /FontMatrix [0.001 0 0 0.001 0 0]
  /CharProcs << /G1 %d 0 R >> /Encoding << /Type /Encoding /Differences [1 /G1] >>
  /FirstChar 1 /LastChar 1 /Widths [600] >> >> >>`, g)
	}, nil)
	_, err := New(Options{Images: ImagesOCR}).Parse(in)
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "read as an image, OCR does not read the rendered page as text") {
		t.Fatalf("error %v, want uninspectable: OCR does not read the page", err)
	}
	name := type3Doc(t, false)
	for _, o := range []Options{{Images: ImagesDrop}, {Images: ImagesQuarantine}, {Images: ImagesOCR, Poppler: poppler.New("veil-no-such-pdftoppm", "")}} {
		if _, err := New(o).Parse(name); !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "a Type 3 font's code has no ToUnicode entry") {
			t.Errorf("images %v: %v, want uninspectable", o.Images, err)
		}
	}
}

// A production number stamped on a page written as an image is drawn
// over the image, as on any page: pdftotext reads it, and the page count
// stays.
func TestRasterStamp(t *testing.T) {
	requireOCR(t)
	d, _ := rasterParse(t, type3Doc(t, false))
	if err := d.SetStamps([]string{"CASE-000117"}, "bottom-right"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	if j := judgeRead(t, out.Bytes()); !strings.Contains(j.pdftotext, "CASE-000117") || strings.Contains(j.pdftotext, "Everard") {
		t.Errorf("pdftotext reads %q, want the stamp alone", j.pdftotext)
	}
	if n := pdfinfoPages(t, out.Bytes()); n != 1 {
		t.Errorf("%d pages", n)
	}
}

// wordEdits returns edits over every whole-word occurrence of value in
// part pi (as a deny list matches).
func wordEdits(d *Document, pi int, value string) []redactors.Edit {
	text := d.Parts()[pi].Text
	letter := func(i int) bool {
		return i >= 0 && i < len(text) && (text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z')
	}
	var edits []redactors.Edit
	for at := 0; ; {
		k := strings.Index(text[at:], value)
		if k < 0 {
			return edits
		}
		s, e := at+k, at+k+len(value)
		if !letter(s-1) && !letter(e) {
			edits = append(edits, redactors.Edit{Part: pi, Start: s, End: e, Replacement: "[REDACTED]"})
		}
		at = e
	}
}

// A value found in the readable text of a page written as an image is
// blanked where its glyphs are, not merely counted: a longer word that
// holds it elsewhere on the page ("Everardsville") does not stand for
// it. The value drawn small or light grey, which OCR of the rendering
// may not read, must not be left legible on the output (or the file is
// refused); judged by pdftoppm and tesseract at 300 dpi on the output.
func TestRasterGlyphBoxes(t *testing.T) {
	requireOCR(t)
	for _, c := range []struct{ name, show string }{
		{"light grey 8 pt", "BT 0.87 g /F2 8 Tf 300 500 Td (Everard) Tj ET"},
		{"black 3 pt", "BT /F2 3 Tf 300 500 Td (Everard) Tj ET"},
		{"black 9 pt", "BT /F2 9 Tf 300 500 Td (Everard) Tj ET"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := pdftest.Type3Page("Statement of Orsolya Quillanby", " "+c.show+" BT 0 g /F2 14 Tf 72 640 Td (Meeting at Everardsville hall.) Tj ET")
			if err != nil {
				t.Fatal(err)
			}
			d, oi := rasterParse(t, in)
			var edits []redactors.Edit
			for pi, p := range d.Parts() {
				if pi == oi {
					edits = append(edits, fuzzyEdits(d, pi, "Everard")...)
				} else if p.Page == 1 {
					edits = append(edits, wordEdits(d, pi, "Everard")...)
				}
			}
			if n := len(wordEdits(d, 0, "Everard")); n != 1 {
				t.Fatalf("%d places of the name in the readable text %q", n, d.Parts()[0].Text)
			}
			var out bytes.Buffer
			if err := d.Redact(&out, edits); err != nil {
				if !errors.Is(err, redactors.ErrUninspectable) {
					t.Fatalf("redact: %v", err)
				}
				t.Logf("refused (fails closed): %v", err)
				return
			}
			checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Everard")
			if words := inkWordsAt(t, out.Bytes(), 1, 280, 480, 420, 530); len(ocr.NewFuzzy([]string{"Everard"}, 0.25).Find(words)) > 0 {
				t.Errorf("the name is read on the output's ink: %q", words)
			}
			if words := pageWordsAt(t, out.Bytes(), 1); len(ocr.NewFuzzy([]string{"Meeting", "hall."}, 0.25).Find(words)) < 2 {
				t.Errorf("the page's other words are lost: %q", words)
			}
		})
	}
	// The judge can fail: left on the page, the grey name is read.
	in, err := pdftest.Type3Page("Statement of Orsolya Quillanby", " BT 0.87 g /F2 8 Tf 300 500 Td (Everard) Tj ET")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := rasterParse(t, in)
	var kept bytes.Buffer
	if err := d.Redact(&kept, nil); err != nil {
		t.Fatal(err)
	}
	if words := inkWordsAt(t, kept.Bytes(), 1, 280, 480, 420, 530); len(ocr.NewFuzzy([]string{"Everard"}, 0.25).Find(words)) == 0 {
		t.Errorf("the grey name is not read on an output that shows it: %q", words)
	}
}

// inkWordsAt returns the words tesseract reads, as one line, in the
// region x0,y0-x1,y1 (points from the page's bottom-left corner) of page
// n of data rendered by pdftoppm at 300 dpi, the region's contrast
// raised fourfold: light or small text a viewer still reads there is read.
func inkWordsAt(t *testing.T, data []byte, n int, x0, y0, x1, y1 float64) []string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	pg := fmt.Sprint(n)
	if msg, err := exec.Command(judgeTool(t, "pdftoppm"), "-r", "300", "-gray", "-png", "-f", pg, "-l", pg, "-singlefile", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	b, err := os.ReadFile(filepath.Join(dir, "p.png"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := greyOf(b)
	if err != nil {
		t.Fatal(err)
	}
	s := 300.0 / 72
	h := float64(g.Rect.Dy())
	r := image.Rect(int(x0*s), int(h-y1*s), int(x1*s), int(h-y0*s)).Intersect(g.Rect)
	c := image.NewGray(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c.Pix[c.PixOffset(x, y)] = uint8(max(0, 255-4*(255-int(g.Pix[g.PixOffset(x, y)]))))
		}
	}
	var enc bytes.Buffer
	if err := png.Encode(&enc, c); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ink.png"), enc.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, judgeTool(t, "tesseract"), filepath.Join(dir, "ink.png"), "stdout", "--psm", "7", "-l", "eng")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	return strings.Fields(string(out))
}

// A file parsed twice (a run's two passes) reads its pages written as
// images once: the second parse takes the OCR of the same rendering from
// rasterMemo, and its parts and its redacted output are the first's;
// other bytes are read anew.
// Verification still reads the output by a rendering of its own
// (PixelLeaks finds the name left on an output that shows it).
func TestRasterParseTwice(t *testing.T) {
	requireOCR(t)
	in := type3Doc(t, false)
	d1, pi := rasterParse(t, in)
	hits := rasterMemo.Hits()
	d2, pi2 := rasterParse(t, in)
	if rasterMemo.Hits() <= hits {
		t.Fatalf("the second parse read the page by OCR again (memo hits %d, before %d)", rasterMemo.Hits(), hits)
	}
	if pi != pi2 || len(d1.Parts()) != len(d2.Parts()) {
		t.Fatalf("parts differ: %d/%d and %d/%d", pi, len(d1.Parts()), pi2, len(d2.Parts()))
	}
	for i := range d1.Parts() {
		if d1.Parts()[i].Text != d2.Parts()[i].Text || d1.Parts()[i].Name != d2.Parts()[i].Name {
			t.Fatalf("part %d differs between the parses", i)
		}
	}
	var o1, o2 bytes.Buffer
	if err := d1.Redact(&o1, fuzzyEdits(d1, pi, "Everard")); err != nil {
		t.Fatal(err)
	}
	if err := d2.Redact(&o2, fuzzyEdits(d2, pi2, "Everard")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(o1.Bytes(), o2.Bytes()) {
		t.Fatal("the outputs of the two parses differ")
	}
	checkRasterOutput(t, d2, o2.Bytes(), 1, whyFonts, "Everard")
	// Other bytes that render to the same page (a line end after the
	// file) are another file: read anew, as an output always is.
	hits = rasterMemo.Hits()
	rasterParse(t, append(append([]byte(nil), in...), '\n'))
	if rasterMemo.Hits() != hits {
		t.Fatal("another file's page was answered from the memory of this one")
	}
	d3, _ := rasterParse(t, in)
	var kept bytes.Buffer
	if err := d3.Redact(&kept, nil); err != nil {
		t.Fatal(err)
	}
	if where, err := d3.PixelLeaks(context.Background(), kept.Bytes(), []string{"Everard"}); err != nil || len(where) == 0 {
		t.Errorf("PixelLeaks on an output that shows the name: %v %v", where, err)
	}
}
