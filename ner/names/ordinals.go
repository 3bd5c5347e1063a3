package names

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
)

// OrdinalNouns drops the dates that a bare ordinal was read as ("the
// 5th", rule pattern/date-ordinal) when a noun the ordinal counts follows
// it (the lexicon's ordinal-nouns): "the 2nd Chamber of the Court of
// Appeal", "the 19th century", "the 3rd floor", "the 4th section". There the
// ordinal is an adjective of the noun, not a day of a month, which stands
// alone ("seen on the 3rd", "due by the 21st of this month"). It drops
// them too when no word of time introduces the "the" before the ordinal
// (the lexicon's ordinal-date-cues: on, by, until, from, a weekday…) nor a
// colon: "complications with the 1st", "the 2nd then fell out" count
// things. Every other finding passes unchanged.
type OrdinalNouns struct{}

var _ ner.Refiner = OrdinalNouns{}

// Name implements ner.Refiner.
func (OrdinalNouns) Name() string { return "ordinal-nouns" }

// ordinalRule is the rule whose findings OrdinalNouns judges.
const ordinalRule = "pattern/date-ordinal"

var (
	ordinalNouns    = lex("ordinal-nouns")
	ordinalDateCues = lex("ordinal-date-cues")
)

// Refine implements ner.Refiner.
func (OrdinalNouns) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	return ner.Drop(found, func(f ner.Finding) bool {
		return f.Rule == ordinalRule && (countsNoun(text, f.End) || !dateCueBefore(text, f.Start))
	}), ctx.Err()
}

// dateCueBefore reports whether the ordinal at text[start:] follows "the"
// and, before it, a word of ordinalDateCues or a colon ("on the 3rd",
// "Monday the 5th", "Date: the 3rd"). A text that does not show "the"
// there keeps the finding (true).
func dateCueBefore(text string, start int) bool {
	p := strings.TrimRight(text[:start], " \t")
	if len(p) < 3 || !strings.EqualFold(p[len(p)-3:], "the") || len(p) > 3 && isLetter(p[len(p)-4]) {
		return true
	}
	p = strings.TrimRight(p[:len(p)-3], " \t")
	if strings.HasSuffix(p, ":") {
		return true
	}
	n := len(p)
	for n > 0 && isLetter(p[n-1]) {
		n--
	}
	return n < len(p) && ordinalDateCues[strings.ToLower(p[n:])]
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
