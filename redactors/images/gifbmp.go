package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"io"
	"math"

	"golang.org/x/image/bmp"

	"github.com/veilhq/veil/redactors"
)

// GIF and BMP: Word keeps pasted pictures in them, so images inside
// documents need them more than image files do. A GIF is read when it has
// one frame (an animation's frames are drawn over each other in time;
// Veil would have to read and redact each: unsupported) and written back
// with its palette, black and white added when it has room; a BMP is read
// by golang.org/x/image/bmp (1-, 2-, 4-, 8-, 24- and 32-bit, uncompressed)
// and written as 8-bit grey, 8-bit paletted or 24/32-bit, with its
// resolution.

// decodeGIF reads a one-frame GIF onto its logical screen.
func decodeGIF(data []byte) (decoded, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return decoded{}, corrupt(kindGIF, "header")
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return decoded{}, err
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		return decoded{}, corrupt(kindGIF, "image data")
	}
	if len(g.Image) != 1 {
		return decoded{}, fmt.Errorf("images: GIF: animation of %d frames: %w", len(g.Image), redactors.ErrUnsupported)
	}
	f := g.Image[0]
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	if f.Bounds() == screen {
		return decoded{img: f}, nil
	}
	// A frame smaller than the screen, or off its origin: the rest is
	// the background (transparent where the palette has transparency).
	canvas := image.NewPaletted(screen, f.Palette)
	bg := uint8(0)
	if int(g.BackgroundIndex) < len(f.Palette) {
		bg = g.BackgroundIndex
	}
	for i, c := range f.Palette {
		if _, _, _, a := c.RGBA(); a == 0 {
			bg = uint8(i)
			break
		}
	}
	for i := range canvas.Pix {
		canvas.Pix[i] = bg
	}
	r := f.Bounds().Intersect(screen)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(canvas.Pix[canvas.PixOffset(r.Min.X, y):canvas.PixOffset(r.Max.X, y)], f.Pix[f.PixOffset(r.Min.X, y):])
	}
	return decoded{img: canvas}, nil
}

// encodeGIF writes img as a one-frame GIF: a palette image with its own
// palette, anything else quantised to 256 colours.
func encodeGIF(w io.Writer, img image.Image) error {
	if err := gif.Encode(w, img, &gif.Options{NumColors: 256}); err != nil {
		return fmt.Errorf("images: encode GIF: %w", err)
	}
	return nil
}

// decodeBMP reads a BMP and its resolution.
func decodeBMP(data []byte) (decoded, error) {
	cfg, err := bmp.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, bmp.ErrUnsupported) {
			return decoded{}, fmt.Errorf("images: BMP: unsupported variant (compressed or an unknown header): %w", redactors.ErrUnsupported)
		}
		return decoded{}, corrupt(kindBMP, "header")
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return decoded{}, err
	}
	img, err := bmp.Decode(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, bmp.ErrUnsupported) {
			return decoded{}, fmt.Errorf("images: BMP: unsupported variant: %w", redactors.ErrUnsupported)
		}
		return decoded{}, corrupt(kindBMP, "pixel data")
	}
	d := decoded{img: img}
	// BITMAPINFOHEADER and later: pixels per metre at 38 and 42.
	if len(data) >= 46 && binary.LittleEndian.Uint32(data[14:]) >= 40 {
		x, y := binary.LittleEndian.Uint32(data[38:]), binary.LittleEndian.Uint32(data[42:])
		if x > 0 && y > 0 && x < 1e6 && y < 1e6 {
			d.xdpi, d.ydpi = float64(x)*0.0254, float64(y)*0.0254
		}
	}
	return d, nil
}

// encodeBMP writes img as a BMP with the resolution, if known.
func encodeBMP(w io.Writer, img image.Image, xdpi, ydpi float64) error {
	var buf bytes.Buffer
	if err := bmp.Encode(&buf, img); err != nil {
		return fmt.Errorf("images: encode BMP: %w", err)
	}
	out := buf.Bytes()
	if xdpi > 0 && ydpi > 0 && len(out) >= 46 {
		binary.LittleEndian.PutUint32(out[38:], uint32(math.Round(xdpi/0.0254)))
		binary.LittleEndian.PutUint32(out[42:], uint32(math.Round(ydpi/0.0254)))
	}
	_, err := w.Write(out)
	return err
}
