// Package loadfile writes and reads the load files of a litigation
// production: the Concordance metadata file (.dat) and the Opticon image
// cross-reference (.opt) that review platforms (Concordance, Relativity,
// Everlaw and the rest) import with a production volume.
//
// Concordance .dat, as its public description gives it: one record per
// line, the first line naming the fields; every field wrapped in the text
// qualifier þ (ASCII 254, U+00FE) and separated by the column delimiter
// ASCII 20 (DC4, U+0014, which Concordance shows as ¶, the glyph of code
// 20 in the DOS code page); a line break inside a field is written as ®
// (ASCII 174, U+00AE); records end with CR LF. This package writes UTF-8
// with a byte-order mark, which current platforms detect.
//
// Opticon .opt: one comma-separated line per image, seven fields:
// ImageID (the page's Bates number), Volume, Path, DocBreak ("Y" on a
// document's first image, else blank), FolderBreak, BoxBreak, PageCount
// (on the first image of a document). A multi-page PDF is one image: one
// line with the document's first Bates number and its page count.
//
// Both writers refuse values that the format cannot carry (a þ, DC4 or ®
// in a .dat field, a comma or line break in an .opt field) rather than
// write a file a loader would misread.
package loadfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The Concordance delimiters.
const (
	Delimiter = '\x14'   // column: ASCII 20, shown as ¶
	Qualifier = '\u00fe' // text qualifier: þ, ASCII 254
	Newline   = '\u00ae' // line break inside a field: ®, ASCII 174
)

// bom is the UTF-8 byte-order mark a .dat starts with.
const bom = "\ufeff"

// ErrValue is returned for a value the format cannot carry.
var ErrValue = errors.New("loadfile: value cannot be written")

// ErrSyntax is returned by the readers for a malformed file.
var ErrSyntax = errors.New("loadfile: malformed")

// DATWriter writes a Concordance .dat.
type DATWriter struct {
	w      *bufio.Writer
	fields int
	err    error
}

// NewDATWriter writes the byte-order mark and the header line naming the
// fields.
func NewDATWriter(w io.Writer, fields []string) (*DATWriter, error) {
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: no fields", ErrValue)
	}
	dw := &DATWriter{w: bufio.NewWriter(w), fields: len(fields)}
	dw.w.WriteString(bom)
	if err := dw.Write(fields); err != nil {
		return nil, err
	}
	return dw, nil
}

// Write writes one record; it must have as many values as the header.
func (dw *DATWriter) Write(values []string) error {
	if dw.err != nil {
		return dw.err
	}
	if len(values) != dw.fields {
		return fmt.Errorf("%w: %d values for %d fields", ErrValue, len(values), dw.fields)
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteRune(Delimiter)
		}
		if !utf8.ValidString(v) || strings.ContainsRune(v, Qualifier) || strings.ContainsRune(v, Delimiter) || strings.ContainsRune(v, Newline) {
			return fmt.Errorf("%w: field %d holds invalid UTF-8 or a delimiter", ErrValue, i+1)
		}
		v = strings.ReplaceAll(v, "\r\n", "\n")
		v = strings.ReplaceAll(v, "\r", "\n")
		v = strings.ReplaceAll(v, "\n", string(Newline))
		b.WriteRune(Qualifier)
		b.WriteString(v)
		b.WriteRune(Qualifier)
	}
	b.WriteString("\r\n")
	_, dw.err = dw.w.WriteString(b.String())
	return dw.err
}

// Flush writes what is buffered.
func (dw *DATWriter) Flush() error {
	if dw.err != nil {
		return dw.err
	}
	return dw.w.Flush()
}

// ReadDAT reads a Concordance .dat with the default delimiters: the
// header's field names and the records, line breaks inside fields
// restored. It reads what the public description allows: a byte-order
// mark or none, CR LF or LF, and fields without the qualifier.
func ReadDAT(r io.Reader) (fields []string, records [][]string, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	s := strings.TrimPrefix(string(data), bom)
	if !utf8.ValidString(s) {
		return nil, nil, fmt.Errorf("%w: not UTF-8", ErrSyntax)
	}
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	if len(lines) == 0 {
		return nil, nil, fmt.Errorf("%w: no header line", ErrSyntax)
	}
	for i, line := range lines {
		rec, err := datLine(line)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if i == 0 {
			fields = rec
			continue
		}
		if len(rec) != len(fields) {
			return nil, nil, fmt.Errorf("line %d: %d fields, header has %d: %w", i+1, len(rec), len(fields), ErrSyntax)
		}
		records = append(records, rec)
	}
	return fields, records, nil
}

// datLine splits one line into its fields.
func datLine(line string) ([]string, error) {
	var out []string
	for _, raw := range strings.Split(line, string(Delimiter)) {
		v := raw
		if strings.HasPrefix(v, string(Qualifier)) {
			if len(v) < 2*utf8.RuneLen(Qualifier) || !strings.HasSuffix(v, string(Qualifier)) {
				return nil, fmt.Errorf("%w: unterminated qualifier", ErrSyntax)
			}
			v = v[utf8.RuneLen(Qualifier) : len(v)-utf8.RuneLen(Qualifier)]
		}
		if strings.ContainsRune(v, Qualifier) {
			return nil, fmt.Errorf("%w: qualifier inside a field", ErrSyntax)
		}
		out = append(out, strings.ReplaceAll(v, string(Newline), "\n"))
	}
	return out, nil
}

// Image is one line of an Opticon .opt.
type Image struct {
	ID          string // the image's (first page's) Bates number
	Volume      string
	Path        string
	DocBreak    bool // the first image of a document
	FolderBreak bool
	BoxBreak    bool
	// PageCount is the document's page count, on its first image; 0
	// writes a blank.
	PageCount int
}

// OPTWriter writes an Opticon .opt, CR LF line ends.
type OPTWriter struct {
	w   *bufio.Writer
	n   int
	err error
}

// NewOPTWriter returns a writer of .opt lines to w.
func NewOPTWriter(w io.Writer) *OPTWriter { return &OPTWriter{w: bufio.NewWriter(w)} }

// Write writes one image line.
func (ow *OPTWriter) Write(im Image) error {
	if ow.err != nil {
		return ow.err
	}
	ow.n++
	for _, v := range []string{im.ID, im.Volume, im.Path} {
		if strings.ContainsAny(v, ",\r\n\"") || !utf8.ValidString(v) {
			return fmt.Errorf("%w: image %d: a comma, quote or line break in a field", ErrValue, ow.n)
		}
	}
	if im.ID == "" || im.Path == "" {
		return fmt.Errorf("%w: image %d: ImageID and Path are required", ErrValue, ow.n)
	}
	if im.PageCount < 0 {
		return fmt.Errorf("%w: image %d: negative page count", ErrValue, ow.n)
	}
	pc := ""
	if im.PageCount > 0 {
		pc = strconv.Itoa(im.PageCount)
	}
	_, ow.err = fmt.Fprintf(ow.w, "%s,%s,%s,%s,%s,%s,%s\r\n", im.ID, im.Volume, im.Path, yes(im.DocBreak), yes(im.FolderBreak), yes(im.BoxBreak), pc)
	return ow.err
}

// Flush writes what is buffered.
func (ow *OPTWriter) Flush() error {
	if ow.err != nil {
		return ow.err
	}
	return ow.w.Flush()
}

// WriteOPT writes images as an Opticon .opt.
func WriteOPT(w io.Writer, images []Image) error {
	ow := NewOPTWriter(w)
	for _, im := range images {
		if err := ow.Write(im); err != nil {
			return err
		}
	}
	return ow.Flush()
}

func yes(b bool) string {
	if b {
		return "Y"
	}
	return ""
}

// ReadOPT reads an Opticon .opt: seven comma-separated fields a line.
func ReadOPT(r io.Reader) ([]Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var out []Image
	for i, line := range strings.Split(strings.ReplaceAll(string(bytes.TrimPrefix(data, []byte(bom))), "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d: %d fields, want 7: %w", i+1, len(f), ErrSyntax)
		}
		im := Image{ID: f[0], Volume: f[1], Path: f[2]}
		var ok bool
		if im.DocBreak, ok = flag(f[3]); !ok {
			return nil, fmt.Errorf("line %d: DocBreak %q: %w", i+1, f[3], ErrSyntax)
		}
		if im.FolderBreak, ok = flag(f[4]); !ok {
			return nil, fmt.Errorf("line %d: FolderBreak: %w", i+1, ErrSyntax)
		}
		if im.BoxBreak, ok = flag(f[5]); !ok {
			return nil, fmt.Errorf("line %d: BoxBreak: %w", i+1, ErrSyntax)
		}
		if f[6] != "" {
			n, err := strconv.Atoi(strings.TrimSpace(f[6]))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("line %d: PageCount %q: %w", i+1, f[6], ErrSyntax)
			}
			im.PageCount = n
		}
		if im.ID == "" || im.Path == "" {
			return nil, fmt.Errorf("line %d: ImageID and Path are required: %w", i+1, ErrSyntax)
		}
		out = append(out, im)
	}
	return out, nil
}

func flag(s string) (bool, bool) {
	switch strings.TrimSpace(s) {
	case "":
		return false, true
	case "Y", "y":
		return true, true
	}
	return false, false
}
