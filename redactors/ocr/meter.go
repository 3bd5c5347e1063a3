package ocr

import (
	"context"
	"sync"
)

// Meter is told of every page an engine is asked to read under a context
// that carries it (WithMeter), before the page waits for its turn: a
// per-file time budget that grows with the pages OCR reads, not with the
// file's bytes only (pipeline). It must be safe for concurrent use.
type Meter interface {
	// OCRPages reports that n more pages are to be read.
	OCRPages(n int)
}

type meterKey struct{}

// WithMeter returns a context whose OCR pages are reported to m.
func WithMeter(ctx context.Context, m Meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// charge reports n pages to ctx's meter, if it has one.
func charge(ctx context.Context, n int) {
	if m, ok := ctx.Value(meterKey{}).(Meter); ok && n > 0 {
		m.OCRPages(n)
	}
}

// WithPageCap returns a context whose OCR pages are reported to ctx's
// meter up to n in all; pages past n are read within the time already
// granted. A document whose many small images each cost an OCR reading
// (a picture cut into strips) so gets a budget that grows with what it
// is, not with how it was cut, and cannot hold a run for hours.
func WithPageCap(ctx context.Context, n int) context.Context {
	m, ok := ctx.Value(meterKey{}).(Meter)
	if !ok {
		return ctx
	}
	return WithMeter(ctx, &capped{m: m, left: n})
}

// capped forwards at most left pages to m.
type capped struct {
	mu   sync.Mutex
	m    Meter
	left int
}

func (c *capped) OCRPages(n int) {
	c.mu.Lock()
	k := max(min(n, c.left), 0)
	c.left -= k
	c.mu.Unlock()
	if k > 0 {
		c.m.OCRPages(k)
	}
}
