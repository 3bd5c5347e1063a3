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
