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
// nothing. Verification reads the output again independently (Leaks,
// VerifyOutput).
package images

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/veilhq/veil/redactors"
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
	_ redactors.Format      = (*Format)(nil)
	_ redactors.Document    = (*Document)(nil)
	_ redactors.Noter       = (*Document)(nil)
	_ redactors.LeakChecker = (*Document)(nil)
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

// page is one decoded and recognised page.
type page struct {
	decoded
	ocr  *ocr.Page
	text ocr.Text
	// ink is the share of dark pixels (a blank page has almost none).
	ink float64
	// set by Redact
	blanked []region
	lowConf int // doubtful neighbours blanked, quarantined or counted
}

// Document is a parsed image file.
type Document struct {
	f     *Format
	info  fileInfo
	pages []*page
	parts []redactors.Part
	notes []string // from encoding

	mu       sync.Mutex
	readings map[[32]byte][]reading // verify readings by output hash
}

// Parse implements redactors.Format: it decodes every page and reads it
// with OCR, all pages at once within the engine's limit.
func (f *Format) Parse(data []byte) (redactors.Document, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("images: %w", redactors.ErrEmpty)
	}
	dec, info, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	d := &Document{f: f, info: info}
	d.pages = make([]*page, len(dec))
	errs := make([]error, len(dec))
	var wg sync.WaitGroup
	for i := range dec {
		d.pages[i] = &page{decoded: dec[i]}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = f.recognize(context.Background(), d.pages[i])
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

// recognize reads one page. A page whose pixels are not square (a fax at
// 200×100 dpi) is stretched to square pixels for OCR and the boxes are
// mapped back.
func (f *Format) recognize(ctx context.Context, p *page) error {
	img, fx, fy, dpi := squarePixels(p.img, p.xdpi, p.ydpi)
	pg, err := f.engine().Recognize(ctx, img, ocr.Options{Languages: f.o.Languages, DPI: dpi})
	if err != nil {
		return err
	}
	if fx != 1 || fy != 1 {
		pg.Scale(fx, fy)
		pg.Width, pg.Height = p.img.Bounds().Dx(), p.img.Bounds().Dy()
	}
	p.ocr, p.text = pg, pg.Text()
	p.ink = inkShare(p.img)
	return nil
}

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("images: redact: %w", err)
	}
	for i, p := range d.pages {
		if !p.hasText() && !p.blank() && d.f.o.NoText == NoTextQuarantine {
			st := p.ocr.Stats()
			return fmt.Errorf("images: page %d: no readable text found by OCR (%d words, mean confidence %.0f %%); a picture without text can still identify someone: %w",
				i+1, st.Words, st.MeanConf, redactors.ErrNoText)
		}
	}
	out := make([]outPage, len(d.pages))
	for i, p := range d.pages {
		regs, doubtful := d.regions(p, redactors.EditsOf(edits, i))
		if doubtful > 0 && d.f.o.LowConfPolicy == LowConfQuarantine {
			return fmt.Errorf("images: page %d: %d low-confidence words next to redacted values: %w", i+1, doubtful, redactors.ErrUninspectable)
		}
		p.blanked, p.lowConf = regs, doubtful
		img := p.img
		if len(regs) > 0 {
			e := editable(p.img)
			for _, r := range regs {
				paint(e, r, !d.f.o.NoLabels)
			}
			img = e
		}
		out[i] = outPage{img: img, decoded: p.decoded}
	}
	notes, err := encodeFile(w, out, d.info)
	if err != nil {
		return err
	}
	d.notes = notes
	return nil
}

// hasText reports whether OCR found readable text on the page.
func (p *page) hasText() bool { return p.ocr.Stats().Readable > 0 }

// blank reports an empty page (a blank back of a sheet): almost no ink.
func (p *page) blank() bool { return p.ink < 0.001 }

// Notes implements redactors.Noter: per page what OCR read and what was
// blanked. Counts only, never text.
func (d *Document) Notes() []string {
	var out []string
	for i, p := range d.pages {
		st := p.ocr.Stats()
		n := fmt.Sprintf("page %d: OCR (%s) read %d words, mean confidence %.0f %%", i+1, joinLangs(p.ocr.Languages), st.Words, st.MeanConf)
		switch {
		case !p.hasText() && p.blank():
			n += "; blank page"
		case !p.hasText():
			n += "; no readable text found by OCR: written without change but for metadata (images: keep)"
		}
		if len(p.blanked) > 0 {
			n += fmt.Sprintf("; %d regions blanked", len(p.blanked))
		}
		if p.lowConf > 0 {
			switch d.f.o.LowConfPolicy {
			case LowConfReport:
				n += fmt.Sprintf("; %d low-confidence words next to redacted values kept", p.lowConf)
			default:
				n += fmt.Sprintf(" (with %d low-confidence words next to them)", p.lowConf)
			}
		}
		out = append(out, n)
	}
	out = append(out, d.notes...)
	out = append(out, "image metadata removed (EXIF, XMP, IPTC, ICC profile, comments, text chunks, non-baseline tags): only pixels and resolution are written")
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
