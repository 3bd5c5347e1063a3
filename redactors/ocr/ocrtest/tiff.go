package ocrtest

import (
	"encoding/binary"
	"image"
	"sort"
)

// TIFFPage is a page for TIFF: an image (grey, or black and white when
// Bilevel), its resolution, and ASCII tags to add (metadata a redactor must
// drop: 270 ImageDescription, 315 Artist, 305 Software…).
type TIFFPage struct {
	Img        *image.Gray
	Bilevel    bool
	XDPI, YDPI int
	ASCII      map[uint16]string
}

// TIFF writes pages as an uncompressed big-endian multi-page TIFF. It is
// written here, for the tests, independently of the redactor's writer.
func TIFF(pages []TIFFPage) []byte {
	be := binary.BigEndian
	out := []byte("MM\x00*\x00\x00\x00\x00")
	next := 4
	for _, p := range pages {
		b := p.Img.Bounds()
		w, h := b.Dx(), b.Dy()
		var pix []byte
		bits := 8
		if p.Bilevel {
			bits = 1
			rb := (w + 7) / 8
			pix = make([]byte, rb*h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if p.Img.Pix[y*p.Img.Stride+x] < 128 { // WhiteIsZero: 1 = black
						pix[y*rb+x/8] |= 0x80 >> (x % 8)
					}
				}
			}
		} else {
			pix = make([]byte, w*h)
			for y := 0; y < h; y++ {
				copy(pix[y*w:], p.Img.Pix[y*p.Img.Stride:y*p.Img.Stride+w])
			}
		}
		dataOff := len(out)
		out = append(out, pix...)
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		type entry struct {
			tag, typ uint16
			count    uint32
			val      []byte
		}
		u16 := func(v int) []byte { return be.AppendUint16(nil, uint16(v)) }
		u32 := func(v int) []byte { return be.AppendUint32(nil, uint32(v)) }
		photo := 1
		if p.Bilevel {
			photo = 0
		}
		es := []entry{
			{256, 4, 1, u32(w)}, {257, 4, 1, u32(h)}, {258, 3, 1, u16(bits)}, {259, 3, 1, u16(1)},
			{262, 3, 1, u16(photo)}, {273, 4, 1, u32(dataOff)}, {277, 3, 1, u16(1)}, {278, 4, 1, u32(h)},
			{279, 4, 1, u32(len(pix))},
		}
		if p.XDPI > 0 {
			es = append(es, entry{282, 5, 1, append(u32(p.XDPI), u32(1)...)}, entry{283, 5, 1, append(u32(p.YDPI), u32(1)...)}, entry{296, 3, 1, u16(2)})
		}
		for tag, s := range p.ASCII {
			es = append(es, entry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)})
		}
		sort.Slice(es, func(i, j int) bool { return es[i].tag < es[j].tag })
		ifdOff := len(out)
		be.PutUint32(out[next:], uint32(ifdOff))
		extra := ifdOff + 2 + 12*len(es) + 4
		var area []byte
		out = be.AppendUint16(out, uint16(len(es)))
		for _, e := range es {
			out = be.AppendUint16(out, e.tag)
			out = be.AppendUint16(out, e.typ)
			out = be.AppendUint32(out, e.count)
			if len(e.val) <= 4 {
				v := make([]byte, 4)
				copy(v, e.val)
				out = append(out, v...)
				continue
			}
			out = be.AppendUint32(out, uint32(extra+len(area)))
			area = append(area, e.val...)
			if len(area)%2 == 1 {
				area = append(area, 0)
			}
		}
		next = len(out)
		out = be.AppendUint32(out, 0)
		out = append(out, area...)
	}
	return out
}
