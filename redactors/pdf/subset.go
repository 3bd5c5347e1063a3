package pdf

import (
	"encoding/binary"
	"errors"
	"sort"
)

// subsetTrueType returns a copy of the TrueType program font in which only
// the glyphs in keep (and .notdef, and the components of kept composite
// glyphs) have outlines; every other glyph is empty. Glyph ids stay as
// they are, so a CID font with an identity CIDToGIDMap draws the same
// codes; the tables a PDF viewer needs of an embedded TrueType program
// (ISO 32000-1, 9.9: cmap, cvt, fpgm, glyf, head, hhea, hmtx, loca, maxp,
// prep, with OS/2, and post without glyph names) are kept, the rest
// (names, kerning, layout) dropped.
func subsetTrueType(font []byte, keep map[uint16]bool) ([]byte, error) {
	tables, err := sfntTables(font)
	if err != nil {
		return nil, err
	}
	head, maxp, loca, glyf := tables["head"], tables["maxp"], tables["loca"], tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil {
		return nil, errors.New("truetype: missing head, maxp, loca or glyf")
	}
	n := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offs := make([]int, n+1)
	for i := range offs {
		switch {
		case long && 4*i+4 <= len(loca):
			offs[i] = int(binary.BigEndian.Uint32(loca[4*i:]))
		case !long && 2*i+2 <= len(loca):
			offs[i] = 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
		default:
			return nil, errors.New("truetype: short loca table")
		}
		if offs[i] > len(glyf) || i > 0 && offs[i] < offs[i-1] {
			return nil, errors.New("truetype: bad loca offset")
		}
	}
	data := func(g int) []byte { return glyf[offs[g]:offs[g+1]] }
	// Kept glyphs, with the components of composites.
	want := map[int]bool{0: true}
	var queue []int
	for g := range keep {
		if int(g) < n {
			queue = append(queue, int(g))
		}
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if want[g] && g != 0 {
			continue
		}
		want[g] = true
		for _, c := range components(data(g)) {
			if c < n && !want[c] {
				queue = append(queue, c)
			}
		}
	}
	var newGlyf []byte
	newLoca := make([]byte, 4*(n+1))
	for g := 0; g < n; g++ {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if want[g] {
			newGlyf = append(newGlyf, data(g)...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*n:], uint32(len(newGlyf)))
	newHead := append([]byte(nil), head...)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long loca offsets
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below
	out := map[string][]byte{"head": newHead, "loca": newLoca, "glyf": newGlyf}
	for _, tag := range []string{"cmap", "cvt ", "fpgm", "hhea", "hmtx", "maxp", "prep", "OS/2"} {
		if t, ok := tables[tag]; ok {
			out[tag] = t
		}
	}
	if post := tables["post"]; len(post) >= 32 {
		// Version 3: the metrics, no glyph names.
		p := append([]byte(nil), post[:32]...)
		binary.BigEndian.PutUint32(p, 0x00030000)
		out["post"] = p
	}
	return writeSFNT(out), nil
}

// components returns the glyph ids a composite glyph's data refers to.
func components(d []byte) []int {
	if len(d) < 10 || int16(binary.BigEndian.Uint16(d)) >= 0 {
		return nil
	}
	const (
		argWords   = 0x0001
		scale      = 0x0008
		more       = 0x0020
		xyScale    = 0x0040
		twoByTwo   = 0x0080
		maxCompose = 64
	)
	var out []int
	for p := 10; p+4 <= len(d) && len(out) < maxCompose; {
		flags := binary.BigEndian.Uint16(d[p:])
		out = append(out, int(binary.BigEndian.Uint16(d[p+2:])))
		p += 4
		if flags&argWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&scale != 0:
			p += 2
		case flags&xyScale != 0:
			p += 4
		case flags&twoByTwo != 0:
			p += 8
		}
		if flags&more == 0 {
			break
		}
	}
	return out
}

// sfntTables returns the tables of a TrueType program by tag.
func sfntTables(b []byte) (map[string][]byte, error) {
	if len(b) < 12 {
		return nil, errors.New("truetype: short file")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	out := map[string][]byte{}
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errors.New("truetype: short table directory")
		}
		off, ln := int(binary.BigEndian.Uint32(b[rec+8:])), int(binary.BigEndian.Uint32(b[rec+12:]))
		if off < 0 || ln < 0 || off > len(b) || ln > len(b)-off {
			return nil, errors.New("truetype: table outside the file")
		}
		out[string(b[rec:rec+4])] = b[off : off+ln]
	}
	return out, nil
}

// writeSFNT writes tables as a TrueType program, tables in tag order,
// each 4-byte aligned, with their checksums and the head table's
// checkSumAdjustment.
func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	sr := 16 << es
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-sr))
	headAt := -1
	for i, t := range tags {
		rec := 12 + 16*i
		data := tables[t]
		if t == "head" {
			headAt = len(out)
		}
		copy(out[rec:], t)
		binary.BigEndian.PutUint32(out[rec+4:], checksum(data))
		binary.BigEndian.PutUint32(out[rec+8:], uint32(len(out)))
		binary.BigEndian.PutUint32(out[rec+12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s,
// the last one padded with zeros.
func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}
