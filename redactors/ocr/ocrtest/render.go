// Package ocrtest renders text to images the way a scanner or a fax would
// deliver it, for tests of OCR and image redaction: a page is laid out in
// points with the Go fonts (golang.org/x/image/font/gofont, BSD licence),
// drawn at a chosen resolution, and then degraded (skew, noise, blur, JPEG,
// fax-like 1-bit at 200×100 dpi). Every word drawn is kept with its box, so
// a test knows where each value is without asking OCR. No image is stored:
// tests build what they need.
package ocrtest

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Truth is a word drawn on a sheet and its box in pixels.
type Truth struct {
	Text string
	Box  image.Rectangle
}

// Sheet is a white page being drawn on.
type Sheet struct {
	DPI   int
	Img   *image.Gray
	Words []Truth
}

// NewSheet returns a white page of the given size in inches.
func NewSheet(widthIn, heightIn float64, dpi int) *Sheet {
	w, h := int(math.Round(widthIn*float64(dpi))), int(math.Round(heightIn*float64(dpi)))
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	return &Sheet{DPI: dpi, Img: img}
}

var (
	fontsOnce sync.Once
	regular   *opentype.Font
	bold      *opentype.Font
)

func fonts() {
	fontsOnce.Do(func() {
		var err error
		if regular, err = opentype.Parse(goregular.TTF); err != nil {
			panic(err)
		}
		if bold, err = opentype.Parse(gobold.TTF); err != nil {
			panic(err)
		}
	})
}

// Style is how a line is drawn.
type Style struct {
	Size float64 // points; 0 means 11
	Bold bool
	// Face is "" (Go Regular, or Go Bold), "mono" (Go Mono, a typewriter's
	// fixed pitch), "italic" (Go Italic) or "medium" (Go Medium).
	Face string
}

var (
	otherOnce  sync.Once
	otherFaces map[string]*opentype.Font
)

func (s *Sheet) face(st Style) font.Face {
	fonts()
	f := regular
	if st.Bold {
		f = bold
	}
	if st.Face != "" {
		otherOnce.Do(func() {
			otherFaces = map[string]*opentype.Font{}
			for name, ttf := range map[string][]byte{"mono": gomono.TTF, "italic": goitalic.TTF, "medium": gomedium.TTF} {
				o, err := opentype.Parse(ttf)
				if err != nil {
					panic(err)
				}
				otherFaces[name] = o
			}
		})
		o, ok := otherFaces[st.Face]
		if !ok {
			panic("ocrtest: unknown face " + st.Face)
		}
		f = o
	}
	size := st.Size
	if size == 0 {
		size = 11
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: float64(s.DPI), Hinting: font.HintingNone})
	if err != nil {
		panic(err)
	}
	return face
}

// px converts points to pixels.
func (s *Sheet) px(pt float64) int { return int(math.Round(pt * float64(s.DPI) / 72)) }

// Line draws text with its baseline at (x, y) points from the top left and
// returns the x (points) where it ended.
func (s *Sheet) Line(x, y float64, st Style, text string) float64 {
	face := s.face(st)
	defer face.Close()
	d := &font.Drawer{Dst: s.Img, Src: image.Black, Face: face}
	space := d.MeasureString(" ")
	dot := fixed.P(s.px(x), s.px(y))
	for i, w := range strings.Fields(text) {
		if i > 0 {
			dot.X += space
		}
		d.Dot = dot
		bounds, adv := d.BoundString(w)
		d.DrawString(w)
		s.Words = append(s.Words, Truth{Text: w, Box: image.Rect(bounds.Min.X.Floor(), bounds.Min.Y.Floor(), bounds.Max.X.Ceil(), bounds.Max.Y.Ceil())})
		dot.X += adv
	}
	return float64(dot.X.Round()) * 72 / float64(s.DPI)
}

// Para draws text wrapped to width points from (x, y) with a line height of
// 1.3 × the size and returns the baseline y of the next line.
func (s *Sheet) Para(x, y, width float64, st Style, text string) float64 {
	face := s.face(st)
	d := &font.Drawer{Face: face}
	size := st.Size
	if size == 0 {
		size = 11
	}
	maxW := fixed.I(s.px(width))
	var line []string
	flush := func() {
		if len(line) > 0 {
			s.Line(x, y, st, strings.Join(line, " "))
			y += size * 1.3
			line = line[:0]
		}
	}
	for _, w := range strings.Fields(text) {
		if len(line) > 0 && d.MeasureString(strings.Join(append(line, w), " ")) > maxW {
			flush()
		}
		line = append(line, w)
	}
	flush()
	face.Close()
	return y
}

// Rule draws a horizontal line of the given thickness (points).
func (s *Sheet) Rule(x0, x1, y, thick float64) {
	r := image.Rect(s.px(x0), s.px(y), s.px(x1), s.px(y)+max(1, s.px(thick)))
	draw.Draw(s.Img, r, image.Black, image.Point{}, draw.Src)
}

// Find returns the boxes of the words that make up phrase (consecutive
// words whose texts equal phrase's words), in the order drawn.
func (s *Sheet) Find(phrase string) [][]Truth {
	want := strings.Fields(phrase)
	var out [][]Truth
	for i := 0; i+len(want) <= len(s.Words); i++ {
		ok := true
		for j, w := range want {
			if s.Words[i+j].Text != w {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, s.Words[i:i+len(want)])
		}
	}
	return out
}

// Rotate returns img turned by deg degrees (counter-clockwise) about its
// centre, same size, white where nothing maps, with bilinear sampling;
// boxes of words are turned too (their axis-aligned hull).
func Rotate(img *image.Gray, words []Truth, deg float64) (*image.Gray, []Truth) {
	b := img.Bounds()
	out := image.NewGray(b)
	a := deg * math.Pi / 180
	sin, cos := math.Sin(a), math.Cos(a)
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			// inverse map: destination -> source
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			sx := cos*dx - sin*dy + cx - 0.5
			sy := sin*dx + cos*dy + cy - 0.5
			out.Pix[y*out.Stride+x] = bilinear(img, sx, sy)
		}
	}
	fwd := func(x, y float64) (float64, float64) {
		dx, dy := x-cx, y-cy
		return cos*dx + sin*dy + cx, -sin*dx + cos*dy + cy
	}
	var tw []Truth
	for _, w := range words {
		r := w.Box
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, p := range [][2]float64{{float64(r.Min.X), float64(r.Min.Y)}, {float64(r.Max.X), float64(r.Min.Y)}, {float64(r.Min.X), float64(r.Max.Y)}, {float64(r.Max.X), float64(r.Max.Y)}} {
			x, y := fwd(p[0], p[1])
			minX, minY, maxX, maxY = math.Min(minX, x), math.Min(minY, y), math.Max(maxX, x), math.Max(maxY, y)
		}
		tw = append(tw, Truth{Text: w.Text, Box: image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))})
	}
	return out, tw
}

func bilinear(img *image.Gray, x, y float64) uint8 {
	b := img.Bounds()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 {
		if x < b.Min.X || y < b.Min.Y || x >= b.Max.X || y >= b.Max.Y {
			return 255
		}
		return float64(img.Pix[(y-b.Min.Y)*img.Stride+x-b.Min.X])
	}
	v := at(x0, y0)*(1-fx)*(1-fy) + at(x0+1, y0)*fx*(1-fy) + at(x0, y0+1)*(1-fx)*fy + at(x0+1, y0+1)*fx*fy
	return uint8(math.Round(v))
}

// Noise adds grain (Gaussian, standard deviation sigma grey levels) and
// speckles (a share of pixels set to black or white at random), as a
// scanner and a copier do; seed makes it repeatable.
func Noise(img *image.Gray, sigma, speckle float64, seed uint64) *image.Gray {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := image.NewGray(img.Bounds())
	copy(out.Pix, img.Pix)
	for i, v := range out.Pix {
		f := float64(v) + r.NormFloat64()*sigma
		if speckle > 0 && r.Float64() < speckle {
			if r.IntN(2) == 0 {
				f = 0
			} else {
				f = 255
			}
		}
		out.Pix[i] = uint8(math.Max(0, math.Min(255, math.Round(f))))
	}
	return out
}

// Blur is a 3×3 box blur, the softness of a cheap scanner.
func Blur(img *image.Gray) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(b)
	w, h := b.Dx(), b.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0, 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx >= 0 && yy >= 0 && xx < w && yy < h {
						sum += int(img.Pix[yy*img.Stride+xx])
						n++
					}
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / n)
		}
	}
	return out
}

// Fax resamples img (drawn at dpi) to a fax's standard resolution, 200
// dots per inch across and 100 down, and thresholds it to black and white
// (a 1-bit palette image). Word boxes are mapped too.
func Fax(img *image.Gray, words []Truth, dpi int) (*image.Paletted, []Truth) {
	return FaxAt(img, words, dpi, 200, 100)
}

// FaxAt is Fax at xdpi × ydpi (200 × 200 is a fax's fine mode).
func FaxAt(img *image.Gray, words []Truth, dpi, xdpi, ydpi int) (*image.Paletted, []Truth) {
	b := img.Bounds()
	sx, sy := float64(xdpi)/float64(dpi), float64(ydpi)/float64(dpi)
	w, h := int(math.Round(float64(b.Dx())*sx)), int(math.Round(float64(b.Dy())*sy))
	out := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Gray{0}, color.Gray{255}})
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// average the source area of this dot
			x0, x1 := int(float64(x)/sx), int(float64(x+1)/sx)
			y0, y1 := int(float64(y)/sy), int(float64(y+1)/sy)
			sum, n := 0, 0
			for yy := y0; yy < y1 && yy < b.Dy(); yy++ {
				for xx := x0; xx < x1 && xx < b.Dx(); xx++ {
					sum += int(img.Pix[yy*img.Stride+xx])
					n++
				}
			}
			if n > 0 && sum/n >= 150 {
				out.Pix[y*out.Stride+x] = 1
			}
		}
	}
	var tw []Truth
	for _, t := range words {
		r := t.Box
		tw = append(tw, Truth{Text: t.Text, Box: image.Rect(int(float64(r.Min.X)*sx), int(float64(r.Min.Y)*sy), int(math.Ceil(float64(r.Max.X)*sx)), int(math.Ceil(float64(r.Max.Y)*sy)))})
	}
	return out, tw
}
