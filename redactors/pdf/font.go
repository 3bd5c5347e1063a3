package pdf

import (
	"strings"
	"unicode/utf8"

	pfont "github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Fonts (PDF 32000-1 9.6-9.10): how a string of a text-showing operator
// splits into character codes, what text each code stands for, and how far
// each glyph advances.

type fontKind uint8

const (
	simpleFont fontKind = iota
	type3Font
	compositeFont
)

// font is what the interpreter needs of a font resource.
type font struct {
	kind     fontKind
	toUni    *cmap
	vertical bool
	// simple fonts
	names  [256]string  // glyph names from the encoding and Differences
	blank  [256]bool    // Type 3 glyphs whose procedure paints nothing
	widths [256]float64 // advance per unit font size (text space)
	hasW   [256]bool
	// composite fonts
	enc      *cmap // nil: Identity (two-byte codes, CID = code)
	cidW     map[uint32]float64
	dw       float64
	cidW1    map[uint32]float64 // vertical advance (w1y / 1000)
	dw1      float64
	ascent   float64 // per unit font size, > 0
	descent  float64 // per unit font size, < 0
	matrix   [6]float64
	missingW float64
	core     string // standard 14 font for widths, if not embedded
	// procText says why a Type 3 font's glyph procedures are not read as
	// glyphs alone (they show text, or draw what can); shown, the font
	// makes the page uninspectable. Empty for other fonts.
	procText string
	// unusable is set when the font's codes cannot be read at all (an
	// unknown predefined CMap); every glyph shown with it is unmapped.
	unusable bool
	// The embedded TrueType or OpenType program, read on the first code
	// nothing else maps (truetype.go).
	r        *reader
	prog     types.Object // FontFile2, or FontFile3 of subtype OpenType
	progRead bool
	tt       *trueType
	// The embedded CFF program (FontFile3 of subtype Type1C or
	// CIDFontType0C), read on the first code nothing else maps (cff.go).
	cffProg types.Object
	cffRead bool
	cff     *cffFont
	// The embedded Type 1 program (FontFile), read whole on the first
	// code nothing else maps (type1.go).
	t1Prog   types.Object
	t1Read   bool
	t1       *type1Font
	cidToGID []byte // CIDToGIDMap stream (two bytes a CID); nil: Identity
	// ordering is the Adobe character collection (CIDSystemInfo) whose
	// CIDs the font uses, when Veil carries its table (cidsystem.go).
	ordering string
	// uniCodes: the Encoding is a predefined Unicode CMap, whose codes
	// are UTF-16 text.
	uniCodes bool
	// cidKeyedProg: a CIDFontType0 font, whose OpenType program maps
	// CIDs to glyphs through its CFF table's charset.
	cidKeyedProg bool
	simple       *[256]code // resolved one-byte codes of a simple font
	// cidEv caches the glyph evidence of a composite font's CIDs
	// (glyphEvidence).
	cidEv map[uint32]string
	// Glyph OCR (glyphocr.go): a Type 3 font's dictionary (its glyph
	// procedures), the glyphs read so far by code or CID, and why the
	// unread ones were not.
	t3      types.Dict
	ocrRead map[uint32]glyphRead
	ocrWhy  string
}

// program returns the font's parsed TrueType program, or nil.
func (f *font) program() *trueType {
	if !f.progRead {
		f.progRead = true
		if f.prog != nil && f.r != nil {
			f.tt = parseTrueType(f.r.streamData(f.prog))
		}
	}
	return f.tt
}

// type1Program returns the font's parsed Type 1 program, or nil.
func (f *font) type1Program() *type1Font {
	if !f.t1Read {
		f.t1Read = true
		if f.t1Prog != nil && f.r != nil {
			f.t1 = parseType1(f.r.streamData(f.t1Prog))
		}
	}
	return f.t1
}

// blankNotdef reports a code of a simple font with an embedded Type 1 or
// CFF program that draws the program's .notdef glyph (the encoding names
// no glyph, or one the program lacks) when that glyph paints nothing.
func (f *font) blankNotdef(b byte) bool {
	n := f.names[b]
	if t1 := f.type1Program(); t1 != nil && t1.glyphs != nil {
		return (n == "" || n == ".notdef" || !t1.glyphs[n]) && t1.notdefBlank
	}
	if cf := f.cffProgram(); cf != nil && !cf.cidKeyed {
		return (n == "" || n == ".notdef" || !cf.hasGlyph(n)) && cf.notdefBlank
	}
	return false
}

// cffProgram returns the font's parsed CFF program, or nil.
func (f *font) cffProgram() *cffFont {
	if !f.cffRead {
		f.cffRead = true
		if f.cffProg != nil && f.r != nil {
			f.cff = parseCFF(f.r.streamData(f.cffProg))
		}
	}
	return f.cff
}

// embeddedCFF returns a font descriptor's bare CFF program (FontFile3 of
// subtype Type1C or CIDFontType0C).
func (r *reader) embeddedCFF(fd types.Dict) types.Object {
	if fd == nil {
		return nil
	}
	if sd, _ := r.stream(fd["FontFile3"]); sd != nil {
		if s := r.name(sd.Dict["Subtype"]); s == "Type1C" || s == "CIDFontType0C" {
			return fd["FontFile3"]
		}
	}
	return nil
}

// embeddedProgram returns a font descriptor's TrueType or OpenType program.
func (r *reader) embeddedProgram(fd types.Dict) types.Object {
	if fd == nil {
		return nil
	}
	if fd["FontFile2"] != nil {
		return fd["FontFile2"]
	}
	if sd, _ := r.stream(fd["FontFile3"]); sd != nil && r.name(sd.Dict["Subtype"]) == "OpenType" {
		return fd["FontFile3"]
	}
	return nil
}

// code is one character code of a shown string.
type code struct {
	b    []byte // the code's bytes within the string
	cid  uint32
	text string
	ok   bool    // text is known
	w0   float64 // horizontal advance per unit font size
	w1   float64 // vertical advance per unit font size (vertical fonts)
	word bool    // single-byte code 32: word spacing applies
	// ev is what the glyph itself says it is (its name in the encoding, or
	// the font program's own tables) when that disagrees with text taken
	// from the ToUnicode map: a second reading of the same glyph
	// (readings.go). Empty when they agree or nothing else is known.
	ev string
}

// codes splits s into character codes and resolves each.
func (f *font) codes(s []byte, out []code) []code {
	out = out[:0]
	for i := 0; i < len(s); {
		n := 1
		if f.kind == compositeFont {
			if f.enc != nil {
				n = f.enc.codeLen(s[i:])
			} else {
				n = 2
				if len(s)-i < 2 {
					n = len(s) - i
				}
			}
		}
		c := code{b: s[i : i+n]}
		f.resolve(&c)
		out = append(out, c)
		i += n
	}
	return out
}

func (f *font) resolve(c *code) {
	if f.kind != compositeFont {
		b := c.b[0]
		if f.simple == nil {
			f.simple = new([256]code)
		}
		// A one-byte code always resolves the same way: once per font.
		if r := &f.simple[b]; r.b != nil {
			bs := c.b
			*c = *r
			c.b = bs
			return
		}
		defer func() { f.simple[b] = *c }()
		c.cid = uint32(b)
		c.word = b == 32
		c.w0 = f.missingW
		if f.hasW[b] {
			c.w0 = f.widths[b]
		} else if f.core != "" {
			c.w0 = coreWidth(f.core, f.names[b], b)
		}
		if s, ok := f.toUni.unicode(c.b); ok && usableText(s) {
			c.text, c.ok = s, true
			c.ev = f.simpleEvidence(b, s)
		} else if s, ok := glyphRunes(f.names[b]); ok && f.names[b] != "" && f.names[b] != ".notdef" {
			c.text, c.ok = s, true
		} else if symbolName(f.names[b]) {
			c.text, c.ok = symbolText, true
		} else if f.core != "" && (f.names[b] == "" || f.names[b] == ".notdef") {
			// A standard font has no glyph for this code: it shows
			// nothing legible.
			c.text, c.ok = " ", true
		} else if f.kind == type3Font && f.blank[b] {
			c.text, c.ok = " ", true
		} else if f.kind == simpleFont && f.blankNotdef(b) {
			c.text, c.ok = " ", true
		} else if g, ok := f.program().codeGlyph(b); ok {
			c.text, c.ok = f.tt.glyphText(g)
		}
		if !c.ok && f.kind == type3Font && f.type3NeedsOCR(b) {
			c.text, c.ev, c.ok = f.ocrGlyph(uint32(b))
		}
		return
	}
	if f.enc != nil {
		c.cid, _ = f.enc.cid(c.b)
	} else {
		c.cid = codeValue(c.b)
	}
	c.word = len(c.b) == 1 && c.b[0] == 32
	c.w0 = f.dw
	if w, ok := f.cidW[c.cid]; ok {
		c.w0 = w
	}
	c.w1 = f.dw1
	if w, ok := f.cidW1[c.cid]; ok {
		c.w1 = w
	}
	if f.unusable {
		return
	}
	if s, ok := f.toUni.unicode(c.b); ok && usableText(s) {
		c.text, c.ok = s, true
		c.ev = f.cidEvidence(c.cid, s)
	} else if s, ok := utf16Text(c.b); ok && f.uniCodes {
		c.text, c.ok = s, true
	} else if s, ok := collectionText(f.ordering, c.cid); ok && f.ordering != "" {
		c.text, c.ok = s, true
	} else if s, ok := f.cffProgram().cidText(c.cid); ok {
		c.text, c.ok = s, true
	} else if tt := f.program(); tt != nil {
		c.text, c.ok = tt.glyphText(f.glyphOf(c.cid))
		if !c.ok && tt.glyf != nil && f.r != nil && f.r.glyphs != nil {
			if d, ok := tt.glyfData(f.glyphOf(c.cid)); ok && len(d) == 0 {
				// A glyph without an outline paints nothing.
				c.text, c.ok = " ", true
			} else {
				c.text, c.ev, c.ok = f.ocrGlyph(c.cid)
			}
		}
	}
}

// simpleEvidence returns what a simple font's code b draws according to
// the font itself (the glyph name its encoding gives, else the embedded
// TrueType program's tables), when that disagrees with text, the code's
// ToUnicode text; "" otherwise.
func (f *font) simpleEvidence(b byte, text string) string {
	if n := f.names[b]; n != "" && n != ".notdef" {
		if s, ok := glyphRunes(n); ok && usableText(s) {
			if sameLetters(s, text) {
				return ""
			}
			return s
		}
	}
	if f.prog == nil {
		return ""
	}
	if g, ok := f.program().codeGlyph(b); ok {
		if s, ok := f.tt.glyphText(g); ok && !sameLetters(s, text) {
			return s
		}
	}
	return ""
}

// cidEvidence is simpleEvidence for a CID of a composite font: the
// embedded TrueType program's name for the CID's glyph.
func (f *font) cidEvidence(cid uint32, text string) string {
	if f.ordering != "" && f.cidKeyedProg {
		// A CIDFontType0 program numbers its glyphs by the
		// collection's CIDs (TrueType-based CID fonts are left to
		// their program: producers name collections they do not use).
		if s, ok := collectionText(f.ordering, cid); ok && !sameLetters(s, text) {
			return s
		}
	}
	if f.prog == nil {
		return ""
	}
	if s, ok := f.cidEv[cid]; ok {
		return s
	}
	ev := ""
	if tt := f.program(); tt != nil {
		if s, ok := tt.glyphText(f.glyphOf(cid)); ok && !sameLetters(s, text) {
			ev = s
		}
	}
	if f.cidEv == nil {
		f.cidEv = map[uint32]string{}
	}
	if len(f.cidEv) < maxCmapGlyphs {
		f.cidEv[cid] = ev
	}
	return ev
}

// unmapped says why code c of f maps to no text, for the quarantine
// reason (never the glyph name itself: a name can be any word).
func (f *font) unmapped(c *code) string {
	what := "a simple font"
	switch {
	case f.kind == type3Font:
		n := f.names[c.b[0]]
		switch {
		case n == "" || n == ".notdef":
			return "a Type 3 font's code has no ToUnicode entry and no glyph name in its encoding"
		case f.ocrWhy != "":
			return "a Type 3 font's code has no ToUnicode entry and no character name, and glyph OCR cannot read its glyph: " + f.ocrWhy
		case generatedGlyphName(n):
			return "a Type 3 font's code has no ToUnicode entry and a generated glyph name (letters and digits, not a character name): a bitmap glyph only OCR could read (images are not read by OCR)"
		}
		return "a Type 3 font's code has no ToUnicode entry and its glyph name is not a character name"
	case f.kind == compositeFont && f.unusable:
		return "a CID font uses a character collection or CMap Veil does not read"
	case f.kind == compositeFont:
		what = "a CID font"
	}
	none := "'s code has no ToUnicode entry or character name"
	if f.kind == compositeFont && f.ordering == "" {
		none = "'s code has no ToUnicode entry, its CIDSystemInfo names no Adobe character collection Veil carries (Identity or another)"
	}
	switch {
	case f.t1Prog != nil:
		if f.type1Program() == nil {
			return what + none + ", and its embedded Type 1 program does not parse"
		}
		return what + none + ", and its embedded Type 1 program gives the glyph a name that is not a character name (generated or private)"
	case f.cffProg != nil:
		switch cf := f.cffProgram(); {
		case cf == nil:
			return what + none + ", and its embedded CFF program does not parse"
		case cf.cidKeyed:
			return what + none + ", and its embedded CFF program is CID-keyed (its glyphs have no names)"
		}
		return what + none + ", and its embedded CFF program gives the glyph a name that is not a character name (generated or private)"
	}
	switch tt := f.program(); {
	case f.prog == nil:
		return what + none + ", and no font program is embedded to name it"
	case tt == nil:
		return what + none + ", and its embedded program is not a TrueType font"
	case f.ocrWhy != "":
		return what + none + ", its embedded TrueType program does not name the glyph, and glyph OCR cannot read it: " + f.ocrWhy
	case len(tt.text) == 0 && len(tt.names) == 0 && tt.cff == nil:
		return what + none + ", and its embedded TrueType program has no cmap or post table"
	}
	return what + none + ", and its embedded TrueType program does not name the glyph"
}

// generatedGlyphName reports a glyph name of letters and digits with at least
// one digit ("g42", "G4c", "a65", "cid123"): names tools make up, which
// say nothing of the character.
func generatedGlyphName(n string) bool {
	digit := false
	for i := 0; i < len(n); i++ {
		switch c := n[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.':
		default:
			return false
		}
	}
	return digit
}

// glyphOf maps a CID of a CIDFontType2 font to its glyph index.
func (f *font) glyphOf(cid uint32) uint16 {
	if f.cidKeyedProg {
		if cf := f.program().cffTable(); cf != nil && cf.cidKeyed {
			g, _ := cf.gid(cid)
			return uint16(g)
		}
	}
	if f.cidToGID == nil {
		return uint16(cid)
	}
	if int(cid)*2+1 >= len(f.cidToGID) {
		return 0
	}
	return uint16(f.cidToGID[2*cid])<<8 | uint16(f.cidToGID[2*cid+1])
}

// usableText rejects mappings to nothing or to NUL, which some producers
// write for glyphs they could not map.
func usableText(s string) bool {
	return s != "" && s != "\x00" && s != "\ufffd"
}

// coreWidth returns the width of a glyph of a standard 14 font.
func coreWidth(core, name string, b byte) float64 {
	c := int(b)
	if core != "Symbol" && core != "ZapfDingbats" && name != "" {
		// pdfcpu's metrics are indexed by WinAnsi code.
		if k, ok := winAnsiCode()[name]; ok {
			c = k
		}
	}
	w, err := pfont.CharWidth(core, rune(c))
	if err != nil {
		return 0.5
	}
	return float64(w) / 1000
}

var winAnsiCodes map[string]int

func winAnsiCode() map[string]int {
	aglOnce.Do(loadAGL) // also guards winAnsiCodes
	return winAnsiCodes
}

func init() {
	if winAnsiEncoding[160] == "" {
		winAnsiEncoding[160] = "space"
	}
	if winAnsiEncoding[173] == "" {
		winAnsiEncoding[173] = "hyphen"
	}
	winAnsiCodes = map[string]int{}
	for c, n := range winAnsiEncoding {
		if n != "" {
			if _, ok := winAnsiCodes[n]; !ok {
				winAnsiCodes[n] = c
			}
		}
	}
}

// coreFonts maps standard 14 font names and their common aliases.
var coreFonts = map[string]string{
	"Courier": "Courier", "Courier-Bold": "Courier-Bold", "Courier-Oblique": "Courier-Oblique", "Courier-BoldOblique": "Courier-BoldOblique",
	"Helvetica": "Helvetica", "Helvetica-Bold": "Helvetica-Bold", "Helvetica-Oblique": "Helvetica-Oblique", "Helvetica-BoldOblique": "Helvetica-BoldOblique",
	"Times-Roman": "Times-Roman", "Times-Bold": "Times-Bold", "Times-Italic": "Times-Italic", "Times-BoldItalic": "Times-BoldItalic",
	"Symbol": "Symbol", "ZapfDingbats": "ZapfDingbats",
	"Arial": "Helvetica", "Arial,Bold": "Helvetica-Bold", "Arial,Italic": "Helvetica-Oblique", "Arial,BoldItalic": "Helvetica-BoldOblique",
	"ArialMT": "Helvetica", "Arial-BoldMT": "Helvetica-Bold", "Arial-ItalicMT": "Helvetica-Oblique", "Arial-BoldItalicMT": "Helvetica-BoldOblique",
	"TimesNewRoman": "Times-Roman", "TimesNewRoman,Bold": "Times-Bold", "TimesNewRoman,Italic": "Times-Italic", "TimesNewRoman,BoldItalic": "Times-BoldItalic",
	"TimesNewRomanPSMT": "Times-Roman", "TimesNewRomanPS-BoldMT": "Times-Bold", "TimesNewRomanPS-ItalicMT": "Times-Italic", "TimesNewRomanPS-BoldItalicMT": "Times-BoldItalic",
	"CourierNew": "Courier", "CourierNew,Bold": "Courier-Bold", "CourierNewPSMT": "Courier", "CourierNewPS-BoldMT": "Courier-Bold",
}

func baseName(s string) string {
	if i := strings.IndexByte(s, '+'); i == 6 {
		return s[7:]
	}
	return s
}

// loadFont reads a font dictionary.
func (r *reader) loadFont(d types.Dict) *font {
	f := &font{ascent: 0.8, descent: -0.2, missingW: 0, matrix: [6]float64{0.001, 0, 0, 0.001, 0, 0}, r: r}
	sub := r.name(d["Subtype"])
	if tu := r.streamData(d["ToUnicode"]); tu != nil {
		f.toUni = parseCMap(tu)
	}
	switch sub {
	case "Type0":
		f.kind = compositeFont
		r.loadComposite(f, d)
		return f
	case "Type3":
		f.kind = type3Font
		f.t3 = d
		if m := r.numbers(d["FontMatrix"]); len(m) == 6 {
			copy(f.matrix[:], m)
		}
	}
	base := baseName(r.name(d["BaseFont"]))
	fd := r.dict(d["FontDescriptor"])
	flags := int(r.num(fd["Flags"]))
	embedded := fd != nil && (fd["FontFile"] != nil || fd["FontFile2"] != nil || fd["FontFile3"] != nil)
	f.prog = r.embeddedProgram(fd)
	f.cffProg = r.embeddedCFF(fd)
	if core, ok := coreFonts[base]; ok && !embedded {
		f.core = core
	}
	if f.kind == type3Font {
		if bb := r.numbers(d["FontBBox"]); len(bb) == 4 {
			f.descent, f.ascent = bb[1]*f.matrix[3], bb[3]*f.matrix[3]
		}
	} else if fd != nil {
		if a := r.num(fd["Ascent"]); a > 0 {
			f.ascent = a / 1000
		}
		if dsc := r.num(fd["Descent"]); dsc < 0 {
			f.descent = dsc / 1000
		}
		f.missingW = r.num(fd["MissingWidth"]) / 1000
	}
	f.clampMetrics()

	// Widths.
	first := int(r.num(d["FirstChar"]))
	for i, w := range r.numbers(d["Widths"]) {
		c := first + i
		if c < 0 || c > 255 {
			continue
		}
		if f.kind == type3Font {
			f.widths[c] = w * f.matrix[0]
		} else {
			f.widths[c] = w / 1000
		}
		f.hasW[c] = true
	}

	// Encoding: base, then Differences.
	var baseEnc *[256]string
	switch {
	case f.core == "Symbol" || (base == "Symbol" && !embedded):
		baseEnc = &symbolEncoding
	case f.core == "ZapfDingbats" || base == "ZapfDingbats":
		for i := range f.names {
			f.names[i] = "a1" // dingbats carry no text; see dingbatText
		}
	case sub == "Type1" || sub == "MMType1":
		if fd != nil && fd["FontFile"] != nil {
			f.t1Prog = fd["FontFile"]
			if enc := type1Encoding(r.streamData(fd["FontFile"])); enc != nil {
				baseEnc = enc
			}
		}
		if baseEnc == nil && !namedBase(r, d["Encoding"]) {
			// A CFF program's built-in encoding, bare (Type1C) or the
			// 'CFF ' table of an OpenType program (read only when the
			// font's Encoding names no base encoding of its own).
			cf := f.cffProgram()
			if cf == nil && f.prog != nil {
				cf = f.program().cffTable()
			}
			if cf != nil && cf.hasEnc {
				baseEnc = &cf.enc
			}
		}
		if baseEnc == nil && (fd == nil || fd["FontFile3"] == nil || flags&4 == 0) {
			baseEnc = &standardEncoding
		}
	case sub == "TrueType":
		if flags&4 == 0 || flags&32 != 0 {
			baseEnc = &standardEncoding
		}
	}
	encObj := r.resolve(d["Encoding"])
	var diffs types.Array
	switch e := encObj.(type) {
	case types.Name:
		if be := namedEncoding(string(e)); be != nil {
			baseEnc = be
		}
	case types.Dict:
		if be := namedEncoding(r.name(e["BaseEncoding"])); be != nil {
			baseEnc = be
		}
		diffs, _ = r.resolve(e["Differences"]).(types.Array)
	}
	if baseEnc != nil {
		f.names = *baseEnc
	}
	c := -1
	for _, o := range diffs {
		switch v := r.resolve(o).(type) {
		case types.Integer:
			c = int(v)
		case types.Float:
			c = int(v)
		case types.Name:
			if c >= 0 && c < 256 {
				f.names[c] = string(v)
			}
			c++
		}
	}
	if f.kind == type3Font {
		r.blankType3(f, d)
	}
	if base == "ZapfDingbats" && !embedded {
		f.names = [256]string{}
		f.toUni = dingbatCMap()
	}
	return f
}

func (f *font) clampMetrics() {
	if f.ascent > 1.2 {
		f.ascent = 1.2
	}
	if f.ascent < 0.5 {
		f.ascent = 0.5
	}
	if f.descent < -0.5 {
		f.descent = -0.5
	}
	if f.descent > -0.1 {
		f.descent = -0.1
	}
}

// dingbatCMap maps every single-byte code of ZapfDingbats to a generic
// symbol: its glyphs are ornaments, never words.
func dingbatCMap() *cmap {
	m := &cmap{uni: map[uint64]string{}}
	for c := 33; c < 256; c++ {
		m.uni[codeKey(1, uint32(c))] = "\u2756"
	}
	m.uni[codeKey(1, 32)] = " "
	return m
}

// namedBase reports an Encoding that names its base encoding (a name, or
// a dictionary with BaseEncoding), which replaces the built-in one.
func namedBase(r *reader, o types.Object) bool {
	switch e := r.resolve(o).(type) {
	case types.Name:
		return namedEncoding(string(e)) != nil
	case types.Dict:
		return namedEncoding(r.name(e["BaseEncoding"])) != nil
	}
	return false
}

func namedEncoding(n string) *[256]string {
	switch n {
	case "WinAnsiEncoding":
		return &winAnsiEncoding
	case "MacRomanEncoding":
		return &macRomanEncoding
	case "StandardEncoding":
		return &standardEncoding
	}
	return nil
}

func (r *reader) loadComposite(f *font, d types.Dict) {
	switch e := r.resolve(d["Encoding"]).(type) {
	case types.Name:
		switch string(e) {
		case "Identity-H":
		case "Identity-V":
			f.vertical = true
		default:
			if m, o, v := predefinedUniCMap(string(e)); m != nil {
				// A predefined Unicode CMap (cidsystem.go): the
				// code is the text.
				f.enc, f.ordering, f.vertical, f.uniCodes = m, o, v, true
				break
			}
			// A predefined CMap Veil does not carry: codes and CIDs are
			// unknown.
			f.unusable = true
		}
	case types.StreamDict:
		data := r.streamData(e)
		if data == nil {
			f.unusable = true
			break
		}
		f.enc = parseCMap(data)
		if n := r.name(e.Dict["CMapName"]); strings.HasSuffix(n, "-V") {
			f.vertical = true
		}
		if f.enc.useCMap != "" && f.enc.useCMap != "Identity-H" && f.enc.useCMap != "Identity-V" {
			f.unusable = true
		}
		if !f.enc.hasSpace() {
			f.unusable = true
		}
	default:
		f.unusable = true
	}
	f.dw, f.dw1 = 1, -1
	kids, _ := r.resolve(d["DescendantFonts"]).(types.Array)
	if len(kids) == 0 {
		f.unusable = true
		return
	}
	cf := r.dict(kids[0])
	if cf == nil {
		f.unusable = true
		return
	}
	if csi := r.dict(cf["CIDSystemInfo"]); csi != nil && r.literal(csi["Registry"]) == "Adobe" && !f.uniCodes {
		if o := r.literal(csi["Ordering"]); o != "" {
			if _, ok := collectionText(o, 1); ok {
				f.ordering = o
			}
		}
	}
	switch fd := r.dict(cf["FontDescriptor"]); r.name(cf["Subtype"]) {
	case "CIDFontType2":
		f.prog = r.embeddedProgram(fd)
		if m := r.streamData(cf["CIDToGIDMap"]); m != nil {
			f.cidToGID = m
		}
	case "CIDFontType0":
		// A CFF program, bare or in OpenType: a CID-keyed one reaches
		// glyphs through its charset, a name-keyed one by CID = glyph.
		f.cffProg = r.embeddedCFF(fd)
		f.prog = r.embeddedProgram(fd)
		f.cidKeyedProg = true
	}
	if fd := r.dict(cf["FontDescriptor"]); fd != nil {
		if a := r.num(fd["Ascent"]); a > 0 {
			f.ascent = a / 1000
		}
		if dsc := r.num(fd["Descent"]); dsc < 0 {
			f.descent = dsc / 1000
		}
	}
	f.clampMetrics()
	if dw, ok := r.resolve(cf["DW"]).(types.Integer); ok {
		f.dw = float64(dw) / 1000
	} else if dw, ok := r.resolve(cf["DW"]).(types.Float); ok {
		f.dw = float64(dw) / 1000
	}
	f.cidW = map[uint32]float64{}
	r.cidWidths(cf["W"], 1, func(cid uint32, v []float64) { f.cidW[cid] = v[0] / 1000 })
	if f.vertical {
		if dw2 := r.numbers(cf["DW2"]); len(dw2) == 2 {
			f.dw1 = dw2[1] / 1000
		}
		f.cidW1 = map[uint32]float64{}
		r.cidWidths(cf["W2"], 3, func(cid uint32, v []float64) { f.cidW1[cid] = v[0] / 1000 })
	}
}

// utf16Text decodes a code of a Unicode CMap (two bytes, or four of a
// surrogate pair) to its character.
func utf16Text(b []byte) (string, bool) {
	rs := utf16Runes(b)
	if len(rs) != 1 || !validRune(rs[0]) || rs[0] == utf8.RuneError {
		return "", false
	}
	return string(rs), true
}

// literal returns a string object's bytes as a Go string ("" for other
// objects).
func (r *reader) literal(o types.Object) string {
	switch v := r.resolve(o).(type) {
	case types.StringLiteral:
		if b, err := types.Unescape(string(v)); err == nil {
			return string(b)
		}
	case types.HexLiteral:
		if b, err := v.Bytes(); err == nil {
			return string(b)
		}
	}
	return ""
}

// maxCIDWidths bounds the entries read from a W or W2 array.
const maxCIDWidths = 1 << 18

// cidWidths walks a W (n=1) or W2 (n=3) array: "c [v…]" and "cfirst clast v".
func (r *reader) cidWidths(o types.Object, n int, set func(uint32, []float64)) {
	a, _ := r.resolve(o).(types.Array)
	count := 0
	for i := 0; i < len(a) && count < maxCIDWidths; {
		c0, ok := r.numOK(a[i])
		if !ok || c0 < 0 || i+1 >= len(a) {
			return
		}
		if arr, isArr := r.resolve(a[i+1]).(types.Array); isArr {
			vals := r.numbers(arr)
			for k := 0; k+n <= len(vals) && count < maxCIDWidths; k += n {
				set(uint32(c0)+uint32(k/n), vals[k:k+n])
				count++
			}
			i += 2
			continue
		}
		if i+1+n >= len(a)+0 && i+1+n > len(a) {
			return
		}
		c1, ok := r.numOK(a[i+1])
		if !ok || c1 < c0 || i+2+n > len(a) {
			return
		}
		vals := make([]float64, n)
		for k := 0; k < n; k++ {
			vals[k], _ = r.numOK(a[i+2+k])
		}
		for c := c0; c <= c1 && count < maxCIDWidths; c++ {
			set(uint32(c), vals)
			count++
		}
		i += 2 + n
	}
}

// symbolText stands for glyphs whose names are not in the Adobe Glyph List
// but are descriptive words ("trianglerightsld", "sharp"): symbols of math
// and music fonts. Letters always have AGL names.
const symbolText = "\u25aa"

// symbolName reports a glyph name made of lower-case letters only (four or
// more), the shape of symbol names; generated names ("g42", "G4c",
// "cid123", "glyph7") have digits.
func symbolName(n string) bool {
	if len(n) < 4 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < 'a' || n[i] > 'z' {
			return false
		}
	}
	return true
}

// blankType3 marks the Type 3 glyphs whose procedures paint nothing
// (spaces): only d0/d1, or nothing at all.
func (r *reader) blankType3(f *font, d types.Dict) {
	procs := r.dict(d["CharProcs"])
	for c := 0; c < 256; c++ {
		n := f.names[c]
		if n == "" {
			continue
		}
		data := r.streamData(procs[n])
		if data == nil {
			continue
		}
		l := &lexer{data: data}
		blank := true
		var prev token
		for t := l.next(); t.kind != tEOF; t = l.next() {
			if t.kind != tOp {
				prev = t
				continue
			}
			op := string(data[t.start:t.end])
			if op != "d0" && op != "d1" {
				blank = false
			}
			switch op {
			case "Tj", "TJ", "'", "\"":
				f.procText = "a Type 3 glyph procedure shows text"
			case "Do":
				if prev.kind == tName {
					xo := r.dict(r.dict(d["Resources"])["XObject"])
					if sd, _ := r.stream(xo[nameString(data[prev.start:prev.end])]); sd == nil || r.name(sd.Dict["Subtype"]) != "Image" {
						f.procText = "a Type 3 glyph procedure draws a form, which can show text"
					}
				}
			case "scn", "SCN":
				if prev.kind == tName {
					pat := r.dict(r.dict(d["Resources"])["Pattern"])[nameString(data[prev.start:prev.end])]
					if sd, _ := r.stream(pat); sd != nil {
						f.procText = "a Type 3 glyph procedure paints with a tiling pattern, which can show text"
					}
				}
			case "gs":
				if prev.kind == tName {
					ext := r.dict(r.dict(r.dict(d["Resources"])["ExtGState"])[nameString(data[prev.start:prev.end])])
					if sd, _ := r.stream(r.dict(ext["SMask"])["G"]); sd != nil {
						f.procText = "a Type 3 glyph procedure sets a soft mask, which can show text"
					}
				}
			case "ID":
				l.skipInlineImage()
			}
			prev = t
		}
		f.blank[c] = blank
	}
}
