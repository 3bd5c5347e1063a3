package par

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, c := range []struct{ n, workers, limit int }{
		{0, 4, 0}, {1, 4, 1}, {100, 3, 3}, {5, 0, 1}, {5, -2, 1},
	} {
		calls := make([]atomic.Int32, c.n)
		var running, most atomic.Int32
		For(c.n, c.workers, func(i int) {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			calls[i].Add(1)
			running.Add(-1)
		})
		for i := range calls {
			if got := calls[i].Load(); got != 1 {
				t.Errorf("n=%d workers=%d: fn(%d) called %d times", c.n, c.workers, i, got)
			}
		}
		if got := int(most.Load()); got > c.limit {
			t.Errorf("n=%d workers=%d: %d calls at once, limit %d", c.n, c.workers, got, c.limit)
		}
	}
}
