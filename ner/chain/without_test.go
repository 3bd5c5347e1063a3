package chain

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/veilhq/veil/ner"
)

// TestWithout compares without with the loop it replaced (a copy of the
// findings drop does not report) on random lists, and checks that found
// is returned as it is when nothing is dropped and is never written.
func TestWithout(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 400 {
		found := make([]ner.Finding, n%13)
		for i := range found {
			found[i] = ner.Finding{Start: r.IntN(50), End: 50 + r.IntN(50), Entity: ner.Person, Score: r.Float64()}
		}
		before := slices.Clone(found)
		cut := r.Float64()
		drop := func(f ner.Finding) bool { return f.Score < cut }
		var want []ner.Finding
		for _, f := range found {
			if !drop(f) {
				want = append(want, f)
			}
		}
		calls := 0
		got := without(found, func(f ner.Finding) bool { calls++; return drop(f) })
		if !slices.Equal(got, want) {
			t.Fatalf("case %d: without = %v, want %v", n, got, want)
		}
		if calls != len(found) {
			t.Fatalf("case %d: drop called %d times for %d findings", n, calls, len(found))
		}
		if !slices.Equal(found, before) {
			t.Fatalf("case %d: found was written", n)
		}
		if len(want) == len(found) && len(found) > 0 && &got[0] != &found[0] {
			t.Fatalf("case %d: nothing dropped, but found was copied", n)
		}
	}
}
