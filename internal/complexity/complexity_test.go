package complexity

import (
	"fmt"
	"testing"
)

// recorder is a testing.TB that notes a failure instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()                         {}
func (r *recorder) Logf(format string, args ...any) { r.TB.Logf(format, args...) }
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.TB.Logf("(expected) "+format, args...)
}

var sink int

// pairs compares every byte with every later one: quadratic.
func pairs(b []byte) {
	for i := range b {
		for j := i + 1; j < len(b); j++ {
			if b[i] == b[j] {
				sink++
			}
		}
	}
}

// scan reads every byte a few times: linear.
func scan(b []byte) {
	for k := 0; k < 64; k++ {
		for _, c := range b {
			sink += int(c)
		}
	}
}

func TestAssert(t *testing.T) {
	build := func(n int) []byte { return []byte(fmt.Sprint(make([]int, n/2))) }
	for _, c := range []struct {
		name   string
		n      int
		stage  func([]byte)
		linear bool
	}{
		{"linear", 1 << 16, scan, true},
		{"quadratic", 2 << 10, pairs, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Assert(r, c.n, build, c.stage)
			if r.failed == c.linear {
				t.Errorf("a %s stage: failed %v", c.name, r.failed)
			}
		})
	}
}
