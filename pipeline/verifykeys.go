package pipeline

import (
	"crypto/sha256"
	"sync"
	"unsafe"

	"github.com/veilhq/veil/ner"
)

// keyCache holds the word keys (ner.KeysOf) of texts verify searched for
// removed values, by the SHA-256 of the text, so that a text read again
// (an entry a batch's documents share byte for byte: a template's styles,
// theme, fonts, settings; every view zipview makes of it) is not cut into
// words again. The keys are a function of the text alone; what a file's
// removed values are is asked of them each time (PhraseMatcher.MayMatch),
// and only a text that may hold one is searched word by word (FindAll).
//
// A text seen for the first time is searched directly, and only its hash
// is kept: cutting a text into keys costs more than one search, and in a
// batch of documents that share nothing most texts are never seen again.
// The second time, its keys are made and kept. Texts under keyCacheMin
// bytes are searched directly. The cache holds at most keyCacheMax keys
// (a text seen once counts as one) and starts again when full. Safe for
// concurrent use.
type keyCache struct {
	mu   sync.Mutex
	m    map[[sha256.Size]byte]ner.Keys // nil keys: seen once
	size int                            // keys held
}

const (
	keyCacheMin = 256
	keyCacheMax = 1 << 20
)

// mayMatch reports whether some value of removed may be found in text:
// false means removed.FindAll(text) finds nothing.
func (c *keyCache) mayMatch(removed *ner.PhraseMatcher, text string) bool {
	if c == nil || len(text) < keyCacheMin {
		return true
	}
	ks, ok := c.keys(text)
	return !ok || removed.MayMatch(ks)
}

// keys returns the keys of text, false when it is the first time the
// cache sees text (it then only notes it).
func (c *keyCache) keys(text string) (ner.Keys, bool) {
	// The text's bytes, read in place: Sum256 only reads them.
	h := sha256.Sum256(unsafe.Slice(unsafe.StringData(text), len(text)))
	c.mu.Lock()
	ks, seen := c.m[h]
	if !seen {
		c.add(h, nil, 1)
	}
	c.mu.Unlock()
	if !seen || ks != nil {
		return ks, seen
	}
	ks = ner.KeysOf(text)
	c.mu.Lock()
	if old, ok := c.m[h]; ok && old == nil {
		c.m[h] = ks
		c.size += len(ks) - 1 // no longer a text seen once
	} else if !ok {
		c.add(h, ks, len(ks))
	}
	c.mu.Unlock()
	return ks, true
}

// add puts ks under h, counting n keys, after emptying a full cache.
// c.mu is held.
func (c *keyCache) add(h [sha256.Size]byte, ks ner.Keys, n int) {
	if c.m == nil || c.size+n > keyCacheMax {
		c.m, c.size = map[[sha256.Size]byte]ner.Keys{}, 0
	}
	c.m[h] = ks
	c.size += n
}
