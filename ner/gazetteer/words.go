package gazetteer

import (
	"context"
	"strings"
	"sync"

	"github.com/veilhq/veil/ner"
)

// Word is a word of a text (ner.Words) with the lists its key is in.
type Word struct {
	ner.Word
	// Flags is Lookup(Key).
	Flags Flags
}

type wordsKey struct{}

// WordsOf returns the words of text with their flags: ner.SharedWords,
// each looked up once (a word that recurs in the text is looked up once
// for all its occurrences), shared by the passes of a chain over text
// (ner.Shared). The slice is shared: read it, do not modify it.
func WordsOf(ctx context.Context, text string) []Word {
	return ner.Shared(ctx, text, wordsKey{}, func() []Word { return flagged(ner.SharedWords(ctx, text)) })
}

// seenCaches holds the words already looked up, with their flags, for
// the next texts a worker reads: the table's lookups are reads from
// ~15 MB, most of them cache misses, while the words of a text recur and
// texts of one batch share most of their vocabulary. A sync.Pool keeps
// about one cache per processor, without locks; the collector may drop
// them, which costs only lookups again.
var seenCaches = sync.Pool{New: func() any { return &seen{m: make(map[string]Flags, 1024)} }}

type seen struct{ m map[string]Flags }

// maxSeen bounds a cache: past it, it starts again empty.
const maxSeen = 1 << 15

func flagged(ws []ner.Word) []Word {
	out := make([]Word, len(ws))
	t := tables().flags
	c := seenCaches.Get().(*seen)
	for i, w := range ws {
		out[i].Word = w
		f, ok := c.m[w.Key]
		if !ok {
			f = t.get(w.Key) & public
			if len(c.m) >= maxSeen {
				clear(c.m)
			}
			// The key may be a piece of the text: a copy, so
			// that the cache keeps no text alive.
			c.m[strings.Clone(w.Key)] = f
		}
		out[i].Flags = f
	}
	seenCaches.Put(c)
	return out
}
