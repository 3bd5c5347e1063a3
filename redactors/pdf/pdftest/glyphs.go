package pdftest

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// GoGlyph returns the Type 3 glyph procedure (1000 units an em, y up) of
// r in Go Regular (golang.org/x/image, BSD licence), its outline as a
// filled path, and its advance.
func GoGlyph(r rune) (proc string, advance int, err error) {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		return "", 0, err
	}
	var b sfnt.Buffer
	g, err := f.GlyphIndex(&b, r)
	if err != nil || g == 0 {
		return "", 0, fmt.Errorf("no glyph for %q", r)
	}
	segs, err := f.LoadGlyph(&b, g, fixed.I(1000), nil)
	if err != nil {
		return "", 0, err
	}
	adv, _ := f.GlyphAdvance(&b, g, fixed.I(1000), 0)
	xy := func(p fixed.Point26_6) (float64, float64) { return float64(p.X) / 64, -float64(p.Y) / 64 }
	pt := func(p fixed.Point26_6) string { x, y := xy(p); return fmt.Sprintf("%.1f %.1f", x, y) }
	var path strings.Builder
	var cx, cy float64
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			fmt.Fprintf(&path, "%s m ", pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			fmt.Fprintf(&path, "%s l ", pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			// The quadratic as the cubic it is.
			qx, qy := xy(s.Args[0])
			ex, ey := xy(s.Args[1])
			fmt.Fprintf(&path, "%.1f %.1f %.1f %.1f %.1f %.1f c ", cx+2*(qx-cx)/3, cy+2*(qy-cy)/3, ex+2*(qx-ex)/3, ey+2*(qy-ey)/3, ex, ey)
		case sfnt.SegmentOpCubeTo:
			fmt.Fprintf(&path, "%s %s %s c ", pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2]))
		}
		n := map[sfnt.SegmentOp]int{sfnt.SegmentOpQuadTo: 1, sfnt.SegmentOpCubeTo: 2}[s.Op]
		cx, cy = xy(s.Args[n])
	}
	return fmt.Sprintf("%d 0 d0 %sf", adv.Round(), path.String()), adv.Round(), nil
}

// Type3Page writes a one-page PDF (US Letter) that shows text at 24 pt in
// /F1, a Type 3 font of Go Regular's outlines whose glyphs have generated
// names ("g65", …) and no ToUnicode: nothing in the file says what they
// are, only their shapes do. more is further content, which may use /F2,
// Helvetica in WinAnsi.
func Type3Page(text, more string) ([]byte, error) { return Type3PageWith(text, more, "", "") }

// Type3PageWith is Type3Page with more entries in the page dictionary
// (page, e.g. "/Annots [...]") and the catalog (cat, e.g.
// "/StructTreeRoot << ... >>"); the page is object 3.
func Type3PageWith(text, more, page, cat string) ([]byte, error) {
	return type3Page(text, "", more, page, cat, false)
}

// Type3PageNumeric is Type3Page whose codes are the characters' own
// (printable ASCII only) and whose generated names are their decimal
// numbers ("g69" for "E"), drawn after before (e.g. a fill colour).
// Nothing in the file says what the glyphs are, but poppler's pdftotext
// takes such names for character codes and reads the text: a value
// pdftotext reads that Veil's parse passes over (no glyph box).
func Type3PageNumeric(text, before, more string) ([]byte, error) {
	for _, r := range text {
		if r < 32 || r > 126 {
			return nil, fmt.Errorf("pdftest: %q is not printable ASCII", r)
		}
	}
	return type3Page(text, before, more, "", "", true)
}

func type3Page(text, before, more, page, cat string, numeric bool) ([]byte, error) {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R " + cat + " >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "", ""}
	codes := map[rune]int{' ': 32}
	var show strings.Builder
	for _, r := range text {
		if _, ok := codes[r]; !ok {
			codes[r] = 64 + len(codes)
			if numeric {
				codes[r] = int(r)
			}
		}
		fmt.Fprintf(&show, "%02X", codes[r])
	}
	var runes []rune
	for r := range codes {
		runes = append(runes, r)
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	widths := make([]string, 128-32)
	for i := range widths {
		widths[i] = "0"
	}
	var procs, diffs strings.Builder
	for _, r := range runes {
		c := codes[r]
		proc, adv := "250 0 d0", 250
		if r != ' ' {
			var err error
			if proc, adv, err = GoGlyph(r); err != nil {
				return nil, err
			}
		}
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(proc), proc))
		fmt.Fprintf(&procs, "/g%d %d 0 R ", c, len(objs))
		fmt.Fprintf(&diffs, "%d /g%d ", c, c)
		widths[c-32] = fmt.Sprint(adv)
	}
	content := before + "BT /F1 24 Tf 72 700 Td <" + show.String() + "> Tj ET" + more
	objs[2] = fmt.Sprintf(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R `+page+` /Resources << /Font << /F1 << /Type /Font /Subtype /Type3
  /FontBBox [-100 -250 1100 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << %s>> /Encoding << /Type /Encoding /Differences [%s] >>
  /Resources << >> /FirstChar 32 /LastChar 127 /Widths [%s] >> /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >> >>`,
		procs.String(), diffs.String(), strings.Join(widths, " "))
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	return writeObjects("1.7", objs), nil
}
