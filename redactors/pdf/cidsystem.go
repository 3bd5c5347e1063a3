package pdf

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"sync"
	"unicode/utf16"
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
// one before. Sections named "U:<collection>" hold the predefined
// Uni…-UTF16-H CMaps the same way, code point -> CID (the CID as the
// "character"). Size: 257 KiB gzipped (116 KiB the CID tables, 141 KiB
// the Unicode CMaps).

//go:generate go run ./internal/cidgen -cmaps /usr/share/poppler/cMap -out cid2uni.bin.gz
//go:embed cid2uni.bin.gz
var cid2uniData []byte

// cidTable is one collection's CID -> text table, or (sections "U:…")
// a predefined Unicode CMap's code point -> CID table (values as runes).
type cidTable struct {
	single []rune            // indexed by key below 1<<16; 0: none
	multi  map[uint32]string // keys with several characters, or above 1<<16
}

// get returns the value of key k.
func (t *cidTable) get(k uint32) (string, bool) {
	if int(k) < len(t.single) && t.single[k] != 0 {
		return string(t.single[k]), true
	}
	s, ok := t.multi[k]
	return s, ok
}

var (
	cidTablesOnce sync.Once
	cidTables     map[string]*cidTable
)

// collectionText returns the text of a CID of the Adobe character
// collection ordering ("Japan1", "GB1", "CNS1", "Korea1", "KR").
func collectionText(ordering string, cid uint32) (string, bool) {
	loadCIDTables()
	t := cidTables[ordering]
	if t == nil || strings.HasPrefix(ordering, "U:") {
		return "", false
	}
	return t.get(cid)
}

func loadCIDTables() {
	cidTablesOnce.Do(func() {
		var err error
		if cidTables, err = readCIDTables(cid2uniData); err != nil {
			panic("pdf: embedded cid2uni.bin.gz: " + err.Error())
		}
	})
}

// Predefined Unicode CMaps (Uni{JIS,GB,CNS,KS}-{UCS2,UTF16}-{H,V}): the
// codes are UTF-16 (UCS-2: two bytes each), so the text is the code;
// their CIDs (for widths) come from the collection's UTF16-H CMap. A -V
// CMap gives a few vertical forms other CIDs; Veil takes the horizontal
// ones, whose text is the same.
var uniCMapCollections = map[string]string{"UniJIS": "Japan1", "UniGB": "GB1", "UniCNS": "CNS1", "UniKS": "Korea1"}

var (
	uniCMapsMu sync.Mutex
	uniCMaps   = map[string]*cmap{}
)

// predefinedUniCMap returns the CMap of a predefined Unicode CMap name,
// its collection and whether it is vertical; nil for other names.
func predefinedUniCMap(name string) (m *cmap, ordering string, vertical bool) {
	parts := strings.Split(name, "-")
	if len(parts) != 3 || (parts[1] != "UCS2" && parts[1] != "UTF16") || (parts[2] != "H" && parts[2] != "V") {
		return nil, "", false
	}
	ordering = uniCMapCollections[parts[0]]
	if ordering == "" {
		return nil, "", false
	}
	key := parts[0] + "-" + parts[1]
	uniCMapsMu.Lock()
	defer uniCMapsMu.Unlock()
	if m = uniCMaps[key]; m != nil {
		return m, ordering, parts[2] == "V"
	}
	loadCIDTables()
	t := cidTables["U:"+ordering]
	if t == nil {
		return nil, "", false
	}
	m = &cmap{cids: map[uint64]uint32{}}
	m.space = append(m.space, codeRange{n: 2, lo: [4]byte{0, 0}, hi: [4]byte{0xff, 0xff}})
	if parts[1] == "UTF16" {
		m.space = []codeRange{
			{n: 2, lo: [4]byte{0, 0}, hi: [4]byte{0xd7, 0xff}},
			{n: 4, lo: [4]byte{0xd8, 0, 0xdc, 0}, hi: [4]byte{0xdb, 0xff, 0xdf, 0xff}},
			{n: 2, lo: [4]byte{0xe0, 0}, hi: [4]byte{0xff, 0xff}},
		}
	}
	add := func(u uint32, cid rune) {
		if u < 1<<16 {
			m.cids[codeKey(2, u)] = uint32(cid)
		} else if parts[1] == "UTF16" {
			hi, lo := utf16.EncodeRune(rune(u))
			m.cids[codeKey(4, uint32(hi)<<16|uint32(lo))] = uint32(cid)
		}
	}
	for u, cid := range t.single {
		if cid != 0 {
			add(uint32(u), cid)
		}
	}
	for u, s := range t.multi {
		if r := []rune(s); len(r) == 1 {
			add(u, r[0])
		}
	}
	uniCMaps[key] = m
	return m, ordering, parts[2] == "V"
}

var errCIDTable = errors.New("malformed CID table")

// maxCollectionCID is the size of a table's dense part (the largest
// collection, Adobe-GB1, has about 30 000 CIDs); larger keys (code points
// beyond the BMP) go to its map.
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
			if cid+max(n, 1) > 0x110000 {
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
			if need := int(min(cid+n, maxCollectionCID)); need > len(t.single) {
				t.single = append(t.single, make([]rune, need-len(t.single))...)
			}
			for j := uint64(0); j < n; j++ {
				if k := cid + j; k < maxCollectionCID {
					t.single[k] = prev + rune(j)
				} else {
					t.multi[uint32(k)] = string(prev + rune(j))
				}
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
