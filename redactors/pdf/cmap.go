package pdf

import (
	"sort"
	"unicode/utf16"
)

// CMaps (PDF 32000-1 9.7.5 and 9.10.3, Adobe technical note 5014): the
// ToUnicode CMap of a font maps character codes to Unicode, an embedded
// encoding CMap maps codes to CIDs. Both share the codespace ranges that
// say how many bytes a code has.

// codeRange is a codespace range: codes of n bytes whose every byte lies
// between the bytes of lo and hi.
type codeRange struct {
	n      int
	lo, hi [4]byte
}

// bfRange maps codes lo..hi (n bytes) to Unicode: dst+offset, or arr[offset].
type bfRange struct {
	n      int
	lo, hi uint32
	dst    []rune
	arr    []string
}

type cidRange struct {
	n      int
	lo, hi uint32
	cid    uint32
}

// cmap is a parsed CMap. The zero value maps nothing.
type cmap struct {
	space    []codeRange
	uni      map[uint64]string
	bfRanges []bfRange
	cids     map[uint64]uint32
	cidRange []cidRange
	useCMap  string
	// lens counts the byte lengths of the source codes, used when a CMap
	// has no codespace ranges.
	lens [5]int
}

// Limits that keep a hostile CMap from using unbounded memory.
const (
	maxCMapEntries = 1 << 20
	maxCMapArray   = 1 << 16
)

func codeKey(n int, v uint32) uint64 { return uint64(n)<<32 | uint64(v) }

func codeValue(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

// parseCMap reads a CMap program. It never fails: what cannot be read is
// ignored, and a font whose codes then map to nothing is found out when
// its glyphs are shown.
func parseCMap(data []byte) *cmap {
	m := &cmap{uni: map[uint64]string{}, cids: map[uint64]uint32{}}
	l := &lexer{data: data}
	var stack []operand
	entries := 0
	for {
		t := l.next()
		if t.kind == tEOF {
			break
		}
		if t.kind != tOp {
			o, err := l.parseOperand(t, 0)
			if err != nil {
				stack = stack[:0]
				continue
			}
			if len(stack) < maxCMapArray {
				stack = append(stack, o)
			}
			continue
		}
		op := string(data[t.start:t.end])
		switch op {
		case "endcodespacerange":
			for i := 0; i+1 < len(stack); i += 2 {
				lo, hi := m.hexArg(data, stack[i]), m.hexArg(data, stack[i+1])
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
					continue
				}
				r := codeRange{n: len(lo)}
				copy(r.lo[:], lo)
				copy(r.hi[:], hi)
				m.space = append(m.space, r)
			}
		case "endbfchar":
			for i := 0; i+1 < len(stack) && entries < maxCMapEntries; i += 2 {
				src := m.hexArg(data, stack[i])
				if len(src) == 0 || len(src) > 4 {
					continue
				}
				if s, ok := m.dstString(data, stack[i+1]); ok {
					m.uni[codeKey(len(src), codeValue(src))] = s
					m.lens[len(src)]++
					entries++
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(stack) && entries < maxCMapEntries; i += 3 {
				lo, hi := m.hexArg(data, stack[i]), m.hexArg(data, stack[i+1])
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
					continue
				}
				r := bfRange{n: len(lo), lo: codeValue(lo), hi: codeValue(hi)}
				if r.hi < r.lo {
					continue
				}
				d := stack[i+2]
				switch {
				case d.tok.kind == tArrOpen:
					for k := range d.arr {
						s, _ := m.dstString(data, d.arr[k])
						r.arr = append(r.arr, s)
					}
				case d.isStr():
					b := m.hexArg(data, d)
					r.dst = utf16Runes(b)
					if len(r.dst) == 0 {
						continue
					}
				default:
					continue
				}
				m.bfRanges = append(m.bfRanges, r)
				m.lens[r.n]++
				entries++
			}
		case "endcidchar":
			for i := 0; i+1 < len(stack) && entries < maxCMapEntries; i += 2 {
				src := m.hexArg(data, stack[i])
				if len(src) == 0 || len(src) > 4 || !stack[i+1].isNum() || stack[i+1].num < 0 {
					continue
				}
				m.cids[codeKey(len(src), codeValue(src))] = uint32(stack[i+1].num)
				entries++
			}
		case "endcidrange":
			for i := 0; i+2 < len(stack) && entries < maxCMapEntries; i += 3 {
				lo, hi := m.hexArg(data, stack[i]), m.hexArg(data, stack[i+1])
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) || !stack[i+2].isNum() || stack[i+2].num < 0 {
					continue
				}
				r := cidRange{n: len(lo), lo: codeValue(lo), hi: codeValue(hi), cid: uint32(stack[i+2].num)}
				if r.hi >= r.lo {
					m.cidRange = append(m.cidRange, r)
					entries++
				}
			}
		case "usecmap":
			if len(stack) > 0 && stack[len(stack)-1].tok.kind == tName {
				t := stack[len(stack)-1].tok
				m.useCMap = nameString(data[t.start:t.end])
			}
		}
		stack = stack[:0]
		l.release()
	}
	sort.SliceStable(m.bfRanges, func(i, j int) bool { return m.bfRanges[i].lo < m.bfRanges[j].lo })
	return m
}

func (m *cmap) hexArg(data []byte, o operand) []byte {
	switch o.tok.kind {
	case tHex:
		return hexBytes(data[o.tok.start+1 : o.tok.end])
	case tStr:
		return literalBytes(data[o.tok.start:o.tok.end])
	}
	return nil
}

// dstString decodes a bfchar destination: UTF-16BE hex, or a glyph name.
func (m *cmap) dstString(data []byte, o operand) (string, bool) {
	switch o.tok.kind {
	case tHex, tStr:
		return string(utf16Runes(m.hexArg(data, o))), true
	case tName:
		if r, ok := glyphRunes(nameString(data[o.tok.start:o.tok.end])); ok {
			return r, true
		}
	}
	return "", false
}

// utf16Runes decodes UTF-16BE; a single byte reads as Latin-1.
func utf16Runes(b []byte) []rune {
	if len(b) == 1 {
		return []rune{rune(b[0])}
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return utf16.Decode(u)
}

// codeLen returns the length of the code starting at b[0], from the
// codespace ranges (or, without them, the usual source code length). It is
// at least 1 and at most len(b).
func (m *cmap) codeLen(b []byte) int {
	if len(m.space) > 0 {
		for n := 1; n <= 4 && n <= len(b); n++ {
			for _, r := range m.space {
				if r.n != n {
					continue
				}
				ok := true
				for k := 0; k < n; k++ {
					if b[k] < r.lo[k] || b[k] > r.hi[k] {
						ok = false
						break
					}
				}
				if ok {
					return n
				}
			}
		}
		// No range matches: take the shortest length whose first byte
		// fits (9.7.6.3), else one byte.
		for n := 1; n <= 4 && n <= len(b); n++ {
			for _, r := range m.space {
				if r.n == n && b[0] >= r.lo[0] && b[0] <= r.hi[0] {
					return n
				}
			}
		}
		return 1
	}
	best := 1
	for n := 2; n <= 4; n++ {
		if m.lens[n] > m.lens[best] {
			best = n
		}
	}
	if best > len(b) {
		best = len(b)
	}
	if best < 1 {
		best = 1
	}
	return best
}

// hasSpace reports whether the CMap defines codespace ranges.
func (m *cmap) hasSpace() bool { return len(m.space) > 0 }

// unicode returns the text for a code of len(code) bytes.
func (m *cmap) unicode(code []byte) (string, bool) {
	if m == nil || len(code) == 0 || len(code) > 4 {
		return "", false
	}
	v := codeValue(code)
	if s, ok := m.uni[codeKey(len(code), v)]; ok {
		return s, true
	}
	rs := m.bfRanges
	i := sort.Search(len(rs), func(i int) bool { return rs[i].lo > v })
	// Ranges rarely overlap; look at the few that start at or below v.
	for i, k := i-1, 0; i >= 0 && k < 64; i, k = i-1, k+1 {
		r := rs[i]
		if r.n != len(code) || v > r.hi {
			continue
		}
		off := v - r.lo
		if r.arr != nil {
			if int(off) < len(r.arr) {
				return r.arr[off], true
			}
			return "", false
		}
		d := append([]rune(nil), r.dst...)
		d[len(d)-1] += rune(off)
		return string(d), true
	}
	return "", false
}

// cid returns the CID of a code of an embedded encoding CMap.
func (m *cmap) cid(code []byte) (uint32, bool) {
	if m == nil || len(code) == 0 || len(code) > 4 {
		return 0, false
	}
	v := codeValue(code)
	if c, ok := m.cids[codeKey(len(code), v)]; ok {
		return c, true
	}
	for _, r := range m.cidRange {
		if r.n == len(code) && r.lo <= v && v <= r.hi {
			return r.cid + (v - r.lo), true
		}
	}
	return 0, false
}
