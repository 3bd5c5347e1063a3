package formattest

import (
	"math/rand/v2"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// DefaultReplacements are the replacement texts of random edits: empty (a
// deletion), short and long labels, characters that formats must escape
// (XML, PDF strings), and non-ASCII letters.
var DefaultReplacements = []string{
	"", "X", "[REDACTED]", "Person A", `<R&"'>`, "(paren) \\", "Zoë Ærø", "«R»",
}

// EditPlan says where random edits may go and what they put there.
type EditPlan struct {
	// Replacements are chosen from; nil means DefaultReplacements.
	Replacements []string
	// Kept returns the runes of a part that edits must not cover (see
	// Options.Kept); nil: none.
	Kept func(p redactors.Part) string
	// Skip reports parts that get no edits; nil: none.
	Skip func(i int, p redactors.Part) bool
	// Max is the largest number of edits per part (default 4).
	Max int
}

// RandomEdits returns a random set of edits that satisfies CheckEdits'
// contract: sorted by part and offset, not overlapping, within their part
// and on rune boundaries. About half of the spans are whole words, the
// others arbitrary runs of runes; a few are empty (insertions). The same
// rng state gives the same edits.
func RandomEdits(rng *rand.Rand, parts []redactors.Part, plan EditPlan) []redactors.Edit {
	repls := plan.Replacements
	if repls == nil {
		repls = DefaultReplacements
	}
	maxPer := plan.Max
	if maxPer <= 0 {
		maxPer = 4
	}
	var out []redactors.Edit
	for i, p := range parts {
		if plan.Skip != nil && plan.Skip(i, p) {
			continue
		}
		if rng.IntN(3) == 0 { // leave about a third of the parts alone
			continue
		}
		kept := ""
		if plan.Kept != nil {
			kept = plan.Kept(p)
		}
		runs := editable(p.Text, kept)
		if len(runs) == 0 {
			continue
		}
		var es []redactors.Edit
		for n := 1 + rng.IntN(maxPer); n > 0; n-- {
			r := runs[rng.IntN(len(runs))]
			s, e := pickSpan(rng, p.Text, r)
			es = append(es, redactors.Edit{Part: i, Start: s, End: e, Replacement: repls[rng.IntN(len(repls))]})
		}
		out = append(out, nonOverlapping(es)...)
	}
	return out
}

// span is a byte range [s, e) of a text.
type span struct{ s, e int }

// editable splits text into the maximal runs without a kept rune. An empty
// text has none: an insertion into nothing has no place to go.
func editable(text, kept string) []span {
	var out []span
	start := 0
	for i, r := range text {
		if kept != "" && strings.ContainsRune(kept, r) {
			if i > start {
				out = append(out, span{start, i})
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(text) {
		out = append(out, span{start, len(text)})
	}
	return out
}

// pickSpan chooses a span inside run r of text.
func pickSpan(rng *rand.Rand, text string, r span) (int, int) {
	bounds := runeBounds(text, r)
	switch k := rng.IntN(10); {
	case k == 0: // insertion
		b := bounds[rng.IntN(len(bounds))]
		return b, b
	case k < 6: // a whole word
		if ws := words(text[r.s:r.e]); len(ws) > 0 {
			w := ws[rng.IntN(len(ws))]
			return r.s + w.s, r.s + w.e
		}
		fallthrough
	default: // any run of up to 24 runes
		a := rng.IntN(len(bounds))
		b := min(len(bounds)-1, a+rng.IntN(24))
		return bounds[a], bounds[b]
	}
}

// runeBounds lists the rune boundaries of text[r.s:r.e], both ends included.
func runeBounds(text string, r span) []int {
	var out []int
	for i := range text[r.s:r.e] {
		out = append(out, r.s+i)
	}
	return append(out, r.e)
}

// words returns the spans of the runs of letters and digits of s.
func words(s string) []span {
	var out []span
	start := -1
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(s)})
	}
	return out
}

// nonOverlapping sorts the edits of one part and drops those that overlap
// an earlier one (two insertions at one offset count as overlapping, and so
// does an insertion at the start of another edit: CheckEdits accepts them,
// but their order would be ambiguous).
func nonOverlapping(es []redactors.Edit) []redactors.Edit {
	sort.SliceStable(es, func(a, b int) bool {
		if es[a].Start != es[b].Start {
			return es[a].Start < es[b].Start
		}
		return es[a].End < es[b].End
	})
	var out []redactors.Edit
	for _, e := range es {
		if n := len(out); n > 0 && e.Start <= out[n-1].End {
			continue
		}
		out = append(out, e)
	}
	return out
}

// invalidEdits returns edit sets that break CheckEdits' contract, by name.
// parts must not be empty.
func invalidEdits(parts []redactors.Part) map[string][]redactors.Edit {
	ed := func(part, s, e int) redactors.Edit {
		return redactors.Edit{Part: part, Start: s, End: e, Replacement: "X"}
	}
	n := len(parts)
	last := len(parts[0].Text)
	cases := map[string][]redactors.Edit{
		"no such part":        {ed(n, 0, 0)},
		"negative part":       {ed(-1, 0, 0)},
		"past the end":        {ed(0, 0, last+1)},
		"negative start":      {ed(0, -1, 0)},
		"start after end":     {ed(0, 1, 0)},
		"far past the end":    {ed(0, last+1000, last+2000)},
		"reversed part order": {ed(n-1, 0, 0), ed(0, 0, 0)},
	}
	if n == 1 {
		delete(cases, "reversed part order")
	}
	// Two edits of one part, in the wrong order and overlapping.
	for i, p := range parts {
		bs := runeBounds(p.Text, span{0, len(p.Text)})
		if len(bs) >= 3 {
			a, b, c := bs[0], bs[1], bs[2]
			cases["out of order"] = []redactors.Edit{ed(i, b, c), ed(i, a, b)}
			cases["overlapping"] = []redactors.Edit{ed(i, a, c), ed(i, b, c)}
			break
		}
	}
	// A span that splits a rune, at its start and at its end.
	for i, p := range parts {
		for k, r := range p.Text {
			if utf8.RuneLen(r) > 1 {
				cases["start inside a rune"] = []redactors.Edit{ed(i, k+1, k+utf8.RuneLen(r))}
				cases["end inside a rune"] = []redactors.Edit{ed(i, k, k+1)}
				break
			}
		}
		if _, ok := cases["end inside a rune"]; ok {
			break
		}
	}
	return cases
}
