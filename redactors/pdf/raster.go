package pdf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // the image format may write a page back as JPEG
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/poppler"
)

// Pages whose fonts cannot be read as text (issue 19): a Type 3 font of
// generated glyph names, a CID TrueType subset without cmap or post, a
// font whose codes no reading maps. Glyph OCR (glyphocr.go) reads marks
// only: a lone glyph's OCR misreads letters. Under ImagesOCR such a page
// is read as a scanned page is (redactors/pdfscan): rendered by poppler's
// pdftoppm (a renderer that shares nothing with this package), read by
// OCR in context (whole words and lines), detected, blanked on the pixels
// and written as one image of the page, its text layer, fonts,
// annotations and links gone, with a note. Failing closed, more strictly
// than a scan:
//
//   - the text that can be read on the page (its other fonts, read by the
//     parse passing over the glyphs no reading maps, part "page N"; and
//     pdftotext's reading of the input page, part "page N (pdftotext)")
//     is detected too, and each value found there must be located on the
//     image by OCR word geometry (a reading of the parse or one of
//     verification's, matched as verification matches): a value OCR does
//     not locate makes the file uninspectable, unless its glyphs paint
//     nothing and the rendering shows no ink under them (undrawn.go): it
//     leaves with the text layer;
//   - every value the edits remove anywhere in the document is blanked
//     wherever verification's readings of the page read it;
//   - verification reads the output page rendered again by pdftoppm
//     (PixelLeaks) besides the output's parse, which reads the page, now
//     an image without text, by OCR; page counts do not change.
//
// Without ImagesOCR, without pdftoppm, over maxRasterPages, or when OCR
// does not read the rendered page as text, the file is refused as before
// (uninspectable), the reason saying why.

// rasterDPI is the resolution a page is rendered at, as redactors/pdfscan
// renders a scanned file's pages.
const rasterDPI = 200

// maxRasterPages bounds the pages of one file read as images.
const maxRasterPages = 64

// rasterMemo remembers the OCR of the renderings readRasters reads, by
// the file's bytes and the rendering's pixels (ocr.Memo): the second
// pass of a run parses a file again, and its pages render to the same
// pixels. It serves the parse of that same file only: verification
// renders the output (other bytes) again and reads it with its own
// engine (rasterLeaks, PixelLeaks). It holds the words of about 2 × 64
// dense pages (some 10 MiB).
var rasterMemo = ocr.NewMemo(nil, 1<<17)

// fontUnread marks the error of a page whose fonts cannot be read as
// text (beside redactors.ErrUninspectable); it adds nothing to the
// message.
type fontUnread struct{}

func (fontUnread) Error() string { return "" }

// failFont is the error of page in.pageNo: a font's text cannot be read.
func (in *interp) failFont(why string) error {
	return fmt.Errorf("page %d: %s: %w%w", in.pageNo, why, redactors.ErrUninspectable, fontUnread{})
}

// rasterRead is a page read as an image.
type rasterRead struct {
	page  int    // 0-based
	cause error  // why its text cannot be read as it is (ErrUninspectable)
	why   string // the cause in the notes and errors: whyFonts or whyEdges
	doc   *images.Document
	png   []byte // the rendering (the image format holds its pixels)
	// ocrPart is the part of the OCR text; textPart that of pdftotext's
	// reading of the input page (-1: it reads nothing).
	ocrPart, textPart int
}

// poppler returns the renderer.
func (d *Document) poppler() *poppler.Tools {
	if d.opts.Poppler != nil {
		return d.opts.Poppler
	}
	return defaultPoppler
}

var defaultPoppler = poppler.New("", "")

// The causes of a page read as an image, as notes and errors say them.
const (
	whyFonts = "its fonts cannot be read as text"
	whyEdges = "its images are drawn edge to edge as pieces of one picture"
)

// rasterPage decides about page i, whose reading failed with cause: a
// page whose fonts cannot be read as text is read again passing over
// what cannot be read (its other fonts' text is the page's part) and
// marked to be read as an image (readRasters); any other cause stands.
func (d *Document) rasterPage(i, hint int, cause error) (*pageModel, error) {
	if !errors.Is(cause, fontUnread{}) || d.opts.Images != ImagesOCR {
		return nil, cause
	}
	if msg := d.poppler().Missing(); msg != "" {
		return nil, fmt.Errorf("%w (such a page is read as an image when %s)", cause, msg)
	}
	if len(d.rasters) >= maxRasterPages {
		return nil, fmt.Errorf("%w (the file has more than %d such pages to read as images)", cause, maxRasterPages)
	}
	pm, err := d.interpretPage(i, hint, true)
	if err != nil {
		return nil, err
	}
	// The page is read whole, its images with it.
	pm.raster, pm.images, pm.imgUses = true, 0, nil
	d.rasters = append(d.rasters, &rasterRead{page: i, cause: cause, why: whyFonts, textPart: -1})
	return pm, nil
}

// rasterEdges marks for reading as an image (under ImagesOCR, when
// pdftoppm is present) each page where images are drawn edge to edge
// and are not read as one picture (edgeToEdge, mosaic.go): read whole,
// the page's words are read in context across the pieces, and the text
// its parse read is located on the image by glyph boxes as a page of
// unread fonts' other text is. It runs once every page was read (a
// mosaic's strips are images drawn once in the document), before the
// pages' other readings are added (a page read as an image has none).
// Otherwise, or over maxRasterPages, such a page is left to ocrImages,
// which refuses the file (uninspectable); a file every page of which is
// scanned is left to allScanned.
func (d *Document) rasterEdges() error {
	if d.opts.Images != ImagesOCR || d.allScanned() != nil {
		return nil
	}
	if d.poppler().Missing() != "" {
		return nil
	}
	for {
		p, cause := d.edgePage(d.mosaics())
		if cause == nil {
			return nil
		}
		if len(d.rasters) >= maxRasterPages {
			return fmt.Errorf("%w (the file has more than %d pages to read as images)", cause, maxRasterPages)
		}
		// The page is read whole, its images with it: this page is not
		// found again, and the loop ends.
		pm := d.models[p]
		pm.raster, pm.images, pm.imgUses, pm.alts, pm.scanned = true, 0, nil, nil, false
		d.rasters = append(d.rasters, &rasterRead{page: p, cause: cause, why: whyEdges, textPart: -1})
	}
}

// readRasters renders and reads by OCR the pages read as images, and adds
// their parts: the OCR text, and pdftotext's reading of the input page.
func (d *Document) readRasters(ctx context.Context, data []byte) error {
	if len(d.rasters) == 0 {
		return nil
	}
	o := d.opts.OCR
	o.NoOCR = false
	if o.Engine == nil {
		// A run parses each file twice (its two passes): the second
		// reading of the same rendering of the same file is remembered,
		// not made again. Scoped by the file's bytes: an output (which
		// verification parses) is never answered from an input's reading.
		o.Engine = rasterMemo.For(fmt.Sprintf("%x", sha256.Sum256(data)))
	}
	f := images.New(o)
	t := d.poppler()
	for _, r := range d.rasters {
		n := r.page + 1
		img, err := t.RenderImage(ctx, data, n, rasterDPI)
		if err != nil {
			return fmt.Errorf("%w; read as an image, the page cannot be rendered (%v)", r.cause, err)
		}
		// In grey, with its resolution: the image format keeps the
		// decoded pixels of every page until Redact (a quarter of RGBA's).
		// The rendering is taken as pixels, not through a PNG encoded
		// and decoded again (the same grey pixels).
		g := image.NewGray(img.Rect)
		draw.Draw(g, g.Rect, img, img.Rect.Min, draw.Src)
		img = nil
		png, err := pngWithDPI(g, rasterDPI, rasterDPI)
		if err != nil {
			return fmt.Errorf("page %d, read as an image: the rendered page does not encode: %w", n, redactors.ErrInternal)
		}
		doc, err := redactors.Parse(ctx, f, png)
		if err != nil {
			return fmt.Errorf("%w; read as an image, OCR of the rendered page fails (%v)", r.cause, err)
		}
		id := doc.(*images.Document)
		if k := id.Kinds()[0]; k != images.PageText || id.Reading(0) == nil {
			return fmt.Errorf("%w; read as an image, OCR does not read the rendered page as text (a %s page)", r.cause, k)
		}
		text, err := t.PageText(ctx, data, n)
		if err != nil {
			return fmt.Errorf("%w; read as an image, pdftotext cannot read the page (%v)", r.cause, err)
		}
		r.doc, r.png = id, png
		r.ocrPart = len(d.parts)
		d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("page %d (read as an image)", n), Text: id.Parts()[0].Text, Page: n})
		if strings.TrimSpace(text) != "" {
			r.textPart = len(d.parts)
			d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("page %d (pdftotext)", n), Text: text, Page: n})
		}
		d.notes = append(d.notes, fmt.Sprintf("page %d written as an image: %s", n, r.why))
	}
	return nil
}

// rasterOf returns the reading of page i as an image, nil when it is read
// as text.
func (d *Document) rasterOf(i int) *rasterRead {
	for _, r := range d.rasters {
		if r.page == i {
			return r
		}
	}
	return nil
}

// rasterPart reports whether part pi is a part readRasters added.
func (d *Document) rasterPart(pi int) bool {
	for _, r := range d.rasters {
		if pi == r.ocrPart || pi == r.textPart {
			return true
		}
	}
	return false
}

// writeRaster makes page i, read as an image, one image of the page: the
// edits of its OCR part blanked by the image format, the values found in
// its other readings located on the image and blanked, every value the
// edits remove blanked where verification's readings read it; the page's
// entries, content and resources replaced (its text, fonts, annotations
// and links go), d.models[i] a model of the new page.
func (d *Document) writeRaster(i int, edits []redactors.Edit) error {
	r := d.rasterOf(i)
	n := i + 1
	var own []redactors.Edit
	// marks: the findings of the page's part (the parse's reading of its
	// other fonts), each blanked where its glyphs are drawn. found: the
	// values of pdftotext's reading that the part does not hold as often,
	// each with the times that reading holds it. Values are counted with
	// their white space folded (foldSpace): the two readings break lines
	// and end them with spaces differently.
	var marks []rasterMark
	var found []string
	need := map[string]int{}
	inPage, inText := map[string]int{}, map[string]int{}
	for _, e := range edits {
		switch e.Part {
		case r.ocrPart:
			e.Part = 0
			own = append(own, e)
		case i, r.textPart:
			v := strings.TrimSpace(d.parts[e.Part].Text[e.Start:e.End])
			if v == "" {
				continue
			}
			if e.Part == r.textPart {
				inText[foldSpace(v)]++
				continue
			}
			inPage[foldSpace(v)]++
			m, err := d.rasterMark(i, e, v)
			if err != nil {
				return err
			}
			marks = append(marks, m)
		}
	}
	for _, e := range edits {
		if e.Part != r.textPart || e.Part == i {
			continue
		}
		v := strings.TrimSpace(d.parts[e.Part].Text[e.Start:e.End])
		if k := foldSpace(v); v != "" && inText[k] > inPage[k] && need[v] == 0 {
			found = append(found, v)
			need[v] = inText[k]
		}
	}
	var buf bytes.Buffer
	if err := r.doc.Redact(&buf, own); err != nil {
		return fmt.Errorf("page %d, read as an image: %w", n, err)
	}
	g, err := greyOf(buf.Bytes())
	src, err2 := greyOf(r.png)
	if err != nil || err2 != nil || g.Rect != src.Rect {
		return fmt.Errorf("page %d, read as an image: the redacted image does not decode to the page: %w", n, redactors.ErrInternal)
	}
	undrawn := 0
	rects, err := d.rasterHits(r, src, marks, found, need, d.editValues(edits), &undrawn)
	if err != nil {
		return err
	}
	if undrawn > 0 {
		d.notes = append(d.notes, fmt.Sprintf("page %d: %d values found in its text are not drawn on it (invisible, clipped, off the page or white on white) and leave with its text layer", n, undrawn))
	}
	for _, m := range marks {
		rects = append(rects, m.rects...)
	}
	for _, rc := range rects {
		draw.Draw(g, rc.Intersect(g.Rect), image.Black, image.Point{}, draw.Src)
	}
	w, h := float64(g.Rect.Dx())*72/rasterDPI, float64(g.Rect.Dy())*72/rasterDPI
	ref := d.newStream(types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
		"Width": types.Integer(g.Rect.Dx()), "Height": types.Integer(g.Rect.Dy()),
		"ColorSpace": types.Name("DeviceGray"), "BitsPerComponent": types.Integer(8),
	}, g.Pix)
	p := &d.pages[i]
	for k := range p.dict {
		if k != "Type" && k != "Parent" {
			delete(p.dict, k)
		}
	}
	box := types.Array{types.Integer(0), types.Integer(0), types.Float(w), types.Float(h)}
	p.dict["MediaBox"], p.dict["CropBox"], p.dict["Rotate"] = box, box, types.Integer(0)
	p.media, p.crop, p.rotate = [4]float64{0, 0, w, h}, [4]float64{0, 0, w, h}, 0
	p.dict["Contents"] = d.newStream(types.Dict{}, []byte(fmt.Sprintf("q %s 0 0 %s 0 0 cm /VeilX0 Do Q", fmtNum(w), fmtNum(h))))
	p.res = types.Dict{"XObject": types.Dict{"VeilX0": ref}}
	p.dict["Resources"] = p.res
	d.models[i] = &pageModel{children: map[[2]int]int{}, usedX: map[string]bool{"VeilX0": true}, usedP: map[string]bool{}}
	r.png = nil
	return nil
}

// foldSpace returns v with every run of white space one space.
func foldSpace(v string) string { return strings.Join(strings.Fields(v), " ") }

// greyOf decodes an encoded image into grey, composited as drawn.
func greyOf(data []byte) (*image.Gray, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g, nil
}

// rasterMark is a finding of the parse's reading of a page written as an
// image: its value and the pixel rectangles of its glyphs on the page's
// rendering.
type rasterMark struct {
	value string
	rects []image.Rectangle
	// For the reason of a mark OCR does not locate (locatedebug.go): the
	// edit's label, the glyph boxes in page space (points), and which of
	// them are over glyphs drawn invisibly (text rendering mode 3 or 7).
	label     string
	pt        []rect
	invisible []bool
	// inner are the glyph boxes in pixels without rasterMarkPad (where a
	// drawn glyph leaves ink); undrawn, light and em what its glyphs say
	// of their drawing (markPaint, undrawn.go).
	inner     []image.Rectangle
	undrawn   uint8
	light, em float64
	// over: something is drawn over its glyphs after them (overdraw.go;
	// looked at only when they are not drawn).
	over bool
}

// rasterMarkPad is the margin, in points, around a finding's glyph boxes
// blanked on a page written as an image: anti-aliasing, and a font's
// glyphs that reach past its ascent or descent.
const rasterMarkPad = 2.0

// rasterMark returns edit e of page i's part (value v) with its glyph
// boxes (planPage) in pixels of the page rendered at rasterDPI: the crop
// box as displayed, as pdftoppm renders it. A finding with no box, or a
// box not in the page's space (glyphs of a tiling pattern's cell, drawn
// anywhere the pattern fills), makes the file uninspectable.
func (d *Document) rasterMark(i int, e redactors.Edit, v string) (rasterMark, error) {
	p := &d.pages[i]
	cause := whyFonts
	if r := d.rasterOf(i); r != nil {
		cause = r.why
	}
	fail := func(why string) (rasterMark, error) {
		return rasterMark{}, fmt.Errorf("page %d: %s, and a value the detectors found in the text that can be read on it (the parse's) cannot be placed on the page read as an image (%s): %w", i+1, cause, why, redactors.ErrUninspectable)
	}
	pm := d.models[i]
	if pm == nil {
		return fail("no model of the page")
	}
	_, boxes := planPage(pm, []redactors.Edit{e})
	x0, x1 := math.Min(p.crop[0], p.crop[2]), math.Max(p.crop[0], p.crop[2])
	y0, y1 := math.Min(p.crop[1], p.crop[3]), math.Max(p.crop[1], p.crop[3])
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 {
		return fail("an empty crop box")
	}
	// The rendering's size in pixels, displayed (pdftoppm rounds the
	// same way within a pixel; the margin covers it).
	pw, ph := w*rasterDPI/72, h*rasterDPI/72
	if p.rotate == 90 || p.rotate == 270 {
		pw, ph = ph, pw
	}
	pad := rasterMarkPad * rasterDPI / 72
	m := rasterMark{value: v, label: e.Replacement}
	m.undrawn, m.light, m.em = markPaint(pm, e, rect{x0, y0, x1, y1})
	if m.undrawn != 0 {
		m.over = drawnOver(pm, e, rect{x0, y0, x1, y1})
	}
	for _, b := range boxes {
		if b.space != 0 {
			return fail("its glyphs are in a tiling pattern's cell")
		}
		rc, ok := p.displayRect(quadRect(b.corners()), pw, ph, pad)
		if !ok {
			return fail("a glyph box that is not a number")
		}
		if rc.Empty() {
			return fail("an empty glyph box")
		}
		m.rects = append(m.rects, rc)
		inner, _ := p.displayRect(quadRect(b.corners()), pw, ph, 0)
		m.inner = append(m.inner, inner)
		m.pt, m.invisible = append(m.pt, b.bounds), append(m.invisible, b.ocr)
	}
	if len(m.rects) == 0 {
		return fail("no glyph box")
	}
	return m, nil
}

// rasterHits returns the pixel rectangles of page r to blank besides the
// image format's regions and the marks' glyph boxes: the words where the
// parse's reading or verification's readings of the rendered page read a
// value of a mark, of found, or of removed. Each mark must be read by OCR
// over its glyph boxes (a word that holds its value, or a run of words
// that reads as it, meeting one of its rectangles); each value of found
// (pdftotext's reading alone places no glyph) must be read at least
// need times by one reading; else the file is uninspectable.
func (d *Document) rasterHits(r *rasterRead, src *image.Gray, marks []rasterMark, found []string, need map[string]int, removed []string, undrawn *int) ([]image.Rectangle, error) {
	if len(marks) == 0 && len(found) == 0 && len(removed) == 0 {
		return nil, nil
	}
	ctx := d.stop
	if ctx == nil {
		ctx = context.Background()
	}
	data, err := pngWithDPI(src, 0, 0)
	if err != nil {
		return nil, err
	}
	readings, err := d.ocrFormat().Reread(ctx, data, d.reread(0))
	if err != nil {
		return nil, fmt.Errorf("page %d, read as an image, read as verification will: %w", r.page+1, err)
	}
	readings = append(readings, r.doc.Reading(0).Words())
	// vals: found, then the marks' values, then removed.
	vals := append([]string(nil), found...)
	markVal := make([]int, len(marks))
	idx := map[string]int{}
	for k, m := range marks {
		j, ok := idx[m.value]
		if !ok {
			j = len(vals)
			idx[m.value] = j
			vals = append(vals, m.value)
		}
		markVal[k] = j
	}
	nf := len(vals)
	vals = append(vals, removed...)
	fz := ocr.NewWordFuzzy(vals, 0)
	located := make([]int, len(found)) // the most places one reading locates each at
	seen := make([]bool, len(marks))   // marks OCR reads over their glyphs
	var rects []image.Rectangle
	for _, words := range readings {
		at := make([]map[int]bool, len(found)) // first words of its places
		for v := range at {
			at[v] = map[int]bool{}
		}
		// hits: the rectangles where each value of vals[:nf] is read.
		hits := make([][]image.Rectangle, nf)
		rects = append(rects, matchRects(fz, words, func(m ocr.Match) {
			if m.Value < len(found) {
				at[m.Value][m.First] = true
			}
			if m.Value < nf {
				for k := m.First; k <= m.Last; k++ {
					hits[m.Value] = append(hits[m.Value], words[k].Box)
				}
			}
		})...)
		eachWordHolding(words, vals[:nf], func(v, k int) {
			if v < len(found) {
				at[v][k] = true
			}
			hits[v] = append(hits[v], words[k].Box)
			rects = append(rects, rereadRect(words, k, k, k))
		})
		for v := range found {
			located[v] = max(located[v], len(at[v]))
		}
		for k, m := range marks {
			for _, h := range hits[markVal[k]] {
				for _, rc := range m.rects {
					if h.Overlaps(rc) {
						seen[k] = true
					}
				}
			}
		}
	}
	// A drawn mark no reading of the whole page locates is read again
	// alone, its region made legible (legible.go): low-contrast text.
	budget := maxLegibleReads
	legible := make([][][]ocr.Word, len(marks))
	for k, m := range marks {
		if seen[k] || m.undrawn != 0 || noInk(src, m.inner) {
			continue
		}
		ok, rc, read, err := d.legibleLocate(ctx, src, m, fz, vals, markVal[k], &budget)
		if err != nil {
			return nil, fmt.Errorf("page %d, read as an image, a region read again made legible: %w", r.page+1, err)
		}
		rects = append(rects, rc...)
		legible[k] = read
		seen[k] = ok
	}
	// A mark OCR does not locate is refused, unless its glyphs are not
	// drawn and the rendering shows no ink where they are (undrawn.go):
	// then nothing of it is on the image, and it leaves with the text
	// layer.
	for k, m := range marks {
		if seen[k] {
			continue
		}
		if debugLocate != nil {
			p := &d.pages[r.page]
			crop := rect{math.Min(p.crop[0], p.crop[2]), math.Min(p.crop[1], p.crop[3]), math.Max(p.crop[0], p.crop[2]), math.Max(p.crop[1], p.crop[3])}
			writeLocateDebug(debugLocate, r.page+1, m, crop, src, append(append([][]ocr.Word(nil), readings...), legible[k]...))
		}
		ink := !noInk(src, m.inner)
		// Passed over only when nothing else on the page could show
		// the value: no image, shading or pattern is drawn on it, nor an
		// annotation whose appearance draws one or text (a picture of
		// the words, which OCR may misread or not read, as turned), and
		// no word OCR reads on it shares a trigram with the value (a
		// copy drawn elsewhere, read askew); and when nothing is drawn
		// over its glyphs (overdraw.go): no later path, image, shading
		// or visible text over their boxes, no annotation over them.
		annotOver, annotPictures := false, 0
		if m.undrawn != 0 && !ink {
			annotOver, annotPictures = d.annotsOver(r.page, m.pt)
		}
		// A word like the value that is blanked (a located copy of
		// it, or of another value, or a mark's box) shows nothing:
		// only one left visible counts.
		elsewhere := d.models[r.page] == nil || d.models[r.page].pictures+annotPictures > 0 || readsLike(readings, m.value, blankedSoFar(rects, marks))
		over := m.over || annotOver
		if m.undrawn != 0 && !ink && !elsewhere && !over {
			*undrawn++
			continue
		}
		why := ""
		switch {
		case m.undrawn != 0 && !ink && over:
			why = fmt.Sprintf("its glyphs are not drawn (%s) and the rendering shows no ink where they are, but something is drawn over them (a later path, image, shading or text, or an annotation): what shows there is not ruled out", undrawnWhy(m.undrawn))
		case m.undrawn != 0 && !ink:
			why = fmt.Sprintf("its glyphs are not drawn (%s) and the rendering shows no ink where they are, but the page draws images, shadings or patterns, or OCR reads a word like the value on it: a copy drawn elsewhere on the page is not ruled out", undrawnWhy(m.undrawn))
		case m.undrawn != 0:
			why = fmt.Sprintf("its glyphs are not drawn (%s) but the rendering shows ink where they are, which OCR does not read as the value", undrawnWhy(m.undrawn))
		case !ink:
			why = "its glyphs are drawn but the rendering shows no ink where they are (covered by a later drawing, or not where their boxes say)"
		default:
			why = drawnWhy(m, contrast(src, m.inner), wordsOver(readings, m.inner))
		}
		return nil, fmt.Errorf("page %d: %s, and a value the detectors found in the text that can be read on it (the parse's) is not located on the page read as an image by OCR: %s: %w", r.page+1, r.why, why, redactors.ErrUninspectable)
	}
	// A value of pdftotext's reading the readings of the whole page do
	// not locate as often gets a second attempt: the line regions of the
	// glyphs the parse passed over, read alone made legible (legible.go).
	short := map[int]bool{}
	for v, val := range found {
		if located[v] < need[val] {
			short[v] = true
		}
	}
	if len(short) > 0 {
		regions := d.unreadRegions(r.page, src.Rect)
		places, rc, err := d.legibleFound(ctx, src, regions, fz, vals, len(found), short, &budget)
		if err != nil {
			return nil, fmt.Errorf("page %d, read as an image, a region read again made legible: %w", r.page+1, err)
		}
		rects = append(rects, rc...)
		for v := range short {
			located[v] = max(located[v], places[v])
		}
		if debugLocate != nil {
			fmt.Fprintf(debugLocate, "veil-debug-locate: page %d: %d values of pdftotext's reading only not located as often by the whole page; %d regions of passed-over glyphs read again\n", r.page+1, len(short), len(regions))
		}
	}
	if debugLocate != nil && len(found) > 0 {
		ok := 0
		for v, val := range found {
			if located[v] >= need[val] {
				ok++
			}
		}
		fmt.Fprintf(debugLocate, "veil-debug-locate: page %d: %d values of pdftotext's reading only (no glyph box), %d located as often by the readings of the whole page or of its regions read again\n", r.page+1, len(found), ok)
	}
	for v, val := range found {
		if located[v] < need[val] && debugLocate != nil {
			fmt.Fprintf(debugLocate, "veil-debug-locate: page %d: a value of pdftotext's reading not located as often: %d characters, %d places in that reading, %d located by one OCR reading\n",
				r.page+1, utf8.RuneCountInString(val), need[val], located[v])
		}
		if located[v] < need[val] {
			return nil, fmt.Errorf("page %d: %s, and a value the detectors found in the text that can be read on it (pdftotext) is not located on the page read as an image by OCR as often as that text holds it: %w", r.page+1, r.why, redactors.ErrUninspectable)
		}
	}
	return rects, nil
}

// readsLike reports whether a word of readings shares a trigram with v
// and is not wholly inside blank (rectangles of the rendering that the
// output paints black).
func readsLike(readings [][]ocr.Word, v string, blank []image.Rectangle) bool {
	for _, words := range readings {
		for _, w := range words {
			if sharesTrigram(w.Text, v) && !covered(w.Box, blank) {
				return true
			}
		}
	}
	return false
}

// blankedSoFar returns the rectangles rasterHits has to blank so far and
// every mark's glyph boxes (blanked in every case), in a new slice.
func blankedSoFar(rects []image.Rectangle, marks []rasterMark) []image.Rectangle {
	out := append([]image.Rectangle(nil), rects...)
	for _, m := range marks {
		out = append(out, m.rects...)
	}
	return out
}

// covered reports whether every pixel of b lies in one of rects (an
// empty b is not covered: a word without a box proves nothing). Row by
// row, the rectangles' spans on the row merged.
func covered(b image.Rectangle, rects []image.Rectangle) bool {
	if b.Empty() {
		return false
	}
	var on []image.Rectangle
	for _, rc := range rects {
		if rc.Overlaps(b) {
			on = append(on, rc.Intersect(b))
		}
	}
	if len(on) == 0 {
		return false
	}
	// Only the rows where some rectangle starts or ends differ: check
	// one row per band between those edges.
	ys := []int{b.Min.Y, b.Max.Y}
	for _, rc := range on {
		ys = append(ys, rc.Min.Y, rc.Max.Y)
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	type span struct{ x0, x1 int }
	for i := 0; i+1 < len(ys); i++ {
		y := ys[i]
		var spans []span
		for _, rc := range on {
			if rc.Min.Y <= y && y < rc.Max.Y {
				spans = append(spans, span{rc.Min.X, rc.Max.X})
			}
		}
		slices.SortFunc(spans, func(a, b span) int { return a.x0 - b.x0 })
		x := b.Min.X
		for _, s := range spans {
			if s.x0 > x {
				break
			}
			x = max(x, s.x1)
		}
		if x < b.Max.X {
			return false
		}
	}
	return true
}

// rasterLeaks renders each page of data (an output of Redact) that was
// read as an image again with pdftoppm and reads it as verification
// reads an image (images.Format.PixelLeaksWith): where a value of
// removed is read, by page.
func (d *Document) rasterLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	var where []string
	f := d.ocrFormat()
	for _, r := range d.rasters {
		png, err := d.poppler().Render(ctx, data, r.page+1, rasterDPI)
		if err != nil {
			return nil, fmt.Errorf("pdf: verify page %d, written as an image: %v: %w", r.page+1, err, redactors.ErrVerify)
		}
		w, err := f.PixelLeaksWith(ctx, png, removed, d.reread(0))
		if err != nil {
			return nil, fmt.Errorf("pdf: verify page %d, written as an image: %w", r.page+1, err)
		}
		if len(w) > 0 {
			where = append(where, fmt.Sprintf("page %d (written as an image, rendered by pdftoppm)", r.page+1))
		}
	}
	return where, nil
}
