package model

import (
	"math/rand"
	"testing"
)

// TestRowsSumLikeTheTable: for every bucket of the shipped model, and of a
// small random one, the compact rows add what the whole table holds.
func TestRowsSumLikeTheTable(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	small := make([]float32, (1<<10)*NumTags)
	for i := range small {
		if r.Intn(5) == 0 {
			small[i] = r.Float32()*2 - 1
		}
	}
	for _, m := range []*Model{loadShipped(t), New("small", 10, small, 1, 0)} {
		if len(m.w) == 0 {
			continue
		}
		rows := newRows(m.w)
		for b := 0; b < len(m.w)/NumTags; b++ {
			var got, want [NumTags]int32
			rows.add(&got, uint64(b))
			for k := range want {
				want[k] = int32(m.w[b*NumTags+k])
			}
			if got != want {
				t.Fatalf("%s: bucket %d: rows add %v, table holds %v", m.Version, b, got, want)
			}
		}
	}
}
