package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"

	"golang.org/x/image/tiff"

	"github.com/veilhq/veil/redactors"
)

// kind is an image file format.
type kind int

const (
	kindUnknown kind = iota
	kindPNG
	kindJPEG
	kindTIFF
	kindGIF
	kindBMP
)

func (k kind) String() string {
	switch k {
	case kindPNG:
		return "PNG"
	case kindJPEG:
		return "JPEG"
	case kindTIFF:
		return "TIFF"
	case kindGIF:
		return "GIF"
	case kindBMP:
		return "BMP"
	}
	return "unknown"
}

// sniff tells the format by the first bytes, never by the name.
func sniff(b []byte) (kind, string) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return kindPNG, ""
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return kindJPEG, ""
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")),
		bytes.HasPrefix(b, []byte("II+\x00")), bytes.HasPrefix(b, []byte("MM\x00+")):
		return kindTIFF, ""
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return kindGIF, ""
	case bytes.HasPrefix(b, []byte("BM")):
		return kindBMP, ""
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return kindUnknown, "WebP"
	case len(b) >= 12 && string(b[4:12]) == "ftypheic", len(b) >= 12 && string(b[4:12]) == "ftypavif":
		return kindUnknown, "HEIF/AVIF"
	case bytes.HasPrefix(b, []byte("\x00\x00\x00\x0cjP  ")), bytes.HasPrefix(b, []byte{0xFF, 0x4F, 0xFF, 0x51}):
		return kindUnknown, "JPEG 2000"
	}
	return kindUnknown, ""
}

// Limits.
const (
	// MaxPixels is the largest page decoded (64 M pixels: an A3 page at
	// 600 dpi is 70 M; at 400 dpi 31 M).
	MaxPixels = 1 << 26
	// maxTotalPixels bounds all pages of one file together.
	maxTotalPixels = 1 << 28
)

// decoded is one page as read from the file.
type decoded struct {
	img        image.Image
	xdpi, ydpi float64 // 0 when unknown
	bilevel    bool    // a 1-bit TIFF page
	whiteZero  bool
	// compression of a TIFF page
	compression uint32
}

// fileInfo is what the encoder needs to write the same kind of file.
type fileInfo struct {
	kind        kind
	jpegQuality int // estimated from the quantisation tables
	orientation int // EXIF orientation applied (1 = none)
}

func corrupt(k kind, what string) error {
	return fmt.Errorf("images: %s: %s: %w", k, what, redactors.ErrCorrupt)
}

// decodeFile decodes every page of data.
func decodeFile(data []byte) ([]decoded, fileInfo, error) {
	k, other := sniff(data)
	info := fileInfo{kind: k, orientation: 1}
	switch k {
	case kindUnknown:
		if other != "" {
			return nil, info, fmt.Errorf("images: %s files are not supported (PNG, JPEG, TIFF, GIF and BMP are): %w", other, redactors.ErrUnsupported)
		}
		return nil, info, fmt.Errorf("images: not a PNG, JPEG, TIFF, GIF or BMP file: %w", redactors.ErrCorrupt)
	case kindGIF:
		d, err := decodeGIF(data)
		if err != nil {
			return nil, info, err
		}
		return []decoded{d}, info, nil
	case kindBMP:
		d, err := decodeBMP(data)
		if err != nil {
			return nil, info, err
		}
		return []decoded{d}, info, nil
	case kindPNG:
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, info, corrupt(k, "header")
		}
		if err := checkSize(cfg.Width, cfg.Height); err != nil {
			return nil, info, err
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, info, corrupt(k, "pixel data")
		}
		d := decoded{img: img}
		d.xdpi, d.ydpi = pngDPI(data)
		if o := pngOrientation(data); o > 1 {
			d = reoriented(d, o)
			info.orientation = o
		}
		// IHDR: bit depth 1, colour type 0 (grey): black and white.
		d.bilevel = len(data) > 25 && data[24] == 1 && data[25] == 0
		return []decoded{d}, info, nil
	case kindJPEG:
		meta, err := scanJPEG(data)
		if err != nil {
			return nil, info, corrupt(k, err.Error())
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			var ue jpeg.UnsupportedError
			if errors.As(err, &ue) {
				return nil, info, fmt.Errorf("images: JPEG: unsupported variant (%s): %w", string(ue), redactors.ErrUnsupported)
			}
			return nil, info, corrupt(k, "header")
		}
		if err := checkSize(cfg.Width, cfg.Height); err != nil {
			return nil, info, err
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			var ue jpeg.UnsupportedError
			if errors.As(err, &ue) {
				return nil, info, fmt.Errorf("images: JPEG: unsupported variant (%s): %w", string(ue), redactors.ErrUnsupported)
			}
			return nil, info, corrupt(k, "pixel data")
		}
		info.jpegQuality = meta.quality
		info.orientation = meta.orientation
		return []decoded{reoriented(decoded{img: img, xdpi: meta.xdpi, ydpi: meta.ydpi}, meta.orientation)}, info, nil
	}
	bo, dirs, err := tiffDirs(data)
	if err != nil {
		if errors.Is(err, errBigTIFF) {
			return nil, info, fmt.Errorf("images: TIFF: %v: %w", err, redactors.ErrUnsupported)
		}
		return nil, info, corrupt(k, err.Error())
	}
	total := 0
	var pages []decoded
	for i, d := range dirs {
		switch d.compression {
		case cNone, cCCITT3, cCCITT4, cLZW, cDeflate, cDeflOld, cPackBits, 2:
		default:
			return nil, info, fmt.Errorf("images: TIFF page %d: compression %s is not supported: %w", i+1, compressionName(d.compression), redactors.ErrUnsupported)
		}
		if err := checkSize(int(d.width), int(d.height)); err != nil {
			return nil, info, err
		}
		if total += int(d.width) * int(d.height); total > maxTotalPixels {
			return nil, info, fmt.Errorf("images: TIFF: pages hold more than %d pixels: %w", maxTotalPixels, redactors.ErrTooLarge)
		}
		img, err := tiff.Decode(newPageReader(data, bo, d.offset))
		if err != nil {
			var ue tiff.UnsupportedError
			if errors.As(err, &ue) {
				return nil, info, fmt.Errorf("images: TIFF page %d: unsupported (%s): %w", i+1, string(ue), redactors.ErrUnsupported)
			}
			return nil, info, corrupt(k, fmt.Sprintf("page %d pixel data", i+1))
		}
		p := decoded{img: img, compression: d.compression}
		p.xdpi, p.ydpi = d.dpi()
		if d.bits == 1 && (d.photometric == 0 || d.photometric == 1) {
			p.bilevel, p.whiteZero = true, d.photometric == 0
		}
		if o := int(d.orientation); o > 1 && o <= 8 {
			p = reoriented(p, o)
			info.orientation = o
		}
		pages = append(pages, p)
	}
	return pages, info, nil
}

func checkSize(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("images: image has no pixels: %w", redactors.ErrCorrupt)
	}
	if int64(w)*int64(h) > MaxPixels {
		return fmt.Errorf("images: %d×%d pixels is over the limit of %d: %w", w, h, MaxPixels, redactors.ErrTooLarge)
	}
	return nil
}

func compressionName(c uint32) string {
	switch c {
	case 6, 7:
		return "JPEG"
	case 34712:
		return "JPEG 2000"
	case 34661:
		return "JBIG"
	case 32908, 32909:
		return "PixarLog"
	}
	return fmt.Sprintf("%d", c)
}

// pngDPI reads the pHYs chunk (pixels per metre), if any.
func pngDPI(data []byte) (float64, float64) {
	p := 8
	for p+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if n < 0 || p+12+n > len(data) {
			return 0, 0
		}
		if typ == "pHYs" && n == 9 {
			c := data[p+8:]
			if c[8] != 1 { // unit unknown: an aspect ratio only
				return 0, 0
			}
			return float64(binary.BigEndian.Uint32(c)) * 0.0254, float64(binary.BigEndian.Uint32(c[4:])) * 0.0254
		}
		if typ == "IDAT" || typ == "IEND" {
			return 0, 0
		}
		p += 12 + n
	}
	return 0, 0
}

// jpegMeta is what Veil reads from a JPEG's segments before the scan.
type jpegMeta struct {
	quality     int
	orientation int
	xdpi, ydpi  float64
}

// scanJPEG walks the segments before the first scan.
func scanJPEG(data []byte) (jpegMeta, error) {
	m := jpegMeta{quality: 0, orientation: 1}
	var luma []uint16
	p := 2
	for {
		for p < len(data) && data[p] == 0xFF && p+1 < len(data) && data[p+1] == 0xFF {
			p++ // fill bytes
		}
		if p+4 > len(data) || data[p] != 0xFF {
			return m, errors.New("truncated before the image data")
		}
		marker := data[p+1]
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD8 {
			p += 2 // a marker without a segment
			continue
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			return m, errors.New("segment outside the file")
		}
		seg := data[p+4 : p+2+n]
		switch {
		case marker == 0xDA: // start of scan
			m.quality = estimateQuality(luma)
			return m, nil
		case marker == 0xDB:
			for len(seg) > 0 {
				pq, tq := seg[0]>>4, seg[0]&15
				size := 64
				if pq == 1 {
					size = 128
				}
				if len(seg) < 1+size {
					return m, errors.New("short quantisation table")
				}
				if tq == 0 {
					luma = make([]uint16, 64)
					for i := range luma {
						if pq == 1 {
							luma[i] = binary.BigEndian.Uint16(seg[1+2*i:])
						} else {
							luma[i] = uint16(seg[1+i])
						}
					}
				}
				seg = seg[1+size:]
			}
		case marker == 0xE0 && bytes.HasPrefix(seg, []byte("JFIF\x00")) && len(seg) >= 12:
			unit := seg[7]
			x, y := float64(binary.BigEndian.Uint16(seg[8:])), float64(binary.BigEndian.Uint16(seg[10:]))
			switch unit {
			case 1:
				m.xdpi, m.ydpi = x, y
			case 2:
				m.xdpi, m.ydpi = x*2.54, y*2.54
			}
		case marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			o, xd, yd := exifInfo(seg[6:])
			if o >= 1 && o <= 8 {
				m.orientation = o
			}
			if m.xdpi == 0 && xd > 0 {
				m.xdpi, m.ydpi = xd, yd
			}
		}
		p += 2 + n
	}
}

// exifInfo reads the orientation and resolution from IFD0 of an EXIF
// block (a TIFF structure).
func exifInfo(t []byte) (orientation int, xdpi, ydpi float64) {
	if len(t) < 8 {
		return 0, 0, 0
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0, 0, 0
	}
	d, _, err := readIFD(t, bo, bo.Uint32(t[4:]))
	if err != nil {
		return 0, 0, 0
	}
	orientation = int(d.orientation)
	xdpi, ydpi = d.dpi()
	return orientation, xdpi, ydpi
}

// ijgLuma is the IJG (and image/jpeg) luminance table in zig-zag order, at
// quality 50.
var ijgLuma = [64]int{
	16, 11, 12, 14, 12, 10, 16, 14,
	13, 14, 18, 17, 16, 19, 24, 40,
	26, 24, 22, 22, 24, 49, 35, 37,
	29, 40, 58, 51, 61, 60, 57, 51,
	56, 55, 64, 72, 92, 78, 64, 68,
	87, 69, 55, 56, 80, 109, 81, 87,
	95, 98, 103, 104, 103, 62, 77, 113,
	121, 112, 100, 120, 92, 101, 103, 99,
}

// estimateQuality finds the IJG quality (1–100) whose scaled luminance
// table is closest to luma; 90 when the file has none. Tables of other
// encoders are not IJG-scaled, but the closest quality keeps about the
// same amount of detail.
func estimateQuality(luma []uint16) int {
	if len(luma) != 64 {
		return 90
	}
	best, bestErr := 90, math.Inf(1)
	for q := 1; q <= 100; q++ {
		scale := 200 - 2*q
		if q < 50 {
			scale = 5000 / q
		}
		e := 0.0
		for i, v := range ijgLuma {
			x := (v*scale + 50) / 100
			x = max(1, min(255, x))
			d := float64(x) - float64(luma[i])
			e += d * d
		}
		if e < bestErr {
			best, bestErr = q, e
		}
	}
	return best
}

// reoriented turns a page upright (orientation 1–8, see orient); its
// resolution follows the axes.
func reoriented(d decoded, o int) decoded {
	if o <= 1 || o > 8 {
		return d
	}
	d.img = orient(d.img, o)
	if o >= 5 {
		d.xdpi, d.ydpi = d.ydpi, d.xdpi
	}
	return d
}

// pngAnimated reports whether a PNG has an animation control chunk (APNG):
// its other frames are pixels that image/png does not decode.
func pngAnimated(data []byte) bool {
	p := 8
	for p+12 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[p:]))
		if n < 0 || n > len(data)-p-12 {
			return true // unreadable: do not copy it
		}
		switch string(data[p+4 : p+8]) {
		case "acTL":
			return true
		case "IEND":
			return false
		}
		p += 12 + n
	}
	return true
}

// pngOrientation reads the orientation of a PNG's eXIf chunk (before the
// image data), 0 when none.
func pngOrientation(data []byte) int {
	p := 8
	for p+12 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if n < 0 || n > len(data)-p-12 {
			return 0
		}
		switch typ {
		case "eXIf":
			o, _, _ := exifInfo(data[p+8 : p+8+n])
			return o
		case "IDAT", "IEND":
			return 0
		}
		p += 12 + n
	}
	return 0
}

// orient turns img upright by its EXIF orientation (1–8), so that the
// output, which has no EXIF, looks as the input did.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	out := newLike(img, dw, dh)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			out.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// settable is an image whose pixels can be set.
type settable interface {
	image.Image
	Set(x, y int, c color.Color)
}

// newLike returns a blank image of size w×h with img's colour model where
// Veil can write it (grey, 16-bit grey, palette), else RGBA.
func newLike(img image.Image, w, h int) settable {
	r := image.Rect(0, 0, w, h)
	switch m := img.(type) {
	case *image.Gray:
		return image.NewGray(r)
	case *image.Gray16:
		return image.NewGray16(r)
	case *image.Paletted:
		if hasContrast(m.Palette) {
			return image.NewPaletted(r, m.Palette)
		}
		if len(m.Palette) <= 254 {
			// room for the boxes' black and the labels' white
			p := append(append(color.Palette(nil), m.Palette...), color.Black, color.White)
			return image.NewPaletted(r, p)
		}
	case *image.NRGBA:
		return image.NewNRGBA(r)
	case *image.NRGBA64:
		return image.NewNRGBA64(r)
	case *image.RGBA64:
		return image.NewRGBA64(r)
	}
	return image.NewRGBA(r)
}

// editable returns a copy of img, origin at (0, 0), that can be drawn on
// and keeps img's colour model where the encoders can write it.
func editable(img image.Image) settable {
	b := img.Bounds()
	out := newLike(img, b.Dx(), b.Dy())
	switch m := img.(type) {
	case *image.Gray:
		o := out.(*image.Gray)
		for y := 0; y < b.Dy(); y++ {
			copy(o.Pix[y*o.Stride:y*o.Stride+b.Dx()], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return o
	case *image.Paletted:
		o, ok := out.(*image.Paletted)
		if !ok {
			break // no room for black and white in the palette: RGBA
		}
		for y := 0; y < b.Dy(); y++ {
			copy(o.Pix[y*o.Stride:y*o.Stride+b.Dx()], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return o
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// hasContrast reports whether a palette has a near-black and a near-white
// colour, for the boxes and their labels.
func hasContrast(p color.Palette) bool {
	dark, light := false, false
	for _, c := range p {
		y := color.GrayModel.Convert(c).(color.Gray).Y
		dark = dark || y < 48
		light = light || y > 208
	}
	return dark && light
}
