package text

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/imagetext"
)

// Images in data: URLs (session "side37", issue 13). A text or Markdown
// file can carry an image inline: "![x](data:image/png;base64,…)" or
// "<img src="data:image/png;base64,…">". With Options.Images set, each
// such URL whose payload is standard base64 of an image redactors/images
// reads (PNG, JPEG, TIFF, GIF, BMP) goes through that format, as an image
// inside a DOCX does: read by OCR (or not, as the profile says), its
// text a part of the document ("data image 2", "data image 2, page 3"),
// its edits blanked on the pixels, written again without metadata (or
// blank, with a note, as the profile says), and the new image's base64
// put where the payload was. The payload itself is not text: the body
// part shows it as spaces, so that no detector reads base64 as words.
// Every other data: URL or base64 text still refuses the file, and so
// does an edit of the body that meets a payload.
//
// Verify reads the output's images on its own: IndependentText finds the
// data: URLs with its own expression, decodes them with encoding/base64,
// and reads each image's metadata with redactors/imagetext; PixelLeaks
// reads each output image again by OCR (images.Document.PixelLeaks); the
// output parsed again reads them by OCR as the input was.

// Options configure a text format.
type Options struct {
	// Images reads the images of data: URLs (redactors/images set up
	// for images inside documents: OCR or not, what is unread dropped or
	// refused). Nil: every data: URL refuses the file.
	Images *images.Format
}

// PlainWith is Plain with options.
func PlainWith(o Options) Format { f := Plain(); f.img = o.Images; return f }

// MarkdownWith is Markdown with options.
func MarkdownWith(o Options) Format { f := Markdown(); f.img = o.Images; return f }

// imageDocument is a Document with images in data: URLs: verify reads
// their pixels and metadata again (PixelLeaks, Leaks).
type imageDocument struct{ *Document }

var (
	_ redactors.PixelChecker = imageDocument{}
	_ redactors.LeakChecker  = imageDocument{}
)

// dataImage is an image in a data: URL of the body.
type dataImage struct {
	start, pay, end int // "data:" at start, the payload [pay, end)
	data            []byte
	doc             *images.Document
	first           int // its first part
}

// dataImageRe is what Parse reads as an image's data: URL: the media type
// image/*, parameters, ";base64," and standard base64.
var dataImageRe = regexp.MustCompile(`(?i)data:image/[a-z0-9.+-]{1,40}(?:;[a-z0-9._+-]{1,40}=[a-z0-9._+-]{1,80})*;base64,`)

// findDataImages returns the data: URLs of body whose payload decodes to
// an image that redactors/images reads, ending at a quote, a bracket, a
// blank or the end of the text.
//
// wrapped reports a payload that goes on over a line break (base64
// wrapped at 76 columns, as MIME writes it): its first line alone would
// read as a truncated image (a "corrupt" file); the caller refuses it as
// uninspectable (session "sidefix37").
func findDataImages(body string) (out []dataImage, wrapped bool) {
	for _, m := range dataImageRe.FindAllStringIndex(body, -1) {
		e := m[1]
		for e < len(body) && (isAlnum(body[e]) || body[e] == '+' || body[e] == '/') {
			e++
		}
		for k := 0; k < 2 && e < len(body) && body[e] == '='; k++ {
			e++
		}
		if e < len(body) && strings.IndexByte("\"')> \t\r\n", body[e]) < 0 {
			continue
		}
		if wrappedPayload(body, m[1], e) {
			wrapped = true
			continue
		}
		b, err := base64.StdEncoding.DecodeString(body[m[1]:e])
		if err != nil || !readableImage[imagemeta.Sniff(b)] {
			continue
		}
		out = append(out, dataImage{start: m[0], pay: m[1], end: e, data: b})
	}
	return out, wrapped
}

// wrappedPayload reports whether the payload body[pay:e] ends at a line
// break, is a whole number of base64 quanta of a line's length (48 or
// more) with no padding, and the next line starts with base64.
func wrappedPayload(body string, pay, e int) bool {
	n := e - pay
	if e >= len(body) || body[e] != '\r' && body[e] != '\n' || n < 48 || n%4 != 0 || body[e-1] == '=' {
		return false
	}
	k := e
	for k < len(body) && (body[k] == '\r' || body[k] == '\n' || body[k] == ' ' || body[k] == '\t') {
		k++
	}
	return k < len(body) && (isAlnum(body[k]) || body[k] == '+' || body[k] == '/')
}

// errWrapped: an image's base64 goes on over lines (not read).
var errWrapped = fmt.Errorf("an image's base64 in a data: URL is wrapped over lines (not read): %w", redactors.ErrUninspectable)

// readableImage are the formats redactors/images reads and writes.
var readableImage = map[imagemeta.Format]bool{imagemeta.PNG: true, imagemeta.JPEG: true, imagemeta.TIFF: true, imagemeta.GIF: true, imagemeta.BMP: true}

// maskPayloads returns body with the payloads of imgs as spaces.
func maskPayloads(body string, imgs []dataImage) string {
	if len(imgs) == 0 {
		return body
	}
	b := []byte(body)
	for _, im := range imgs {
		for i := im.pay; i < im.end; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// inImage reports whether [a, b) meets the URL of one of imgs.
func inImage(imgs []dataImage, a, b int) bool {
	for _, im := range imgs {
		if a < im.end && im.start < b || a == im.start {
			return true
		}
	}
	return false
}

// dataImageName names image k (0-based) in parts, notes and errors.
func dataImageName(k int) string { return "data image " + strconv.Itoa(k+1) }

// readDataImages reads d.imgs with f under ctx and appends their pages
// as parts.
func (d *Document) readDataImages(ctx context.Context, f *images.Format) error {
	d.img0 = len(d.parts)
	for k := range d.imgs {
		im := &d.imgs[k]
		doc, err := f.ParseContext(ctx, im.data)
		if err != nil {
			return fmt.Errorf("%s: %w", dataImageName(k), err)
		}
		im.doc = doc.(*images.Document)
		im.first = len(d.parts)
		for pg, p := range im.doc.Parts() {
			name := dataImageName(k)
			if len(im.doc.Parts()) > 1 {
				name += ", page " + strconv.Itoa(pg+1)
			}
			d.parts = append(d.parts, redactors.Part{Name: name, Text: p.Text})
		}
	}
	return nil
}

// imageEdits returns the edits of the body that write each image again
// with its own edits (of its parts, edits sorted by part).
func (d *Document) imageEdits(edits []redactors.Edit) ([]redactors.Edit, error) {
	var out []redactors.Edit
	for k, im := range d.imgs {
		own := redactors.EditsFrom(edits, im.first, len(im.doc.Parts()))
		var buf bytes.Buffer
		if err := im.doc.Redact(&buf, own); err != nil {
			return nil, fmt.Errorf("%s: %w", dataImageName(k), err)
		}
		if imagemeta.Sniff(buf.Bytes()) != imagemeta.Sniff(im.data) {
			return nil, fmt.Errorf("%s: written in another format than its media type: %w", dataImageName(k), redactors.ErrUninspectable)
		}
		out = append(out, redactors.Edit{Start: im.pay, End: im.end, Replacement: base64.StdEncoding.EncodeToString(buf.Bytes())})
	}
	return out, nil
}

// Notes implements redactors.Noter: what each image's reading and
// writing did (counts, never text).
func (d *Document) Notes() []string {
	var out []string
	for k, im := range d.imgs {
		for _, n := range im.doc.Notes() {
			if n == images.MetadataNote {
				continue
			}
			if len(im.doc.Parts()) == 1 {
				n = strings.TrimPrefix(n, "page 1: ")
			}
			out = append(out, dataImageName(k)+": "+n)
		}
	}
	if len(d.imgs) > 0 {
		out = append(out, images.MetadataNote+", from "+strconv.Itoa(len(d.imgs))+" data: image(s)")
	}
	return out
}

// verifyImageRe is verify's own expression for a data: URL of an image
// (IndependentText, PixelLeaks, Leaks): shares nothing with
// findDataImages but the idea.
// It matches the URL's head; the payload after it (base64 letters, then
// at most two "=") is read by verifyPayloadEnd, a loop, not by the
// expression: a long submatch made the regexp package switch to a slower
// matcher part-way through (TestDataImagesLinear, "one long payload").
var verifyImageRe = regexp.MustCompile(`(?i)data:image/[^;,"'()<>\s]*(?:;[^;,"'()<>\s]*)*;base64,`)

// verifyPayloadEnd returns where the base64 payload starting at i ends:
// after the letters of the standard alphabet and at most two "=".
func verifyPayloadEnd(text string, i int) int {
	for i < len(text) {
		c := text[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			break
		}
		i++
	}
	for k := 0; k < 2 && i < len(text) && text[i] == '='; k++ {
		i++
	}
	return i
}

// verifyDataRe is verify's own expression for any data: URL (a scheme
// "data:", a media type or none, then ";" or ","), written apart from
// Parse's dataURLRe.
var verifyDataRe = regexp.MustCompile(`(?i)(?:^|[^a-z0-9_])(data:)\s*(?:[^;,\s"'()<>/]+/[^;,\s"'()<>]+\s*)?[;,]`)

// errVerifyDataURL: verify found in an output a data: URL that is not an
// image it reads (its content would be written unread).
var errVerifyDataURL = fmt.Errorf("text: verify: the output holds a data: URL that is not an image read again: %w", redactors.ErrUninspectable)

// strayDataURL reports whether text holds a data: URL (verifyDataRe)
// that does not start one of the images outputImages reads.
func strayDataURL(text string) bool {
	low := strings.ToLower(text)
	if !strings.Contains(low, "data:") {
		return false
	}
	_, _, starts := outputImageSpans(text)
	ok := map[int]bool{}
	for _, s := range starts {
		ok[s] = true
	}
	for _, m := range verifyDataRe.FindAllStringSubmatchIndex(text, -1) {
		if !ok[m[2]] {
			return true
		}
	}
	return false
}

// outputImages returns the images of data: URLs of text that decode
// (base64 of the standard alphabet, padded or not; a URL-safe payload
// is no match, so its data: URL is refused as stray) to an image file, and
// the spans of their payloads.
func outputImages(text string) (imgs [][]byte, spans [][2]int) {
	imgs, spans, _ = outputImageSpans(text)
	return imgs, spans
}

// outputImageSpans is outputImages with where each image's URL starts.
func outputImageSpans(text string) (imgs [][]byte, spans [][2]int, starts []int) {
	for _, m := range verifyImageRe.FindAllStringIndex(text, -1) {
		m = append(m, m[1], verifyPayloadEnd(text, m[1]))
		p := text[m[2]:m[3]]
		b, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(p, "="))
		}
		if err != nil || !imageMagic(b) || utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 {
			continue // not an image: a text, read as the text it is
		}
		imgs = append(imgs, b)
		spans = append(spans, [2]int{m[2], m[3]})
		starts = append(starts, m[0])
	}
	return imgs, spans, starts
}

// imageMagic reports whether b starts as an image file does (PNG, JPEG,
// GIF, TIFF, BMP, WebP), by its signature.
func imageMagic(b []byte) bool {
	for _, sig := range []string{"\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "GIF87a", "GIF89a", "II*\x00", "MM\x00*", "BM"} {
		if bytes.HasPrefix(b, []byte(sig)) {
			return true
		}
	}
	return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
}

// imageReadings returns body with every image payload as spaces (base64
// is not text a reader reads) and the images' metadata texts as parts.
func imageReadings(body string) (string, []redactors.Part) {
	imgs, spans := outputImages(body)
	if len(imgs) == 0 {
		return body, nil
	}
	b := []byte(body)
	var parts []redactors.Part
	for k, im := range imgs {
		for i := spans[k][0]; i < spans[k][1]; i++ {
			b[i] = ' '
		}
		var t strings.Builder
		for _, f := range imagetext.Read(im) {
			t.WriteString(f.Text)
			t.WriteByte('\n')
		}
		if t.Len() > 0 {
			parts = append(parts, redactors.Part{Name: dataImageName(k) + " metadata", Text: strings.ToValidUTF8(t.String(), " ")})
		}
	}
	return string(b), parts
}

// PixelLeaks implements redactors.PixelChecker: each image of the output
// (found by verify's own expression, in order) is read again by OCR by
// the image it was written from (images.Document.PixelLeaks). An output
// whose images do not pair with the input's is refused.
func (d imageDocument) PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	if len(d.imgs) == 0 {
		return nil, nil
	}
	imgs, _ := outputImages(strings.ToValidUTF8(string(data), " "))
	if len(imgs) != len(d.imgs) {
		return nil, fmt.Errorf("text: verify images: %d images written, %d read: %w", len(d.imgs), len(imgs), redactors.ErrUninspectable)
	}
	if len(removed) == 0 {
		return nil, nil
	}
	var out []string
	for k, im := range d.imgs {
		where, err := im.doc.PixelLeaks(ctx, imgs[k], removed)
		if err != nil {
			return nil, fmt.Errorf("text: verify %s: %w", dataImageName(k), err)
		}
		for _, w := range where {
			out = append(out, dataImageName(k)+": "+w)
		}
	}
	return out, nil
}

// Leaks implements redactors.LeakChecker: the text with the images'
// payloads as spaces, and the metadata text of every image of the output
// (verify's own expression and redactors/imagetext).
func (d imageDocument) Leaks(data []byte, find func(text string) bool) ([]string, error) {
	text := strings.ToValidUTF8(string(bytes.TrimPrefix(data, bom)), " ")
	masked, _ := imageReadings(text)
	var where []string
	if find(masked) {
		where = append(where, "raw bytes")
	}
	imgs, _ := outputImages(text)
	for k, im := range imgs {
		var t []string
		for _, f := range imagetext.Read(im) {
			t = append(t, f.Text)
		}
		if len(t) > 0 && find(strings.Join(t, "\n")) {
			where = append(where, dataImageName(k)+" metadata")
		}
	}
	return where, nil
}
