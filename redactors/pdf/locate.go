package pdf

import (
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
	x0, x1 := math.Min(p.crop[0], p.crop[2]), math.Max(p.crop[0], p.crop[2])
	y0, y1 := math.Min(p.crop[1], p.crop[3]), math.Max(p.crop[1], p.crop[3])
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 {
		return nil
	}
	var out []redactors.Rect
	for _, b := range boxes {
		var r redactors.Rect
		for i, c := range b.corners() {
			// Unrotated, from the top-left corner; then as displayed.
			u, v := displayed((c[0]-x0)/w, (y1-c[1])/h, p.rotate)
			if i == 0 {
				r = redactors.Rect{X0: u, Y0: v, X1: u, Y1: v}
				continue
			}
			r.X0, r.Y0 = math.Min(r.X0, u), math.Min(r.Y0, v)
			r.X1, r.Y1 = math.Max(r.X1, u), math.Max(r.Y1, v)
		}
		r.X0, r.Y0 = clamp01(r.X0), clamp01(r.Y0)
		r.X1, r.Y1 = clamp01(r.X1), clamp01(r.Y1)
		if r.X1 > r.X0 && r.Y1 > r.Y0 {
			out = append(out, r)
		}
	}
	return out
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
