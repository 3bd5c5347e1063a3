package ner

import (
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/ner/textform"
)

// FuzzDigitsPhrase checks the offsets of the Digits phrases: every match
// is on word bounds (no digit just outside it), its text apart from its
// digits is digit separators only, and its digits are its phrase's; the
// matches are in order and apart; and a number written into the text in
// any grouping (cut at the bits of cuts, by separator sep) is covered by
// a match.
func FuzzDigitsPhrase(f *testing.F) {
	f.Add("6175550143", "call (617) 555-0143 or 61755501430", uint64(0b1001000), byte(1))
	f.Add("48213907", "48 21 39 07 then 4821\n3907", uint64(0b1010), byte(4))
	f.Add("12", "1 2 12 1-2-12 ２", uint64(1), byte(0))
	f.Fuzz(func(t *testing.T, digits, text string, cuts uint64, sep byte) {
		if !allDigits(digits) || len(digits) > 40 {
			return
		}
		seps := []string{" ", "-", ".", "/", ") ", " - ", "\n", "\u2013"}
		var g strings.Builder
		for i := 0; i < len(digits); i++ {
			if i > 0 && cuts&(1<<(i%64)) != 0 {
				g.WriteString(seps[int(sep)%len(seps)])
			}
			g.WriteByte(digits[i])
		}
		full := text + " x " + g.String() + " x"
		gs, ge := len(text)+3, len(full)-2
		m := NewPhraseMatcher([]Phrase{{Keys: []string{digits}, Digits: true}})
		covered, last, viewed := false, 0, textform.Of(full).Changed()
		for _, mt := range m.FindAll(full) {
			if mt.Start < last || mt.End <= mt.Start || mt.End > len(full) || mt.Index != 0 {
				t.Fatalf("bad match %+v after %d", mt, last)
			}
			last = mt.End
			if mt.Start <= gs && ge <= mt.End {
				covered = true
			}
			if viewed {
				continue // a match may be read in the view: its span is the form's
			}
			s := full[mt.Start:mt.End]
			var d strings.Builder
			for _, r := range s {
				if r >= '0' && r <= '9' {
					d.WriteRune(r)
				} else if !isDigitGap(string(r)) {
					t.Fatalf("match %q holds %q", s, r)
				}
			}
			if d.String() != digits {
				t.Fatalf("match %q of %q", s, digits)
			}
			if mt.Start > 0 && isASCIIDigit(full[mt.Start-1]) || mt.End < len(full) && isASCIIDigit(full[mt.End]) {
				t.Fatalf("match %q inside a longer run of digits", s)
			}
		}
		if !covered {
			t.Fatalf("%q not found in %q", g.String(), full)
		}
	})
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// TestDigitsPhraseLinear: finding Digits phrases costs linear time in the
// text (internal/complexity), on runs of digit groups that begin many
// near matches (each a prefix of a listed number) and on one endless
// number.
func TestDigitsPhraseLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	m := NewPhraseMatcher(TermPhrases([]string{"6175550143", "4821 3907", "1111111111111111111111", "Falcon 7"}))
	units := map[string]string{
		"near numbers": "(617) 555-014 617-555 0144 48 21 39 0 ",
		"one number":   "1 11 1-1.1/1 ",
		"glued":        "61755501436175550143 ",
	}
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
			complexity.Assert(t, 4<<10, build, func(text string) { m.FindAll(text) })
		})
	}
}
