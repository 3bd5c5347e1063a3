package names

import (
	"context"
	"regexp"
	"strings"

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
// a word (checked against statute-words), an optional number after "no."
// and "of" or "dated".
var lawNameBefore = regexp.MustCompile(`(?i)\b(\pL+)(?:\s+(?:no|nr|number)\.?\s*[\pL\pN][\pL\pN/.\-–]*)?\s+(?:of|dated)\s+$`)

// inForceAfter matches the start of the text after a date that a clause
// dates as a law's entry into force: ", when" and at most eight words,
// then "came into force", "entered into force" or "took effect".
var inForceAfter = regexp.MustCompile(`^,?\s+when\s+(?:\S+\s+){1,8}?(?:came|come|comes|entered|enters)\s+into\s+force\b|^,?\s+when\s+(?:\S+\s+){1,8}?took\s+effect\b`)

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
	out := make([]ner.Finding, 0, len(found))
	for _, f := range found {
		if f.Entity == ner.Date && !strings.HasPrefix(f.Rule, ner.PropagatedPrefix) && within(law, f.Start, f.End) {
			continue
		}
		out = append(out, f)
	}
	return out, ctx.Err()
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
	if m := lawNameBefore.FindStringSubmatch(before); m != nil && statuteWords[strings.ToLower(m[1])] {
		return true
	}
	after := text[e:min(len(text), e+lawContext)]
	return inForceAfter.MatchString(after)
}
