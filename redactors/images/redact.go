package images

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sort"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// region is a rectangle to blank and the label to draw in it ("" for none).
type region struct {
	rect  image.Rectangle
	label string
}

// regions returns the rectangles that blank the words of the edits of one
// page: for each edit, the words it touches (a word partly inside an edit
// is blanked whole), one rectangle per line from the first to the last
// such word, grown on every side by the margin (a share of the line's text
// height, textHeight), but toward a kept word on the line by half the gap
// at most. It
// also returns how many doubtful words (low confidence, right before or
// after a blanked run on its line) there are; under LowConfBlank they are
// inside the rectangles.
func (d *Document) regions(p *page, edits []redactors.Edit) ([]region, int) {
	words := p.text.Words
	b := p.bounds
	blank := make([]bool, len(words))
	label := map[int]string{} // first word of an edit -> label
	for _, e := range edits {
		i := sort.Search(len(words), func(i int) bool { return words[i].End > e.Start })
		first := true
		for ; i < len(words) && words[i].Start < e.End; i++ {
			blank[i] = true
			if first {
				label[i] = e.Replacement
				first = false
			}
		}
	}
	// Doubtful neighbours: low-confidence words next to a blanked run on
	// the same line, and the low-confidence words next to those.
	doubtful := 0
	sameLine := func(i, j int) bool { return words[i].Line == words[j].Line }
	for changed := true; changed; {
		changed = false
		for i := range words {
			if blank[i] || words[i].Conf >= d.f.o.LowConf {
				continue
			}
			if (i > 0 && blank[i-1] && sameLine(i, i-1)) || (i+1 < len(words) && blank[i+1] && sameLine(i, i+1)) {
				doubtful++
				if d.f.o.LowConfPolicy != LowConfBlank {
					continue
				}
				blank[i] = true
				changed = true
			}
		}
	}
	var out []region
	for i := 0; i < len(words); {
		if !blank[i] {
			i++
			continue
		}
		// a run of blanked words on one line
		j := i
		r := words[i].Box
		// The run's label is the first that is not empty: a value blanked
		// without one (a drop, a word verification read otherwise beside
		// a box) does not hide its neighbour's ("1959" of a birth date).
		lbl := label[i]
		for j+1 < len(words) && blank[j+1] && sameLine(i, j+1) {
			j++
			r = r.Union(words[j].Box)
			if l := label[j]; l != "" && lbl == "" {
				lbl = l
			}
		}
		m := int(math.Ceil(d.f.o.Margin * float64(textHeight(words, i))))
		// Toward a kept word on the same line the margin stops half way
		// across the gap: OCR reads a word that touches a black box as
		// part of it, and the gap holds none of the value's ink.
		left, right := m, m
		if i > 0 && sameLine(i, i-1) && !blank[i-1] {
			left = min(m, max(0, (r.Min.X-words[i-1].Box.Max.X)/2))
		}
		if j+1 < len(words) && sameLine(j, j+1) && !blank[j+1] {
			right = min(m, max(0, (words[j+1].Box.Min.X-r.Max.X)/2))
		}
		rect := image.Rect(r.Min.X-left, r.Min.Y-m, r.Max.X+right, r.Max.Y+m).Intersect(b)
		if !rect.Empty() {
			out = append(out, region{rect: rect, label: lbl})
		}
		i = j + 1
	}
	sortRegions(out)
	return out, doubtful
}

// textHeight is the height of the text on word i's line: the tallest word
// box of the line (capitals and descenders). The line's own box is no
// measure: on a skewed page, or a line that runs across two columns, it
// is much taller than the text.
func textHeight(words []ocr.Placed, i int) int {
	h := 0
	for j := i; j >= 0 && words[j].Line == words[i].Line; j-- {
		h = max(h, words[j].Box.Dy())
	}
	for j := i + 1; j < len(words) && words[j].Line == words[i].Line; j++ {
		h = max(h, words[j].Box.Dy())
	}
	return h
}

var (
	labelFontOnce sync.Once
	labelFont     *opentype.Font
)

// paint blanks r in img (opaque black) and writes its label in white,
// shrunk to fit; a label that does not fit at a legible size is left out.
// The label never grows the box.
func paint(img settable, r region, labels bool) {
	dimg, ok := img.(draw.Image)
	if !ok {
		return
	}
	rect := r.rect.Add(img.Bounds().Min)
	draw.Draw(dimg, rect, image.NewUniform(color.Black), image.Point{}, draw.Src)
	if !labels || r.label == "" {
		return
	}
	labelFontOnce.Do(func() {
		f, err := opentype.Parse(goregular.TTF)
		if err == nil {
			labelFont = f
		}
	})
	if labelFont == nil {
		return
	}
	const minPx = 9
	size := float64(rect.Dy()) * 0.6
	pad := rect.Dy() / 6
	for ; size >= minPx; size *= 0.85 {
		face, err := opentype.NewFace(labelFont, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return
		}
		dr := &font.Drawer{Dst: dimg, Src: image.NewUniform(color.White), Face: face}
		wd := dr.MeasureString(r.label).Ceil()
		if wd <= rect.Dx()-2*pad {
			m := face.Metrics()
			h := (m.Ascent + m.Descent).Ceil()
			x := rect.Min.X + pad
			y := rect.Min.Y + (rect.Dy()-h)/2 + m.Ascent.Ceil()
			dr.Dot = fixed.P(x, y)
			dr.DrawString(r.label)
			face.Close()
			return
		}
		face.Close()
	}
}

// squarePixels returns the image OCR should read: img itself, or img
// stretched to square pixels when its resolution differs across and down
// by more than 10 % (a fax's 200×100 dpi), with the factors that map boxes
// back and the resolution to give OCR.
func squarePixels(img image.Image, xdpi, ydpi float64) (image.Image, float64, float64, int) {
	if xdpi <= 0 || ydpi <= 0 {
		return img, 1, 1, int(math.Round(math.Max(xdpi, ydpi)))
	}
	ratio := xdpi / ydpi
	if ratio > 0.9 && ratio < 1.1 {
		return img, 1, 1, int(math.Round(xdpi))
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var fx, fy float64 = 1, 1
	if ratio > 1 {
		h = int(math.Round(float64(h) * ratio)) // stretch down
		fy = float64(b.Dy()) / float64(h)
	} else {
		w = int(math.Round(float64(w) / ratio))
		fx = float64(b.Dx()) / float64(w)
	}
	if int64(w)*int64(h) > MaxPixels {
		return img, 1, 1, int(math.Round(math.Max(xdpi, ydpi)))
	}
	return resizeGray(img, w, h), fx, fy, int(math.Round(math.Max(xdpi, ydpi)))
}

// measure returns the share of pixels darker than mid-grey (composited
// over white) and the spread of the pixels: the largest standard deviation
// of the red, green and blue channels, in grey levels. It samples a grid of
// about a million pixels.
func measure(img image.Image) (ink, spread float64) {
	b := img.Bounds()
	step := 1
	if n := b.Dx() * b.Dy(); n > 1<<20 {
		step = int(math.Sqrt(float64(n) / (1 << 20)))
	}
	var sum, sq [3]float64
	dark, all := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			all++
			c := img.At(x, y)
			if ocr.GrayOverWhite(c) < 128 {
				dark++
			}
			r, g, bl, a := c.RGBA()
			for i, v := range [3]uint32{r, g, bl} {
				f := float64(v+0xffff-a) / 257 // over white, 0–255
				sum[i] += f
				sq[i] += f * f
			}
		}
	}
	if all == 0 {
		return 0, 0
	}
	n := float64(all)
	for i := range sum {
		m := sum[i] / n
		spread = math.Max(spread, math.Sqrt(math.Max(0, sq[i]/n-m*m)))
	}
	return float64(dark) / n, spread
}

// Region is a rectangle Redact blanks, in the page's pixels (origin at the
// page's top-left corner), and the label drawn in it ("" for none).
type Region struct {
	Rect  image.Rectangle
	Label string
}

// Regions returns the rectangles that Redact would blank on page pg
// (0-based) for its edits (Part is ignored: every edit is of that page),
// and how many doubtful words (low confidence, next to a redacted value)
// they include or, under LowConfQuarantine and LowConfReport, leave out.
// A caller that blanks the pixels itself (an image inside a PDF, whose
// boxes are drawn on the page) uses it instead of Redact; the page's notes
// count the regions as Redact's would.
func (d *Document) Regions(pg int, edits []redactors.Edit) ([]Region, int) {
	if pg < 0 || pg >= len(d.pages) {
		return nil, 0
	}
	p := d.pages[pg]
	regs, doubtful := d.regions(p, edits)
	p.blanked, p.lowConf = regs, doubtful
	out := make([]Region, len(regs))
	for i, r := range regs {
		out[i] = Region{Rect: r.rect, Label: r.label}
	}
	return out, doubtful
}

// Classify tells the kind of an image that OCR did not read (it is too
// small to hold a line of text): PageBlank, PagePlain or PagePicture, by
// its pixels alone, as Parse does for a page on which OCR read nothing.
func Classify(img image.Image) PageKind { return classify(img, false) }
