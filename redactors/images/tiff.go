package images

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"sort"
)

// TIFF: golang.org/x/image/tiff decodes one page (the first IFD); this
// file walks the IFD chain to read every page, reads the few tags Veil
// keeps (resolution, compression, bit depth, photometric), and writes
// multi-page baseline TIFF itself: the files it writes hold the pixels, the
// resolution and the tags needed to read them, nothing else.

// TIFF tags read or written.
const (
	tNewSubfileType  = 254
	tImageWidth      = 256
	tImageLength     = 257
	tBitsPerSample   = 258
	tCompression     = 259
	tPhotometric     = 262
	tFillOrder       = 266
	tStripOffsets    = 273
	tSamplesPerPixel = 277
	tRowsPerStrip    = 278
	tStripByteCounts = 279
	tXResolution     = 282
	tYResolution     = 283
	tPlanarConfig    = 284
	tOrientation     = 274
	tResolutionUnit  = 296
	tPageNumber      = 297
	tColorMap        = 320
	tExtraSamples    = 338
)

// TIFF compression codes.
const (
	cNone     = 1
	cCCITT3   = 3
	cCCITT4   = 4
	cLZW      = 5
	cDeflate  = 8
	cPackBits = 32773
	cDeflOld  = 32946
)

const maxTIFFPages = 1000

// tiffIFD is what Veil reads of one page's directory.
type tiffIFD struct {
	offset        uint32
	compression   uint32
	bits          uint32 // bits per sample of the first sample
	photometric   uint32
	xres, yres    float64
	resUnit       uint32 // 2 inch, 3 centimetre
	orientation   uint32 // 274; 0 when absent
	width, height uint32
}

// dpi returns the horizontal and vertical resolution in dots per inch (0
// when absent or meaningless).
func (d tiffIFD) dpi() (float64, float64) {
	f := 1.0
	switch d.resUnit {
	case 3:
		f = 2.54
	case 1:
		return 0, 0 // no absolute unit
	}
	return d.xres * f, d.yres * f
}

// tiffDirs walks the IFD chain of a classic (not Big) TIFF.
func tiffDirs(data []byte) (binary.ByteOrder, []tiffIFD, error) {
	if len(data) < 8 {
		return nil, nil, errors.New("truncated header")
	}
	var bo binary.ByteOrder
	switch string(data[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	case "II+\x00", "MM\x00+":
		return nil, nil, errBigTIFF
	default:
		return nil, nil, errors.New("not a TIFF header")
	}
	off := bo.Uint32(data[4:8])
	seen := map[uint32]bool{}
	var dirs []tiffIFD
	for off != 0 {
		if seen[off] {
			return nil, nil, errors.New("IFD chain loops")
		}
		seen[off] = true
		if len(dirs) == maxTIFFPages {
			return nil, nil, fmt.Errorf("more than %d pages", maxTIFFPages)
		}
		d, next, err := readIFD(data, bo, off)
		if err != nil {
			return nil, nil, err
		}
		dirs = append(dirs, d)
		off = next
	}
	if len(dirs) == 0 {
		return nil, nil, errors.New("no image directory")
	}
	return bo, dirs, nil
}

var errBigTIFF = errors.New("BigTIFF is not supported")

func readIFD(data []byte, bo binary.ByteOrder, off uint32) (tiffIFD, uint32, error) {
	d := tiffIFD{offset: off, compression: cNone, bits: 1, resUnit: 2}
	if uint64(off)+2 > uint64(len(data)) {
		return d, 0, errors.New("IFD offset outside the file")
	}
	n := uint64(bo.Uint16(data[off:]))
	end := uint64(off) + 2 + 12*n
	if end+4 > uint64(len(data)) {
		return d, 0, errors.New("IFD outside the file")
	}
	for i := uint64(0); i < n; i++ {
		e := data[uint64(off)+2+12*i:]
		tag, typ, count := bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:])
		val := e[8:12]
		first := func() uint32 {
			switch typ {
			case 3: // SHORT
				return uint32(bo.Uint16(val))
			case 4: // LONG
				return bo.Uint32(val)
			case 1: // BYTE
				return uint32(val[0])
			}
			return 0
		}
		rational := func() float64 {
			if typ != 5 || count < 1 {
				return 0
			}
			p := uint64(bo.Uint32(val))
			if p+8 > uint64(len(data)) {
				return 0
			}
			num, den := bo.Uint32(data[p:]), bo.Uint32(data[p+4:])
			if den == 0 {
				return 0
			}
			return float64(num) / float64(den)
		}
		switch tag {
		case tImageWidth:
			d.width = first()
		case tImageLength:
			d.height = first()
		case tCompression:
			d.compression = first()
		case tBitsPerSample:
			if count == 1 || typ == 3 && count <= 2 {
				d.bits = first()
			} else if typ == 3 {
				p := uint64(bo.Uint32(val))
				if p+2 <= uint64(len(data)) {
					d.bits = uint32(bo.Uint16(data[p:]))
				}
			}
		case tPhotometric:
			d.photometric = first()
		case tXResolution:
			d.xres = rational()
		case tYResolution:
			d.yres = rational()
		case tResolutionUnit:
			d.resUnit = first()
		case tOrientation:
			d.orientation = first()
		}
	}
	return d, bo.Uint32(data[end:]), nil
}

// pageReader presents data as a TIFF whose first IFD is at off, so that a
// one-page decoder reads page off.
type pageReader struct {
	data []byte
	hdr  [8]byte
}

func newPageReader(data []byte, bo binary.ByteOrder, off uint32) *pageReader {
	r := &pageReader{data: data}
	copy(r.hdr[:], data[:8])
	bo.PutUint32(r.hdr[4:], off)
	return r
}

func (r *pageReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(r.data)) {
		return 0, io.EOF
	}
	n := copy(p, r.data[off:])
	if off < 8 {
		copy(p, r.hdr[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (r *pageReader) Read(p []byte) (int, error) { return 0, errors.New("use ReadAt") }

// tiffPage is one page to write.
type tiffPage struct {
	img        image.Image
	bilevel    bool    // write 1 bit per pixel (img is Gray with 0 and 255 only)
	whiteZero  bool    // bilevel photometric WhiteIsZero
	xdpi, ydpi float64 // 0 = not written
	// compression is cNone, cPackBits, cLZW or cDeflate.
	compression uint32
}

// writeTIFF writes pages as one little-endian baseline TIFF.
func writeTIFF(w io.Writer, pages []tiffPage) error {
	type enc struct {
		data []byte
		ifd  []ifdEntry
	}
	var encs []enc
	for i, p := range pages {
		raw, ifd, err := tiffSamples(p)
		if err != nil {
			return err
		}
		compression := p.compression
		data, err := compressStrip(raw.data, raw.rowBytes, compression)
		if err != nil {
			return err
		}
		b := p.img.Bounds()
		ifd = append(ifd,
			ifdEntry{tImageWidth, 4, []uint32{uint32(b.Dx())}},
			ifdEntry{tImageLength, 4, []uint32{uint32(b.Dy())}},
			ifdEntry{tCompression, 3, []uint32{compression}},
			ifdEntry{tStripOffsets, 4, []uint32{0}}, // set below
			ifdEntry{tRowsPerStrip, 4, []uint32{uint32(b.Dy())}},
			ifdEntry{tStripByteCounts, 4, []uint32{uint32(len(data))}},
			ifdEntry{tPlanarConfig, 3, []uint32{1}},
		)
		if len(pages) > 1 {
			ifd = append(ifd,
				ifdEntry{tNewSubfileType, 4, []uint32{2}}, // a page of a multi-page file
				ifdEntry{tPageNumber, 3, []uint32{uint32(i), uint32(len(pages))}})
		}
		if p.xdpi > 0 && p.ydpi > 0 {
			ifd = append(ifd,
				ifdEntry{tXResolution, 5, rat(p.xdpi)},
				ifdEntry{tYResolution, 5, rat(p.ydpi)},
				ifdEntry{tResolutionUnit, 3, []uint32{2}})
		}
		sort.Slice(ifd, func(a, b int) bool { return ifd[a].tag < ifd[b].tag })
		encs = append(encs, enc{data, ifd})
	}
	// Layout: header, then each page's strip followed by its IFD.
	var out bytes.Buffer
	out.WriteString("II*\x00\x00\x00\x00\x00")
	var nextPtr = 4 // where the offset of the next IFD goes
	for _, e := range encs {
		stripOff := out.Len()
		out.Write(e.data)
		if out.Len()%2 == 1 {
			out.WriteByte(0) // IFDs start on a word boundary
		}
		for i := range e.ifd {
			if e.ifd[i].tag == tStripOffsets {
				e.ifd[i].data = []uint32{uint32(stripOff)}
			}
		}
		ifdOff := out.Len()
		if uint64(ifdOff) > 1<<32-1<<20 {
			return errors.New("tiff: output over 4 GiB")
		}
		binary.LittleEndian.PutUint32(out.Bytes()[nextPtr:], uint32(ifdOff))
		nextPtr = marshalIFD(&out, e.ifd)
	}
	_, err := w.Write(out.Bytes())
	return err
}

type ifdEntry struct {
	tag, typ uint16
	data     []uint32
}

// marshalIFD appends an IFD (with its out-of-line values after it) to out
// and returns the position of its next-IFD pointer (left 0).
func marshalIFD(out *bytes.Buffer, ifd []ifdEntry) int {
	le := binary.LittleEndian
	start := out.Len()
	size := 2 + 12*len(ifd) + 4
	extra := start + size
	var area []byte
	var head []byte
	head = le.AppendUint16(head, uint16(len(ifd)))
	for _, e := range ifd {
		var val []byte
		switch e.typ {
		case 3:
			for _, v := range e.data {
				val = le.AppendUint16(val, uint16(v))
			}
		case 4, 5:
			for _, v := range e.data {
				val = le.AppendUint32(val, v)
			}
		}
		count := len(e.data)
		if e.typ == 5 {
			count /= 2
		}
		head = le.AppendUint16(head, e.tag)
		head = le.AppendUint16(head, e.typ)
		head = le.AppendUint32(head, uint32(count))
		if len(val) <= 4 {
			var v [4]byte
			copy(v[:], val)
			head = append(head, v[:]...)
			continue
		}
		head = le.AppendUint32(head, uint32(extra+len(area)))
		area = append(area, val...)
		if len(area)%2 == 1 {
			area = append(area, 0)
		}
	}
	ptr := out.Len() + len(head)
	head = le.AppendUint32(head, 0)
	out.Write(head)
	out.Write(area)
	return ptr
}

func rat(v float64) []uint32 {
	if v <= 0 || v > 1e6 {
		return []uint32{72, 1}
	}
	return []uint32{uint32(v*100 + 0.5), 100}
}

type samples struct {
	data     []byte
	rowBytes int
}

// tiffSamples lays out img's pixels as TIFF samples (chunky) and returns
// the tags that describe them.
func tiffSamples(p tiffPage) (samples, []ifdEntry, error) {
	b := p.img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := p.img.(type) {
	case *image.Gray:
		if p.bilevel {
			rb := (w + 7) / 8
			out := make([]byte, rb*h)
			for y := 0; y < h; y++ {
				row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < w; x++ {
					white := row[x] >= 128
					if white != p.whiteZero { // bit 1 = white (BlackIsZero) or black (WhiteIsZero)
						out[y*rb+x/8] |= 0x80 >> (x % 8)
					}
				}
			}
			photo := uint32(1)
			if p.whiteZero {
				photo = 0
			}
			return samples{out, rb}, []ifdEntry{{tBitsPerSample, 3, []uint32{1}}, {tSamplesPerPixel, 3, []uint32{1}}, {tPhotometric, 3, []uint32{photo}}}, nil
		}
		out := make([]byte, w*h)
		for y := 0; y < h; y++ {
			copy(out[y*w:(y+1)*w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return samples{out, w}, []ifdEntry{{tBitsPerSample, 3, []uint32{8}}, {tSamplesPerPixel, 3, []uint32{1}}, {tPhotometric, 3, []uint32{1}}}, nil
	case *image.Gray16:
		out := make([]byte, 2*w*h)
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				// big-endian in memory; TIFF little-endian
				out[2*(y*w+x)], out[2*(y*w+x)+1] = row[2*x+1], row[2*x]
			}
		}
		return samples{out, 2 * w}, []ifdEntry{{tBitsPerSample, 3, []uint32{16}}, {tSamplesPerPixel, 3, []uint32{1}}, {tPhotometric, 3, []uint32{1}}}, nil
	case *image.Paletted:
		if len(m.Palette) > 256 || len(m.Palette) == 0 {
			break
		}
		out := make([]byte, w*h)
		for y := 0; y < h; y++ {
			copy(out[y*w:(y+1)*w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		cm := make([]uint32, 3*256)
		for i, c := range m.Palette {
			r, g, bl, _ := c.RGBA()
			cm[i], cm[256+i], cm[512+i] = r, g, bl
		}
		return samples{out, w}, []ifdEntry{{tBitsPerSample, 3, []uint32{8}}, {tSamplesPerPixel, 3, []uint32{1}}, {tPhotometric, 3, []uint32{3}}, {tColorMap, 3, cm}}, nil
	}
	// Everything else: 8-bit RGB, with unassociated alpha when not opaque.
	opaque := isOpaque(p.img)
	spp := 4
	if opaque {
		spp = 3
	}
	out := make([]byte, spp*w*h)
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(p.img.At(x, y)).(color.NRGBA)
			out[i], out[i+1], out[i+2] = c.R, c.G, c.B
			if !opaque {
				out[i+3] = c.A
			}
			i += spp
		}
	}
	tags := []ifdEntry{{tSamplesPerPixel, 3, []uint32{uint32(spp)}}, {tPhotometric, 3, []uint32{2}}}
	if opaque {
		tags = append(tags, ifdEntry{tBitsPerSample, 3, []uint32{8, 8, 8}})
	} else {
		tags = append(tags, ifdEntry{tBitsPerSample, 3, []uint32{8, 8, 8, 8}}, ifdEntry{tExtraSamples, 3, []uint32{2}})
	}
	return samples{out, spp * w}, tags, nil
}

type opaquer interface{ Opaque() bool }

func isOpaque(m image.Image) bool {
	if o, ok := m.(opaquer); ok {
		return o.Opaque()
	}
	return false
}

func compressStrip(raw []byte, rowBytes int, compression uint32) ([]byte, error) {
	switch compression {
	case cNone:
		return raw, nil
	case cDeflate:
		var b bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
		if _, err := zw.Write(raw); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	case cLZW:
		return lzwEncode(raw), nil
	case cPackBits:
		var out []byte
		for i := 0; i < len(raw); i += rowBytes { // PackBits runs never cross rows
			out = packBits(out, raw[i:min(i+rowBytes, len(raw))])
		}
		return out, nil
	}
	return nil, fmt.Errorf("tiff: cannot write compression %d", compression)
}

// packBits appends src encoded with the PackBits scheme (TIFF 6.0 section
// 9) to dst.
func packBits(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		// a run of at least 3 equal bytes?
		j := i + 1
		for j < len(src) && j-i < 128 && src[j] == src[i] {
			j++
		}
		if j-i >= 3 {
			dst = append(dst, byte(int8(-(j - i - 1))), src[i])
			i = j
			continue
		}
		// literal run up to the next run of 3 or 128 bytes
		k := i
		for k < len(src) && k-i < 128 {
			if k+2 < len(src) && src[k] == src[k+1] && src[k] == src[k+2] {
				break
			}
			k++
		}
		dst = append(dst, byte(k-i-1))
		dst = append(dst, src[i:k]...)
		i = k
	}
	return dst
}

// lzwEncode compresses src with TIFF's LZW: codes MSB first, starting at 9
// bits, widening one code early (the "off by one" of TIFF readers), a
// Clear code first and before the table fills.
func lzwEncode(src []byte) []byte {
	const (
		lzwClear = 256
		lzwEOI   = 257
	)
	var out []byte
	var acc uint32
	var nacc uint
	width := uint(9)
	put := func(code uint32) {
		acc = acc<<width | code
		nacc += width
		for nacc >= 8 {
			out = append(out, byte(acc>>(nacc-8)))
			nacc -= 8
		}
		acc &= 1<<nacc - 1
	}
	table := make(map[uint32]uint32, 4096)
	hi := uint32(lzwEOI) // the last code assigned
	reset := func() {
		clear(table)
		hi = lzwEOI
		width = 9
	}
	put(lzwClear)
	if len(src) == 0 {
		put(lzwEOI)
	} else {
		code := uint32(src[0])
		for _, c := range src[1:] {
			key := code<<8 | uint32(c)
			if v, ok := table[key]; ok {
				code = v
				continue
			}
			put(code)
			hi++
			table[key] = hi
			if hi+1 >= 1<<width && width < 12 {
				width++
			}
			if hi == 4093 {
				put(lzwClear)
				reset()
			}
			code = uint32(c)
		}
		put(code)
		// The decoder adds an entry for this code too and may widen
		// before reading EOI.
		if hi < 4093 {
			hi++
			if hi+1 >= 1<<width && width < 12 {
				width++
			}
		}
		put(lzwEOI)
	}
	if nacc > 0 {
		out = append(out, byte(acc<<(8-nacc)))
	}
	return out
}
