package ocr

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// lowImage is a 60 × 20 image of background bg with a block of ink
// (columns 20–39, rows 5–14).
func lowImage(bg, ink uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 60, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 60; x++ {
			v := bg
			if x >= 20 && x < 40 && y >= 5 && y < 15 {
				v = ink
			}
			g.SetGray(x, y, color.Gray{Y: v})
		}
	}
	return g
}

// The region's background becomes white and its ink black, whichever is
// darker in the source; the border is white; boxes map back.
func TestMakeLegible(t *testing.T) {
	for _, c := range []struct {
		name    string
		bg, ink uint8
		invert  bool
	}{
		{"light on white", 255, 225, false},
		{"green on dark", 40, 90, true},
	} {
		for _, binary := range []bool{false, true} {
			src := lowImage(c.bg, c.ink)
			before := append([]uint8(nil), src.Pix...)
			l := MakeLegible(src, image.Rect(10, 2, 50, 18), LegibleOptions{Scale: 2, Binary: binary})
			if l == nil {
				t.Fatalf("%s: nil", c.name)
			}
			if string(before) != string(src.Pix) {
				t.Errorf("%s: the source changed", c.name)
			}
			if l.Inverted != c.invert || l.Spread != int(max(c.bg, c.ink))-int(min(c.bg, c.ink)) {
				t.Errorf("%s: inverted %v spread %d", c.name, l.Inverted, l.Spread)
			}
			if b := l.Img.Rect; b.Dx() != 80+2*LegibleBorder || b.Dy() != 32+2*LegibleBorder {
				t.Errorf("%s: size %v", c.name, b)
			}
			// (30, 10) of the source is ink, (12, 3) background.
			at := func(x, y int) uint8 {
				return l.Img.GrayAt(LegibleBorder+int(float64(x-10)*2)+1, LegibleBorder+int(float64(y-2)*2)+1).Y
			}
			if at(30, 10) != 0 || at(12, 3) != 255 || l.Img.GrayAt(0, 0).Y != 255 {
				t.Errorf("%s binary %v: ink %d, background %d, border %d", c.name, binary, at(30, 10), at(12, 3), l.Img.GrayAt(0, 0).Y)
			}
			box := image.Rect(LegibleBorder+20, LegibleBorder+6, LegibleBorder+60, LegibleBorder+26)
			if got := l.Back(box); got != image.Rect(20, 5, 40, 15) {
				t.Errorf("%s: back %v", c.name, got)
			}
		}
	}
	if MakeLegible(lowImage(200, 200), image.Rect(0, 0, 60, 20), LegibleOptions{}) != nil {
		t.Error("a region of one grey is made legible")
	}
	if MakeLegible(lowImage(255, 0), image.Rect(70, 0, 90, 20), LegibleOptions{}) != nil {
		t.Error("a region outside the image is made legible")
	}
}

func TestOtsu(t *testing.T) {
	var h [256]int
	h[40], h[90] = 900, 100
	if v := Otsu(&h); v < 40 || v >= 90 {
		t.Errorf("Otsu %d, want in [40, 90)", v)
	}
	var one [256]int
	one[7] = 5
	if v := Otsu(&one); v != 7 {
		t.Errorf("one level: %d", v)
	}
	var none [256]int
	if v := Otsu(&none); v != 0 {
		t.Errorf("empty: %d", v)
	}
}

// FuzzMakeLegible: any image, region and scale give an image of the
// region's size magnified plus the border, or nil for an empty or flat
// region; a box over the whole result maps back over the region.
func FuzzMakeLegible(f *testing.F) {
	f.Add([]byte{0, 255, 30, 200, 17}, 5, 3, -2, 1, 9, 7, 2.5, true)
	f.Add([]byte{40, 90}, 8, 8, 2, 2, 6, 6, 1.0, false)
	f.Fuzz(func(t *testing.T, pix []byte, w, h, x0, y0, x1, y1 int, scale float64, binary bool) {
		if w <= 0 || h <= 0 || w > 64 || h > 64 || len(pix) == 0 {
			return
		}
		src := image.NewGray(image.Rect(0, 0, w, h))
		for i := range src.Pix {
			src.Pix[i] = pix[i%len(pix)]
		}
		r := image.Rect(x0, y0, x1, y1)
		l := MakeLegible(src, r, LegibleOptions{Scale: scale, Binary: binary})
		c := r.Intersect(src.Rect)
		if l == nil {
			return
		}
		if c.Empty() {
			t.Fatalf("an empty region %v made legible", r)
		}
		if l.Scale < 1 || l.Scale > MaxLegibleScale || math.IsNaN(l.Scale) {
			t.Fatalf("scale %v", l.Scale)
		}
		wantW := int(math.Round(float64(c.Dx())*l.Scale)) + 2*LegibleBorder
		wantH := int(math.Round(float64(c.Dy())*l.Scale)) + 2*LegibleBorder
		if l.Img.Rect.Dx() != wantW || l.Img.Rect.Dy() != wantH {
			t.Fatalf("size %v, want %d × %d", l.Img.Rect, wantW, wantH)
		}
		inner := l.Img.Rect.Inset(LegibleBorder)
		if back := l.Back(inner); !c.In(back.Inset(-1)) {
			t.Fatalf("back %v does not cover the region %v", back, c)
		}
	})
}
