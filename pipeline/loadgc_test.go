package pipeline

import "testing"

// TestGCRaise shows that the target is raised while loads overlap, set
// back once by the last of them (a release called twice counts once),
// and never lowered nor turned on.
func TestGCRaise(t *testing.T) {
	cur := 100
	g := &gcRaise{set: func(p int) int { old := cur; cur = p; return old }}
	a := g.raise(800)
	b := g.raise(800)
	if cur != 800 {
		t.Fatalf("while loading: %d, want 800", cur)
	}
	a()
	a()
	if cur != 800 {
		t.Fatalf("one load of two done: %d, want 800", cur)
	}
	b()
	if cur != 100 {
		t.Fatalf("loads done: %d, want 100", cur)
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
