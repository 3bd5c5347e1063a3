// Package text reads and writes UTF-8 plain text and Markdown. The output is
// byte-identical to the input outside the redacted spans: line endings, a
// byte-order mark and the final newline are kept.
package text

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// Format implements redactors.Format for one family of text files.
type Format struct {
	name string
	exts []string
}

var (
	_ redactors.Format            = Format{}
	_ redactors.Document          = (*Document)(nil)
	_ redactors.IndependentReader = (*Document)(nil)
)

// Plain handles .txt files.
func Plain() Format { return Format{"text", []string{".txt", ".text", ".log"}} }

// Markdown handles .md files. Markdown is redacted as text: link targets,
// HTML comments and image alt text are text too, and so are searched.
func Markdown() Format { return Format{"markdown", []string{".md", ".markdown"}} }

// Name implements redactors.Format.
func (f Format) Name() string { return f.name }

// Extensions implements redactors.Format.
func (f Format) Extensions() []string { return f.exts }

// Parse implements redactors.Format.
func (f Format) Parse(data []byte) (redactors.Document, error) {
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
	d.parts = []redactors.Part{{Name: "body", Text: string(body)}}
	if f.name == "markdown" {
		fm, at := frontMatterParts(d.parts[0].Text)
		d.parts = append(d.parts, fm...)
		d.fm = at
	}
	return d, nil
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
	if _, err := io.WriteString(w, redactors.Splice(d.parts[0].Text, d.bodyEdits(edits))); err != nil {
		return fmt.Errorf("text: write: %w", err)
	}
	return nil
}

// bodyEdits returns the edits as edits of the body: an edit of a front
// matter value moves to where the value lies; overlapping edits become
// one, over both, with the replacement of the wider (of the first when
// they are as wide).
func (d *Document) bodyEdits(edits []redactors.Edit) []redactors.Edit {
	if len(d.fm) == 0 {
		return edits
	}
	all := make([]redactors.Edit, 0, len(edits))
	for _, e := range edits {
		if e.Part > 0 {
			at := d.fm[e.Part-1]
			e.Start += at.start
			e.End += at.start
		}
		e.Part = 0
		all = append(all, e)
	}
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

// IndependentText implements redactors.IndependentReader: the bytes of
// data as UTF-8 (invalid sequences as spaces, a byte-order mark left out),
// what any program that reads the file as text sees. For a file Parse
// accepts it is the body part itself.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	body := bytes.TrimPrefix(data, bom)
	return []redactors.Part{{Name: "raw bytes", Text: strings.ToValidUTF8(string(body), " ")}}, nil
}
