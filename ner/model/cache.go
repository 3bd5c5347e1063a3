package model

import "strings"

// A word's own features (tokenizer.word: its key, shape, affixes, list
// flags, length) and the sums of their weights (tables.fill, and
// fTagPrevKey after an O tag) are functions of the word as written and of
// the model alone, the same in every text. Tag keeps them for the next
// texts a worker tags, as the gazetteer keeps its lookups: the texts of a
// batch, and verify's windows cut from them, share most of their
// vocabulary, and computing a word's features and summing their rows
// (its nine own features without the bias, its key as each of four
// neighbours, fTagPrevKey after an O tag: fourteen) was a third of Tag's
// time. A sync.Pool in the model's tables
// holds about one cache per processor, without locks; the collector may
// drop one, which costs only computing its words again. Tag's results
// are those of computing every word afresh, to the bit
// (TestTagCacheSameAsReference, FuzzTagCacheSameAsReference).

// wordCache maps a word as written to its entry.
type wordCache struct {
	// slots map a word as written to its entry: open addressing over
	// the hash the tokenizer computes as it scans the word (seenTable's),
	// a power of two of them, at most half full; a slot without an
	// entry is empty. (A Go map hashed every word new to a text again.)
	slots []cacheSlot
	n     int // the entries
	// slab is where the next entries are allocated, a chunk at a time.
	slab []cachedWord
	// seen and keys are the tokenizer's tables of the worker's texts
	// (wordtab.go), one text at a time.
	seen seenTable
	keys keyTable
	// first, slot, cached and keySeen are the tokenizer's buffers, and
	// words Tag's, for the next text (capacity only; release).
	first, slot []int32
	cached      []*cachedWord
	keySeen     []keySeen
	words       []word
}

// release keeps the buffers of a text tokenized with c for the next
// (up to maxPooled entries each), without the pointers of its entries
// (a cache started again must not keep its old entries alive).
func (c *wordCache) release(tz *tokenizer, words []word) {
	if cap(tz.first) <= maxPooled {
		c.first, c.slot = tz.first[:0], tz.slot[:0]
	}
	if cap(tz.cached) <= maxPooled {
		clear(tz.cached)
		c.cached = tz.cached[:0]
	}
	if cap(words) <= maxPooled {
		clear(words)
		c.words = words[:0]
	}
}

// cachedWord is what a word's texts share.
type cachedWord struct {
	// tok holds the word's own features (Token.copyWord's fields; its
	// offsets and number are not used).
	tok Token
	// ready: own and as hold the sums of fill.
	ready bool
	own   sum    // ownFeatures, without the bias (in pair)
	as    [4]sum // keyAs
	// afterO: fTagPrevKey after an O tag (ready when hasAfterO).
	hasAfterO bool
	afterO    sum
}

// maxCached bounds a cache: past it, it starts again empty (about 12 MB
// a cache at the bound). A variable for the tests.
var maxCached = 1 << 15

const slabSize = 256

// cacheSlot is a slot of wordCache.slots.
type cacheSlot struct {
	h uint64 // the word's hash
	w string
	e *cachedWord
}

func newWordCache() *wordCache {
	return &wordCache{slots: make([]cacheSlot, 2048)}
}

// find returns the entry of word w of hash h, or nil.
func (c *wordCache) find(w string, h uint64) *cachedWord {
	mask := len(c.slots) - 1
	for i := spread(h) & mask; ; i = (i + 1) & mask {
		s := &c.slots[i]
		if s.e == nil {
			return nil
		}
		if s.h == h && s.w == w {
			return s.e
		}
	}
}

// add enters word w of hash h, of token t whose own features are
// computed, and returns its entry; w has none (find).
func (c *wordCache) add(w string, h uint64, t *Token) *cachedWord {
	if c.n >= maxCached {
		// the entries of the text being tagged stay with it
		clear(c.slots)
		c.n = 0
	}
	if len(c.slab) == 0 {
		c.slab = make([]cachedWord, slabSize)
	}
	e := &c.slab[0]
	c.slab = c.slab[1:]
	e.tok.copyWord(t)
	// w is a piece of the text: a copy, so that the cache keeps no text
	// alive.
	c.insert(cacheSlot{h: h, w: strings.Clone(w), e: e})
	c.n++
	if 2*c.n > len(c.slots) {
		old := c.slots
		c.slots = make([]cacheSlot, 2*len(old))
		for _, s := range old {
			if s.e != nil {
				c.insert(s)
			}
		}
	}
	return e
}

// insert puts s in the first empty slot from its hash's.
func (c *wordCache) insert(s cacheSlot) {
	mask := len(c.slots) - 1
	i := spread(s.h) & mask
	for c.slots[i].e != nil {
		i = (i + 1) & mask
	}
	c.slots[i] = s
}
