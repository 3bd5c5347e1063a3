// Package text reads and writes UTF-8 plain text and Markdown. The output is
// byte-identical to the input outside the redacted spans: line endings, a
// byte-order mark and the final newline are kept.
package text

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// Format implements redactors.Format for one family of text files.
type Format struct {
	name string
	exts []string
	// img reads the images of data: URLs (dataimg.go); nil: refused
	img *images.Format
}

var (
	_ redactors.Format            = Format{}
	_ redactors.Document          = (*Document)(nil)
	_ redactors.IndependentReader = (*Document)(nil)
	_ redactors.Noter             = (*Document)(nil)
)

// Plain handles .txt files.
func Plain() Format { return Format{name: "text", exts: []string{".txt", ".text", ".log"}} }

// Markdown handles .md files. Markdown is redacted as text: link targets,
// HTML comments and image alt text are text too, and so are searched.
func Markdown() Format { return Format{name: "markdown", exts: []string{".md", ".markdown"}} }

// Name implements redactors.Format.
func (f Format) Name() string { return f.name }

// Extensions implements redactors.Format.
func (f Format) Extensions() []string { return f.exts }

// Parse implements redactors.Format.
func (f Format) Parse(data []byte) (redactors.Document, error) {
	return f.ParseContext(context.Background(), data)
}

// ParseContext implements redactors.ContextParser: the OCR of images in
// data: URLs runs under ctx, so a file's deadline and a stop cut it short.
func (f Format) ParseContext(ctx context.Context, data []byte) (redactors.Document, error) {
	d := &Document{}
	body := data
	if bytes.HasPrefix(body, bom) {
		d.bom = true
		body = body[len(bom):]
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("%s: %w", f.name, redactors.ErrEmpty)
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, fmt.Errorf("%s: UTF-16 byte-order mark: %w", f.name, redactors.ErrEncoding)
	}
	if isBinary(body) {
		return nil, fmt.Errorf("%s: %w", f.name, redactors.ErrBinary)
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%s: %w", f.name, redactors.ErrEncoding)
	}
	d.raw = string(body)
	low := bytes.ToLower(body)
	b64 := bytes.Contains(low, []byte(";base64,"))
	if b64 && f.img != nil {
		// images in data: URLs are read as images (dataimg.go); the
		// body shows their payloads as spaces
		var wrapped bool
		if d.imgs, wrapped = findDataImages(d.raw); wrapped {
			return nil, fmt.Errorf("%s: %w", f.name, errWrapped)
		}
	}
	d.parts = []redactors.Part{{Name: "body", Text: maskPayloads(d.raw, d.imgs)}}
	d.parts = append(d.parts, d.read(f.name == "markdown")...)
	if d.mk.dataURL || b64 {
		// any other data: URL's content is not read (decoded and
		// redacted): refused, whatever its type (session "markfix")
		for _, at := range d.mk.dataAt {
			if !inImage(d.imgs, at, at) {
				return nil, fmt.Errorf("%s: %w", f.name, errDataURL)
			}
		}
	}
	// a data: URL of any type, base64 or percent-encoded ("data:image/png,
	// %89PNG…", "data:image/png; base64,…"), that is not one of the images
	// read is refused too, wherever it stands (session "sidefix37")
	if bytes.Contains(low, []byte("data:")) {
		for _, m := range dataURLRe.FindAllIndex(body, -1) {
			if !inImage(d.imgs, m[0], m[0]) {
				return nil, fmt.Errorf("%s: %w", f.name, errDataURL)
			}
		}
	}
	if b64 {
		for i := 0; ; {
			k := bytes.Index(low[i:], []byte(";base64,"))
			if k < 0 {
				break
			}
			if i += k; !inImage(d.imgs, i, i+1) {
				return nil, fmt.Errorf("%s: %w", f.name, errDataURL)
			}
			i++
		}
	}
	if len(d.imgs) > 0 {
		if err := d.readDataImages(ctx, f.img); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		return imageDocument{d}, nil
	}
	return d, nil
}

// dataURLRe is what Parse refuses as a data: URL when it is not one of
// the images read: the scheme, then a media type or none, then ";" or ","
// (the fetch standard's data: URL: white space around the media type and
// before "base64" is allowed).
var dataURLRe = regexp.MustCompile(`(?i)\bdata:[ \t]*(?:[a-z]+/[a-z0-9.+-]+[ \t]*)?[;,]`)

// read reads the body, parts[0]: a Markdown front matter (when
// markdown) and the HTML tags (markup.go). It returns the parts of their
// values, which follow the body: the front matter's, then the
// attributes'.
func (d *Document) read(markdown bool) []redactors.Part {
	body := d.parts[0].Text
	var parts []redactors.Part
	if markdown {
		parts, d.fm = frontMatterParts(body)
		_, d.fmKeys, d.fmEnd = frontMatter(body)
	}
	d.mk = scanMarkup(body, d.fmEnd)
	if len(d.imgs) > 0 {
		// an image's URL is not a text's (its payload is read as an image)
		d.mk.pieces = slices.DeleteFunc(d.mk.pieces, func(p piece) bool {
			v := d.mk.vals[p.val]
			return inImage(d.imgs, v.start, max(v.end, v.start+1))
		})
	}
	d.attr0 = 1 + len(parts)
	for k, p := range d.mk.pieces {
		parts = append(parts, redactors.Part{Name: "attribute value " + strconv.Itoa(k+1), Text: p.text, Field: p.field})
	}
	d.spk0 = 1 + len(parts)
	d.speakers = chatSpeakers(body, d.fmEnd)
	for k, s := range d.speakers {
		parts = append(parts, redactors.Part{Name: "chat speaker " + strconv.Itoa(k+1), Text: s.text, Field: "handle"})
	}
	return parts
}

// isBinary reports NUL bytes or control characters in more than 5 % of
// the first 8 KiB, the usual sign of a non-text file. The share is of a
// whole 8 KiB even when the file is shorter: a short note with a stray
// control character is text, and redacting a text (which shortens it and
// adds no control character) never makes it binary, so that its output
// always parses again.
func isBinary(b []byte) bool {
	const window = 8192
	if len(b) > window {
		b = b[:window]
	}
	ctl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1b:
			ctl++
		}
	}
	return ctl*20 > window // more than 5 %
}

// Document is a parsed text file.
type Document struct {
	bom   bool
	parts []redactors.Part
	// fm places parts[1:], the values of a Markdown front matter, in
	// the body (frontmatter.go)
	fm []fmValue
	// fmKeys are the spans of the front matter's keys, fmEnd its end
	// (0: none)
	fmKeys [][2]int
	fmEnd  int
	// mk is the HTML of the body (markup.go): parts[attr0:] are its
	// attribute values
	mk    markup
	attr0 int
	// speakers are the speaker tags of a chat log (chat.go): parts[spk0:]
	speakers []speaker
	spk0     int
	// raw is the body as read; parts[0] shows the payloads of imgs, the
	// images of data: URLs (dataimg.go), as spaces; their pages are
	// parts[img0:]
	raw  string
	imgs []dataImage
	img0 int
}

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("text: redact: %w", err)
	}
	if d.bom {
		if _, err := w.Write(bom); err != nil {
			return fmt.Errorf("text: write: %w", err)
		}
	}
	text := edits
	if len(d.imgs) > 0 {
		text = slices.DeleteFunc(slices.Clone(edits), func(e redactors.Edit) bool { return e.Part >= d.img0 })
	}
	body, err := d.bodyEdits(text)
	if err != nil {
		return fmt.Errorf("text: redact: %w", err)
	}
	if len(d.imgs) > 0 {
		for _, e := range body {
			if e.End > e.Start && inImage(d.imgs, e.Start, e.End) {
				return fmt.Errorf("text: redact: %w", errPayloadEdit)
			}
		}
		imgs, err := d.imageEdits(edits)
		if err != nil {
			return fmt.Errorf("text: redact: %w", err)
		}
		body = append(body, imgs...)
		sort.SliceStable(body, func(i, j int) bool { return body[i].Start < body[j].Start })
	}
	if _, err := io.WriteString(w, redactors.Splice(d.raw, body)); err != nil {
		return fmt.Errorf("text: write: %w", err)
	}
	return nil
}

// bodyEdits returns the edits as edits of the body: an edit of a front
// matter value moves to where the value lies. Keys and punctuation of a
// front matter are structure: an edit of the body over the front matter
// is cut to the values it overlaps, one edit for each, and to the text
// between and beside them other than keys (a comment, gapEdits); one that lies in
// a key fails (a key is not rewritten, nor left: the file is
// quarantined, ErrUninspectable), one over neither (a comment) keeps its
// bytes other than white space and punctuation, which it leaves.
// Overlapping edits become one, over both, with the replacement of the
// wider (when they are as wide, of the value's own edit before a cut one,
// else of the first); they never join two values.
func (d *Document) bodyEdits(edits []redactors.Edit) ([]redactors.Edit, error) {
	body := d.parts[0].Text
	if d.fmEnd == 0 && len(d.mk.tags) == 0 && len(d.mk.pieces) == 0 && len(d.speakers) == 0 {
		out := make([]redactors.Edit, len(edits))
		for i, e := range edits {
			out[i] = openQuote(body, e) // edits of the body only
		}
		return mergeEdits(out), nil
	}
	all := make([]redactors.Edit, 0, len(edits))
	var cut []redactors.Edit // body edits cut to values: after the values' own edits
	for _, e := range edits {
		if e.Part >= d.spk0 {
			// a speaker's edit is made wherever the speaker stands
			for _, at := range d.speakers[e.Part-d.spk0].at {
				c := e
				c.Part, c.Start, c.End = 0, at+e.Start, at+e.End
				all = append(all, c)
			}
			continue
		}
		if e.Part >= d.attr0 {
			p := &d.mk.pieces[e.Part-d.attr0]
			e.Start, e.End = p.raw(e.Start, e.End)
			e.Part = 0
			all = append(all, e)
			continue
		}
		if e.Part > 0 {
			at := d.fm[e.Part-1]
			e.Start += at.start
			e.End += at.start
			e.Part = 0
			all = append(all, e)
			continue
		}
		if e.Start >= d.fmEnd {
			var err error
			if all, err = d.mk.cutTags(body, e, all); err != nil {
				return nil, err
			}
			continue
		}
		if e.End > d.fmEnd {
			tail := e
			tail.Start = d.fmEnd
			var err error
			if all, err = d.mk.cutTags(body, tail, all); err != nil {
				return nil, err
			}
			e.End = d.fmEnd
		}
		in, at := false, e.Start
		// values and keys lie in order and apart
		first := sort.Search(len(d.fm), func(i int) bool { return d.fm[i].end > e.Start })
		for _, v := range d.fm[first:] {
			if v.start >= e.End {
				break
			}
			if e.Start < v.end {
				if v.start > at {
					cut = d.gapEdits(cut, e, at, v.start)
				}
				c := e
				c.Start, c.End = max(e.Start, v.start), min(e.End, v.end)
				cut = append(cut, c)
				in, at = true, c.End
			}
		}
		if in {
			if at < e.End {
				cut = d.gapEdits(cut, e, at, e.End)
			}
			continue
		}
		e.Start, e.End = d.trimPunct(e.Start, e.End)
		if e.Start == e.End {
			continue // white space and punctuation only
		}
		if k := sort.Search(len(d.fmKeys), func(i int) bool { return d.fmKeys[i][1] > e.Start }); k < len(d.fmKeys) && d.fmKeys[k][0] < e.End {
			return nil, errKeyEdit
		}
		all = append(all, e) // a comment
	}
	all = append(all, cut...)
	out := mergeEdits(all)
	// a replacement in an attribute value is escaped for its quoting
	for i := range out {
		if v := d.mk.valueAt(out[i].Start, out[i].End); v >= 0 {
			val := d.mk.vals[v]
			out[i].Replacement = escapeValue(out[i].Replacement, val, out[i].Start == val.start && out[i].End == val.end)
		}
	}
	return out, nil
}

// mergeEdits sorts the edits of the body and makes overlapping ones one,
// over both, with the replacement of the wider (when they are as wide,
// of the first).
func mergeEdits(all []redactors.Edit) []redactors.Edit {
	sort.SliceStable(all, func(i, j int) bool { return all[i].Start < all[j].Start })
	out := all[:0]
	for _, e := range all {
		if n := len(out); n > 0 && e.Start < out[n-1].End || n > 0 && e.Start == out[n-1].Start {
			last := &out[n-1]
			if e.End-e.Start > last.End-last.Start {
				last.Replacement = e.Replacement
			}
			last.End = max(last.End, e.End)
			continue
		}
		out = append(out, e)
	}
	return out
}

// trimPunct returns [a, b) of the body without the front matter's white
// space and punctuation at either end.
func (d *Document) trimPunct(a, b int) (int, int) {
	body := d.parts[0].Text
	for a < b && strings.IndexByte(fmPunct, body[a]) >= 0 {
		a++
	}
	for b > a && strings.IndexByte(fmPunct, body[b-1]) >= 0 {
		b--
	}
	return a, b
}

// gapEdits appends to cut the edits, with e's replacement, of [a, b): a
// stretch of the front matter between or beside the values an edit e of
// the body overlaps. The keys in it stay (structure: the detector read a
// label with its value) and so do white space and punctuation at the ends
// of what lies between them; everything else (a comment) is removed, as
// by an edit over it alone (safety review 2, finding 1: it was left).
func (d *Document) gapEdits(cut []redactors.Edit, e redactors.Edit, a, b int) []redactors.Edit {
	piece := func(s, t int) {
		if s, t = d.trimPunct(s, t); s < t {
			c := e
			c.Start, c.End = s, t
			cut = append(cut, c)
		}
	}
	k := sort.Search(len(d.fmKeys), func(i int) bool { return d.fmKeys[i][1] > a })
	for ; k < len(d.fmKeys) && d.fmKeys[k][0] < b; k++ {
		piece(a, max(a, d.fmKeys[k][0]))
		a = min(b, d.fmKeys[k][1])
	}
	piece(a, b)
	return cut
}

// errPayloadEdit: an edit of the body meets an image's data: URL.
var errPayloadEdit = fmt.Errorf("a redaction of the text falls on an image's data: URL: %w", redactors.ErrUninspectable)

// errKeyEdit: a detection lies in a key of the front matter.
var errKeyEdit = fmt.Errorf("a redaction falls on a front matter key (structure, not rewritten): %w", redactors.ErrUninspectable)

// fmPunct is the white space and punctuation of YAML and TOML.
const fmPunct = " \t\r\n:=-,[]{}\"'#|>"

// IndependentText implements redactors.IndependentReader: the bytes of
// data as UTF-8 (invalid sequences as spaces, a byte-order mark left out),
// what any program that reads the file as text sees. For a file Parse
// accepts it is the body part itself.
//
// When the text holds a "<", a second text is the values of its HTML
// attributes as golang.org/x/net/html's tokenizer reads them (a parser
// that shares nothing with markup.go's), one a line, outside the
// structural vocabulary (structuralAttrs); a URL's also percent-decoded,
// and each query parameter as "name: value" (session "sidedoor13"); and
// when it holds URLs with escapes or queries, a third is what net/url
// reads of them. A chat log's speakers are a text of "handle: <nick>"
// lines (chatHandles), so that detection reads each as the person it is.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	body := strings.ToValidUTF8(string(bytes.TrimPrefix(data, bom)), " ")
	var imgParts []redactors.Part
	if strayDataURL(body) {
		return nil, errVerifyDataURL
	}
	if strings.Contains(body, "ase64,") || strings.Contains(body, "ASE64,") {
		// an image's base64 is read as the image (its metadata here,
		// its pixels by PixelLeaks), not as words
		body, imgParts = imageReadings(body)
	}
	parts := []redactors.Part{{Name: "raw bytes", Text: body}}
	parts = append(parts, imgParts...)
	if h := chatHandles(body); h != "" {
		parts = append(parts, redactors.Part{Name: "chat speakers", Text: h})
	}
	if strings.IndexByte(body, '<') >= 0 {
		if a := htmlAttributes(body); a != "" {
			parts = append(parts, redactors.Part{Name: "html attributes", Text: a})
		}
	}
	if strings.Contains(body, "://") || strings.Contains(body, "ailto:") || strings.Contains(body, "AILTO:") || strings.Contains(body, "%") || strings.Contains(body, "](") ||
		strings.Contains(body, "ase64,") || strings.Contains(body, "ASE64,") {
		if u := textURLs(body); u != "" {
			parts = append(parts, redactors.Part{Name: "urls", Text: u})
		}
	}
	return parts, nil
}
