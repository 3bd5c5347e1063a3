package pdf

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// cffIndexBytes encodes an INDEX with 2-byte offsets.
func cffIndexBytes(elems ...[]byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint16(len(elems)))
	if len(elems) == 0 {
		return b.Bytes()
	}
	b.WriteByte(2)
	off := 1
	binary.Write(&b, binary.BigEndian, uint16(off))
	for _, e := range elems {
		off += len(e)
		binary.Write(&b, binary.BigEndian, uint16(off))
	}
	for _, e := range elems {
		b.Write(e)
	}
	return b.Bytes()
}

// cffInt encodes a DICT integer operand as the 5-byte form, so that
// offsets have a fixed size.
func cffInt(v int) []byte {
	return []byte{29, byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// cffProgram builds a CFF program: glyphs are named by SIDs (or are CIDs
// when cidKeyed) in a format 0 charset; enc is the encoding's bytes (nil:
// the predefined Standard encoding); strs the String INDEX.
func cffProgram(cidKeyed bool, charset []int, enc []byte, strs ...string) []byte {
	nGlyphs := len(charset) + 1
	var cs []byte
	cs = append(cs, 0)
	for _, v := range charset {
		cs = append(cs, byte(v>>8), byte(v))
	}
	glyphs := make([][]byte, nGlyphs)
	for i := range glyphs {
		glyphs[i] = []byte{14} // endchar
	}
	var strIdx [][]byte
	for _, s := range strs {
		strIdx = append(strIdx, []byte(s))
	}
	top := func(csOff, charsetOff, encOff int) []byte {
		var d []byte
		if cidKeyed {
			d = append(d, 32+139-32, 33+139-32, 139, 12, 30) // ROS: SIDs 139 140, supplement 0 (values only)
		}
		d = append(d, cffInt(charsetOff)...)
		d = append(d, 15)
		if encOff >= 0 {
			d = append(d, cffInt(encOff)...)
			d = append(d, 16)
		}
		d = append(d, cffInt(csOff)...)
		d = append(d, 17)
		return d
	}
	head := []byte{1, 0, 4, 2}
	name := cffIndexBytes([]byte("TestFont"))
	encOff := -1
	if enc != nil {
		encOff = 0 // placeholder, fixed below
	}
	topLen := len(cffIndexBytes(top(0, 0, encOff)))
	strB, gsubr := cffIndexBytes(strIdx...), cffIndexBytes()
	base := len(head) + len(name) + topLen + len(strB) + len(gsubr)
	charsetOff := base
	csOff := charsetOff + len(cs)
	csIdx := cffIndexBytes(glyphs...)
	if enc != nil {
		encOff = csOff + len(csIdx)
	}
	var b bytes.Buffer
	b.Write(head)
	b.Write(name)
	b.Write(cffIndexBytes(top(csOff, charsetOff, encOff)))
	b.Write(strB)
	b.Write(gsubr)
	b.Write(cs)
	b.Write(csIdx)
	b.Write(enc)
	return b.Bytes()
}

func TestCFFStandardStrings(t *testing.T) {
	for sid, want := range map[int]string{0: ".notdef", 34: "A", 229: "exclamsmall", 379: "001.000", 390: "Semibold"} {
		if cffStrings[sid] != want {
			t.Errorf("SID %d = %q, want %q", sid, cffStrings[sid], want)
		}
	}
	if expertEncodingNames[0x41] != "asuperior" || expertEncodingNames[0x61] != "Asmall" || expertEncodingNames[0xff] != "Ydieresissmall" || expertEncodingNames[0xdf] != "commainferior" {
		t.Errorf("expert encoding: %q %q %q %q", expertEncodingNames[0x41], expertEncodingNames[0x61], expertEncodingNames[0xff], expertEncodingNames[0xdf])
	}
}

func TestCFFEncodings(t *testing.T) {
	// Glyphs 1-4: A (SID 34), B (35), a custom "uni0416" (SID 391), and
	// a generated name (392).
	charset := []int{34, 35, 391, 392}
	strs := []string{"uni0416", "g17"}
	for _, c := range []struct {
		name string
		enc  []byte
		want map[int]string
	}{
		{"predefined Standard", nil, map[int]string{0x41: "A", 0x42: "B", 0x61: "a"}},
		{"format 0", []byte{0, 4, 0x30, 0x31, 0x32, 0x33}, map[int]string{0x30: "A", 0x31: "B", 0x32: "uni0416", 0x33: "g17", 0x41: ""}},
		{"format 1", []byte{1, 2, 0x10, 1, 0x20, 1}, map[int]string{0x10: "A", 0x11: "B", 0x20: "uni0416", 0x21: "g17"}},
		{"format 0 with supplements", []byte{0x80, 2, 0x30, 0x31, 2, 0x40, 0, 34, 0x41, 1, 135}, map[int]string{0x30: "A", 0x31: "B", 0x40: "A", 0x41: "uni0416"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cf := parseCFF(cffProgram(false, charset, c.enc, strs...))
			if cf == nil {
				t.Fatal("the program does not parse")
			}
			if cf.glyphName(3) != "uni0416" || cf.glyphName(1) != "A" {
				t.Errorf("glyph names %q", cf.names)
			}
			for code, want := range c.want {
				if cf.enc[code] != want {
					t.Errorf("code %#x = %q, want %q", code, cf.enc[code], want)
				}
			}
			if s, ok := cf.cidText(3); !ok || s != "Ж" {
				t.Errorf("cidText(3) = %q %v", s, ok)
			}
			if _, ok := cf.cidText(4); ok {
				t.Error("a generated glyph name reads as text")
			}
		})
	}
}

func TestCFFCIDKeyed(t *testing.T) {
	cf := parseCFF(cffProgram(true, []int{1200, 34, 7000}, nil))
	if cf == nil || !cf.cidKeyed {
		t.Fatalf("not read as CID-keyed: %+v", cf)
	}
	for cid, want := range map[uint32]int{1200: 1, 34: 2, 7000: 3} {
		if g, ok := cf.gid(cid); !ok || g != want {
			t.Errorf("gid(%d) = %d %v, want %d", cid, g, ok, want)
		}
	}
	if _, ok := cf.gid(35); ok {
		t.Error("a CID the font lacks has a glyph")
	}
	if _, ok := cf.cidText(34); ok {
		t.Error("a CID-keyed font names glyphs")
	}
}

// The CFF reader survives any bytes, within its budgets.
func FuzzCFF(f *testing.F) {
	f.Add(cffProgram(false, []int{34, 35, 391}, []byte{0x80, 2, 0x30, 0x31, 1, 0x40, 0, 34}, "uni0416"))
	f.Add(cffProgram(true, []int{1200, 34}, nil))
	f.Add(cffProgram(false, []int{34}, []byte{1, 1, 0x41, 0}))
	f.Fuzz(func(t *testing.T, data []byte) {
		cf := parseCFF(data)
		if cf == nil {
			return
		}
		if cf.nGlyphs > maxCFFGlyphs || len(cf.names) > maxCFFGlyphs || len(cf.cids) > maxCFFGlyphs {
			t.Fatalf("%d glyphs", cf.nGlyphs)
		}
		for g := 0; g < 8; g++ {
			cf.cidText(uint32(g))
			cf.gid(uint32(g))
		}
	})
}
