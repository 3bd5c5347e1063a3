package docx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/digestcache"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagetext"
	"github.com/veilhq/veil/redactors/ooxml"
	"github.com/veilhq/veil/redactors/zipview"
)

var _ redactors.IndependentReader = (*Document)(nil)

// IndependentText implements redactors.IndependentReader. It reads data
// with code that shares nothing with the scanner that finds text for
// redaction (ooxml.Walk, its zip reader and lexer, and this package's
// visitor): Go's archive/zip opens the archive (every entry, whatever its
// name or content type, and archives nested in it) and zipview.Tokenizer
// (encoding/xml's tokens, FuzzTokenizer) reads every entry that starts
// like XML. Of every element it takes the
// character data and every attribute value, whatever the element, and
// leaves out only what the closed vocabulary of structural values
// (ooxml.Vocabulary) calls structure, so that detection does not read
// identifiers, enumerations and measurements as names. Each XML entry
// gives two texts: its character data (text runs joined within a
// paragraph, a line per paragraph, every other element's character data
// on a line of its own, and so are comments, processing instructions and
// declarations) and its attribute values (one a line). An XML
// entry that does not parse is an error: what cannot be read is not
// verified. Of an image entry it takes the text of its metadata
// (redactors/imagetext: EXIF, XMP, IPTC, comments, text chunks), which
// the writer strips, so that none should remain. (Other bytes outside
// XML, which no detector reads as words, are searched for the removed
// values by Leaks.)
//
// The entries d's parse inflated already (an output's, or its input's
// where the output copies them byte for byte) are not inflated again:
// see Document.parsedEntry.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	ir, err := d.independent(data, true)
	if err != nil {
		return nil, err
	}
	d.shared.keep(data, ir.inflated, ir.streams)
	return ir.out, nil
}

// independent reads data independently; share: taking the entries d's
// parse inflated (parsedEntry).
func (d *Document) independent(data []byte, share bool) (*independentReader, error) {
	lim := d.opts.Limits.OrDefault()
	ir := &independentReader{vocab: ooxml.Standard(), left: lim.MaxTotalSize, maxEntries: lim.MaxEntries, inflated: map[string][]byte{}, streams: map[string]int64{}}
	if share {
		ir.parsed = func(i int, f *zip.File) ([]byte, int64, bool) { return d.parsedEntry(data, i, f) }
	}
	if err := ir.archive(data, "", "", -1, 0); err != nil {
		return nil, err
	}
	return ir, nil
}

type independentReader struct {
	vocab      *ooxml.Vocabulary
	left       int64 // bytes that may still be inflated
	maxEntries int
	out        []redactors.Part
	inflated   map[string][]byte // the entries' bytes by place (zipview.Shared)
	streams    map[string]int64  // their deflate streams' compressed bytes (zipview.Streams.Last)
	// parsed gives top-level entry i (f) as the parse of the same file
	// inflated it (Document.parsedEntry)
	parsed func(i int, f *zip.File) (b []byte, stream int64, ok bool)
	shared int // entries taken from parsed (tests)
}

// sharedEntries holds the entries the last independent reading of a file
// inflated (archive/zip), by place, for Leaks over the same bytes
// (zipview.ReadShared): verify reads every output both ways, and one
// decompression serves both. Leaks takes them and the memory is freed.
type sharedEntries struct {
	mu   sync.Mutex
	data []byte // the file they were read from (the same slice)
	m    map[string][]byte
	n    map[string]int64 // the compressed bytes of their deflate streams
}

func (s *sharedEntries) keep(data []byte, m map[string][]byte, n map[string]int64) {
	s.mu.Lock()
	s.data, s.m, s.n = data, m, n
	s.mu.Unlock()
}

// take returns the entries read from data (the same slice, not equal
// bytes), with the compressed bytes of their deflate streams
// (zipview.Shared), and forgets them; nil if the last reading was of
// other data.
func (s *sharedEntries) take(data []byte) (map[string][]byte, map[string]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, n := s.m, s.n
	same := len(data) > 0 && len(s.data) == len(data) && &s.data[0] == &data[0]
	s.data, s.m, s.n = nil, nil, nil
	if !same {
		return nil, nil
	}
	return m, n
}

// archive reads the entries of one zip archive; prefix names the entries
// of a nested one ("outer!"), places is their place's prefix
// (zipview.Shared), outer is the top-level entry's index.
func (ir *independentReader) archive(data []byte, prefix, places string, outer, depth int) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if depth > 0 {
			return nil // an entry that only starts like a zip: its bytes are Leaks'
		}
		return fmt.Errorf("docx: independent reading: output is not a readable zip: %w", redactors.ErrCorrupt)
	}
	if len(zr.File) > ir.maxEntries {
		return fmt.Errorf("docx: independent reading: %w", redactors.ErrTooLarge)
	}
	streams := zipview.CountStreams(zr)
	for i, f := range zr.File {
		index := outer
		if depth == 0 {
			index = i
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		b, stream, err := ir.inflate(f, i, depth, streams)
		if err != nil {
			return err
		}
		if ir.left -= int64(len(b)); ir.left < 0 {
			return fmt.Errorf("docx: independent reading: %w", redactors.ErrTooLarge)
		}
		name, place := prefix+f.Name, places+strconv.Itoa(i)
		ir.inflated[place] = b
		ir.streams[place] = stream
		if bytes.HasPrefix(b, []byte("PK\x03\x04")) && depth < 2 {
			if err := ir.archive(b, name+"!", place+"!", index, depth+1); err != nil {
				return err
			}
			continue
		}
		safe := safeName(name, index)
		if !startsXML(b) {
			// An image's metadata (imagetext: EXIF, XMP, IPTC, comments,
			// text chunks), which the writer strips.
			for _, f := range imagetext.Read(b) {
				ir.out = append(ir.out, redactors.Part{Name: safe + " (independent reading: image metadata: " + f.Kind + ")", Text: f.Text})
			}
			continue
		}
		text, attrs, err := cachedXML(ir.vocab, b)
		if err != nil {
			return fmt.Errorf("docx: independent reading of %s: %w", safe, redactors.ErrCorrupt)
		}
		if strings.TrimSpace(text) != "" {
			ir.out = append(ir.out, redactors.Part{Name: safe + " (independent reading: character data)", Text: text})
		}
		if strings.TrimSpace(attrs) != "" {
			ir.out = append(ir.out, redactors.Part{Name: safe + " (independent reading: attribute values)", Text: attrs})
		}
	}
	return nil
}

// inflate returns the bytes of entry i (f) of an archive at depth, and the
// compressed bytes its deflate stream took (zipview.Streams.Last; -1 if
// not deflated), at most ir.left+1 bytes of them. A top-level entry the
// parse of the same file inflated already is taken from it (see
// Document.parsedEntry); every other one is inflated here, by
// archive/zip.
func (ir *independentReader) inflate(f *zip.File, i, depth int, streams *zipview.Streams) ([]byte, int64, error) {
	if depth == 0 && ir.parsed != nil {
		if b, stream, ok := ir.parsed(i, f); ok {
			ir.shared++
			if int64(len(b)) > ir.left {
				return nil, -1, fmt.Errorf("docx: independent reading: %w", redactors.ErrTooLarge)
			}
			return b, stream, nil
		}
	}
	rc, err := streams.Open(f)
	if err != nil {
		return nil, -1, fmt.Errorf("docx: independent reading: an entry cannot be opened: %w", redactors.ErrCorrupt)
	}
	b, err := zipview.ReadAll(rc, f.UncompressedSize64, ir.left+1)
	rc.Close()
	if err != nil {
		return nil, -1, fmt.Errorf("docx: independent reading: an entry cannot be inflated: %w", redactors.ErrCorrupt)
	}
	return b, streams.Last(), nil
}

// parsedEntry returns the bytes of entry i of data, f as another
// zip.Reader of data reads it, as the parse of data that made d inflated
// them, with the compressed bytes their deflate stream took
// (ooxml.Budget.ReadStream, counted as zipview.Streams.Last counts); ok
// false when d was not parsed from data (the same slice) or did not
// inflate that entry, and the independent reading inflates it itself.
//
// Why the independent reading may take them: what makes it independent is
// its interpretation of the bytes (which entries exist, which are XML,
// where text lives in them, what is structure), not their decompression.
// Both decompress with compress/flate, and the same compressed bytes
// inflate to the same bytes whoever calls flate; archive/zip's own checks
// are split: the header fields and the data descriptor are checked here as
// Open checks them, and the CRC-32 and size of the inflated content were
// checked by the parse that inflated them (ooxml.Budget.ReadStream, which
// refuses a mismatch), so an entry the independent reading's archive/zip
// would refuse is inflated by it and refused. The bytes are those of the very entry: the same
// directory record (name, method, flags, CRC-32, sizes, data offset) of
// the same file, so the same compressed bytes; or, in an output that
// Reparse read, the bytes of the input entry whose compressed bytes
// Document.copied compared byte for byte with these (not a CRC alone).
func (d *Document) parsedEntry(data []byte, i int, f *zip.File) ([]byte, int64, bool) {
	if len(data) == 0 || len(d.data) != len(data) || &d.data[0] != &data[0] || i < 0 || i >= len(d.entries) {
		return nil, -1, false
	}
	e := d.entries[i]
	g := e.f
	if e.xml == nil || (f.Method != zip.Store && f.Method != zip.Deflate) || (f.Method == zip.Deflate && e.stream < 0) ||
		g.Name != f.Name || g.Method != f.Method || g.Flags != f.Flags || g.CRC32 != f.CRC32 ||
		g.CompressedSize64 != f.CompressedSize64 || g.UncompressedSize64 != f.UncompressedSize64 ||
		uint64(len(e.xml)) != f.UncompressedSize64 {
		return nil, -1, false
	}
	a, err := g.DataOffset()
	if err != nil {
		return nil, -1, false
	}
	b, err := f.DataOffset()
	if err != nil || a != b || b < 0 {
		return nil, -1, false
	}
	if f.Flags&0x8 != 0 && !descriptorOK(data, b+int64(f.CompressedSize64), f.CRC32) {
		return nil, -1, false
	}
	if f.Method != zip.Deflate {
		return e.xml, -1, true
	}
	return e.xml, e.stream, true
}

// descriptorOK reports whether the data descriptor at off in data holds
// crc, as archive/zip checks it when an entry is read to its end: four
// bytes of signature or not, then the CRC-32 (its sizes are not read).
func descriptorOK(data []byte, off int64, crc uint32) bool {
	if off < 0 || off+12 > int64(len(data)) {
		return false
	}
	d := data[off:]
	if binary.LittleEndian.Uint32(d) == 0x08074b50 {
		if off+16 > int64(len(data)) {
			return false
		}
		d = d[4:]
	}
	return binary.LittleEndian.Uint32(d) == crc
}

// The readings of XML entries already read, by the SHA-256 of their
// bytes: a batch's documents share most of their entries byte for byte
// (theme, styles, font table, settings, relationships and content types
// of one template), and the reading is a function of the bytes alone (the
// vocabulary is fixed), so reading a repeated entry again would give the
// same texts. As zipview's views (xmlViews), a reading is kept only when
// its entry is met a second time: a document's own XML is not held after
// its file. Entries under cacheMin bytes are read each time; the cache
// holds readings of at most cacheMax bytes in all, and digests of at most
// cacheOnceMax entries seen once, each started again when full.
const (
	cacheMin     = 256
	cacheMax     = 32 << 20
	cacheOnceMax = 1 << 15
)

var xmlCache = digestcache.New[[2]string](cacheMin, cacheMax, cacheOnceMax)

// cachedXML is independentXML over b, through the cache. Only the
// container (internal/digestcache) is shared with zipview's views: the
// reading stays this package's own, independent of the redactor's.
func cachedXML(vocab *ooxml.Vocabulary, b []byte) (text, attrs string, err error) {
	if vocab != ooxml.Standard() {
		return independentXML(vocab, validUTF8(b))
	}
	v, err := xmlCache.Get(b, func() ([2]string, int, error) {
		text, attrs, err := independentXML(vocab, validUTF8(b))
		return [2]string{text, attrs}, len(text) + len(attrs), err
	})
	return v[0], v[1], err
}

// startsXML reports whether b starts like XML (after a byte-order mark and
// white space).
func startsXML(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// independentXML reads one XML entry with zipview.Tokenizer (the tokens
// of encoding/xml, HTML's named references included, at a fraction of
// its cost; it shares no code with ooxml.Walk) and returns its character
// data and its attribute values that the vocabulary does not call
// structural (see IndependentText).
func independentXML(vocab *ooxml.Vocabulary, x []byte) (text, attrs string, err error) {
	tz := zipview.NewTokenizer(x, xml.HTMLEntity)
	cl := vocab.NewClassifier() // the rule of each slot, looked up once (the tokenizer interns names)
	defer cl.Release()
	var t, a strings.Builder
	var cur *ooxml.Element
	seen := map[string]bool{}     // attribute values written already
	prefixes := map[string]bool{} // namespace prefixes declared in the entry
	line := func(b *strings.Builder) {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		tok, err := tz.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", err
		}
		switch tok.Kind {
		case zipview.TokStart:
			// The tokenizer resolves prefixes to namespace URIs, as
			// the vocabulary wants them.
			e := &ooxml.Element{Name: xml.Name(tok.Name), Parent: cur}
			if cur != nil {
				e.Depth = cur.Depth + 1
			}
			cur = e
			for _, at := range tok.Attr {
				if at.Name.Space == "xmlns" {
					prefixes[at.Name.Local] = true
				}
			}
			for _, at := range tok.Attr {
				if cl.ClassifyAttr(e, xml.Name(at.Name), at.Value) == ooxml.Structural || seen[at.Value] || allIn(prefixes, at.Value) {
					continue
				}
				seen[at.Value] = true
				val := at.Value
				switch {
				case at.Name.Local == "instr":
					val = fieldStructure(vocab, val)
				case at.Name.Local == "style" && at.Name.Space == "":
					val = styleStructure(vocab, val)
				}
				if u, err := url.PathUnescape(val); err == nil {
					val = u // a link's target as a reader sees it
				}
				a.WriteString(strings.ReplaceAll(val, "\n", " "))
				a.WriteByte('\n')
			}
			switch e.Name.Local {
			case "tab":
				t.WriteByte(' ')
			case "br", "cr":
				line(&t)
			}
		case zipview.TokEnd:
			if cur == nil {
				continue
			}
			if cur.Name.Local == "p" {
				line(&t)
			}
			cur = cur.Parent
		case zipview.TokComment, zipview.TokDirective:
			line(&t)
			t.WriteString(strings.ReplaceAll(string(tok.Data), "\n", " "))
			line(&t)
		case zipview.TokProcInst:
			if tok.Name.Local != "xml" {
				line(&t)
				t.WriteString(tok.Name.Local + " " + strings.ReplaceAll(string(tok.Data), "\n", " "))
				line(&t)
			}
		case zipview.TokText:
			if cur == nil || cl.ClassifyText(cur, string(tok.Data)) == ooxml.Structural {
				continue
			}
			if l := cur.Name.Local; l != "t" && l != "delText" {
				line(&t)
				s := strings.ReplaceAll(string(tok.Data), "\n", " ")
				if l == "instrText" {
					s = fieldStructure(vocab, s)
				}
				t.WriteString(s)
				line(&t)
				continue
			}
			t.Write(tok.Data)
		}
	}
	return t.String(), a.String(), nil
}

// validUTF8 returns b, or a copy with each invalid sequence a space.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte(" "))
}

// allIn reports whether every word of v is in set: a list of namespace
// prefixes (mc:Ignorable, mc:ProcessContent), which the vocabulary checks
// against the declarations in scope of the element.
func allIn(set map[string]bool, v string) bool {
	f := strings.Fields(v)
	for _, w := range f {
		if !set[w] {
			return false
		}
	}
	return len(f) > 0
}

// fieldStructure blanks the words of a field instruction that are its
// structure, not values: the field type (the first word, when it is in
// the vocabulary's closed list in any case: MERGEFIELD, PAGEREF), switches (\h, \*) and the
// general formats after \* (MERGEFORMAT, ARABIC), and the words that have
// the shape of a bookmark Word named itself (PAGEREF _Toc160000001, REF
// _Ref123: the instruction's targets, structure like an id). The analysis
// shows a field's arguments only (scan.go, fieldArgs), so these words were
// never judged there; left in the independent reading, re-detection judged
// them alone, and whether a field type read as a name then depended on the
// model's weights. Field names, paths, quoted text and every word that is
// in no list stay, so a value hidden in an instruction is still read.
func fieldStructure(vocab *ooxml.Vocabulary, instr string) string {
	f := strings.Fields(instr)
	format := false
	for i, w := range f {
		after := format
		format = w == `\*`
		switch {
		case len(w) == 2 && w[0] == '\\',
			i == 0 && vocab.Fits("fieldtype", w),
			after && vocab.Fits("fieldformat", w),
			vocab.Fits("bookmark", w) && strings.HasPrefix(w, "_"):
			f[i] = ""
		}
	}
	return strings.Join(f, " ")
}

// styleStructure returns a CSS style attribute (VML's) with the font names
// that the vocabulary lists as fonts emptied ("font-family:\"\""): the
// fonts the redactor writes in place of a user's (typography.go) are
// structure like the same font in a font slot, and left in, re-detection
// judged a font name alone. Any other font name, every other declaration
// and the rest of a font shorthand stay, so a name hidden in a style is
// still read. The font declarations are font-family, any
// mso-…font-family and mso-font-alt (what a user's font name can be
// written in), and the font shorthand, whose family is what follows the
// size; this reading finds them on its own.
func styleStructure(vocab *ooxml.Vocabulary, style string) string {
	if !hasFont(style) {
		return style
	}
	listed := func(v string) bool {
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		return v != "" && vocab.Fits("font", v)
	}
	decls := strings.Split(style, ";")
	for k, d := range decls {
		p, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		switch name := strings.ToLower(strings.TrimSpace(p)); {
		case name == "font-family" || name == "mso-font-alt" ||
			strings.HasPrefix(name, "mso-") && strings.HasSuffix(name, "font-family") && name != "mso-generic-font-family":
			if listed(v) {
				decls[k] = p + `:""`
			}
		case name == "font":
			w, family := strings.Fields(v), -1 // the family starts at w[family]
			for i := range w {
				if c := w[i][0]; c >= '0' && c <= '9' || c == '.' {
					family = i + 1
					break
				}
			}
			switch {
			case family < 0 && listed(v): // no size: the value is the family
				decls[k] = p + `:""`
			case family >= 0 && listed(strings.Join(w[family:], " ")):
				decls[k] = p + ":" + strings.Join(w[:family], " ") + ` ""`
			}
		}
	}
	return strings.Join(decls, ";")
}

// hasFont reports whether s holds "font" in any case.
func hasFont(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if s[i]|0x20 == 'f' && s[i+1]|0x20 == 'o' && s[i+2]|0x20 == 'n' && s[i+3]|0x20 == 't' {
			return true
		}
	}
	return false
}
