package pdf

import (
	"context"
	"fmt"
	"image"
	"math"
	"strings"
	"unicode"

	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
)

// Pictures (Options.Pictures). Under ImagesOCR every image of a PDF is
// one of three things:
//
//   - read: OCR reads words on it, at its resolution or magnified when
//     it reads more so (small print: images' Format.magnified); they are
//     detected and redacted on the pixels (ocrimages.go), and read again
//     at that magnification (PixelLeaks);
//   - a picture without text: it decodes, and OCR, at the image's own
//     resolution and again magnified (images.Upscale, as verification's
//     second reading), finds no word it is confident in (ocr.ReadableConf)
//     and no line of text-like marks (textLike). Under PicturesKeep it is
//     written as it is, its metadata removed (strippedImage), and the
//     notes list it by page and image ("image kept: no text found") for a
//     person to look at, as Acrobat's redaction keeps a photograph: a
//     production is not altered;
//   - unread: it does not decode, OCR failed or ran over its budget, or
//     OCR reads text-like marks it is not confident in (handwriting, a
//     stamp, a signature with a printed name, faint or small print): it
//     follows Options.Unread, and a quarantine names the page, the image
//     and why.
//
// Under PicturesUnread (the default) a picture is unread, as before.

// PicturePolicy says what happens to a picture without text under
// ImagesOCR.
type PicturePolicy int

const (
	// PicturesUnread treats a picture as an unread image (Options.Unread).
	PicturesUnread PicturePolicy = iota
	// PicturesKeep writes a picture as it is, without its metadata, with
	// a note naming its page and image.
	PicturesKeep
)

// Text-like marks (textLike). OCR run over a photograph or a drawing
// reads a few marks as words, mostly one- and two-character strings of
// punctuation and stray letters at low confidence; over handwriting, a
// stamp or print too small or faint to read it reads lines of letter
// strings at low confidence. A line is text-like when it holds at least
// textLikeWords words of textLikeLetters letters or digits or more, at a
// confidence of textLikeConf or more; or any one word of textLikeLong
// letters or digits at that confidence.
const (
	textLikeWords   = 2
	textLikeLetters = 3
	textLikeLong    = 5
	textLikeConf    = 20
)

// textLike reports whether OCR's reading p holds a line of text-like
// marks (see the constants above), and how many such lines it holds.
func textLike(p *ocr.Page) int {
	if p == nil {
		return 0
	}
	n := 0
	for _, b := range p.Blocks {
		for _, pa := range b.Paras {
			for _, l := range pa.Lines {
				words, long := 0, false
				for _, w := range l.Words {
					if w.Conf < textLikeConf {
						continue
					}
					k := 0
					for _, r := range w.Text {
						if unicode.IsLetter(r) || unicode.IsDigit(r) {
							k++
						}
					}
					if k >= textLikeLetters {
						words++
					}
					if k >= textLikeLong {
						long = true
					}
				}
				if words >= textLikeWords || long {
					n++
				}
			}
		}
	}
	return n
}

// pictureCheck decides about an image of kind PagePicture or PageBlank
// read as doc (nil for an image too small to read at its size), whose
// grey pixels are g at dpi (0 = unknown): "" when it is a picture without
// text (kept under PicturesKeep) or a blank image (kept), else why it is
// unread. The second reading is
// magnified and sparse (ocr.ModeSparse: as much text as possible, in no
// order), which finds words the first reading's layout analysis passes
// over: a signature, a stamp turned on the page.
//
// Text found only magnified: when that second reading of an image read
// at its size (doc not nil) holds readable words, the image is text, not
// a picture: read is that reading, its boxes mapped back to the image's
// pixels, at magnification f, for the caller to make the image's reading
// (images.Document.ReadAs) so that its text is detected and redacted like
// any image's, and verification reads the output again at f×, sparse too
// (images.Reread). So is an image too small to read at its size (doc
// nil): the caller makes a document for it (ocrimages.go, tinyRead), and
// verification, which passes over images that small, reads it magnified
// as it was read here.
func (d *Document) pictureCheck(ctx context.Context, doc *images.Document, g *image.Gray, dpi int) (why string, read *ocr.Page, f float64) {
	var up *image.Gray
	f = 1.0
	blank := doc != nil && doc.Kinds()[0] == images.PageBlank
	if doc != nil {
		if n := textLike(doc.Reading(0)); n > 0 {
			return fmt.Sprintf("OCR reads %s of text-like marks it is not confident in (handwriting, a stamp, small or faint print?)", lineCount(n)), nil, 1
		}
		up, f = images.Upscale(g, dpi)
		if f == 1 && blank {
			return "", nil, 1 // as before: a blank image too large to read again is kept
		}
		if f == 1 {
			return "a picture on which OCR reads no text, too large to read again magnified", nil, 1
		}
	} else {
		// Too small for OCR at its size: read once, magnified until its
		// shorter side has tinyReadSide pixels (at most tinyMaxFactor×).
		b := g.Bounds()
		f = min(tinyMaxFactor, math.Ceil(tinyReadSide/float64(max(1, min(b.Dx(), b.Dy())))))
		up = images.UpscaleBy(g, f)
	}
	eng := d.opts.OCR.Engine
	if eng == nil {
		eng = ocr.Default()
	}
	p, err := eng.Recognize(ctx, up, ocr.Options{Languages: d.opts.OCR.Languages, DPI: int(math.Round(float64(dpi) * f)), Mode: ocr.ModeSparse})
	if err != nil {
		return "a picture on which OCR reads no text; not read again magnified (" + strings.TrimPrefix(err.Error(), "ocr: ") + ")", nil, 1
	}
	if p.Stats().Readable > 0 {
		p.Scale(1/f, 1/f)
		return "", p, f
	}
	if n := textLike(p); n > 0 {
		return fmt.Sprintf("OCR reads %s of text-like marks it is not confident in, magnified %.2g× (handwriting, a stamp, small or faint print?)", lineCount(n), f), nil, 1
	}
	return "", nil, 1
}

// A picture too small for OCR at its size (minOCRSide, minOCRPixels) is
// read magnified until its shorter side has tinyReadSide pixels, by at
// most tinyMaxFactor.
const (
	tinyReadSide  = 48
	tinyMaxFactor = 8
)

// lineCount says "1 line" or "n lines".
func lineCount(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}

// imageOCRPages is how many OCR pages the images of a document of n pages
// may add to its file's time budget (ocr.WithPageCap): each page read
// twice (at its resolution, then magnified), however many images it is
// drawn with. Past that the readings go on within the budget the file
// has, and a file over it is too_slow instead of holding the run.
func imageOCRPages(n int) int { return 2 * max(n, 1) }
