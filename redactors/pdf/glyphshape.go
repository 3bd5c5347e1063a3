package pdf

import (
	"errors"
	"image"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/vector"
)

// Glyph shapes: what a glyph that nothing in the file names looks like,
// for glyph OCR (glyphocr.go). A Type 3 glyph's procedure is run for its
// paths and image masks (colour, line style and clipping ignored: a glyph
// is one ink); a TrueType glyph's outline is read from the program's glyf
// table through loca. Shapes are in text space of a font size of 1 (one
// em), y up; render rasterises one at a given number of pixels per em,
// black ink on white.

// glyphShape is a glyph's ink in em units.
type glyphShape struct {
	segs  []pathSeg
	masks []glyphMask
	box   rect // bounds of the ink (of the control points for curves)
	empty bool // nothing painted yet
}

// pathSeg is one path element: op 'M' (move), 'L' (line), 'Q' (quadratic,
// p[0] control), 'C' (cubic, p[0], p[1] controls), 'Z' (close); the end
// point is the last used of p.
type pathSeg struct {
	op byte
	p  [3][2]float64
}

// glyphMask is an image painted by a glyph: the unit square mapped by m
// (into em space); dark pixels of img are ink.
type glyphMask struct {
	m   matrix
	img *image.Gray
}

// Limits on what a glyph shape may hold.
const (
	maxShapeSegs   = 1 << 14
	maxShapeMasks  = 16
	maxShapeOps    = 1 << 15
	maxGlyphDepth  = 8 // nested composite TrueType glyphs
	maxGlyphPixels = 1 << 20
)

var errShape = errors.New("the glyph cannot be drawn for OCR")

func newShape() *glyphShape { return &glyphShape{empty: true} }

func (s *glyphShape) grow(x, y float64) {
	if s.empty {
		s.box, s.empty = rect{x, y, x, y}, false
		return
	}
	s.box.x0, s.box.y0 = math.Min(s.box.x0, x), math.Min(s.box.y0, y)
	s.box.x1, s.box.y1 = math.Max(s.box.x1, x), math.Max(s.box.y1, y)
}

func (s *glyphShape) add(op byte, pts ...[2]float64) error {
	if len(s.segs) >= maxShapeSegs {
		return errShape
	}
	var seg pathSeg
	seg.op = op
	for i, p := range pts {
		if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
			return errShape
		}
		seg.p[i] = p
		s.grow(p[0], p[1])
	}
	s.segs = append(s.segs, seg)
	return nil
}

// scaled returns s scaled by k about the glyph's origin.
func (s *glyphShape) scaled(k float64) *glyphShape {
	o := &glyphShape{segs: make([]pathSeg, len(s.segs)), box: rect{s.box.x0 * k, s.box.y0 * k, s.box.x1 * k, s.box.y1 * k}, empty: s.empty}
	for i, sg := range s.segs {
		for n := range sg.p {
			sg.p[n] = [2]float64{sg.p[n][0] * k, sg.p[n][1] * k}
		}
		o.segs[i] = sg
	}
	for _, m := range s.masks {
		o.masks = append(o.masks, glyphMask{m: m.m.mul(matrix{k, 0, 0, k, 0, 0}), img: m.img})
	}
	return o
}

// render rasterises s at px pixels per em with pad pixels of white on
// every side; nil when it paints nothing or would be too large.
func (s *glyphShape) render(px float64, pad int) *image.Gray {
	if s.empty {
		return nil
	}
	w := int(math.Ceil((s.box.x1-s.box.x0)*px)) + 2*pad
	h := int(math.Ceil((s.box.y1-s.box.y0)*px)) + 2*pad
	if w <= 2*pad || h <= 2*pad || w*h > maxGlyphPixels {
		return nil
	}
	at := func(p [2]float64) (float32, float32) {
		return float32((p[0]-s.box.x0)*px + float64(pad)), float32((s.box.y1-p[1])*px + float64(pad))
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	if len(s.segs) > 0 {
		z := vector.NewRasterizer(w, h)
		open := false
		for _, sg := range s.segs {
			switch sg.op {
			case 'M':
				if open {
					z.ClosePath()
				}
				z.MoveTo(at(sg.p[0]))
				open = true
			case 'L':
				z.LineTo(at(sg.p[0]))
			case 'Q':
				x0, y0 := at(sg.p[0])
				x1, y1 := at(sg.p[1])
				z.QuadTo(x0, y0, x1, y1)
			case 'C':
				x0, y0 := at(sg.p[0])
				x1, y1 := at(sg.p[1])
				x2, y2 := at(sg.p[2])
				z.CubeTo(x0, y0, x1, y1, x2, y2)
			case 'Z':
				if open {
					z.ClosePath()
					open = false
				}
			}
		}
		if open {
			z.ClosePath()
		}
		a := image.NewAlpha(g.Rect)
		z.Draw(a, a.Rect, image.Opaque, image.Point{})
		for i, v := range a.Pix {
			g.Pix[i] = 255 - v
		}
	}
	for _, m := range s.masks {
		inv, ok := m.m.invert()
		if !ok {
			continue
		}
		mw, mh := m.img.Rect.Dx(), m.img.Rect.Dy()
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				ex := (float64(x)+0.5-float64(pad))/px + s.box.x0
				ey := s.box.y1 - (float64(y)+0.5-float64(pad))/px
				u, v := inv.apply(ex, ey)
				if u < 0 || v < 0 || u >= 1 || v >= 1 {
					continue
				}
				ix, iy := int(u*float64(mw)), int((1-v)*float64(mh))
				if iy >= mh {
					iy = mh - 1
				}
				if m.img.Pix[iy*m.img.Stride+ix] < 128 {
					g.Pix[y*g.Stride+x] = 0
				}
			}
		}
	}
	return g
}

// type3Shape runs the procedure of the Type 3 glyph named name of the font
// dictionary d (font matrix fm) for its ink.
func (r *reader) type3Shape(d types.Dict, fm matrix, name string) (*glyphShape, error) {
	sd, nr := r.stream(r.dict(d["CharProcs"])[name])
	if sd == nil {
		return nil, errShape
	}
	data, err := r.decodeOnce(sd, nr)
	if err != nil {
		return nil, errShape
	}
	return r.type3ShapeData(data, r.dict(d["Resources"]), fm)
}

// type3ShapeData runs a Type 3 glyph procedure (data, with the font's
// resources res) for its ink.
func (r *reader) type3ShapeData(data []byte, res types.Dict, fm matrix) (*glyphShape, error) {
	s := newShape()
	ctm := fm
	var stack []matrix
	var nums []float64
	var path []pathSeg // in em space, pending a fill
	var cur, start [2]float64
	pt := func(x, y float64) [2]float64 {
		a, b := ctm.apply(x, y)
		return [2]float64{a, b}
	}
	need := func(n int) bool { return len(nums) >= n }
	last := func(n int) []float64 { return nums[len(nums)-n:] }
	l := &lexer{data: data}
	var prevName string
	ops := 0
	for t := l.next(); t.kind != tEOF; t = l.next() {
		switch t.kind {
		case tNum:
			v, _ := number(data[t.start:t.end])
			nums = append(nums, v)
			continue
		case tName:
			prevName = nameString(data[t.start:t.end])
			continue
		case tOp:
		default:
			// Strings, arrays and dictionaries draw nothing a glyph
			// procedure may use here (dash arrays are skipped).
			if t.kind == tArrOpen {
				for u := l.next(); u.kind != tEOF && u.kind != tArrClose; u = l.next() {
				}
			}
			continue
		}
		if ops++; ops > maxShapeOps {
			return nil, errShape
		}
		op := string(data[t.start:t.end])
		switch op {
		case "d0", "d1", "w", "J", "j", "M", "d", "i", "ri", "gs", "g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN", "W", "W*":
		case "q":
			if len(stack) >= 32 {
				return nil, errShape
			}
			stack = append(stack, ctm)
		case "Q":
			if len(stack) > 0 {
				ctm, stack = stack[len(stack)-1], stack[:len(stack)-1]
			}
		case "cm":
			if !need(6) {
				return nil, errShape
			}
			v := last(6)
			m := matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
			if !m.finite() {
				return nil, errShape
			}
			ctm = m.mul(ctm)
		case "m":
			if !need(2) {
				return nil, errShape
			}
			v := last(2)
			cur = pt(v[0], v[1])
			start = cur
			path = append(path, pathSeg{op: 'M', p: [3][2]float64{cur}})
		case "l":
			if !need(2) {
				return nil, errShape
			}
			v := last(2)
			cur = pt(v[0], v[1])
			path = append(path, pathSeg{op: 'L', p: [3][2]float64{cur}})
		case "c":
			if !need(6) {
				return nil, errShape
			}
			v := last(6)
			a, b := pt(v[0], v[1]), pt(v[2], v[3])
			cur = pt(v[4], v[5])
			path = append(path, pathSeg{op: 'C', p: [3][2]float64{a, b, cur}})
		case "v":
			if !need(4) {
				return nil, errShape
			}
			v := last(4)
			b := pt(v[0], v[1])
			a := cur
			cur = pt(v[2], v[3])
			path = append(path, pathSeg{op: 'C', p: [3][2]float64{a, b, cur}})
		case "y":
			if !need(4) {
				return nil, errShape
			}
			v := last(4)
			a := pt(v[0], v[1])
			cur = pt(v[2], v[3])
			path = append(path, pathSeg{op: 'C', p: [3][2]float64{a, cur, cur}})
		case "h":
			path = append(path, pathSeg{op: 'Z'})
			cur = start
		case "re":
			if !need(4) {
				return nil, errShape
			}
			v := last(4)
			x, y, w, h := v[0], v[1], v[2], v[3]
			path = append(path,
				pathSeg{op: 'M', p: [3][2]float64{pt(x, y)}},
				pathSeg{op: 'L', p: [3][2]float64{pt(x+w, y)}},
				pathSeg{op: 'L', p: [3][2]float64{pt(x+w, y+h)}},
				pathSeg{op: 'L', p: [3][2]float64{pt(x, y+h)}},
				pathSeg{op: 'Z'})
			cur = pt(x, y)
			start = cur
		case "f", "F", "f*", "B", "B*", "b", "b*":
			for _, sg := range path {
				n := map[byte]int{'M': 1, 'L': 1, 'Q': 2, 'C': 3, 'Z': 0}[sg.op]
				if err := s.add(sg.op, sg.p[:n]...); err != nil {
					return nil, err
				}
			}
			path = path[:0]
		case "n":
			path = path[:0]
		case "BI":
			iops, raw, ok := l.inlineImage()
			if !ok {
				return nil, errShape
			}
			isd := r.inlineStream(data, iops, raw, res)
			if isd == nil {
				return nil, errShape
			}
			if err := s.addMask(r, isd, ctm); err != nil {
				return nil, err
			}
		case "Do":
			xsd, _ := r.stream(r.dict(res["XObject"])[prevName])
			if xsd == nil || r.name(xsd.Dict["Subtype"]) != "Image" {
				return nil, errShape
			}
			if err := s.addMask(r, xsd, ctm); err != nil {
				return nil, err
			}
		default:
			// Strokes, shadings, text, forms: not drawn here.
			return nil, errShape
		}
		nums = nums[:0]
	}
	return s, nil
}

// addMask adds an image painted by a glyph procedure at ctm.
func (s *glyphShape) addMask(r *reader, sd *types.StreamDict, ctm matrix) error {
	if len(s.masks) >= maxShapeMasks {
		return errShape
	}
	g, err := (&Document{r: r}).grayImage(sd, false)
	if err != nil || g == nil {
		return errShape
	}
	for _, p := range [][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		x, y := ctm.apply(p[0], p[1])
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
			return errShape
		}
		s.grow(x, y)
	}
	s.masks = append(s.masks, glyphMask{m: ctm, img: g})
	return nil
}

// glyfShape reads glyph g of a TrueType program's glyf table.
func (tt *trueType) glyfShape(g uint16) (*glyphShape, error) {
	if tt == nil || tt.glyf == nil || tt.upem <= 0 {
		return nil, errShape
	}
	s := newShape()
	k := 1 / float64(tt.upem)
	if err := tt.addGlyf(s, g, matrix{k, 0, 0, k, 0, 0}, 0); err != nil {
		return nil, err
	}
	return s, nil
}

// glyfData returns the bytes of glyph g (nil for an empty glyph).
func (tt *trueType) glyfData(g uint16) ([]byte, bool) {
	var a, b int
	var ok1, ok2 bool
	if tt.longLoca {
		a, ok1 = u32(tt.loca, 4*int(g))
		b, ok2 = u32(tt.loca, 4*int(g)+4)
	} else {
		a, ok1 = u16(tt.loca, 2*int(g))
		b, ok2 = u16(tt.loca, 2*int(g)+2)
		a, b = 2*a, 2*b
	}
	if !ok1 || !ok2 || a > b || b > len(tt.glyf) {
		return nil, false
	}
	return tt.glyf[a:b], true
}

func (tt *trueType) addGlyf(s *glyphShape, g uint16, m matrix, depth int) error {
	if depth > maxGlyphDepth {
		return errShape
	}
	data, ok := tt.glyfData(g)
	if !ok {
		return errShape
	}
	if len(data) == 0 {
		return nil
	}
	nc, _ := u16(data, 0)
	if int16(nc) >= 0 {
		return addSimpleGlyf(s, data, int(nc), m)
	}
	// Composite (OpenType glyf: flags, glyph index, arguments, scale).
	const (
		argWords   = 0x1
		argsXY     = 0x2
		oneScale   = 0x8
		moreComps  = 0x20
		xyScale    = 0x40
		twoByTwo   = 0x80
		components = 64
	)
	off := 10
	for n := 0; n < components; n++ {
		flags, ok1 := u16(data, off)
		gi, ok2 := u16(data, off+2)
		if !ok1 || !ok2 {
			return errShape
		}
		off += 4
		if flags&argsXY == 0 {
			return errShape // placed by matching points: not read
		}
		var dx, dy float64
		if flags&argWords != 0 {
			a, ok1 := u16(data, off)
			b, ok2 := u16(data, off+2)
			if !ok1 || !ok2 {
				return errShape
			}
			dx, dy = float64(int16(a)), float64(int16(b))
			off += 4
		} else {
			if off+2 > len(data) {
				return errShape
			}
			dx, dy = float64(int8(data[off])), float64(int8(data[off+1]))
			off += 2
		}
		f2 := func() (float64, bool) {
			v, ok := u16(data, off)
			off += 2
			return float64(int16(v)) / 16384, ok
		}
		a, b, c, d := 1.0, 0.0, 0.0, 1.0
		ok = true
		switch {
		case flags&oneScale != 0:
			a, ok = f2()
			d = a
		case flags&xyScale != 0:
			var ok2 bool
			a, ok = f2()
			d, ok2 = f2()
			ok = ok && ok2
		case flags&twoByTwo != 0:
			var o2, o3, o4 bool
			a, ok = f2()
			b, o2 = f2()
			c, o3 = f2()
			d, o4 = f2()
			ok = ok && o2 && o3 && o4
		}
		if !ok {
			return errShape
		}
		cm := matrix{a, b, c, d, dx, dy}.mul(m)
		if err := tt.addGlyf(s, uint16(gi), cm, depth+1); err != nil {
			return err
		}
		if flags&moreComps == 0 {
			return nil
		}
	}
	return errShape
}

// addSimpleGlyf adds the contours of a simple glyph (nc contours).
func addSimpleGlyf(s *glyphShape, data []byte, nc int, m matrix) error {
	const (
		onCurve = 0x1
		xShort  = 0x2
		yShort  = 0x4
		repeat  = 0x8
		xSame   = 0x10
		ySame   = 0x20
	)
	ends := make([]int, nc)
	off := 10
	np := 0
	for i := range ends {
		e, ok := u16(data, off)
		if !ok || e < np-1 && i > 0 {
			return errShape
		}
		ends[i], np = e, e+1
		off += 2
	}
	if np > maxShapeSegs {
		return errShape
	}
	il, ok := u16(data, off)
	if !ok {
		return errShape
	}
	off += 2 + il
	flags := make([]byte, 0, np)
	for len(flags) < np {
		if off >= len(data) {
			return errShape
		}
		f := data[off]
		off++
		flags = append(flags, f)
		if f&repeat != 0 {
			if off >= len(data) {
				return errShape
			}
			n := int(data[off])
			off++
			for k := 0; k < n && len(flags) < np; k++ {
				flags = append(flags, f)
			}
		}
	}
	coord := func(short, same byte) ([]float64, bool) {
		out := make([]float64, np)
		v := 0
		for i, f := range flags {
			switch {
			case f&short != 0:
				if off >= len(data) {
					return nil, false
				}
				d := int(data[off])
				off++
				if f&same == 0 {
					d = -d
				}
				v += d
			case f&same == 0:
				d, ok := u16(data, off)
				if !ok {
					return nil, false
				}
				off += 2
				v += int(int16(d))
			}
			out[i] = float64(v)
		}
		return out, true
	}
	xs, ok := coord(xShort, xSame)
	if !ok {
		return errShape
	}
	ys, ok := coord(yShort, ySame)
	if !ok {
		return errShape
	}
	p := func(i int) [2]float64 {
		x, y := m.apply(xs[i], ys[i])
		return [2]float64{x, y}
	}
	mid := func(a, b [2]float64) [2]float64 { return [2]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2} }
	first := 0
	for _, e := range ends {
		if e < first {
			first = e + 1
			continue
		}
		n := e - first + 1
		// Start at an on-curve point, or the midpoint of two off ones.
		k0 := -1
		for k := 0; k < n; k++ {
			if flags[first+k]&onCurve != 0 {
				k0 = k
				break
			}
		}
		var startPt [2]float64
		if k0 < 0 {
			startPt, k0 = mid(p(first), p(first+n-1)), 0
		} else {
			startPt = p(first + k0)
			k0++
		}
		if err := s.add('M', startPt); err != nil {
			return err
		}
		var ctrl [2]float64
		haveCtrl := false
		for j := 0; j < n; j++ {
			i := first + (k0+j)%n
			q := p(i)
			if flags[i]&onCurve != 0 {
				if haveCtrl {
					if err := s.add('Q', ctrl, q); err != nil {
						return err
					}
					haveCtrl = false
				} else if err := s.add('L', q); err != nil {
					return err
				}
				continue
			}
			if haveCtrl {
				if err := s.add('Q', ctrl, mid(ctrl, q)); err != nil {
					return err
				}
			}
			ctrl, haveCtrl = q, true
		}
		if haveCtrl {
			if err := s.add('Q', ctrl, startPt); err != nil {
				return err
			}
		}
		if err := s.add('Z'); err != nil {
			return err
		}
		first = e + 1
	}
	return nil
}
