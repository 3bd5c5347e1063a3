package pipeline

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard selects a stable part of a source, so that n processes (a
// Kubernetes Indexed Job, an array job) can share a run without talking to
// each other: object key k belongs to shard FNV-1a-64(k) mod N. The
// partition depends on the key only, not on the listing, the machine or the
// other objects. The zero value (or N = 1) is the whole source.
type Shard struct {
	I, N int
}

// ParseShard parses "i/n" with 0 <= i < n.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 0 <= i < n, such as 0/4", s)
	}
	return Shard{I: i, N: n}, nil
}

// Sharded reports whether the run is split.
func (s Shard) Sharded() bool { return s.N > 1 }

// Has reports whether key belongs to the shard.
func (s Shard) Has(key string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()%uint64(s.N) == uint64(s.I)
}

// String returns "i/n", or "" for the whole source.
func (s Shard) String() string {
	if s.N <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}
