// Package pdfscan reads and redacts scanned PDFs: files whose pages are
// images without a text layer, which redactors/pdf refuses (no_text).
//
// It wraps the PDF format. A file that format reads is its business alone;
// a file it refuses with ErrNoText, on which pdftotext finds no text at
// all, is read here: every page is rendered by poppler's pdftoppm (through
// pipes, nothing on disk) at DPI, and read by the image format
// (redactors/images: OCR, page kinds, boxes burnt into the pixels). Redact
// blanks each page's edits on its pixels and writes a new PDF of the
// redacted page images, one per page at the page's size, so that nothing
// but what could be seen survives: no text layer, metadata, annotations,
// forms, attachments, scripts or outlines. PixelLeaks renders the output
// again and reads it by OCR for the removed values; the verify step's
// second parse of the output reads it by OCR too.
//
// A file with a text layer on some pages and none on others is the PDF
// format's: under images: ocr it reads the pages without text by OCR
// (redactors/pdf, scanpages.go), else it refuses them (no_text), and the
// file is not read here. Fail closed: refused (no_text) is every scanned
// file when pdftoppm, pdftotext or OCR is missing, a page that is a picture
// without text (it can show a face, a signature), and a page the renderer
// fails on or that exceeds the image format's pixel limit.
package pdfscan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/poppler"
)

// DefaultDPI is the resolution pages are rendered at: body text of 10 pt
// and more reads as well at 200 dpi as at 300, and the page costs half
// the pixels (a letter page is 1700 × 2200), in OCR and in verification,
// which reads it again enlarged.
const DefaultDPI = 200

// DefaultMaxPages bounds the pages of a scanned file (each is rendered,
// read and encoded again).
const DefaultMaxPages = 500

// Options configure the scanned-PDF reading.
type Options struct {
	// Images reads the rendered pages; nil means images.New with the
	// defaults (a picture without text is refused).
	Images *images.Format
	// DPI of the rendering; 0 means DefaultDPI.
	DPI int
	// Pdftoppm and Pdftotext are the commands; "" looks them up on PATH.
	Pdftoppm, Pdftotext string
	// MaxPages; 0 means DefaultMaxPages.
	MaxPages int
	// Layer writes an invisible text layer of the words OCR read and
	// Redact kept over every page (--ocr-layer), so that the output is
	// searchable; without it the output holds no text at all.
	Layer bool
}

// Format implements redactors.Format for PDF: base for every file it
// reads, the scanned reading for the files it refuses for lack of text.
type Format struct {
	base redactors.Format
	o    Options
	t    *poppler.Tools
}

var (
	_ redactors.Format        = (*Format)(nil)
	_ redactors.ContextParser = (*Format)(nil)
	_ redactors.Document      = (*Document)(nil)
	_ redactors.Noter         = (*Document)(nil)
	_ redactors.Stamper       = (*Document)(nil)
	_ redactors.PixelChecker  = (*Document)(nil)
)

// New returns the format: base (redactors/pdf) with scanned files read by
// OCR.
func New(base redactors.Format, o Options) *Format {
	if o.DPI <= 0 {
		o.DPI = DefaultDPI
	}
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Images == nil {
		o.Images = images.New(images.Options{})
	}
	return &Format{base: base, o: o, t: poppler.New(o.Pdftoppm, o.Pdftotext)}
}

// Name implements redactors.Format.
func (f *Format) Name() string { return f.base.Name() }

// Extensions implements redactors.Format.
func (f *Format) Extensions() []string { return f.base.Extensions() }

// Parse implements redactors.Format.
func (f *Format) Parse(data []byte) (redactors.Document, error) {
	return f.ParseContext(context.Background(), data)
}

// ParseContext implements redactors.ContextParser.
func (f *Format) ParseContext(ctx context.Context, data []byte) (redactors.Document, error) {
	doc, err := redactors.Parse(ctx, f.base, data)
	if err == nil || !errors.Is(err, redactors.ErrNoText) {
		return doc, err
	}
	refused := strings.TrimPrefix(err.Error(), "pdf: ")
	if msg := f.t.Missing(); msg != "" {
		return nil, fmt.Errorf("pdf: %s (scanned pages are read by OCR when %s): %w", refused, msg, redactors.ErrNoText)
	}
	text, terr := f.t.Text(ctx, data)
	if terr != nil {
		return nil, fmt.Errorf("pdf: %s (and pdftotext fails on the file: %v): %w", refused, terr, redactors.ErrNoText)
	}
	if strings.TrimSpace(text) != "" {
		return nil, fmt.Errorf("pdf: %s; other pages have a text layer, so the file is not read as a scan: %w", refused, redactors.ErrNoText)
	}
	n, err := f.t.Pages(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("pdf: scanned file: %w", err)
	}
	if n > f.o.MaxPages {
		return nil, fmt.Errorf("pdf: scanned file of %d pages, over the limit of %d: %w", n, f.o.MaxPages, redactors.ErrTooLarge)
	}
	return f.read(ctx, data, n)
}

// Document is a scanned PDF read by OCR, one image document per page.
// Redact may be called more than once.
type Document struct {
	f      *Format
	pages  []*images.Document
	parts  []redactors.Part
	stamps []string
	at     string
}

// read renders and reads the n pages of data, at most as many at once as
// there are CPUs (the OCR engine has its own limit; this one bounds the
// pages held rendered).
func (f *Format) read(ctx context.Context, data []byte, n int) (*Document, error) {
	d := &Document{f: f, pages: make([]*images.Document, n)}
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			png, err := f.t.Render(ctx, data, i+1, f.o.DPI)
			if err != nil {
				errs[i] = err
				return
			}
			doc, err := redactors.Parse(ctx, f.o.Images, png)
			if err != nil {
				errs[i] = err
				return
			}
			d.pages[i] = doc.(*images.Document)
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("pdf: scanned page %d: %w", i+1, err)
		}
	}
	for i, p := range d.pages {
		for _, k := range p.Kinds() {
			if !f.o.Images.Kept(k) {
				return nil, fmt.Errorf("pdf: scanned page %d: a %s page that OCR cannot read (it can identify someone): %w", i+1, k, redactors.ErrNoText)
			}
		}
		d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("page %d", i+1), Text: p.Parts()[0].Text, Page: i + 1})
	}
	return d, nil
}

// Parts implements redactors.Document: "page N", the OCR text.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Notes implements redactors.Noter: what OCR read on each page and what
// was blanked (after Redact), and how the file is written.
func (d *Document) Notes() []string {
	var out []string
	for i, p := range d.pages {
		for _, n := range p.Notes() {
			if n == images.MetadataNote {
				continue
			}
			out = append(out, fmt.Sprintf("page %d: %s", i+1, strings.TrimPrefix(n, "page 1: ")))
		}
	}
	layer := "no text layer"
	if d.f.o.Layer {
		layer = "an invisible text layer of the words kept (--ocr-layer)"
	}
	return append(out, fmt.Sprintf("scanned file: every page rendered at %d dpi and read by OCR; written again from the redacted page images (%s; metadata, annotations, forms, attachments, scripts and outlines dropped)", d.f.o.DPI, layer))
}

// PageCount implements redactors.Stamper.
func (d *Document) PageCount() int { return len(d.pages) }

// SetStamps implements redactors.Stamper: the labels are drawn into the
// page images, so that the output stays a file of images only.
func (d *Document) SetStamps(labels []string, position string) error {
	if len(labels) != len(d.pages) {
		return fmt.Errorf("pdf: %d stamps for %d pages", len(labels), len(d.pages))
	}
	if _, ok := corners[position]; !ok && position != "" {
		return fmt.Errorf("pdf: unknown stamp position %q", position)
	}
	d.stamps, d.at = labels, position
	return nil
}

// Redact implements redactors.Document: each page's edits are blanked on
// its pixels by the image format, the stamps drawn, and the pages written
// as a new PDF.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("pdf: redact: %w", err)
	}
	pages := make([]image.Image, len(d.pages))
	var layers [][]ocr.Word
	if d.f.o.Layer {
		layers = make([][]ocr.Word, len(d.pages))
	}
	for i, p := range d.pages {
		own := append([]redactors.Edit(nil), redactors.EditsOf(edits, i)...)
		for k := range own {
			own[k].Part = 0
		}
		var buf bytes.Buffer
		if err := p.Redact(&buf, own); err != nil {
			return fmt.Errorf("pdf: scanned page %d: %w", i+1, err)
		}
		img, _, err := image.Decode(&buf)
		if err != nil {
			return fmt.Errorf("pdf: scanned page %d: the redacted image does not decode: %w", i+1, redactors.ErrInternal)
		}
		if d.stamps != nil {
			img = stamp(img, d.stamps[i], d.at, d.f.o.DPI)
		}
		pages[i] = img
		if layers != nil {
			layers[i] = p.KeptWords(0)
		}
	}
	if err := writePDF(w, pages, layers, d.f.o.DPI); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}

// PixelLeaks implements redactors.PixelChecker: every page of data (an
// output of Redact) is rendered again and read by the image format's
// PixelLeaks (new readings, apart from the boxes it drew).
func (d *Document) PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	if len(removed) == 0 {
		return nil, nil
	}
	n, err := d.f.t.Pages(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("pdf: verify: %w", err)
	}
	if n != len(d.pages) {
		return nil, fmt.Errorf("pdf: verify: the output has %d pages, the input %d: %w", n, len(d.pages), redactors.ErrVerify)
	}
	where := make([][]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, p := range d.pages {
		wg.Add(1)
		go func(i int, p *images.Document) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			png, err := d.f.t.Render(ctx, data, i+1, d.f.o.DPI)
			if err != nil {
				errs[i] = err
				return
			}
			where[i], errs[i] = p.PixelLeaks(ctx, png, removed)
		}(i, p)
	}
	wg.Wait()
	var out []string
	for i := range d.pages {
		if errs[i] != nil {
			return nil, fmt.Errorf("pdf: verify page %d: %w", i+1, errs[i])
		}
		if len(where[i]) > 0 {
			out = append(out, fmt.Sprintf("page %d", i+1))
		}
	}
	return out, nil
}

// OCRNoise returns the byte spans of the text of part i of out, the parse
// of the output the last Redact wrote, that are OCR noise around the
// boxes Redact drew on that page (images.Document.OCRNoise): what the
// verify step's re-detection does not read. nil when out is not a scanned
// PDF read here with as many pages.
func (d *Document) OCRNoise(out redactors.Document, part int) [][2]int {
	od, ok := out.(*Document)
	if !ok || len(od.pages) != len(d.pages) || part < 0 || part >= len(d.pages) {
		return nil
	}
	return d.pages[part].OCRNoise(od.pages[part], 0)
}

// OCRSource is images.Document.OCRSource for page part.
func (d *Document) OCRSource(out redactors.Document, part, start, end int) ([][2]int, bool) {
	od, ok := out.(*Document)
	if !ok || len(od.pages) != len(d.pages) || part < 0 || part >= len(d.pages) {
		return nil, false
	}
	return d.pages[part].OCRSource(od.pages[part], 0, start, end)
}

// KeptAt is images.Document.KeptAt for page part: the kept input words
// at the place of text verification re-detects on (pipeline, engine.apply).
func (d *Document) KeptAt(out redactors.Document, part, start, end int) ([][2]int, bool) {
	od, ok := out.(*Document)
	if !ok || len(od.pages) != len(d.pages) || part < 0 || part >= len(d.pages) {
		return nil, false
	}
	return d.pages[part].KeptAt(od.pages[part], 0, start, end)
}
