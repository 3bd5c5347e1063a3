package gazetteer

import (
	"context"

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

// memoFrom is the number of words from which a text's lookups go through
// a map of the words seen: the table's lookups are reads from ~15 MB, most
// of them cache misses, while the words of a text recur.
const memoFrom = 64

func flagged(ws []ner.Word) []Word {
	out := make([]Word, len(ws))
	t := tables().flags
	var seen map[string]Flags
	if len(ws) >= memoFrom {
		seen = make(map[string]Flags, len(ws)/4)
	}
	for i, w := range ws {
		out[i].Word = w
		if seen == nil {
			out[i].Flags = t.get(w.Key) & public
			continue
		}
		f, ok := seen[w.Key]
		if !ok {
			f = t.get(w.Key) & public
			seen[w.Key] = f
		}
		out[i].Flags = f
	}
	return out
}
