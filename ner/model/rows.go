package model

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// newRows reads a row's first eight weights as one word: NumTags is at
// least 8 (else this does not compile).
var _ [NumTags - 8]struct{}

// rows is the weight table as Tag reads it. Most of the 2^bits feature
// buckets were never updated in training (about one in six rows of the
// shipped model holds a weight), so the table is kept as a bitmap of the
// rows with a weight and those rows alone, one after another: the bitmap
// (32 KiB for 2^18 buckets) and the rows (a few hundred KiB) stay in the
// caches where the whole table (2.3 MB) did not, and a bucket whose row
// is all zeros is not read at all. Sums are those of the whole table.
type rows struct {
	// blocks[i] holds the bitmap of buckets 64i to 64i+63 and the rows
	// present before them, side by side: a bucket's lookup reads one
	// cache line of them, not one of a bitmap and one of ranks.
	blocks []block
	// w holds the present rows, NumTags weights each, in bucket order,
	// each weight as a byte plus 128 (0 to 255, byte(v)^0x80): a row's
	// first eight are added to a sum's lanes as one word (sum).
	w []byte
}

// block is 64 buckets of the table.
type block struct {
	present uint64 // bit b%64: row b has a non-zero weight
	rank    uint32 // the rows present in the blocks before
	_       uint32
}

// newRows returns the rows of w (bucket*NumTags + tag).
func newRows(w []int8) *rows {
	n := len(w) / NumTags
	r := &rows{blocks: make([]block, (n+63)/64)}
	count := 0
	// most rows are all zeros: a row's first eight weights are read as
	// one word (the bytes of w, an int8 being a byte), then the rest
	bs := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), len(w))
	for b := 0; b < n; b++ {
		row := bs[b*NumTags : (b+1)*NumTags]
		nz := binary.LittleEndian.Uint64(row) != 0
		for _, v := range row[8:] {
			nz = nz || v != 0
		}
		if nz {
			r.blocks[b/64].present |= 1 << (b % 64)
			count++
		}
	}
	r.w = make([]byte, 0, count*NumTags)
	c := uint32(0)
	for i := range r.blocks {
		blk := &r.blocks[i]
		blk.rank = c
		c += uint32(bits.OnesCount64(blk.present))
		for word := blk.present; word != 0; word &= word - 1 {
			b := i*64 + bits.TrailingZeros64(word)
			// v + 128: the first eight weights as one word, then the ninth
			o := len(r.w)
			r.w = r.w[:o+NumTags]
			row := bs[b*NumTags : (b+1)*NumTags]
			binary.LittleEndian.PutUint64(r.w[o:], binary.LittleEndian.Uint64(row)^0x8080808080808080)
			r.w[o+8] = row[8] ^ 0x80
		}
	}
	return r
}

// add adds row b's weights to s.
func (r *rows) add(s *sum, b uint64) {
	blk := &r.blocks[b/64]
	bit := uint64(1) << (b % 64)
	if blk.present&bit == 0 {
		return
	}
	k := (int(blk.rank) + bits.OnesCount64(blk.present&(bit-1))) * NumTags
	row := (*[NumTags]byte)(r.w[k : k+NumTags])
	x := binary.LittleEndian.Uint64(row[:8])
	s.even += x & lanes
	s.odd += x >> 8 & lanes
	s.last += uint64(row[8])
}
