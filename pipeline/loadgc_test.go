package pipeline

import (
	"math"
	"testing"
)

// TestGCRaise shows that the target is raised while loads overlap, set
// back once by the last of them (a release called twice counts once),
// and never lowered nor turned on; that the memory limit is bounded while
// it is raised and set back after; and that a target or limit somebody
// else set meanwhile is left as they set it.
func TestGCRaise(t *testing.T) {
	cur := 100
	var lim int64 = math.MaxInt64
	g := &gcRaise{
		set: func(p int) int { old := cur; cur = p; return old },
		limit: func(l int64) int64 {
			old := lim
			if l >= 0 {
				lim = l
			}
			return old
		},
	}
	a := g.raise(800)
	b := g.raise(800)
	if cur != 800 || lim != loadMemoryLimit {
		t.Fatalf("while loading: target %d limit %d, want 800 and %d", cur, lim, loadMemoryLimit)
	}
	a()
	a()
	if cur != 800 {
		t.Fatalf("one load of two done: %d, want 800", cur)
	}
	b()
	if cur != 100 || lim != math.MaxInt64 {
		t.Fatalf("loads done: target %d limit %d, want 100 and no limit", cur, lim)
	}
	// somebody sets the target and a limit while a load is in progress
	done := g.raise(800)
	cur, lim = -1, 64<<20
	done()
	if cur != -1 || lim != 64<<20 {
		t.Errorf("set meanwhile: target %d limit %d, want -1 and %d", cur, lim, 64<<20)
	}
	// a lower limit of the environment's stays while loading
	cur, lim = 100, 128<<20
	done = g.raise(800)
	if lim != 128<<20 {
		t.Errorf("lower limit while loading: %d", lim)
	}
	done()
	if cur != 100 || lim != 128<<20 {
		t.Errorf("after loading: target %d limit %d", cur, lim)
	}
	for _, keep := range []int{-1, 1600} {
		cur = keep
		done := g.raise(800)
		if cur != keep {
			t.Errorf("target %d while loading: %d", keep, cur)
		}
		done()
		if cur != keep {
			t.Errorf("target %d after loading: %d", keep, cur)
		}
	}
}

// TestGCRaiseInterim shows that at the end of the loads the target is one
// under which the next collection comes when the heap has grown by the
// old target over its size now (not at once, as the old target would make
// it from an older mark), that the old target comes back after that
// collection, that loads which start before it keep the old target as
// the one to restore, and that a restore due to an earlier end does
// nothing.
func TestGCRaiseInterim(t *testing.T) {
	cur := 100
	var lim int64 = math.MaxInt64
	marked, now := uint64(8<<20), uint64(56<<20)
	var pending []func()
	g := &gcRaise{
		set: func(p int) int { old := cur; cur = p; return old },
		limit: func(l int64) int64 {
			old := lim
			if l >= 0 {
				lim = l
			}
			return old
		},
		heap:    func() (uint64, uint64) { return marked, now },
		afterGC: func(fn func()) { pending = append(pending, fn) },
	}
	done := g.raise(800)
	done()
	// the next collection at 2 × 56 MB: 8 MB × (1 + p/100) = 112 MB
	if cur != 1300 || lim != math.MaxInt64 || len(pending) != 1 {
		t.Fatalf("loads done: target %d limit %d, %d restores pending; want 1300, no limit, 1", cur, lim, len(pending))
	}
	pending[0]()
	if cur != 100 {
		t.Fatalf("after the collection: target %d, want 100", cur)
	}
	pending[0]()
	if cur != 100 {
		t.Fatalf("restore called twice: %d", cur)
	}
	// loads start again before the collection: 100 is still the target to restore
	pending = nil
	g.raise(800)()
	again := g.raise(800)
	if cur != 800 {
		t.Fatalf("loading again: %d", cur)
	}
	pending[0]() // the earlier end's collection: the loads are on
	if cur != 800 {
		t.Fatalf("an earlier end's restore changed the target while loading: %d", cur)
	}
	again()
	if cur != 1300 || len(pending) != 2 {
		t.Fatalf("second loads done: %d, %d pending", cur, len(pending))
	}
	pending[0]()
	if cur != 1300 {
		t.Fatalf("a stale restore changed the target: %d", cur)
	}
	pending[1]()
	if cur != 100 {
		t.Fatalf("after the second collection: %d, want 100", cur)
	}
	// somebody sets the target before the collection: theirs stays
	pending = nil
	g.raise(800)()
	cur = 50
	pending[0]()
	if cur != 50 {
		t.Errorf("target set meanwhile: %d, want 50", cur)
	}
	// nothing to gain: the heap did not grow since the last mark
	marked, now = 56<<20, 56<<20
	pending = nil
	cur = 100
	g.raise(800)()
	if cur != 100 || len(pending) != 0 {
		t.Errorf("no growth: target %d, %d pending; want 100, 0", cur, len(pending))
	}
}

// TestInterimTarget checks the target's arithmetic and its limits.
func TestInterimTarget(t *testing.T) {
	for _, c := range []struct {
		saved       int
		marked, now uint64
		want        int
	}{
		{100, 10, 60, 1100},
		{50, 10, 40, 500},
		{100, 10, 10, 0},   // no growth
		{100, 0, 10, 0},    // nothing marked yet
		{-1, 10, 60, 0},    // off
		{100, 1, 1e9, 1e6}, // bounded
	} {
		if got := interimTarget(c.saved, c.marked, c.now); got != c.want {
			t.Errorf("interimTarget(%d, %d, %d) = %d, want %d", c.saved, c.marked, c.now, got, c.want)
		}
	}
}
