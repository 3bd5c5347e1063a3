package pdf

import (
	"errors"
	"strconv"
)

// The CFF reader (Adobe Technical Note #5176, the Compact Font Format):
// what an embedded Type1C / CIDFontType0C program, or the 'CFF ' table of
// an OpenType font, says each glyph is. Only the header, the Name, Top
// DICT and String INDEXes, the charset and the encoding are read; glyph
// outlines are not. For a name-keyed font that gives glyph index -> glyph
// name and the built-in encoding (code -> glyph name, supplements
// included); for a CID-keyed font (ROS in the Top DICT) glyph index -> CID.
// Every offset is checked against the data, and sizes are bounded
// (maxCFFGlyphs glyphs, maxCFFStrings strings, maxCFFDictOps operands a
// DICT), so a hostile program costs little; one that does not parse is
// ignored (nil) and its codes stay unmapped.

// Limits on what is read from a CFF program.
const (
	maxCFFGlyphs   = 1 << 16 // the charset cannot address more
	maxCFFStrings  = 1 << 16
	maxCFFDictOps  = 1 << 12 // operands and operators of one DICT
	maxCFFDictSize = 1 << 16
)

// cffFont is what Veil reads from a CFF program.
type cffFont struct {
	cidKeyed bool
	nGlyphs  int
	// names maps a glyph index to its name (name-keyed fonts); "" unknown.
	names []string
	// cids maps a glyph index to its CID (CID-keyed fonts).
	cids []uint32
	// enc is the built-in encoding (name-keyed fonts): code -> glyph name.
	enc [256]string
	// hasEnc is set when the font's encoding gave at least one name.
	hasEnc bool
	byCID  map[uint32]int // cids read backwards, built on first use
	// notdefBlank: glyph 0 (.notdef) paints nothing.
	notdefBlank bool
	byName      map[string]bool // names as a set, built on first use
}

// hasGlyph reports whether a name-keyed font has a glyph of that name.
func (c *cffFont) hasGlyph(name string) bool {
	if c.byName == nil {
		c.byName = make(map[string]bool, len(c.names))
		for _, n := range c.names {
			c.byName[n] = true
		}
	}
	return c.byName[name]
}

var errCFF = errors.New("not a readable CFF program")

// cffIndex is a parsed INDEX: the data of each element.
type cffIndex struct {
	b    []byte // the whole program
	offs []int  // count+1 absolute offsets
}

func (x cffIndex) count() int { return max(len(x.offs)-1, 0) }

func (x cffIndex) elem(i int) []byte {
	if i < 0 || i+1 >= len(x.offs) {
		return nil
	}
	return x.b[x.offs[i]:x.offs[i+1]]
}

// readCFFIndex reads the INDEX at off; it returns it and the offset just
// after it.
func readCFFIndex(b []byte, off int) (cffIndex, int, error) {
	count, ok := u16(b, off)
	if !ok {
		return cffIndex{}, 0, errCFF
	}
	if count == 0 {
		return cffIndex{b: b}, off + 2, nil
	}
	if off+2 >= len(b) {
		return cffIndex{}, 0, errCFF
	}
	osz := int(b[off+2])
	if osz < 1 || osz > 4 {
		return cffIndex{}, 0, errCFF
	}
	arr := off + 3
	if (count+1)*osz > len(b)-arr {
		return cffIndex{}, 0, errCFF
	}
	base := arr + (count+1)*osz - 1 // offsets are 1-based from here
	offs := make([]int, count+1)
	prev := 0
	for i := range offs {
		v := 0
		for k := 0; k < osz; k++ {
			v = v<<8 | int(b[arr+i*osz+k])
		}
		if v < 1 || v < prev || v > len(b)-base {
			return cffIndex{}, 0, errCFF
		}
		prev = v
		offs[i] = base + v
	}
	return cffIndex{b: b, offs: offs}, offs[count], nil
}

// cffDict is a parsed DICT: operator -> operands. Two-byte operators
// (12 x) are keyed 1200+x.
type cffDict map[int][]float64

func parseCFFDict(d []byte) (cffDict, error) {
	if len(d) > maxCFFDictSize {
		return nil, errCFF
	}
	out := cffDict{}
	var ops []float64
	n := 0
	for i := 0; i < len(d); {
		if n++; n > maxCFFDictOps {
			return nil, errCFF
		}
		b0 := int(d[i])
		switch {
		case b0 <= 21:
			op := b0
			i++
			if b0 == 12 {
				if i >= len(d) {
					return nil, errCFF
				}
				op = 1200 + int(d[i])
				i++
			}
			out[op] = ops
			ops = nil
			continue
		case b0 == 28:
			if i+3 > len(d) {
				return nil, errCFF
			}
			ops = append(ops, float64(int16(uint16(d[i+1])<<8|uint16(d[i+2]))))
			i += 3
		case b0 == 29:
			if i+5 > len(d) {
				return nil, errCFF
			}
			ops = append(ops, float64(int32(uint32(d[i+1])<<24|uint32(d[i+2])<<16|uint32(d[i+3])<<8|uint32(d[i+4]))))
			i += 5
		case b0 == 30:
			v, n, ok := cffReal(d[i+1:])
			if !ok {
				return nil, errCFF
			}
			ops = append(ops, v)
			i += 1 + n
		case b0 >= 32 && b0 <= 246:
			ops = append(ops, float64(b0-139))
			i++
		case b0 >= 247 && b0 <= 250:
			if i+2 > len(d) {
				return nil, errCFF
			}
			ops = append(ops, float64((b0-247)*256+int(d[i+1])+108))
			i += 2
		case b0 >= 251 && b0 <= 254:
			if i+2 > len(d) {
				return nil, errCFF
			}
			ops = append(ops, float64(-(b0-251)*256-int(d[i+1])-108))
			i += 2
		default: // 22-27, 31, 255: reserved
			return nil, errCFF
		}
	}
	return out, nil
}

// cffReal reads a real number operand (nibbles after the byte 30); it
// returns the value and the bytes read.
func cffReal(d []byte) (float64, int, bool) {
	var s []byte
	for i := 0; i < len(d) && i < 64; i++ {
		for _, nib := range [2]byte{d[i] >> 4, d[i] & 15} {
			switch {
			case nib <= 9:
				s = append(s, '0'+nib)
			case nib == 0xa:
				s = append(s, '.')
			case nib == 0xb:
				s = append(s, 'E')
			case nib == 0xc:
				s = append(s, 'E', '-')
			case nib == 0xe:
				s = append(s, '-')
			case nib == 0xf:
				v, err := strconv.ParseFloat(string(s), 64)
				if err != nil {
					v = 0
				}
				return v, i + 1, true
			default:
				return 0, 0, false
			}
		}
	}
	return 0, 0, false
}

// int returns the dict's operand k of op, or def.
func (d cffDict) int(op, k, def int) int {
	v := d[op]
	if k >= len(v) || v[k] < 0 || v[k] > 1<<30 {
		return def
	}
	return int(v[k])
}

// parseCFF reads a CFF program (the first font of its FontSet); nil if it
// is not one or does not parse.
func parseCFF(b []byte) *cffFont {
	c, err := readCFF(b)
	if err != nil {
		return nil
	}
	return c
}

func readCFF(b []byte) (*cffFont, error) {
	if len(b) < 4 || b[0] != 1 {
		return nil, errCFF
	}
	hdr := int(b[2])
	if hdr < 4 || hdr > len(b) {
		return nil, errCFF
	}
	_, next, err := readCFFIndex(b, hdr) // Name INDEX
	if err != nil {
		return nil, err
	}
	tops, next, err := readCFFIndex(b, next)
	if err != nil || tops.count() < 1 {
		return nil, errCFF
	}
	strs, _, err := readCFFIndex(b, next)
	if err != nil || strs.count() > maxCFFStrings {
		return nil, errCFF
	}
	top, err := parseCFFDict(tops.elem(0))
	if err != nil {
		return nil, err
	}
	csOff := top.int(17, 0, -1)
	if csOff <= 0 || csOff >= len(b) {
		return nil, errCFF
	}
	charStrings, _, err := readCFFIndex(b, csOff)
	if err != nil {
		return nil, err
	}
	c := &cffFont{nGlyphs: charStrings.count()}
	if c.nGlyphs == 0 || c.nGlyphs > maxCFFGlyphs {
		return nil, errCFF
	}
	_, c.cidKeyed = top[1230] // ROS
	c.notdefBlank = type2CharstringBlank(charStrings.elem(0))
	sids, err := cffCharset(b, top.int(15, 0, 0), c.nGlyphs)
	if err != nil {
		return nil, err
	}
	if c.cidKeyed {
		c.cids = make([]uint32, c.nGlyphs)
		for g, v := range sids {
			c.cids[g] = uint32(v)
		}
		return c, nil
	}
	sid := func(v int) string {
		if v < len(cffStrings) {
			return cffStrings[v]
		}
		return string(strs.elem(v - len(cffStrings)))
	}
	c.names = make([]string, c.nGlyphs)
	byName := map[int]int{} // SID -> first glyph
	for g, v := range sids {
		c.names[g] = sid(v)
		if _, ok := byName[v]; !ok {
			byName[v] = g
		}
	}
	c.readEncoding(b, top.int(16, 0, 0), byName, sid)
	return c, nil
}

// cffCharset returns the SID (name-keyed) or CID (CID-keyed) of every
// glyph; glyph 0 is .notdef (0).
func cffCharset(b []byte, off, n int) ([]int, error) {
	out := make([]int, n)
	var pre []uint16
	switch off {
	case 0:
		pre = cffISOAdobeCharset[:]
	case 1:
		pre = cffExpertCharset[:]
	case 2:
		pre = cffExpertSubsetCharset[:]
	}
	if pre != nil {
		for g := range out {
			if g < len(pre) {
				out[g] = int(pre[g])
			}
		}
		return out, nil
	}
	if off >= len(b) {
		return nil, errCFF
	}
	p := off + 1
	switch b[off] {
	case 0:
		for g := 1; g < n; g++ {
			v, ok := u16(b, p)
			if !ok {
				return nil, errCFF
			}
			out[g] = v
			p += 2
		}
	case 1, 2:
		wide := b[off] == 2
		for g := 1; g < n; {
			first, ok := u16(b, p)
			if !ok {
				return nil, errCFF
			}
			var left int
			if wide {
				if left, ok = u16(b, p+2); !ok {
					return nil, errCFF
				}
				p += 4
			} else {
				if p+2 >= len(b) {
					return nil, errCFF
				}
				left = int(b[p+2])
				p += 3
			}
			for k := 0; k <= left && g < n; k++ {
				out[g] = first + k
				g++
			}
		}
	default:
		return nil, errCFF
	}
	return out, nil
}

// readEncoding reads the font's built-in encoding: predefined Standard
// (0) or Expert (1), or format 0 (a code per glyph) or 1 (ranges of codes
// for consecutive glyphs), each with optional supplements (a code for a
// glyph named by SID). An encoding that does not parse gives no names.
func (c *cffFont) readEncoding(b []byte, off int, byName map[int]int, sid func(int) string) {
	set := func(code, g int) {
		if code >= 0 && code < 256 && g > 0 && g < len(c.names) {
			c.enc[code] = c.names[g]
			c.hasEnc = true
		}
	}
	switch off {
	case 0, 1:
		// The predefined encodings, whole (as readers take them, even
		// for names the subset lacks).
		c.enc = standardEncoding
		if off == 1 {
			c.enc = expertEncodingNames
		}
		c.hasEnc = true
		return
	}
	if off >= len(b) {
		return
	}
	format := b[off]
	p := off + 1
	switch format & 0x7f {
	case 0:
		if p >= len(b) {
			return
		}
		n := int(b[p])
		p++
		for g := 1; g <= n; g++ {
			if p >= len(b) {
				return
			}
			set(int(b[p]), g)
			p++
		}
	case 1:
		if p >= len(b) {
			return
		}
		nr := int(b[p])
		p++
		g := 1
		for r := 0; r < nr; r++ {
			if p+1 >= len(b) {
				return
			}
			first, left := int(b[p]), int(b[p+1])
			p += 2
			for k := 0; k <= left; k++ {
				set(first+k, g)
				g++
			}
		}
	default:
		return
	}
	if format&0x80 == 0 || p >= len(b) {
		return
	}
	ns := int(b[p])
	p++
	for i := 0; i < ns; i++ {
		v, ok := u16(b, p+1)
		if !ok {
			return
		}
		code := int(b[p])
		p += 3
		if g, ok := byName[v]; ok {
			set(code, g)
		} else if n := sid(v); n != "" {
			// A supplement may name a glyph the charset lists under
			// another SID with the same string.
			for g, gn := range c.names {
				if gn == n {
					set(code, g)
					break
				}
			}
		}
	}
}

// cidText returns the text of a CID of a CID font whose program is a
// name-keyed CFF font (CID = glyph index): the glyph's name through the
// Adobe Glyph List.
func (c *cffFont) cidText(cid uint32) (string, bool) {
	if c == nil || c.cidKeyed || cid > maxCFFGlyphs {
		return "", false
	}
	return nameText(c.glyphName(int(cid)))
}

// gid returns the glyph index of a CID of a CID-keyed font (the charset
// read backwards); ok false when the font has no glyph for it.
func (c *cffFont) gid(cid uint32) (int, bool) {
	if c == nil || !c.cidKeyed {
		return 0, false
	}
	if c.byCID == nil {
		c.byCID = make(map[uint32]int, len(c.cids))
		for g, v := range c.cids {
			if _, ok := c.byCID[v]; !ok {
				c.byCID[v] = g
			}
		}
	}
	g, ok := c.byCID[cid]
	return g, ok
}

// nameText is a glyph name's text through the Adobe Glyph List; ".notdef"
// and "" have none.
func nameText(n string) (string, bool) {
	if n == "" || n == ".notdef" {
		return "", false
	}
	if s, ok := glyphRunes(n); ok && usableText(s) {
		return s, true
	}
	return "", false
}

// glyphName returns the name of glyph g of a name-keyed font.
func (c *cffFont) glyphName(g int) string {
	if c == nil || g <= 0 || g >= len(c.names) {
		return ""
	}
	return c.names[g]
}

// expertEncodingNames is the predefined Expert encoding (CFF Appendix B)
// as glyph names.
var expertEncodingNames = func() [256]string {
	var e [256]string
	put := func(code int, sids ...int) {
		for i, s := range sids {
			e[code+i] = cffStrings[s]
		}
	}
	seq := func(code, sid, n int) {
		for i := 0; i < n; i++ {
			e[code+i] = cffStrings[sid+i]
		}
	}
	put(32, 1, 229, 230)
	put(36, 231, 232, 233, 234, 235, 236, 237, 238, 13, 14, 15, 99)
	seq(48, 239, 10)
	put(58, 27, 28, 249, 250, 251, 252)
	put(65, 253, 254, 255, 256, 257)
	put(73, 258)
	put(76, 259, 260, 261, 262)
	put(82, 263, 264, 265)
	put(86, 266, 109, 110, 267, 268, 269)
	put(93, 270, 271, 272, 273)
	seq(97, 274, 26)
	put(123, 300, 301, 302, 303)
	put(161, 304, 305, 306)
	put(166, 307, 308, 309, 310, 311)
	put(172, 312)
	put(175, 313)
	put(178, 314, 315)
	put(182, 316, 317, 318)
	put(188, 158, 155, 163, 319, 320, 321, 322, 323, 324, 325)
	put(200, 326, 150, 164, 169)
	seq(204, 327, 20)
	seq(224, 347, 32)
	return e
}()
