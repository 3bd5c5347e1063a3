package images

import (
	"context"
	"crypto/sha256"
	"fmt"
	"image"
	"math"
	"strings"
	"sync"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// Verification reads the output again in two ways that share nothing with
// the redactor's idea of where text lives (its word boxes) and little with
// its first reading:
//
//   - through the OCR engine's own image decoders (for Tesseract: Leptonica
//     with libpng, libjpeg, libtiff) at the file's resolution, with sparse
//     page segmentation ("find as much text as possible in no particular
//     order"), which reads isolated fragments that layout analysis groups
//     or drops;
//   - through Veil's decoders, upscaled 1.5–2× (upscaleFactor) with
//     bilinear interpolation, with the full layout analysis: small or
//     faint text that the first reading lost at the original size.
//
// The pipeline's own verify step adds a third reading: it parses the
// output like any input (same resolution, same segmentation).

// reading is one independent reading of one output page.
type reading struct {
	page  int // 1-based
	how   string
	words []ocr.Word
}

func (r reading) texts() []string {
	out := make([]string, len(r.words))
	for i, w := range r.words {
		out[i] = w.Text
	}
	return out
}

// readAgain makes the readings of data (an output of this format). They
// are cached per content and languages for the whole program (readings),
// since the pipeline asks for them on the output's Document (Leaks) and on
// the input's (PixelLeaks).
func (d *Document) readAgain(ctx context.Context, data []byte) ([]reading, error) {
	langs := d.f.o.Languages
	mag := 1.0 // the floor of the magnified reading, part of what is read
	sparse := false
	for _, p := range d.pages {
		mag = max(mag, p.mag)
		sparse = sparse || p.sparse
	}
	key := sha256.Sum256(append(append([]byte(nil), data...), fmt.Sprintf("%s %g %t", joinLangs(langs), mag, sparse)...))
	if r, ok := readings.get(key); ok {
		return r, nil
	}
	eng := d.f.engine()
	dec, _, err := decodeFile(data)
	if err != nil {
		return nil, fmt.Errorf("images: verify: output does not decode: %w", redactors.ErrVerify)
	}
	var out []reading
	if fr, ok := eng.(ocr.FileReader); ok {
		// One process reads every page: its budget is one per page.
		pages, err := fr.RecognizeFile(ctx, data, ocr.Options{Languages: langs, Mode: ocr.ModeSparse, Pages: len(dec)})
		if err != nil {
			return nil, verifyErr(err)
		}
		for i, p := range pages {
			out = append(out, reading{page: i + 1, how: "re-read by the OCR engine's decoder, sparse text", words: p.Words()})
		}
	}
	for i, p := range dec {
		img, fx, fy, dpi := squarePixels(p.img, p.xdpi, p.ydpi)
		b := img.Bounds()
		k := upscaleFactor(dpi, b.Dx()*b.Dy())
		if i < len(d.pages) && d.pages[i].mag > k {
			// Read magnified at Parse (Format.magnified): a reading at
			// less would not see what analysis saw.
			k = d.pages[i].mag
			if float64(b.Dx())*float64(b.Dy())*k*k > maxUpscalePixels {
				return nil, fmt.Errorf("images: verify: page %d was read magnified %.2g× and is too large to read again so: %w", i+1, k, redactors.ErrUninspectable)
			}
		}
		var up image.Image = img
		if k != 1 {
			up = upscale(img, k)
		}
		if dpi > 0 {
			dpi = int(math.Round(float64(dpi) * k))
		}
		pg, err := eng.Recognize(ctx, up, ocr.Options{Languages: langs, DPI: dpi, Mode: ocr.ModeAuto})
		if err != nil {
			return nil, verifyErr(err)
		}
		pg.Scale(fx/k, fy/k)
		out = append(out, reading{page: i + 1, how: fmt.Sprintf("re-read at %.2g×", k), words: pg.Words()})
		if i < len(d.pages) && d.pages[i].sparse && k != 1 {
			// Read at Parse sparse and magnified (ReadAs): read so again.
			sp, err := eng.Recognize(ctx, up, ocr.Options{Languages: langs, DPI: dpi, Mode: ocr.ModeSparse})
			if err != nil {
				return nil, verifyErr(err)
			}
			sp.Scale(fx/k, fy/k)
			out = append(out, reading{page: i + 1, how: fmt.Sprintf("re-read at %.2g×, sparse text", k), words: sp.Words()})
		}
	}
	readings.put(key, out)
	return out, nil
}

// verifyErr is the error of an OCR reading of an output that failed: it
// carries the reason of a page that cannot be read (pageErr's), or
// ErrTooSlow when the reading ran out of its time budget (a busy
// machine), so that the report says why instead of "internal error"
// (an error without a reason); the output is not written either way.
func verifyErr(err error) error {
	reason := redactors.ErrUninspectable
	switch {
	case isAny(err, ocr.ErrUnavailable, ocr.ErrLanguage):
		reason = redactors.ErrNoText
	case isAny(err, ocr.ErrTimeout):
		reason = redactors.ErrTooSlow
	}
	return fmt.Errorf("images: verify: %v: %w", err, reason)
}

// readingCache keeps the readings of the last images read.
type readingCache struct {
	mu    sync.Mutex
	order [][32]byte
	byKey map[[32]byte][]reading
	words int // held, over all readings
}

// readingsKept is how many images' readings are kept, and
// readingWordsKept how many words at most (about 100 bytes each): one per
// file in flight would be enough for a verify, which asks twice, one
// after the other; a PDF's images are read before its Redact
// (redactors/pdf) and again by verification, hundreds of them in a file
// of slides.
const (
	readingsKept     = 4096
	readingWordsKept = 1 << 18
)

var readings = &readingCache{byKey: map[[32]byte][]reading{}}

func (c *readingCache) get(k [32]byte) ([]reading, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.byKey[k]
	return r, ok
}

func (c *readingCache) put(k [32]byte, r []reading) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[k]; ok {
		return
	}
	n := 0
	for _, x := range r {
		n += len(x.words)
	}
	for len(c.order) > 0 && (len(c.order) >= readingsKept || c.words+n > readingWordsKept) {
		for _, x := range c.byKey[c.order[0]] {
			c.words -= len(x.words)
		}
		delete(c.byKey, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, k)
	c.byKey[k] = r
	c.words += n
}

// upscaleFactor is the magnification of the second reading for a page of
// dpi (0 = unknown) and n pixels: 2× up to 150 dpi, 1.5× above; less when
// the result would pass maxUpscalePixels (Tesseract needs about 30 bytes
// per pixel: a 300-dpi letter page at 2× took 1 GB), never below 1.25×,
// else 1 (the reading then differs by decoder and segmentation only).
func upscaleFactor(dpi, n int) float64 {
	f := 1.5
	if dpi > 0 && dpi <= 150 {
		f = 2
	}
	if lim := math.Sqrt(maxUpscalePixels / float64(n)); f > lim {
		f = lim
	}
	if f < 1.25 {
		return 1
	}
	return f
}

// maxUpscalePixels bounds the upscaled page (20 M pixels: a letter page at
// 450 dpi is 19 M).
const maxUpscalePixels = 20 << 20

// upscale returns img in grey (composited over white), magnified by f.
func upscale(img image.Image, f float64) *image.Gray {
	b := img.Bounds()
	return resizeGray(img, int(math.Round(float64(b.Dx())*f)), int(math.Round(float64(b.Dy())*f)))
}

// resizeGray returns img in grey (composited over white), resampled to
// w×h with bilinear interpolation.
func resizeGray(img image.Image, w, h int) *image.Gray {
	b := img.Bounds()
	src, ok := img.(*image.Gray)
	if !ok {
		src = image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				src.Pix[y*src.Stride+x] = ocr.GrayOverWhite(img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
		b = src.Bounds()
	}
	sw, sh := b.Dx(), b.Dy()
	fx, fy := float64(w)/float64(sw), float64(h)/float64(sh)
	out := image.NewGray(image.Rect(0, 0, w, h))
	at := func(x, y int) int {
		x, y = min(max(x, 0), sw-1), min(max(y, 0), sh-1)
		return int(src.Pix[(b.Min.Y+y-src.Rect.Min.Y)*src.Stride+b.Min.X+x-src.Rect.Min.X])
	}
	for y := 0; y < h; y++ {
		sy := (float64(y)+0.5)/fy - 0.5
		y0 := int(math.Floor(sy))
		wy := int((sy - float64(y0)) * 256)
		for x := 0; x < w; x++ {
			sx := (float64(x)+0.5)/fx - 0.5
			x0 := int(math.Floor(sx))
			wx := int((sx - float64(x0)) * 256)
			top := at(x0, y0)*(256-wx) + at(x0+1, y0)*wx
			bot := at(x0, y0+1)*(256-wx) + at(x0+1, y0+1)*wx
			out.Pix[y*out.Stride+x] = uint8((top*(256-wy) + bot*wy + 1<<15) >> 16)
		}
	}
	return out
}

// Leaks implements redactors.LeakChecker: it reads the output data again
// (see Verification) and reports the pages on which find matches a
// reading's text, line by line or as one run of words.
func (d *Document) Leaks(data []byte, find func(text string) bool) ([]string, error) {
	rs, err := d.readAgain(context.Background(), data)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var where []string
	for _, r := range rs {
		t := r.texts()
		if find(strings.Join(t, " ")) {
			w := fmt.Sprintf("page %d (%s)", r.page, r.how)
			if !seen[w] {
				seen[w] = true
				where = append(where, w)
			}
		}
	}
	return where, nil
}

// PageCheck is what verification found on one output page.
type PageCheck struct {
	Page int
	// Readings describe each reading: how, words, mean confidence.
	Readings []ReadingStat
	// Found counts removed values read again (fuzzy, all readings).
	Found int
	// Doubtful counts low-confidence words within one line height of a
	// blanked region (not inside one: the labels are there).
	Doubtful int
	// Blanked is the number of regions the redaction blanked.
	Blanked int
}

// ReadingStat summarises one reading of a page.
type ReadingStat struct {
	How      string
	Words    int
	MeanConf float64
}

// Check is the result of VerifyOutput.
type Check struct {
	Pages []PageCheck
}

// Err returns an error wrapping redactors.ErrVerify when a removed value is
// read again on some page, or when doubtful words are next to a blanked
// region and the policy quarantines them; nil otherwise. It names pages,
// never values.
func (c *Check) Err(p LowConfPolicy) error {
	for _, pc := range c.Pages {
		if pc.Found > 0 {
			return fmt.Errorf("images: page %d: %d redacted values read again by OCR: %w", pc.Page, pc.Found, redactors.ErrVerify)
		}
		if pc.Doubtful > 0 && p == LowConfQuarantine {
			return fmt.Errorf("images: page %d: %d low-confidence words next to redacted regions: %w", pc.Page, pc.Doubtful, redactors.ErrVerify)
		}
	}
	return nil
}

// Notes describes the check per page, counts only.
func (c *Check) Notes() []string {
	var out []string
	for _, pc := range c.Pages {
		var rs []string
		for _, r := range pc.Readings {
			rs = append(rs, fmt.Sprintf("%s: %d words, mean confidence %.0f %%", r.How, r.Words, r.MeanConf))
		}
		out = append(out, fmt.Sprintf("page %d verified (%s): %d regions blanked, %d redacted values read again, %d low-confidence words next to them",
			pc.Page, strings.Join(rs, "; "), pc.Blanked, pc.Found, pc.Doubtful))
	}
	return out
}

// VerifyOutput reads data, the output Redact wrote for this document, again
// (see Verification) and looks for every removed value in each reading
// with ocr.NewWordFuzzy (misreads allowed: normalised edit distance up to
// ocr.DefaultFuzz, over whole words). Words that lie mostly inside a
// blanked region are the labels Redact drew there and are not searched.
// It also counts low-confidence words near the blanked regions, which
// Check.Err turns into a failure under LowConfQuarantine.
func (d *Document) VerifyOutput(ctx context.Context, data []byte, removed []string) (*Check, error) {
	rs, err := d.readAgain(ctx, data)
	if err != nil {
		return nil, err
	}
	fz := ocr.NewWordFuzzy(removed, 0)
	c := &Check{}
	byPage := map[int]*PageCheck{}
	for i := range d.pages {
		c.Pages = append(c.Pages, PageCheck{Page: i + 1, Blanked: len(d.pages[i].blanked)})
	}
	for i := range c.Pages {
		byPage[i+1] = &c.Pages[i]
	}
	for _, r := range rs {
		pc := byPage[r.page]
		if pc == nil {
			return nil, fmt.Errorf("images: verify: the output has more pages than the input: %w", redactors.ErrVerify)
		}
		st := ReadingStat{How: r.how, Words: len(r.words)}
		for _, w := range r.words {
			st.MeanConf += w.Conf
		}
		if st.Words > 0 {
			st.MeanConf /= float64(st.Words)
		}
		pc.Readings = append(pc.Readings, st)
		pc.Found += len(fz.Find(outsideRegions(r.words, d.pages[r.page-1].blanked)))
		pc.Doubtful += doubtfulNear(r.words, d.pages[r.page-1].blanked, d.f.o.LowConf)
	}
	return c, nil
}

// outsideRegions returns the texts of the words that lie mostly outside
// every region: the words inside are the labels drawn in the boxes.
func outsideRegions(words []ocr.Word, regs []region) []string {
	var out []string
	for _, w := range words {
		inside := 0
		for _, r := range regs {
			in := w.Box.Intersect(r.rect)
			inside += in.Dx() * in.Dy()
		}
		if inside*2 <= w.Box.Dx()*w.Box.Dy() {
			out = append(out, w.Text)
		}
	}
	return out
}

// PixelLeaks implements redactors.PixelChecker: VerifyOutput, and the
// pages on which a removed value is read again ("page 2"). Low-confidence
// words are not counted here: Redact blanks them or refuses the file, as
// the policy says.
func (d *Document) PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	c, err := d.VerifyOutput(ctx, data, removed)
	if err != nil {
		return nil, err
	}
	var where []string
	for _, pc := range c.Pages {
		if pc.Found > 0 {
			where = append(where, fmt.Sprintf("page %d", pc.Page))
		}
	}
	return where, nil
}

// doubtfulNear counts words under conf whose box lies within one line
// height of a blanked region but mostly outside all of them.
func doubtfulNear(words []ocr.Word, regs []region, conf float64) int {
	n := 0
	for _, w := range words {
		if w.Conf >= conf || len(regs) == 0 {
			continue
		}
		inside, near := 0, false
		for _, r := range regs {
			inside += w.Box.Intersect(r.rect).Dx() * w.Box.Intersect(r.rect).Dy()
			g := r.rect.Dy()
			if w.Box.Overlaps(r.rect.Inset(-g)) {
				near = true
			}
		}
		area := w.Box.Dx() * w.Box.Dy()
		if near && inside*2 < area {
			n++
		}
	}
	return n
}

// PixelLeaks reads an image file no Document of this format wrote (an
// image inside a PDF, blanked by the PDF format, which draws its labels on
// the page, not in the pixels) again as VerifyOutput does, with no region
// left out, and reports the pages on which a removed value is read.
func (f *Format) PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	return f.PixelLeaksAt(ctx, data, removed, 1)
}

// PixelLeaksAt is PixelLeaks with the magnified reading at mag× at least
// (the largest magnification a document's images were read at,
// Document.Magnified), or the file refused when it is too large for it.
func (f *Format) PixelLeaksAt(ctx context.Context, data []byte, removed []string, mag float64) ([]string, error) {
	return f.PixelLeaksWith(ctx, data, removed, Reread{Mag: mag})
}

// Reread says how verification reads an image again, beyond its two
// readings: the magnified reading at Mag× at least (Document.Magnified),
// and, with Sparse, a sparse reading at that magnification too (for an
// image whose text was read so, Document.ReadSparse).
type Reread struct {
	Mag    float64
	Sparse bool
}

// Reread returns the words of each reading verification makes of page 1
// of data (PixelLeaksWith), boxes in the page's pixels: for a redactor
// that blanks whatever those readings read of a removed value before it
// writes (redactors/pdf). The readings are cached by content, so that
// verification of an output image with the same pixels reads it once.
func (f *Format) Reread(ctx context.Context, data []byte, r Reread) ([][]ocr.Word, error) {
	dec, _, err := decodeFile(data)
	if err != nil {
		return nil, fmt.Errorf("images: read again: the image does not decode: %w", redactors.ErrInternal)
	}
	d := &Document{f: f, data: data, pages: make([]*page, len(dec))}
	for i := range dec {
		d.pages[i] = &page{bounds: dec[i].img.Bounds(), ocr: &ocr.Page{}, mag: r.Mag, sparse: r.Sparse && r.Mag > 1}
	}
	rs, err := d.readAgain(ctx, data)
	if err != nil {
		return nil, err
	}
	var out [][]ocr.Word
	for _, rd := range rs {
		if rd.page == 1 {
			out = append(out, rd.words)
		}
	}
	return out, nil
}

// PixelLeaksWith is PixelLeaks with the readings r asks for, or the file
// refused when it is too large to be magnified so.
func (f *Format) PixelLeaksWith(ctx context.Context, data []byte, removed []string, r Reread) ([]string, error) {
	dec, _, err := decodeFile(data)
	if err != nil {
		return nil, fmt.Errorf("images: verify: output does not decode: %w", redactors.ErrVerify)
	}
	d := &Document{f: f, data: data, pages: make([]*page, len(dec))}
	for i := range dec {
		d.pages[i] = &page{bounds: dec[i].img.Bounds(), ocr: &ocr.Page{}, mag: r.Mag, sparse: r.Sparse && r.Mag > 1}
	}
	return d.PixelLeaks(ctx, data, removed)
}

// Magnified returns the magnification page pg (0-based) was read at by
// OCR: 1 at its own size, more for text found only magnified
// (Format.magnified).
func (d *Document) Magnified(pg int) float64 {
	if pg < 0 || pg >= len(d.pages) {
		return 1
	}
	return max(d.pages[pg].mag, 1)
}

// ReadSparse reports whether page pg (0-based) was read by a sparse
// reading at its magnification (ReadAs): verification reads it so again.
func (d *Document) ReadSparse(pg int) bool {
	return pg >= 0 && pg < len(d.pages) && d.pages[pg].sparse
}

// ReadAs makes p the reading of page pg (0-based): a reading of the page
// magnified mag× (mag ≥ 1) whose boxes are already mapped back to the
// page's pixels, sparse when it was read in ModeSparse. The page's text,
// part and words become p's, and its kind PageText when p holds readable
// text (else it is left as it was). Redact blanks p's words, and
// verification reads the output at mag× again, sparse too when p was.
// For a caller that judged the page itself and found text only such a
// reading sees (a picture inside a PDF, redactors/pdf/pictures.go).
func (d *Document) ReadAs(pg int, p *ocr.Page, mag float64, sparse bool) {
	if pg < 0 || pg >= len(d.pages) || p == nil || p.Stats().Readable == 0 {
		return
	}
	pa := d.pages[pg]
	p.Width, p.Height = pa.bounds.Dx(), pa.bounds.Dy()
	if len(p.Languages) == 0 {
		p.Languages = pa.ocr.Languages
	}
	pa.ocr, pa.text, pa.kind = p, p.Text(), PageText
	pa.mag, pa.sparse = max(mag, 1), sparse && mag > 1
	pa.unread = ""
	d.parts[pg].Text = pa.text.String
}

// KeptWords returns the words OCR read on page pg (0-based) that touch
// no region the last Redact blanked, nor a page it wrote blank: what the
// output still shows, for a text layer over it (pdfscan's --ocr-layer).
// Boxes are in the page's pixels.
func (d *Document) KeptWords(pg int) []ocr.Word {
	if pg < 0 || pg >= len(d.pages) {
		return nil
	}
	p := d.pages[pg]
	if p.dropped || p.ocr == nil {
		return nil
	}
	var out []ocr.Word
	for _, w := range p.ocr.Words() {
		hit := false
		for _, r := range p.blanked {
			if w.Box.Overlaps(r.rect) {
				hit = true
				break
			}
		}
		if !hit && strings.TrimSpace(w.Text) != "" {
			out = append(out, w)
		}
	}
	return out
}

// Reading returns what OCR read on page pg (0-based) at Parse, nil when
// the page was not read: for a caller that judges a page itself (a
// picture inside a PDF, redactors/pdf).
func (d *Document) Reading(pg int) *ocr.Page {
	if pg < 0 || pg >= len(d.pages) {
		return nil
	}
	return d.pages[pg].ocr
}

// Upscale returns img in grey, magnified as the second reading of
// verification magnifies a page of dpi (0 = unknown) for OCR, and the
// factor; the factor is 1 (and img only turned grey) when the result
// would be too large.
func Upscale(img image.Image, dpi int) (*image.Gray, float64) {
	b := img.Bounds()
	f := upscaleFactor(dpi, b.Dx()*b.Dy())
	return upscale(img, f), f
}

// UpscaleBy returns img in grey, magnified by f (bilinear).
func UpscaleBy(img image.Image, f float64) *image.Gray { return upscale(img, f) }
