package pdf

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"

	"github.com/veilhq/veil/redactors"
)

// box is one redaction box: a rectangle in the frame of the glyphs it
// covers (origin o, unit vectors u along the baseline and n up), and its
// axis-aligned bounds in page space.
type box struct {
	o, u, n        [2]float64
	s0, s1, t0, t1 float64
	bounds         rect
	label          string
}

func (b *box) corners() [4][2]float64 {
	var out [4][2]float64
	for i, st := range [4][2]float64{{b.s0, b.t0}, {b.s1, b.t0}, {b.s1, b.t1}, {b.s0, b.t1}} {
		out[i] = [2]float64{b.o[0] + st[0]*b.u[0] + st[1]*b.n[0], b.o[1] + st[0]*b.u[1] + st[1]*b.n[1]}
	}
	return out
}

// boxPad widens boxes a little so that anti-aliased glyph edges are covered.
const boxPad = 0.6

// boxFor returns the box covering glyphs gs (one line).
func boxFor(gs []*glyph) box {
	g := gs[0]
	l := hypot32(g.ex)
	var b box
	b.o = [2]float64{float64(g.ox), float64(g.oy)}
	if l < 1e-9 {
		b.u = [2]float64{1, 0}
	} else {
		b.u = [2]float64{float64(g.ex[0]) / l, float64(g.ex[1]) / l}
	}
	b.n = [2]float64{-b.u[1], b.u[0]}
	if float64(g.ey[0])*b.n[0]+float64(g.ey[1])*b.n[1] < 0 {
		b.n = [2]float64{-b.n[0], -b.n[1]}
	}
	first := true
	for _, g := range gs {
		for _, c := range g.corners() {
			dx, dy := c[0]-b.o[0], c[1]-b.o[1]
			s, t := dx*b.u[0]+dy*b.u[1], dx*b.n[0]+dy*b.n[1]
			if first {
				b.s0, b.s1, b.t0, b.t1 = s, s, t, t
				first = false
				continue
			}
			b.s0, b.s1 = math.Min(b.s0, s), math.Max(b.s1, s)
			b.t0, b.t1 = math.Min(b.t0, t), math.Max(b.t1, t)
		}
	}
	b.s0 -= boxPad
	b.s1 += boxPad
	b.t0 -= boxPad
	b.t1 += boxPad
	cs := b.corners()
	b.bounds = rect{cs[0][0], cs[0][1], cs[0][0], cs[0][1]}
	for _, c := range cs[1:] {
		b.bounds.x0, b.bounds.y0 = math.Min(b.bounds.x0, c[0]), math.Min(b.bounds.y0, c[1])
		b.bounds.x1, b.bounds.y1 = math.Max(b.bounds.x1, c[0]), math.Max(b.bounds.y1, c[1])
	}
	return b
}

// planPage maps the edits of one page to removed glyphs and boxes.
func planPage(pm *pageModel, edits []redactors.Edit) (map[opKey][]bool, []box) {
	gl := pm.text.glyphs
	text := pm.text.b.String()
	removed := map[opKey][]bool{}
	var boxes []box
	for _, e := range edits {
		lo := sort.Search(len(gl), func(i int) bool { return int(gl[i].end) > e.Start })
		var run []*glyph
		first, last := -1, -1 // glyph indexes of the run
		flush := func(label string) string {
			if len(run) == 0 {
				return label
			}
			b := boxFor(wholeWord(gl, text, run, first, last))
			b.label = label
			boxes = append(boxes, b)
			run = run[:0]
			return ""
		}
		label := e.Replacement
		for i := lo; i < len(gl) && int(gl[i].start) < e.End; i++ {
			g := &gl[i]
			hit := int(g.end) > e.Start && int(g.start) < e.End
			if g.start == g.end {
				hit = int(g.start) > e.Start && int(g.start) < e.End
			}
			if !hit {
				continue
			}
			k := opKey{g.inst, g.op}
			rm := removed[k]
			for len(rm) <= int(g.idx) {
				rm = append(rm, false)
			}
			rm[g.idx] = true
			removed[k] = rm
			if g.nl && len(run) > 0 {
				label = flush(label)
			}
			if len(run) == 0 {
				first = i
			}
			run = append(run, g)
			last = i
		}
		flush(label)
	}
	return removed, boxes
}

// wholeWord widens the box of invisible glyphs (an OCR layer over a scan)
// to the whole word they are part of: OCR places each word's glyphs by
// scaling the word to the scanned word's width, so single letters of the
// scan do not lie under their invisible glyphs, but the word as a whole
// does. The glyphs first..last of gl are the run; only the box grows, the
// other glyphs stay.
func wholeWord(gl []glyph, text string, run []*glyph, first, last int) []*glyph {
	if !run[0].invisible {
		return run
	}
	word := func(g *glyph) bool { return g.invisible && !strings.ContainsAny(text[g.start:g.end], " \t\n") }
	joined := func(a, b *glyph) bool { // b follows a in the same word
		return word(a) && word(b) && !b.nl && a.end == b.start
	}
	out := run
	for i := first - 1; i >= 0 && joined(&gl[i], &gl[i+1]); i-- {
		out = append([]*glyph{&gl[i]}, out...)
	}
	for i := last + 1; i < len(gl) && joined(&gl[i-1], &gl[i]); i++ {
		out = append(out, &gl[i])
	}
	return out
}

// redact writes the redacted document to w.
func (d *Document) redact(w io.Writer, edits []redactors.Edit) error {
	byPage := make([][]redactors.Edit, len(d.pages))
	for _, e := range edits {
		byPage[e.Part] = append(byPage[e.Part], e)
	}
	var helv types.IndirectRef
	helvOnce := false
	droppedPaths, droppedImages, blankedImages := 0, 0, 0
	for i := range d.pages {
		if d.stop != nil {
			if err := d.stop.Err(); err != nil {
				return fmt.Errorf("page %d: %w", i+1, err)
			}
		}
		p := &d.pages[i]
		pm := d.models[i]
		removed, boxes := planPage(pm, byPage[i])
		var stamp string
		if d.stamps != nil {
			stamp = d.stamps[i]
		}
		// Every page gets its own resources, with only the XObjects it
		// draws; page tree nodes lose theirs in sanitize.
		res := d.resourcesWith(p.res, nil, pm.usedX)
		p.dict["Resources"] = res
		if len(boxes) == 0 && pm.strip == 0 && stamp == "" {
			continue
		}
		var content []byte
		rewritten := false
		if len(boxes) > 0 || pm.strip > 0 {
			rw := &rewriter{d: d, pm: pm, pageNo: i + 1, removed: removed, outs: map[int]*streamOut{}}
			for _, b := range boxes {
				rw.boxes = append(rw.boxes, b.bounds)
				rw.quads = append(rw.quads, b.corners())
			}
			in := &interp{ctx: d.stop, r: d.r, pm: pm, pageNo: i + 1, rw: rw}
			if err := in.run(0, gstate{ctm: identity, th: 1}, 0); err != nil {
				return err
			}
			droppedPaths += rw.droppedPaths
			droppedImages += rw.droppedImages
			blankedImages += rw.blankedImages
			o := rw.outs[0]
			if o.changed {
				content = o.buf.Bytes()
				rewritten = true
				res = d.resourcesWith(p.res, o.xobj, o.kept)
			}
		}
		if !helvOnce && (len(boxes) > 0 || stamp != "") {
			helv = d.addObject(types.Dict{
				"Type": types.Name("Font"), "Subtype": types.Name("Type1"),
				"BaseFont": types.Name("Helvetica"), "Encoding": types.Name("WinAnsiEncoding"),
			})
			helvOnce = true
		}
		var overlay strings.Builder
		if len(boxes) > 0 || stamp != "" {
			fontName := d.freshName(res, "VeilH")
			nr := d.resourcesWith(res, nil, nil)
			fonts := types.Dict{}
			for k, v := range d.r.dict(res["Font"]) {
				fonts[k] = v
			}
			fonts[fontName] = helv
			nr["Font"] = fonts
			res = nr
			for _, b := range boxes {
				drawBox(&overlay, &b, fontName)
			}
			if stamp != "" {
				drawStamp(&overlay, p, stamp, d.stampAt, fontName)
			}
		}
		p.dict["Resources"] = res
		if rewritten {
			c := make([]byte, 0, len(content)+overlay.Len()+5) // one copy of a page's content, not a regrown one
			c = append(c, "q\n"...)
			c = append(c, content...)
			c = append(c, "\nQ\n"...)
			c = append(c, overlay.String()...)
			p.dict["Contents"] = d.newStream(types.Dict{}, c)
			continue
		}
		if overlay.Len() > 0 {
			refs := d.contentRefs(p)
			arr := types.Array{d.newStream(types.Dict{}, []byte("q\n"))}
			arr = append(arr, refs...)
			arr = append(arr, d.newStream(types.Dict{}, []byte("\nQ\n"+overlay.String())))
			p.dict["Contents"] = arr
		}
	}
	if droppedPaths > 0 {
		d.notes = append(d.notes, fmt.Sprintf("%d vector shapes inside redaction boxes removed", droppedPaths))
	}
	if droppedImages > 0 {
		d.notes = append(d.notes, fmt.Sprintf("%d images inside redaction boxes removed", droppedImages))
	}
	if blankedImages > 0 {
		d.notes = append(d.notes, fmt.Sprintf("%d images blanked under redaction boxes", blankedImages))
	}
	root := d.sanitize()
	return d.write(w, root)
}

// winAnsi encodes s for a WinAnsiEncoding font; characters it lacks become
// '?'.
func winAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		b, ok := charmap.Windows1252.EncodeRune(r)
		if !ok || b < 32 {
			b = '?'
		}
		out = append(out, b)
	}
	return out
}

func helvWidth(b []byte, size float64) float64 {
	w := 0.0
	for _, c := range b {
		w += coreWidth("Helvetica", "", c)
	}
	return w * size
}

const (
	labelMaxSize = 10.0
	labelMinSize = 4.0
)

// drawBox paints an opaque black box and its label in white, shrunk to fit.
// The label never grows the box, so it reveals nothing of the value.
func drawBox(w *strings.Builder, b *box, font string) {
	fmt.Fprintf(w, "q %s %s %s %s %s %s cm 0 g %s %s %s %s re f\n",
		fmtNum(b.u[0]), fmtNum(b.u[1]), fmtNum(b.n[0]), fmtNum(b.n[1]), fmtNum(b.o[0]), fmtNum(b.o[1]),
		fmtNum(b.s0), fmtNum(b.t0), fmtNum(b.s1-b.s0), fmtNum(b.t1-b.t0))
	if b.label != "" {
		wid, hgt := b.s1-b.s0-2, b.t1-b.t0
		text := winAnsi(b.label)
		size := math.Min(labelMaxSize, hgt*0.7)
		if tw := helvWidth(text, size); tw > wid && tw > 0 {
			size *= wid / tw
		}
		if size < labelMinSize {
			size = labelMinSize
			for len(text) > 0 && helvWidth(text, size) > wid {
				text = text[:len(text)-1]
			}
		}
		if len(text) > 0 && size > 0 {
			tw := helvWidth(text, size)
			x := b.s0 + (b.s1-b.s0-tw)/2
			y := b.t0 + (hgt-size*0.7)/2
			fmt.Fprintf(w, "BT 1 g /%s %s Tf %s %s Td <%x> Tj ET\n", font, fmtNum(size), fmtNum(x), fmtNum(y), text)
		}
	}
	w.WriteString("Q\n")
}

// stampPositions are the places a Bates number can go.
var stampPositions = map[string]bool{
	"bottom-right": true, "bottom-left": true, "bottom-center": true,
	"top-right": true, "top-left": true, "top-center": true,
}

// StampPositions lists the positions SetStamps accepts.
func StampPositions() []string {
	var out []string
	for k := range stampPositions {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

const stampSize, stampMargin = 9.0, 18.0

// drawStamp prints a production number in the visible corner of a page,
// upright however the page is rotated, on a white ground.
func drawStamp(w *strings.Builder, p *page, label, at string, font string) {
	x0, y0 := math.Min(p.crop[0], p.crop[2]), math.Min(p.crop[1], p.crop[3])
	x1, y1 := math.Max(p.crop[0], p.crop[2]), math.Max(p.crop[1], p.crop[3])
	var m matrix
	W, H := x1-x0, y1-y0
	switch p.rotate {
	case 90:
		m, W, H = matrix{0, 1, -1, 0, x1, y0}, H, W
	case 180:
		m = matrix{-1, 0, 0, -1, x1, y1}
	case 270:
		m, W, H = matrix{0, -1, 1, 0, x0, y1}, H, W
	default:
		m = matrix{1, 0, 0, 1, x0, y0}
	}
	text := winAnsi(label)
	size := stampSize
	margin := math.Min(stampMargin, math.Min(W, H)/10)
	tw := helvWidth(text, size)
	if tw > W-2*margin && tw > 0 {
		size *= (W - 2*margin) / tw
		tw = helvWidth(text, size)
	}
	if at == "" {
		at = "bottom-right"
	}
	x := W - margin - tw
	switch {
	case strings.HasSuffix(at, "left"):
		x = margin
	case strings.HasSuffix(at, "center"):
		x = (W - tw) / 2
	}
	y := margin
	if strings.HasPrefix(at, "top") {
		y = H - margin - size
	}
	fmt.Fprintf(w, "q %s %s %s %s %s %s cm 1 g %s %s %s %s re f BT 0 g /%s %s Tf %s %s Td <%x> Tj ET Q\n",
		fmtNum(m[0]), fmtNum(m[1]), fmtNum(m[2]), fmtNum(m[3]), fmtNum(m[4]), fmtNum(m[5]),
		fmtNum(x-2), fmtNum(y-size*0.25-1), fmtNum(tw+4), fmtNum(size*1.2+2),
		font, fmtNum(size), fmtNum(x), fmtNum(y), text)
}
