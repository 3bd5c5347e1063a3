package pdf

import (
	"cmp"
	"context"
	"errors"
	"image"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/goregular"

	"github.com/veilhq/veil/redactors/ocr"
)

// Glyph OCR (issue 19): a glyph that nothing in the file names (a Type 3
// glyph with a generated name and no ToUnicode entry, a CID TrueType
// glyph whose program has neither cmap nor post) is read from its shape.
// On the first such code of a font, every glyph of the font that needs it
// is drawn (glyphshape.go) on a sheet, each on its own line between two
// context letters of a known font (refGlyphs: "H…x"), and the sheet is read
// by OCR; then again in the reverse order with other context ("H…n"). A
// line counts only when OCR reads its context letters as drawn.
//
// Glyph OCR takes marks only: a glyph is read when neither reading finds
// a letter or digit in it, one of them a plausible mark with a confidence
// of at least glyphLeast and the other's context read as drawn; it is a
// mark (symbolText), whose second reading is "l" when it is a narrow
// upright stroke. A glyph that either reading takes for a letter or digit
// stays unmapped, and the page uninspectable, with the reason. Letters
// are not taken: OCR of a lone glyph, even in context and agreeing in
// both orders, reads some fonts' letters as other letters ("H" as "A",
// "c" as "e", "l" as "i" in real fonts stripped of their maps), and a
// name spelt wrong is neither detected nor found again by verify, whose
// reading of such a font is no better. What it serves is the fonts of
// brackets, braces, rules and table pieces that documents draw as Type 3
// or in a CID TrueType subset with no maps. Reading a mark as a letter
// would cost at most an extra redaction; reading a letter as a mark could
// leak it: so a mark must show no letter in either context. Each glyph is
// read once per document (the font caches it): a font costs two OCR runs
// per batch of up to maxGlyphBatch glyphs, whatever the pages show.
//
// Only under ImagesOCR (the profile reads images by OCR); otherwise such
// codes stay unmapped, as before.

// glyphReader runs glyph OCR for a document.
type glyphReader struct {
	ctx    context.Context
	engine ocr.Engine
	langs  []string
	sheets int // sheets read so far
}

// Glyph OCR settings.
const (
	glyphPx       = 64   // pixels per em on the sheet
	glyphPad      = 4    // white around a glyph's ink, pixels
	glyphGap      = 0.75 // ems between two glyphs' ink on a row
	maxGlyphEms   = 1.5  // the height from which a glyph is drawn smaller
	maxGlyphBatch = 96   // glyphs on one sheet
	maxSheets     = 64   // sheets per document (two per batch)
	glyphLeast    = 20   // and of the other (a glyph that splits its line's word reads low)
	typeThreeGrow = 4    // at most this magnification of a Type 3 font's glyphs to an em
)

// glyphRead is what OCR made of one glyph.
type glyphRead struct {
	text, ev string
	ok       bool
}

// ocrGlyph returns the text glyph OCR reads for key k (a simple font's
// code, or a CID) of f, and its second reading (confusable shapes), or
// false.
func (f *font) ocrGlyph(k uint32) (string, string, bool) {
	if f.r == nil || f.r.glyphs == nil {
		return "", "", false
	}
	if f.ocrRead == nil {
		f.ocrRead = map[uint32]glyphRead{}
	}
	g, seen := f.ocrRead[k]
	if !seen {
		f.readGlyphs(k)
		g = f.ocrRead[k]
	}
	return g.text, g.ev, g.ok
}

// glyphJob is one glyph to read: the keys that draw it, and its shape.
type glyphJob struct {
	keys  []uint32
	shape *glyphShape
	img   *image.Gray
}

// readGlyphs reads by OCR the glyphs of f that need it, k's first; each
// key read or not is then in f.ocrRead.
func (f *font) readGlyphs(k uint32) {
	gr := f.r.glyphs
	jobs := f.glyphJobs(k)
	for _, j := range jobs {
		for _, key := range j.keys {
			f.ocrRead[key] = glyphRead{}
		}
	}
	f.ocrRead[k] = glyphRead{}
	if !slices.ContainsFunc(jobs, func(j glyphJob) bool { return slices.Contains(j.keys, k) }) {
		// k's own shape could not be drawn (glyphJobs leaves it out):
		// say so, whatever the batch of the others gives.
		f.ocrWhy = "its shape cannot be drawn for OCR"
	}
	var ready []*glyphJob
	tallest := 0.0
	for i := range jobs {
		j := &jobs[i]
		if h := j.shape.box.y1 - j.shape.box.y0; h > maxGlyphEms {
			// A glyph taller than any letter (a brace or bracket of
			// display mathematics) would dwarf its context: it is drawn
			// at the height of one.
			j.shape = j.shape.scaled(1 / h)
		}
		tallest = math.Max(tallest, j.shape.box.y1-j.shape.box.y0)
	}
	// A Type 3 font's em is the producer's choice (its FontMatrix):
	// bitmap brackets drawn at a large font size may be a fraction of an
	// em tall, and on the sheet a few thin pixels beside the context
	// letters, which OCR reads as "i" or "y". The font's glyphs are drawn
	// larger, all by one factor (their shapes and relative sizes kept),
	// so that the tallest is an em (at most typeThreeGrow times); marks
	// read from glyphs so enlarged are taken only as brackets (a digit
	// drawn larger read as another mark, decideGlyph).
	grown := false
	if f.kind == type3Font && tallest > 0 && tallest < 1 {
		k := math.Min(1/tallest, typeThreeGrow)
		grown = k > 1
		for i := range jobs {
			jobs[i].shape = jobs[i].shape.scaled(k)
		}
	}
	for i := range jobs {
		j := &jobs[i]
		if j.img = j.shape.render(glyphPx, glyphPad); j.img != nil {
			ready = append(ready, j)
		}
	}
	if len(ready) == 0 {
		f.ocrWhy = "its shape cannot be drawn for OCR"
		return
	}
	if gr.sheets+2 > maxSheets {
		f.ocrWhy = "the document's glyph OCR budget is spent"
		return
	}
	gr.sheets += 2
	first, err1 := gr.readSheet(ready, "H", "x")
	rev := make([]*glyphJob, len(ready))
	for i, j := range ready {
		rev[len(ready)-1-i] = j
	}
	second, err2 := gr.readSheet(rev, "H", "n")
	if err := cmp.Or(err1, err2); err != nil {
		// The reason names the class (engine missing, language data
		// missing, time budget spent, failure), never OCR's output.
		switch {
		case errors.Is(err, ocr.ErrUnavailable):
			f.ocrWhy = "the OCR engine is not available"
		case errors.Is(err, ocr.ErrLanguage):
			f.ocrWhy = "the OCR language data is not installed"
		case errors.Is(err, ocr.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
			f.ocrWhy = "the OCR time budget ran out on its sheet"
		default:
			f.ocrWhy = "OCR failed on its sheet"
		}
		return
	}
	read := 0
	for i, j := range ready {
		w, h := j.shape.box.x1-j.shape.box.x0, j.shape.box.y1-j.shape.box.y0
		g, ok := decideGlyph(first[i], second[len(ready)-1-i], w < 0.35*h, grown)
		if !ok {
			continue
		}
		read++
		for _, key := range j.keys {
			f.ocrRead[key] = g
		}
	}
	if read < len(jobs) {
		f.ocrWhy = "glyph OCR takes marks only, and a reading of it holds a letter or digit or no sure mark"
	}
}

// glyphJobs lists the glyphs of f that only OCR can read and that no
// earlier batch tried, k's first.
func (f *font) glyphJobs(k uint32) []glyphJob {
	var jobs []glyphJob
	switch f.kind {
	case type3Font:
		byName := map[string]int{}
		add := func(c int) {
			n := f.names[c]
			if i, ok := byName[n]; ok {
				jobs[i].keys = append(jobs[i].keys, uint32(c))
				return
			}
			if len(jobs) >= maxGlyphBatch {
				return
			}
			s, err := f.r.type3Shape(f.t3, f.matrix, n)
			if err != nil {
				return
			}
			byName[n] = len(jobs)
			jobs = append(jobs, glyphJob{keys: []uint32{uint32(c)}, shape: s})
		}
		if k < 256 {
			add(int(k))
		}
		for c := 0; c < 256; c++ {
			if _, done := f.ocrRead[uint32(c)]; !done && uint32(c) != k && f.type3NeedsOCR(byte(c)) {
				add(c)
			}
		}
	case compositeFont:
		tt := f.program()
		if tt == nil {
			return nil
		}
		add := func(cid uint32) {
			if len(jobs) >= maxGlyphBatch {
				return
			}
			if s, err := tt.glyfShape(f.glyphOf(cid)); err == nil && !s.empty {
				jobs = append(jobs, glyphJob{keys: []uint32{cid}, shape: s})
			}
		}
		add(k)
		if f.enc == nil && f.cidToGID == nil && len(tt.loca) > 0 {
			// Identity: code = CID = glyph. The other glyphs with ink
			// and without a ToUnicode entry (a subset keeps only the
			// glyphs it uses).
			n := len(tt.loca)/2 - 1
			if tt.longLoca {
				n = len(tt.loca)/4 - 1
			}
			for g := 1; g < n && g < 1<<16; g++ {
				if _, done := f.ocrRead[uint32(g)]; done || uint32(g) == k {
					continue
				}
				if d, ok := tt.glyfData(uint16(g)); !ok || len(d) == 0 {
					continue
				}
				if s, ok := f.toUni.unicode([]byte{byte(g >> 8), byte(g)}); ok && usableText(s) {
					continue
				}
				add(uint32(g))
			}
		}
	}
	return jobs
}

// type3NeedsOCR reports a code of a Type 3 font that nothing else maps.
func (f *font) type3NeedsOCR(b byte) bool {
	n := f.names[b]
	if n == "" || n == ".notdef" || f.blank[b] {
		return false
	}
	if s, ok := f.toUni.unicode([]byte{b}); ok && usableText(s) {
		return false
	}
	if _, ok := glyphRunes(n); ok {
		return false
	}
	return !symbolName(n)
}

// sheetRead is one reading of one glyph on a sheet: ctx when the context
// letters were read as drawn, text what was read between them (possibly
// nothing), ok when that is a plausible glyph.
type sheetRead struct {
	text    string
	conf    float64
	ctx, ok bool
}

// noLetter reports a reading that finds no letter or digit in the glyph,
// with its context read as drawn: nothing, or marks only.
func (r sheetRead) noLetter() bool {
	return r.ctx && strings.IndexFunc(r.text, func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }) < 0
}

// The context letters around a glyph on a sheet: a capital and a small
// letter of Go Regular (golang.org/x/image/font/gofont, BSD licence) show
// OCR the line's cap height and x-height, so that a glyph is read as a
// letter of a word ("s" or "S", "v" or "V") and not as a lone mark.
var refGlyphs = sync.OnceValue(func() map[string]*glyphShape {
	tt := parseTrueType(goregular.TTF)
	out := map[string]*glyphShape{}
	for g, t := range tt.text {
		if t == "H" || t == "x" || t == "n" {
			if s, err := tt.glyfShape(g); err == nil {
				out[t] = s
			}
		}
	}
	return out
})

// readSheet draws each glyph on its own line between the context letters
// pre and post and reads the sheet; the result is per glyph, in the order
// given: the line's text without the context, or not ok when the context
// is not read as drawn.
func (gr *glyphReader) readSheet(jobs []*glyphJob, pre, post string) ([]sheetRead, error) {
	refs := refGlyphs()
	p, q := refs[pre], refs[post]
	if p == nil || q == nil {
		return nil, errShape
	}
	pi, qi := p.render(glyphPx, glyphPad), q.render(glyphPx, glyphPad)
	asc, desc := math.Max(p.box.y1, q.box.y1), math.Min(p.box.y0, q.box.y0)
	for _, j := range jobs {
		asc, desc = math.Max(asc, j.shape.box.y1), math.Min(desc, j.shape.box.y0)
	}
	gap := int(glyphGap * glyphPx)
	rowH := int(math.Ceil((asc-desc)*glyphPx)) + 2*glyphPad + gap
	width := 0
	for _, j := range jobs {
		width = max(width, 2*gap+pi.Rect.Dx()+j.img.Rect.Dx()+qi.Rect.Dx())
	}
	height := len(jobs)*rowH + gap
	if width*height > 16*maxGlyphPixels {
		return nil, errShape
	}
	sheet := image.NewGray(image.Rect(0, 0, width, height))
	for i := range sheet.Pix {
		sheet.Pix[i] = 255
	}
	put := func(img *image.Gray, s *glyphShape, x, row int) int {
		top := gap/2 + row*rowH + int(math.Round((asc-s.box.y1)*glyphPx))
		for y := 0; y < img.Rect.Dy(); y++ {
			copy(sheet.Pix[(top+y)*sheet.Stride+x:], img.Pix[y*img.Stride:y*img.Stride+img.Rect.Dx()])
		}
		return x + img.Rect.Dx()
	}
	for i, j := range jobs {
		x := put(pi, p, gap, i)
		x = put(j.img, j.shape, x, i)
		put(qi, q, x, i)
	}
	page, err := gr.engine.Recognize(gr.ctx, sheet, ocr.Options{Languages: gr.langs, DPI: 300, Mode: ocr.ModeBlock})
	if err != nil {
		return nil, err
	}
	texts := make([]strings.Builder, len(jobs))
	confs := make([]float64, len(jobs))
	for i := range confs {
		confs[i] = 100
	}
	for _, w := range page.Words() {
		cy := (w.Box.Min.Y + w.Box.Max.Y) / 2
		row := (cy - gap/2) / rowH
		if cy < gap/2 || row >= len(jobs) {
			continue
		}
		// Words come in reading order: left to right on a line.
		texts[row].WriteString(strings.TrimSpace(w.Text))
		confs[row] = min(confs[row], w.Conf)
	}
	out := make([]sheetRead, len(jobs))
	for i := range jobs {
		t := texts[i].String()
		// The context letters are plain: their case is not in question
		// (a lone "x" after a glyph may read "X").
		if len(t) >= len(pre)+len(post) && strings.EqualFold(t[:len(pre)], pre) && strings.EqualFold(t[len(t)-len(post):], post) {
			mid := t[len(pre) : len(t)-len(post)]
			out[i] = sheetRead{text: mid, conf: confs[i], ctx: true, ok: plausibleGlyph(mid)}
		}
	}
	return out, nil
}

// plausibleGlyph reports a reading one glyph can be: one to three
// characters, none a control or space.
func plausibleGlyph(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 1 || n > 3 {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// decideGlyph decides a glyph from its two readings (the rules at the top
// of this file); narrow: its ink is an upright stroke. Only marks are
// taken: a reading with a letter or digit in it, at any confidence, keeps
// the glyph unread. grown: the glyph was drawn enlarged (a Type 3 font's
// small em): then only a bracket is taken, both readings a bracket or
// nothing; a digit drawn larger read as another mark ("7") and was
// dropped from an identifier (pdffix37).
func decideGlyph(a, b sheetRead, narrow, grown bool) (glyphRead, bool) {
	if a.hasLetter() || b.hasLetter() {
		return glyphRead{}, false
	}
	if grown && (!bracketsOnly(a.text) || !bracketsOnly(b.text)) {
		return glyphRead{}, false
	}
	if symbolReading(a, b) || symbolReading(b, a) {
		// A mark, not a letter: OCR finds no letter or digit in it, in
		// either context, surely in one of them. A narrow upright mark
		// ("|", a rule, a bracket piece) may be a letter "l" of a font
		// OCR does not know: that is its second reading.
		g := glyphRead{text: symbolText, ok: true}
		if narrow {
			g.ev = "l"
		}
		return g, true
	}
	return glyphRead{}, false
}

// bracketsOnly reports a reading that holds no character but brackets,
// parentheses and braces (or none).
func bracketsOnly(s string) bool {
	return strings.Trim(s, "()[]{}") == ""
}

// hasLetter reports a reading with a letter or digit in it.
func (r sheetRead) hasLetter() bool {
	return strings.IndexFunc(r.text, func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }) >= 0
}

// symbolReading reports a glyph that sure, a plausible reading with a
// confidence of at least glyphLeast, finds no letter or digit in, and
// that other, its context read as drawn, finds none in either.
func symbolReading(sure, other sheetRead) bool {
	return sure.ok && sure.noLetter() && sure.conf >= glyphLeast && other.noLetter()
}

// newGlyphReader returns the glyph reader of a document, with the engine
// and languages of its image OCR.
func (d *Document) newGlyphReader(ctx context.Context) *glyphReader {
	e := d.opts.OCR.Engine
	if e == nil {
		e = ocr.Default()
	}
	return &glyphReader{ctx: ctx, engine: e, langs: d.opts.OCR.Languages}
}
