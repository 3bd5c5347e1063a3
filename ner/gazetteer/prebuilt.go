package gazetteer

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"github.com/veilhq/veil/internal/strindex"
	"github.com/veilhq/veil/ner/lexicon"
)

// A Flags must be one byte: a prebuilt table's flags are copied from the
// file as raw bytes. This line does not compile otherwise.
var _ [1]struct{} = [unsafe.Sizeof(Flags(0))]struct{}{}

// The tables that build makes from the lists at every start (most of a
// short run's start-up: reading, folding and judging half a million words
// and 150,000 places) are made once, when the lists change, and stored in
// two files, both embedded as they are (a start reads them in place, with
// nothing to decompress): prebuilt-keys.bin, the lookup table's keys one
// after another (4.5 MB), and prebuilt.bin, the rest (the keys' flags,
// lengths and slots, the places and theirs; 2.6 MB). A start places no
// key: the files record the slot of every key, found with
// strindex.Hash, which is the same in every process. prebuilt.bin
// records a digest of the lists the tables were made from
// (lexicon.Digest), the hash's fingerprint, a sum of itself and a
// checksum of the keys' file: a start whose lists differ from those, whose
// hash differs, or whose files are damaged or not made together, builds
// the tables from the lists instead, so a stale file costs time, never a
// different answer, and TestPrebuilt fails until both are made again:
//
//	go generate ./ner/gazetteer
//
//go:generate go test . -count=1 -run ^TestPrebuilt$ -update

//go:embed prebuilt.bin
var prebuilt string

//go:embed prebuilt-keys.bin
var prebuiltKeys string

// prebuiltText returns the tables of prebuilt.bin in encode's form and
// the keys of prebuilt-keys.bin.
func prebuiltText() (text, keys string) { return prebuilt, prebuiltKeys }

// keysSum is the checksum of the keys' file that prebuilt.bin records
// (CRC-32C, which the processor computes: well under a millisecond).
func keysSum(keys string) uint32 {
	return crc32.Update(0, crc32.MakeTable(crc32.Castagnoli), unsafe.Slice(unsafe.StringData(keys), len(keys)))
}

// sources are the lexicon concepts the tables are made from.
var sources = []string{"cities", "common-words", "countries", "dictionary-words", "first-names", "last-names", "regions", "safe-words", "us-states"}

// counted are the lists whose lengths Set.Len returns.
var counted = []Flags{Safe, Extra, First, Last, dictWord}

const magic = "veil gazetteer tables 4\n"

// encode writes the tables d of the lists whose digest is digest: text,
//
//	veil gazetteer tables 4
//	sources DIGEST
//	hash FINGERPRINT (strindex.Fingerprint: the hash the slots were placed with)
//	sum CRC (keysSum of the rest of the text, from the next line on)
//	counts SAFE EXTRA FIRST LAST DICT
//	keys N BYTES CRC SLOTS
//	N bytes: each key's Flags (in the order of their slots)
//	N uvarints: each key's length
//	SLOTS/8 bytes: a bit a slot, set for a slot that holds a key (little-endian 64-bit words)
//	"\n"
//	places M SLOTS
//	M records: "1" for a town or "0", the phrase, "\n" (in the order of their slots)
//	SLOTS/8 bytes: the phrases' slots, as the keys'
//
// and keys, the BYTES bytes of the keys one after another (CRC is their
// keysSum), in the order of their slots in the table of SLOTS slots. The
// keys are stored as the table holds them (table.blob, flags, slots), so
// that a start reads them without a step per key but a length and a slot:
// it hashes and places no key (the slots were found with strindex.Hash,
// which every process computes alike; a start whose Hash differs reads
// nothing, as for a stale file).
func encode(d *data, digest string) (text, keys []byte) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "counts")
	for _, f := range counted {
		fmt.Fprintf(&b, " %d", d.count[f])
	}
	t := d.flags
	var order, slots []uint32
	for s, e := range t.slots {
		if e != 0 {
			order = append(order, e-1)
			slots = append(slots, uint32(s))
		}
	}
	var blob []byte
	for _, i := range order {
		blob = append(blob, t.key(int(i))...)
	}
	fmt.Fprintf(&b, "\nkeys %d %d %d %d\n", len(order), len(blob), keysSum(string(blob)), len(t.slots))
	for _, i := range order {
		b.WriteByte(byte(t.flags[i]))
	}
	for _, i := range order {
		b.Write(binary.AppendUvarint(nil, uint64(len(t.key(int(i))))))
	}
	b.Write(strindex.AppendBitmap(nil, slots, len(t.slots)))
	b.WriteByte('\n')
	var phrases []int
	slots = slots[:0]
	n := d.places.idx.Slots(func(i, s int) {
		phrases = append(phrases, i)
		slots = append(slots, uint32(s))
	})
	fmt.Fprintf(&b, "places %d %d\n", len(phrases), n)
	for _, i := range phrases {
		if d.places.town[i] {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
		b.WriteString(d.places.idx.Key(i))
		b.WriteByte('\n')
	}
	b.Write(strindex.AppendBitmap(nil, slots, n))
	var head bytes.Buffer
	head.WriteString(magic)
	fmt.Fprintf(&head, "sources %s\nhash %d\nsum %d\n", digest, strindex.Fingerprint(), keysSum(b.String()))
	head.Write(b.Bytes())
	return head.Bytes(), blob
}

var errStale = errors.New("gazetteer: the prebuilt tables were made from other lists")

// parse reads the tables from text and keys, encode's form. keys is
// read in place and must not change while the tables live. It reads
// nothing made from other lists, with another Hash or damaged (a sum of
// the text and of the keys, checked first), so that the slots it takes
// from the text are those encode found.
func parse(text, keys string) (*data, error) {
	var ok bool
	if text, ok = strings.CutPrefix(text, magic); !ok {
		return nil, errMalformed
	}
	want, err := lexicon.Digest(sources...)
	if err != nil {
		return nil, err
	}
	l, text, _ := strings.Cut(text, "\n")
	if l != "sources "+want {
		return nil, errStale
	}
	l, text, _ = strings.Cut(text, "\n")
	if l != "hash "+strconv.FormatUint(strindex.Fingerprint(), 10) {
		return nil, errStale
	}
	l, text, _ = strings.Cut(text, "\n")
	if l != "sum "+strconv.FormatUint(uint64(keysSum(text)), 10) {
		return nil, errMalformed
	}
	return parseBody(text, keys)
}

var errMalformed = errors.New("gazetteer: malformed prebuilt tables")

// parseBody is parse of the text after the sum's line: it never panics,
// whatever text holds, and checks every length and slot it reads, but
// trusts that each slot is where strindex.Hash puts its key (parse's sum
// and encode's tests see to that).
func parseBody(text, keys string) (*data, error) {
	bad := errMalformed
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
	if len(sizes) != 4 {
		return nil, bad
	}
	n, size, nslots := number(sizes[0]), number(sizes[1]), number(sizes[3])
	if n < 0 || size < 0 || n > len(text) || len(text) < n+1 || uint64(size) > math.MaxUint32 || !slotCount(nslots, n) {
		return nil, bad
	}
	if size != len(keys) || sizes[2] != strconv.FormatUint(uint64(keysSum(keys)), 10) {
		return nil, errStale // another keys' file than the one made with text
	}
	t := &table{
		flags: make([]Flags, n),
		ends:  make([]uint32, n),
	}
	if n > 0 {
		copy(unsafe.Slice((*byte)(&t.flags[0]), n), text[:n]) // Flags are bytes (checked at compile time above)
	}
	text = text[n:]
	end := uint64(0)
	for i := range n {
		// a key's length is one byte (under 128) but in a damaged file or
		// for a very long key
		l, w := uint64(0), 1
		if len(text) > 0 && text[0] < 0x80 {
			l = uint64(text[0])
		} else if l, w = uvarint(text); w <= 0 {
			return nil, bad
		}
		if l == 0 || l > uint64(size)-end {
			return nil, bad
		}
		text = text[w:]
		end += l
		t.ends[i] = uint32(end)
	}
	if end != uint64(size) {
		return nil, bad
	}
	slots, rest, ok := strindex.BitmapSlots(text, nslots, n)
	if !ok || len(rest) < 1 || rest[0] != '\n' {
		return nil, bad
	}
	text = rest[1:]
	// The keys are read in place (they are not changed while the process
	// lives: the embedded file is read-only); the capacity ends with
	// them, so that a key added later is appended to a copy.
	t.blob = unsafe.Slice(unsafe.StringData(keys), size)[:size:size]
	t.slots = slots
	d.flags = t
	sizes = strings.Fields(field("places"))
	if len(sizes) != 2 {
		return nil, bad
	}
	m, mslots := number(sizes[0]), number(sizes[1])
	if m < 0 || m > len(text) || !slotCount(mslots, m) {
		return nil, bad
	}
	d.places = placeSet{idx: strindex.ForPush(m), town: make([]bool, 0, m)}
	for range m {
		l, rest, found := strings.Cut(text, "\n")
		if !found || len(l) < 2 || l[0] != '0' && l[0] != '1' {
			return nil, bad
		}
		text = rest
		d.places.idx.Push(l[1:])
		d.places.town = append(d.places.town, l[0] == '1')
	}
	slots, text, ok = strindex.BitmapSlots(text, mslots, m)
	if !ok || text != "" || !d.places.idx.PlaceAt(slots) {
		return nil, bad
	}
	return d, nil
}

// slotCount reports whether a table of n keys may have s slots: a power
// of two with room for every key and an empty slot, which ends a lookup's
// probe, and not far more than n needs (the tables double their slots
// when half are taken: at most 8 a key, or 1024).
func slotCount(s, n int) bool {
	return s > n && s >= 64 && s&(s-1) == 0 && s <= max(1024, 8*(n+1))
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
