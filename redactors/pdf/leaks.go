package pdf

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"

	"github.com/veilhq/veil/redactors"
)

// Leaks implements redactors.LeakChecker: it reads every string, name and
// stream of the file and reports where find matches. The receiver must be
// the Document parsed from data.
//
// What is searched, and how:
//   - strings (as PDF text strings and as raw bytes) and names everywhere,
//     except names the PDF specification defines (pdfnames.txt);
//   - content streams the interpreter ran (pages and the forms they draw):
//     everything but operators, numbers, standard names and the strings
//     shown as text, whose glyphs are in the page text the engine checks;
//     comments and other strings included;
//   - the bytes of those shown strings as a naive reader sees them: codes
//     that are ASCII letters or digits (one byte, or two bytes 00xx) read
//     as themselves, whatever the font maps them to, joined into words by
//     the geometry the renderer draws them with (byteReading), so that a
//     font whose ToUnicode map disagrees with its codes cannot hide a
//     value; this reading does not use the font's text at all;
//   - CMaps (a font's ToUnicode or embedded encoding, or of Type CMap):
//     comments, literal strings and names that are not vocabulary
//     (cmapView); their hex strings are codes and code points, whose text
//     is the page text the engine checks;
//   - every other stream as raw decoded bytes (Type 3 glyph procedures,
//     patterns), except images, font programs, ICC profiles and
//     cross-reference streams: pixels and outlines, not text;
//   - of images, the metadata their data can carry (imageMetaView): JPEG
//     APPn and comment segments, JPEG 2000 boxes other than the
//     codestream and its comments, as bytes and as UTF-16.
func (d *Document) Leaks(data []byte, find func(string) bool) (where []string, err error) {
	stage := "leaks"
	defer catch(&err, &stage)
	if d.ctx == nil {
		return nil, errors.New("pdf: leaks: the document was redacted; parse the output")
	}
	x := d.ctx.XRefTable
	nrs := make([]int, 0, len(x.Table))
	for nr := range x.Table {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	// Font programs hold glyph outlines and the font's own notices, not
	// document text; like images they are not searched (fonts' names and
	// dictionaries are).
	fontFiles := map[int]bool{}
	// CMaps (a font's ToUnicode map, a composite font's embedded
	// encoding) are read without their hex strings, as the objects part
	// reads them (cmapView): those are codes and code points, and their
	// keywords (/Registry, /Ordering) are vocabulary.
	cmaps := map[int]bool{}
	for _, nr := range nrs {
		if e := x.Table[nr]; e != nil && !e.Free && e.Object != nil {
			d.cmapRefs(e.Object, cmaps, 0)
			if fd, ok := e.Object.(types.Dict); ok && d.r.name(fd["Type"]) == "FontDescriptor" {
				for _, k := range []string{"FontFile", "FontFile2", "FontFile3"} {
					if ref, ok := fd[k].(types.IndirectRef); ok {
						fontFiles[ref.ObjectNumber.Value()] = true
					}
				}
			}
		}
	}
	shown := d.shownStrings()
	held := d.decodedContent()
	var strs []string
	for _, nr := range nrs {
		e := x.Table[nr]
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		gen := 0
		if e.Generation != nil {
			gen = *e.Generation
		}
		o := d.r.resolve(*types.NewIndirectRef(nr, gen))
		hit := false
		strs = collectStrings(o, strs[:0], 0)
		for _, s := range strs {
			if find(s) {
				hit = true
				break
			}
		}
		if sd, ok := o.(types.StreamDict); ok && !hit && !fontFiles[nr] && !binaryStream(d.r, sd.Dict) {
			b, ok := held[nr]
			if !ok {
				// Read once: decoded within the budget, not kept.
				var err error
				if b, err = d.r.decodeOnce(&sd, 0); errors.Is(err, errBudget) {
					return nil, fmt.Errorf("pdf: %s: %w", d.r.budgetError(), redactors.ErrUninspectable)
				} else if err != nil {
					return nil, fmt.Errorf("pdf: object %d cannot be decoded for inspection: %w", nr, redactors.ErrUninspectable)
				}
			}
			if spans, ok := shown[nr]; ok {
				hit = find(contentView(b, spans))
			} else if cmaps[nr] || d.r.name(sd.Dict["Type"]) == "CMap" {
				hit = find(cmapView(b))
			} else {
				hit = find(string(b))
			}
		}
		if sd, ok := o.(types.StreamDict); ok && !hit && d.r.name(sd.Dict["Subtype"]) == "Image" {
			m, err := d.imageMetaView(&sd)
			if err != nil {
				return nil, fmt.Errorf("pdf: object %d: an image's metadata cannot be read for inspection: %w", nr, redactors.ErrUninspectable)
			}
			hit = m != "" && find(m)
		}
		if hit {
			where = append(where, fmt.Sprintf("object %d", nr))
		}
	}
	for i, pm := range d.models {
		if b, differs := pm.text.byteReading(); differs && find(b) {
			where = append(where, fmt.Sprintf("page %d (character codes read as bytes)", i+1))
		}
	}
	return where, nil
}

// cmapRefs adds to cmaps the streams o refers to as a font's CMap (the
// /ToUnicode of any dictionary, the /Encoding of a font when it is a
// stream), looking into direct dictionaries and arrays (fonts inline in
// resources).
func (d *Document) cmapRefs(o types.Object, cmaps map[int]bool, depth int) {
	if depth > 8 {
		return
	}
	switch v := o.(type) {
	case types.Dict:
		for k, e := range v {
			if ref, ok := e.(types.IndirectRef); ok {
				if k == "ToUnicode" || k == "Encoding" {
					if sd, _ := d.r.stream(ref); sd != nil {
						cmaps[ref.ObjectNumber.Value()] = true
					}
				}
				continue
			}
			d.cmapRefs(e, cmaps, depth+1)
		}
	case types.Array:
		for _, e := range v {
			d.cmapRefs(e, cmaps, depth+1)
		}
	}
}

// decodedContent returns the decoded bytes of the content streams and
// forms the page models hold, by object number: the leak check reads
// them there rather than decoding them again.
func (d *Document) decodedContent() map[int][]byte {
	out := map[int][]byte{}
	for _, pm := range d.models {
		for id := range pm.insts {
			inst := &pm.insts[id]
			if id == 0 {
				for _, p := range pm.parts {
					if p.nr > 0 {
						out[p.nr] = inst.data[p.start:p.end]
					}
				}
			} else if inst.formNr > 0 {
				out[inst.formNr] = inst.data
			}
		}
	}
	return out
}

// shownStrings returns, for every content stream the parse pass ran, the
// sorted spans of the strings it read as text (the key is present, with
// no spans, for a stream that shows no text).
func (d *Document) shownStrings() map[int][]int32 {
	out := map[int][]int32{}
	for _, pm := range d.models {
		for id := range pm.insts {
			inst := &pm.insts[id]
			if id == 0 {
				for _, p := range pm.parts {
					if p.nr == 0 {
						continue
					}
					sp := out[p.nr]
					for k := 0; k+1 < len(inst.shown); k += 2 {
						if s, e := int(inst.shown[k]), int(inst.shown[k+1]); s >= p.start && e <= p.end {
							sp = append(sp, int32(s-p.start), int32(e-p.start))
						}
					}
					out[p.nr] = sp
				}
				continue
			}
			if inst.formNr > 0 {
				out[inst.formNr] = append(out[inst.formNr], inst.shown...)
			}
		}
	}
	for nr, sp := range out {
		out[nr] = sortSpans(sp)
	}
	return out
}

// sortSpans sorts (start, end) pairs by start and drops duplicates.
func sortSpans(sp []int32) []int32 {
	n := len(sp) / 2
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sorted := true
	for i := 1; i < n; i++ {
		if sp[2*i] <= sp[2*i-2] {
			sorted = false
			break
		}
	}
	if sorted {
		return sp
	}
	sort.Slice(idx, func(a, b int) bool { return sp[2*idx[a]] < sp[2*idx[b]] })
	out := make([]int32, 0, len(sp))
	for _, i := range idx {
		if len(out) > 0 && out[len(out)-2] == sp[2*i] {
			continue
		}
		out = append(out, sp[2*i], sp[2*i+1])
	}
	return out
}

// contentView returns what a reader can find in a content stream besides
// the shown strings (spans): comments, other strings decoded, names that
// are not PDF vocabulary and anything that is not an operator. Operators,
// numbers and inline image data become spaces.
func contentView(data []byte, spans []int32) string {
	var b strings.Builder
	b.Grow(len(data) / 4)
	l := &lexer{data: data}
	last, k := 0, 0
	for {
		t := l.next()
		b.Write(data[last:t.start]) // white space and comments
		if t.kind == tEOF {
			break
		}
		last = t.end
		b.WriteByte(' ')
		switch t.kind {
		case tStr, tHex:
			for k+1 < len(spans) && int(spans[k]) < t.start {
				k += 2
			}
			if k+1 < len(spans) && int(spans[k]) == t.start && int(spans[k+1]) == t.end {
				break
			}
			var raw []byte
			if t.kind == tHex {
				raw = hexBytes(data[t.start+1 : t.end])
			} else {
				raw = literalBytes(data[t.start:t.end])
			}
			b.WriteString(textString(raw))
		case tName:
			if n := nameString(data[t.start:t.end]); !pdfName(n) {
				b.WriteString(n)
			}
		case tOp:
			op := string(data[t.start:t.end])
			if op == "ID" {
				l.skipInlineImage()
				last = l.pos
			} else if !contentOps[op] {
				b.WriteString(op)
			}
		case tJunk:
			b.Write(data[t.start:t.end])
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// contentOps are the operators of content streams (ISO 32000-1 Annex A)
// and the keywords true, false and null.
var contentOps = map[string]bool{}

func init() {
	for _, op := range strings.Fields(`b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' " true false null`) {
		contentOps[op] = true
	}
}

//go:embed pdfnames.txt
var pdfNamesText string

var pdfNames = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(pdfNamesText, "\n") {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' {
			m[l] = true
		}
	}
	return m
})

// pdfName reports a name the PDF specification defines.
func pdfName(n string) bool { return pdfNames()[n] }

// byteReading returns the page text with every glyph whose code is a
// one-byte ASCII letter or digit, or a two-byte code 00xx whose xx is one,
// replaced by that byte, and whether it differs from the text (ignoring
// case). The glyphs keep the page text's places and separators: the
// positions the renderer draws them at, whatever the font's ToUnicode
// map says they are.
func (t *textBuilder) byteReading() (string, bool) {
	text := t.b.String()
	differs := false
	for i := range t.glyphs {
		g := &t.glyphs[i]
		if r := g.rawLetter(); r != 0 && (g.end-g.start != 1 || lowerASCII(text[g.start]) != lowerASCII(r)) {
			differs = true
			break
		}
	}
	if !differs {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(text))
	last := int32(0)
	for i := range t.glyphs {
		g := &t.glyphs[i]
		if g.start < last {
			continue
		}
		b.WriteString(sepBefore(text, last, i, g)) // letter-spaced letters read as one word
		if r := g.rawLetter(); r != 0 {
			b.WriteByte(r)
		} else {
			b.WriteString(text[g.start:g.end])
		}
		last = g.end
	}
	b.WriteString(text[last:])
	return b.String(), true
}

// rawLetter returns the ASCII letter or digit the glyph's code is as
// bytes (one byte, or a two-byte code 00xx), or 0.
func (g *glyph) rawLetter() byte {
	if asciiAlnum(g.raw) {
		return g.raw
	}
	return g.raw2
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// collectStrings appends the decoded text of every string in o, and every
// name (keys included) that is not PDF vocabulary.
func collectStrings(o types.Object, out []string, depth int) []string {
	if depth > 64 {
		return out
	}
	switch v := o.(type) {
	case types.StringLiteral:
		b, err := types.Unescape(string(v))
		if err == nil {
			out = append(out, textString(b))
		}
		out = append(out, string(v))
	case types.HexLiteral:
		if b, err := v.Bytes(); err == nil {
			out = append(out, textString(b))
		}
	case types.Name:
		if !pdfName(string(v)) {
			out = append(out, string(v))
		}
	case types.Dict:
		for k, e := range v {
			if !pdfName(k) {
				out = append(out, k)
			}
			switch k {
			case "CharSet", "Differences":
				out = collectGlyphNames(e, out)
				continue
			}
			out = collectStrings(e, out, depth+1)
		}
	case types.StreamDict:
		out = collectStrings(v.Dict, out, depth+1)
	case types.Array:
		for _, e := range v {
			out = collectStrings(e, out, depth+1)
		}
	}
	return out
}

// collectGlyphNames appends what a font descriptor's /CharSet (a string of
// glyph names: "/space/A/paragraph") or an encoding's /Differences holds
// besides standard glyph names: those name the font's repertoire
// ("paragraph" is a glyph, not a word of the document), anything else is
// read like a string.
func collectGlyphNames(o types.Object, out []string) []string {
	switch v := o.(type) {
	case types.StringLiteral, types.HexLiteral:
		var b []byte
		if sl, ok := v.(types.StringLiteral); ok {
			b, _ = types.Unescape(string(sl))
		} else {
			b, _ = v.(types.HexLiteral).Bytes()
		}
		var rest []string
		for _, n := range strings.Split(string(b), "/") {
			if n = strings.TrimSpace(n); n != "" && !standardGlyphName(n) {
				rest = append(rest, n)
			}
		}
		if len(rest) > 0 {
			out = append(out, strings.Join(rest, " "))
		}
	case types.Array:
		for _, e := range v {
			if n, ok := e.(types.Name); ok && standardGlyphName(string(n)) {
				continue
			}
			out = collectStrings(e, out, 1)
		}
	default:
		out = collectStrings(o, out, 1)
	}
	return out
}

// standardGlyphName reports a glyph name of the Adobe Glyph List, or
// uniXXXX / uXXXX, with at most a short suffix (".sc", ".alt", ".001").
// Ligature names joined by '_' are not: their parts could spell anything.
func standardGlyphName(n string) bool {
	aglOnce.Do(loadAGL)
	if _, ok := agl[n]; ok {
		return true
	}
	if i := strings.IndexByte(n, '.'); i > 0 && len(n)-i <= 5 {
		n = n[:i]
	}
	if strings.Contains(n, "_") {
		return false
	}
	_, ok := glyphComponent(n)
	return ok
}

// textString decodes a PDF text string: UTF-16 with a byte-order mark, or
// PDFDocEncoding (read as Windows-1252, which agrees on the letters).
func textString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}

// binaryStream reports streams whose bytes are not text a reader sees:
// images, ICC colour profiles (their notices name the profile's vendor),
// cross-reference and object streams.
func binaryStream(r *reader, d types.Dict) bool {
	if r.name(d["Subtype"]) == "Image" {
		return true
	}
	switch r.name(d["Type"]) {
	case "XRef", "ObjStm":
		return true
	}
	_, icc := d["N"]
	return icc && d["Subtype"] == nil
}

// imageMetaView returns the text an image's data can carry besides its
// pixels: a JPEG's APPn and comment segments, a JPEG 2000 file's boxes
// other than the codestream and the codestream's comments, read as bytes
// (runs of printable characters) and as UTF-16 in both byte orders. Other
// images (raw samples, CCITT, JBIG2) hold pixels only.
func (d *Document) imageMetaView(sd *types.StreamDict) (string, error) {
	fs := sd.FilterPipeline
	if len(fs) == 0 {
		return "", nil
	}
	last := fs[len(fs)-1].Name
	if last != filter.DCT && last != filter.JPX {
		return "", nil
	}
	data := sd.Raw
	if len(fs) > 1 {
		b, err := d.unfilter(sd, fs[:len(fs)-1])
		if err != nil {
			return "", err
		}
		data = b
	}
	var meta [][]byte
	if last == filter.DCT {
		meta = jpegMeta(data)
	} else {
		meta = jpxMeta(data)
	}
	var b strings.Builder
	for _, m := range meta {
		b.WriteString(printableRuns(m))
		b.WriteByte('\n')
		b.WriteString(utf16View(m, binary.LittleEndian))
		b.WriteByte('\n')
		b.WriteString(utf16View(m, binary.BigEndian))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// jpegMeta returns the payloads of a JPEG's APPn and COM segments before
// its first scan, and any bytes after its end.
func jpegMeta(b []byte) [][]byte {
	var out [][]byte
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF {
		m := b[i+1]
		if m == 0xFF {
			i++
			continue
		}
		if m == 0xD8 || m >= 0xD0 && m <= 0xD7 || m == 0x01 {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			out = append(out, b[i:])
			return out
		}
		if m >= 0xE0 && m <= 0xEF || m == 0xFE {
			out = append(out, b[i+4:i+2+n])
		}
		if m == 0xDA {
			break
		}
		i += 2 + n
	}
	if e := bytes.LastIndex(b, []byte{0xFF, 0xD9}); e >= 0 && e+2 < len(b) {
		out = append(out, b[e+2:])
	}
	return out
}

// jpxMeta returns the boxes of a JPEG 2000 file other than its codestream,
// and the comment segments of the codestream's main header (a raw
// codestream has those only).
func jpxMeta(b []byte) [][]byte {
	var out [][]byte
	cs := b
	if len(b) >= 12 && string(b[4:8]) == "jP  " {
		cs = nil
		for i := 0; i+8 <= len(b); {
			n := int(binary.BigEndian.Uint32(b[i:]))
			typ := string(b[i+4 : i+8])
			hdr := 8
			switch n {
			case 0:
				n = len(b) - i
			case 1:
				if i+16 > len(b) {
					return append(out, b[i:])
				}
				n, hdr = int(binary.BigEndian.Uint64(b[i+8:])), 16
			}
			if n < hdr || i+n > len(b) {
				return append(out, b[i:])
			}
			switch typ {
			case "jp2c":
				cs = b[i+hdr : i+n]
			case "jP  ", "ftyp":
			default:
				out = append(out, b[i+hdr:i+n])
			}
			i += n
		}
	}
	// Codestream main header: SOC, then marker segments up to the first SOT.
	for i := 2; i+4 <= len(cs) && cs[i] == 0xFF && cs[i+1] != 0x90; {
		n := int(binary.BigEndian.Uint16(cs[i+2:]))
		if n < 2 || i+2+n > len(cs) {
			break
		}
		if cs[i+1] == 0x64 { // COM
			out = append(out, cs[i+4:i+2+n])
		}
		i += 2 + n
	}
	return out
}

// utf16View reads b as UTF-16 in byte order o, keeping printable runs.
func utf16View(b []byte, o binary.ByteOrder) string {
	var sb strings.Builder
	run := 0
	for i := 0; i+1 < len(b); i += 2 {
		r := rune(o.Uint16(b[i:]))
		if r >= 0x20 && r < 0xD800 && r != 0x7F {
			sb.WriteRune(r)
			run++
			continue
		}
		if run > 0 {
			sb.WriteByte(' ')
		}
		run = 0
	}
	return sb.String()
}
