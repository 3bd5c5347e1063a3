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
	space          int  // the instance whose space the box is in (0: the page; else a tiling pattern)
	ocr            bool // over invisible glyphs (an OCR layer): grows to the scan's ink (ocr.go)
	img            bool // over words OCR read on an image (ocrimages.go): the glyphs under it go too
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

// pageEdit is an edit of one of a page's readings: reading -1 is the page
// text, k is pm.alts[k].
type pageEdit struct {
	redactors.Edit
	reading int
}

// planPage maps edits of the page text to removed glyphs and boxes.
func planPage(pm *pageModel, edits []redactors.Edit) (map[opKey][]bool, []box) {
	pe := make([]pageEdit, len(edits))
	for i, e := range edits {
		pe[i] = pageEdit{e, -1}
	}
	return planEdits(pm, pe)
}

// planEdits maps the edits of one page, on any of its readings, to removed
// glyphs and boxes. A glyph belongs to an edit when its span in the
// edit's reading meets the edit; a run of glyphs whose every glyph a box
// covers already (the same value found in two readings) gets no other.
func planEdits(pm *pageModel, edits []pageEdit) (map[opKey][]bool, []box) {
	gl := pm.text.glyphs
	text := pm.text.b.String()
	removed := map[opKey][]bool{}
	var boxes []box
	var boxed []bool // glyphs a box covers already (another reading's edit)
	for _, e := range edits {
		start := func(i int) int { return int(gl[i].start) }
		end := func(i int) int { return int(gl[i].end) }
		if e.reading >= 0 {
			r := &pm.alts[e.reading]
			start = func(i int) int { s, _ := r.span(gl, i); return int(s) }
			end = func(i int) int { _, e := r.span(gl, i); return int(e) }
		}
		lo := sort.Search(len(gl), func(i int) bool { return end(i) > e.Start })
		var run []*glyph
		var runIdx []int      // their indexes in gl
		first, last := -1, -1 // glyph indexes of the run
		flush := func(label string) string {
			if len(run) == 0 {
				return label
			}
			fresh := false
			if boxed == nil {
				boxed = make([]bool, len(gl))
			}
			for _, k := range runIdx {
				if !boxed[k] {
					boxed[k], fresh = true, true
				}
			}
			if fresh {
				b := boxFor(wholeWord(gl, text, run, first, last))
				b.label = label
				b.space = pm.insts[run[0].inst].space
				b.ocr = run[0].invisible
				boxes = append(boxes, b)
			}
			run, runIdx = run[:0], runIdx[:0]
			return label // every line of a value gets the label (or its key)
		}
		label := e.Replacement
		for i := lo; i < len(gl) && start(i) < e.End; i++ {
			g := &gl[i]
			s, en := start(i), end(i)
			hit := en > e.Start && s < e.End
			if s == en {
				hit = s > e.Start && s < e.End
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
			if len(run) > 0 && (g.nl || pm.insts[g.inst].space != pm.insts[run[0].inst].space) {
				label = flush(label)
			}
			if len(run) == 0 {
				first = i
			}
			run, runIdx = append(run, g), append(runIdx, i)
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
	byPage := make([][]pageEdit, len(d.pages))
	for _, e := range edits {
		if e.Part == d.objPart {
			continue // refused by Redact
		}
		if e.Part < len(d.pages) {
			if !d.models[e.Part].raster {
				byPage[e.Part] = append(byPage[e.Part], pageEdit{e, -1})
			}
			continue
		}
		if d.imagePartOf(e.Part) != nil || d.rasterPart(e.Part) {
			continue // imageBoxes, writeRaster
		}
		a := d.alts[e.Part-len(d.pages)]
		byPage[a.page] = append(byPage[a.page], pageEdit{e, a.alt})
	}
	if err := d.rereadImages(d.editValues(edits)); err != nil {
		return fmt.Errorf("pdf: redact: %w", err)
	}
	droppedPaths, droppedImages, blankedImages := 0, 0, 0
	inks := map[int]*ink{}
	for i := range d.pages {
		if d.stop != nil {
			if err := d.stop.Err(); err != nil {
				return fmt.Errorf("page %d: %w", i+1, err)
			}
		}
		if d.models[i].raster {
			if err := d.writeRaster(i, edits); err != nil { // raster.go
				return err
			}
		}
		p := &d.pages[i]
		pm := d.models[i]
		removed, boxes := planEdits(pm, byPage[i])
		if err := d.growOCRBoxes(pm, i+1, boxes, inks); err != nil {
			return err
		}
		ib, err := d.imageBoxes(i, edits)
		if err != nil {
			return err
		}
		ib = append(ib, d.rereadBoxes(i)...)
		if len(ib) > 0 {
			boxes = append(boxes, ib...)
			removeUnder(pm, ib, removed)
		}
		var stamp string
		if d.stamps != nil {
			stamp = d.stamps[i]
		}
		// Every page gets its own resources, with only the XObjects it
		// draws; page tree nodes lose theirs in sanitize.
		res := d.pageResources(p.res, pm)
		p.dict["Resources"] = res
		if len(boxes) == 0 && pm.strip == 0 && len(pm.dropInline) == 0 && len(pm.inlineOCR) == 0 && stamp == "" {
			continue
		}
		var content []byte
		rewritten := false
		if len(boxes) > 0 || pm.strip > 0 || len(pm.dropInline) > 0 || len(pm.inlineOCR) > 0 {
			rw := &rewriter{d: d, pm: pm, pageNo: i + 1, removed: removed, outs: map[int]*streamOut{}}
			for _, b := range boxes {
				rw.boxes = append(rw.boxes, b.bounds)
				rw.quads = append(rw.quads, b.corners())
				rw.spaces = append(rw.spaces, b.space)
			}
			rw.drawn = boxes
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
				res = d.pageResources(d.resourcesOf(p.res, o), pm)
			}
		}
		// Boxes in a tiling pattern's space are drawn in the pattern
		// (rewrite.go); the page's own go in its overlay.
		var pageBoxes []box
		for _, b := range boxes {
			if b.space == 0 {
				pageBoxes = append(pageBoxes, b)
			}
		}
		var overlay strings.Builder
		if len(pageBoxes) > 0 || stamp != "" {
			lf, err := d.labels()
			if err != nil {
				return err
			}
			fontName := d.freshName(res, "VeilH")
			nr := d.resourcesWith(res, nil, nil)
			fonts := types.Dict{}
			for k, v := range d.r.dict(res["Font"]) {
				fonts[k] = v
			}
			fonts[fontName] = lf.ref
			nr["Font"] = fonts
			res = nr
			if err := d.drawOverlay(&overlay, i, pageBoxes, stamp, fontName); err != nil { // overlay.go
				return err
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
	if d.lab.font != nil {
		if err := d.lab.font.embed(d); err != nil {
			return err
		}
	}
	root := d.sanitize()
	return d.write(w, root)
}

// pageResources returns a page's resources res without the XObjects and
// tiling patterns the page content never draws: what is not drawn was not
// read. New resources (VeilX…, VeilP…) are kept.
func (d *Document) pageResources(res types.Dict, pm *pageModel) types.Dict {
	keepX := map[string]bool{}
	for k := range d.r.dict(res["XObject"]) {
		if pm.usedX[k] || strings.HasPrefix(k, "VeilX") {
			keepX[k] = true
		}
	}
	nr := d.resourcesWith(res, nil, keepX)
	if pats := d.r.dict(res["Pattern"]); pats != nil {
		np := types.Dict{}
		for k, v := range pats {
			// Shading patterns have no content; tiling patterns are
			// kept where selected.
			if sd, _ := d.r.stream(v); sd == nil || pm.usedP[k] || strings.HasPrefix(k, "VeilP") {
				np[k] = v
			}
		}
		nr["Pattern"] = np
	}
	return nr
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

// patternLabelMinSize is the smallest label drawBox writes.
const patternLabelMinSize = 4.0

// drawBox paints an opaque black box and its label in white (Helvetica),
// shrunk to fit. The label never grows the box, so it reveals nothing of
// the value. Only boxes inside a tiling pattern's cell use it
// (rewrite.go); the page's boxes are drawn by drawOverlay (overlay.go),
// with the embedded label font and never below LabelMinSize.
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
		if size < patternLabelMinSize {
			size = patternLabelMinSize
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
