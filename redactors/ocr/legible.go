package ocr

import (
	"image"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
)

// Low-contrast text (issue 19). Tesseract binarises a whole image with
// one global threshold, so text whose ink is close to its background
// (a slide's beige footer on white, a code theme's green comments on dark
// grey) is lost when the rest of the image sets the threshold. Cut out
// alone, with its own threshold, such text is read. Legible makes one
// region of a grey image legible so: its grey levels stretched, turned
// dark on light, magnified, binarised if asked, with a white border.
// It is a pure function of the pixels: a redactor that locates a value
// and a verifier that reads an output may each call it, on regions each
// chooses for itself.

// LegibleOptions say how a region is made legible.
type LegibleOptions struct {
	// Scale magnifies the region (bilinear); values under 1 are 1, over
	// MaxLegibleScale are MaxLegibleScale.
	Scale float64
	// Binary thresholds the region at its own Otsu level (black text on
	// white); otherwise its grey levels are only stretched.
	Binary bool
}

// MaxLegibleScale bounds the magnification of a region (and so the
// pixels one reading of it costs).
const MaxLegibleScale = 4

// LegibleBorder is the white margin, in pixels of the result, around the
// region: Tesseract finds no line that touches the image's edge.
const LegibleBorder = 12

// Legible is a region made legible: Img, in its own pixels, and how to map
// a box read on it back to the source's pixels (Back).
type Legible struct {
	Img *image.Gray
	// Origin is the region's top-left corner in the source; Scale its
	// magnification (the border is LegibleBorder pixels of Img).
	Origin image.Point
	Scale  float64
	// Inverted reports that the region's background was darker than its
	// text, and its levels were turned over.
	Inverted bool
	// Spread is the region's spread of grey levels before stretching
	// (between its 1st and 99th percentiles).
	Spread int
}

// MakeLegible returns region r of src (clipped to src) made legible, or
// nil when the region is empty or shows one grey only (nothing to read).
// It does not change src. The background is the class Otsu's threshold
// puts most pixels in; when it is the darker one, the region is inverted,
// so that text is dark on light as OCR expects. Levels are then stretched
// so that the region's 1st percentile is black and its 99th white.
func MakeLegible(src *image.Gray, r image.Rectangle, o LegibleOptions) *Legible {
	r = r.Intersect(src.Rect)
	if r.Empty() {
		return nil
	}
	var hist [256]int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := src.Pix[src.PixOffset(r.Min.X, y) : src.PixOffset(r.Max.X-1, y)+1]
		for _, v := range row {
			hist[v]++
		}
	}
	n := r.Dx() * r.Dy()
	lo, hi := percentile(&hist, n, 0.01), percentile(&hist, n, 0.99)
	if hi <= lo {
		lo, hi = percentile(&hist, n, 0), percentile(&hist, n, 1)
		if hi <= lo {
			return nil
		}
	}
	t := Otsu(&hist)
	below := 0
	for v := 0; v <= int(t); v++ {
		below += hist[v]
	}
	invert := below*2 > n // most pixels dark: a dark background
	// The look-up table: stretch lo..hi to 0..255, turned over when the
	// background is dark, thresholded at Otsu's level when asked.
	var lut [256]uint8
	for v := range lut {
		s := (float64(v) - float64(lo)) / float64(hi-lo)
		s = math.Max(0, math.Min(1, s))
		if invert {
			s = 1 - s
		}
		lut[v] = uint8(math.Round(s * 255))
	}
	if o.Binary {
		for v := range lut {
			dark := v <= int(t)
			if invert {
				dark = !dark
			}
			if dark {
				lut[v] = 0
			} else {
				lut[v] = 255
			}
		}
	}
	scale := math.Max(1, math.Min(MaxLegibleScale, o.Scale))
	if math.IsNaN(scale) {
		scale = 1
	}
	stretched := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		in := src.Pix[src.PixOffset(r.Min.X, y) : src.PixOffset(r.Max.X-1, y)+1]
		out := stretched.Pix[stretched.PixOffset(0, y-r.Min.Y):]
		for x, v := range in {
			out[x] = lut[v]
		}
	}
	w := int(math.Round(float64(r.Dx()) * scale))
	h := int(math.Round(float64(r.Dy()) * scale))
	img := image.NewGray(image.Rect(0, 0, w+2*LegibleBorder, h+2*LegibleBorder))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	inner := image.Rect(LegibleBorder, LegibleBorder, LegibleBorder+w, LegibleBorder+h)
	if scale == 1 {
		draw.Draw(img, inner, stretched, image.Point{}, draw.Src)
	} else {
		xdraw.BiLinear.Scale(img, inner, stretched, stretched.Rect, xdraw.Src, nil)
		if o.Binary { // magnification blurs the edges again
			for i, v := range img.Pix {
				if v < 128 {
					img.Pix[i] = 0
				} else {
					img.Pix[i] = 0xff
				}
			}
		}
	}
	return &Legible{Img: img, Origin: r.Min, Scale: scale, Inverted: invert, Spread: int(hi) - int(lo)}
}

// Back maps a box read on l.Img to the source's pixels, rounding outwards.
func (l *Legible) Back(b image.Rectangle) image.Rectangle {
	f := func(v int, lo bool) int {
		x := float64(v-LegibleBorder) / l.Scale
		if lo {
			return int(math.Floor(x))
		}
		return int(math.Ceil(x))
	}
	return image.Rect(f(b.Min.X, true), f(b.Min.Y, true), f(b.Max.X, false), f(b.Max.Y, false)).Add(l.Origin)
}

// BackPage maps every box of p, read on l.Img, to the source's pixels.
func (l *Legible) BackPage(p *Page) {
	for bi := range p.Blocks {
		b := &p.Blocks[bi]
		b.Box = l.Back(b.Box)
		for pi := range b.Paras {
			pa := &b.Paras[pi]
			pa.Box = l.Back(pa.Box)
			for li := range pa.Lines {
				ln := &pa.Lines[li]
				ln.Box = l.Back(ln.Box)
				for wi := range ln.Words {
					ln.Words[wi].Box = l.Back(ln.Words[wi].Box)
				}
			}
		}
	}
}

// percentile returns the least grey level at or below which at least the
// share q of the n pixels of hist lie.
func percentile(hist *[256]int, n int, q float64) uint8 {
	need := int(math.Ceil(q * float64(n)))
	need = max(need, 1)
	c := 0
	for v, k := range hist {
		c += k
		if c >= need {
			return uint8(v)
		}
	}
	return 255
}

// Otsu returns the grey level that best splits hist in two classes (Otsu's
// method: the largest variance between the classes); pixels at or below
// it are the dark class. An empty or one-level histogram gives that level.
func Otsu(hist *[256]int) uint8 {
	total, sum := 0, 0.0
	for v, k := range hist {
		total += k
		sum += float64(v * k)
	}
	if total == 0 {
		return 0
	}
	best, at := -1.0, 0
	w0, sum0 := 0, 0.0
	for v := 0; v < 255; v++ {
		w0 += hist[v]
		sum0 += float64(v * hist[v])
		w1 := total - w0
		if w0 == 0 || w1 == 0 {
			continue
		}
		m0, m1 := sum0/float64(w0), (sum-sum0)/float64(w1)
		between := float64(w0) * float64(w1) * (m0 - m1) * (m0 - m1)
		if between > best {
			best, at = between, v
		}
	}
	if best < 0 { // one level only
		for v, k := range hist {
			if k > 0 {
				return uint8(v)
			}
		}
	}
	return uint8(at)
}
