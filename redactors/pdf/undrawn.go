package pdf

import (
	"image"
	"math"
	"sort"
	"strings"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// Text that is read but not drawn (issue 19). A page read as an image
// (raster.go) is written as one image of its rendering: its content,
// fonts, annotations and links go (writeRaster), its structure tree with
// /Alt and /ActualText, its form fields and its document-level carriers
// too (sanitize). So a value of the page's text whose glyphs paint
// nothing leaves with the text layer by construction, and need not be
// located on the image: OCR cannot read what is not drawn. A glyph is
// not drawn when
//
//   - its text rendering mode is 3 or 7 (invisible);
//   - it lies outside the bounds of the clipping path;
//   - it lies outside the page's crop box (what pdftoppm renders);
//   - it is filled in white (a grey level of 1 in a device, calibrated or
//     ICC-based space, rendering mode 0 or 4).
//
// A finding is not drawn when every glyph of it is not drawn AND the
// rendering shows no ink inside its glyph boxes (every pixel the same
// grey): the second condition guards against a box that is not where the
// glyphs are, and against white glyphs over a picture. Any other finding
// OCR does not locate is refused, the reason saying which case it is
// (undrawnWhy, drawnWhy); never with the value.

// undrawn causes, a bit each.
const (
	undrawnInvisible uint8 = 1 << iota
	undrawnClipped
	undrawnOffPage
	undrawnWhite
)

// paintClipped is the bit of glyph.paint for a glyph outside the clip.
const paintClipped = 0x80

// setPaint records in g.paint how gs paints it (see glyph.paint).
func (g *glyph) setPaint(gs *gstate) {
	g.paint = 0
	if (gs.tr == 0 || gs.tr == 4) && gs.fill >= 0 {
		g.paint = 1 + uint8(math.Round(math.Min(1, gs.fill)*125))
	}
	if gs.hasClip && !g.bounds().intersects(gs.clip) {
		g.paint |= paintClipped
	}
}

// grey returns the grey level g is filled with, when it is known.
func (g *glyph) grey() (float64, bool) {
	f := g.paint &^ paintClipped
	if f == 0 {
		return 0, false
	}
	return float64(f-1) / 125, true
}

// bounds returns the glyph's bounds in its instance's space.
func (g *glyph) bounds() rect {
	cs := g.corners()
	b := rect{cs[0][0], cs[0][1], cs[0][0], cs[0][1]}
	for _, c := range cs[1:] {
		b.x0, b.y0 = math.Min(b.x0, c[0]), math.Min(b.y0, c[1])
		b.x1, b.y1 = math.Max(b.x1, c[0]), math.Max(b.y1, c[1])
	}
	return b
}

// undrawnOf returns the causes for which glyph g of a page with crop box
// crop (page space) is not drawn, 0 when it is drawn. A glyph of a tiling
// pattern's cell (space ≠ 0) is taken as drawn.
func undrawnOf(g *glyph, space int, crop rect) uint8 {
	var c uint8
	if g.invisible {
		c |= undrawnInvisible
	}
	if g.paint&paintClipped != 0 {
		c |= undrawnClipped
	}
	if space == 0 && !g.bounds().intersects(crop) {
		c |= undrawnOffPage
	}
	if f, ok := g.grey(); ok && f >= 1 {
		c |= undrawnWhite
	}
	return c
}

// markPaint returns what the glyphs of edit e of page model pm (its page
// text) say of their drawing: the causes shared by every glyph when none
// of them is drawn (0 when one is), the lightest grey a glyph is filled
// with (-1: none known), and the smallest em height of a glyph in points.
func markPaint(pm *pageModel, e redactors.Edit, crop rect) (undrawn uint8, light, em float64) {
	light, em = -1, math.Inf(1)
	all := uint8(0xff)
	n := 0
	gl := pm.text.glyphs
	for i := sort.Search(len(gl), func(i int) bool { return int(gl[i].end) > e.Start }); i < len(gl) && int(gl[i].start) < e.End; i++ {
		g := &gl[i]
		if !g.meets(e.Start, e.End) {
			continue
		}
		n++
		all &= undrawnOf(g, pm.insts[g.inst].space, crop)
		if f, ok := g.grey(); ok {
			light = math.Max(light, f)
		}
		em = math.Min(em, hypot32(g.ey))
	}
	if n == 0 {
		all = 0
	}
	return all, light, em
}

// noInk reports whether the rendering src shows the same grey at every
// pixel of every rectangle of rects (a rectangle outside it shows none).
func noInk(src *image.Gray, rects []image.Rectangle) bool {
	for _, rc := range rects {
		if lo, hi, ok := boxInk(src, rc); ok && int(hi)-int(lo) > inkTolerance {
			return false
		}
	}
	return true
}

// undrawnWhy names the causes of c.
func undrawnWhy(c uint8) string {
	var w []string
	for _, x := range []struct {
		bit  uint8
		what string
	}{
		{undrawnInvisible, "invisible (text rendering mode 3 or 7)"},
		{undrawnClipped, "clipped away"},
		{undrawnOffPage, "off the page"},
		{undrawnWhite, "filled in white"},
	} {
		if c&x.bit != 0 {
			w = append(w, x.what)
		}
	}
	return strings.Join(w, ", ")
}

// Thresholds of the reasons of a drawn finding OCR does not locate: an em
// under minOCREm points (under 14 pixels at rasterDPI) is too small for
// OCR to read; a spread of grey levels under its glyph boxes below
// minOCRContrast is too little contrast (light grey on white, a dark
// theme's coloured text on dark grey).
const (
	minOCREm       = 5.0
	minOCRContrast = 128
)

// contrast returns the largest spread of grey levels of src within one of
// rects.
func contrast(src *image.Gray, rects []image.Rectangle) int {
	c := 0
	for _, rc := range rects {
		if lo, hi, ok := boxInk(src, rc); ok {
			c = max(c, int(hi)-int(lo))
		}
	}
	return c
}

// drawnWhy says why OCR may not locate mark m, which is drawn: the
// contrast under its glyph boxes (contrast), and words meeting its boxes
// in the readings (over) or none.
func drawnWhy(m rasterMark, contrast int, over bool) string {
	switch {
	case m.em < minOCREm:
		return "its glyphs are drawn too small for OCR to read"
	case contrast < minOCRContrast:
		return "its glyphs are drawn with too little contrast for OCR to read (light on light, or dark on dark)"
	case !over:
		return "OCR reads no word where its glyphs are drawn"
	}
	return "OCR reads other words where its glyphs are drawn (a misreading: a code or decorative font, glyphs OCR cannot tell apart)"
}

// wordsOver reports whether a word of one of the readings meets one of
// rects.
func wordsOver(readings [][]ocr.Word, rects []image.Rectangle) bool {
	for _, words := range readings {
		for _, w := range words {
			for _, rc := range rects {
				if w.Box.Overlaps(rc) {
					return true
				}
			}
		}
	}
	return false
}
