package pdf

import (
	"math"
	"sort"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// What is drawn over text that is not drawn (issue 19, undrawn.go). A
// finding whose glyphs paint nothing is passed over on a page read as an
// image only when nothing could show it there. Two more things could:
//
//   - something drawn after the glyphs over their boxes (a path filled or
//     stroked, an image, a shading, visible text): the rendering then shows
//     that drawing where the glyphs are, so "no ink under the boxes" says
//     nothing of the glyphs (a box drawn over a value is what a careless
//     redaction looks like);
//   - an annotation: viewers and pdftoppm draw its appearance over the page
//     (a stamp, a free-text note, a form widget), which the page's content
//     does not hold. One whose box meets the glyphs' is drawn over them;
//     one whose appearance draws an image or text (or that has none, which
//     a viewer may generate) counts as a picture of the page.
//
// Either refuses the pass-over (fail closed).

// paint is the bounds, in page space, of something a page paints besides
// text, and where in the drawing order: operator op of instance inst.
type paint struct {
	inst, op int32
	box      rect
}

// maxPaints bounds the paints recorded for a page; past it every undrawn
// finding of the page counts as drawn over.
const maxPaints = 1 << 16

// addPaint records b, painted by operator op of instance id, when the
// instance draws in page space (a tiling pattern's cell is drawn where
// the pattern fills, which is recorded).
func (in *interp) addPaint(id, op int, b rect) {
	if in.pm.insts[id].space != 0 || in.pm.paintsFull {
		return
	}
	if len(in.pm.paints) >= maxPaints {
		in.pm.paintsFull, in.pm.paints = true, nil
		return
	}
	in.pm.paints = append(in.pm.paints, paint{int32(id), int32(op), b})
}

// scale returns how much m magnifies a length (the square root of its
// determinant's magnitude; 1 for a degenerate matrix).
func (m matrix) scale() float64 {
	s := math.Sqrt(math.Abs(m[0]*m[3] - m[1]*m[2]))
	if s == 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		return 1
	}
	return s
}

// drawOrder compares positions in the drawing order of a page's
// instances: an operator of a form is drawn when its parent's Do is.
type drawOrder struct {
	insts []instance
	path  map[int32][]int32 // instance -> the operator indexes from the page down to its Do
}

func newDrawOrder(pm *pageModel) *drawOrder {
	return &drawOrder{insts: pm.insts, path: map[int32][]int32{}}
}

// prefix returns the operator indexes, from the page's content down, of
// the Do (or other operator) that draws instance id.
func (o *drawOrder) prefix(id int32) []int32 {
	if p, ok := o.path[id]; ok {
		return p
	}
	var rev []int32
	for k, cur := 0, id; cur > 0 && int(cur) < len(o.insts) && k < len(o.insts); k++ {
		rev = append(rev, int32(o.insts[cur].parentOp))
		cur = int32(o.insts[cur].parent)
	}
	p := make([]int32, len(rev))
	for i := range rev {
		p[i] = rev[len(rev)-1-i]
	}
	o.path[id] = p
	return p
}

// after reports whether operator opA of instance a is drawn after
// operator opB of instance b. When one contains the other (a form and an
// operator inside it), it is taken as after (fail closed).
func (o *drawOrder) after(a, opA, b, opB int32) bool {
	pa := append(append([]int32(nil), o.prefix(a)...), opA)
	pb := append(append([]int32(nil), o.prefix(b)...), opB)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			return pa[i] > pb[i]
		}
	}
	return len(pa) != len(pb)
}

// drawnOver reports whether something is drawn over the glyphs of edit e
// of page model pm after them (crop: the page's crop box): a paint, or a
// glyph that is drawn, whose bounds meet a glyph box of e. A glyph of e in
// a tiling pattern's cell, or a page with more paints than recorded,
// counts as drawn over.
func drawnOver(pm *pageModel, e redactors.Edit, crop rect) bool {
	if pm.paintsFull {
		return true
	}
	gl := pm.text.glyphs
	var boxes []rect
	first := [2]int32{-1, -1}
	ord := newDrawOrder(pm)
	lo := sort.Search(len(gl), func(i int) bool { return int(gl[i].end) > e.Start })
	hi := lo
	for i := lo; i < len(gl) && int(gl[i].start) < e.End; i++ {
		hi = i + 1
		g := &gl[i]
		if !g.meets(e.Start, e.End) {
			continue
		}
		if pm.insts[g.inst].space != 0 {
			return true
		}
		boxes = append(boxes, g.bounds())
		if first[0] < 0 || ord.after(first[0], first[1], g.inst, g.op) {
			first = [2]int32{g.inst, g.op}
		}
	}
	if len(boxes) == 0 {
		return false
	}
	meets := func(b rect) bool {
		for _, x := range boxes {
			if x.intersects(b) {
				return true
			}
		}
		return false
	}
	for _, p := range pm.paints {
		if meets(p.box) && ord.after(p.inst, p.op, first[0], first[1]) {
			return true
		}
	}
	for i := range gl {
		if i >= lo && i < hi {
			continue // the edit's own glyphs (and those between them)
		}
		g := &gl[i]
		if pm.insts[g.inst].space != 0 || undrawnOf(g, 0, crop) != 0 {
			continue
		}
		if meets(g.bounds()) && ord.after(g.inst, g.op, first[0], first[1]) {
			return true
		}
	}
	return false
}

// annotsOver looks at the annotations of page i: over reports one whose
// box meets one of boxes (page space), pictures counts those whose
// appearance draws an image or text, or that have none and are not of a
// type drawn as an icon or a shape (iconOnly). A link without an
// appearance, a pop-up, a hidden or NoView annotation, and one whose
// appearance streams hold no painting operator (appearancePaints) are not
// (pdftoppm draws nothing of them over the page, and its rendering is
// what the page becomes).
func (d *Document) annotsOver(i int, boxes []rect) (over bool, pictures int) {
	annots, _ := d.r.resolve(d.pages[i].dict["Annots"]).(types.Array)
	for _, ao := range annots {
		a := d.r.dict(ao)
		if a == nil {
			continue
		}
		ap := d.r.dict(a["AP"])
		sub := d.r.name(a["Subtype"])
		if sub == "Popup" || sub == "Link" && ap == nil {
			continue
		}
		// Hidden and NoView annotations are not drawn on screen, and
		// pdftoppm, whose rendering is what the page becomes, draws for
		// the screen (poppler's Annot::isVisible, printing false).
		if int(d.r.num(a["F"]))&(annotHidden|annotNoView) != 0 {
			continue
		}
		// An appearance that paints nothing (an empty stream, a clip
		// alone: a link's or a widget's placeholder) draws nothing over
		// the glyphs, whatever its box; pdftoppm draws appearances only.
		if ap != nil && !d.appearancePaints(ap) {
			continue
		}
		if r := d.r.numbers(a["Rect"]); len(r) == 4 {
			b := rect{math.Min(r[0], r[2]), math.Min(r[1], r[3]), math.Max(r[0], r[2]), math.Max(r[1], r[3])}
			for _, x := range boxes {
				if x.intersects(b) {
					over = true
				}
			}
		} else {
			over = true // no box: anywhere
		}
		if ap == nil && !iconOnly[sub] || ap != nil && d.appearanceShows(ap) {
			pictures++
		}
	}
	return over, pictures
}

// iconOnly are the annotation types for which a viewer, when the
// annotation has no appearance, draws an icon or a shape, not text: any
// other type without one (a free-text note, a stamp, a widget) may be
// drawn with text and counts as a picture.
var iconOnly = map[string]bool{
	"Text": true, "Line": true, "Square": true, "Circle": true, "Polygon": true, "PolyLine": true,
	"Highlight": true, "Underline": true, "Squiggly": true, "StrikeOut": true, "Ink": true,
	"Caret": true, "FileAttachment": true, "Sound": true,
}

// paintOps are the operators that paint (ISO 32000-1 8.5.3, 8.7, 8.8,
// 9.4.3, 8.9.7): path painting (but n), text showing, XObjects, shadings
// and inline images. Text in rendering mode 3 paints nothing but is
// counted (fail closed).
var paintOps = map[string]bool{
	"S": true, "s": true, "f": true, "F": true, "f*": true, "B": true, "B*": true, "b": true, "b*": true,
	"Tj": true, "TJ": true, "'": true, "\"": true, "Do": true, "sh": true, "BI": true, "ID": true, "EI": true,
}

// appearancePaints reports whether any stream of an appearance
// dictionary holds a painting operator (paintOps), as appearanceOps
// decides (fail closed).
func (d *Document) appearancePaints(ap types.Dict) bool {
	return d.appearanceOps(ap, func(op string) bool { return paintOps[op] })
}

// appearanceShows reports whether an appearance dictionary's streams
// draw an image, a shading, a pattern, text or another XObject, as
// appearanceOps decides (fail closed).
func (d *Document) appearanceShows(ap types.Dict) bool {
	return d.appearanceOps(ap, func(op string) bool {
		switch op {
		case "Do", "BI", "sh", "scn", "SCN", "Tj", "TJ", "'", "\"":
			return true
		}
		return false
	})
}

// appearanceOps reports whether any stream of an appearance dictionary
// (/N, /R, /D, each a stream or a dictionary of states) holds an operator
// match accepts. Fail closed: an entry that is neither a stream nor a
// dictionary, a state that is not a stream or does not resolve, and a
// stream that does not decode all count as holding one.
func (d *Document) appearanceOps(ap types.Dict, match func(op string) bool) bool {
	var streams []types.Object
	for _, k := range []string{"N", "R", "D"} {
		o := ap[k]
		if o == nil {
			continue
		}
		if sd, _ := d.r.stream(o); sd != nil {
			streams = append(streams, o)
			continue
		}
		states := d.r.dict(o)
		if states == nil {
			return true
		}
		for _, st := range states {
			streams = append(streams, st)
		}
	}
	for _, o := range streams {
		sd, nr := d.r.stream(o)
		if sd == nil {
			return true
		}
		data, err := d.r.decode(sd, nr)
		if err != nil {
			return true
		}
		l := &lexer{data: data}
		for t := l.next(); t.kind != tEOF; t = l.next() {
			if t.kind == tOp && match(string(data[t.start:t.end])) {
				return true
			}
		}
	}
	return false
}
