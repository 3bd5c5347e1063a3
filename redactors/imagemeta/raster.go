package imagemeta

import (
	"bytes"
	"encoding/binary"
	"image"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// stripTIFF writes a one-page TIFF again from its pixels: every tag that
// is not image structure (ImageDescription, Artist, EXIF and GPS
// directories, XMP, IPTC, ICC…) is gone by construction.
func stripTIFF(b []byte, rm Removed) ([]byte, error) {
	if len(b) < 8 {
		return nil, corrupt(TIFF, "truncated header")
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	if bo.Uint16(b[2:]) != 42 {
		return nil, unsupported(TIFF, "BigTIFF")
	}
	ifd := int64(bo.Uint32(b[4:]))
	if ifd < 8 || ifd+2 > int64(len(b)) {
		return nil, corrupt(TIFF, "directory offset")
	}
	n := int64(bo.Uint16(b[ifd:]))
	next := ifd + 2 + 12*n
	if next+4 > int64(len(b)) {
		return nil, corrupt(TIFF, "truncated directory")
	}
	if bo.Uint32(b[next:]) != 0 {
		return nil, unsupported(TIFF, "more than one page")
	}
	for k := int64(0); k < n; k++ {
		if !tiffStructural[bo.Uint16(b[ifd+2+12*k:])] {
			rm["TIFF tags"]++
		}
	}
	img, err := decodeBounded(TIFF, b)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := tiff.Encode(&out, img, &tiff.Options{Compression: tiff.Deflate}); err != nil {
		return nil, unsupported(TIFF, "cannot write these pixels")
	}
	return out.Bytes(), nil
}

// tiffStructural are the baseline tags that describe the pixels (TIFF 6.0,
// section 8), not counted as removed metadata.
var tiffStructural = map[uint16]bool{
	254: true, 256: true, 257: true, 258: true, 259: true, 262: true, 273: true, 277: true,
	278: true, 279: true, 282: true, 283: true, 284: true, 296: true, 317: true, 320: true,
	322: true, 323: true, 324: true, 325: true, 338: true, 339: true,
}

// stripBMP writes the bitmap again from its pixels: a V4/V5 header's colour
// profile (embedded, or linked by a file path) is gone by construction.
func stripBMP(b []byte, rm Removed) ([]byte, error) {
	if len(b) >= 18 && binary.LittleEndian.Uint32(b[14:]) >= 108 {
		rm["ICC profile"]++ // colour-space fields, and a profile for V5
	}
	img, err := decodeBounded(BMP, b)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := bmp.Encode(&out, img); err != nil {
		return nil, unsupported(BMP, "cannot write these pixels")
	}
	return out.Bytes(), nil
}

// maxDecodePixels bounds the TIFF and BMP images Strip decodes (16 M
// pixels, 64 MiB decoded).
const maxDecodePixels = 1 << 24

// decodeBounded decodes an image after checking its size against
// MaxPixels.
func decodeBounded(f Format, b []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, unsupported(f, "variant not readable")
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxDecodePixels {
		return nil, ErrTooLarge
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, unsupported(f, "variant not readable")
	}
	return img, nil
}
