package model

import "math/bits"

// rows is the weight table as Tag reads it. Most of the 2^bits feature
// buckets were never updated in training (about one in six rows of the
// shipped model holds a weight), so the table is kept as a bitmap of the
// rows with a weight and those rows alone, one after another: the bitmap
// (32 KiB for 2^18 buckets) and the rows (a few hundred KiB) stay in the
// caches where the whole table (2.3 MB) did not, and a bucket whose row
// is all zeros is not read at all. Sums are those of the whole table.
type rows struct {
	present []uint64 // bit b%64 of present[b/64]: row b has a non-zero weight
	rank    []uint32 // rank[i]: the rows present in present[:i]
	w       []int8   // the present rows, NumTags weights each, in bucket order
}

// newRows returns the rows of w (bucket*NumTags + tag).
func newRows(w []int8) *rows {
	n := len(w) / NumTags
	r := &rows{present: make([]uint64, (n+63)/64), rank: make([]uint32, (n+63)/64)}
	for b := 0; b < n; b++ {
		row := w[b*NumTags : (b+1)*NumTags]
		for _, v := range row {
			if v != 0 {
				r.present[b/64] |= 1 << (b % 64)
				r.w = append(r.w, row...)
				break
			}
		}
	}
	c := uint32(0)
	for i, word := range r.present {
		r.rank[i] = c
		c += uint32(bits.OnesCount64(word))
	}
	return r
}

// add adds row b's weights to s.
func (r *rows) add(s *[NumTags]int32, b uint64) {
	word := r.present[b/64]
	bit := uint64(1) << (b % 64)
	if word&bit == 0 {
		return
	}
	k := (int(r.rank[b/64]) + bits.OnesCount64(word&(bit-1))) * NumTags
	row := r.w[k : k+NumTags : k+NumTags]
	for t := range s {
		s[t] += int32(row[t])
	}
}
