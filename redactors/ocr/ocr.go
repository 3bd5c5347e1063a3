// Package ocr reads text from images: words with their boxes in pixel
// coordinates, confidences, and the block/paragraph/line structure a page
// layout analysis finds, in reading order.
//
// The engine is Tesseract, run as a separate process per page (Tesseract):
// a crash or a page over its time budget fails that page, never the
// program, and every caller shares one concurrency limit. The package
// imports no detector, profile or pipeline code; formats (redactors/images,
// and later PDF and DOCX images) call it.
package ocr

import (
	"context"
	"errors"
	"image"
	"math"
	"strings"
	"time"
)

// Engine recognises the text of one image.
type Engine interface {
	// Recognize reads the text of img. Word boxes are in img's pixel
	// coordinates (img.Bounds().Min is the origin of nothing: boxes use
	// the same coordinates as img). Blocks come in reading order, and so
	// do the paragraphs of a block, the lines of a paragraph and the words
	// of a line (see Page.Text for how columns and tables are joined).
	//
	// Recognize may be called concurrently; implementations limit how many
	// pages run at once and block (respecting ctx) until one may start. A
	// page that takes longer than the engine's budget fails with
	// ErrTimeout; an engine that is not installed fails with
	// ErrUnavailable, a missing language with ErrLanguage. Errors never
	// contain recognised text.
	Recognize(ctx context.Context, img image.Image, opts Options) (*Page, error)
}

// Options tune one recognition.
type Options struct {
	// Languages are Tesseract language codes ("eng", "pol", "kor",
	// "vie"); nil means DefaultLanguages. Every language is tried on
	// every word, so each one added costs time.
	Languages []string
	// DPI is the image's resolution, 0 when unknown (the engine estimates
	// it from the size of the text).
	DPI int
	// Mode is the page segmentation: ModeAuto (layout analysis: columns,
	// blocks, tables) or ModeSparse (find as much text as possible in no
	// particular order; the second, independent reading of verify).
	Mode Mode
	// Pages is how many pages the file given to RecognizeFile holds (a
	// multi-page TIFF), when the caller knows: one process reads them
	// all, and its time budget is the engine's per-page budget times
	// Pages (at least one). Recognize ignores it.
	Pages int
}

// Mode is a page segmentation mode.
type Mode int

// Page segmentation modes (Tesseract's --psm numbers).
const (
	ModeAuto   Mode = 3
	ModeBlock  Mode = 6
	ModeSparse Mode = 11
)

// DefaultLanguages is the language set used when Options.Languages is nil.
var DefaultLanguages = []string{"eng"}

// Sentinel errors. They carry no document content.
var (
	// ErrUnavailable: the OCR engine is not installed (or not runnable).
	ErrUnavailable = errors.New("OCR engine not available")
	// ErrLanguage: a requested language's data is not installed.
	ErrLanguage = errors.New("OCR language data not installed")
	// ErrTimeout: the page took longer than its time budget.
	ErrTimeout = errors.New("OCR time budget exceeded")
	// ErrFailed: the engine ran and failed on this page (crash, bad
	// output).
	ErrFailed = errors.New("OCR failed")
)

// Page is what OCR read on one image.
type Page struct {
	// Width and Height of the image read, in pixels.
	Width, Height int
	// DPI used for recognition (the given one or the engine's estimate;
	// 0 if unknown).
	DPI int
	// Languages the page was read with.
	Languages []string
	// Blocks in reading order.
	Blocks []Block
	// Elapsed is the engine's wall time for this page.
	Elapsed time.Duration
}

// Block is a region of text (a column, a table cell, a caption).
type Block struct {
	Box   image.Rectangle
	Paras []Para
}

// Para is a paragraph of a block.
type Para struct {
	Box   image.Rectangle
	Lines []Line
}

// Line is one line of text.
type Line struct {
	Box   image.Rectangle
	Words []Word
}

// Word is one recognised word.
type Word struct {
	Text string
	Box  image.Rectangle
	// Conf is the engine's confidence, 0–100.
	Conf float64
}

// Words returns every word of the page in reading order.
func (p *Page) Words() []Word {
	var out []Word
	for _, b := range p.Blocks {
		for _, pa := range b.Paras {
			for _, l := range pa.Lines {
				out = append(out, l.Words...)
			}
		}
	}
	return out
}

// Stats summarise a page's recognition.
type Stats struct {
	Words int
	// MeanConf is the mean word confidence (0 with no words).
	MeanConf float64
	// Readable counts words with a letter or digit and a confidence of at
	// least ReadableConf: text a person would recognise too.
	Readable int
}

// ReadableConf is the confidence from which a word counts as readable text.
const ReadableConf = 50

// Stats returns the page's statistics.
func (p *Page) Stats() Stats {
	var s Stats
	sum := 0.0
	for _, w := range p.Words() {
		s.Words++
		sum += w.Conf
		if w.Conf >= ReadableConf && strings.IndexFunc(w.Text, isAlnum) >= 0 {
			s.Readable++
		}
	}
	if s.Words > 0 {
		s.MeanConf = sum / float64(s.Words)
	}
	return s
}

// CheckContext returns ctx's error mapped onto the package's sentinels.
func checkContext(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return ErrTimeout
		}
		return err
	}
	return nil
}

// Scale multiplies every box by fx across and fy down (to map boxes read on
// a resampled image back to the original pixels), rounding outwards.
func (p *Page) Scale(fx, fy float64) {
	sc := func(r image.Rectangle) image.Rectangle {
		return image.Rect(int(math.Floor(float64(r.Min.X)*fx)), int(math.Floor(float64(r.Min.Y)*fy)),
			int(math.Ceil(float64(r.Max.X)*fx)), int(math.Ceil(float64(r.Max.Y)*fy)))
	}
	for bi := range p.Blocks {
		b := &p.Blocks[bi]
		b.Box = sc(b.Box)
		for pi := range b.Paras {
			pa := &b.Paras[pi]
			pa.Box = sc(pa.Box)
			for li := range pa.Lines {
				l := &pa.Lines[li]
				l.Box = sc(l.Box)
				for wi := range l.Words {
					l.Words[wi].Box = sc(l.Words[wi].Box)
				}
			}
		}
	}
}

// FileReader is an optional interface of engines that read encoded image
// files with their own decoders: a reading that shares no decoding code
// with the caller.
type FileReader interface {
	// RecognizeFile reads every page of an encoded image (PNG, JPEG,
	// TIFF). Word boxes are in the pixels of each page as the engine
	// decoded it.
	RecognizeFile(ctx context.Context, data []byte, opts Options) ([]*Page, error)
}

var _ FileReader = (*Tesseract)(nil)
