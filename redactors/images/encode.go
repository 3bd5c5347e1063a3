package images

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
)

// outPage is a page to encode.
type outPage struct {
	img image.Image
	decoded
}

// encodeFile writes pages in the file's own format. What is written is the
// pixels and the resolution; every other chunk, segment or tag of the
// input (EXIF, XMP, IPTC, ICC profiles, comments, PNG text, TIFF tags
// beyond the baseline) is gone because nothing else is ever copied.
// It returns notes on what changed in the encoding.
func encodeFile(w io.Writer, pages []outPage, info fileInfo) ([]string, error) {
	var notes []string
	if info.orientation > 1 {
		notes = append(notes, "orientation tag applied to the pixels")
	}
	switch info.kind {
	case kindPNG:
		img := pages[0].img
		if pages[0].bilevel {
			img = toBilevelPaletted(img)
		}
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("images: encode PNG: %w", err)
		}
		out := buf.Bytes()
		if x, y := pages[0].xdpi, pages[0].ydpi; x > 0 && y > 0 {
			out = pngWithPHYs(out, x, y)
		}
		_, err := w.Write(out)
		return notes, err
	case kindJPEG:
		q := info.jpegQuality
		if q <= 0 {
			q = 90
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, pages[0].img, &jpeg.Options{Quality: q}); err != nil {
			return nil, fmt.Errorf("images: encode JPEG: %w", err)
		}
		out := buf.Bytes()
		if x, y := pages[0].xdpi, pages[0].ydpi; x > 0 && y > 0 {
			out = jpegWithJFIF(out, x, y)
		}
		notes = append(notes, fmt.Sprintf("JPEG re-encoded at quality %d (estimated from the original)", q))
		_, err := w.Write(out)
		return notes, err
	case kindGIF:
		var buf bytes.Buffer
		if err := encodeGIF(&buf, pages[0].img); err != nil {
			return nil, err
		}
		_, err := w.Write(buf.Bytes())
		return notes, err
	case kindBMP:
		return notes, encodeBMP(w, pages[0].img, pages[0].xdpi, pages[0].ydpi)
	case kindTIFF:
		var tp []tiffPage
		changed := map[string]bool{}
		for _, p := range pages {
			c := p.compression
			switch c {
			case cNone, cPackBits, cLZW, cDeflate:
			case cDeflOld:
				c = cDeflate
			default:
				changed[compressionName(c)+"→Deflate"] = true
				c = cDeflate
			}
			img := p.img
			if p.bilevel {
				img = toGray(img)
			}
			tp = append(tp, tiffPage{img: img, bilevel: p.bilevel, whiteZero: p.whiteZero, xdpi: p.xdpi, ydpi: p.ydpi, compression: c})
		}
		for k := range changed {
			notes = append(notes, "TIFF compression changed: "+k)
		}
		if err := writeTIFF(w, tp); err != nil {
			return nil, fmt.Errorf("images: encode TIFF: %w", err)
		}
		return notes, nil
	}
	return nil, fmt.Errorf("images: cannot encode %s", info.kind)
}

// toGray returns img as *image.Gray.
func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, img.At(x, y))
		}
	}
	return g
}

// toBilevelPaletted returns a black-and-white image as a two-colour
// palette image, which image/png writes with one bit per pixel.
func toBilevelPaletted(img image.Image) *image.Paletted {
	b := img.Bounds()
	out := image.NewPaletted(b, color.Palette{color.Gray{0}, color.Gray{255}})
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y >= 128 {
				out.SetColorIndex(x, y, 1)
			}
		}
	}
	return out
}

// pngWithPHYs inserts a pHYs chunk (pixels per metre) after IHDR.
func pngWithPHYs(p []byte, xdpi, ydpi float64) []byte {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	if len(p) < ihdrEnd {
		return p
	}
	var c []byte
	c = binary.BigEndian.AppendUint32(c, 9)
	c = append(c, "pHYs"...)
	c = binary.BigEndian.AppendUint32(c, uint32(math.Round(xdpi/0.0254)))
	c = binary.BigEndian.AppendUint32(c, uint32(math.Round(ydpi/0.0254)))
	c = append(c, 1)
	c = binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	out := make([]byte, 0, len(p)+len(c))
	out = append(out, p[:ihdrEnd]...)
	out = append(out, c...)
	return append(out, p[ihdrEnd:]...)
}

// jpegWithJFIF inserts a JFIF APP0 segment with the resolution after SOI.
func jpegWithJFIF(p []byte, xdpi, ydpi float64) []byte {
	if len(p) < 2 {
		return p
	}
	seg := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(min(65535, math.Round(xdpi))))
	seg = binary.BigEndian.AppendUint16(seg, uint16(min(65535, math.Round(ydpi))))
	seg = append(seg, 0, 0)
	out := make([]byte, 0, len(p)+len(seg))
	out = append(out, p[:2]...)
	out = append(out, seg...)
	return append(out, p[2:]...)
}
