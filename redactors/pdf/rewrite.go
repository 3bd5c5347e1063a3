package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// The rewrite pass: glyphs are removed by replacing them with a TJ number
// that moves the text position exactly as far as the glyph did, so nothing
// else on the page moves and no glyph is substituted. Paths that lie inside
// a redaction box are no longer painted; images under a box are removed
// when they lie inside it and make the file uninspectable otherwise.

type opKey struct{ inst, op int32 }

// rewriter holds what the rewrite pass of one page must change.
type rewriter struct {
	d       *Document
	pm      *pageModel
	pageNo  int
	removed map[opKey][]bool
	boxes   []rect // bounds of quads
	quads   []quad // the boxes as drawn
	spaces  []int  // the instance whose space each box is in (0: the page)
	drawn   []box  // the boxes, for the patterns that draw theirs
	outs    map[int]*streamOut
	// dropped counts what was taken out besides glyphs.
	droppedPaths, droppedImages, blankedImages int
}

// streamOut is the new content of one instance.
type streamOut struct {
	id      int
	data    []byte
	buf     bytes.Buffer
	copied  int
	changed bool
	xobj    map[string]types.IndirectRef // new XObject names -> new forms and images
	kept    map[string]bool              // XObject names still drawn
	// more are new resources of other categories (Pattern, ExtGState,
	// Font): category -> name -> object.
	more map[string]map[string]types.Object
	// replaced and used are, per category (Pattern, ExtGState), the
	// resource names the content selected a changed copy for, and those
	// it still selects: names only replaced leave the resources.
	replaced, used map[string]map[string]bool
}

func mark(m *map[string]map[string]bool, cat, name string) {
	if *m == nil {
		*m = map[string]map[string]bool{}
	}
	if (*m)[cat] == nil {
		(*m)[cat] = map[string]bool{}
	}
	(*m)[cat][name] = true
}

// add registers a new resource of category cat under name.
func (o *streamOut) add(cat, name string, v types.Object) {
	if o.more == nil {
		o.more = map[string]map[string]types.Object{}
	}
	if o.more[cat] == nil {
		o.more[cat] = map[string]types.Object{}
	}
	o.more[cat][name] = v
}

func (rw *rewriter) begin(id int) *streamOut {
	return &streamOut{id: id, data: rw.pm.insts[id].data, kept: map[string]bool{}}
}

func (rw *rewriter) end(id int, o *streamOut) {
	if o.changed {
		o.buf.Write(o.data[o.copied:])
	}
	inst := &rw.pm.insts[id]
	if inst.kind == instPattern && o.changed {
		// The pattern's boxes are drawn in its cell, so every tile shows
		// them; the glyphs were placed with the cell's starting CTM.
		var w strings.Builder
		for i := range rw.drawn {
			if rw.spaces[i] == id {
				drawBox(&w, &rw.drawn[i], rw.labelFont(o))
			}
		}
		if w.Len() > 0 {
			if inv, ok := inst.ctm0.invert(); ok {
				fmt.Fprintf(&o.buf, "\nq %s %s %s %s %s %s cm\n%sQ\n",
					fmtNum(inv[0]), fmtNum(inv[1]), fmtNum(inv[2]), fmtNum(inv[3]), fmtNum(inv[4]), fmtNum(inv[5]), w.String())
			}
		}
	}
	rw.outs[id] = o
}

// labelFont returns the name under which o's resources hold the label
// font, adding it.
func (rw *rewriter) labelFont(o *streamOut) string {
	for n, v := range o.more["Font"] {
		if v == rw.d.helvetica() {
			return n
		}
	}
	n := rw.d.freshName(rw.pm.insts[o.id].res, "VeilH")
	o.add("Font", n, rw.d.helvetica())
	return n
}

// inSpace reports whether box i applies to the content of instance id:
// boxes are in the page's space or a tiling pattern's.
func (rw *rewriter) inSpace(i, id int) bool {
	return rw.spaces[i] == rw.pm.insts[id].space
}

func (rw *rewriter) removedIn(id, op int) []bool {
	return rw.removed[opKey{int32(id), int32(op)}]
}

// replace substitutes data[start:end] with s.
func (o *streamOut) replace(start, end int, s string) {
	if start < o.copied {
		start = o.copied // overlapping spans cannot happen; be safe
	}
	if !o.changed {
		o.buf.Grow(len(o.data) + len(o.data)/8 + 64)
	}
	o.buf.Write(o.data[o.copied:start])
	o.buf.WriteByte(' ') // keep tokens apart
	o.buf.WriteString(s)
	o.buf.WriteByte(' ')
	o.copied = end
	o.changed = true
}

// paint decides about a painted path with bounding box r.
func (o *streamOut) paint(in *interp, r rect, start, end int) {
	rw := in.rw
	for i, b := range rw.boxes {
		if !rw.inSpace(i, o.id) {
			continue
		}
		if r.inside(grow(b, 0.5)) {
			o.replace(start, end, "n")
			rw.droppedPaths++
			return
		}
	}
}

// image decides about an image drawn with ctm, whose bounds are r: an
// image inside a box is no longer drawn, an image partly under boxes is
// drawn as a copy with those pixels blanked (XObjects, and inline images
// read by OCR, given as inline: inline.go; another inline image partly
// under a box makes the page uninspectable). It reports whether the
// drawing changed.
func (o *streamOut) image(in *interp, r rect, ctm matrix, start, end int, sd, inline *types.StreamDict) (bool, error) {
	rw := in.rw
	var under []quad
	for i, b := range rw.boxes {
		if !rw.inSpace(i, o.id) || !r.intersects(b) {
			continue
		}
		if r.inside(grow(b, 0.5)) {
			o.replace(start, end, "")
			rw.droppedImages++
			return true, nil
		}
		under = append(under, rw.quads[i])
	}
	if inline != nil {
		return o.inlineXObject(in, ctm, under, start, end, inline)
	}
	if len(under) == 0 {
		return false, nil
	}
	if sd == nil {
		return false, in.fail(redactors.ErrUninspectable, "an inline image lies under a redaction box and could show the redacted text")
	}
	ref, err := rw.d.blankImage(sd, ctm, under)
	if err != nil {
		return false, in.fail(redactors.ErrUninspectable, "an image under a redaction box cannot be blanked (%v)", err)
	}
	if ref.ObjectNumber == 0 {
		return false, nil // no pixel lies under a box
	}
	rw.blankedImages++
	o.draw(in, ref, start, end)
	return true, nil
}

// draw replaces a Do operator by one that draws the new XObject ref under
// a fresh name.
func (o *streamOut) draw(in *interp, ref types.IndirectRef, start, end int) {
	name := in.rw.d.freshName(in.pm.insts[o.id].res, "VeilX")
	if o.xobj == nil {
		o.xobj = map[string]types.IndirectRef{}
	}
	o.xobj[name] = ref
	o.replace(start, end, "/"+name+" Do")
}

// form is called after a Form XObject instance ran: if its content
// changed, the parent draws a new copy of it under a new name. It reports
// whether it did.
func (o *streamOut) form(in *interp, child int, start, end int) bool {
	rw := in.rw
	co := rw.outs[child]
	if co == nil || !co.changed {
		return false
	}
	inst := &rw.pm.insts[child]
	nd := inst.form.Dict.Clone().(types.Dict)
	nd["Resources"] = rw.d.resourcesOf(inst.res, co)
	o.draw(in, rw.d.newStream(nd, co.buf.Bytes()), start, end)
	return true
}

// child is called after a tiling pattern's cell or a soft mask's group
// ran: if its content changed, the operator that selected it (its name's
// token is start..end) selects a new copy under a new name.
func (o *streamOut) child(in *interp, child int, start, end int) {
	rw := in.rw
	co := rw.outs[child]
	cat := map[instKind]string{instPattern: "Pattern", instSMask: "ExtGState"}[rw.pm.insts[child].kind]
	old := nameString(rw.pm.insts[o.id].data[start:end])
	if co == nil || !co.changed {
		mark(&o.used, cat, old)
		return
	}
	mark(&o.replaced, cat, old)
	inst := &rw.pm.insts[child]
	nd := inst.form.Dict.Clone().(types.Dict)
	nd["Resources"] = rw.d.resourcesOf(inst.res, co)
	ref := rw.d.newStream(nd, co.buf.Bytes())
	res := rw.pm.insts[o.id].res
	switch inst.kind {
	case instPattern:
		name := rw.d.freshName(res, "VeilP")
		o.add("Pattern", name, ref)
		o.replace(start, end, "/"+name)
	case instSMask:
		// The gs operator's ExtGState, with a copy of its soft mask that
		// uses the new group.
		gsName := nameString(rw.pm.insts[o.id].data[start:end])
		ext := rw.d.r.dict(rw.d.r.dict(res["ExtGState"])[gsName])
		ne := ext.Clone().(types.Dict)
		sm := rw.d.r.dict(ext["SMask"]).Clone().(types.Dict)
		sm["G"] = ref
		ne["SMask"] = sm
		name := rw.d.freshName(res, "VeilG")
		o.add("ExtGState", name, ne)
		o.replace(start, end, "/"+name)
	}
}

func grow(r rect, d float64) rect { return rect{r.x0 - d, r.y0 - d, r.x1 + d, r.y1 + d} }

// tjBuilder writes the TJ array that replaces a text-showing operator.
type tjBuilder struct {
	tfs, tc, tw float64
	b           strings.Builder
	cur         []byte
	adj         float64
	haveAdj     bool
}

func newTJ(tfs, tc, tw float64) *tjBuilder {
	t := &tjBuilder{tfs: tfs, tc: tc, tw: tw}
	t.b.WriteByte('[')
	return t
}

func (t *tjBuilder) flushStr() {
	if len(t.cur) > 0 {
		t.b.WriteByte('<')
		t.b.WriteString(hex.EncodeToString(t.cur))
		t.b.WriteString(">")
		t.cur = t.cur[:0]
	}
}

func (t *tjBuilder) flushAdj() {
	if t.haveAdj {
		t.b.WriteByte(' ')
		t.b.WriteString(fmtNum(t.adj))
		t.b.WriteByte(' ')
		t.adj, t.haveAdj = 0, false
	}
}

func (t *tjBuilder) keep(b []byte) {
	t.flushAdj()
	t.cur = append(t.cur, b...)
}

// remove replaces a glyph by the adjustment that moves as far as it did.
func (t *tjBuilder) remove(c *code, vertical bool) error {
	if math.Abs(t.tfs) < 1e-9 {
		return fmt.Errorf("text with font size 0 cannot be removed in place")
	}
	t.flushStr()
	w := c.w0
	if vertical {
		w = c.w1
	}
	sp := t.tc
	if c.word {
		sp += t.tw
	}
	t.adj += -(w*1000 + sp*1000/t.tfs)
	t.haveAdj = true
	return nil
}

func (t *tjBuilder) number(raw []byte) {
	t.flushStr()
	t.flushAdj()
	t.b.WriteByte(' ')
	t.b.Write(raw)
	t.b.WriteByte(' ')
}

func (t *tjBuilder) String() string {
	t.flushStr()
	t.flushAdj()
	t.b.WriteString("] TJ")
	return t.b.String()
}

// fmtNum formats a number for a content stream (no exponent).
func fmtNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}

// newStream adds a Flate-compressed stream object with dictionary d.
func (d *Document) newStream(dict types.Dict, content []byte) types.IndirectRef {
	dict = dict.Clone().(types.Dict)
	delete(dict, "DecodeParms")
	delete(dict, "DL")
	dict["Filter"] = types.Name("FlateDecode")
	return d.addStream(dict, deflate(content))
}

// zlibWriters reuses compressors: a new one allocates about a megabyte.
var zlibWriters = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
	return zw
}}

// deflate compresses b for a FlateDecode stream.
func deflate(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b)/3 + 64)
	zw := zlibWriters.Get().(*zlib.Writer)
	zw.Reset(&out)
	zw.Write(b)
	zw.Close()
	zlibWriters.Put(zw)
	return out.Bytes()
}

// addObject adds a new indirect object to the document.
func (d *Document) addObject(o types.Object) types.IndirectRef {
	ref, err := d.ctx.XRefTable.IndRefForNewObject(o)
	if err != nil || ref == nil {
		panic(fmt.Sprintf("pdf: add object: %v", err)) // only on a full table; recovered at the boundary
	}
	return *ref
}

// freshName returns a resource name with prefix unused in res.
func (d *Document) freshName(res types.Dict, prefix string) string {
	for {
		d.names++
		n := prefix + strconv.Itoa(d.names)
		used := false
		for _, cat := range []string{"XObject", "Font", "ExtGState", "Pattern"} {
			if sub := d.r.dict(res[cat]); sub != nil {
				if _, ok := sub[n]; ok {
					used = true
				}
			}
		}
		if !used {
			return n
		}
	}
}

// resourcesOf returns the resources of a rewritten instance: res with the
// XObjects o still draws and every resource o added.
func (d *Document) resourcesOf(res types.Dict, o *streamOut) types.Dict {
	nr := d.resourcesWith(res, o.xobj, o.kept)
	cats := map[string]bool{}
	for cat := range o.more {
		cats[cat] = true
	}
	for cat := range o.replaced {
		cats[cat] = true
	}
	for cat := range cats {
		sub := types.Dict{}
		for k, v := range d.r.dict(nr[cat]) {
			if !o.replaced[cat][k] || o.used[cat][k] {
				sub[k] = v
			}
		}
		for k, v := range o.more[cat] {
			sub[k] = v
		}
		nr[cat] = sub
	}
	return nr
}

// helvetica returns the label font (Helvetica, WinAnsi), added once.
func (d *Document) helvetica() types.IndirectRef {
	if d.helv.ObjectNumber == 0 {
		d.helv = d.addObject(types.Dict{
			"Type": types.Name("Font"), "Subtype": types.Name("Type1"),
			"BaseFont": types.Name("Helvetica"), "Encoding": types.Name("WinAnsiEncoding"),
		})
	}
	return d.helv
}

// resourcesWith returns a copy of res whose XObject dictionary holds the
// names in keep (nil: all) and the new entries xobj. XObjects the content
// does not draw are left out: their text was never inspected.
func (d *Document) resourcesWith(res types.Dict, xobj map[string]types.IndirectRef, keep map[string]bool) types.Dict {
	nr := types.Dict{}
	for k, v := range res {
		nr[k] = v
	}
	if keep == nil && len(xobj) == 0 {
		return nr
	}
	xo := types.Dict{}
	for k, v := range d.r.dict(res["XObject"]) {
		if keep == nil || keep[k] {
			xo[k] = v
		}
	}
	for k, v := range xobj {
		xo[k] = v
	}
	if len(xo) > 0 {
		nr["XObject"] = xo
	} else {
		delete(nr, "XObject")
	}
	return nr
}
