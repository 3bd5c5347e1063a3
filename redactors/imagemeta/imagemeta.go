// Package imagemeta removes the metadata of images and makes blank images
// that stand in for images nobody has read. Every format of Veil that holds
// images uses it (DOCX media, PDF image XObjects), so that an image's EXIF
// artist, XMP description, IPTC by-line, GPS position or PNG text chunk
// never leaves with a redacted file.
//
// Strip keeps what draws the pixels and removes everything else, by a list
// of what to keep, never by a list of what to remove: an unknown segment,
// chunk or extension is dropped (or, where dropping it could change the
// pixels, the image is refused). Per format:
//
//   - JPEG: the frame, scan, table and restart segments are kept; JFIF APP0
//     is rewritten without its thumbnail; Adobe APP14 (12 bytes of colour
//     transform flags) is kept; every other APPn (EXIF, XMP, extended XMP,
//     ICC profile, MPF, IPTC/Photoshop…), comments and bytes after the end
//     of image are removed. The scans are copied as they are, so the pixels
//     are the same. EXIF orientation is metadata too: a rotated photo shows
//     as stored.
//   - PNG: IHDR, PLTE, IDAT, IEND and the colour and animation chunks
//     (tRNS, gAMA, cHRM, sRGB, cICP, mDCv, cLLi, sBIT, bKGD, pHYs, hIST, acTL,
//     fcTL, fdAT) are kept; text (tEXt, zTXt, iTXt), eXIf, tIME, iCCP, sPLT
//     and unknown ancillary chunks are removed; an unknown critical chunk is
//     refused (ErrUnsupported). Checksums are verified.
//   - GIF: image blocks, graphic control extensions and the looping
//     application extension (NETSCAPE2.0, ANIMEXTS1.0) are kept; comments,
//     plain-text extensions (text drawn over the image by the few viewers
//     that support it), XMP and other application extensions are removed.
//   - WebP: the image, alpha and animation chunks are kept; ICCP, EXIF,
//     XMP and unknown chunks are removed and the VP8X flags cleared; an
//     animation frame holding anything but image data is refused.
//   - TIFF and BMP: decoded and written again from the pixels alone (a TIFF
//     of more than one page, BigTIFF, and variants the decoders of
//     golang.org/x/image do not read are refused).
//
// Anything else (JPEG 2000, JPEG XR, EMF, WMF, SVG…) is refused by Strip
// with ErrUnsupported; the caller drops or quarantines such an image.
//
// Blank makes an image of the same format and pixel size (white, or for
// vector formats an empty picture of the same frame), with no metadata at
// all. It is how a document keeps its layout when an image it holds cannot
// be inspected (no OCR) and the profile says to drop it.
//
// Functions here never panic on malformed input, run in time linear in the
// input (Blank: in the pixel count, bounded by MaxPixels), and their errors
// never hold bytes of the image.
package imagemeta

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"sort"
	"strings"

	// Decoders for DecodeConfig and the TIFF/BMP round trip.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Format is an image format.
type Format string

// The formats Sniff recognises.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	TIFF Format = "tiff"
	BMP  Format = "bmp"
	EMF  Format = "emf"
	WMF  Format = "wmf"
	SVG  Format = "svg"
	// JXR (JPEG XR, Word's .wdp "HD Photo") and JP2 (JPEG 2000) are
	// recognised so that errors can name them; neither can be stripped or
	// blanked.
	JXR Format = "jxr"
	JP2 Format = "jp2"
)

// Sentinel errors. Errors of this package wrap one of them.
var (
	// ErrUnsupported: a format (or a variant of one) this package cannot
	// process safely.
	ErrUnsupported = errors.New("image format not supported")
	// ErrCorrupt: the data is not a well-formed image of its format.
	ErrCorrupt = errors.New("corrupt image")
	// ErrTooLarge: more pixels than MaxPixels.
	ErrTooLarge = errors.New("image too large")
)

// MaxPixels bounds the images Blank and the TIFF/BMP round trip make: 64 M
// pixels (an A4 page scanned at 1200 dpi is 140 M; at 600 dpi, 35 M).
const MaxPixels = 1 << 26

func corrupt(f Format, what string) error {
	return fmt.Errorf("%s: %s: %w", f, what, ErrCorrupt)
}

func unsupported(f Format, what string) error {
	return fmt.Errorf("%s: %s: %w", f, what, ErrUnsupported)
}

// Sniff returns the format of data from its first bytes, or "" when it is
// none of the formats above.
func Sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(data, pngSig):
		return PNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return GIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")),
		bytes.HasPrefix(data, []byte("II+\x00")), bytes.HasPrefix(data, []byte("MM\x00+")):
		return TIFF
	case bytes.HasPrefix(data, []byte("II\xBC")):
		return JXR
	case bytes.HasPrefix(data, []byte("\x00\x00\x00\x0CjP  \r\n\x87\n")), bytes.HasPrefix(data, []byte{0xFF, 0x4F, 0xFF, 0x51}):
		return JP2
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return BMP
	case len(data) >= 44 && bytes.HasPrefix(data, []byte{1, 0, 0, 0}) && string(data[40:44]) == " EMF":
		return EMF
	case bytes.HasPrefix(data, []byte{0xD7, 0xCD, 0xC6, 0x9A}),
		bytes.HasPrefix(data, []byte{1, 0, 9, 0, 0, 3}), bytes.HasPrefix(data, []byte{2, 0, 9, 0, 0, 3}):
		return WMF
	case looksSVG(data):
		return SVG
	}
	return ""
}

// Removed counts what Strip removed, by kind: "EXIF", "XMP", "IPTC",
// "ICC profile", "comment", "text", "thumbnail", "time", "trailing data",
// "other metadata". It never holds a value.
type Removed map[string]int

// String lists the kinds, sorted ("comment, EXIF ×2, XMP").
func (r Removed) String() string {
	var kinds []string
	for k := range r {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return strings.ToLower(kinds[i]) < strings.ToLower(kinds[j]) })
	for i, k := range kinds {
		if n := r[k]; n > 1 {
			kinds[i] = fmt.Sprintf("%s ×%d", k, n)
		}
	}
	return strings.Join(kinds, ", ")
}

// Total is the number of pieces removed.
func (r Removed) Total() int {
	n := 0
	for _, v := range r {
		n += v
	}
	return n
}

// Strip returns the image without metadata, and what it removed. The
// result is a new slice; data is not modified. An image with nothing to
// remove comes back equal to data (for TIFF and BMP: re-encoded).
func Strip(data []byte) ([]byte, Removed, error) {
	rm := Removed{}
	var out []byte
	var err error
	switch f := Sniff(data); f {
	case JPEG:
		out, err = stripJPEG(data, rm)
	case PNG:
		out, err = stripPNG(data, rm)
	case GIF:
		out, err = stripGIF(data, rm)
	case WebP:
		out, err = stripWebP(data, rm)
	case TIFF:
		out, err = stripTIFF(data, rm)
	case BMP:
		out, err = stripBMP(data, rm)
	case "":
		return nil, nil, fmt.Errorf("unknown image format: %w", ErrUnsupported)
	default:
		return nil, nil, unsupported(f, "metadata cannot be removed from this format")
	}
	if err != nil {
		return nil, nil, err
	}
	return out, rm, nil
}

// Size returns the pixel size of a raster image (for EMF, WMF and SVG: the
// size of the frame in the format's own units).
func Size(data []byte) (w, h int, err error) {
	switch f := Sniff(data); f {
	case EMF:
		hd, err := emfHeader(data)
		if err != nil {
			return 0, 0, err
		}
		return int(hd.frame[2] - hd.frame[0]), int(hd.frame[3] - hd.frame[1]), nil
	case WMF:
		p, err := wmfPlaceable(data)
		if err != nil {
			return 0, 0, err
		}
		return int(p.box[2]) - int(p.box[0]), int(p.box[3]) - int(p.box[1]), nil
	case SVG:
		s, err := svgFrame(data)
		if err != nil {
			return 0, 0, err
		}
		return s.w, s.h, nil
	case JPEG, PNG, GIF, WebP, TIFF, BMP:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return 0, 0, corrupt(f, "header")
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			return 0, 0, corrupt(f, "no pixels")
		}
		return cfg.Width, cfg.Height, nil
	case "":
		return 0, 0, fmt.Errorf("unknown image format: %w", ErrUnsupported)
	default:
		return 0, 0, unsupported(f, "size cannot be read")
	}
}

// Blank returns an image of the same format and size as data that shows
// nothing (white pixels; an empty picture for vector formats) and holds no
// metadata.
func Blank(data []byte) ([]byte, error) {
	f := Sniff(data)
	switch f {
	case EMF:
		return blankEMF(data)
	case WMF:
		return blankWMF(data)
	case SVG:
		return blankSVG(data)
	case JPEG, PNG, GIF, WebP, TIFF, BMP:
	case "":
		return nil, fmt.Errorf("unknown image format: %w", ErrUnsupported)
	default:
		return nil, unsupported(f, "cannot make a blank image of this format")
	}
	w, h, err := Size(data)
	if err != nil {
		return nil, err
	}
	return BlankRaster(f, w, h)
}
