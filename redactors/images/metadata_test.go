package images_test

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// assertNoMetadata checks an output file segment by segment, with its own
// parser: a PNG has only IHDR, PLTE, tRNS, pHYs, IDAT and IEND chunks; a
// JPEG only a JFIF APP0, tables, frame, scan and EOI, nothing after EOI;
// a TIFF only baseline tags and no ASCII values.
func assertNoMetadata(t *testing.T, b []byte) {
	t.Helper()
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		ok := map[string]bool{"IHDR": true, "PLTE": true, "tRNS": true, "pHYs": true, "IDAT": true, "IEND": true}
		p := 8
		for p+12 <= len(b) {
			n := int(binary.BigEndian.Uint32(b[p:]))
			typ := string(b[p+4 : p+8])
			if !ok[typ] {
				t.Errorf("PNG output has a %s chunk", typ)
			}
			p += 12 + n
			if typ == "IEND" {
				break
			}
		}
		if p != len(b) {
			t.Errorf("PNG output has %d bytes after IEND", len(b)-p)
		}
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8}):
		p := 2
		for {
			if p+4 > len(b) || b[p] != 0xFF {
				t.Fatalf("JPEG output: bad segment at %d", p)
			}
			m := b[p+1]
			n := int(binary.BigEndian.Uint16(b[p+2:]))
			switch {
			case m == 0xE0 && bytes.HasPrefix(b[p+4:], []byte("JFIF\x00")):
			case m == 0xDB, m == 0xC4, m == 0xDD, m >= 0xC0 && m <= 0xC2, m == 0xDA:
			default:
				t.Errorf("JPEG output has a segment FF%02X", m)
			}
			p += 2 + n
			if m == 0xDA {
				break
			}
		}
		// entropy-coded data: only stuffed bytes and restart markers, then EOI at the end
		for ; p+1 < len(b); p++ {
			if b[p] == 0xFF && b[p+1] != 0 && !(b[p+1] >= 0xD0 && b[p+1] <= 0xD7) {
				if b[p+1] != 0xD9 || p+2 != len(b) {
					t.Errorf("JPEG output: marker FF%02X in or after the scan", b[p+1])
				}
				break
			}
		}
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		var bo binary.ByteOrder = binary.LittleEndian
		if b[0] == 'M' {
			bo = binary.BigEndian
		}
		ok := map[uint16]bool{254: true, 256: true, 257: true, 258: true, 259: true, 262: true, 266: true, 273: true,
			277: true, 278: true, 279: true, 282: true, 283: true, 284: true, 296: true, 297: true, 317: true, 320: true, 338: true}
		off := bo.Uint32(b[4:])
		for pages := 0; off != 0 && pages < 100; pages++ {
			n := int(bo.Uint16(b[off:]))
			for i := 0; i < n; i++ {
				e := b[int(off)+2+12*i:]
				tag, typ := bo.Uint16(e), bo.Uint16(e[2:])
				if !ok[tag] || typ == 2 {
					t.Errorf("TIFF output page %d has tag %d (type %d)", pages+1, tag, typ)
				}
			}
			off = bo.Uint32(b[int(off)+2+12*n:])
		}
	default:
		t.Fatalf("output is not PNG, JPEG or TIFF")
	}
}
