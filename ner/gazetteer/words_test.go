package gazetteer

import (
	"context"
	"strings"
	"sync"
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

// TestMarksOf: a word's marks are the Marker's answer for its key,
// whether the key is marked on its first lookup or found in a worker's
// cache (the second round); a second SetMarker panics.
func TestMarksOf(t *testing.T) {
	saved, savedCaches := marker, seenCaches
	t.Cleanup(func() { marker, seenCaches = saved, savedCaches })
	marker = nil
	seenCaches = &sync.Pool{New: savedCaches.New} // no word seen before the Marker
	m := func(key string) uint64 { return uint64(len(key))<<8 | uint64(key[0]) }
	SetMarker(m)
	long := strings.Repeat("Orsolya Quillanby moved from Tartu to the harbour with Dr Tamsin Everard; ", 20)
	for round := 0; round < 2; round++ {
		for _, text := range []string{long, "Mr Everard", "ＡＢＣ Zürich ﬁnn Ѕmith", ""} {
			ctx := ner.WithShared(context.Background(), text)
			ws, flags, marks := MarksOf(ctx, text)
			ws2, flags2 := WordsOf(ctx, text)
			if len(marks) != len(ws) || len(ws2) != len(ws) || len(flags2) != len(flags) {
				t.Fatalf("%d words, %d marks", len(ws), len(marks))
			}
			for i, w := range ws {
				if marks[i] != m(w.Key) || flags[i] != Lookup(w.Key) {
					t.Errorf("round %d: %q: marks %x flags %v, want %x %v", round, w.Key, marks[i], flags[i], m(w.Key), Lookup(w.Key))
				}
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a second SetMarker did not panic")
		}
	}()
	SetMarker(m)
}
