package pdf

import (
	"encoding/binary"
	"image"
	"testing"
)

// FuzzUnreadRegions: any boxes of passed-over glyphs (any size, place,
// page rotation) give at most maxUnreadRegions regions inside the
// rendering, none overlapping another, and every box that lands inside
// the rendering is inside one region (nil when over the bound).
func FuzzUnreadRegions(f *testing.F) {
	f.Add([]byte{10, 20, 30, 10, 40, 20, 60, 10, 0})
	f.Add([]byte{0, 0, 255, 255, 1, 1, 2, 2, 90})
	f.Add([]byte{100, 100, 110, 112, 115, 100, 125, 112, 200, 100, 210, 112, 180})
	f.Fuzz(func(t *testing.T, data []byte) {
		rot := 0
		if len(data)%4 != 0 {
			rot = 90 * int(data[len(data)-1]%4)
		}
		var boxes []rect
		for i := 0; i+8 <= len(data) && len(boxes) < 64; i += 8 {
			v := func(k int) float64 { return float64(int16(binary.BigEndian.Uint16(data[i+k:]))) / 40 }
			boxes = append(boxes, rect{v(0), v(2), v(0) + v(4), v(2) + v(6)})
		}
		d := &Document{pages: []page{{crop: [4]float64{0, 0, 612, 792}, rotate: rot}}, models: []*pageModel{{unread: boxes}}}
		bounds := image.Rect(0, 0, 1700, 2200)
		if rot == 90 || rot == 270 {
			bounds = image.Rect(0, 0, 2200, 1700)
		}
		regions := d.unreadRegions(0, bounds)
		if len(regions) > maxUnreadRegions {
			t.Fatalf("%d regions", len(regions))
		}
		for a, ra := range regions {
			if ra.Empty() || !ra.In(bounds) {
				t.Fatalf("region %v outside the rendering", ra)
			}
			for _, rb := range regions[a+1:] {
				if ra.Overlaps(rb) {
					t.Fatalf("regions %v and %v overlap", ra, rb)
				}
			}
		}
		if regions == nil {
			return
		}
		// Every box that lands in the rendering is in a region.
		d2 := &Document{pages: d.pages}
		for _, b := range boxes {
			d2.models = []*pageModel{{unread: []rect{b}}}
			one := d2.unreadRegions(0, bounds)
			if len(one) != 1 {
				continue // outside the rendering, or not a number
			}
			in := false
			for _, r := range regions {
				if one[0].Intersect(r) == one[0] || one[0].In(r) {
					in = true
				}
			}
			if !in {
				t.Fatalf("box %v (region alone %v) in no region of %v", b, one[0], regions)
			}
		}
	})
}
