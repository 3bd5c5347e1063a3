package pdf

import (
	"image"
	"math"

	"github.com/veilhq/veil/redactors"
)

var _ redactors.Locator = (*Document)(nil)

// Locate implements redactors.Locator: the boxes a redaction of
// text[start:end] of the page would draw (planPage), as fractions of the
// page's crop box as displayed, rotation applied.
func (d *Document) Locate(part, start, end int) []redactors.Rect {
	if part < 0 || part >= len(d.models) || d.models[part] == nil || start >= end || d.used {
		return nil
	}
	_, boxes := planPage(d.models[part], []redactors.Edit{{Part: part, Start: start, End: end}})
	p := &d.pages[part]
	var out []redactors.Rect
	for _, b := range boxes {
		u0, v0, u1, v1, ok := p.displayFrac(quadRect(b.corners()))
		if !ok {
			return nil
		}
		r := redactors.Rect{X0: u0, Y0: v0, X1: u1, Y1: v1}
		r.X0, r.Y0 = clamp01(r.X0), clamp01(r.Y0)
		r.X1, r.Y1 = clamp01(r.X1), clamp01(r.Y1)
		if r.X1 > r.X0 && r.Y1 > r.Y0 {
			out = append(out, r)
		}
	}
	return out
}

// displayFrac maps b, a box in page space, to the page as a viewer shows
// it: the bounds of its corners as fractions of the crop box from the
// top-left corner, rotation applied (displayed). ok is false when the crop
// box is empty. The bounds are not clipped and may be NaN or infinite.
// The one conversion from page space to the displayed page: Locate's
// boxes, the raster marks and the unread regions all go through it.
func (p *page) displayFrac(b rect) (u0, v0, u1, v1 float64, ok bool) {
	x0, x1 := math.Min(p.crop[0], p.crop[2]), math.Max(p.crop[0], p.crop[2])
	y0, y1 := math.Min(p.crop[1], p.crop[3]), math.Max(p.crop[1], p.crop[3])
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 {
		return 0, 0, 0, 0, false
	}
	for k, c := range [4][2]float64{{b.x0, b.y0}, {b.x1, b.y0}, {b.x0, b.y1}, {b.x1, b.y1}} {
		// Unrotated, from the top-left corner; then as displayed.
		u, v := displayed((c[0]-x0)/w, (y1-c[1])/h, p.rotate)
		if k == 0 {
			u0, v0, u1, v1 = u, v, u, v
			continue
		}
		u0, v0, u1, v1 = math.Min(u0, u), math.Min(v0, v), math.Max(u1, u), math.Max(v1, v)
	}
	return u0, v0, u1, v1, true
}

// displayRect is b (page space) in pixels of the page rendered pw by ph
// pixels as displayed (displayFrac), widened by pad pixels on each side
// and rounded outward. ok is false when the crop box is empty or a bound
// is not a finite number. Not clipped: callers intersect with the image.
func (p *page) displayRect(b rect, pw, ph, pad float64) (image.Rectangle, bool) {
	u0, v0, u1, v1, ok := p.displayFrac(b)
	if !ok || math.IsNaN(u0+v0+u1+v1) || math.IsInf(u0+v0+u1+v1, 0) {
		return image.Rectangle{}, false
	}
	return image.Rect(int(math.Floor(u0*pw-pad)), int(math.Floor(v0*ph-pad)), int(math.Ceil(u1*pw+pad)), int(math.Ceil(v1*ph+pad))), true
}

// displayed maps a point of the unrotated page (fractions from the
// top-left corner) to the page as a viewer shows it, turned clockwise by
// rotate degrees (/Rotate: 0, 90, 180 or 270).
func displayed(u, v float64, rotate int) (float64, float64) {
	switch rotate {
	case 90:
		return 1 - v, u
	case 180:
		return 1 - u, 1 - v
	case 270:
		return v, 1 - u
	}
	return u, v
}

func clamp01(f float64) float64 { return math.Max(0, math.Min(1, f)) }
