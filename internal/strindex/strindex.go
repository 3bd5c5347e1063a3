// Package strindex numbers distinct strings for tables read at start-up.
package strindex

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// Index numbers distinct strings in the order they are added: an
// open-addressing hash table of 32-bit slots over the strings, which may
// be parts of embedded data (prose's models, the gazetteer's places).
// Tables of a hundred thousand strings read at every start are indexed by
// it instead of by Go maps: it is built without an allocation per string
// (map inserts were half of reading prose's classifier), and a lookup, of
// a string or of bytes, costs one hash and a probe as a map's does. Not
// safe for concurrent adds; lookups may run concurrently once it is
// built.
type Index struct {
	keys  []string
	slots []uint32 // 1 + the number of a key; 0: an empty slot
}

// New returns an empty index with room for capacity strings
// (it grows past that).
func New(capacity int) *Index {
	x := &Index{keys: make([]string, 0, capacity)}
	x.slots = make([]uint32, slotsFor(capacity))
	return x
}

// ForPush returns an empty index with room for capacity strings and no
// slots yet: for a reader that pushes its strings (Push) and then places
// them (Place, or PlaceAt with stored slots), so that neither the keys
// grow nor slots are made that PlaceAt would drop.
func ForPush(capacity int) *Index {
	return &Index{keys: make([]string, 0, capacity)}
}

// slotsFor is the number of slots for n keys: a power of two, at least
// twice n.
func slotsFor(n int) int {
	s := 64
	for s < 2*n+2 {
		s *= 2
	}
	return s
}

// Len returns the number of strings.
func (x *Index) Len() int { return len(x.keys) }

// Add returns the number of k, adding it if it is new (new reports
// whether it was).
func (x *Index) Add(k string) (n int32, new bool) {
	mask := uint64(len(x.slots) - 1)
	s := Hash(k) & mask
	for ; x.slots[s] != 0; s = (s + 1) & mask {
		if e := x.slots[s]; x.keys[e-1] == k {
			return int32(e - 1), false
		}
	}
	x.keys = append(x.keys, k)
	x.slots[s] = uint32(len(x.keys))
	if 2*len(x.keys)+2 > len(x.slots) {
		x.grow()
	}
	return int32(len(x.keys) - 1), true
}

// grow doubles the slots and places every key again.
func (x *Index) grow() {
	x.slots = make([]uint32, 2*len(x.slots))
	mask := uint64(len(x.slots) - 1)
	for i, k := range x.keys {
		s := Hash(k) & mask
		for x.slots[s] != 0 {
			s = (s + 1) & mask
		}
		x.slots[s] = uint32(i + 1)
	}
}

// Get returns the number of k; false if k is not in the index.
func (x *Index) Get(k string) (int32, bool) {
	mask := uint64(len(x.slots) - 1)
	for s := Hash(k) & mask; ; s = (s + 1) & mask {
		e := x.slots[s]
		if e == 0 {
			return 0, false
		}
		if x.keys[e-1] == k {
			return int32(e - 1), true
		}
	}
}

// GetBytes is Get of a string held in bytes, without allocating.
func (x *Index) GetBytes(k []byte) (int32, bool) {
	mask := uint64(len(x.slots) - 1)
	for s := HashBytes(k) & mask; ; s = (s + 1) & mask {
		e := x.slots[s]
		if e == 0 {
			return 0, false
		}
		if x.keys[e-1] == string(k) {
			return int32(e - 1), true
		}
	}
}

// Push appends k without placing it in the slots: a reader that knows
// its strings up front pushes them all, then calls Place once, before
// any lookup.
func (x *Index) Push(k string) { x.keys = append(x.keys, k) }

// Place puts every key in slots enough for them, and reports false if a
// key is there twice. The keys are placed in the order of their home
// slots, bucket by bucket (a counting sort on the home slot's top bits),
// not in the order of the keys: placing a hundred thousand keys in their
// order writes all over the slots, a cache miss a key (as the
// gazetteer's table places its keys). A key goes to the first empty slot
// from its home on, in any order of placing, so lookups find it as Add
// placed it.
func (x *Index) Place() bool {
	x.slots = make([]uint32, slotsFor(len(x.keys)))
	mask := uint64(len(x.slots) - 1)
	const bucketBits = 12
	shift := 0
	for (len(x.slots) >> shift) > 1<<bucketBits {
		shift++
	}
	hashes := make([]uint64, len(x.keys))
	var count [1<<bucketBits + 1]uint32
	for i, k := range x.keys {
		h := Hash(k)
		hashes[i] = h
		count[(h&mask)>>shift+1]++
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	order := make([]uint32, len(x.keys))
	for i, h := range hashes {
		b := (h & mask) >> shift
		order[count[b]] = uint32(i)
		count[b]++
	}
	for _, i := range order {
		h := hashes[i]
		s := h & mask
		for e := x.slots[s]; e != 0; e = x.slots[s] {
			if hashes[e-1] == h && x.keys[e-1] == x.keys[i] {
				return false
			}
			s = (s + 1) & mask
		}
		x.slots[s] = i + 1
	}
	return true
}

// Slots returns the number of slots and calls fn with every key's number
// and slot, in the order of the slots: what a table made at go generate
// time stores so that a start places its keys with PlaceAt instead of
// Place.
func (x *Index) Slots(fn func(i int, slot int)) int {
	for s, e := range x.slots {
		if e != 0 {
			fn(int(e-1), s)
		}
	}
	return len(x.slots)
}

// PlaceAt takes slots as the index's slots: slots[s] is 1 + the number of
// the key in slot s, 0 for an empty slot, as Slots reported them (Hash
// unchanged since: the caller checks Fingerprint), so that no key is
// hashed or placed. It reports false, taking nothing, unless the number
// of slots is a power of two larger than the number of keys and slots
// numbers no key that was not pushed. Each key must be in one slot, found
// from its home as Place would (the caller checks a sum of what it read).
func (x *Index) PlaceAt(slots []uint32) bool {
	n := len(slots)
	if n < 1 || n&(n-1) != 0 || n <= len(x.keys) {
		return false
	}
	for _, e := range slots {
		if int64(e) > int64(len(x.keys)) {
			return false
		}
	}
	x.slots = slots
	return true
}

// Key returns string number i.
func (x *Index) Key(i int) string { return x.keys[i] }

// AppendBitmap appends to b a bitmap of n slots (n a power of two, at
// least 64) marking slots, which increase: bit s%64 of the (s/64)th
// little-endian 64-bit word is set if slot s holds a key. With the keys
// stored in the order of their slots, it is all a table made at go
// generate time needs to store of its slots (BitmapSlots reads it).
func AppendBitmap(b []byte, slots []uint32, n int) []byte {
	bm := make([]uint64, n/64)
	for _, s := range slots {
		bm[s/64] |= 1 << (s % 64)
	}
	for _, w := range bm {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

// BitmapSlots reads AppendBitmap's bitmap of n slots from the start of
// text and returns the slots as an Index holds them (PlaceAt), the ith
// marked slot holding key i, and the rest of text. ok is false unless n
// is a power of two, at least 64 and more than keys, and the bitmap is
// there and marks exactly keys slots.
func BitmapSlots(text string, n, keys int) (slots []uint32, rest string, ok bool) {
	size := n / 8
	if n < 64 || n&(n-1) != 0 || n <= keys || len(text) < size {
		return nil, "", false
	}
	slots = make([]uint32, n)
	bm := unsafe.Slice(unsafe.StringData(text), size)
	k := uint32(0)
	for w := 0; w < n/64; w++ {
		x := binary.LittleEndian.Uint64(bm[8*w:])
		for x != 0 {
			k++
			if int(k) > keys {
				return nil, "", false
			}
			slots[64*w+bits.TrailingZeros64(x)] = k
			x &= x - 1
		}
	}
	return slots, text[size:], int(k) == keys
}

// SlotOrder returns the numbers of the keys in the order of their slots,
// those slots, and the number of slots: what a table made at go generate
// time stores (the keys in that order, AppendBitmap of the slots).
func (x *Index) SlotOrder() (keys []int, slots []uint32, n int) {
	n = x.Slots(func(i, s int) {
		keys = append(keys, i)
		slots = append(slots, uint32(s))
	})
	return keys, slots, n
}
