// Package litfilter tells, for the price of a few substring searches,
// that a regular expression cannot match a text: most expressions that
// look for a phrase need one of a few words ("village", "hamlet", …)
// somewhere in the text, and Go's regexp package scans the whole text
// with its matcher even when none is there.
package litfilter

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Filter holds a necessary condition of a regular expression: one of its
// literals occurs in every text it matches. The nil Filter knows no
// condition and lets every text through. It is immutable.
type Filter struct {
	// any are ASCII-lower-cased literals: every match of the expression
	// holds one of them, lower-cased the same way
	any []string
	// fold is set when the expression folds case: 'k' and 's' then also
	// match the Kelvin sign and the long s, which ASCII lower-casing
	// leaves as they are
	fold bool
}

// minLiteral is the shortest literal worth a search: shorter ones occur
// in nearly every text and filter nothing.
const minLiteral = 3

// For returns the condition of re, nil when it has none worth testing.
func For(re *regexp.Regexp) *Filter { return forExpr(re, false) }

// ForCase returns the condition of a re that does not fold case, over the
// text as written: its literals keep their case, and MayMatch takes the
// text itself, not its lower-cased form. It is nil when re has no such
// condition (the part of re that has one folds case, or it has none).
// An expression of upper-case abbreviations ("MV ", "SS ") that For
// would look for in every "my " and "class " of a lower-cased text is
// looked for as written.
func ForCase(re *regexp.Regexp) *Filter { return forExpr(re, true) }

func forExpr(re *regexp.Regexp, keepCase bool) *Filter {
	p, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	s, ok := required(p.Simplify(), keepCase)
	if !ok || len(s.lits) == 0 || shortest(s.lits) < minLiteral || keepCase && s.fold {
		return nil
	}
	return &Filter{any: s.lits, fold: s.fold}
}

// MayMatch reports whether the expression can match the text whose ASCII
// lower-cased form is lower (Lower), or, for a filter of ForCase, the
// text lower itself. False means it cannot.
func (f *Filter) MayMatch(lower string) bool {
	if f == nil {
		return true
	}
	if f.fold && (strings.Contains(lower, "\u212a") || strings.Contains(lower, "\u017f")) {
		return true
	}
	for _, l := range f.any {
		if strings.Contains(lower, l) {
			return true
		}
	}
	return false
}

// Lower lower-cases the ASCII letters of s only, so that offsets into it
// are offsets into s.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// A set is what required knows of an expression: literals (ASCII-lower-
// cased) of which every match holds one, or, when exact, of which every
// match is one; fold when one of them is matched folding case.
type set struct {
	lits  []string
	exact bool
	fold  bool
}

// maxProduct bounds the literals of a concatenation of exact sets.
const maxProduct = 64

// maxClass bounds the runes of a character class read as literals.
const maxClass = 8

// required returns what it knows of re, false when it knows nothing;
// with keepCase, literals as written, and nothing of a part that folds
// case.
func required(re *syntax.Regexp, keepCase bool) (set, bool) {
	lowerASCII := lowerASCII
	if keepCase {
		lowerASCII = func(r rune) rune { return r }
	}
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return set{lits: []string{""}, exact: true}, true // matches nothing but the empty string
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		if fold && keepCase {
			return set{}, false
		}
		var b strings.Builder
		for _, r := range re.Rune {
			if fold && r >= utf8.RuneSelf {
				return set{}, false // non-ASCII folds lower-casing does not follow
			}
			b.WriteRune(lowerASCII(r))
		}
		return set{lits: []string{b.String()}, exact: true, fold: fold}, true
	case syntax.OpCharClass:
		var lits []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(lits) == maxClass {
					return set{}, false
				}
				lits = appendNew(lits, string(lowerASCII(r)))
			}
		}
		if len(lits) == 0 {
			return set{}, false
		}
		return set{lits: lits, exact: true}, true
	case syntax.OpCapture:
		return required(re.Sub[0], keepCase)
	case syntax.OpPlus:
		s, ok := required(re.Sub[0], keepCase)
		s.exact = false
		return s, ok
	case syntax.OpRepeat:
		if re.Min < 1 {
			return set{}, false
		}
		s, ok := required(re.Sub[0], keepCase)
		s.exact = s.exact && re.Min == 1 && re.Max == 1
		return s, ok
	case syntax.OpAlternate:
		out := set{exact: true}
		for _, sub := range re.Sub {
			s, ok := required(sub, keepCase)
			if !ok {
				return set{}, false
			}
			for _, l := range s.lits {
				out.lits = appendNew(out.lits, l)
			}
			out.exact = out.exact && s.exact
			out.fold = out.fold || s.fold
		}
		return out, true
	case syntax.OpConcat:
		// Runs of exact parts multiply out ("[Ff]" "ire" is "fire");
		// the condition is the run or part whose literals are longest.
		var best set
		found := false
		consider := func(s set) {
			if len(s.lits) > 0 && (!found || shortest(s.lits) > shortest(best.lits)) {
				best, found = s, true
			}
		}
		run := set{lits: []string{""}, exact: true}
		all := true // every part exact so far
		for _, sub := range re.Sub {
			s, ok := required(sub, keepCase)
			if ok && s.exact && len(run.lits)*len(s.lits) <= maxProduct {
				var prod []string
				for _, a := range run.lits {
					for _, b := range s.lits {
						prod = appendNew(prod, a+b)
					}
				}
				run = set{lits: prod, exact: true, fold: run.fold || s.fold}
				continue
			}
			consider(set{lits: run.lits, fold: run.fold})
			if ok {
				consider(set{lits: s.lits, fold: s.fold})
			}
			all = false
			run = set{lits: []string{""}, exact: true}
			if ok && s.exact {
				run = s // too many to multiply: start a new run with it
			}
		}
		if all {
			return run, true
		}
		consider(set{lits: run.lits, fold: run.fold})
		return best, found
	}
	return set{}, false
}

func lowerASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

func appendNew(lits []string, l string) []string {
	for _, x := range lits {
		if x == l {
			return lits
		}
	}
	return append(lits, l)
}

func shortest(lits []string) int {
	n := len(lits[0])
	for _, l := range lits {
		n = min(n, len(l))
	}
	return n
}
