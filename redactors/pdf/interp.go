package pdf

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// The content stream interpreter (PDF 32000-1 8.2-8.4, 9.3-9.4, 8.10): it
// follows the graphics and text state, places every glyph on the page,
// descends into Form XObjects, and notes images and painted paths. The
// same code runs twice: once to read a page (parse pass), once to rewrite
// the streams of a page with redactions (rewrite pass), so both passes see
// exactly the same operators, glyphs and forms.

type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (apply m first, then n).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

// degenerate reports a matrix that collapses the plane onto a line or a
// point (determinant zero, or so small against the matrix's own scale that
// glyphs drawn through it have no extent a renderer shows).
func degenerate(m matrix) bool {
	det := m[0]*m[3] - m[1]*m[2]
	scale := math.Max(math.Abs(m[0])+math.Abs(m[1]), math.Abs(m[2])+math.Abs(m[3]))
	return scale == 0 || math.Abs(det) <= 1e-6*scale*scale
}

func (m matrix) finite() bool {
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

type gstate struct {
	ctm                matrix
	tc, tw, th, tl, ts float64
	tfs                float64
	font               *font
	tr                 int
	// The fill colour as a grey level (0 black … 1 white) and the
	// components of its colour space: 0 or 1 grey, 3 RGB, 4 CMYK (device,
	// calibrated or ICC based); fcs -1 another space, fill -1 unknown.
	fill float64
	fcs  int
	// clip bounds the clipping path in page space when hasClip.
	clip    rect
	hasClip bool
	// lw is the line width in user space (0: the default, 1).
	lw float64
}

// fillOf returns the grey level of colour components v in a space of
// fcs components (see gstate), -1 when it is not known.
func fillOf(fcs int, v []float64) float64 {
	c := func(x float64) float64 { return math.Max(0, math.Min(1, x)) }
	switch {
	case (fcs == 0 || fcs == 1) && len(v) == 1:
		return c(v[0])
	case fcs == 3 && len(v) == 3:
		return 0.299*c(v[0]) + 0.587*c(v[1]) + 0.114*c(v[2])
	case fcs == 4 && len(v) == 4:
		k := 1 - c(v[3])
		return (0.299*(1-c(v[0])) + 0.587*(1-c(v[1])) + 0.114*(1-c(v[2]))) * k
	}
	return -1
}

// spaceComponents returns the components of colour space cs (a name or
// an array) as gstate.fcs says them: 1, 3 or 4 for the device, calibrated
// and ICC spaces, whose fill grey can be computed; -1 for every other
// space (Indexed, Separation, DeviceN, Lab, Pattern, unknown), whose fill
// counts as drawn. The count itself is the image code's (components).
func (r *reader) spaceComponents(cs types.Object) int {
	if a, ok := r.resolve(cs).(types.Array); ok && len(a) > 0 {
		switch r.name(a[0]) {
		case "CalGray", "CalRGB", "ICCBased":
		default:
			return -1
		}
	}
	if n := r.components(cs); n == 1 || n == 3 || n == 4 {
		return n
	}
	return -1
}

// instance is one drawing of a content stream: the page's content, or a
// Form XObject drawn by a Do operator of its parent instance.
type instance struct {
	parent   int // -1 for the page content
	parentOp int // index of the Do operator in the parent
	data     []byte
	res      types.Dict
	formNr   int // object number of the form, pattern or group (0 for the page)
	form     *types.StreamDict
	kind     instKind
	// space is the instance whose coordinate space the glyphs and boxes of
	// this instance are in: 0 (the page) or a tiling pattern, whose cell is
	// drawn in every tile. ctm0 is a pattern's CTM at its start.
	space int
	ctm0  matrix
	// shown holds the spans (start, end pairs) of the strings the parse
	// pass read as text: what the leak check need not read again as bytes.
	shown []int32
}

// instKind says what drew an instance.
type instKind uint8

const (
	instPage    instKind = iota
	instForm             // a Form XObject, drawn by Do
	instPattern          // a tiling pattern's cell, selected by scn or SCN
	instSMask            // a soft mask's transparency group, set by gs
)

// pageModel is what the parse pass learns about one page.
type pageModel struct {
	// raster: the page's fonts cannot all be read as text; it is read
	// and written as an image (raster.go).
	raster   bool
	insts    []instance
	parts    []contentPart  // the page's content streams within insts[0].data
	children map[[2]int]int // (instance, op index of Do) -> child instance
	text     textBuilder
	images   int // image XObjects and inline images drawn
	// pictures counts the images drawn, shadings painted and patterns
	// selected, kept when the page is read as an image (raster.go): what
	// could show a picture of text that its text layer does not place.
	pictures int
	imgUses  []imageUse // every image drawn (images.go)
	// dropInline are the inline images drawn without a text layer over
	// them, which the rewrite pass removes.
	dropInline map[opKey]bool
	// inlineOCR are the inline images OCR read text on, which the
	// rewrite pass writes as image XObjects (inline.go).
	inlineOCR map[opKey]bool
	curves    int             // curve segments painted
	scanned   bool            // images and no text, read by OCR (scanpages.go)
	strip     int             // marked-content dictionaries with replacement text
	usedX     map[string]bool // XObjects the page content draws
	usedP     map[string]bool // patterns the page content selects
	alts      []altReading    // other readings of the page's glyphs
	// paints are the bounds of what the page paints besides text (paths
	// filled or stroked, images, shadings), in page space and drawing
	// order, for the rule on text that is not drawn (overdraw.go);
	// paintsFull: there were more than maxPaints.
	paints     []paint
	paintsFull bool
	// unread are the boxes, in page space, of the glyphs a lenient read
	// passed over (no reading maps their codes), at most maxPaints: where
	// text that only pdftotext reads may be drawn (legible.go).
	unread []rect
}

// rect is an axis-aligned rectangle in page space.
type rect struct{ x0, y0, x1, y1 float64 }

func (a rect) intersects(b rect) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

func (a rect) inside(b rect) bool {
	return a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1
}

// ctxEvery is how many operators the interpreter runs between checks of
// its context.
const ctxEvery = 4096

// interp runs content streams of one page.
type interp struct {
	ctx    context.Context // checked every ctxEvery operators; nil: never
	r      *reader
	pm     *pageModel
	pageNo int
	ops    int
	forms  int
	codes  []code
	// rewrite pass only
	rw *rewriter
	// lenient reads a page whose fonts cannot all be read as text (to be
	// read as an image, raster.go): glyphs no reading maps are passed
	// over instead of failing the page, so that the other fonts' text is
	// read.
	lenient bool
}

func (in *interp) fail(reason *redactors.Reason, format string, args ...any) error {
	return fmt.Errorf("page %d: %s: %w", in.pageNo, fmt.Sprintf(format, args...), reason)
}

// run interprets instance id with the graphics state gs.
func (in *interp) run(id int, gs gstate, depth int) error {
	inst := &in.pm.insts[id]
	data := inst.data
	l := &lexer{data: data}
	var (
		args     []operand
		argStart = -1
		stack    []gstate
		tm, tlm  matrix
		path     rect
		havePath bool
		clipNext bool // a W or W*: the next path-painting operator clips
		opIndex  = -1
		out      *streamOut
		inText   bool
		base     = gs.ctm // the instance's own space: a tiling pattern's matrix maps to it
	)
	if in.rw != nil {
		out = in.rw.begin(id)
	}
	addPoint := func(x, y float64) {
		x, y = gs.ctm.apply(x, y)
		if !havePath {
			path = rect{x, y, x, y}
			havePath = true
			return
		}
		path.x0, path.y0 = math.Min(path.x0, x), math.Min(path.y0, y)
		path.x1, path.y1 = math.Max(path.x1, x), math.Max(path.y1, y)
	}
	for {
		t := l.next()
		if t.kind == tEOF {
			if l.open {
				// The boxes and stamps Redact appends would be read as part
				// of the string: missing from the output, silently.
				return in.fail(redactors.ErrCorrupt, "content ends inside a string or an inline image")
			}
			break
		}
		if t.kind != tOp {
			if t.kind == tJunk || t.kind == tArrClose || t.kind == tDictClose {
				args, argStart = args[:0], -1
				continue
			}
			o, err := l.parseOperand(t, 0)
			if err != nil {
				args, argStart = args[:0], -1
				continue
			}
			if argStart < 0 {
				argStart = t.start
			}
			if len(args) < 64 {
				args = append(args, o)
			}
			continue
		}
		opIndex++
		in.ops++
		if in.ops%ctxEvery == 0 && in.ctx != nil {
			if err := in.ctx.Err(); err != nil {
				return fmt.Errorf("page %d: %w", in.pageNo, err)
			}
		}
		if in.ops > maxOpsPerPage {
			return in.fail(redactors.ErrUninspectable, "more than %d operators", maxOpsPerPage)
		}
		start := argStart
		if start < 0 {
			start = t.start
		}
		op := string(data[t.start:t.end])
		nums := func(n int) ([]float64, bool) {
			if len(args) < n {
				return nil, false
			}
			v := make([]float64, n)
			for i, a := range args[len(args)-n:] {
				if !a.isNum() {
					return nil, false
				}
				v[i] = a.num
			}
			return v, true
		}
		switch op {
		case "q":
			if len(stack) < maxGStateDepth {
				stack = append(stack, gs)
			}
		case "Q":
			if len(stack) > 0 {
				gs = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if v, ok := nums(6); ok {
				m := matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
				if m.finite() {
					gs.ctm = m.mul(gs.ctm)
				}
			}
		case "BT":
			tm, tlm, inText = identity, identity, true
		case "ET":
			inText = false
		case "Tc":
			if v, ok := nums(1); ok {
				gs.tc = v[0]
			}
		case "Tw":
			if v, ok := nums(1); ok {
				gs.tw = v[0]
			}
		case "Tz":
			if v, ok := nums(1); ok {
				gs.th = v[0] / 100
			}
		case "TL":
			if v, ok := nums(1); ok {
				gs.tl = v[0]
			}
		case "Ts":
			if v, ok := nums(1); ok {
				gs.ts = v[0]
			}
		case "Tr":
			if v, ok := nums(1); ok {
				gs.tr = int(v[0])
			}
		case "Tf":
			if len(args) >= 2 && args[len(args)-2].tok.kind == tName && args[len(args)-1].isNum() {
				nt := args[len(args)-2].tok
				gs.tfs = args[len(args)-1].num
				fonts := in.r.dict(inst.res["Font"])
				gs.font = nil
				if fonts != nil {
					gs.font = in.r.fontFor(fonts[nameString(data[nt.start:nt.end])])
				}
			}
		case "Td", "TD":
			if v, ok := nums(2); ok {
				if op == "TD" {
					gs.tl = -v[1]
				}
				tlm = matrix{1, 0, 0, 1, v[0], v[1]}.mul(tlm)
				tm = tlm
			}
		case "Tm":
			if v, ok := nums(6); ok {
				m := matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
				if m.finite() {
					tm, tlm = m, m
				}
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
			tm = tlm
		case "Tj", "'", "\"", "TJ":
			if !inText {
				tm, tlm = identity, identity // tolerated: shown outside BT
			}
			if op == "'" || op == "\"" {
				if op == "\"" {
					if v, ok := nums(3); ok {
						gs.tw, gs.tc = v[0], v[1]
					}
				}
				tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
				tm = tlm
			}
			if len(args) == 0 {
				break
			}
			a := &args[len(args)-1]
			// The font of the graphics state, which Q restores: a font set
			// between q and Q is gone after Q.
			if gs.font == nil {
				if (a.isStr() || (a.tok.kind == tArrOpen && hasString(a))) && !in.lenient {
					return in.failFont("text shown without a usable font")
				}
				break
			}
			var err error
			tm, err = in.show(id, opIndex, op, a, data, &gs, tm, out, start, t.end)
			if err != nil {
				return err
			}
		case "Do":
			if len(args) == 0 || args[len(args)-1].tok.kind != tName {
				break
			}
			nt := args[len(args)-1].tok
			name := nameString(data[nt.start:nt.end])
			xo := in.r.dict(inst.res["XObject"])
			if xo == nil {
				break
			}
			ref := xo[name]
			sd, nr := in.r.stream(ref)
			if sd == nil {
				break
			}
			if out == nil && id == 0 {
				in.pm.usedX[name] = true
			}
			replaced := false
			var err error
			switch in.r.name(sd.Dict["Subtype"]) {
			case "Image":
				in.pm.images++
				in.pm.pictures++
				replaced, err = in.image(id, opIndex, gs.ctm, out, start, t.end, sd, nr, nil)
			case "Form":
				replaced, err = in.form(id, opIndex, name, gs, sd, nr, inst.res, depth, out, start, t.end)
			}
			if err != nil {
				return err
			}
			if out != nil && !replaced {
				out.kept[name] = true // still drawn under its own name
			}
		case "sh":
			in.pm.pictures++
			if out == nil { // fills the clip, or the whole page
				b := rect{math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1)}
				if gs.hasClip {
					b = gs.clip
				}
				in.addPaint(id, opIndex, b)
			}
		case "scn", "SCN":
			if op == "scn" {
				gs.fill = -1
				if n := len(args); n > 0 && n <= 4 {
					if v, ok := nums(n); ok {
						gs.fill = fillOf(gs.fcs, v)
					}
				}
			}
			// A tiling pattern's cell is a content stream: its text is
			// text of the page.
			if len(args) == 0 || args[len(args)-1].tok.kind != tName {
				break
			}
			nt := args[len(args)-1].tok
			name := nameString(data[nt.start:nt.end])
			in.pm.pictures++
			sd, nr := in.r.stream(in.r.dict(inst.res["Pattern"])[name])
			if sd == nil || in.r.num(sd.Dict["PatternType"]) != 1 {
				break // a shading pattern: no content
			}
			if out == nil && id == 0 {
				in.pm.usedP[name] = true
			}
			ctm := base
			if m := in.r.numbers(sd.Dict["Matrix"]); len(m) == 6 {
				if pm := (matrix{m[0], m[1], m[2], m[3], m[4], m[5]}); pm.finite() {
					ctm = pm.mul(base)
				}
			}
			if err := in.child(id, opIndex, instPattern, gstate{ctm: ctm, th: 1}, sd, nr, inst.res, depth, out, nt.start, nt.end); err != nil {
				return err
			}
		case "gs":
			// A soft mask's group is a content stream drawn in the CTM of
			// the gs operator: its text shapes what the page shows.
			if len(args) == 0 || args[len(args)-1].tok.kind != tName {
				break
			}
			nt := args[len(args)-1].tok
			name := nameString(data[nt.start:nt.end])
			sm := in.r.dict(in.r.dict(in.r.dict(inst.res["ExtGState"])[name])["SMask"])
			sd, nr := in.r.stream(sm["G"])
			if sd == nil {
				break
			}
			ctm := gs.ctm
			if m := in.r.numbers(sd.Dict["Matrix"]); len(m) == 6 {
				if fm := (matrix{m[0], m[1], m[2], m[3], m[4], m[5]}); fm.finite() {
					ctm = fm.mul(gs.ctm)
				}
			}
			if err := in.child(id, opIndex, instSMask, gstate{ctm: ctm, th: 1}, sd, nr, inst.res, depth, out, nt.start, nt.end); err != nil {
				return err
			}
		case "BI":
			// Inline image: dictionary up to ID, then data up to EI,
			// read as a stream where it can be (inline.go).
			var isd *types.StreamDict
			if ops, raw, ok := l.inlineImage(); ok {
				isd = in.r.inlineStream(data, ops, raw, inst.res)
			}
			in.pm.images++
			in.pm.pictures++
			if _, err := in.image(id, opIndex, gs.ctm, out, start, l.pos, nil, 0, isd); err != nil {
				return err
			}
		case "m", "l":
			if v, ok := nums(2); ok {
				addPoint(v[0], v[1])
			}
		case "c":
			if v, ok := nums(6); ok {
				addPoint(v[0], v[1])
				addPoint(v[2], v[3])
				addPoint(v[4], v[5])
				in.pm.curves++
			}
		case "v", "y":
			if v, ok := nums(4); ok {
				addPoint(v[0], v[1])
				addPoint(v[2], v[3])
				in.pm.curves++
			}
		case "re":
			if v, ok := nums(4); ok {
				addPoint(v[0], v[1])
				addPoint(v[0]+v[2], v[1]+v[3])
				addPoint(v[0]+v[2], v[1])
				addPoint(v[0], v[1]+v[3])
			}
		case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n":
			if havePath && out != nil && op != "n" {
				out.paint(in, path, start, t.end)
			}
			if havePath && out == nil && op != "n" {
				b := path
				if op != "f" && op != "F" && op != "f*" { // stroked: grown by the line's half width
					hw := math.Max(gs.lw, 1) * gs.ctm.scale() / 2
					b = rect{b.x0 - hw, b.y0 - hw, b.x1 + hw, b.y1 + hw}
				}
				in.addPaint(id, opIndex, b)
			}
			if clipNext && havePath {
				// The clipping path is the path's bounds (a glyph
				// outside them is not drawn), within the clip before. A
				// W without a path changes nothing (taken as drawn).
				c := path
				if gs.hasClip {
					c = rect{math.Max(c.x0, gs.clip.x0), math.Max(c.y0, gs.clip.y0), math.Min(c.x1, gs.clip.x1), math.Min(c.y1, gs.clip.y1)}
				}
				gs.clip, gs.hasClip = c, true
			}
			clipNext = false
			havePath = false
		case "W", "W*":
			clipNext = true
		case "w":
			if v, ok := nums(1); ok && v[0] >= 0 && !math.IsInf(v[0], 0) {
				gs.lw = v[0]
			}
		case "g":
			if v, ok := nums(1); ok {
				gs.fcs, gs.fill = 1, fillOf(1, v)
			}
		case "rg":
			if v, ok := nums(3); ok {
				gs.fcs, gs.fill = 3, fillOf(3, v)
			}
		case "k":
			if v, ok := nums(4); ok {
				gs.fcs, gs.fill = 4, fillOf(4, v)
			}
		case "cs":
			gs.fcs, gs.fill = -1, -1
			if len(args) > 0 && args[len(args)-1].tok.kind == tName {
				nt := args[len(args)-1].tok
				name := nameString(data[nt.start:nt.end])
				var cs types.Object = types.Name(name)
				if o, ok := in.r.dict(inst.res["ColorSpace"])[name]; ok {
					cs = o
				}
				// The initial colour of a device, calibrated or ICC
				// based space is black (CMYK's is 0 0 0 1).
				if gs.fcs = in.r.spaceComponents(cs); gs.fcs > 0 {
					gs.fill = 0
				}
			}
		case "sc":
			gs.fill = -1
			if n := len(args); n > 0 && n <= 4 {
				if v, ok := nums(n); ok {
					gs.fill = fillOf(gs.fcs, v)
				}
			}
		case "BMC", "BDC":
			// Marked-content properties and custom tags (marked.go).
			if tag, prop, ok := markedOperands(data, op, args); ok {
				if newTag, strip, changed := markedChange(data, tag, prop); changed {
					in.pm.strip++
					if out != nil {
						out.replace(start, t.end, markedReplacement(data, newTag, prop, strip))
					}
				}
			}
		}
		args, argStart = args[:0], -1
		l.release()
	}
	if out != nil {
		in.rw.end(id, out)
	}
	return nil
}

func hasString(a *operand) bool {
	for i := range a.arr {
		if a.arr[i].isStr() {
			return true
		}
	}
	return false
}

// show places the glyphs of one text-showing operator and returns the new
// text matrix.
func (in *interp) show(id, opIndex int, op string, a *operand, data []byte, gs *gstate, tm matrix, out *streamOut, start, end int) (matrix, error) {
	f := gs.font
	th := gs.th
	var elems []operand
	if a.tok.kind == tArrOpen {
		elems = a.arr
	} else if a.isStr() {
		elems = []operand{*a}
	} else {
		return tm, nil
	}
	if f.procText != "" && out == nil {
		if in.lenient {
			return tm, nil
		}
		return tm, in.failFont(f.procText)
	}
	idx := 0
	var rm []bool
	if out != nil {
		rm = in.rw.removedIn(id, opIndex)
	}
	var tj *tjBuilder
	if rm != nil {
		tj = newTJ(gs.tfs, gs.tc, gs.tw)
	}
	for ei := range elems {
		e := &elems[ei]
		if e.isNum() {
			adj := e.num
			if f.vertical {
				tm = matrix{1, 0, 0, 1, 0, -adj / 1000 * gs.tfs}.mul(tm)
			} else {
				tm = matrix{1, 0, 0, 1, -adj / 1000 * gs.tfs * th, 0}.mul(tm)
			}
			if tj != nil {
				tj.number(data[e.tok.start:e.tok.end])
			}
			continue
		}
		if !e.isStr() {
			continue
		}
		var s []byte
		if e.tok.kind == tHex {
			s = hexBytes(data[e.tok.start+1 : e.tok.end])
		} else {
			s = literalBytes(data[e.tok.start:e.tok.end])
		}
		in.codes = f.codes(s, in.codes)
		if out == nil {
			inst := &in.pm.insts[id]
			inst.shown = append(inst.shown, int32(e.tok.start), int32(e.tok.end))
		}
		for ci := range in.codes {
			c := &in.codes[ci]
			trm := matrix{gs.tfs * th, 0, 0, gs.tfs, 0, gs.ts}.mul(tm).mul(gs.ctm)
			// Advance (9.4.4).
			sp := gs.tc
			if c.word {
				sp += gs.tw
			}
			if out == nil && !c.ok && in.lenient && in.pm.insts[id].space == 0 && len(in.pm.unread) < maxPaints && !degenerate(trm) {
				g := makeGlyph(id, opIndex, idx, trm, f, c, sp, gs.tfs, gs.tr)
				in.pm.unread = append(in.pm.unread, g.bounds())
			}
			if out == nil && (c.ok || !in.lenient) {
				if !c.ok {
					return tm, in.failFont(f.unmapped(c))
				}
				// A glyph drawn through a singular matrix (horizontal
				// scaling 0 Tz, a Tm or cm that collapses an axis) has no
				// extent: the page shows nothing, but every extractor
				// reads the string, and the geometry that splits words
				// (here and in the naive byte reading) glues it into one
				// ("OrsolyaQuillanby,MRN48213907") that no detector or
				// deny list matches. Not read as words: refused.
				if strings.TrimSpace(c.text) != "" && degenerate(trm) {
					return tm, in.fail(redactors.ErrUninspectable, "text drawn with no width (a singular text matrix: horizontal scaling 0, or a collapsed Tm or cm)")
				}
				if len(in.pm.text.glyphs) >= maxGlyphsPerDoc {
					return tm, in.fail(redactors.ErrUninspectable, "more than %d glyphs", maxGlyphsPerDoc)
				}
				g := makeGlyph(id, opIndex, idx, trm, f, c, sp, gs.tfs, gs.tr)
				g.setPaint(gs)
				g.ev = in.pm.text.addEvidence(c.ev)
				in.pm.text.add(g, c.text)
			}
			if tj != nil {
				if idx < len(rm) && rm[idx] {
					if err := tj.remove(c, f.vertical); err != nil {
						return tm, in.fail(redactors.ErrUninspectable, "%v", err)
					}
				} else {
					tj.keep(c.b)
				}
			}
			if f.vertical {
				ty := c.w1*gs.tfs + sp
				tm = matrix{1, 0, 0, 1, 0, ty}.mul(tm)
			} else {
				tx := (c.w0*gs.tfs + sp) * th
				tm = matrix{1, 0, 0, 1, tx, 0}.mul(tm)
			}
			idx++
		}
	}
	if tj != nil {
		prefix := ""
		switch op {
		case "'":
			prefix = "T* "
		case "\"":
			prefix = fmt.Sprintf("%s Tw %s Tc T* ", fmtNum(gs.tw), fmtNum(gs.tc))
		}
		out.replace(start, end, prefix+tj.String())
	}
	return tm, nil
}

// form draws a Form XObject as a new instance; in the rewrite pass it
// reports whether the parent now draws a changed copy.
func (in *interp) form(parent, opIndex int, name string, gs gstate, sd *types.StreamDict, nr int, parentRes types.Dict, depth int, out *streamOut, start, end int) (bool, error) {
	if depth >= maxFormDepth {
		return false, in.fail(redactors.ErrUninspectable, "Form XObjects nested more than %d deep", maxFormDepth)
	}
	in.forms++
	if in.forms > maxFormUses {
		return false, in.fail(redactors.ErrUninspectable, "more than %d Form XObjects drawn", maxFormUses)
	}
	key := [2]int{parent, opIndex}
	id, seen := in.pm.children[key]
	if !seen {
		data, err := in.r.decode(sd, nr)
		if errors.Is(err, errBudget) {
			return false, in.fail(redactors.ErrUninspectable, "%s", in.r.budgetError())
		}
		if err != nil {
			return false, in.fail(redactors.ErrCorrupt, "a Form XObject cannot be decoded")
		}
		res := in.r.dict(sd.Dict["Resources"])
		if res == nil {
			res = parentRes
		}
		id = len(in.pm.insts)
		in.pm.insts = append(in.pm.insts, instance{parent: parent, parentOp: opIndex, data: data, res: res, formNr: nr, form: sd,
			kind: instForm, space: in.pm.insts[parent].space})
		in.pm.children[key] = id
	}
	if m := in.r.numbers(sd.Dict["Matrix"]); len(m) == 6 {
		fm := matrix{m[0], m[1], m[2], m[3], m[4], m[5]}
		if fm.finite() {
			gs.ctm = fm.mul(gs.ctm)
		}
	}
	if err := in.run(id, gs, depth+1); err != nil {
		return false, err
	}
	if out != nil {
		return out.form(in, id, start, end), nil
	}
	return false, nil
}

// child runs a tiling pattern's cell or a soft mask's group (kind) as a
// new instance drawn with gs; the span start..end is the resource name's
// token in the selecting operator, which the rewrite pass renames when
// the instance changed.
func (in *interp) child(parent, opIndex int, kind instKind, gs gstate, sd *types.StreamDict, nr int, parentRes types.Dict, depth int, out *streamOut, start, end int) error {
	if depth >= maxFormDepth {
		return in.fail(redactors.ErrUninspectable, "patterns, groups and forms nested more than %d deep", maxFormDepth)
	}
	in.forms++
	if in.forms > maxFormUses {
		return in.fail(redactors.ErrUninspectable, "more than %d Form XObjects, patterns and groups drawn", maxFormUses)
	}
	key := [2]int{parent, opIndex}
	id, seen := in.pm.children[key]
	if !seen {
		data, err := in.r.decode(sd, nr)
		if errors.Is(err, errBudget) {
			return in.fail(redactors.ErrUninspectable, "%s", in.r.budgetError())
		}
		if err != nil {
			return in.fail(redactors.ErrCorrupt, "a %s cannot be decoded", kindName[kind])
		}
		res := in.r.dict(sd.Dict["Resources"])
		if res == nil {
			res = parentRes
		}
		id = len(in.pm.insts)
		space := in.pm.insts[parent].space
		if kind == instPattern {
			space = id
		}
		in.pm.insts = append(in.pm.insts, instance{parent: parent, parentOp: opIndex, data: data, res: res, formNr: nr, form: sd,
			kind: kind, space: space, ctm0: gs.ctm})
		in.pm.children[key] = id
	}
	if err := in.run(id, gs, depth+1); err != nil {
		return err
	}
	if out != nil {
		out.child(in, id, start, end)
	}
	return nil
}

var kindName = map[instKind]string{instForm: "Form XObject", instPattern: "tiling pattern", instSMask: "soft mask group"}

// image notes an image drawn with ctm (the unit square) by instance id:
// an XObject sd (object nr), or an inline image (sd nil). The parse pass
// records the use (images.go); the rewrite pass drops it, or checks it
// against the redaction boxes. It reports whether the image is no longer
// drawn as it was.
func (in *interp) image(id, opIndex int, ctm matrix, out *streamOut, start, end int, sd *types.StreamDict, nr int, inline *types.StreamDict) (bool, error) {
	var r rect
	for i, p := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		x, y := ctm.apply(p[0], p[1])
		if i == 0 {
			r = rect{x, y, x, y}
			continue
		}
		r.x0, r.y0, r.x1, r.y1 = math.Min(r.x0, x), math.Min(r.y0, y), math.Max(r.x1, x), math.Max(r.y1, y)
	}
	key := opKey{int32(id), int32(opIndex)}
	if out == nil {
		in.addPaint(id, opIndex, r)
		in.pm.imgUses = append(in.pm.imgUses, imageUse{nr: nr, key: key, bounds: r, ctm: ctm, space: in.pm.insts[id].space, sd: sd, inline: inline})
		return false, nil
	}
	if sd == nil && in.pm.dropInline[key] {
		out.replace(start, end, "")
		return true, nil
	}
	if sd != nil && in.rw.d.dropImg[nr] {
		return false, nil // the writer writes a blank in its place
	}
	if !in.pm.inlineOCR[key] {
		inline = nil // not read by OCR: drawn as it is, or refused under a box
	}
	return out.image(in, r, ctm, start, end, sd, inline)
}
