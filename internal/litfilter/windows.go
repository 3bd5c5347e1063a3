package litfilter

import (
	"regexp"
	"slices"
)

// Span is the part [Start, End) of a text.
type Span struct{ Start, End int }

// FindAllIn returns what re.FindAllStringSubmatchIndex(text, -1) returns,
// running re only on wins (in any order; they may overlap), each widened
// to ASCII white space or the text's ends, where any \b or \B of re reads
// what it reads in the whole text. The caller guarantees that every match
// of re in text lies inside one of wins and that re has no ^, $, \A or \z
// (a window's ends are no text's ends). A case-insensitive expression run
// over a whole text costs in proportion to the text; run only around the
// few places a match can be, it costs in proportion to them.
//
// Widening stops at the last window already widened, so that a text
// without white space is read once, not once per window.
func FindAllIn(re *regexp.Regexp, text string, wins []Span) [][]int {
	if len(wins) == 0 {
		return nil
	}
	if !slices.IsSortedFunc(wins, cmpSpan) {
		wins = slices.Clone(wins)
		slices.SortFunc(wins, cmpSpan)
	}
	var out [][]int
	cur, open := Span{}, false
	flush := func() {
		for _, m := range re.FindAllStringSubmatchIndex(text[cur.Start:cur.End], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += cur.Start
				}
			}
			out = append(out, m)
		}
	}
	for _, w := range wins {
		w.Start, w.End = max(0, w.Start), min(len(text), w.End)
		if w.Start >= w.End {
			continue
		}
		floor := 0
		if open {
			floor = cur.End
		}
		for w.Start > floor && !asciiSpace(text[w.Start-1]) {
			w.Start--
		}
		if open && w.Start <= cur.End {
			if w.End > cur.End {
				for w.End < len(text) && !asciiSpace(text[w.End]) {
					w.End++
				}
				cur.End = w.End
			}
			continue
		}
		if open {
			flush()
		}
		for w.End < len(text) && !asciiSpace(text[w.End]) {
			w.End++
		}
		cur, open = w, true
	}
	if open {
		flush()
	}
	return out
}

func cmpSpan(a, b Span) int { return a.Start - b.Start }

// asciiSpace reports whether b is white space of the regexp package's \s.
func asciiSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// Anchor returns re matched only at the start of its input, for FindAllAt.
func Anchor(re *regexp.Regexp) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + re.String() + `)`)
}

// FindAllAt returns what re.FindAllStringSubmatchIndex(text, -1) returns,
// given anchored = Anchor(re): it tries re only at the offsets next gives
// (next(text, i) is the least offset at or after i where a match may
// start, or -1 when none is left). The caller guarantees that every match
// of re starts at such an offset p, and that p is 0 or text[p-1] is no
// ASCII word byte: re then reads there what it reads in the whole text as
// long as its only assertions before its first byte are \b and \B (not
// ^, \A or (?m)^), and re matches no empty text. It suits expressions
// that begin with a rare word; after a match, the next try is at its end,
// as FindAll does.
func FindAllAt(anchored *regexp.Regexp, text string, next func(text string, i int) int) [][]int {
	var out [][]int
	for i := 0; i <= len(text); {
		p := next(text, i)
		if p < 0 {
			break
		}
		m := anchored.FindStringSubmatchIndex(text[p:])
		if m == nil {
			i = p + 1
			continue
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += p
			}
		}
		out = append(out, m)
		i = max(m[1], p+1)
	}
	return out
}
