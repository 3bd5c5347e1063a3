package pdf

import (
	"bytes"
	"fmt"
	"image/color"
	"image/jpeg"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// Boxes over an OCR layer follow the scan, not only the OCR. A scanner's
// invisible text is placed where its OCR thought the word was; when the
// OCR word is narrower than the scanned one (a missed tail, a merged
// date), a box that follows the text alone leaves part of the word
// visible on the image. So a box over invisible glyphs grows to the
// word's ink on every read image beneath it, where the ink crosses the
// text's edge: when there is ink in the middle band of the line both just
// inside the edge and just outside it (within inkTouch em), the box grows
// outwards while the columns hold dark pixels, with gaps of at most inkGap
// em (the space between letters; a word space is wider); likewise up and
// down, by at most inkMaxUp of its height (a taller scanned word, not the
// next line). A correct OCR word ends at its ink and a word space follows:
// no growth. The box drawn and the pixels blanked are the grown box. When
// the ink runs on farther than inkMaxEms (or the box's own length), the
// OCR and the scan disagree beyond tolerance and the page is
// uninspectable.

const (
	inkTouch   = 0.06 // ems on either side of the text's edge where ink must be to grow
	inkGap     = 0.12 // ems of white a word's letters may have between them
	inkMaxEms  = 3.0  // growth along the line: at most this many ems…
	inkMaxRel  = 1.0  // …or this many times the box's own length, if more
	inkMaxUp   = 0.2  // growth across the line, in box heights
	inkDarkest = 0.5  // a pixel darker than this (0 black, 1 white) is ink
)

// ink is the dark-pixel map of an image: row 0 at the top.
type ink struct {
	w, h int
	dark []uint64 // bit y*w+x
}

func (k *ink) at(x, y int) bool {
	if x < 0 || y < 0 || x >= k.w || y >= k.h {
		return false
	}
	i := y*k.w + x
	return k.dark[i>>6]>>(uint(i)&63)&1 == 1
}

// growOCRBoxes widens the boxes of invisible glyphs on page pm to the ink
// of the read images beneath them (cache: ink maps by object number).
func (d *Document) growOCRBoxes(pm *pageModel, pageNo int, boxes []box, cache map[int]*ink) error {
	for i := range boxes {
		b := &boxes[i]
		if !b.ocr {
			continue
		}
		for _, u := range pm.imgUses {
			if u.sd == nil || !u.read || d.dropImg[u.nr] || u.space != b.space || !u.bounds.intersects(b.bounds) {
				continue
			}
			k, ok := cache[u.nr]
			if !ok || u.nr == 0 {
				var err error
				if k, err = d.inkMap(u.sd); err != nil {
					return fmt.Errorf("page %d: the scanned word under a redaction cannot be measured on its image (%v): %w", pageNo, err, redactors.ErrUninspectable)
				}
				cache[u.nr] = k
			}
			if !growToInk(b, u.ctm, k) {
				return fmt.Errorf("page %d: the scanned word under a redaction runs on beyond its OCR text by more than %g ems: %w", pageNo, inkMaxEms, redactors.ErrUninspectable)
			}
		}
		b.updateBounds()
	}
	return nil
}

// growToInk grows b (in page space) to the ink of k, an image drawn with
// ctm. It reports false when the ink goes on beyond the tolerance.
func growToInk(b *box, ctm matrix, k *ink) bool {
	inv, ok := ctm.invert()
	if !ok || k.w == 0 || k.h == 0 {
		return true
	}
	// Page units a pixel, the finer axis; samples every half pixel.
	pw := math.Hypot(ctm[0], ctm[1]) / float64(k.w)
	ph := math.Hypot(ctm[2], ctm[3]) / float64(k.h)
	step := math.Max(math.Min(pw, ph)/2, 1e-3)
	dark := func(s, t float64) bool {
		x := b.o[0] + s*b.u[0] + t*b.n[0]
		y := b.o[1] + s*b.u[1] + t*b.n[1]
		u, v := inv.apply(x, y)
		return k.at(int(math.Floor(u*float64(k.w))), int(math.Floor((1-v)*float64(k.h))))
	}
	height := b.t1 - b.t0
	em := math.Max(height-2*boxPad, step) // the text's ascent to descent: about an em
	// line is a stroke across the box at position x along axis a: a
	// column (a = s, across t0..t1) or a row (a = t, across s0..s1).
	line := func(along bool, x, lo, hi float64) bool {
		for y := lo; y <= hi; y += step {
			if along && dark(x, y) || !along && dark(y, x) {
				return true
			}
		}
		return false
	}
	// grow returns how far the ink goes from edge (the text's edge, pad
	// excluded) outwards (dir ±1), and false if it still goes on at limit.
	grow := func(edge, dir, limit float64, probe func(float64) bool) (float64, bool) {
		touch := inkTouch * em
		inside, outside := false, false
		for x := 0.0; x <= touch; x += step {
			inside = inside || probe(edge-dir*x)
			outside = outside || probe(edge+dir*x)
		}
		if !inside || !outside {
			return edge, true // the ink does not cross the edge
		}
		last := edge
		for x := edge; math.Abs(x-edge) <= limit; x += dir * step {
			if probe(x) {
				last = x
			} else if math.Abs(x-last) > inkGap*em {
				return last, true
			}
		}
		return last, math.Abs(last-edge) < limit-inkGap*em
	}
	bandLo, bandHi := b.t0+0.25*height, b.t0+0.75*height
	limit := math.Max(inkMaxEms*em, inkMaxRel*(b.s1-b.s0))
	col := func(s float64) bool { return line(true, s, bandLo, bandHi) }
	s1, ok1 := grow(b.s1-boxPad, 1, limit, col)
	s0, ok0 := grow(b.s0+boxPad, -1, limit, col)
	if !ok0 || !ok1 {
		return false
	}
	b.s0, b.s1 = math.Min(b.s0, s0-boxPad), math.Max(b.s1, s1+boxPad)
	// Up and down: a scanned word taller than the text, never the next
	// line (at most inkMaxUp of the height).
	row := func(t float64) bool { return line(false, t, b.s0+boxPad, b.s1-boxPad) }
	t1, _ := grow(b.t1-boxPad, 1, inkMaxUp*height, row)
	t0, _ := grow(b.t0+boxPad, -1, inkMaxUp*height, row)
	b.t0 = math.Max(math.Min(b.t0, t0-boxPad), b.t0-inkMaxUp*height)
	b.t1 = math.Min(math.Max(b.t1, t1+boxPad), b.t1+inkMaxUp*height)
	return true
}

// updateBounds recomputes the page-space bounds of b.
func (b *box) updateBounds() {
	cs := b.corners()
	b.bounds = rect{cs[0][0], cs[0][1], cs[0][0], cs[0][1]}
	for _, c := range cs[1:] {
		b.bounds.x0, b.bounds.y0 = math.Min(b.bounds.x0, c[0]), math.Min(b.bounds.y0, c[1])
		b.bounds.x1, b.bounds.y1 = math.Max(b.bounds.x1, c[0]), math.Max(b.bounds.y1, c[1])
	}
}

// inkMap decodes an image into its dark pixels: samples of any depth and
// colour space Veil blanks (image.go), and JPEG.
func (d *Document) inkMap(sd *types.StreamDict) (*ink, error) {
	r := d.r
	w, h := int(r.num(sd.Dict["Width"])), int(r.num(sd.Dict["Height"]))
	if w <= 0 || h <= 0 || w*h > maxImagePixels || w > maxImagePixels || h > maxImagePixels {
		return nil, errImage("image size out of range")
	}
	k := &ink{w: w, h: h, dark: make([]uint64, (w*h+63)/64)}
	set := func(x, y int) { i := y*w + x; k.dark[i>>6] |= 1 << (uint(i) & 63) }
	var held int64
	defer func() { r.release(held) }()
	hold := func(n int64) error {
		if err := r.reserve(n); err != nil {
			return errImage(fmt.Sprintf("image data and the decoded content exceed %d MiB", maxDecodedTotal>>20))
		}
		held += n
		return nil
	}
	fs := sd.FilterPipeline
	last := ""
	if len(fs) > 0 {
		last = fs[len(fs)-1].Name
	}
	switch last {
	case filter.JPX, filter.JBIG2:
		return nil, errImage(filterName(last) + " images cannot be decoded")
	case filter.DCT:
		data, err := d.unfilter(sd, fs[:len(fs)-1])
		if err != nil {
			return nil, err
		}
		if err := hold(int64(len(data)) + int64(w)*int64(h)*3); err != nil {
			return nil, err
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, errImage("JPEG data does not decode")
		}
		bd := img.Bounds()
		if bd.Dx() != w || bd.Dy() != h {
			return nil, errImage("JPEG size differs from the image's")
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				c := img.At(bd.Min.X+x, bd.Min.Y+y)
				if float64(color.GrayModel.Convert(c).(color.Gray).Y)/255 < inkDarkest {
					set(x, y)
				}
			}
		}
		return k, nil
	}
	data, err := d.unfilter(sd, fs)
	if err != nil {
		return nil, err
	}
	if err := hold(int64(len(data))); err != nil {
		return nil, err
	}
	bpc, comps, lum, err := r.samples(sd.Dict, r.bool(sd.Dict["ImageMask"]))
	if err != nil {
		return nil, err
	}
	rowBytes := (w*comps*bpc + 7) / 8
	px := make([]uint32, comps)
	for y := 0; y < h; y++ {
		if (y+1)*rowBytes > len(data) {
			break // short data reads as nothing drawn
		}
		row := data[y*rowBytes : (y+1)*rowBytes]
		for x := 0; x < w; x++ {
			for c := 0; c < comps; c++ {
				px[c] = getSample(row, x*comps+c, bpc)
			}
			if lum(px) < inkDarkest {
				set(x, y)
			}
		}
	}
	return k, nil
}

// getSample reads sample i (bpc bits) of a row.
func getSample(row []byte, i, bpc int) uint32 {
	switch bpc {
	case 8:
		return uint32(row[i])
	case 16:
		return uint32(row[2*i])<<8 | uint32(row[2*i+1])
	}
	bit := i * bpc
	shift := 8 - bpc - bit%8
	return uint32(row[bit/8]>>shift) & (1<<bpc - 1)
}

// samples returns how an image's samples are laid out (bits per
// component, components per pixel; 1 and 1 for an image mask) and the
// function that turns a pixel's components into luminance.
func (r *reader) samples(d types.Dict, mask bool) (bpc, comps int, lum func([]uint32) float64, err error) {
	bpc, comps = 1, 1
	if !mask {
		bpc = int(r.num(d["BitsPerComponent"]))
		comps = r.components(d["ColorSpace"])
	}
	switch bpc {
	case 1, 2, 4, 8, 16:
	default:
		return 0, 0, nil, errImage("unsupported bits per component")
	}
	if comps <= 0 {
		return 0, 0, nil, errImage("unknown colour space")
	}
	lum, err = r.luminance(d, comps, bpc, mask)
	return bpc, comps, lum, err
}

// luminance returns how light a pixel of an image is (0 black, 1 white),
// from its samples, given the image's colour space and Decode array. The
// function allocates nothing per pixel (a page scan is tens of millions
// of them): it keeps its scratch space, so one function serves one
// goroutine; each call of luminance returns a new one.
func (r *reader) luminance(d types.Dict, comps, bpc int, mask bool) (func([]uint32) float64, error) {
	maxV := float64(uint32(1)<<bpc - 1)
	dec := r.numbers(d["Decode"])
	norm := func(c int, v uint32) float64 {
		f := float64(v) / maxV
		if 2*c+1 < len(dec) {
			f = dec[2*c] + f*(dec[2*c+1]-dec[2*c])
		}
		return math.Max(0, math.Min(1, f))
	}
	if mask {
		// A stencil mask paints (ink) where its decoded sample is 0.
		return func(p []uint32) float64 { return norm(0, p[0]) }, nil
	}
	cs := r.resolve(d["ColorSpace"])
	family := ""
	switch v := cs.(type) {
	case types.Name:
		family = string(v)
	case types.Array:
		if len(v) > 0 {
			family = r.name(v[0])
		}
	}
	switch family {
	case "Indexed", "I":
		a, _ := cs.(types.Array)
		if len(a) < 4 {
			return nil, errImage("indexed colour space without a palette")
		}
		base := r.components(a[1])
		var table []byte
		switch t := r.resolve(a[3]).(type) {
		case types.StringLiteral, types.HexLiteral:
			table = []byte(stringBytes(t))
		case types.StreamDict:
			sd, _ := r.stream(a[3])
			if sd != nil {
				table, _ = r.decodeOnce(sd, 0)
			}
		}
		if base <= 0 || len(table) < base {
			return nil, errImage("indexed colour space without a palette")
		}
		// The palette's entries read once: an index past them is white.
		baseLum := deviceLuminance(base)
		lums := make([]float64, min(len(table)/base, 1<<bpc))
		v := make([]float64, base)
		for k := range lums {
			for c := range v {
				v[c] = float64(table[k*base+c]) / 255
			}
			lums[k] = baseLum(v)
		}
		return func(p []uint32) float64 {
			if int(p[0]) >= len(lums) {
				return 1
			}
			return lums[p[0]]
		}, nil
	case "Separation", "DeviceN":
		// Tint 1 is full colorant.
		return func(p []uint32) float64 {
			m := 0.0
			for c := range p {
				m = math.Max(m, norm(c, p[c]))
			}
			return 1 - m
		}, nil
	case "Lab":
		return func(p []uint32) float64 { return float64(p[0]) / maxV }, nil // L*, whatever its range
	}
	dl := deviceLuminance(comps)
	if comps == 1 {
		return func(p []uint32) float64 { return norm(0, p[0]) }, nil
	}
	v := make([]float64, comps)
	return func(p []uint32) float64 {
		for c := range p {
			v[c] = norm(c, p[c])
		}
		return dl(v)
	}, nil
}

// deviceLuminance reads gray (1), RGB (3) and CMYK (4) components in 0-1.
func deviceLuminance(comps int) func([]float64) float64 {
	switch comps {
	case 3:
		return func(v []float64) float64 { return 0.299*v[0] + 0.587*v[1] + 0.114*v[2] }
	case 4:
		return func(v []float64) float64 { return (1 - v[0]) * (1 - v[1]) * (1 - v[2]) * (1 - v[3]) }
	}
	return func(v []float64) float64 { return v[0] }
}
