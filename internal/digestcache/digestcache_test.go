package digestcache

import (
	"errors"
	"strings"
	"testing"
)

// reader counts its calls and returns the upper-cased bytes.
type reader struct{ calls int }

func (r *reader) read(b []byte) func() (string, int, error) {
	return func() (string, int, error) {
		r.calls++
		s := strings.ToUpper(string(b))
		return s, len(s), nil
	}
}

func TestSecondSight(t *testing.T) {
	c := New[string](4, 1<<10, 8)
	var r reader
	b := []byte("tamsin everard")
	for round := 0; round < 4; round++ {
		v, err := c.Get(b, r.read(b))
		if err != nil || v != "TAMSIN EVERARD" {
			t.Fatalf("round %d: %q %v", round, v, err)
		}
		if h := c.Held(b); h != (round >= 1) {
			t.Fatalf("round %d: held %v", round, h)
		}
	}
	if r.calls != 2 {
		t.Fatalf("read %d times, want 2 (first and second sight)", r.calls)
	}
	// Other bytes are not served the held value.
	o := []byte("tamsin everarD")
	if v, _ := c.Get(o, r.read(o)); v != "TAMSIN EVERARD" || c.Held(o) {
		t.Fatalf("other bytes: %q held %v", v, c.Held(o))
	}
	if r.calls != 3 {
		t.Fatalf("other bytes not read: %d calls", r.calls)
	}
	c.Reset()
	if c.Held(b) {
		t.Fatal("held after Reset")
	}
	c.Get(b, r.read(b))
	if c.Held(b) {
		t.Fatal("held at first sight after Reset")
	}
}

func TestShortNeverHeld(t *testing.T) {
	c := New[string](4, 1<<10, 8)
	var r reader
	b := []byte("abc")
	for round := 0; round < 3; round++ {
		c.Get(b, r.read(b))
	}
	if c.Held(b) || r.calls != 3 {
		t.Fatalf("short bytes held %v, read %d times", c.Held(b), r.calls)
	}
}

func TestErrorNeverHeld(t *testing.T) {
	c := New[string](0, 1<<10, 8)
	b := []byte("orsolya quillanby")
	bad := errors.New("bad")
	for round := 0; round < 3; round++ {
		if _, err := c.Get(b, func() (string, int, error) { return "", 0, bad }); err != bad {
			t.Fatalf("round %d: err %v", round, err)
		}
		if c.Held(b) {
			t.Fatalf("round %d: failed read held", round)
		}
	}
}

// TestCaps: the values held stay within max bytes, the digests seen once
// within onceMax, each set started again when full.
func TestCaps(t *testing.T) {
	c := New[string](0, 20, 3)
	var r reader
	entry := func(i int) []byte { return []byte(strings.Repeat(string(rune('a'+i)), 8)) }
	for i := 0; i < 3; i++ { // seen twice: held, 8 bytes each
		c.Get(entry(i), r.read(entry(i)))
		c.Get(entry(i), r.read(entry(i)))
	}
	if c.size > 20 {
		t.Fatalf("size %d over max", c.size)
	}
	if c.Held(entry(0)) || c.Held(entry(1)) || !c.Held(entry(2)) {
		t.Fatalf("after the third value the held set should restart: %v %v %v", c.Held(entry(0)), c.Held(entry(1)), c.Held(entry(2)))
	}
	for i := 3; i < 10; i++ {
		c.Get(entry(i), r.read(entry(i)))
		if len(c.once) > 3 {
			t.Fatalf("%d digests seen once, over onceMax", len(c.once))
		}
	}
}
