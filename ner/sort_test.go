package ner

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestSortStable checks Sort against sort.SliceStable with less, the
// order it had before: random findings with many ties (equal spans,
// entities, scores, rules, so that stability decides) and NaN scores
// (less is then no strict weak order, and only the same algorithm gives
// the same result; findings that NaN makes neither before nor after the
// other differ in their rules, so that a tie broken differently shows).
func TestSortStable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ents := []Entity{Person, Location, Date, Other}
	for n := range 600 {
		fs := make([]Finding, n%97)
		for i := range fs {
			score := float64(r.IntN(3)) / 2
			if r.IntN(20) == 0 {
				score = math.NaN()
			}
			s := r.IntN(8)
			fs[i] = Finding{Start: s, End: s + r.IntN(4), Entity: ents[r.IntN(len(ents))], Score: score, Rule: []string{"a", "b"}[r.IntN(2)]}
		}
		want := slices.Clone(fs)
		sort.SliceStable(want, func(i, j int) bool { return less(want[i], want[j]) })
		Sort(fs)
		for i := range fs {
			a, b := fs[i], want[i]
			if a.Start != b.Start || a.End != b.End || a.Entity != b.Entity || a.Rule != b.Rule ||
				!(a.Score == b.Score || math.IsNaN(a.Score) && math.IsNaN(b.Score)) {
				t.Fatalf("case %d: at %d Sort gives %+v, sort.SliceStable %+v", n, i, a, b)
			}
		}
	}
}

// TestCompareFindingsThreeWay checks that the comparison given to the
// stable sort is a real three-way one: antisymmetric (1 when the second
// finding comes first, not 0) and 0 only for findings neither of which
// comes before the other.
func TestCompareFindingsThreeWay(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ents := []Entity{Person, Location, Date, Other}
	pick := func() Finding {
		s := r.IntN(4)
		return Finding{Start: s, End: s + r.IntN(3), Entity: ents[r.IntN(len(ents))], Score: float64(r.IntN(3)) / 2, Rule: []string{"a", "b"}[r.IntN(2)]}
	}
	ones := 0
	for range 2000 {
		a, b := pick(), pick()
		ab, ba := compareFindings(a, b), compareFindings(b, a)
		if ab != -ba {
			t.Fatalf("compareFindings(%+v, %+v) = %d but reversed = %d", a, b, ab, ba)
		}
		if (ab == 0) != (!less(a, b) && !less(b, a)) {
			t.Fatalf("compareFindings(%+v, %+v) = %d disagrees with less", a, b, ab)
		}
		if ab == 1 {
			ones++
		}
	}
	if ones == 0 {
		t.Fatal("no pair compared as 1: the comparison is not three-way")
	}
}
