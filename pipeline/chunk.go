package pipeline

import (
	"context"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
)

// Detectors split the text they are given into words and tokens, so their
// memory grows with it: an 8 MiB line once took 400 MiB. A long part is
// therefore detected in chunks of about detectChunk bytes, each with
// detectContext bytes of its neighbours on both sides so that findings and
// their context words at a boundary are seen whole; a chunk keeps only the
// findings that start in its own range.
const (
	detectChunk   = 1 << 20
	detectContext = 4 << 10
)

// chunking is how long texts are cut for detection: pieces of about size
// bytes, each seeing context bytes of its neighbours. The engine uses
// defaultChunking; tests inject smaller pieces to cross many boundaries in
// little text.
type chunking struct{ size, context int }

var defaultChunking = chunking{size: detectChunk, context: detectContext}

// chunk is a piece of a text: [lo,hi) is what the detectors see, [own,
// ownEnd) the findings it contributes.
type chunk struct{ lo, hi, own, ownEnd int }

// chunks cuts text into chunks of about size bytes with context bytes of
// overlap. Cuts fall on whitespace where there is any within context bytes
// of the ideal place, and always on rune boundaries; the own ranges cover
// the text exactly once.
func chunks(text string, size, context int) []chunk {
	if len(text) <= size {
		return []chunk{{0, len(text), 0, len(text)}}
	}
	var cuts []int // own boundaries
	for at := size; at < len(text)-size/4; at += size {
		cuts = append(cuts, cutNear(text, at, context))
	}
	out := make([]chunk, 0, len(cuts)+1)
	prev := 0
	for _, c := range append(cuts, len(text)) {
		if c <= prev {
			continue
		}
		lo := cutNear(text, max(0, prev-context), context)
		hi := cutNear(text, min(len(text), c+context), context)
		out = append(out, chunk{lo: min(lo, prev), hi: max(hi, c), own: prev, ownEnd: c})
		prev = c
	}
	return out
}

// cutNear returns a cut at or before at: after whitespace if there is some
// within the window, else at a rune boundary.
func cutNear(text string, at, window int) int {
	if at <= 0 || at >= len(text) {
		return max(0, min(at, len(text)))
	}
	for i := at; i > at-window && i > 0; i-- {
		if c := text[i-1]; c == '\n' || c == ' ' || c == '\t' || c == '\r' {
			return i
		}
	}
	for at > 0 && !utf8.RuneStart(text[at]) {
		at--
	}
	return at
}

// inChunks runs detect over text, chunk by chunk when it is long, and
// returns the findings in text coordinates.
func inChunks(ctx context.Context, text string, detect func(context.Context, string) ([]ner.Finding, error)) ([]ner.Finding, error) {
	return defaultChunking.detect(ctx, text, detect)
}

// detect runs detect over text in chunks of c's size and returns the
// findings in text coordinates.
func (c chunking) detect(ctx context.Context, text string, detect func(context.Context, string) ([]ner.Finding, error)) ([]ner.Finding, error) {
	cs := chunks(text, c.size, c.context)
	if len(cs) == 1 {
		return detect(ctx, text)
	}
	var out []ner.Finding
	for _, ch := range cs {
		fs, err := detect(ctx, text[ch.lo:ch.hi])
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			f.Start += ch.lo
			f.End += ch.lo
			if f.Start >= ch.own && f.Start < ch.ownEnd {
				out = append(out, f)
			}
		}
	}
	return out, nil
}
