package gazetteer

import "github.com/veilhq/veil/internal/strindex"

// table is the lookup table of the word lists: a set of keys with their
// Flags, in an open-addressing hash table over one byte buffer. It holds
// no pointer but its slices, so the garbage collector does not walk its
// half a million words at every cycle as it walks a map's strings, and it
// is built without an allocation per word.
//
// Keys hash with strindex.Hash, which is the same in every process, so
// that prebuilt.bin stores each key's slot and a start places no key.
type table struct {
	blob  []byte   // the keys, one after another
	ends  []uint32 // ends[i]: where key i ends in blob (it starts at ends[i-1])
	flags []Flags  // flags[i]: the lists key i is in
	slots []uint32 // 1 + the index of a key, 0 for an empty slot
}

func newTable(capacity int) *table {
	n := 1024
	for n < 2*capacity {
		n *= 2
	}
	return &table{
		blob:  make([]byte, 0, 8*capacity),
		ends:  make([]uint32, 0, capacity),
		flags: make([]Flags, 0, capacity),
		slots: make([]uint32, n),
	}
}

func (t *table) key(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.blob[start:t.ends[i]]
}

// find returns the slot of key: the slot that holds it, or the empty slot
// where it would go.
func (t *table) find(key string) uint64 {
	mask := uint64(len(t.slots) - 1)
	for s := strindex.Hash(key) & mask; ; s = (s + 1) & mask {
		e := t.slots[s]
		if e == 0 || string(t.key(int(e-1))) == key {
			return s
		}
	}
}

// get returns the flags of key, 0 if it is not in the table.
func (t *table) get(key string) Flags {
	if e := t.slots[t.find(key)]; e != 0 {
		return t.flags[e-1]
	}
	return 0
}

// getBytes is get of a key held in a byte slice, without allocating.
func (t *table) getBytes(key []byte) Flags {
	mask := uint64(len(t.slots) - 1)
	for s := strindex.HashBytes(key) & mask; ; s = (s + 1) & mask {
		e := t.slots[s]
		if e == 0 {
			return 0
		}
		if string(t.key(int(e-1))) == string(key) {
			return t.flags[e-1]
		}
	}
}

// add adds f to the flags of key, adding the key if it is new, and
// reports whether key lacked f.
func (t *table) add(key string, f Flags) bool {
	s := t.find(key)
	if e := t.slots[s]; e != 0 {
		old := t.flags[e-1]
		t.flags[e-1] |= f
		return old&f == 0
	}
	t.blob = append(t.blob, key...)
	t.ends = append(t.ends, uint32(len(t.blob)))
	t.flags = append(t.flags, f)
	t.slots[s] = uint32(len(t.ends))
	if 2*len(t.ends) > len(t.slots) {
		t.grow()
	}
	return true
}

// grow doubles the slots and places every key again.
func (t *table) grow() {
	t.slots = make([]uint32, 2*len(t.slots))
	t.place()
}

// rehash places every key of blob and ends, which hold distinct keys, in
// slots enough for them.
func (t *table) rehash() {
	n := 1024
	for n < 2*len(t.ends)+2 {
		n *= 2
	}
	t.slots = make([]uint32, n)
	t.place()
}

// place puts every key in the empty slots. The keys are placed in the
// order of their home slots, bucket by bucket (a counting sort on the
// home slot's top bits), not in the order of the keys: placing half a
// million keys in their order writes all over the slots (megabytes, a
// cache miss a key), in a start that does little else. Any order of
// insertion makes the same set of keys findable: a key goes to the
// first empty slot from its home on, and lookups probe from its home
// until they meet it or an empty slot.
func (t *table) place() {
	mask := uint64(len(t.slots) - 1)
	n := len(t.ends)
	const bucketBits = 12
	shift := 0
	for (len(t.slots) >> shift) > 1<<bucketBits {
		shift++
	}
	home := make([]uint32, n)
	var count [1<<bucketBits + 1]uint32
	start := uint32(0)
	for i, end := range t.ends {
		h := uint32(strindex.HashBytes(t.blob[start:end]) & mask)
		start = end
		home[i] = h
		count[h>>shift+1]++
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	order := make([]uint32, n)
	for i, h := range home {
		b := h >> shift
		order[count[b]] = uint32(i)
		count[b]++
	}
	for _, i := range order {
		s := uint64(home[i])
		for t.slots[s] != 0 {
			s = (s + 1) & mask
		}
		t.slots[s] = i + 1
	}
}

// each calls fn for every key and its flags, in the order they were
// added.
func (t *table) each(fn func(key string, f Flags)) {
	for i := range t.ends {
		fn(string(t.key(i)), t.flags[i])
	}
}
