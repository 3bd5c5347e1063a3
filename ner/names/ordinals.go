package names

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
)

// OrdinalNouns drops the dates that a bare ordinal was read as ("the
// 5th", rule pattern/date-ordinal) only on a clear sign that the ordinal
// counts or ranks things: a noun the ordinal counts follows it (the
// lexicon's ordinal-nouns: "the 2nd Chamber of the Court of Appeal", "the
// 19th century", "the 3rd floor", "the 2nd time"), "with" comes before the
// "the" ("trouble with the 1st"), or the ordinal goes on a list that
// such a counted ordinal began a little before it ("with the 1st. The 2nd
// then clotted") and no word of time (the lexicon's ordinal-date-cues: on,
// by, until, a weekday…) nor a colon introduces its "the". Every other
// ordinal stays a date: "discharged the 9th", "Surgery is the 14th". A missed
// date leaks; an extra mask costs precision only. Every other finding passes
// unchanged.
type OrdinalNouns struct{}

var _ ner.Refiner = OrdinalNouns{}

// Name implements ner.Refiner.
func (OrdinalNouns) Name() string { return "ordinal-nouns" }

// ordinalRule is the rule whose findings OrdinalNouns judges.
const ordinalRule = "pattern/date-ordinal"

// listReach is how many bytes before an ordinal a counted ordinal may
// stand and still make it an item of the same list.
const listReach = 120

var (
	ordinalNouns    = lex("ordinal-nouns")
	ordinalDateCues = lex("ordinal-date-cues")
)

// Refine implements ner.Refiner.
func (OrdinalNouns) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	counted := map[int]bool{}
	var starts []int // counted ordinals by a sign of their own
	for _, f := range found {
		if f.Rule != ordinalRule || f.Start < 0 || f.End > len(text) || f.Start > f.End {
			continue
		}
		if countsNoun(text, f.End) || wordBeforeThe(text, f.Start) == "with" {
			counted[f.Start] = true
			starts = append(starts, f.Start)
		}
	}
	for _, f := range found {
		if f.Rule != ordinalRule || counted[f.Start] || f.Start < 0 || f.End > len(text) || f.Start > f.End {
			continue
		}
		if !afterThe(text, f.Start) || dateCueBefore(text, f.Start) {
			continue
		}
		for _, s := range starts {
			if s < f.Start && f.Start-s <= listReach {
				counted[f.Start] = true
				break
			}
		}
	}
	return ner.Drop(found, func(f ner.Finding) bool {
		return f.Rule == ordinalRule && counted[f.Start]
	}), ctx.Err()
}

// afterThe reports whether the ordinal at text[start:] follows the word
// "the".
func afterThe(text string, start int) bool {
	p := strings.TrimRight(text[:start], " \t")
	return len(p) >= 3 && strings.EqualFold(p[len(p)-3:], "the") && (len(p) == 3 || !isLetter(p[len(p)-4]))
}

// wordBeforeThe returns, in lower case, the word before the "the" that
// the ordinal at text[start:] follows, or "" when there is none.
func wordBeforeThe(text string, start int) string {
	if !afterThe(text, start) {
		return ""
	}
	p := strings.TrimRight(text[:start], " \t")
	p = strings.TrimRight(p[:len(p)-3], " \t")
	n := len(p)
	for n > 0 && isLetter(p[n-1]) {
		n--
	}
	return strings.ToLower(p[n:])
}

// dateCueBefore reports whether the ordinal at text[start:] follows "the"
// and, before it, a word of ordinalDateCues or a colon ("on the 3rd",
// "Monday the 5th", "Date: the 3rd"). A text that does not show "the"
// there keeps the finding (true).
func dateCueBefore(text string, start int) bool {
	if !afterThe(text, start) {
		return true
	}
	p := strings.TrimRight(text[:start], " \t")
	p = strings.TrimRight(p[:len(p)-3], " \t")
	if strings.HasSuffix(p, ":") {
		return true
	}
	return ordinalDateCues[wordBeforeThe(text, start)]
}

// countsNoun reports whether the word after one space or a hyphen at
// text[end:] is one of ordinalNouns.
func countsNoun(text string, end int) bool {
	if end >= len(text) || text[end] != ' ' && text[end] != '-' {
		return false
	}
	rest := text[end+1:]
	n := 0
	for n < len(rest) {
		r, size := utf8.DecodeRuneInString(rest[n:])
		if !unicode.IsLetter(r) {
			break
		}
		n += size
	}
	if n == 0 {
		return false
	}
	return ordinalNouns[strings.ToLower(rest[:n])]
}
