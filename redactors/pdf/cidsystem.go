package pdf

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"io"
	"sync"
)

// The character collections (Adobe Technical Notes #5078 Japan1, #5079
// GB1, #5080 CNS1, #5093 Korea1, #5152 KR): a CID font whose
// CIDSystemInfo names one of them (Registry Adobe) numbers its glyphs by
// the collection's CIDs, so a CID says what character it is even without a
// ToUnicode map, as pdftotext reads it. cid2uni.bin.gz holds each
// collection's CID -> Unicode table, generated from Adobe's UCS2 CMaps
// (internal/cidgen; Adobe's BSD-3-Clause licence in cid2uni.LICENSE).
//
// Format (after gzip): "VCID1", then per collection uvarint(len) name,
// uvarint(runs), and runs in CID order: uvarint(CID gap since the last
// run's end), uvarint(n); n > 0: n CIDs for consecutive characters, the
// first a zigzag varint delta from the last run's first character; n == 0:
// one CID for several characters, uvarint(k) and k deltas, each from the
// one before.

//go:generate go run ./internal/cidgen -cmaps /usr/share/poppler/cMap -out cid2uni.bin.gz
//go:embed cid2uni.bin.gz
var cid2uniData []byte

// cidTable is one collection's CID -> text table.
type cidTable struct {
	single []rune            // indexed by CID; 0: none
	multi  map[uint32]string // CIDs for several characters
}

var (
	cidTablesOnce sync.Once
	cidTables     map[string]*cidTable
)

// collectionText returns the text of a CID of the Adobe character
// collection ordering ("Japan1", "GB1", "CNS1", "Korea1", "KR").
func collectionText(ordering string, cid uint32) (string, bool) {
	cidTablesOnce.Do(func() {
		var err error
		if cidTables, err = readCIDTables(cid2uniData); err != nil {
			panic("pdf: embedded cid2uni.bin.gz: " + err.Error())
		}
	})
	t := cidTables[ordering]
	if t == nil {
		return "", false
	}
	if int(cid) < len(t.single) && t.single[cid] != 0 {
		return string(t.single[cid]), true
	}
	s, ok := t.multi[cid]
	return s, ok
}

var errCIDTable = errors.New("malformed CID table")

// maxCollectionCID bounds the CIDs of a table (the largest collection,
// Adobe-GB1, has about 30 000).
const maxCollectionCID = 1 << 16

func readCIDTables(gz []byte) (map[string]*cidTable, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(zr, 4<<20))
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte("VCID1")) {
		return nil, errCIDTable
	}
	br := bytes.NewReader(data[5:])
	uv := func() uint64 {
		v, e := binary.ReadUvarint(br)
		if e != nil && err == nil {
			err = errCIDTable
		}
		return v
	}
	sv := func() int64 {
		v, e := binary.ReadVarint(br)
		if e != nil && err == nil {
			err = errCIDTable
		}
		return v
	}
	out := map[string]*cidTable{}
	for br.Len() > 0 && err == nil {
		nl := uv()
		if nl > 32 || nl > uint64(br.Len()) {
			return nil, errCIDTable
		}
		name := make([]byte, nl)
		io.ReadFull(br, name)
		t := &cidTable{multi: map[uint32]string{}}
		runs := uv()
		next, prev := uint64(0), rune(0)
		for i := uint64(0); i < runs && err == nil; i++ {
			cid := next + uv()
			n := uv()
			if cid+max(n, 1) > maxCollectionCID {
				return nil, errCIDTable
			}
			if n == 0 {
				k := uv()
				if k > 16 {
					return nil, errCIDTable
				}
				rs := make([]rune, k)
				for j := range rs {
					prev += rune(sv())
					rs[j] = prev
				}
				t.multi[uint32(cid)] = string(rs)
				next = cid + 1
				continue
			}
			prev += rune(sv())
			if need := int(cid + n); need > len(t.single) {
				t.single = append(t.single, make([]rune, need-len(t.single))...)
			}
			for j := uint64(0); j < n; j++ {
				t.single[cid+j] = prev + rune(j)
			}
			next = cid + n
		}
		out[string(name)] = t
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
