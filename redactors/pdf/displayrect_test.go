package pdf

import (
	"image"
	"math"
	"testing"
)

// displayRect is the one conversion of a page-space box to pixels of the
// displayed page (raster marks, unread regions; Locate uses displayFrac):
// rotation applied, widened by pad, rounded outward, refused when the crop
// box is empty or a bound is not a number.
func TestDisplayRect(t *testing.T) {
	b := rect{16, 32, 48, 64}
	for _, c := range []struct {
		name   string
		rotate int
		pad    float64
		want   image.Rectangle
	}{
		{"upright", 0, 0, image.Rect(16, 192, 48, 224)},
		{"upright, padded outward", 0, 0.5, image.Rect(15, 191, 49, 225)},
		{"turned 90", 90, 0, image.Rect(32, 16, 64, 48)},
		{"turned 180", 180, 0, image.Rect(80, 32, 112, 64)},
		{"turned 270", 270, 0, image.Rect(192, 80, 224, 112)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &page{crop: [4]float64{128, 256, 0, 0}, rotate: c.rotate}
			pw, ph := 128.0, 256.0
			if c.rotate == 90 || c.rotate == 270 {
				pw, ph = ph, pw
			}
			got, ok := p.displayRect(b, pw, ph, c.pad)
			if !ok || got != c.want {
				t.Errorf("displayRect = %v, %v; want %v", got, ok, c.want)
			}
		})
	}
	p := &page{crop: [4]float64{0, 0, 128, 256}}
	if _, ok := p.displayRect(rect{math.NaN(), 0, 1, 1}, 128, 256, 0); ok {
		t.Error("a box that is not a number is placed")
	}
	if _, ok := p.displayRect(rect{0, 0, math.Inf(1), 1}, 128, 256, 0); ok {
		t.Error("an infinite box is placed")
	}
	if _, ok := (&page{crop: [4]float64{0, 0, 0, 256}}).displayRect(b, 128, 256, 0); ok {
		t.Error("a box on an empty crop box is placed")
	}
}
