package pattern

import (
	"regexp/syntax"
	"testing"
	"unicode/utf8"
)

// referenceASCII is what asciiMatched replaced: MatchRune asked for each
// ASCII byte.
func referenceASCII(in *syntax.Inst) [2]uint64 {
	var set [2]uint64
	for c := 0; c < utf8.RuneSelf; c++ {
		if in.MatchRune(rune(c)) {
			set[c>>6] |= 1 << (c & 63)
		}
	}
	return set
}

// sameASCII fails unless asciiMatched agrees with MatchRune on every
// instruction of the program of src that reads a rune.
func sameASCII(t *testing.T, src string) {
	t.Helper()
	prog := compileSyntax(src)
	if prog == nil {
		return
	}
	for pc := range prog.Inst {
		in := &prog.Inst[pc]
		if got, want := asciiMatched(in), referenceASCII(in); got != want {
			t.Fatalf("instruction %d (%v) of %q: ASCII set %x, MatchRune %x", pc, in, src, got, want)
		}
	}
}

// TestASCIIMatched compares asciiMatched with MatchRune over every
// expression of the embedded rules (with their macros and Follow
// expressions) and expressions that reach its corners: folded letters
// whose orbits leave ASCII (k and the Kelvin sign, s and the long s),
// negated and Unicode classes, any character, ranges across 127.
func TestASCIIMatched(t *testing.T) {
	for _, src := range []string{
		`(?i)k`, `(?i)s`, `(?i)KS`, `(?i)[a-z]`, `[^a-z]`, `(?i)[^k]`, `.`, `(?s).`,
		`\p{L}`, `\P{Lu}`, `[\x00-\x{10FFFF}]`, `[~-\x{100}]`, `[a\x7f]`, `\d\s\w\b`,
		`(?i)straße`, `(?i)ǅ`, `[[:alpha:]]`, `x*y+z?`, ``,
	} {
		sameASCII(t, src)
	}
	d := Default()
	n := 0
	for _, r := range d.rules {
		for _, p := range []*program{r.prog, r.follow} {
			if p == nil {
				continue
			}
			for pc := range p.Inst {
				in := &p.Inst[pc]
				if got, want := asciiMatched(in), referenceASCII(in); got != want {
					t.Fatalf("rule %s, instruction %d (%v): ASCII set %x, MatchRune %x", r.ID(), pc, in, got, want)
				}
				n++
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d instructions of the embedded rules compared", n)
	}
}

// FuzzASCIIMatched compares asciiMatched with MatchRune over the
// programs of arbitrary expressions.
func FuzzASCIIMatched(f *testing.F) {
	for _, s := range []string{`(?i)k`, `[^a-z]`, `\p{Greek}|[0-9]{2,}`, `(?i)[ſ-ʒ]x`, `(?U)a+?`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sameASCII(t, src)
	})
}

// BenchmarkDefault is the start-up cost of the embedded rules: decoding,
// macro expansion and the compilation of every expression.
func BenchmarkDefault(b *testing.B) {
	for b.Loop() {
		Default()
	}
}
