package names

import (
	"context"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
)

// LawDates drops the dates that date a law rather than anyone's case:
//
//   - the date in a law's name, right after a statute word (the lexicon's
//     statute-words), its number, and "of" or "dated": "the Law of 3 May
//     1999", "Law no. 1234 of 3 May 1999", "the Decree dated 1 July 2001";
//   - the date on which a law came into force, told in a clause after
//     it: "on 3 May 1999, when the amended Act took effect", "on 3 May
//     1999, when the new Code entered into force".
//
// Such a date is printed in the law's own title or in the official
// gazette, the same for everyone the law applies to: it says nothing of a
// party (session 31 kept the year in a law's name for the same reason:
// statuteYear). A court's decision, judgment or order is no statute word,
// so "the decision of 3 May 1999" keeps its date. A date found elsewhere
// in the same text is still masked there, and propagation masks this one
// too if the value was removed elsewhere. The date of an official
// gazette is not taken: a gazette publishes decisions about particular
// bodies and people as well as laws.
//
// Every other finding passes unchanged. It runs after maximum recall,
// which would otherwise take the year of a date dropped before it.
type LawDates struct{}

var _ ner.Refiner = LawDates{}

// Name implements ner.Refiner.
func (LawDates) Name() string { return "law-dates" }

// lawNameBefore matches the end of the text before a date in a law's name:
// a word (checked against statute-words, and capitalised: a law's name is
// a title, "the act of 3 May" is something somebody did), an optional
// number after "no." and "of" or "dated".
var lawNameBefore = regexp.MustCompile(`(?i)\b(\pL+)(?:\s+(?:no|nr|number)\.?\s*[\pL\pN][\pL\pN/.\-–]*)?\s+(?:of|dated)\s+$`)

// inForceAfter matches the start of the text after a date that a clause
// dates as an entry into force: ", when", the subject (at most eight
// words, group 1), then "came into force", "entered into force" or "took
// effect". lawSubject decides whether the subject is a law.
var inForceAfter = regexp.MustCompile(`^,?\s+when\s+((?:\S+\s+){1,8}?)(?:(?:came|come|comes|entered|enters)\s+into\s+force|took\s+effect)\b`)

// instrumentWords are the instruments other than statutes whose entry into
// force dates no party's case (general legal vocabulary).
var instrumentWords = map[string]bool{"protocol": true, "convention": true, "amendment": true, "directive": true}

// possessives make a subject somebody's ("her treatment order", "the
// client's guardianship"): what comes into force for one person dates
// their case.
var possessives = map[string]bool{"her": true, "his": true, "their": true, "my": true, "our": true, "your": true, "its": true}

// lawSubject reports whether the subject of an entry into force names a
// law: a capitalised statute or instrument word in it, and no possessive.
func lawSubject(subject string) bool {
	law := false
	for _, w := range strings.Fields(subject) {
		w = strings.TrimRight(w, ",;:")
		lw := strings.ToLower(w)
		if possessives[lw] || strings.HasSuffix(lw, "'s") || strings.HasSuffix(lw, "\u2019s") {
			return false
		}
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) && (statuteWords[lw] || instrumentWords[lw]) {
			law = true
		}
	}
	return law
}

// lawContext is how far before and after a date LawDates reads, in bytes.
const lawContext = 96

// Refine implements ner.Refiner.
func (LawDates) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	var law [][2]int // spans of the dates of laws
	for _, f := range found {
		if f.Entity != ner.Date || strings.HasPrefix(f.Rule, ner.PropagatedPrefix) {
			continue
		}
		if lawDate(text, f.Start, f.End) {
			law = append(law, [2]int{f.Start, f.End})
		}
	}
	if len(law) == 0 {
		return found, ctx.Err()
	}
	return ner.Drop(found, func(f ner.Finding) bool {
		return f.Entity == ner.Date && !strings.HasPrefix(f.Rule, ner.PropagatedPrefix) && within(law, f.Start, f.End)
	}), ctx.Err()
}

// within reports whether [s, e) lies inside one of spans.
func within(spans [][2]int, s, e int) bool {
	for _, sp := range spans {
		if sp[0] <= s && e <= sp[1] {
			return true
		}
	}
	return false
}

// lawDate reports whether the date at [s, e) of text dates a law (see
// LawDates).
func lawDate(text string, s, e int) bool {
	before := text[max(0, s-lawContext):s]
	if mayNameLaw(before) {
		if m := lawNameBefore.FindStringSubmatch(before); m != nil && statuteWords[strings.ToLower(m[1])] {
			if r, _ := utf8.DecodeRuneInString(m[1]); unicode.IsUpper(r) {
				return true
			}
		}
	}
	after := text[e:min(len(text), e+lawContext)]
	m := inForceAfter.FindStringSubmatch(after)
	return m != nil && lawSubject(m[1])
}

// mayNameLaw reports what every match of lawNameBefore that LawDates
// takes needs, cheaply: before ends in white space after "of" or "dated"
// (any case), itself after white space, and holds a statute word (any
// case: the expression's word, lower-cased, is one). The expression,
// unanchored at its start, backtracks from every byte of the window: run
// on every date it was 15 % of a court run over judgments; behind this
// check it runs on a law's context only (TestMayNameLaw, FuzzMayNameLaw:
// never false where the expression takes a statute word).
func mayNameLaw(before string) bool {
	t := strings.TrimRight(before, " \t\n\f\r")
	if len(t) == len(before) {
		return false
	}
	var n int
	switch {
	case len(t) >= 5 && strings.EqualFold(t[len(t)-5:], "dated"):
		n = 5
	case len(t) >= 2 && strings.EqualFold(t[len(t)-2:], "of"):
		n = 2
	default:
		return false
	}
	if len(t) == n || !strings.ContainsRune(" \t\n\f\r", rune(t[len(t)-n-1])) {
		return false
	}
	lt := strings.ToLower(t)
	for w := range statuteWords {
		if strings.Contains(lt, w) {
			return true
		}
	}
	return false
}
