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
			var s sum
			rows.add(&s, uint64(b))
			// an added row's lanes are its weights plus 128 (at least
			// 1: a weight is -127 at least); a row not read adds nothing
			got := s.scores()
			if got != ([NumTags]int32{}) {
				for k := range got {
					got[k] -= 128
				}
			}
			var want [NumTags]int32
			for k := range want {
				want[k] = int32(m.w[b*NumTags+k])
			}
			if got != want {
				t.Fatalf("%s: bucket %d: rows add %v, table holds %v", m.Version, b, got, want)
			}
		}
	}
}
