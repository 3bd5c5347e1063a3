package ocr

import "context"

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
