package litfilter

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// multiExprs are expressions of the kinds residuals and the refiners
// filter: folded and cased, literals sharing their first bytes, one
// without a condition (nil filter).
var multiExprs = []string{
	`(?i)\b(?:village|hamlet|town|township)s? of (\d+)`,
	`\b(?:Hurricane|Storm|Tropical Storm) [A-Z][a-z]+|(?:[A-Z][a-z]+ ){1,3}(?:Fire|Flood|[Ff]ire|[Cc]rash)\b`,
	`\b(?:MV|M/V|SS|MY) [A-Z][A-Za-z]+|(?:ferry|the boat) [A-Z][a-z]+`,
	`\b(?:profiled|featured) (?:in|by) (?:the )?[A-Z][A-Za-z]+`,
	`(?i)\b(?:triplets|conjoined twins|(?:eight|[1-9]\d) (?:children|sons))\b`,
	`\d{3}-\d{4}`,
}

// multiFilters returns For's and ForCase's filters of multiExprs.
func multiFilters() (lower, cased []*Filter) {
	for _, src := range multiExprs {
		re := regexp.MustCompile(src)
		lower, cased = append(lower, For(re)), append(cased, ForCase(re))
	}
	return lower, cased
}

// checkMulti fails unless Multi agrees with each filter on text.
func checkMulti(t *testing.T, text string, ml, mc *Multi, lower, cased []*Filter) {
	t.Helper()
	var out []bool
	low := Lower(text)
	out = ml.MayMatch(low, out)
	for i, f := range lower {
		if out[i] != f.MayMatch(low) {
			t.Fatalf("%q: filter %d (lower): Multi %v, Filter %v", text, i, out[i], !out[i])
		}
	}
	out = mc.MayMatch(text, out)
	for i, f := range cased {
		if out[i] != f.MayMatch(text) {
			t.Fatalf("%q: filter %d (cased): Multi %v, Filter %v", text, i, out[i], !out[i])
		}
	}
}

func TestMultiMatchesFilters(t *testing.T) {
	lower, cased := multiFilters()
	ml, mc := NewMulti(lower), NewMulti(cased)
	var pieces []string
	for _, fs := range [][]*Filter{lower, cased} {
		for _, f := range fs {
			if f == nil {
				continue
			}
			for _, l := range f.any {
				pieces = append(pieces, l, l[:len(l)-1], l[1:], strings.ToUpper(l))
			}
		}
	}
	pieces = append(pieces, " ", "x", "\u212a", "\u017f", "é", "\n", "T", "th", "o")
	checkMulti(t, "", ml, mc, lower, cased)
	rng := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	hits := 0
	for range 50_000 {
		b.Reset()
		for n := rng.IntN(8); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkMulti(t, b.String(), ml, mc, lower, cased)
		if ml.MayMatch(Lower(b.String()), nil)[0] {
			hits++
		}
	}
	if hits == 0 {
		t.Fatal("test input: no text passes the first filter")
	}
}

func FuzzMulti(f *testing.F) {
	f.Add("a village of 900, the MV Kestrel, Tropical Storm Ada")
	f.Add("profiled by the Courier: \u212aestrel")
	lower, cased := multiFilters()
	ml, mc := NewMulti(lower), NewMulti(cased)
	f.Fuzz(func(t *testing.T, text string) {
		checkMulti(t, text, ml, mc, lower, cased)
	})
}
