package imagemeta

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// The blank raster images are written here, byte by byte, rather than
// encoded from an image.Image: a header can claim 64 M pixels in a few
// bytes, and a blank must then cost a pass over a row, not a decoded page.
// Each writer takes time linear in the pixel count with a small constant
// (JPEG: 2 bits per 8×8 block; PNG: a compressor over w·h/8 bytes; TIFF:
// PackBits rows; BMP: 1 bit a pixel; GIF: one pixel) and memory of one row.

// BlankRaster returns a white w×h image in format f (JPEG, PNG, GIF, WebP,
// TIFF or BMP) with no metadata.
func BlankRaster(f Format, w, h int) ([]byte, error) {
	if w < 1 || h < 1 {
		return nil, corrupt(f, "no pixels")
	}
	if int64(w)*int64(h) > MaxPixels {
		return nil, ErrTooLarge
	}
	switch f {
	case JPEG:
		return blankJPEG(w, h)
	case PNG:
		return blankPNG(w, h), nil
	case GIF:
		return blankGIF(w, h)
	case WebP:
		return blankWebP(w, h)
	case TIFF:
		return blankTIFF(w, h), nil
	case BMP:
		return blankBMP(w, h), nil
	}
	return nil, unsupported(f, "not a raster format")
}

// blankJPEG writes a baseline greyscale JPEG (ITU T.81) whose blocks all
// decode to 255. With a DC quantiser of 127 the first block's DC is 8
// (category 4) and every later difference is 0; the tables have just the
// codes used: DC "0" (category 0) and "10" (category 4), AC "0" (end of
// block). So a block is two bits, the first seven.
func blankJPEG(w, h int) ([]byte, error) {
	if w > 65535 || h > 65535 {
		return nil, unsupported(JPEG, "size beyond the format")
	}
	var b []byte
	seg := func(m byte, p ...byte) {
		b = append(b, 0xFF, m, byte((len(p)+2)>>8), byte(len(p)+2))
		b = append(b, p...)
	}
	b = append(b, 0xFF, 0xD8)
	seg(0xE0, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0)
	q := make([]byte, 65)
	q[1] = 127
	for i := 2; i < len(q); i++ {
		q[i] = 1
	}
	seg(0xDB, q...)
	seg(0xC0, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	dc := make([]byte, 1+16+2)
	dc[1], dc[2], dc[17], dc[18] = 1, 1, 0, 4
	seg(0xC4, dc...)
	ac := make([]byte, 1+16+1)
	ac[0], ac[1] = 0x10, 1
	seg(0xC4, ac...)
	seg(0xDA, 1, 1, 0x00, 0, 63, 0)
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	// first block: DC "10" + "1000", AC "0"; then "00" per block
	var acc uint32
	var n uint
	put := func(v uint32, bits uint) {
		acc = acc<<bits | v
		n += bits
		for n >= 8 {
			c := byte(acc >> (n - 8))
			b = append(b, c)
			if c == 0xFF {
				b = append(b, 0)
			}
			n -= 8
		}
	}
	put(0b1010000, 7)
	for k := 1; k < blocks; k++ {
		put(0, 2)
	}
	if n > 0 {
		put(1<<(8-n)-1, 8-n) // pad with ones
	}
	return append(b, 0xFF, 0xD9), nil
}

// blankPNG writes a 1-bit greyscale PNG of white rows.
func blankPNG(w, h int) []byte {
	out := append([]byte(nil), pngSig...)
	chunk := func(typ string, data []byte) {
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		start := len(out)
		out = append(out, typ...)
		out = append(out, data...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	chunk("IHDR", append(ihdr, 1, 0, 0, 0, 0))
	row := make([]byte, 1+(w+7)/8)
	for i := 1; i < len(row); i++ {
		row[i] = 0xFF
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out
}

// blankGIF writes a GIF89a whose logical screen is w×h, white (the
// background colour), with one frame of a single white pixel: a frame need
// not cover the screen, and encoding w·h pixels would cost seconds for a
// header that claims 64 M of them.
func blankGIF(w, h int) ([]byte, error) {
	if w > 65535 || h > 65535 {
		return nil, unsupported(GIF, "size beyond the format")
	}
	le := binary.LittleEndian
	out := []byte("GIF89a")
	out = le.AppendUint16(out, uint16(w))
	out = le.AppendUint16(out, uint16(h))
	out = append(out, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0) // palette: white, black; background white
	out = append(out, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0)       // a 1×1 frame at 0,0
	// LZW, minimum code size 2: clear (4), pixel 0, end (5), in 3-bit codes
	return append(out, 2, 2, 0x44, 0x01, 0, 0x3B), nil
}

// blankTIFF writes a one-page bilevel TIFF (white is zero), one strip of
// PackBits rows: all baseline TIFF 6.0.
func blankTIFF(w, h int) []byte {
	le := binary.LittleEndian
	rowBytes := (w + 7) / 8
	var row []byte // one row of zeros, PackBits
	for left := rowBytes; left > 0; {
		k := min(left, 128)
		if k == 1 {
			row = append(row, 0, 0) // a literal byte
		} else {
			row = append(row, byte(int8(1-k)), 0)
		}
		left -= k
	}
	type entry struct {
		tag, typ uint16
		val      uint32
	}
	const n = 11
	ifdAt := 8
	resAt := ifdAt + 2 + 12*n + 4
	dataAt := resAt + 8
	entries := []entry{
		{256, 4, uint32(w)}, {257, 4, uint32(h)}, {258, 3, 1}, {259, 3, 32773}, {262, 3, 0},
		{273, 4, uint32(dataAt)}, {277, 3, 1}, {278, 4, uint32(h)}, {279, 4, uint32(len(row) * h)},
		{282, 5, uint32(resAt)}, {283, 5, uint32(resAt)},
	}
	out := []byte("II*\x00")
	out = le.AppendUint32(out, uint32(ifdAt))
	out = le.AppendUint16(out, n)
	for _, e := range entries {
		out = le.AppendUint16(out, e.tag)
		out = le.AppendUint16(out, e.typ)
		out = le.AppendUint32(out, 1)
		if e.typ == 3 {
			out = le.AppendUint16(out, uint16(e.val))
			out = le.AppendUint16(out, 0)
		} else {
			out = le.AppendUint32(out, e.val)
		}
	}
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, 72) // 72/1 pixels per inch (no unit tag: inches)
	out = le.AppendUint32(out, 1)
	out = append(out, bytes.Repeat(row, h)...)
	return out
}

// blankBMP writes an uncompressed 1-bit bitmap (palette: white, black).
func blankBMP(w, h int) []byte {
	le := binary.LittleEndian
	rowBytes := ((w + 31) / 32) * 4
	const off = 14 + 40 + 8
	size := off + rowBytes*h
	out := []byte("BM")
	out = le.AppendUint32(out, uint32(size))
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, off)
	out = le.AppendUint32(out, 40)
	out = le.AppendUint32(out, uint32(w))
	out = le.AppendUint32(out, uint32(h))
	out = le.AppendUint16(out, 1)
	out = le.AppendUint16(out, 1)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, uint32(rowBytes*h))
	out = le.AppendUint32(out, 2835)
	out = le.AppendUint32(out, 2835)
	out = le.AppendUint32(out, 2)
	out = le.AppendUint32(out, 0)
	out = append(out, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0)
	return append(out, make([]byte, rowBytes*h)...)
}
