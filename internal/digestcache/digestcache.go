// Package digestcache holds values computed from byte strings (readings of
// a file's entries) by the SHA-256 of those bytes, so that the documents of
// a batch, which share many entries byte for byte, compute each shared
// entry's value once.
//
// Contract:
//   - A value is keyed on exactly the bytes it was computed from: Get
//     returns a held value only for bytes with the same SHA-256, so read
//     must be a function of the bytes alone (no other input may change its
//     result while the cache is used, or the caller must bypass the cache).
//   - Memory only: nothing is written to disk, nothing outlives the process.
//   - What is held: a value is stored only the second time its bytes are
//     met (admitted on second sight), so an entry of a single document is
//     never held after that document; the first time, only the digest is
//     noted. Values whose bytes are under Min long are computed each time
//     and never held; values of at most Max bytes in all (as read reports
//     their size) and digests of at most OnceMax entries seen once are
//     held, each set started again (emptied) when full. A read that fails
//     is never held.
//
// A Cache is safe for concurrent use; read runs without the lock held, so
// two goroutines meeting the same new bytes may both compute them.
package digestcache

import (
	"crypto/sha256"
	"sync"
)

// Cache holds values of type V keyed by the SHA-256 of the bytes they were
// computed from. Its zero value is not usable: make one with New.
type Cache[V any] struct {
	min, max, onceMax int

	mu   sync.Mutex
	m    map[[sha256.Size]byte]V
	once map[[sha256.Size]byte]struct{} // digests seen once, values not kept
	size int                            // bytes of the values held
}

// New returns an empty cache that reads bytes under min long each time,
// holds values of at most max bytes in all and digests of at most onceMax
// entries seen once.
func New[V any](min, max, onceMax int) *Cache[V] {
	return &Cache[V]{min: min, max: max, onceMax: onceMax}
}

// Get returns the value of b: the held one if b's bytes were read and held
// before, else read's. read returns the value, its size in bytes (counted
// against the cache's max) and an error; a value read with an error is
// returned with it and not held.
func (c *Cache[V]) Get(b []byte, read func() (V, int, error)) (V, error) {
	if len(b) < c.min {
		v, _, err := read()
		return v, err
	}
	key := sha256.Sum256(b)
	c.mu.Lock()
	v, ok := c.m[key]
	_, again := c.once[key]
	if !ok && !again {
		if c.once == nil || len(c.once) >= c.onceMax {
			c.once = map[[sha256.Size]byte]struct{}{}
		}
		c.once[key] = struct{}{}
	}
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, n, err := read()
	if err != nil || !again {
		return v, err
	}
	c.mu.Lock()
	delete(c.once, key)
	if c.m == nil || c.size+n > c.max {
		c.m, c.size = map[[sha256.Size]byte]V{}, 0
	}
	if _, ok := c.m[key]; !ok {
		c.m[key] = v
		c.size += n
	}
	c.mu.Unlock()
	return v, nil
}

// Held reports whether the value of b is held (for tests).
func (c *Cache[V]) Held(b []byte) bool {
	key := sha256.Sum256(b)
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[key]
	return ok
}

// Reset empties the cache: no value held, no digest noted.
func (c *Cache[V]) Reset() {
	c.mu.Lock()
	c.m, c.once, c.size = nil, nil, 0
	c.mu.Unlock()
}
