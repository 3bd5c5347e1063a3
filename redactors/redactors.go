// Package redactors defines how Veil reads and rewrites file formats. Each
// format lives in its own package (redactors/text, redactors/docx,
// redactors/pdf) and implements Format; the pipeline only sees this contract.
//
// A Format turns bytes into a Document whose Parts are every piece of text a
// reader can see or recover (body, headers, comments, metadata…). The
// pipeline detects on the parts and hands back Edits; the Document writes a
// new file with the edits applied and everything else preserved. Redactors
// never see storage, detectors or profiles.
package redactors

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// Part is one piece of text of a document.
type Part struct {
	// Name locates the part in the file ("body", "word/footer1.xml",
	// "page 3"). It is structural and never contains document text.
	Name string
	// Text is the part's text, valid UTF-8.
	Text string
	// Page is the 1-based page for paged formats, 0 otherwise.
	Page int
	// Field, when not empty, is the label that the layout of the file
	// gives this part's text: the header of the table column or the
	// label of the form field it is the value of ("SSN", "Date of
	// birth", "Account No."). It is document text, used as context by
	// detection (a column headed "DOB" makes its values birth dates); it
	// must never be logged or reported. Formats set it only where the
	// layout says so unambiguously.
	Field string
	// Cell places the part in a table (a CSV cell, a worksheet cell); the
	// zero Cell means the part is not a cell. Parts of one Table and Row
	// are one record (a date in a row with a person is that person's);
	// parts of one Table and Col are one column.
	Cell Cell
}

// Cell is where a part sits in a table. It is structural: numbers only.
type Cell struct {
	// Table numbers the tables of a file from 1 (a CSV file has one; a
	// workbook one per worksheet); 0 when the part is not a cell.
	Table int
	// Row and Col are 1-based, as a spreadsheet numbers them.
	Row, Col int
}

// Edit replaces Parts()[Part].Text[Start:End] with Replacement.
type Edit struct {
	Part       int
	Start, End int
	// Replacement is the new text. Formats that draw (PDF) show it as the
	// label of the redaction box.
	Replacement string
}

// Document is a parsed file.
type Document interface {
	// Parts returns every text of the file that a reader can see or recover,
	// in reading order. The slice is owned by the Document; callers must
	// not modify it.
	//
	// Where the same content can be read more than one way (a PDF page
	// read through its fonts, and its character codes read as bytes), each
	// reading is a Part of its own, with the same Page, after the parts of
	// the first reading: an Edit on any reading removes the content it
	// covers, in every reading. Formats say in their documentation which
	// readings they give.
	Parts() []Part
	// Redact writes the file with edits applied to w. Edits are sorted by
	// (Part, Start), do not overlap, lie within their part and on UTF-8
	// boundaries (CheckEdits). Formatting and content that is not text are
	// preserved; anything the format cannot redact safely is an error, and
	// then nothing written to w may be used.
	Redact(w io.Writer, edits []Edit) error
}

// Format reads one kind of file.
type Format interface {
	// Name is a short lower-case name ("text", "markdown", "docx", "pdf").
	Name() string
	// Extensions lists the lower-case file extensions handled, with the dot.
	Extensions() []string
	// Parse reads a complete file. Errors wrap one of the sentinel errors of
	// this package and never contain document text. Parse must not panic;
	// the pipeline recovers panics anyway and quarantines the file.
	Parse(data []byte) (Document, error)
}

// ContextParser is an optional interface of a Format whose parsing can be
// cut short: ParseContext is Parse, checking ctx in every loop that can be
// long (pages, XML tokens, content-stream operators, attachments) and
// returning an error that wraps ctx's error once ctx is done. A format
// without it is parsed by Parse, whole.
type ContextParser interface {
	ParseContext(ctx context.Context, data []byte) (Document, error)
}

// Parse parses data with f, under ctx if f is a ContextParser.
func Parse(ctx context.Context, f Format, data []byte) (Document, error) {
	if cp, ok := f.(ContextParser); ok {
		return cp.ParseContext(ctx, data)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return f.Parse(data)
}

// ContextRedacter is an optional interface of a Document whose Redact can
// be cut short, as ParseContext.
type ContextRedacter interface {
	RedactContext(ctx context.Context, w io.Writer, edits []Edit) error
}

// Redact writes d with edits applied, under ctx if d is a
// ContextRedacter.
func Redact(ctx context.Context, d Document, w io.Writer, edits []Edit) error {
	if cr, ok := d.(ContextRedacter); ok {
		return cr.RedactContext(ctx, w, edits)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return d.Redact(w, edits)
}

// LeakChecker is an optional interface of Document implementations whose
// encoded bytes can hold text that Parts does not show (compressed streams,
// raw XML). The verify step calls it on the output file.
type LeakChecker interface {
	// Leaks reports the places (part names) in the encoded file data where
	// any of the phrases occurs after decoding everything a reader could
	// decode. It never returns the phrases themselves.
	Leaks(data []byte, find func(text string) bool) ([]string, error)
}

// PixelChecker is an optional interface of Documents whose output holds
// text as pixels (scans, pictures inside a document), which only OCR reads
// again, with misreads. The verify step calls it on the parsed input, with
// the output file and every value the plan removed.
type PixelChecker interface {
	// PixelLeaks reads the images of data, the output Redact wrote for
	// this document, again by OCR in ways that do not depend on where
	// the redaction put its boxes, and reports the places (part names)
	// where one of removed is read, allowing for misreads. It never
	// returns the values.
	PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error)
}

// IndependentReader is an optional interface of Document implementations
// whose Parts come from the same code that finds where text lives when it
// redacts: a second reading of a file's text, by code that does not share
// that code's idea of where text lives, for the verify step (issue 13).
// The verify step runs the profile's whole detection chain over these
// texts as over Parts, and refuses the file when it finds there anything
// the profile would change that Parts do not show.
type IndependentReader interface {
	// IndependentText reads data, the encoded file (the receiver must be
	// the Document parsed from data), as a reader or a program other than
	// Parse would recover its text (raw bytes, every XML part's
	// character data, every string of a PDF read naively), and returns
	// those texts as Parts: Name says where each was read (structural,
	// never document text), Text is valid UTF-8. It leaves out values
	// that are structure, not text (identifiers, enumerations,
	// measurements, namespaces, style and font names), so that detection
	// finds only what a person could read. Texts may repeat what Parts
	// show; the caller skips a text equal to a part. Errors wrap a
	// sentinel of this package and carry no document text.
	//
	// Implemented by: text and Markdown (the bytes as UTF-8); CSV/TSV;
	// docx (archive/zip and encoding/xml: every XML entry's character
	// data and attribute values, less the closed vocabulary's structure,
	// and the metadata text of every image entry); pdf (poppler's
	// pdftotext, run on the file with a time budget, each page in
	// reading order, white space, line-end hyphens and ligatures folded;
	// a missing pdftotext or a failure on the file is an error); email
	// .eml, .msg and .mbox (net/mail, mime, mime/multipart, its own
	// transfer decoding, golang.org/x/text charsets, x/net/html: every
	// header decoded, parameter, preamble, body, forwarded message, and
	// each attachment's Parts and independent reading through its
	// format); images (redactors/imagetext: the text of EXIF, XMP, IPTC,
	// comments and text chunks; their pixels are read again by OCR, see
	// PixelChecker and LeakChecker). A reading whose texts hold style
	// names, ids or glyph codes (a PDF's strings read naively) is no
	// IndependentText: maximum-recall detection would take them for
	// names; the format's LeakChecker searches the removed values there.
	IndependentText(data []byte) ([]Part, error)
}

// Noter is an optional interface of Document: facts the reader of the report
// must know about the file, such as content that was not inspected ("2
// images not inspected (no OCR)"). Notes never contain document text.
type Noter interface {
	Notes() []string
}

// FileNamer is an optional interface of Document: the parts that are file
// names inside the file (an e-mail attachment's name), in ascending order.
// Such a part's Text is the name with underscores shown as spaces
// (ner/filename.Text), so that offsets in it are offsets in the name.
// The pipeline finds there the forms file names give a person's name
// ("oquillanby", "Quillanby-O": ner/filename.PersonForms), as it does in
// object keys.
type FileNamer interface {
	FileNameParts() []int
}

// Registry maps file extensions to formats.
type Registry struct {
	byExt map[string]Format
}

// NewRegistry returns a registry of formats. A later format wins an
// extension claimed twice.
func NewRegistry(formats ...Format) *Registry {
	r := &Registry{byExt: map[string]Format{}}
	for _, f := range formats {
		for _, e := range f.Extensions() {
			r.byExt[strings.ToLower(e)] = f
		}
	}
	return r
}

// With returns a copy of the registry with more formats, which win the
// extensions they claim (a format configured for one profile over the
// default one).
func (r *Registry) With(formats ...Format) *Registry {
	out := &Registry{byExt: make(map[string]Format, len(r.byExt))}
	for e, f := range r.byExt {
		out.byExt[e] = f
	}
	for _, f := range formats {
		for _, e := range f.Extensions() {
			out.byExt[strings.ToLower(e)] = f
		}
	}
	return out
}

// ForKey returns the format for a file name or key by its extension.
func (r *Registry) ForKey(key string) (Format, bool) {
	f, ok := r.byExt[strings.ToLower(path.Ext(key))]
	return f, ok
}

// Extensions returns the supported extensions, sorted.
func (r *Registry) Extensions() []string {
	var out []string
	for e := range r.byExt {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// CheckEdits verifies the Edit contract against parts.
func CheckEdits(parts []Part, edits []Edit) error {
	for i, e := range edits {
		if e.Part < 0 || e.Part >= len(parts) {
			return fmt.Errorf("edit %d: part %d of %d", i, e.Part, len(parts))
		}
		t := parts[e.Part].Text
		if e.Start < 0 || e.Start > e.End || e.End > len(t) {
			return fmt.Errorf("edit %d: span %d:%d outside part of %d bytes", i, e.Start, e.End, len(t))
		}
		if !boundary(t, e.Start) || !boundary(t, e.End) {
			return fmt.Errorf("edit %d: span %d:%d not on UTF-8 boundaries", i, e.Start, e.End)
		}
		if i > 0 {
			p := edits[i-1]
			if p.Part > e.Part || (p.Part == e.Part && p.End > e.Start) {
				return fmt.Errorf("edit %d: overlaps or precedes edit %d", i, i-1)
			}
		}
	}
	return nil
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// Splice applies the edits of one part to its text. edits must satisfy
// CheckEdits for that part; Splice does not re-check.
func Splice(text string, edits []Edit) string {
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, e := range edits {
		b.WriteString(text[last:e.Start])
		b.WriteString(e.Replacement)
		last = e.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// EditsOf returns the edits that belong to part i (edits sorted by part).
func EditsOf(edits []Edit, i int) []Edit {
	lo := sort.Search(len(edits), func(k int) bool { return edits[k].Part >= i })
	hi := sort.Search(len(edits), func(k int) bool { return edits[k].Part > i })
	return edits[lo:hi]
}

// EditsFrom returns the edits of parts first to first+n-1 (edits sorted
// by part), each moved to its part's index less first: the edits of a
// document held inside another, whose parts are a run of the outer one's
// (an image's pages in a text or a DOCX).
func EditsFrom(edits []Edit, first, n int) []Edit {
	lo := sort.Search(len(edits), func(k int) bool { return edits[k].Part >= first })
	hi := sort.Search(len(edits), func(k int) bool { return edits[k].Part >= first+n })
	out := make([]Edit, 0, hi-lo)
	for _, e := range edits[lo:hi] {
		e.Part -= first
		out = append(out, e)
	}
	return out
}

// Stamper is an optional interface of paged Documents that can print a
// production number (a Bates number) on every page. SetStamps must be
// called before Redact; Redact then prints labels[i] on page i+1.
type Stamper interface {
	// PageCount returns the number of pages.
	PageCount() int
	// SetStamps sets one label per page and where it goes ("bottom-right",
	// "bottom-left", "bottom-center", "top-right", "top-left",
	// "top-center"; "" for the default, bottom-right).
	SetStamps(labels []string, position string) error
}

// OutputExtensioner is an optional interface of Documents that Redact
// writes in another format than the one they were read from (an Outlook
// .msg is written as .eml). OutputExtension returns the lower-case
// extension, with the dot, that the output key must take instead of the
// source key's.
type OutputExtensioner interface {
	OutputExtension() string
}

// Rect is an area of a page as fractions of the page as it is displayed:
// 0 to 1 from its top-left corner, after the page's rotation, so that it
// can be drawn over an image of the page at any size.
type Rect struct {
	X0, Y0, X1, Y1 float64
}

// Locator is an optional interface of paged Documents that can say where
// text is drawn, for a person to see it (veil review). Redaction never
// relies on it.
type Locator interface {
	// Locate returns the areas of its page where
	// Parts()[part].Text[start:end] is drawn (one per line of text), or
	// nil when it cannot say. Locate must be called before Redact.
	Locate(part, start, end int) []Rect
}
