package model

import "strings"

// A word's own features (tokenizer.word: its key, shape, affixes, list
// flags, length) and the sums of their weights (tables.fill, and
// fTagPrevKey after an O tag) are functions of the word as written and of
// the model alone, the same in every text. Tag keeps them for the next
// texts a worker tags, as the gazetteer keeps its lookups: the texts of a
// batch, and verify's windows cut from them, share most of their
// vocabulary, and computing a word's features and summing its eighteen
// rows was a third of Tag's time. A sync.Pool in the model's tables
// holds about one cache per processor, without locks; the collector may
// drop one, which costs only computing its words again. Tag's results
// are those of computing every word afresh, to the bit
// (TestTagCacheSameAsReference, FuzzTagCacheSameAsReference).

// wordCache maps a word as written to its entry.
type wordCache struct {
	m map[string]*cachedWord
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

func newWordCache() *wordCache {
	return &wordCache{m: make(map[string]*cachedWord, 1024)}
}

// add enters word w, of token t whose own features are computed, and
// returns its entry.
func (c *wordCache) add(w string, t *Token) *cachedWord {
	if len(c.m) >= maxCached {
		clear(c.m) // the entries of the text being tagged stay with it
	}
	if len(c.slab) == 0 {
		c.slab = make([]cachedWord, slabSize)
	}
	e := &c.slab[0]
	c.slab = c.slab[1:]
	e.tok.copyWord(t)
	// w is a piece of the text: a copy, so that the cache keeps no text
	// alive.
	c.m[strings.Clone(w)] = e
	return e
}
