package gazetteer

import (
	"context"
	"strings"
	"sync"

	"github.com/veilhq/veil/ner"
)

type wordsKey struct{}

type flaggedWords struct {
	words []ner.Word
	flags []Flags
}

// WordsOf returns the words of text (ner.SharedWords) and the lists each
// is in (flags[i] is Lookup(words[i].Key)), split and looked up once per
// text of a chain and shared by its passes (ner.Shared): read them, do
// not modify them. A word that recurs is looked up once.
func WordsOf(ctx context.Context, text string) (words []ner.Word, flags []Flags) {
	fw := ner.Shared(ctx, text, wordsKey{}, func() flaggedWords {
		ws := ner.SharedWords(ctx, text)
		return flaggedWords{ws, flagged(ws)}
	})
	return fw.words, fw.flags
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

func flagged(ws []ner.Word) []Flags {
	out := make([]Flags, len(ws))
	t := tables().flags
	c := seenCaches.Get().(*seen)
	for i, w := range ws {
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
		out[i] = f
	}
	seenCaches.Put(c)
	return out
}
