// Package table reads and redacts delimited text tables: CSV and TSV files
// as spreadsheet programs, databases and EHR exports write them.
//
// Parse tells the encoding (UTF-8 with or without a byte-order mark,
// UTF-16 with one, Windows-1252; anything it cannot tell is refused as
// redactors.ErrEncoding), sniffs the delimiter (comma, semicolon, tab or
// pipe: whichever splits the first records most consistently), and reads
// the records as RFC 4180 says, leniently where files break it (see scan).
// Every non-blank cell is a Part named by its place ("row 12, column 3",
// 1-based, a record that spans lines being one row), with Part.Cell set,
// and, below a first row that looks like a header (LooksLikeHeader),
// Part.Field set to the header of its column: context for detection, and
// what a profile's columns: rules match. Header text never goes into a
// part's name.
//
// Redact splices replacements into the cells' raw bytes, so delimiters,
// quoting, line endings, the byte-order mark and every cell without an edit
// stay byte for byte; a cell is quoted only when it was, or when its new
// value needs quotes (a delimiter, quote or line break in it), and written
// back in the file's encoding.
//
// Nothing in a delimited text is outside its cells but delimiters, quotes
// and line breaks, so the Parts are the whole text; Leaks still reads the
// output's whole text, not the cells, for the verify step, and
// IndependentText reads the fields again with Go's encoding/csv, which
// shares nothing with scan.
package table

import (
	"fmt"
	"io"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// DefaultMaxCells bounds the cells of one file: each is a part.
const DefaultMaxCells = 4 << 20

// Options configure the formats.
type Options struct {
	// MaxCells bounds the non-blank cells of a file (ErrTooLarge above);
	// 0 takes DefaultMaxCells.
	MaxCells int
}

// Format implements redactors.Format for delimited text.
type Format struct {
	name   string
	exts   []string
	prefer byte // the delimiter of a file with one column, and ties
	opts   Options
}

var (
	_ redactors.Format      = Format{}
	_ redactors.Document    = (*Document)(nil)
	_ redactors.LeakChecker = (*Document)(nil)
)

// CSV handles .csv files (comma-, semicolon-, tab- or pipe-separated,
// whichever the file uses).
func CSV(o Options) Format { return Format{"csv", []string{".csv"}, ',', o} }

// TSV handles .tsv and .tab files (tab-separated, or whichever delimiter
// the file uses).
func TSV(o Options) Format { return Format{"tsv", []string{".tsv", ".tab"}, '\t', o} }

// Name implements redactors.Format.
func (f Format) Name() string { return f.name }

// Extensions implements redactors.Format.
func (f Format) Extensions() []string { return f.exts }

// Document is a parsed delimited text. It is not safe for concurrent use.
type Document struct {
	name   string
	prefer byte // the format's delimiter of a one-column file
	enc    Encoding
	delim  byte
	text   string
	fields []field // the non-blank cells, one per part, in order
	parts  []redactors.Part
	header bool
}

// Parse implements redactors.Format.
func (f Format) Parse(data []byte) (doc redactors.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("%s: %w (recovered panic)", f.name, redactors.ErrInternal)
		}
	}()
	text, enc, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.name, err)
	}
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%s: %w", f.name, redactors.ErrEmpty)
	}
	if strings.IndexByte(text, 0) >= 0 {
		return nil, fmt.Errorf("%s: NUL characters: %w", f.name, redactors.ErrBinary)
	}
	maxCells := f.opts.MaxCells
	if maxCells <= 0 {
		maxCells = DefaultMaxCells
	}
	d := &Document{name: f.name, prefer: f.prefer, enc: enc, text: text, delim: sniff(text, f.prefer)}
	var first []string // the first record
	var rest [][]string
	var row []string
	var firstField field
	tooMany := false
	scan(text, d.delim, func(fl field) bool {
		if fl.row == 1 && fl.col == 1 {
			firstField = fl
		}
		if fl.row == 1 {
			first = append(first, fl.value)
		} else if fl.row <= 21 {
			if fl.col == 1 {
				if row != nil {
					rest = append(rest, row)
				}
				row = nil
			}
			row = append(row, fl.value)
		}
		if strings.TrimSpace(fl.value) != "" {
			if len(d.fields) >= maxCells {
				tooMany = true
				return false
			}
			d.fields = append(d.fields, fl)
		}
		return true
	})
	if tooMany {
		return nil, fmt.Errorf("%s: more than %d cells: %w", f.name, maxCells, redactors.ErrTooLarge)
	}
	if row != nil {
		rest = append(rest, row)
	}
	d.header = LooksLikeHeader(first, rest)
	for _, fl := range d.fields {
		p := redactors.Part{
			Name: fmt.Sprintf("row %d, column %d", fl.row, fl.col),
			Text: fl.value,
			Cell: redactors.Cell{Table: 1, Row: fl.row, Col: fl.col},
		}
		if d.header && fl.row > 1 && fl.col <= len(first) {
			p.Field = strings.TrimSpace(first[fl.col-1])
		}
		d.parts = append(d.parts, p)
	}
	if len(d.parts) == 0 {
		// Only blank cells: the document still has a part, empty.
		d.parts = []redactors.Part{{Name: "row 1, column 1", Text: firstField.value, Cell: redactors.Cell{Table: 1, Row: 1, Col: 1}}}
		d.fields = []field{firstField}
	}
	return d, nil
}

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Encoding returns the encoding the file was read in (and is written in).
func (d *Document) Encoding() Encoding { return d.enc }

// Delimiter returns the delimiter sniffed.
func (d *Document) Delimiter() byte { return d.delim }

// Header reports whether the first row was taken for a header.
func (d *Document) Header() bool { return d.header }

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("%s: redact: %w", d.name, err)
	}
	text := d.splice(edits, false)
	if len(edits) > 0 && sniff(text, d.prefer) != d.delim {
		// The edits tipped the delimiter sniffing (a deletion made
		// another candidate split the rows as consistently): quote every
		// cell that holds another candidate, so that only the file's own
		// delimiter splits unquoted text.
		text = d.splice(edits, true)
		if sniff(text, d.prefer) != d.delim {
			// Rare (the replacements would have to split every row alike
			// under another delimiter): refused rather than written to be
			// read with the wrong delimiter.
			return fmt.Errorf("%s: redact: the redacted table would read with another delimiter: %w", d.name, redactors.ErrEncoding)
		}
	}
	out, err := encode(text, d.enc)
	if err != nil {
		return fmt.Errorf("%s: write: %w", d.name, err)
	}
	if len(edits) > 0 {
		// The output must read back as it was read: a replacement next to
		// an accented letter could make Windows-1252 look like another
		// code page, and then nothing could read the file again.
		if _, enc, err := decode(out); err != nil || enc != d.enc {
			return fmt.Errorf("%s: the redacted text would not read back in %s: %w", d.name, d.enc, redactors.ErrEncoding)
		}
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("%s: write: %w", d.name, err)
	}
	return nil
}

// splice returns the text with the edits applied to its cells; with
// quoteOthers, also every unquoted cell that holds a candidate delimiter
// other than the file's is quoted.
func (d *Document) splice(edits []redactors.Edit, quoteOthers bool) string {
	var b strings.Builder
	b.Grow(len(d.text))
	last := 0
	write := func(fl field, raw string) {
		if raw == "" && fl.start > 0 && d.text[fl.start-1] == '\r' && fl.end < len(d.text) && d.text[fl.end] == '\n' {
			// An emptied line between a CR and an LF would join them
			// into one line end: an empty quoted field keeps the line.
			raw = `""`
		}
		b.WriteString(d.text[last:fl.start])
		b.WriteString(raw)
		last = fl.end
	}
	k := 0 // the next edited field
	scan(d.text, d.delim, func(fl field) bool {
		if k < len(d.fields) && d.fields[k].start == fl.start && d.fields[k].end == fl.end && d.fields[k].row == fl.row {
			es := redactors.EditsOf(edits, k)
			k++
			if len(es) > 0 {
				write(fl, d.rewrite(fl, d.text[fl.start:fl.end], es, quoteOthers))
				return true
			}
		}
		if quoteOthers && !fl.quoted && d.holdsOther(fl.value) {
			write(fl, quote(fl.value))
		}
		return true
	})
	b.WriteString(d.text[last:])
	return b.String()
}

// holdsOther reports whether v holds a candidate delimiter other than
// the file's.
func (d *Document) holdsOther(v string) bool {
	for _, c := range candidates {
		if c != d.delim && strings.IndexByte(v, c) >= 0 {
			return true
		}
	}
	return false
}

// rewrite returns the new raw bytes of a field with its edits. A quoted,
// well-formed field keeps its quotes and the escapes of its untouched
// text; an unquoted field stays unquoted unless its new value needs
// quotes (or, with quoteOthers, holds another candidate delimiter); a
// malformed quoted field is written whole, quoted.
func (d *Document) rewrite(fl field, raw string, es []redactors.Edit, quoteOthers bool) string {
	value := redactors.Splice(fl.value, es)
	switch {
	case fl.quoted && fl.wellFormed:
		v, off := valueMap(raw, true, true, true)
		if v != fl.value || len(off) != len(v)+1 {
			return quote(value) // cannot happen: the value is the raw's
		}
		var b strings.Builder
		lastRaw := 0
		for _, e := range es {
			b.WriteString(raw[lastRaw:off[e.Start]])
			b.WriteString(strings.ReplaceAll(e.Replacement, `"`, `""`))
			lastRaw = off[e.End]
		}
		b.WriteString(raw[lastRaw:])
		return b.String()
	case fl.quoted, needsQuotes(value, d.delim), quoteOthers && d.holdsOther(value):
		return quote(value)
	}
	return value
}

// Leaks implements redactors.LeakChecker: it decodes data (which must be
// this document's output, in its encoding) and reads the whole text, and
// the text with doubled quotes read as one, not the cells: a value a
// parse would split or hide is still whole there. It returns "the file's
// text" when find matches.
func (d *Document) Leaks(data []byte, find func(text string) bool) ([]string, error) {
	text, _, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: leak check: %w", d.name, err)
	}
	if find(text) || find(strings.ReplaceAll(text, `""`, `"`)) {
		return []string{"the file's text"}, nil
	}
	return nil, nil
}
