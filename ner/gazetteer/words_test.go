package gazetteer

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// TestWordsOfIsLookup: the shared words' flags are Lookup of their keys,
// whether a word is looked up in the table or found in a worker's cache
// (the second round), in a text long enough for the cache and in a short
// one.
func TestWordsOfIsLookup(t *testing.T) {
	long := strings.Repeat("Orsolya Quillanby moved from Tartu to the harbour with Dr Tamsin Everard; ", 20)
	for round := 0; round < 2; round++ {
		for _, text := range []string{long, "Mr Everard", "ＡＢＣ Zürich ﬁnn Ѕmith"} {
			ctx := ner.WithShared(context.Background(), text)
			ws, flags := WordsOf(ctx, text)
			if want := ner.Words(text); len(ws) != len(want) || len(flags) != len(ws) {
				t.Fatalf("%d words, %d flags, want %d", len(ws), len(flags), len(want))
			}
			for i, w := range ws {
				if flags[i] != Lookup(w.Key) {
					t.Errorf("round %d: %q: flags %v, Lookup %v", round, w.Key, flags[i], Lookup(w.Key))
				}
			}
			if ws2, _ := WordsOf(ctx, text); len(ws) > 0 && &ws2[0] != &ws[0] {
				t.Error("WordsOf split the text again within one chain")
			}
		}
	}
}
