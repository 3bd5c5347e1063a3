// Package images reads and redacts image files, PNG, JPEG, TIFF
// (multi-page), GIF (one frame) and BMP, through OCR (redactors/ocr).
//
// Parse decodes every page, reads its text with the OCR engine and gives one
// Part per page, the words in reading order. Redact blanks each edited
// span's words on the pixels, with a margin for the error of OCR boxes, in
// opaque black boxes labelled with the replacement where it fits, and
// writes the same format again: PNG losslessly, JPEG at the quality the
// original was saved with (estimated from its quantisation tables), TIFF
// page by page with the same compression where Veil can write it. Only
// pixels and resolution are written; every metadata chunk, segment and
// tag of the input is dropped.
//
// Fail closed: an image that does not decode is corrupt; without the OCR
// engine every image is quarantined (no_text); a page on which OCR finds no
// readable text is quarantined by default (Options.NoText), because a
// picture without text can still identify someone (a face, handwriting, a
// signature: HIPAA 164.514(b)(2)(i)(Q)), and OCR reading nothing proves
// nothing. For images inside documents (DOCX, email), NoTextDrop writes
// such a page, and a page that could not be read, blank instead, and
// KeepPlain keeps pages that can show nothing (Kinds). Verification reads
// the output again independently (Leaks, VerifyOutput, PixelLeaks).
package images

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"sort"
	"sync"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta"
	"github.com/veilhq/veil/redactors/ocr"
)

// NoTextPolicy says what happens to a page on which OCR reads no text.
type NoTextPolicy int

const (
	// NoTextQuarantine fails the file with no_text (the default): a page
	// that shows something OCR cannot read may identify a person.
	NoTextQuarantine NoTextPolicy = iota
	// NoTextKeep writes such a page unchanged but for its metadata, with a
	// note; for users who know their images hold no people.
	NoTextKeep
	// NoTextDrop writes such a page blank (white, same size and format),
	// with a note, and so it does a page that could not be read (OCR not
	// installed, failed, over its budget, or Options.NoOCR): for images
	// inside a document, which keeps its layout and loses the picture.
	NoTextDrop
)

// PageKind is what Parse made of a page (Document.Kinds).
type PageKind int

const (
	// PageText: OCR read text (a letter or digit at confidence
	// ocr.ReadableConf or more).
	PageText PageKind = iota
	// PageBlank: no readable text and almost nothing on it: under 0.1 %
	// dark pixels and little variation (the back of a scanned sheet, a
	// blank image Veil wrote).
	PageBlank
	// PagePlain: no readable text, and nothing drawn that could show a
	// person or writing: one flat colour (every channel's standard
	// deviation at most plainSpread grey levels), or a line at most
	// plainThin pixels thick. Kept only with Options.KeepPlain.
	PagePlain
	// PagePicture: no readable text, and anything else: a photograph,
	// a logo OCR cannot read, a drawing, a signature, handwriting.
	PagePicture
	// PageUnread: not read (NoTextDrop only; else Parse fails): OCR not
	// installed, failed or over its budget, or Options.NoOCR.
	PageUnread
)

func (k PageKind) String() string {
	return [...]string{"text", "blank", "plain", "picture", "unread"}[k]
}

// Thresholds of PageBlank and PagePlain. A small picture is not plain:
// people recognise familiar faces in images of 16×16 pixels and less, so
// an icon-sized photograph can identify as well as a large one.
const (
	blankInk    = 0.001 // share of pixels darker than mid-grey
	blankSpread = 16    // grey levels
	plainSpread = 6     // grey levels, every channel
	plainThin   = 4     // pixels
)

// LowConfPolicy says what happens to words OCR is unsure of (below
// Options.LowConf) that stand right next to a redacted value on its line:
// often the rest of the value (a smudged digit, a handwritten addition, a
// stamp).
type LowConfPolicy int

const (
	// LowConfBlank blanks them with the value (the default).
	LowConfBlank LowConfPolicy = iota
	// LowConfQuarantine fails the file (uninspectable) instead.
	LowConfQuarantine
	// LowConfReport only counts them in the notes.
	LowConfReport
)

// Options configure the image format.
type Options struct {
	// Engine reads text; nil means ocr.Default() (Tesseract, shared).
	Engine ocr.Engine
	// Languages for OCR (--ocr-languages); nil means ocr.DefaultLanguages.
	Languages []string
	// Margin is added around every blanked word, as a share of its line's
	// height, for the error of OCR boxes; 0 means DefaultMargin.
	Margin float64
	// NoLabels draws bare boxes, without the replacement text.
	NoLabels bool
	// NoText is the policy for pages without readable text.
	NoText NoTextPolicy
	// LowConf is the confidence (0–100) under which a word next to a
	// redacted value is doubtful; 0 means DefaultLowConf.
	LowConf float64
	// LowConfPolicy is what happens to such words.
	LowConfPolicy LowConfPolicy
	// KeepPlain keeps pages of kind PagePlain (metadata removed, with a
	// note) whatever NoText says: for images inside documents, where
	// rules, fills and spacers are common and show nobody.
	KeepPlain bool
	// NoOCR reads no page: every page is PageUnread, so that NoTextDrop
	// writes it blank; with another NoText policy Parse fails (no_text).
	// For a profile that drops or quarantines images unread.
	NoOCR bool
	// KeepEncoding writes a one-page PNG, JPEG or GIF that Redact leaves
	// as it is (no box, not blanked, upright, not an animated PNG) as it
	// was, its metadata removed by imagemeta.Strip, instead of encoding
	// its pixels again: a photograph or a logo inside a document is not
	// compressed a second time.
	KeepEncoding bool
}

// Defaults.
const (
	// DefaultMargin: 15 % of the line height on every side. Tesseract's
	// word boxes are tight on the ink of the glyphs it recognised; on
	// skewed or noisy scans they can miss a serif, a descender or a
	// faint last character by a few pixels.
	DefaultMargin = 0.15
	// DefaultLowConf: Tesseract gives clean print 90–97 and misreads
	// mostly under 60.
	DefaultLowConf = 60
)

// Format implements redactors.Format for PNG, JPEG, TIFF, GIF and BMP files. The
// file's content decides the format (a PNG named .jpg is read and written
// as PNG).
type Format struct {
	o Options
}

var (
	_ redactors.Format       = (*Format)(nil)
	_ redactors.Document     = (*Document)(nil)
	_ redactors.Noter        = (*Document)(nil)
	_ redactors.LeakChecker  = (*Document)(nil)
	_ redactors.PixelChecker = (*Document)(nil)
)

// New returns the image format.
func New(o Options) *Format {
	if o.Margin <= 0 {
		o.Margin = DefaultMargin
	}
	if o.LowConf <= 0 {
		o.LowConf = DefaultLowConf
	}
	if len(o.Languages) == 0 {
		o.Languages = ocr.DefaultLanguages
	}
	return &Format{o: o}
}

func (f *Format) engine() ocr.Engine {
	if f.o.Engine != nil {
		return f.o.Engine
	}
	return ocr.Default()
}

// Name implements redactors.Format.
func (f *Format) Name() string { return "image" }

// Extensions implements redactors.Format.
func (f *Format) Extensions() []string {
	return []string{".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp"}
}

// page is one decoded and recognised page. Its pixels are not kept after
// Parse (decoded.img is nil then): a document can hold many large images
// between Parse and Redact, which decodes the file again.
type page struct {
	decoded
	bounds image.Rectangle
	ocr    *ocr.Page
	text   ocr.Text
	kind   PageKind
	unread string // why a PageUnread page was not read (no document text)
	// mag is the magnification the page was read at (1 or 0: its own
	// size; see Format.magnified).
	mag float64
	// sparse: the page's reading is a sparse one at mag (ReadAs), which
	// verification reads again at that magnification too.
	sparse bool
	// set by Redact
	blanked []region
	dropped bool // written blank (NoTextDrop)
	lowConf int  // doubtful neighbours blanked, quarantined or counted
}

// Document is a parsed image file.
type Document struct {
	f     *Format
	data  []byte // the file, decoded again by Redact
	info  fileInfo
	pages []*page
	parts []redactors.Part
	notes []string // from encoding
}

// Parse implements redactors.Format: it decodes every page and reads it
// with OCR, all pages at once within the engine's limit.
func (f *Format) Parse(data []byte) (redactors.Document, error) {
	return f.ParseContext(context.Background(), data)
}

// ParseContext implements redactors.ContextParser: the OCR processes run
// under ctx and are stopped when it is done.
func (f *Format) ParseContext(ctx context.Context, data []byte) (redactors.Document, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("images: %w", redactors.ErrEmpty)
	}
	dec, info, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	if f.o.NoOCR && f.o.NoText != NoTextDrop {
		return nil, fmt.Errorf("images: not read (the profile does not OCR images) and the policy quarantines them: %w", redactors.ErrNoText)
	}
	d := &Document{f: f, info: info, data: data}
	d.pages = make([]*page, len(dec))
	errs := make([]error, len(dec))
	var wg sync.WaitGroup
	for i := range dec {
		d.pages[i] = &page{decoded: dec[i], bounds: dec[i].img.Bounds()}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p := d.pages[i]
			errs[i] = f.recognize(ctx, p)
			p.img = nil // decoded again by Redact
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, pageErr(i+1, len(dec), err)
		}
	}
	for i, p := range d.pages {
		d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("page %d", i+1), Text: p.text.String, Page: i + 1})
	}
	return d, nil
}

// pageErr maps an OCR error onto the reasons of redactors.
func pageErr(n, of int, err error) error {
	where := "images"
	if of > 1 {
		where = fmt.Sprintf("images: page %d", n)
	}
	if isAny(err, ocr.ErrUnavailable, ocr.ErrLanguage) {
		return fmt.Errorf("%s: %v: %w", where, err, redactors.ErrNoText)
	}
	// A crash, bad output or the page's time budget: the page was not
	// read, so nothing on it can be trusted to be redacted.
	return fmt.Errorf("%s: %v: %w", where, err, redactors.ErrUninspectable)
}

// recognize reads one page and sets its kind. A page whose pixels are not
// square (a fax at 200×100 dpi) is stretched to square pixels for OCR and
// the boxes are mapped back. Under NoTextDrop a page that cannot be read
// is PageUnread, not an error: it will be written blank.
func (f *Format) recognize(ctx context.Context, p *page) error {
	w, h := p.bounds.Dx(), p.bounds.Dy()
	p.ocr = &ocr.Page{Width: w, Height: h, Languages: f.o.Languages}
	if f.o.NoOCR {
		p.kind, p.unread = PageUnread, "not read (the profile does not OCR images)"
		return nil
	}
	img, fx, fy, dpi := squarePixels(p.img, p.xdpi, p.ydpi)
	pg, err := f.engine().Recognize(ctx, img, ocr.Options{Languages: f.o.Languages, DPI: dpi})
	if err != nil {
		if f.o.NoText != NoTextDrop {
			return err
		}
		p.kind, p.unread = PageUnread, "not read ("+err.Error()+")"
		return nil
	}
	if fx != 1 || fy != 1 {
		pg.Scale(fx, fy)
		pg.Width, pg.Height = w, h
	}
	p.ocr, p.text = pg, pg.Text()
	p.kind = classify(p.img, pg.Stats().Readable > 0)
	if p.kind == PagePicture || p.kind == PageBlank {
		return f.magnified(ctx, p, img, fx, fy, dpi, 0)
	}
	return nil
}

// Text found only magnified. Print too small for OCR at the image's
// resolution (a footnote on a scan at 100 dpi, a form's fine print, a
// screenshot shrunk into a document) reads as nothing, or as marks, at
// its size, and as text once magnified: verification's second reading
// (readAgain) would then read it on the output although analysis never
// saw it. A page on which OCR reads no readable text at its size, and
// which is not plain, is read again magnified by upscaleFactor (as
// verification magnifies it), with the full layout analysis; when that reading finds
// more readable words than readable (the first reading's count) the page
// is read magnified: its words' boxes are mapped back to the image's
// pixels, where Redact blanks them, and verification reads the output at
// that magnification again (page.mag: readAgain reads it at no less). A
// page too large to magnify stays as it was read. An OCR failure of the
// magnified reading fails the page as the first reading's would.
//
// Not yet: a page OCR reads in part at its size (a heading read, the
// small print under it not at all) is not read again. Reading such pages
// again too (a quarter of their words unreadable, or a quarter of their
// ink away from every word read) refused 3 of the 12 held-out scans in
// verify, not yet understood.
func (f *Format) magnified(ctx context.Context, p *page, img image.Image, fx, fy float64, dpi, readable int) error {
	b := img.Bounds()
	k := upscaleFactor(dpi, b.Dx()*b.Dy())
	if k == 1 {
		return nil
	}
	mdpi := 0
	if dpi > 0 {
		mdpi = int(math.Round(float64(dpi) * k))
	}
	pg, err := f.engine().Recognize(ctx, upscale(img, k), ocr.Options{Languages: f.o.Languages, DPI: mdpi})
	if err != nil {
		if f.o.NoText != NoTextDrop {
			return err
		}
		p.kind, p.unread = PageUnread, "not read magnified ("+err.Error()+")"
		return nil
	}
	if pg.Stats().Readable <= readable {
		return nil
	}
	pg.Scale(fx/k, fy/k)
	pg.Width, pg.Height = p.bounds.Dx(), p.bounds.Dy()
	p.ocr, p.text, p.kind, p.mag = pg, pg.Text(), PageText, k
	return nil
}

// classify tells a page's kind from its pixels once OCR has read it.
func classify(img image.Image, text bool) PageKind {
	if text {
		return PageText
	}
	b := img.Bounds()
	ink, spread := measure(img)
	switch {
	case ink < blankInk && spread <= blankSpread:
		return PageBlank
	case spread <= plainSpread, min(b.Dx(), b.Dy()) <= plainThin:
		return PagePlain
	}
	return PagePicture
}

// Kinds returns what Parse made of each page, in page order.
func (d *Document) Kinds() []PageKind {
	out := make([]PageKind, len(d.pages))
	for i, p := range d.pages {
		out[i] = p.kind
	}
	return out
}

// Kept reports whether the format writes a page of kind k as it is
// (Options.Kept).
func (f *Format) Kept(k PageKind) bool { return f.o.Kept(k) }

// Kept reports whether these options write a page of kind k as it is
// (but for its metadata, and the boxes of its edits); otherwise it is
// written blank (NoTextDrop) or the file is refused.
func (o Options) Kept(k PageKind) bool {
	switch k {
	case PageText, PageBlank:
		return true
	case PagePlain:
		return o.KeepPlain || o.NoText == NoTextKeep
	case PagePicture:
		return o.NoText == NoTextKeep
	}
	return false
}

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("images: redact: %w", err)
	}
	o := d.f.o
	for i, p := range d.pages {
		if o.Kept(p.kind) || o.NoText == NoTextDrop {
			continue
		}
		if p.kind == PageUnread {
			return fmt.Errorf("images: page %d: %s: %w", i+1, p.unread, redactors.ErrNoText)
		}
		st := p.ocr.Stats()
		return fmt.Errorf("images: page %d: no readable text found by OCR (%d words, mean confidence %.0f %%); a picture without text can still identify someone: %w",
			i+1, st.Words, st.MeanConf, redactors.ErrNoText)
	}
	dec, _, err := decodeFile(d.data)
	if err != nil || len(dec) != len(d.pages) {
		return fmt.Errorf("images: redact: the file does not decode again: %w", redactors.ErrInternal)
	}
	out := make([]outPage, len(d.pages))
	for i, p := range d.pages {
		p.blanked, p.lowConf, p.dropped = nil, 0, false
		img := dec[i].img
		if !o.Kept(p.kind) { // NoTextDrop
			p.dropped = true
			out[i] = outPage{img: whitePage(img), decoded: dec[i]}
			continue
		}
		regs, doubtful := d.regions(p, redactors.EditsOf(edits, i))
		if doubtful > 0 && o.LowConfPolicy == LowConfQuarantine {
			return fmt.Errorf("images: page %d: %d low-confidence words next to redacted values: %w", i+1, doubtful, redactors.ErrUninspectable)
		}
		p.blanked, p.lowConf = regs, doubtful
		if len(regs) > 0 {
			e := editable(img)
			for _, r := range regs {
				paint(e, r, !o.NoLabels)
			}
			img = e
		}
		out[i] = outPage{img: img, decoded: dec[i]}
	}
	if o.KeepEncoding && d.unchanged() {
		if data, _, err := imagemeta.Strip(d.data); err == nil {
			d.notes = []string{"written with its own image data (not compressed again)"}
			_, err := w.Write(data)
			return err
		}
	}
	notes, err := encodeFile(w, out, d.info)
	if err != nil {
		return err
	}
	d.notes = notes
	return nil
}

// unchanged reports whether the last Redact left the file's one page as
// it was, in a format whose image data imagemeta.Strip copies: a PNG that
// is not animated, a JPEG, a one-frame GIF, upright.
func (d *Document) unchanged() bool {
	if len(d.pages) != 1 || d.info.orientation > 1 {
		return false
	}
	p := d.pages[0]
	if p.dropped || len(p.blanked) > 0 {
		return false
	}
	switch d.info.kind {
	case kindJPEG, kindGIF:
		return true
	case kindPNG:
		return !pngAnimated(d.data)
	}
	return false
}

// whitePage returns a white page of img's size in a colour model every
// encoder writes: a black-and-white palette for palette pages (1-bit
// pages stay 1-bit), else grey.
func whitePage(img image.Image) image.Image {
	b := img.Bounds()
	r := image.Rect(0, 0, b.Dx(), b.Dy())
	if _, ok := img.(*image.Paletted); ok {
		out := image.NewPaletted(r, color.Palette{color.Black, color.White})
		for i := range out.Pix {
			out.Pix[i] = 1
		}
		return out
	}
	g := image.NewGray(r)
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	return g
}

// MetadataNote is the last note of every image: what its encoding keeps.
const MetadataNote = "image metadata removed (EXIF, XMP, IPTC, ICC profile, comments, text chunks, non-baseline tags)"

// Notes implements redactors.Noter: per page what OCR read, what the page
// was taken for and what was done with it, then the encoder's notes and
// MetadataNote. Counts only, never text.
func (d *Document) Notes() []string {
	var out []string
	o := d.f.o
	for i, p := range d.pages {
		st := p.ocr.Stats()
		n := fmt.Sprintf("page %d: OCR (%s) read %d words, mean confidence %.0f %%", i+1, joinLangs(p.ocr.Languages), st.Words, st.MeanConf)
		if p.mag > 1 {
			n += fmt.Sprintf(", magnified %.2g× (it reads more there than at the image's size)", p.mag)
		}
		switch p.kind {
		case PageBlank:
			n += "; blank page"
		case PagePlain:
			n += "; no readable text, one flat colour or a thin line (it shows no one)"
		case PagePicture:
			n += "; no readable text found by OCR (a picture can still identify someone)"
		case PageUnread:
			n = fmt.Sprintf("page %d: %s", i+1, p.unread)
		}
		switch {
		case p.kind != PageText && p.kind != PageBlank && o.Kept(p.kind):
			n += ": written without change but for metadata"
		case !o.Kept(p.kind) && o.NoText == NoTextDrop:
			n += ": written blank (white, same size)"
		}
		if len(p.blanked) > 0 {
			n += fmt.Sprintf("; %d regions blanked", len(p.blanked))
		}
		if p.lowConf > 0 {
			switch o.LowConfPolicy {
			case LowConfReport:
				n += fmt.Sprintf("; %d low-confidence words next to redacted values kept", p.lowConf)
			default:
				n += fmt.Sprintf(" (with %d low-confidence words next to them)", p.lowConf)
			}
		}
		out = append(out, n)
	}
	out = append(out, d.notes...)
	out = append(out, MetadataNote)
	return out
}

func joinLangs(l []string) string {
	s := ""
	for i, x := range l {
		if i > 0 {
			s += "+"
		}
		s += x
	}
	return s
}

func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// sortRegions orders regions top to bottom, left to right.
func sortRegions(r []region) {
	sort.Slice(r, func(i, j int) bool {
		if r[i].rect.Min.Y != r[j].rect.Min.Y {
			return r[i].rect.Min.Y < r[j].rect.Min.Y
		}
		return r[i].rect.Min.X < r[j].rect.Min.X
	})
}
