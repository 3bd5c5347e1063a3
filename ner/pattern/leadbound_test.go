package pattern

import (
	"regexp/syntax"
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"
)

// leadBound is what a rule's program admits before the first ASCII
// digit of a match: the most bytes (unbounded when a loop can repeat
// there), and whether a match can hold no digit at all.
type leadBound struct {
	bytes     int
	hasDigit  bool // some path reaches a digit (bytes counts only those)
	unbounded bool
	noDigit   bool
}

// leadBoundOf walks prog from its start: every path to a rune
// instruction that admits a digit ends there; one that reaches Match
// first is a digit-free match. Empty-width assertions are taken as
// passable, so the bound may be larger than the truth, never smaller.
func leadBoundOf(prog *syntax.Prog) leadBound {
	type memo struct {
		done bool
		b    leadBound
		ok   bool // some path from here reaches a digit or Match
	}
	m := make([]memo, len(prog.Inst))
	onStack := make([]bool, len(prog.Inst))
	var walk func(pc uint32) (leadBound, bool)
	walk = func(pc uint32) (leadBound, bool) {
		if m[pc].done {
			return m[pc].b, m[pc].ok
		}
		if onStack[pc] {
			// a loop before the first digit: unbounded if it reaches one
			return leadBound{unbounded: true}, false
		}
		onStack[pc] = true
		defer func() { onStack[pc] = false }()
		var b leadBound
		ok := false
		merge := func(c leadBound, cok bool, add int) {
			if !cok {
				if c.unbounded {
					b.unbounded = true // a loop that may reach a digit later
				}
				return
			}
			ok = true
			if c.hasDigit {
				b.hasDigit = true
				b.bytes = max(b.bytes, c.bytes+add)
			}
			b.unbounded = b.unbounded || c.unbounded
			b.noDigit = b.noDigit || c.noDigit
		}
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstMatch:
			b.noDigit, ok = true, true
		case syntax.InstFail:
		case syntax.InstAlt, syntax.InstAltMatch:
			c, cok := walk(in.Out)
			merge(c, cok, 0)
			c, cok = walk(in.Arg)
			merge(c, cok, 0)
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			c, cok := walk(in.Out)
			merge(c, cok, 0)
		default: // rune instructions
			digit, other := runeWidths(in)
			if digit {
				ok, b.hasDigit = true, true
			}
			if other > 0 {
				c, cok := walk(in.Out)
				merge(c, cok, other)
			}
		}
		m[pc] = memo{done: true, b: b, ok: ok}
		return b, ok
	}
	b, _ := walk(uint32(prog.Start))
	return b
}

// runeWidths says whether a rune instruction admits an ASCII digit, and
// the most UTF-8 bytes of a non-digit rune it admits (0 for none).
func runeWidths(in *syntax.Inst) (digit bool, other int) {
	switch in.Op {
	case syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		return true, utf8.UTFMax
	}
	rs := in.Rune
	if in.Op == syntax.InstRune1 {
		rs = []rune{in.Rune[0], in.Rune[0]}
	}
	fold := syntax.Flags(in.Arg)&syntax.FoldCase != 0
	if len(rs) == 1 {
		rs = []rune{rs[0], rs[0]}
	}
	for i := 0; i+1 < len(rs); i += 2 {
		lo, hi := rs[i], rs[i+1]
		if lo <= '9' && hi >= '0' {
			digit = true
		}
		if lo < '0' || hi > '9' {
			top := hi
			if hi >= '0' && hi <= '9' {
				top = '/'
			}
			other = max(other, utf8.RuneLen(top))
		}
		if fold {
			for r := lo; r <= hi && r <= lo+256; r++ {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					if f < '0' || f > '9' {
						other = max(other, utf8.RuneLen(f))
					}
				}
			}
		}
	}
	return digit, other
}

// otherAnchor are the alternatives (of the regex's top-level
// alternation) of rules anchored at digits and at keywords or months
// that start at a keyword or month name, so that those anchors, not the
// digit runs, find them.
var otherAnchor = map[string][]int{
	"date-text":           {0}, // {{month}} first
	"date-month-day":      {0}, // {{month_full}} first
	"date-year-procedure": {1}, // a procedure keyword first
}

// TestDigitAnchoredLead checks that every rule anchored at digits can
// find its matches from the digit runs: none of its matches may start
// more than Lead bytes before its first digit, or hold no digit (such a
// rule wants anchor words). The alternatives of otherAnchor are left to the
// rule's other anchor; a rule also anchored at words needs no bound
// (every match starts at a word).
func TestDigitAnchoredLead(t *testing.T) {
	n := 0
	for _, r := range Default().Rules() {
		if !r.anchorDigits || r.anchorWords {
			continue
		}
		n++
		re, err := syntax.Parse(r.src, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		re = re.Simplify()
		alts := []*syntax.Regexp{re}
		if skip := otherAnchor[r.ID()]; skip != nil {
			if !r.anchorKeywords && !r.anchorMonths {
				t.Errorf("rule %s: in otherAnchor without another anchor", r.ID())
			}
			if re.Op != syntax.OpAlternate {
				t.Fatalf("rule %s: in otherAnchor, its regex is no alternation", r.ID())
			}
			alts = nil
			for i, a := range re.Sub {
				if !slices.Contains(skip, i) {
					alts = append(alts, a)
				}
			}
		}
		var b leadBound
		for _, a := range alts {
			prog, err := syntax.Compile(a)
			if err != nil {
				t.Fatal(err)
			}
			c := leadBoundOf(prog)
			b.bytes = max(b.bytes, c.bytes)
			b.unbounded = b.unbounded || c.unbounded
			b.noDigit = b.noDigit || c.noDigit
		}
		t.Logf("%-28s lead %2d: bound %2d unbounded %v noDigit %v", r.ID(), r.Spec.Lead, b.bytes, b.unbounded, b.noDigit)
		switch {
		case b.noDigit:
			t.Errorf("rule %s: a match can hold no digit", r.ID())
		case b.unbounded:
			t.Errorf("rule %s: a match can start any number of bytes before its first digit (lead %d)", r.ID(), r.Spec.Lead)
		case b.bytes > r.Spec.Lead:
			t.Errorf("rule %s: a match can start %d bytes before its first digit, lead %d", r.ID(), b.bytes, r.Spec.Lead)
		}
	}
	if n == 0 {
		t.Fatal("no rule anchored at digits")
	}
}
