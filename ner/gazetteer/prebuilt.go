package gazetteer

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/maphash"
	"math"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/klauspost/compress/s2"
	"github.com/veilhq/veil/internal/strindex"
	"github.com/veilhq/veil/ner/lexicon"
)

// The tables that build makes from the lists at every start (most of a
// short run's start-up: reading, folding and judging half a million words
// and 150,000 places) are made once, when the lists change, and stored in
// two files: prebuilt-keys.bin, the lookup table's keys one after another
// (4.5 MB, stored as they are: a start takes them in place from the
// binary, with no copy and no step per key), and prebuilt.bin.s2, the
// rest (the keys' flags and lengths, the places), which a start
// decompresses (S2). Decompressing the keys too took ~10 ms of a start
// and 6.8 MB of heap; stored raw with the rest the file would pass the
// 5 MB limit. prebuilt.bin.s2 records a digest of the lists the tables
// were made from (lexicon.Digest) and a checksum of the keys' file: a
// start whose lists differ from those, or whose keys' file is not the one
// made with it, builds the tables from the lists instead, so a stale file
// costs time, never a different answer, and TestPrebuilt fails until both
// are made again:
//
//	go generate ./ner/gazetteer
//
//go:generate go test . -count=1 -run ^TestPrebuilt$ -update

//go:embed prebuilt.bin.s2
var prebuiltS2 []byte

//go:embed prebuilt-keys.bin
var prebuiltKeys string

// prebuiltText returns the tables of prebuilt.bin.s2 in encode's form,
// or "" when they cannot be decompressed (a start then builds them from
// the lists, as for a stale file), and the keys of prebuilt-keys.bin.
func prebuiltText() (text, keys string) {
	b, err := s2.Decode(nil, prebuiltS2)
	if err != nil || len(b) == 0 {
		return "", ""
	}
	// b is not kept or changed elsewhere: the tables read it in place.
	return unsafe.String(&b[0], len(b)), prebuiltKeys
}

// compressPrebuilt returns text as prebuilt.bin.s2 stores it.
func compressPrebuilt(text []byte) ([]byte, error) {
	return s2.EncodeBest(nil, text), nil
}

// keysSum is the checksum of the keys' file that prebuilt.bin.s2 records
// (CRC-32C, which the processor computes: well under a millisecond).
func keysSum(keys string) uint32 {
	return crc32.Update(0, crc32.MakeTable(crc32.Castagnoli), unsafe.Slice(unsafe.StringData(keys), len(keys)))
}

// sources are the lexicon concepts the tables are made from.
var sources = []string{"cities", "common-words", "countries", "dictionary-words", "first-names", "last-names", "regions", "safe-words", "us-states"}

// counted are the lists whose lengths Set.Len returns.
var counted = []Flags{Safe, Extra, First, Last, dictWord}

const magic = "veil gazetteer tables 3\n"

// encode writes the tables d of the lists whose digest is digest: text,
//
//	veil gazetteer tables 3
//	sources DIGEST
//	counts SAFE EXTRA FIRST LAST DICT
//	keys N BYTES CRC
//	N bytes: each key's Flags (in the table's order)
//	N uvarints: each key's length
//	"\n"
//	places M
//	M records: "1" for a town or "0", the phrase, "\n" (sorted)
//
// and keys, the BYTES bytes of the keys one after another (CRC is their
// keysSum). The keys are stored as the table holds them (table.blob and
// flags), so that a start reads them without a step per key.
func encode(d *data, digest string) (text, keys []byte) {
	var b bytes.Buffer
	b.WriteString(magic)
	fmt.Fprintf(&b, "sources %s\ncounts", digest)
	for _, f := range counted {
		fmt.Fprintf(&b, " %d", d.count[f])
	}
	t := d.flags
	fmt.Fprintf(&b, "\nkeys %d %d %d\n", len(t.ends), len(t.blob), keysSum(string(t.blob)))
	for _, f := range t.flags {
		b.WriteByte(byte(f))
	}
	for i := range t.ends {
		b.Write(binary.AppendUvarint(nil, uint64(len(t.key(i)))))
	}
	b.WriteByte('\n')
	phrases := make([]string, d.places.idx.Len())
	for i := range phrases {
		phrases[i] = d.places.idx.Key(i)
	}
	sort.Strings(phrases)
	fmt.Fprintf(&b, "places %d\n", len(phrases))
	for _, p := range phrases {
		if town, _ := d.places.get(p); town {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.Bytes(), append([]byte(nil), t.blob...)
}

var errStale = errors.New("gazetteer: the prebuilt tables were made from other lists")

// parse reads the tables from text and keys, encode's form. keys is
// read in place and must not change while the tables live.
func parse(text, keys string) (*data, error) {
	bad := errors.New("gazetteer: malformed prebuilt tables")
	line := func() string {
		l, rest, _ := strings.Cut(text, "\n")
		text = rest
		return l
	}
	field := func(name string) string {
		v, ok := strings.CutPrefix(line(), name+" ")
		if !ok {
			return ""
		}
		return v
	}
	number := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return -1
		}
		return n
	}
	var ok bool
	if text, ok = strings.CutPrefix(text, magic); !ok {
		return nil, bad
	}
	want, err := lexicon.Digest(sources...)
	if err != nil {
		return nil, err
	}
	if field("sources") != want {
		return nil, errStale
	}
	d := &data{count: map[Flags]int{}}
	counts := strings.Fields(field("counts"))
	if len(counts) != len(counted) {
		return nil, bad
	}
	for i, f := range counted {
		if d.count[f] = number(counts[i]); d.count[f] < 0 {
			return nil, bad
		}
	}
	sizes := strings.Fields(field("keys"))
	if len(sizes) != 3 {
		return nil, bad
	}
	n, size := number(sizes[0]), number(sizes[1])
	if n < 0 || size < 0 || n > len(text) || len(text) < n+1 || uint64(size) > math.MaxUint32 {
		return nil, bad
	}
	if size != len(keys) || sizes[2] != strconv.FormatUint(uint64(keysSum(keys)), 10) {
		return nil, errStale // another keys' file than the one made with text
	}
	t := &table{
		seed:  maphash.MakeSeed(),
		flags: make([]Flags, n),
		ends:  make([]uint32, n),
	}
	for i := range n {
		t.flags[i] = Flags(text[i])
	}
	text = text[n:]
	end := uint64(0)
	for i := range n {
		l, w := uvarint(text)
		if w <= 0 || l == 0 || l > uint64(size)-end {
			return nil, bad
		}
		text = text[w:]
		end += l
		t.ends[i] = uint32(end)
	}
	if end != uint64(size) || len(text) < 1 || text[0] != '\n' {
		return nil, bad
	}
	// The keys are read in place (they are not changed while the process
	// lives: the embedded file is read-only); the capacity ends with
	// them, so that a key added later is appended to a copy.
	t.blob = unsafe.Slice(unsafe.StringData(keys), size)[:size:size]
	text = text[1:]
	t.rehash()
	if len(t.ends) != n {
		return nil, bad
	}
	d.flags = t
	m := number(field("places"))
	if m < 0 {
		return nil, bad
	}
	d.places = placeSet{idx: strindex.New(m), town: make([]bool, 0, m)}
	for range m {
		l, rest, found := strings.Cut(text, "\n")
		if !found || len(l) < 2 || l[0] != '0' && l[0] != '1' {
			return nil, bad
		}
		text = rest
		d.places.idx.Push(l[1:])
		d.places.town = append(d.places.town, l[0] == '1')
	}
	if text != "" || !d.places.idx.Place() { // a phrase twice: damaged
		return nil, bad
	}
	return d, nil
}

// uvarint is binary.Uvarint of the start of s.
func uvarint(s string) (uint64, int) {
	var x uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, -(i + 1)
			}
			return x | uint64(b)<<(7*i), i + 1
		}
		x |= uint64(b&0x7f) << (7 * i)
	}
	return 0, 0
}
