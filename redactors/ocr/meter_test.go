package ocr

import (
	"context"
	"sync"
	"testing"
)

type countMeter struct {
	mu sync.Mutex
	n  int
}

func (m *countMeter) OCRPages(n int) { m.mu.Lock(); m.n += n; m.mu.Unlock() }

// WithPageCap forwards pages to the meter up to its cap, and leaves a
// context without a meter as it is.
func TestWithPageCap(t *testing.T) {
	m := &countMeter{}
	ctx := WithPageCap(WithMeter(context.Background(), m), 3)
	for _, n := range []int{2, 2, 1} {
		charge(ctx, n)
	}
	if m.n != 3 {
		t.Errorf("%d pages reported, want 3 (the cap)", m.n)
	}
	inner := &countMeter{}
	charge(WithPageCap(WithPageCap(WithMeter(context.Background(), inner), 5), 1), 4)
	if inner.n != 1 {
		t.Errorf("nested caps: %d pages, want 1", inner.n)
	}
	bare := context.Background()
	if WithPageCap(bare, 1) != bare {
		t.Error("a context without a meter got one")
	}
}
