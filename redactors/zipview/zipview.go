// Package zipview reads a ZIP-based file (DOCX, XLSX, PPTX, ODF…) the way
// an adversary would, for verification: every entry inflated, every XML
// entry lexed by a small hand-written lexer into its character data and
// its attribute values with references decoded, every other entry as raw
// bytes (and as UTF-16, and with the zlib streams inside it inflated),
// nested ZIPs opened, and the names, comments and extra fields of the
// entries and the raw bytes of the whole file too.
//
// It shares no code with the readers that find text for redaction
// (redactors/ooxml and the formats built on it) and knows nothing of
// where a format keeps its text, so a place those readers miss is still
// read here. It does not validate: a malformed XML entry is read as far as
// the lexer goes, and as raw bytes.
package zipview

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Kinds of views.
const (
	File       = "file"       // the raw bytes of the whole file
	Name       = "name"       // an entry's name
	Comment    = "comment"    // the archive's or an entry's comment
	Extra      = "extra"      // an entry's extra fields, raw
	Joined     = "joined"     // XML character data, runs joined directly
	Spaced     = "spaced"     // XML character data, a space at every tag
	Attributes = "attributes" // XML attribute values, one a line
	Markup     = "markup"     // XML comments, processing instructions, DTDs
	Names      = "names"      // XML element and attribute names, one a line
	Raw        = "raw"        // an entry's bytes (invalid UTF-8 as spaces)
	UTF16LE    = "utf16le"    // an entry's bytes read as UTF-16
	UTF16BE    = "utf16be"
	Inflated   = "inflated" // a zlib stream found in an entry, inflated
)

// View is one reading of one place of the file.
type View struct {
	// Index is the position of the top-level entry in the archive's
	// directory (-1 for the whole file and the archive comment).
	Index int
	// Entry is the entry's name; an entry of a nested archive is named
	// "outer!inner".
	Entry string
	Kind  string
	Text  string
}

// Limits bound the reading. Zero fields take the defaults (10,000
// entries, 1 GiB inflated, 3 levels of nested archives).
type Limits struct {
	MaxEntries int
	MaxTotal   int64
	MaxDepth   int
}

func (h Shared) lookup(place string) ([]byte, bool) {
	if h == nil {
		return nil, false
	}
	return h(place)
}

// ErrLimit is returned when the file exceeds the limits.
var ErrLimit = errors.New("zipview: file exceeds the reading limits")

// ErrNotZip is returned when the data is not a ZIP archive.
var ErrNotZip = errors.New("zipview: not a readable zip archive")

type reader struct {
	lim  Limits
	used int64
	fn   func(View) error
	have Shared
}

// Shared returns the bytes of the entry at place as another reader of
// the same file inflated them with archive/zip, if it did. A place names
// an entry by position, not by name (names may repeat): its index in its
// archive's directory, after the places of the archives holding it and
// "!" ("3", "3!0").
type Shared func(place string) ([]byte, bool)

// Read calls fn with every view of data, entry by entry in directory
// order. It stops at the first error of fn and returns it.
func Read(data []byte, lim Limits, fn func(View) error) error {
	return ReadShared(data, lim, nil, fn)
}

// ReadShared is Read, taking the bytes of an entry from have where it
// holds them (another reading of the same data, which shares its
// decompression) instead of inflating the entry again; they count against
// the limits as if inflated here.
func ReadShared(data []byte, lim Limits, have Shared, fn func(View) error) error {
	if lim.MaxEntries <= 0 {
		lim.MaxEntries = 10000
	}
	if lim.MaxTotal <= 0 {
		lim.MaxTotal = 1 << 30
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = 3
	}
	r := &reader{lim: lim, fn: fn, have: have}
	if err := fn(View{Index: -1, Kind: File, Text: strings.ToValidUTF8(string(data), " ")}); err != nil {
		return err
	}
	return r.archive(data, "", "", -1, 0)
}

func (r *reader) emit(index int, entry, kind, text string) error {
	if text == "" {
		return nil
	}
	return r.fn(View{Index: index, Entry: entry, Kind: kind, Text: text})
}

func (r *reader) archive(data []byte, prefix, places string, outer, depth int) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ErrNotZip
	}
	if len(zr.File) > r.lim.MaxEntries {
		return ErrLimit
	}
	if err := r.emit(outer, strings.TrimSuffix(prefix, "!"), Comment, zr.Comment); err != nil {
		return err
	}
	for i, f := range zr.File {
		index := outer
		if depth == 0 {
			index = i
		}
		name := prefix + f.Name
		if err := r.emit(index, name, Name, f.Name); err != nil {
			return err
		}
		if err := r.emit(index, name, Comment, f.Comment); err != nil {
			return err
		}
		if err := r.emit(index, name, Extra, strings.ToValidUTF8(string(f.Extra), " ")); err != nil {
			return err
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		place := places + strconv.Itoa(i)
		b, err := r.inflate(f, place)
		if err != nil {
			return err
		}
		if err := r.entry(b, index, name, place, depth); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) inflate(f *zip.File, place string) ([]byte, error) {
	if b, ok := r.have.lookup(place); ok {
		if int64(len(b)) > r.lim.MaxTotal-r.used {
			return nil, ErrLimit
		}
		r.used += int64(len(b))
		return b, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("zipview: entry cannot be opened: %w", ErrNotZip)
	}
	defer rc.Close()
	left := r.lim.MaxTotal - r.used
	b, err := ReadAll(rc, f.UncompressedSize64, left+1)
	if err != nil {
		return nil, fmt.Errorf("zipview: entry cannot be inflated: %w", ErrNotZip)
	}
	if int64(len(b)) > left {
		return nil, ErrLimit
	}
	r.used += int64(len(b))
	return b, nil
}

// entry emits the views of one entry's bytes.
func (r *reader) entry(b []byte, index int, name, place string, depth int) error {
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) && depth+1 < r.lim.MaxDepth {
		if err := r.archive(b, name+"!", place+"!", index, depth+1); err != nil && !errors.Is(err, ErrNotZip) {
			return err
		}
	}
	if looksXML(b) {
		x := lex(b)
		for _, v := range [][2]string{{Joined, x.joined.String()}, {Spaced, x.spaced.String()}, {Attributes, x.attrs.String()}, {Markup, x.markup.String()}, {Names, x.names.String()}} {
			if err := r.emit(index, name, v[0], v[1]); err != nil {
				return err
			}
		}
	}
	if err := r.emit(index, name, Raw, strings.ToValidUTF8(string(b), " ")); err != nil {
		return err
	}
	if len(b) >= 4 && (!utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0) { // UTF-16 text has NUL bytes, valid UTF-8
		if err := r.emit(index, name, UTF16LE, utf16View(b, binary.LittleEndian)); err != nil {
			return err
		}
		if err := r.emit(index, name, UTF16BE, utf16View(b, binary.BigEndian)); err != nil {
			return err
		}
	}
	return r.zlibStreams(b, index, name)
}

// looksXML reports whether b starts like XML (after a byte-order mark and
// whitespace).
func looksXML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// ReadAll reads r to its end or to max bytes, into a buffer made once at
// the size the directory states (size; at most 16 MiB, which a lying
// directory cannot make larger) instead of grown as it fills.
func ReadAll(r io.Reader, size uint64, max int64) ([]byte, error) {
	n := min(size, uint64(max), 16<<20)
	buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r, max))
	return buf.Bytes(), err
}

func utf16View(b []byte, bo binary.ByteOrder) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, bo.Uint16(b[i:]))
	}
	return strings.ToValidUTF8(string(utf16.Decode(u)), " ")
}

// zlibStreams inflates every zlib stream in b (PNG text and profile
// chunks, PDF-like streams in odd places): a two-byte zlib header at any
// offset that inflates without error, each bounded to 1 MiB.
func (r *reader) zlibStreams(b []byte, index int, name string) error {
	const maxStream = 1 << 20
	for i := 0; i+2 <= len(b); i++ {
		if b[i]&0x0F != 8 || (uint16(b[i])<<8|uint16(b[i+1]))%31 != 0 || b[i]>>4 > 7 {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(b[i:]))
		if err != nil {
			continue
		}
		out, err := io.ReadAll(io.LimitReader(zr, maxStream))
		if len(out) == 0 || (err != nil && !errors.Is(err, io.ErrUnexpectedEOF)) {
			continue
		}
		r.used += int64(len(out))
		if r.used > r.lim.MaxTotal {
			return ErrLimit
		}
		if err := r.emit(index, name, Inflated, strings.ToValidUTF8(string(out), " ")); err != nil {
			return err
		}
	}
	return nil
}

// lexed is what the lexer collects of one XML entry.
type lexed struct {
	joined, spaced, attrs, markup, names strings.Builder
}

// writeText writes s to b with its references decoded (when decode) and
// invalid UTF-8 as spaces. Most of an entry's text, attribute values and
// names hold neither a reference nor invalid UTF-8, and are written as
// they are, without a string made of them first.
func writeText(b *strings.Builder, s []byte, decode bool) {
	if (!decode || bytes.IndexByte(s, '&') < 0) && utf8.Valid(s) {
		b.Write(s)
		return
	}
	t := string(s)
	if decode {
		t = unescape(t)
	}
	b.WriteString(strings.ToValidUTF8(t, " "))
}

// lex reads XML without validating it: text between tags, CDATA sections,
// comments, processing instructions and declarations, and the attribute
// values of tags, each with character and entity references decoded. It
// never fails: what does not lex as markup is read as text.
func lex(x []byte) *lexed {
	l := &lexed{}
	text := func(s []byte, decode bool) {
		n := l.joined.Len()
		writeText(&l.joined, s, decode)
		l.spaced.WriteString(l.joined.String()[n:])
	}
	for i := 0; i < len(x); {
		if x[i] != '<' {
			j := bytes.IndexByte(x[i:], '<')
			if j < 0 {
				j = len(x) - i
			}
			text(x[i:i+j], true)
			i += j
			continue
		}
		rest := x[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := until(rest, "-->", 4)
			l.markup.Write(rest[4:end])
			l.markup.WriteByte('\n')
			i += end + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := until(rest, "]]>", 9)
			text(rest[9:end], false)
			i += end + 3
		case bytes.HasPrefix(rest, []byte("<?")):
			end := until(rest, "?>", 2)
			l.markup.WriteString(unescape(string(rest[2:end])))
			l.markup.WriteByte('\n')
			i += end + 2
		case bytes.HasPrefix(rest, []byte("<!")):
			// a declaration, with an internal subset in brackets
			depth, j := 0, 2
			for ; j < len(rest); j++ {
				c := rest[j]
				if c == '[' {
					depth++
				} else if c == ']' {
					depth--
				} else if c == '>' && depth <= 0 {
					break
				}
			}
			l.markup.WriteString(unescape(string(rest[2:min(j, len(rest))])))
			l.markup.WriteByte('\n')
			i += j + 1
		default:
			n := l.tag(rest)
			l.spaced.WriteByte(' ')
			i += n
		}
	}
	return l
}

// until returns the offset of end in s after from, or len(s) (an
// unterminated construct runs to the end).
func until(s []byte, end string, from int) int {
	if from > len(s) {
		return len(s)
	}
	if k := bytes.Index(s[from:], []byte(end)); k >= 0 {
		return from + k
	}
	return len(s)
}

// nameCut are the bytes trimmed from both ends of a name in a tag.
var nameCut = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, '/': true, '=': true}

// tag reads a start or end tag from s (s[0] == '<'), collects its
// attribute values and returns its length. Quotes are honoured, so a '>'
// inside a value does not end the tag.
func (l *lexed) tag(s []byte) int {
	i := 1
	name := func(from, to int) {
		for from < to && nameCut[s[from]] {
			from++
		}
		for to > from && nameCut[s[to-1]] {
			to--
		}
		if from < to {
			writeText(&l.names, s[from:to], false)
			l.names.WriteByte('\n')
		}
	}
	word := 1 // start of the name or attribute name being read
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '=' || c == '/':
			if word < i {
				name(word, i)
			}
			word = i + 1
			i++
		case c == '>':
			if word < i {
				name(word, i)
			}
			return i + 1
		case c == '"' || c == '\'':
			j := bytes.IndexByte(s[i+1:], c)
			if j < 0 {
				writeText(&l.attrs, s[i+1:], true)
				l.attrs.WriteByte('\n')
				return len(s)
			}
			writeText(&l.attrs, s[i+1:i+1+j], true)
			l.attrs.WriteByte('\n')
			i += j + 2
			word = i
		default:
			i++
		}
	}
	if word < len(s) {
		name(word, len(s))
	}
	return len(s)
}

// unescape decodes the five predefined entities and character references;
// anything else is left as it is.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '&' {
			b.WriteByte(s[i])
			i++
			continue
		}
		semi := strings.IndexByte(s[i:], ';')
		if semi < 0 || semi > 12 {
			b.WriteByte('&')
			i++
			continue
		}
		name := s[i+1 : i+semi]
		var r rune = -1
		switch name {
		case "amp":
			r = '&'
		case "lt":
			r = '<'
		case "gt":
			r = '>'
		case "quot":
			r = '"'
		case "apos":
			r = '\''
		default:
			if strings.HasPrefix(name, "#x") || strings.HasPrefix(name, "#X") {
				if n, err := strconv.ParseUint(name[2:], 16, 32); err == nil {
					r = rune(n)
				}
			} else if strings.HasPrefix(name, "#") {
				if n, err := strconv.ParseUint(name[1:], 10, 32); err == nil {
					r = rune(n)
				}
			}
		}
		if r < 0 || !utf8.ValidRune(r) {
			b.WriteByte('&')
			i++
			continue
		}
		b.WriteRune(r)
		i += semi + 1
	}
	return b.String()
}
