package pdf

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// What Redact draws over a page besides removing glyphs: an opaque box
// over each removed value with its label, a key to the labels that do not
// fit their box, and the Bates number. Everything is legible at 100 %
// zoom, in the embedded label font (labelfont.go), and nothing covers
// the page's text:
//
//   - a label is drawn in its box at LabelMinSize or larger, never
//     smaller: a label that does not fit becomes a numbered key ("[1]",
//     or "1" in a narrow box) and the key's meaning is listed at the foot
//     of the page ("[1] REDACTED – PRIVILEGED"); every box of a value
//     broken over lines carries the label or the key;
//   - the Bates number and the key list lie inside the safe print margin
//     (StampMargin from every edge) and clear of every glyph and box of
//     the page: the number goes to the asked corner, else another, else
//     smaller (down to stampMinSize); the key list to a corner; when no
//     corner is clear, either slides along the foot or the head of the
//     page, or up to half an inch further in (slide); on a page smaller
//     than Letter (a slide) the margin is then the one it has printed
//     fitted to Letter paper (fitMargin); when nothing fits, the document
//     is refused (ErrNoRoom), never stamped over text.

// LabelMinSize is the smallest size of a label, key or key list, in
// points: Go Bold's capitals are then close to 6 pixels tall at 72 dpi
// (100 % zoom), and their ink spans 6 rows of pixels.
const LabelMinSize = 8.0

// DefaultStampMargin is the safe print margin, in points (0.5 in):
// many printers cannot print closer to the edge.
const DefaultStampMargin = 36.0

const (
	labelMaxSize = 10.0
	stampSize    = 9.0
	stampMinSize = 7.0
)

// ErrNoRoom is the reason for a page where the Bates number or the key to
// its labels cannot be placed inside the print margin without covering
// text.
var ErrNoRoom = &redactors.Reason{Code: "no_room_for_stamp",
	Message: "no room on a page for the Bates number or the redaction key inside the print margin without covering text"}

var _ redactors.StampMargin = (*Document)(nil)

// labelState is a document's label font and layout settings.
type labelState struct {
	font   *labelFont
	margin float64 // 0: DefaultStampMargin
}

// SetStampMargin sets the safe print margin, in points, inside which the
// Bates number and the key list are drawn (redactors.StampMargin).
func (d *Document) SetStampMargin(points float64) error {
	if points < 0 || points > 144 || math.IsNaN(points) {
		return fmt.Errorf("pdf: stamp margin %v pt outside 0 to 144 (2 in)", points)
	}
	d.lab.margin = points
	return nil
}

func (d *Document) stampMargin() float64 {
	if d.lab.margin > 0 {
		return d.lab.margin
	}
	return DefaultStampMargin
}

// drawOverlay writes the boxes, the key list and the stamp of page i to w,
// drawing text in font (the resource name of the label font).
func (d *Document) drawOverlay(w *strings.Builder, i int, boxes []box, stamp, font string) error {
	lf, err := d.labels()
	if err != nil {
		return err
	}
	p, pm := &d.pages[i], d.models[i]
	// The page's text and boxes, in page space: what the Bates number and
	// the key list must not cover.
	var taken []rect
	for k := range pm.text.glyphs {
		taken = append(taken, quadRect(pm.text.glyphs[k].corners()))
	}
	// Boxes and their labels or keys.
	var keys []string
	keyOf := map[string]int{}
	for k := range boxes {
		b := &boxes[k]
		text, size := b.label, 0.0
		if text != "" {
			hgt, wid := b.t1-b.t0, b.s1-b.s0-2
			size = math.Min(labelMaxSize, hgt*0.8)
			if tw := lf.width(text, size); tw > wid && tw > 0 {
				size *= wid / tw
			}
			if size < LabelMinSize {
				n, ok := keyOf[text]
				if !ok {
					keys = append(keys, text)
					n = len(keys)
					keyOf[text] = n
				}
				text, size = "["+strconv.Itoa(n)+"]", LabelMinSize
				if lf.width(text, size) > wid {
					text = strconv.Itoa(n)
				}
				growFor(b, lf.width(text, size)+2, labelCapHeight*size+2)
			}
		}
		drawLabelledBox(w, b, lf, text, size, font)
		taken = append(taken, b.bounds)
	}
	// The Bates number, then the key list, in the page as it is seen.
	v := visibleFrame(p)
	var seen []rect
	for _, r := range taken {
		seen = append(seen, v.fromPage(r))
	}
	margin := d.stampMargin()
	if stamp != "" {
		r, size, err := placeStamp(lf, v, seen, margin, stamp, d.stampAt)
		if fm := fitMargin(v, margin); err != nil && fm < margin {
			r, size, err = placeStamp(lf, v, seen, fm, stamp, d.stampAt)
		}
		if err != nil {
			return fmt.Errorf("page %d: %w", i+1, err)
		}
		seen = append(seen, r)
		fmt.Fprintf(w, "q %s cm 1 g %s %s %s %s re f BT 0 g /%s %s Tf %s %s Td %s Tj ET Q\n",
			v.m.operands(), fmtNum(r.x0), fmtNum(r.y0), fmtNum(r.x1-r.x0), fmtNum(r.y1-r.y0),
			font, fmtNum(size), fmtNum(r.x0+2), fmtNum(r.y0+1-labelDescent*size), lf.encode(stamp))
	}
	if len(keys) > 0 {
		lines := make([]string, len(keys))
		for k, t := range keys {
			lines[k] = "[" + strconv.Itoa(k+1) + "] " + t
		}
		r, err := placeKeys(lf, v, seen, margin, lines)
		if fm := fitMargin(v, margin); err != nil && fm < margin {
			r, err = placeKeys(lf, v, seen, fm, lines)
		}
		if err != nil {
			return fmt.Errorf("page %d: %w", i+1, err)
		}
		lh := LabelMinSize * 1.25
		fmt.Fprintf(w, "q %s cm 1 g %s %s %s %s re f BT 0 g /%s %s Tf", v.m.operands(),
			fmtNum(r.x0), fmtNum(r.y0), fmtNum(r.x1-r.x0), fmtNum(r.y1-r.y0), font, fmtNum(LabelMinSize))
		for k, l := range lines {
			y := r.y1 - 1 - labelAscent*LabelMinSize - float64(k)*lh
			fmt.Fprintf(w, " 1 0 0 1 %s %s Tm %s Tj", fmtNum(r.x0+2), fmtNum(y), lf.encode(l))
		}
		w.WriteString(" ET Q\n")
	}
	return nil
}

// drawLabelledBox paints an opaque black box with text in white, centred.
func drawLabelledBox(w *strings.Builder, b *box, lf *labelFont, text string, size float64, font string) {
	fmt.Fprintf(w, "q %s %s %s %s %s %s cm 0 g %s %s %s %s re f\n",
		fmtNum(b.u[0]), fmtNum(b.u[1]), fmtNum(b.n[0]), fmtNum(b.n[1]), fmtNum(b.o[0]), fmtNum(b.o[1]),
		fmtNum(b.s0), fmtNum(b.t0), fmtNum(b.s1-b.s0), fmtNum(b.t1-b.t0))
	if text != "" && size > 0 {
		tw := lf.width(text, size)
		x := b.s0 + (b.s1-b.s0-tw)/2
		y := b.t0 + (b.t1-b.t0-labelCapHeight*size)/2
		fmt.Fprintf(w, "BT 1 g /%s %s Tf %s %s Td %s Tj ET\n", font, fmtNum(size), fmtNum(x), fmtNum(y), lf.encode(text))
	}
	w.WriteString("Q\n")
}

// growFor widens or heightens box b, about its centre, to hold a key w by
// h. Only a box narrower than a digit at LabelMinSize grows (a value of
// one or two letters): over white space, or at most a point or two over
// the edges of its neighbours, which stay in the text.
func growFor(b *box, w, h float64) {
	dw, dh := math.Max(0, w-(b.s1-b.s0)), math.Max(0, h-(b.t1-b.t0))
	if dw == 0 && dh == 0 {
		return
	}
	b.s0, b.s1, b.t0, b.t1 = b.s0-dw/2, b.s1+dw/2, b.t0-dh/2, b.t1+dh/2
	b.bounds = quadRect(b.corners())
}

// quadRect returns the bounds of four corners.
func quadRect(cs [4][2]float64) rect {
	r := rect{cs[0][0], cs[0][1], cs[0][0], cs[0][1]}
	for _, c := range cs[1:] {
		r.x0, r.y0 = math.Min(r.x0, c[0]), math.Min(r.y0, c[1])
		r.x1, r.y1 = math.Max(r.x1, c[0]), math.Max(r.y1, c[1])
	}
	return r
}

// frame is the page as it is seen (after /Rotate): W by H, with m taking
// its coordinates to page space.
type frame struct {
	m, inv matrix
	W, H   float64
}

func visibleFrame(p *page) frame {
	x0, y0 := math.Min(p.crop[0], p.crop[2]), math.Min(p.crop[1], p.crop[3])
	x1, y1 := math.Max(p.crop[0], p.crop[2]), math.Max(p.crop[1], p.crop[3])
	W, H := x1-x0, y1-y0
	var m, inv matrix
	switch p.rotate {
	case 90:
		m, inv, W, H = matrix{0, 1, -1, 0, x1, y0}, matrix{0, -1, 1, 0, -y0, x1}, H, W
	case 180:
		m, inv = matrix{-1, 0, 0, -1, x1, y1}, matrix{-1, 0, 0, -1, x1, y1}
	case 270:
		m, inv, W, H = matrix{0, -1, 1, 0, x0, y1}, matrix{0, 1, -1, 0, y1, -x0}, H, W
	default:
		m, inv = matrix{1, 0, 0, 1, x0, y0}, matrix{1, 0, 0, 1, -x0, -y0}
	}
	return frame{m: m, inv: inv, W: W, H: H}
}

// fromPage returns r (page space) in the frame's coordinates.
func (f frame) fromPage(r rect) rect {
	var cs [4][2]float64
	for k, c := range [4][2]float64{{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}} {
		cs[k][0], cs[k][1] = f.inv.apply(c[0], c[1])
	}
	return quadRect(cs)
}

// operands writes m as the operands of cm.
func (m matrix) operands() string {
	return fmtNum(m[0]) + " " + fmtNum(m[1]) + " " + fmtNum(m[2]) + " " + fmtNum(m[3]) + " " + fmtNum(m[4]) + " " + fmtNum(m[5])
}

// stampOrder lists where a Bates number may go, the asked corner first.
func stampOrder(at string) []string {
	if at == "" {
		at = "bottom-right"
	}
	out := []string{at}
	for _, p := range []string{"bottom-right", "bottom-left", "bottom-center", "top-right", "top-left", "top-center"} {
		if p != at {
			out = append(out, p)
		}
	}
	return out
}

// placeStamp returns the rectangle (frame coordinates, white ground
// included) and size of the Bates number: inside the margin, clear of
// taken; the asked corner, else another, else smaller.
func placeStamp(lf *labelFont, v frame, taken []rect, margin float64, label, at string) (rect, float64, error) {
	for size := stampSize; size >= stampMinSize; size -= 0.5 {
		w := lf.width(label, size) + 4
		h := (labelAscent-labelDescent)*size + 2
		for _, pos := range stampOrder(at) {
			r, ok := corner(v, margin, w, h, pos)
			if ok && clearOf(r, taken) {
				return r, size, nil
			}
		}
	}
	// No corner: the smallest number anywhere along the foot or the head
	// of the page, or a little further in.
	w := lf.width(label, stampMinSize) + 4
	h := (labelAscent-labelDescent)*stampMinSize + 2
	if r, ok := slide(v, margin, w, h, taken); ok {
		return r, stampMinSize, nil
	}
	return rect{}, 0, fmt.Errorf("the Bates number: %w", ErrNoRoom)
}

// placeKeys returns the rectangle (frame coordinates) of the key list.
func placeKeys(lf *labelFont, v frame, taken []rect, margin float64, lines []string) (rect, error) {
	w := 0.0
	for _, l := range lines {
		w = math.Max(w, lf.width(l, LabelMinSize))
	}
	w += 4
	h := float64(len(lines))*LabelMinSize*1.25 + 2
	for _, pos := range []string{"bottom-left", "bottom-right", "top-left", "top-right", "bottom-center", "top-center"} {
		if r, ok := corner(v, margin, w, h, pos); ok && clearOf(r, taken) {
			return r, nil
		}
	}
	if r, ok := slide(v, margin, w, h, taken); ok {
		return r, nil
	}
	return rect{}, fmt.Errorf("the key to the redaction labels: %w", ErrNoRoom)
}

// fitMargin is the print margin of a page smaller than Letter (a slide,
// a half-letter form) as it prints fitted to Letter paper, magnified: the
// margin divided by the magnification, so that on paper it is margin
// again. A page Letter-size or larger keeps margin.
func fitMargin(v frame, margin float64) float64 {
	s := math.Min(612/v.W, 792/v.H)
	if s <= 1 || math.IsInf(s, 0) || math.IsNaN(s) {
		return margin
	}
	return margin / s
}

// slide looks for a w by h rectangle inside the margin and clear of taken
// when no corner is: along the foot of the page, then its head, left to
// right in steps of slideStep points, then the same up to slideIn points
// further in from the margin (the white space under a page's last line
// or over its first).
func slide(v frame, margin, w, h float64, taken []rect) (rect, bool) {
	if w > v.W-2*margin || h > v.H-2*margin {
		return rect{}, false
	}
	for in := 0.0; in <= slideIn; in += slideStep {
		for _, y := range []float64{margin + in, v.H - margin - h - in} {
			if y < margin || y+h > v.H-margin {
				continue
			}
			for x := margin; x+w <= v.W-margin; x += slideStep {
				if r := (rect{x, y, x + w, y + h}); clearOf(r, taken) {
					return r, true
				}
			}
		}
	}
	return rect{}, false
}

// The reach of slide.
const (
	slideStep = 2.0
	slideIn   = 36.0
)

// corner returns a w by h rectangle at position pos inside the margin of
// the frame; false when the page is too small for it.
func corner(v frame, margin, w, h float64, pos string) (rect, bool) {
	if w > v.W-2*margin || h > v.H-2*margin {
		return rect{}, false
	}
	x := v.W - margin - w
	switch {
	case strings.HasSuffix(pos, "left"):
		x = margin
	case strings.HasSuffix(pos, "center"):
		x = (v.W - w) / 2
	}
	y := margin
	if strings.HasPrefix(pos, "top") {
		y = v.H - margin - h
	}
	return rect{x, y, x + w, y + h}, true
}

// clearOf reports whether r meets none of taken.
func clearOf(r rect, taken []rect) bool {
	for _, t := range taken {
		if r.intersects(t) {
			return false
		}
	}
	return true
}
