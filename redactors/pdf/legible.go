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
		if *budget <= 0 {
			break
		}
		*budget--
		l := ocr.MakeLegible(src, region, ocr.LegibleOptions{Scale: scale, Binary: binary})
		if l == nil {
			break // one grey: nothing to read
		}
		p, err := eng.Recognize(ctx, l.Img, ocr.Options{Languages: d.opts.OCR.Languages, DPI: int(math.Round(rasterDPI * l.Scale)), Mode: ocr.ModeBlock})
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, ocr.ErrUnavailable) || errors.Is(err, ocr.ErrLanguage) {
				return false, rects, read, err
			}
			continue // this reading failed; the finding stays unlocated unless another reads it
		}
		l.BackPage(p)
		words := p.Words()
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
