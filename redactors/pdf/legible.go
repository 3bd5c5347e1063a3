package pdf

import (
	"context"
	"errors"
	"image"
	"math"
	"strings"

	"github.com/veilhq/veil/redactors/ocr"
)

// Drawn text of little contrast on a page read as an image (issue 19). OCR
// of the whole rendering binarises it with one threshold, which the rest of
// the page sets: a slide's light footer on white, a code theme's coloured
// comments on a dark block are lost. A drawn finding of the page's text
// that no reading of the whole page locates gets a second attempt: the
// region of its glyph boxes (padded by an em on the left and right) is cut
// from the rendering and made legible alone (ocr.MakeLegible: its own
// levels stretched, turned dark on light when its background is the darker,
// magnified until the em is about legibleEm pixels), read as one block of
// text, and read again binarised at its own Otsu level if that fails. The
// finding is located only as before: OCR words that hold its value, or a
// run of words that reads as it (ocr.NewWordFuzzy, as verification
// matches), meeting one of its glyph boxes. What such a reading reads of
// any value the page's readings search is blanked too, besides the glyph
// boxes. Verification is unchanged: it renders the output again and reads
// it with its own readings.

// legibleEm is the em height, in pixels, a region is magnified to (at
// most ocr.MaxLegibleScale×): Tesseract reads best with an x-height of
// 20–30 pixels.
const legibleEm = 56

// maxLegibleReads bounds the readings of regions made legible on one page
// (two a finding at most).
const maxLegibleReads = 24

// maxLegiblePixels bounds the pixels of one region made legible (after
// magnification): a finding whose glyph boxes span a large part of the page
// is not read again so.
const maxLegiblePixels = 4 << 20

// legibleRead says what readLegible did.
type legibleRead int

const (
	// legibleDone: no reading, and no other of the region is worth
	// trying (the page's budget is spent, or the region is one grey).
	legibleDone legibleRead = iota
	// legibleFailed: this reading failed; another may read.
	legibleFailed
	// legibleWords: the words read, in the rendering's pixels.
	legibleWords
)

// readLegible spends one reading of budget (the readings left on the
// page) on region of src made legible (magnified by scale, binarised when
// binary) and read as one block of text with eng. err is set only when no
// reading can go on (the context is done, OCR or a language is missing);
// any other failure of the reading is legibleFailed.
func (d *Document) readLegible(ctx context.Context, eng ocr.Engine, src *image.Gray, region image.Rectangle, scale float64, binary bool, budget *int) ([]ocr.Word, legibleRead, error) {
	if *budget <= 0 {
		return nil, legibleDone, nil
	}
	*budget--
	l := ocr.MakeLegible(src, region, ocr.LegibleOptions{Scale: scale, Binary: binary})
	if l == nil {
		return nil, legibleDone, nil // one grey: nothing to read
	}
	p, err := eng.Recognize(ctx, l.Img, ocr.Options{Languages: d.opts.OCR.Languages, DPI: int(math.Round(rasterDPI * l.Scale)), Mode: ocr.ModeBlock})
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, ocr.ErrUnavailable) || errors.Is(err, ocr.ErrLanguage) {
			return nil, legibleDone, err
		}
		return nil, legibleFailed, nil
	}
	l.BackPage(p)
	return p.Words(), legibleWords, nil
}

// legibleLocate reads the region of mark m again, made legible, and
// reports whether a word run it reads as vals[j] (fz finds the values of
// vals) meets one of m's glyph boxes. rects are the word runs of any value
// it read (rereadRect, in the rendering's pixels); words what it read, for
// the diagnostics. budget counts the readings left on the page.
func (d *Document) legibleLocate(ctx context.Context, src *image.Gray, m rasterMark, fz *ocr.Fuzzy, vals []string, j int, budget *int) (located bool, rects []image.Rectangle, read [][]ocr.Word, err error) {
	if len(m.rects) == 0 {
		return false, nil, nil, nil
	}
	region := m.rects[0]
	for _, rc := range m.rects[1:] {
		region = region.Union(rc)
	}
	em := m.em * rasterDPI / 72
	if math.IsNaN(em) || math.IsInf(em, 0) || em <= 0 {
		em = float64(region.Dy())
	}
	region.Min.X -= int(math.Ceil(em))
	region.Max.X += int(math.Ceil(em))
	region = region.Intersect(src.Rect)
	if region.Empty() {
		return false, nil, nil, nil
	}
	scale := math.Max(1, math.Min(ocr.MaxLegibleScale, legibleEm/em))
	if float64(region.Dx())*float64(region.Dy())*scale*scale > maxLegiblePixels {
		return false, nil, nil, nil
	}
	eng := d.opts.OCR.Engine
	if eng == nil {
		eng = ocr.Default()
	}
	low := strings.ToLower(vals[j])
	for _, binary := range []bool{false, true} {
		words, got, err := d.readLegible(ctx, eng, src, region, scale, binary, budget)
		if err != nil {
			return false, rects, read, err
		}
		if got == legibleDone {
			break
		}
		if got == legibleFailed {
			continue // the finding stays unlocated unless another reading reads it
		}
		read = append(read, words)
		var hits []image.Rectangle
		rects = append(rects, matchRects(fz, words, func(mt ocr.Match) {
			if mt.Value == j {
				for k := mt.First; k <= mt.Last; k++ {
					hits = append(hits, words[k].Box)
				}
			}
		})...)
		// A value inside a longer word (an identifier in code) is covered
		// by the whole word, as in the readings of the whole page.
		for k, w := range words {
			if strings.Contains(strings.ToLower(w.Text), low) {
				hits = append(hits, w.Box)
				rects = append(rects, rereadRect(words, k, k, k))
			}
		}
		for _, h := range hits {
			for _, rc := range m.rects {
				if h.Overlaps(rc) {
					located = true
				}
			}
		}
		if located {
			break
		}
	}
	return located, rects, read, nil
}

// Values only pdftotext reads (issue 19): on a page read as an image, a
// value of pdftotext's reading that the parse does not hold as often
// (glyphs of a font no reading of Veil's maps, which poppler reads, e.g.
// by glyph names of character numbers) has no glyph box of its own, and
// must be located by the readings of the whole page as often as
// pdftotext's reading holds it. When they do not, it gets a second
// attempt where the page's text positions say such text can be: the boxes
// of the glyphs the parse passed over (pageModel.unread), joined into line
// regions (unreadRegions), each padded by its height left and right, made
// legible and read alone as legibleLocate reads a finding's region. The
// places of a value the region readings read are counted across the
// regions (they do not overlap, so no place counts twice); the value is
// located when the readings of the whole page or the regions together
// read it at least as often as pdftotext's reading holds it. What they
// read of any value searched is blanked. The match rule is not loosened,
// and verification is unchanged.

// maxUnreadRegions bounds the line regions of passed-over glyphs read
// again on one page (each at most twice, within maxLegibleReads).
const maxUnreadRegions = 12

// maxUnreadLines bounds the lines unreadRegions gathers before padding
// and joining them (the work is boxes × lines, then lines³ at most).
const maxUnreadLines = 16 * maxUnreadRegions

// unreadRegions joins the boxes of passed-over glyphs of page i (page
// space) into line regions in pixels of the page rendered at rasterDPI
// (displayed, as rasterMark maps glyph boxes): boxes on a common line
// (their vertical ranges overlap by half the smaller height) and no more
// than two heights apart are one region; each region is padded by its
// height left and right, and regions that then overlap are joined. nil
// when the page has none, or more than maxUnreadRegions (too many to read
// alone), or its boxes lie on more than maxUnreadLines lines.
func (d *Document) unreadRegions(i int, bounds image.Rectangle) []image.Rectangle {
	pm := d.models[i]
	if pm == nil || len(pm.unread) == 0 {
		return nil
	}
	p := &d.pages[i]
	x0, x1 := math.Min(p.crop[0], p.crop[2]), math.Max(p.crop[0], p.crop[2])
	y0, y1 := math.Min(p.crop[1], p.crop[3]), math.Max(p.crop[1], p.crop[3])
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 {
		return nil
	}
	pw, ph := w*rasterDPI/72, h*rasterDPI/72
	if p.rotate == 90 || p.rotate == 270 {
		pw, ph = ph, pw
	}
	var boxes []image.Rectangle
	for _, b := range pm.unread {
		rc, ok := p.displayRect(b, pw, ph, 0)
		if !ok {
			continue
		}
		rc = rc.Intersect(bounds)
		if !rc.Empty() {
			boxes = append(boxes, rc)
		}
	}
	sameLine := func(a, b image.Rectangle) bool {
		lo, hi := max(a.Min.Y, b.Min.Y), min(a.Max.Y, b.Max.Y)
		return 2*(hi-lo) >= min(a.Dy(), b.Dy())
	}
	gap := func(a, b image.Rectangle) int {
		return max(0, max(a.Min.X, b.Min.X)-min(a.Max.X, b.Max.X))
	}
	var lines []image.Rectangle
	for _, b := range boxes {
		joined := false
		for k, l := range lines {
			if sameLine(l, b) && gap(l, b) <= 2*max(l.Dy(), b.Dy()) {
				lines[k] = l.Union(b)
				joined = true
				break
			}
		}
		if !joined {
			if len(lines) >= maxUnreadLines {
				return nil // bounds the work: too scattered to read alone
			}
			lines = append(lines, b)
		}
	}
	for k, l := range lines {
		lines[k] = image.Rect(l.Min.X-l.Dy(), l.Min.Y, l.Max.X+l.Dy(), l.Max.Y).Intersect(bounds)
	}
	// Join regions that overlap, until none do.
	for changed := true; changed; {
		changed = false
		for a := 0; a < len(lines) && !changed; a++ {
			for b := a + 1; b < len(lines); b++ {
				if lines[a].Overlaps(lines[b]) {
					lines[a] = lines[a].Union(lines[b])
					lines = append(lines[:b], lines[b+1:]...)
					changed = true
					break
				}
			}
		}
	}
	if len(lines) > maxUnreadRegions {
		return nil
	}
	return lines
}

// legibleFound reads each region made legible (as legibleLocate does,
// psm 6, then binarised if the first reading does not read every value
// short of its count) and returns, for each value of vals[:nf], the
// places the regions' readings read it at (summed over the regions),
// and the rectangles of every value of vals they read (to blank). short
// lists the indexes of vals[:nf] still to locate.
func (d *Document) legibleFound(ctx context.Context, src *image.Gray, regions []image.Rectangle, fz *ocr.Fuzzy, vals []string, nf int, short map[int]bool, budget *int) (places []int, rects []image.Rectangle, err error) {
	places = make([]int, nf)
	eng := d.opts.OCR.Engine
	if eng == nil {
		eng = ocr.Default()
	}
	for _, region := range regions {
		em := float64(region.Dy())
		if em <= 0 {
			continue
		}
		scale := math.Max(1, math.Min(ocr.MaxLegibleScale, legibleEm/em))
		if float64(region.Dx())*float64(region.Dy())*scale*scale > maxLegiblePixels {
			continue
		}
		best := make([]int, nf) // the most places one reading of this region reads
		for _, binary := range []bool{false, true} {
			words, got, err := d.readLegible(ctx, eng, src, region, scale, binary, budget)
			if err != nil {
				return places, rects, err
			}
			if got == legibleDone {
				break
			}
			if got == legibleFailed {
				continue
			}
			at := make([]map[int]bool, nf)
			for v := range at {
				at[v] = map[int]bool{}
			}
			rects = append(rects, matchRects(fz, words, func(m ocr.Match) {
				if m.Value < nf {
					at[m.Value][m.First] = true
				}
			})...)
			eachWordHolding(words, vals[:nf], func(v, k int) {
				at[v][k] = true
				rects = append(rects, rereadRect(words, k, k, k))
			})
			done := true
			for v := range best {
				best[v] = max(best[v], len(at[v]))
				if short[v] && best[v] == 0 {
					done = false
				}
			}
			if done {
				break
			}
		}
		for v := range places {
			places[v] += best[v]
		}
	}
	return places, rects, nil
}
