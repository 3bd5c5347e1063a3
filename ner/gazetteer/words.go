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
	marks []uint64 // nil without a Marker
}

// WordsOf returns the words of text (ner.SharedWords) and the lists each
// is in (flags[i] is Lookup(words[i].Key)), split and looked up once per
// text of a chain and shared by its passes (ner.Shared): read them, do
// not modify them. A word that recurs is looked up once.
func WordsOf(ctx context.Context, text string) (words []ner.Word, flags []Flags) {
	fw := flaggedOf(ctx, text)
	return fw.words, fw.flags
}

// MarksOf returns WordsOf(ctx, text) and, for each word, the marks the
// package's Marker gives its key: marks[i] is marker(words[i].Key), or 0
// when no Marker is set. They come from the same lookup as the flags (a
// word's marks are kept beside its flags in the cache of words seen), so
// a package that classes every word of a text into lists of its own
// reads them without a map lookup per word. Read them, do not modify
// them.
func MarksOf(ctx context.Context, text string) (words []ner.Word, flags []Flags, marks []uint64) {
	fw := flaggedOf(ctx, text)
	if fw.marks == nil {
		fw.marks = make([]uint64, len(fw.words)) // no Marker: every mark 0
	}
	return fw.words, fw.flags, fw.marks
}

func flaggedOf(ctx context.Context, text string) flaggedWords {
	return ner.Shared(ctx, text, wordsKey{}, func() flaggedWords {
		ws := ner.SharedWords(ctx, text)
		fs, ms := flagged(ws)
		return flaggedWords{ws, fs, ms}
	})
}

// A Marker returns the marks of a key (a folded word, ner.Word.Key): a
// set of bits for lists a package above this one keeps (the name rules'
// word classes). It must be a pure function of the key, safe for
// concurrent use: its answers are cached for the rest of the process.
type Marker func(key string) uint64

var marker Marker

// SetMarker makes m the Marker of MarksOf. It may be called once, from a
// package's init (before any text is read): a second call panics, since
// the words already seen would keep the marks of the first.
func SetMarker(m Marker) {
	if marker != nil {
		panic("gazetteer: SetMarker called twice")
	}
	marker = m
}

// seenCaches holds the words already looked up, with their flags, for
// the next texts a worker reads: the table's lookups are reads from
// ~15 MB, most of them cache misses, while the words of a text recur and
// texts of one batch share most of their vocabulary. A sync.Pool keeps
// about one cache per processor, without locks; the collector may drop
// them, which costs only lookups again.
var seenCaches = &sync.Pool{New: func() any { return &seen{m: make(map[string]seenWord, 1024)} }}

type seen struct{ m map[string]seenWord }

// seenWord is what the cache keeps of a key: its flags, and its marks.
type seenWord struct {
	f    Flags
	mark uint64
}

// maxSeen bounds a cache: past it, it starts again empty.
const maxSeen = 1 << 15

// flagged returns the flags of every word of ws and, with a Marker, its
// marks (else nil).
func flagged(ws []ner.Word) ([]Flags, []uint64) {
	out := make([]Flags, len(ws))
	var marks []uint64
	m := marker
	if m != nil {
		marks = make([]uint64, len(ws))
	}
	t := tables().flags
	c := seenCaches.Get().(*seen)
	for i, w := range ws {
		e, ok := c.m[w.Key]
		if !ok {
			e.f = t.get(w.Key) & public
			if m != nil {
				e.mark = m(w.Key)
			}
			if len(c.m) >= maxSeen {
				clear(c.m)
			}
			// The key may be a piece of the text: a copy, so
			// that the cache keeps no text alive.
			c.m[strings.Clone(w.Key)] = e
		}
		out[i] = e.f
		if marks != nil {
			marks[i] = e.mark
		}
	}
	seenCaches.Put(c)
	return out, marks
}
