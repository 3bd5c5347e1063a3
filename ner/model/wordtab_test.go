package model

import (
	"math"
	"math/rand"
	"strings"
	"testing"
)

// TestWordTablesLikeMaps: over texts of invented words, one after another
// in the same tables (the epoch reuses them; one text starts just before
// the epoch wraps, and the tables grow within a text), seenTable and
// keyTable number words and keys as Go maps do.
func TestWordTablesLikeMaps(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	var seen seenTable
	var keys keyTable
	for round := range 40 {
		if round == 20 {
			seen.epoch, keys.epoch = math.MaxUint32, math.MaxUint32
		}
		var words []string
		for range 1 + r.Intn(3000) {
			n := 1 + r.Intn(4)
			w := make([]byte, n)
			for k := range w {
				w[k] = "abcQXé"[r.Intn(6)]
			}
			words = append(words, string(w))
		}
		text := strings.Join(words, " ")
		seen.reset(len(text) / (1 + r.Intn(40)))
		keys.reset(len(text) / (1 + r.Intn(40)))
		wantSeen := map[string]int32{}
		wantKeys := map[uint64]int32{}
		start := 0
		for _, w := range words {
			end := start + len(w)
			h := hashBytes([]byte(w))
			got, at, ok := seen.find(text, start, end, h)
			want, wok := wantSeen[w]
			if ok != wok || ok && got != want {
				t.Fatalf("round %d: %q: seen %d %v, map %d %v", round, w, got, ok, want, wok)
			}
			if !ok {
				n := int32(len(wantSeen))
				wantSeen[w] = n
				seen.insert(at, h, start, end, n)
			}
			key := hashBytes([]byte(strings.ToLower(w)))
			k, added := keys.slot(key, int32(len(wantKeys)))
			wk, had := wantKeys[key]
			if !had {
				wk = int32(len(wantKeys))
				wantKeys[key] = wk
			}
			if k != wk || added == had {
				t.Fatalf("round %d: %q: key slot %d %v, map %d %v", round, w, k, added, wk, !had)
			}
			start = end + 1
		}
	}
}
