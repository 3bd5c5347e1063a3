package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TrimName narrows a name-like finding (person, place, organisation) to
// start and end on a letter or digit, without a possessive 's: "**Maria
// Sandoval**" -> "Maria Sandoval", "Ellison's" -> "Ellison". It returns
// false when nothing is left.
func TrimName(text string, f Finding) (Finding, bool) {
	s, e := f.Start, f.End
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		e -= n
	}
	for _, poss := range []string{"'s", "’s", "'S", "’S"} {
		if strings.HasSuffix(text[s:e], poss) && e-len(poss) > s {
			e -= len(poss)
			break
		}
	}
	if s >= e {
		return f, false
	}
	f.Start, f.End = s, e
	return f, true
}
