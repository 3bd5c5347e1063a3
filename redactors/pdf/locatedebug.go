package pdf

import (
	"fmt"
	"image"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors/ocr"
)

// VEIL_DEBUG_LOCATE=1 makes a page read as an image (raster.go) say, on
// standard error, why each finding of its parse that OCR does not locate
// is not located. It never prints a value nor a word OCR reads: per
// finding, the page, the edit's label (withheld when it shares three
// letters with the value), the value's length, each glyph box in points
// and in pixels of the rendering, whether it is drawn (text rendering
// mode, inside the page, ink under it in the rendering), and the words of
// each OCR reading that meet the box as lengths and confidences.

// debugLocate is the writer of the locate diagnostics; nil: off.
var debugLocate io.Writer = func() io.Writer {
	if os.Getenv("VEIL_DEBUG_LOCATE") == "1" {
		return os.Stderr
	}
	return nil
}()

// inkTolerance is the grey-level spread, within a glyph box of the
// rendering, below which the box shows no ink: a blank area (the
// background, or a flat fill), not glyphs.
const inkTolerance = 0

// boxInk returns the lowest and highest grey level of src within rc
// (clipped to the image), and whether any pixel lies there.
func boxInk(src *image.Gray, rc image.Rectangle) (lo, hi uint8, any bool) {
	rc = rc.Intersect(src.Rect)
	if rc.Empty() {
		return 0, 0, false
	}
	lo, hi = 255, 0
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		row := src.Pix[src.PixOffset(rc.Min.X, y):src.PixOffset(rc.Max.X, y)]
		for _, p := range row {
			lo, hi = min(lo, p), max(hi, p)
		}
	}
	return lo, hi, true
}

// sharesTrigram reports whether a and b have three consecutive letters in
// common, case ignored.
func sharesTrigram(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	r := []rune(b)
	for i := 0; i+3 <= len(r); i++ {
		if strings.Contains(a, string(r[i:i+3])) {
			return true
		}
	}
	return false
}

// writeLocateDebug writes to w why mark m of page (1-based) is not
// located: see debugLocate. crop is the page's crop box (points), src the
// rendering, readings the OCR readings searched.
func writeLocateDebug(w io.Writer, page int, m rasterMark, crop rect, src *image.Gray, readings [][]ocr.Word) {
	label := fmt.Sprintf("%q", m.label)
	if sharesTrigram(m.label, m.value) || !utf8.ValidString(m.label) {
		label = "(withheld)"
	}
	drawn := "drawn"
	if m.undrawn != 0 {
		drawn = "not drawn: " + undrawnWhy(m.undrawn)
	}
	grey := "unknown"
	if m.light >= 0 {
		grey = fmt.Sprintf("%.2f", m.light)
	}
	fmt.Fprintf(w, "veil-debug-locate: page %d: finding not located: label %s, %d characters, %d glyph boxes; glyphs %s; smallest em %.1f pt; lightest fill grey %s\n",
		page, label, utf8.RuneCountInString(m.value), len(m.rects), drawn, m.em, grey)
	for k, rc := range m.rects {
		var pt rect
		inv := false
		if k < len(m.pt) {
			pt, inv = m.pt[k], m.invisible[k]
		}
		where := "inside the page"
		switch {
		case !pt.intersects(crop):
			where = "off the page"
		case !pt.inside(crop):
			where = "partly off the page"
		}
		mode := "visible"
		if inv {
			mode = "invisible (rendering mode 3 or 7)"
		}
		ink := "no pixel of the rendering"
		in := rc
		if k < len(m.inner) {
			in = m.inner[k]
		}
		if lo, hi, ok := boxInk(src, in); ok {
			ink = fmt.Sprintf("grey %d to %d", lo, hi)
			if int(hi)-int(lo) <= inkTolerance {
				ink += " (no ink)"
			}
		}
		fmt.Fprintf(w, "veil-debug-locate:   box %d: %.1f %.1f %.1f %.1f pt, %d %d %d %d px; text %s, %s; rendering %s\n",
			k+1, pt.x0, pt.y0, pt.x1, pt.y1, rc.Min.X, rc.Min.Y, rc.Max.X, rc.Max.Y, mode, where, ink)
		for ri, words := range readings {
			var over []string
			for _, wd := range words {
				if wd.Box.Overlaps(rc) {
					over = append(over, fmt.Sprintf("%d/%.0f", utf8.RuneCountInString(wd.Text), wd.Conf))
				}
			}
			fmt.Fprintf(w, "veil-debug-locate:     reading %d: %d words over the box (length/confidence): %s\n",
				ri+1, len(over), strings.Join(over, " "))
		}
	}
}
