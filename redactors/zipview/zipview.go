// Package zipview reads a ZIP-based file (DOCX, XLSX, PPTX, ODF…) the way
// an adversary would, for verification: every entry inflated, every XML
// entry lexed by a small hand-written lexer into its character data and
// its attribute values with references decoded, every other entry as raw
// bytes (and as UTF-16, and with the zlib streams inside it inflated),
// nested ZIPs opened, and the names, comments and extra fields of the
// entries and the raw bytes of the whole file too (less the compressed
// data of the entries read inflated: see File).
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
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/digestcache"
)

// Kinds of views.
const (
	// File is the raw bytes of the whole file, less the compressed data
	// of each top-level entry that was deflated and read whole here:
	// the bytes its deflate stream took, from the entry's data offset,
	// whose inflated bytes every view of the entry searches. What such
	// bytes spell by chance is no text any reader shows, and a short
	// value found in them refused files for nothing. Each range left out
	// is one "\n" in the view, so no word forms across it. Everything
	// else stays: the local headers (names, extra fields: they win over
	// any range that would cover them), the central directory, comments,
	// data descriptors, gaps between entries, bytes before the first
	// entry and after the end record, bytes after a deflate stream's end
	// inside the entry's declared compressed size (and the last byte the
	// stream took, as the decompressor may read one byte ahead), stored
	// entries, entries of another method, directories, and every entry
	// when the file cannot be read whole (the error is returned too).
	File       = "file"
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

func (h Shared) lookup(place string) ([]byte, int64, bool) {
	if h == nil {
		return nil, -1, false
	}
	return h(place)
}

// ErrLimit is returned when the file exceeds the limits.
var ErrLimit = errors.New("zipview: file exceeds the reading limits")

// ErrNotZip is returned when the data is not a ZIP archive.
var ErrNotZip = errors.New("zipview: not a readable zip archive")

type reader struct {
	lim     Limits
	used    int64
	fn      func(View) error
	have    Shared
	stopped bool   // fn returned an error
	cuts    []Span // the top-level entries' compressed data read inflated
	keeps   []Span // the top-level entries' local headers
}

// Shared returns the bytes of the entry at place as another reader of
// the same file inflated them with archive/zip, if it did, and the
// compressed bytes its deflate stream took as that reader counted them
// (Streams.Last; -1 if unknown, and the entry's compressed data then
// stays in the File view). A place names an entry by position, not by
// name (names may repeat): its index in its archive's directory, after
// the places of the archives holding it and "!" ("3", "3!0").
type Shared func(place string) (b []byte, stream int64, ok bool)

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
	err := r.archive(data, "", "", -1, 0)
	if r.stopped {
		return err
	}
	if err != nil {
		r.cuts = nil // the file was not read whole: all of it raw
	}
	if ferr := fn(View{Index: -1, Kind: File, Text: fileView(data, Cut(int64(len(data)), r.cuts, r.keeps))}); err == nil {
		err = ferr
	}
	return err
}

func (r *reader) emit(index int, entry, kind, text string) error {
	if text == "" {
		return nil
	}
	err := r.fn(View{Index: index, Entry: entry, Kind: kind, Text: text})
	if err != nil {
		r.stopped = true
	}
	return err
}

// fileView is data less the ranges of cut (sorted, disjoint), each one
// "\n", invalid UTF-8 as spaces.
func fileView(data []byte, cut []Span) string {
	if len(cut) == 0 {
		return validString(data)
	}
	b := make([]byte, 0, len(data))
	at := int64(0)
	for _, c := range cut {
		b = append(b, data[at:c.Start]...)
		b = append(b, '\n')
		at = c.End
	}
	b = append(b, data[at:]...)
	return validString(b)
}

// validString is b as a string, each run of invalid UTF-8 a space
// (strings.ToValidUTF8). Most entries are valid UTF-8, which utf8.Valid
// tells several times as fast as ToValidUTF8's rune-by-rune scan.
func validString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), " ")
}

// Span is the byte range [Start, End) of a file.
type Span struct{ Start, End int64 }

// Cut returns the ranges of a file of size bytes to leave out of its
// File view: the bytes in some span of cut and in no span of keep,
// clipped to [0, size), as sorted, disjoint, non-empty spans that do not
// touch (adjacent ones are merged). cut and keep may be in any order and
// overlap; empty or inverted spans count for nothing.
func Cut(size int64, cut, keep []Span) []Span {
	norm := func(in []Span) []Span {
		out := make([]Span, 0, len(in))
		for _, s := range in {
			s.Start, s.End = max(s.Start, 0), min(s.End, size)
			if s.Start < s.End {
				out = append(out, s)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
		merged := out[:0]
		for _, s := range out {
			if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
				merged[n-1].End = max(merged[n-1].End, s.End)
				continue
			}
			merged = append(merged, s)
		}
		return merged
	}
	cs, ks := norm(cut), norm(keep)
	var out []Span
	k := 0
	for _, c := range cs {
		for k < len(ks) && ks[k].End <= c.Start {
			k++
		}
		at := c.Start
		for j := k; j < len(ks) && ks[j].Start < c.End; j++ {
			if ks[j].Start > at {
				out = append(out, Span{at, ks[j].Start})
			}
			at = max(at, ks[j].End)
		}
		if at < c.End {
			out = append(out, Span{at, c.End})
		}
	}
	return out
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
	streams := CountStreams(zr)
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
		b, stream, err := r.inflate(f, place, streams)
		if err != nil {
			return err
		}
		if err := r.entry(b, index, name, place, depth); err != nil {
			return err
		}
		if depth == 0 {
			r.cutEntry(data, f, stream)
		}
	}
	return nil
}

// cutEntry notes the compressed data of a top-level entry read whole
// (its views emitted) for leaving out of the File view, and its local
// header for keeping in it. stream is the count of compressed bytes its
// deflate stream took (-1 unknown). The last byte the stream took stays
// (flate may read one byte past a stream's end).
func (r *reader) cutEntry(data []byte, f *zip.File, stream int64) {
	if f.Method != zip.Deflate || stream < 2 || uint64(stream) > f.CompressedSize64 {
		return
	}
	off, err := f.DataOffset()
	if err != nil || off < 0 || off+stream > int64(len(data)) {
		return
	}
	h := localHeader(data, off)
	if h < 0 {
		return
	}
	r.keeps = append(r.keeps, Span{h, off})
	r.cuts = append(r.cuts, Span{off, off + stream - 1})
}

// localHeader returns where the local header of the entry whose data
// starts at off begins: the nearest signature before off whose name and
// extra field lengths end exactly at off; -1 if there is none.
func localHeader(data []byte, off int64) int64 {
	const fixed = 30
	lo := max(0, off-fixed-2*0xFFFF)
	hi := off - fixed + 4 // a signature starts at off-fixed at the latest
	for hi-lo >= 4 {
		i := bytes.LastIndex(data[lo:hi], []byte("PK\x03\x04"))
		if i < 0 {
			return -1
		}
		s := lo + int64(i)
		if fixed+int64(binary.LittleEndian.Uint16(data[s+26:]))+int64(binary.LittleEndian.Uint16(data[s+28:])) == off-s {
			return s
		}
		hi = s + 3
	}
	return -1
}

func (r *reader) inflate(f *zip.File, place string, streams *Streams) ([]byte, int64, error) {
	if b, stream, ok := r.have.lookup(place); ok {
		if int64(len(b)) > r.lim.MaxTotal-r.used {
			return nil, -1, ErrLimit
		}
		r.used += int64(len(b))
		return b, stream, nil
	}
	rc, err := streams.Open(f)
	if err != nil {
		return nil, -1, fmt.Errorf("zipview: entry cannot be opened: %w", ErrNotZip)
	}
	defer rc.Close()
	left := r.lim.MaxTotal - r.used
	b, err := ReadAll(rc, f.UncompressedSize64, left+1)
	if err != nil {
		return nil, -1, fmt.Errorf("zipview: entry cannot be inflated: %w", ErrNotZip)
	}
	if int64(len(b)) > left {
		return nil, -1, ErrLimit
	}
	r.used += int64(len(b))
	return b, streams.Last(), nil
}

// entry emits the views of one entry's bytes.
func (r *reader) entry(b []byte, index int, name, place string, depth int) error {
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) && depth+1 < r.lim.MaxDepth {
		if err := r.archive(b, name+"!", place+"!", index, depth+1); err != nil && !errors.Is(err, ErrNotZip) {
			return err
		}
	}
	if looksXML(b) {
		v := xmlViews(b)
		for k, kind := range [...]string{Joined, Spaced, Attributes, Markup, Names} {
			if err := r.emit(index, name, kind, v[k]); err != nil {
				return err
			}
		}
	}
	if err := r.emit(index, name, Raw, validString(b)); err != nil {
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

// The views of XML entries lexed already, by the SHA-256 of their bytes:
// the documents of a batch share most of their XML byte for byte (the
// theme, styles, settings, font table and numbering of their template),
// and the views are a function of the bytes alone.
//
// Only entries seen in two outputs are kept (admitted on second sight):
// the first time a digest is met only the digest is noted, and the views
// are stored the second time. A document's own XML, in no other output,
// is never held after its file, and what is held is what more than one
// file of the batch holds byte for byte. Measured on the 300 varied DOCX
// of docs/PERFORMANCE.md ("docxdoor"): of 5,269 XML entries of 256 bytes
// or more (16.4 MB), no lookup hits an entry of its own file (a cache per
// file would save nothing) and 3,614 hit an entry of another file (10.8
// MB): the cross-file hits are what the cache buys. Admitted on second
// sight it still serves 3,538 of them (10.5 MB) while holding 76 entries
// (0.23 MB of XML: the templates') instead of all 1,655 distinct ones,
// 1,579 of them (5.3 MB) a single document's.
//
// Entries under lexCacheMin bytes are lexed each time; the cache holds
// views of at most lexCacheMax bytes in all, and digests of at most
// lexOnceMax entries seen once, each started again when full
// (internal/digestcache). The container only is shared with docx's
// independent reading (docx.cachedXML): the two readings stay separate.
const (
	lexCacheMin = 256
	lexCacheMax = 32 << 20
	lexOnceMax  = 1 << 15
)

var lexCache = digestcache.New[[5]string](lexCacheMin, lexCacheMax, lexOnceMax)

// xmlViews returns the joined, spaced, attributes, markup and names views
// of the XML entry b (lex), through the cache.
func xmlViews(b []byte) [5]string {
	v, _ := lexCache.Get(b, func() ([5]string, int, error) {
		views := lex(b).views()
		n := 0
		for _, s := range views {
			n += len(s)
		}
		return views, n, nil
	})
	return v
}

// views returns the five views of l, in xmlViews' order.
func (l *lexed) views() [5]string {
	return [5]string{l.joined.String(), l.spaced.String(), l.attrs.String(), l.markup.String(), l.names.String()}
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
// offset that inflates without error, each bounded to 1 MiB. One reader
// is reset at every header (zlib.Resetter, which reads a header as
// zlib.NewReader does) instead of a new one, with its 32 KiB window,
// made at each: the bytes of text and XML hold such headers by chance
// ("x " is one). A header that asks for a preset dictionary is passed
// over before it is read: without one, zlib refuses it
// (zlib.ErrDictionary).
func (r *reader) zlibStreams(b []byte, index int, name string) error {
	const maxStream = 1 << 20
	var zr io.ReadCloser
	src := new(bytes.Reader)
	for i := 0; i+2 <= len(b); i++ {
		if b[i]&0x0F != 8 || (uint16(b[i])<<8|uint16(b[i+1]))%31 != 0 || b[i]>>4 > 7 || b[i+1]&0x20 != 0 {
			continue
		}
		src.Reset(b[i:])
		var err error
		if zr == nil {
			zr, err = zlib.NewReader(src)
		} else {
			err = zr.(zlib.Resetter).Reset(src, nil)
		}
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
		if err := r.emit(index, name, Inflated, validString(out)); err != nil {
			return err
		}
	}
	return nil
}

// lexed is what the lexer collects of one XML entry.
type lexed struct {
	joined, spaced, attrs, markup, names strings.Builder
	// valid: the whole entry is valid UTF-8, and so is every piece the
	// lexer cuts from it, since it cuts only at ASCII bytes, which are
	// never inside a multi-byte sequence
	valid bool
}

// writeText writes s, a piece of the entry cut at ASCII bytes, to b with
// its references decoded (when decode) and invalid UTF-8 as spaces. Most
// of an entry's text, attribute values and names hold neither a reference
// nor invalid UTF-8, and are written as they are, without a string made of
// them first; in an entry that is valid UTF-8 as a whole, no piece is
// checked again.
func (l *lexed) writeText(b *strings.Builder, s []byte, decode bool) {
	if (!decode || bytes.IndexByte(s, '&') < 0) && (l.valid || utf8.Valid(s)) {
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
	l := &lexed{valid: utf8.Valid(x)}
	text := func(s []byte, decode bool) {
		n := l.joined.Len()
		l.writeText(&l.joined, s, decode)
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

// tagByte classes the bytes of a tag: 0 for a byte of a name or of the
// text between names, cutName for a separator (nameCut), tagEnd for '>',
// quote for the quotes that open a value.
const (
	cutName = 1 + iota
	tagEnd
	quote
)

var tagByte = [256]uint8{' ': cutName, '\t': cutName, '\r': cutName, '\n': cutName, '=': cutName, '/': cutName,
	'>': tagEnd, '"': quote, '\'': quote}

// name writes the name s[from:to] of a tag, trimmed of nameCut bytes, on
// a line of the names view.
func (l *lexed) name(s []byte, from, to int) {
	for from < to && nameCut[s[from]] {
		from++
	}
	for to > from && nameCut[s[to-1]] {
		to--
	}
	if from < to {
		l.writeText(&l.names, s[from:to], false)
		l.names.WriteByte('\n')
	}
}

// tag reads a start or end tag from s (s[0] == '<'), collects its
// attribute values and returns its length. Quotes are honoured, so a '>'
// inside a value does not end the tag.
func (l *lexed) tag(s []byte) int {
	i := 1
	word := 1 // start of the name or attribute name being read
	for i < len(s) {
		c := tagByte[s[i]]
		if c == 0 {
			i++
			for i < len(s) && tagByte[s[i]] == 0 {
				i++
			}
			continue
		}
		switch c {
		case cutName:
			if word < i {
				l.name(s, word, i)
			}
			word = i + 1
			i++
		case tagEnd:
			if word < i {
				l.name(s, word, i)
			}
			return i + 1
		default: // quote
			j := bytes.IndexByte(s[i+1:], s[i])
			if j < 0 {
				l.writeText(&l.attrs, s[i+1:], true)
				l.attrs.WriteByte('\n')
				return len(s)
			}
			l.writeText(&l.attrs, s[i+1:i+1+j], true)
			l.attrs.WriteByte('\n')
			i += j + 2
			word = i
		}
	}
	if word < len(s) {
		l.name(s, word, len(s))
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

// Streams counts the compressed bytes the deflate stream of each entry of
// one zip.Reader takes as it is read, for Shared and the File view.
type Streams struct {
	last *Counter
	c    *Counter // reused: the entries of one reader are read one by one
}

// CountStreams makes the deflated entries of zr, opened with Open,
// counted (it registers zr's deflate decompressor).
func CountStreams(zr *zip.Reader) *Streams {
	s := &Streams{}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser {
		if s.c == nil {
			s.c = NewCounter(r)
		} else {
			s.c.Reset(r)
		}
		c := s.c
		s.last = c
		fr, _ := inflaters.Get().(io.ReadCloser)
		if fr == nil {
			fr = flate.NewReader(c)
		} else {
			fr.(flate.Resetter).Reset(c, nil)
		}
		return &countedInflater{fr: fr, c: c}
	})
	return s
}

// Open opens f (an entry of the zip.Reader of s).
func (s *Streams) Open(f *zip.File) (io.ReadCloser, error) {
	s.last = nil
	return f.Open()
}

// Last returns the compressed bytes the deflate stream of the entry last
// opened with Open took, once it was read to its end without error; -1 if
// it was not deflated or not so read. It may count one byte past the
// stream's end (flate reads ahead at most one byte for a code).
func (s *Streams) Last() int64 {
	if s.last == nil || !s.last.done {
		return -1
	}
	return s.last.Taken()
}

var inflaters sync.Pool

// Counter is what compress/flate reads a deflate stream from, counting
// the compressed bytes the stream takes: a buffered reader that implements
// io.ByteReader, so flate reads from it directly (flate.NewReader adds no
// buffer of its own), and the bytes flate took are those read from r less
// those still buffered (Taken). Streams counts with it, and so does any
// other reader of an entry whose count must be Streams.Last's exactly
// (ooxml.Budget.ReadStream): the same compressed bytes, read by flate
// through a Counter to the stream's end, give the same count.
type Counter struct {
	r        io.Reader
	buf      []byte
	pos, end int   // buf[pos:end] is read from r, not yet taken
	read     int64 // bytes read from r
	done     bool  // the stream ended (io.EOF from flate)
}

// NewCounter returns a Counter reading r.
func NewCounter(r io.Reader) *Counter {
	return &Counter{r: r, buf: make([]byte, 4096)}
}

// Reset makes c read r from its start, counting from zero (its buffer is
// kept).
func (c *Counter) Reset(r io.Reader) {
	c.r, c.pos, c.end, c.read, c.done = r, 0, 0, 0, false
}

// Taken returns the bytes handed on so far (read from r, less those still
// buffered). Read to a deflate stream's end by flate, it is the stream's
// compressed length, maybe one byte more (flate may read one byte past
// the end for a code).
func (c *Counter) Taken() int64 { return c.read - int64(c.end-c.pos) }

// Fetched returns the bytes read from r so far, buffered ones included.
func (c *Counter) Fetched() int64 { return c.read }

func (c *Counter) fill() error {
	for tries := 0; tries < 100; tries++ {
		n, err := c.r.Read(c.buf)
		c.pos, c.end = 0, n
		c.read += int64(n)
		if n > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

func (c *Counter) ReadByte() (byte, error) {
	if c.pos == c.end {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	b := c.buf[c.pos]
	c.pos++
	return b, nil
}

func (c *Counter) Read(p []byte) (int, error) {
	if c.pos == c.end {
		if len(p) >= len(c.buf) {
			n, err := c.r.Read(p)
			c.read += int64(n)
			return n, err
		}
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.buf[c.pos:c.end])
	c.pos += n
	return n, nil
}

type countedInflater struct {
	fr io.ReadCloser
	c  *Counter
}

func (ci *countedInflater) Read(p []byte) (int, error) {
	if ci.fr == nil {
		return 0, errors.New("zipview: read after close")
	}
	n, err := ci.fr.Read(p)
	if err == io.EOF {
		ci.c.done = true
	}
	return n, err
}

// Close returns the inflater to its pool; the counter stays with its
// Streams (Last reads it) until the next entry is opened.
func (ci *countedInflater) Close() error {
	if ci.fr == nil {
		return nil
	}
	err := ci.fr.Close()
	inflaters.Put(ci.fr)
	ci.fr = nil
	return err
}
