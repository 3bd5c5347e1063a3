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
// Texts under keyCacheMin bytes are searched directly. The cache holds
// at most keyCacheMax keys in all and starts again when full. Safe for
// concurrent use.
type keyCache struct {
	mu   sync.Mutex
	m    map[[sha256.Size]byte]ner.Keys
	size int // keys held
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
	return removed.MayMatch(c.keys(text))
}

func (c *keyCache) keys(text string) ner.Keys {
	// The text's bytes, read in place: Sum256 only reads them.
	h := sha256.Sum256(unsafe.Slice(unsafe.StringData(text), len(text)))
	c.mu.Lock()
	ks, ok := c.m[h]
	c.mu.Unlock()
	if ok {
		return ks
	}
	ks = ner.KeysOf(text)
	c.mu.Lock()
	if c.m == nil || c.size+len(ks) > keyCacheMax {
		c.m, c.size = map[[sha256.Size]byte]ner.Keys{}, 0
	}
	if _, ok := c.m[h]; !ok {
		c.m[h] = ks
		c.size += len(ks)
	}
	c.mu.Unlock()
	return ks
}
