package model

// How the tokenizer numbers a text's distinct words without Go maps.
//
// A text's words as written (tokenizer.seen) and their keys (keySlot) were
// two Go maps made for every text: a string map lookup a token (the word
// hashed again by the runtime), an insert and a key map lookup and insert
// for every word new to the text, and two maps allocated a text (verify
// tags thousands of short windows). They were a tenth of Tag's
// instructions (modelperf, docs/PERFORMANCE.md). The tables below are open
// addressing over hashes the tokenizer computes as it scans a word's
// bytes; they hold offsets into the text (no pointers: nothing for the
// collector to scan, no text kept alive) and are reused from one text to
// the next with an epoch, so that a text's start clears nothing. A word's
// number, and so every feature, is the same as with the maps: only how it
// is found changed (TestTagSameAsReference, TestTagCacheSameAsReference).

// seenTable maps a word as written (its bytes in the text being
// tokenized) to its number among the text's distinct words.
type seenTable struct {
	slots []seenSlot // a power of two
	n     int        // the entries of epoch
	epoch uint32
}

type seenSlot struct {
	h          uint64
	start, end int
	word       int32
	epoch      uint32 // the slot is empty unless it is the table's
}

// maxKeptSlots bounds the tables a cache keeps for the next text (a long
// text's larger tables are left to the collector).
const maxKeptSlots = 1 << 16

// reset empties t for a text of n bytes.
func (t *seenTable) reset(n int) {
	t.n = 0
	t.slots, t.epoch = nextEpoch(t.slots, t.epoch, n)
}

// tableSize is the slots for a text of n bytes: about one distinct word in
// 16 bytes of a short text, at most half full (the tables grow when they
// must).
func tableSize(n int) int {
	s := 16
	for s < min(n/8, 1<<15) {
		s *= 2
	}
	return s
}

// spread folds an FNV hash's high bits into its low ones (an FNV hash's
// low bits depend only on the low bits of the bytes hashed).
func spread(h uint64) int { return int(h ^ h>>29 ^ h>>47) }

// find returns the number of the word text[start:end] of hash h, or
// where to insert it (ok false).
func (t *seenTable) find(text string, start, end int, h uint64) (word int32, at int, ok bool) {
	mask := len(t.slots) - 1
	w := text[start:end]
	for i := spread(h) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.epoch != t.epoch {
			return 0, i, false
		}
		if s.h == h && text[s.start:s.end] == w {
			return s.word, i, true
		}
	}
}

// insert enters word number word at slot at (find's), growing the table
// past half full.
func (t *seenTable) insert(at int, h uint64, start, end int, word int32) {
	t.slots[at] = seenSlot{h: h, start: start, end: end, word: word, epoch: t.epoch}
	t.n++
	if 2*t.n <= len(t.slots) {
		return
	}
	t.slots = regrow(t.slots, func(s *seenSlot) bool { return s.epoch == t.epoch }, func(s *seenSlot) uint64 { return s.h })
}

// keyTable maps a word's key (Token.key) to its slot among the text's
// distinct keys.
type keyTable struct {
	slots []keySlot
	n     int
	epoch uint32
}

type keySlot struct {
	key   uint64
	slot  int32
	epoch uint32
}

func (t *keyTable) reset(n int) {
	t.n = 0
	t.slots, t.epoch = nextEpoch(t.slots, t.epoch, n)
}

// slot returns key's slot, numbering it next if it has none.
func (t *keyTable) slot(key uint64, next int32) (slot int32, added bool) {
	mask := len(t.slots) - 1
	i := spread(key) & mask
	for {
		s := &t.slots[i]
		if s.epoch != t.epoch {
			break
		}
		if s.key == key {
			return s.slot, false
		}
		i = (i + 1) & mask
	}
	t.slots[i] = keySlot{key: key, slot: next, epoch: t.epoch}
	t.n++
	if 2*t.n > len(t.slots) {
		t.slots = regrow(t.slots, func(s *keySlot) bool { return s.epoch == t.epoch }, func(s *keySlot) uint64 { return s.key })
	}
	return next, true
}

// nextEpoch readies the slots of an epoch table for a text of n words:
// slots a fresh table of tableSize(n) when they are too few or more than
// maxKeptSlots, epoch the next one (slots of older epochs read as empty),
// cleared when the counter wraps, since slots of an epoch long gone would
// look current.
func nextEpoch[S any](slots []S, epoch uint32, n int) ([]S, uint32) {
	if want := tableSize(n); len(slots) < want || len(slots) > maxKeptSlots {
		slots = make([]S, want)
		epoch = 0
	}
	epoch++
	if epoch == 0 {
		clear(slots)
		epoch = 1
	}
	return slots, epoch
}

// regrow returns the live slots of old placed in a table twice its size,
// each at the first slot that is not live from its hash's (linear
// probing). A zero slot must not be live.
func regrow[S any](old []S, live func(*S) bool, hash func(*S) uint64) []S {
	slots := make([]S, 2*len(old))
	mask := len(slots) - 1
	for k := range old {
		s := &old[k]
		if !live(s) {
			continue
		}
		i := spread(hash(s)) & mask
		for live(&slots[i]) {
			i = (i + 1) & mask
		}
		slots[i] = *s
	}
	return slots
}
