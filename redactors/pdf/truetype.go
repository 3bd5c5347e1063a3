package pdf

import (
	"encoding/binary"
	"strings"
	"unicode"
)

// The TrueType fallback (used when a font's ToUnicode map and encoding say
// nothing about a code): the embedded font program's own tables name its
// glyphs. A glyph's text comes from the program's Unicode cmap subtables
// read backwards (glyph -> code point), or else from its PostScript name
// in the post table through the Adobe Glyph List. Codes reach glyphs
// through CIDToGIDMap (CID fonts), or through the program's (3,0) symbol
// or (1,0) Macintosh cmap (simple fonts). Only the cmap and post tables
// are read, bounds-checked; a table that does not parse is ignored.

// Limits on what is read from a font program.
const (
	maxCmapGlyphs = 1 << 16 // codes visited in all cmap subtables
	maxPostNames  = 1 << 16
)

// trueType is what Veil reads from a TrueType (or OpenType) font program.
type trueType struct {
	symbol map[uint32]uint16 // (3,0) code -> glyph
	mac    map[uint32]uint16 // (1,0) code -> glyph
	text   map[uint16]string // glyph -> text from Unicode subtables
	names  []string          // glyph -> post name
	cff    *cffFont          // the 'CFF ' table of an OpenType font
	// The outlines (glyphshape.go), for glyph OCR: the glyf and loca
	// tables, loca's format and the units per em (head).
	glyf, loca []byte
	longLoca   bool
	upem       int
}

// parseTrueType reads the cmap and post tables of a font program; nil if
// it is not an sfnt.
func parseTrueType(b []byte) *trueType {
	if len(b) < 12 {
		return nil
	}
	switch v := binary.BigEndian.Uint32(b); v {
	case 0x00010000, 0x74727565, 0x4F54544F: // 1.0, 'true', 'OTTO'
	default:
		return nil
	}
	tt := &trueType{text: map[uint16]string{}}
	n := int(binary.BigEndian.Uint16(b[4:]))
	seenCmap, seenPost := false, false // the first of each counts
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			break
		}
		tag := string(b[rec : rec+4])
		off, ln := int(binary.BigEndian.Uint32(b[rec+8:])), int(binary.BigEndian.Uint32(b[rec+12:]))
		if off < 0 || ln < 0 || off > len(b) || ln > len(b)-off {
			continue
		}
		switch {
		case tag == "cmap" && !seenCmap:
			seenCmap = true
			tt.readCmap(b[off : off+ln])
		case tag == "post" && !seenPost:
			seenPost = true
			tt.readPost(b[off : off+ln])
		case tag == "CFF " && tt.cff == nil:
			tt.cff = parseCFF(b[off : off+ln])
		case tag == "glyf" && tt.glyf == nil:
			tt.glyf = b[off : off+ln]
		case tag == "loca" && tt.loca == nil:
			tt.loca = b[off : off+ln]
		case tag == "head" && tt.upem == 0:
			if u, ok := u16(b, off+18); ok && ln >= 54 && u >= 16 && u <= 16384 {
				f, _ := u16(b, off+50)
				tt.upem, tt.longLoca = u, f == 1
			}
		}
	}
	return tt
}

func u16(b []byte, off int) (int, bool) {
	if off < 0 || off+2 > len(b) {
		return 0, false
	}
	return int(binary.BigEndian.Uint16(b[off:])), true
}

func u32(b []byte, off int) (int, bool) {
	if off < 0 || off+4 > len(b) {
		return 0, false
	}
	return int(binary.BigEndian.Uint32(b[off:])), true
}

func (tt *trueType) readCmap(b []byte) {
	n, _ := u16(b, 2)
	budget := maxCmapGlyphs
	for i := 0; i < n; i++ {
		pid, ok1 := u16(b, 4+8*i)
		eid, ok2 := u16(b, 6+8*i)
		off, ok3 := u32(b, 8+8*i)
		if !ok1 || !ok2 || !ok3 || off >= len(b) {
			continue
		}
		var set func(code uint32, gid uint16)
		switch {
		case pid == 3 && eid == 0:
			tt.symbol = map[uint32]uint16{}
			set = func(c uint32, g uint16) { tt.symbol[c] = g }
		case pid == 1 && eid == 0:
			tt.mac = map[uint32]uint16{}
			set = func(c uint32, g uint16) { tt.mac[c] = g }
		case pid == 0 || pid == 3 && (eid == 1 || eid == 10):
			set = func(c uint32, g uint16) {
				r := rune(c)
				if _, seen := tt.text[g]; seen || !unicode.IsPrint(r) || isPUA(r) {
					return
				}
				tt.text[g] = string(r)
			}
		default:
			continue
		}
		budget = cmapSubtable(b[off:], budget, set)
	}
}

func isPUA(r rune) bool {
	return r >= 0xE000 && r <= 0xF8FF || r >= 0xF0000
}

// cmapSubtable walks a cmap subtable of format 0, 4, 6 or 12, calling set
// for every mapped code (glyph 0 excepted); every code visited costs one
// of budget, so a hostile table cannot make it loop for long. It returns
// what is left of the budget.
func cmapSubtable(b []byte, budget int, set func(uint32, uint16)) int {
	format, _ := u16(b, 0)
	emit := func(c uint32, g int) {
		if budget > 0 {
			budget--
			if g != 0 {
				set(c, uint16(g))
			}
		}
	}
	switch format {
	case 0:
		for c := 0; c < 256 && 6+c < len(b); c++ {
			emit(uint32(c), int(b[6+c]))
		}
	case 4:
		segX2, _ := u16(b, 6)
		seg := segX2 / 2
		ends, starts, deltas, ranges := 14, 16+segX2, 16+2*segX2, 16+3*segX2
		for s := 0; s < seg && budget > 0; s++ {
			end, ok1 := u16(b, ends+2*s)
			start, ok2 := u16(b, starts+2*s)
			delta, ok3 := u16(b, deltas+2*s)
			ro, ok4 := u16(b, ranges+2*s)
			if !ok1 || !ok2 || !ok3 || !ok4 || start > end {
				continue
			}
			for c := start; c <= end && c != 0xFFFF && budget > 0; c++ {
				g := 0
				if ro == 0 {
					g = (c + delta) & 0xFFFF
				} else {
					v, ok := u16(b, ranges+2*s+ro+2*(c-start))
					if !ok {
						budget--
						break
					}
					if v != 0 {
						g = (v + delta) & 0xFFFF
					}
				}
				emit(uint32(c), g)
			}
		}
	case 6:
		first, _ := u16(b, 6)
		count, _ := u16(b, 8)
		for i := 0; i < count && budget > 0; i++ {
			g, ok := u16(b, 10+2*i)
			if !ok {
				break
			}
			emit(uint32(first+i), g)
		}
	case 12:
		groups, _ := u32(b, 12)
		for i := 0; i < groups && budget > 0; i++ {
			start, ok1 := u32(b, 16+12*i)
			end, ok2 := u32(b, 20+12*i)
			gid, ok3 := u32(b, 24+12*i)
			if !ok1 || !ok2 || !ok3 || start > end || end > 0x10FFFF {
				break
			}
			for c := start; c <= end && budget > 0; c++ {
				emit(uint32(c), gid+(c-start))
			}
		}
	}
	return budget
}

// readPost reads glyph names from a post table of format 2.0.
func (tt *trueType) readPost(b []byte) {
	if v, ok := u32(b, 0); !ok || v != 0x00020000 {
		return
	}
	n, ok := u16(b, 32)
	if !ok || n > maxPostNames {
		return
	}
	idx := make([]int, n)
	for i := range idx {
		if idx[i], ok = u16(b, 34+2*i); !ok {
			return
		}
	}
	var custom []string
	for p := 34 + 2*n; p < len(b) && len(custom) < maxPostNames; {
		l := int(b[p])
		if p+1+l > len(b) {
			break
		}
		custom = append(custom, string(b[p+1:p+1+l]))
		p += 1 + l
	}
	tt.names = make([]string, n)
	for g, k := range idx {
		switch {
		case k < len(macGlyphNames):
			tt.names[g] = macGlyphNames[k]
		case k-len(macGlyphNames) < len(custom):
			tt.names[g] = custom[k-len(macGlyphNames)]
		}
	}
}

// glyphText returns the text of a glyph, from the Unicode cmap or its
// post name.
func (tt *trueType) glyphText(g uint16) (string, bool) {
	if tt == nil || g == 0 {
		return "", false
	}
	if s, ok := tt.text[g]; ok {
		return s, true
	}
	if int(g) < len(tt.names) {
		if s, ok := nameText(tt.names[g]); ok {
			return s, true
		}
	}
	return nameText(tt.cff.glyphName(int(g)))
}

// cffTable returns the program's 'CFF ' table, or nil.
func (tt *trueType) cffTable() *cffFont {
	if tt == nil {
		return nil
	}
	return tt.cff
}

// codeGlyph returns the glyph a simple font's one-byte code draws through
// the program's symbol or Macintosh cmap.
func (tt *trueType) codeGlyph(c byte) (uint16, bool) {
	if tt == nil {
		return 0, false
	}
	for _, k := range []uint32{0xF000 | uint32(c), 0xF100 | uint32(c), 0xF200 | uint32(c), uint32(c)} {
		if g, ok := tt.symbol[k]; ok {
			return g, true
		}
	}
	g, ok := tt.mac[uint32(c)]
	return g, ok
}

// macGlyphNames are the 258 standard Macintosh glyph names of post table
// format 2.0 (Apple TrueType Reference Manual, 'post' table).
var macGlyphNames = strings.Fields(`.notdef .null nonmarkingreturn space exclam quotedbl numbersign dollar
percent ampersand quotesingle parenleft parenright asterisk plus comma hyphen period slash zero one two
three four five six seven eight nine colon semicolon less equal greater question at A B C D E F G H I J K L
M N O P Q R S T U V W X Y Z bracketleft backslash bracketright asciicircum underscore grave a b c d e f g h
i j k l m n o p q r s t u v w x y z braceleft bar braceright asciitilde Adieresis Aring Ccedilla Eacute
Ntilde Odieresis Udieresis aacute agrave acircumflex adieresis atilde aring ccedilla eacute egrave
ecircumflex edieresis iacute igrave icircumflex idieresis ntilde oacute ograve ocircumflex odieresis
otilde uacute ugrave ucircumflex udieresis dagger degree cent sterling section bullet paragraph
germandbls registered copyright trademark acute dieresis notequal AE Oslash infinity plusminus lessequal
greaterequal yen mu partialdiff summation product pi integral ordfeminine ordmasculine Omega ae oslash
questiondown exclamdown logicalnot radical florin approxequal Delta guillemotleft guillemotright ellipsis
nonbreakingspace Agrave Atilde Otilde OE oe endash emdash quotedblleft quotedblright quoteleft quoteright
divide lozenge ydieresis Ydieresis fraction currency guilsinglleft guilsinglright fi fl daggerdbl
periodcentered quotesinglbase quotedblbase perthousand Acircumflex Ecircumflex Aacute Edieresis Egrave
Iacute Icircumflex Idieresis Igrave Oacute Ocircumflex apple Ograve Uacute Ucircumflex Ugrave dotlessi
circumflex tilde macron breve dotaccent ring cedilla hungarumlaut ogonek caron Lslash lslash Scaron
scaron Zcaron zcaron brokenbar Eth eth Yacute yacute Thorn thorn minus multiply onesuperior twosuperior
threesuperior onehalf onequarter threequarters franc Gbreve gbreve Idotaccent Scedilla scedilla Cacute
cacute Ccaron ccaron dcroat`)
