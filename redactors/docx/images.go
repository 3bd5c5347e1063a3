package docx

import (
	"errors"
	"fmt"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta"
)

// maxBlankPixels bounds the blank images one document may ask for: a few
// bytes of header can claim 64 M pixels, and a document can hold hundreds
// of images.
const maxBlankPixels = 1 << 28

// blankImage returns what replaces an image (ImagesDrop): a blank image of
// its format and pixel size, without metadata, and its pixel count. An
// image Veil cannot replace so (JPEG XR, JPEG 2000, an unknown format, a
// WMF without a frame) makes the file quarantined: it is never kept.
func blankImage(data []byte) ([]byte, int64, error) {
	blank, err := imagemeta.Blank(data)
	if err != nil {
		f := imagemeta.Sniff(data)
		if f == "" {
			f = "unknown"
		}
		switch {
		case errors.Is(err, imagemeta.ErrTooLarge):
			return nil, 0, fmt.Errorf("image too large to replace: %w", redactors.ErrTooLarge)
		case errors.Is(err, imagemeta.ErrCorrupt):
			return nil, 0, fmt.Errorf("%s image does not read: %w", f, redactors.ErrCorrupt)
		}
		return nil, 0, fmt.Errorf("%s image cannot be replaced by a blank one (not inspected: no OCR): %w", f, redactors.ErrUninspectable)
	}
	w, h, err := imagemeta.Size(data)
	if err != nil || w < 0 || h < 0 {
		return nil, 0, fmt.Errorf("image size: %w", redactors.ErrCorrupt)
	}
	n := int64(w) * int64(h)
	switch imagemeta.Sniff(data) {
	case imagemeta.EMF, imagemeta.WMF, imagemeta.SVG:
		n = 0 // a frame, not pixels: the blank is a few bytes
	}
	return blank, n, nil
}
