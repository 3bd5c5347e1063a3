package chain

import (
	"context"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// Measures drops the numbers that maximum recall flagged in clinical notes
// although they measure something, which a research release of notes
// exists to keep:
//
//   - a number glued to a unit of dose, volume, pressure or length
//     ("2000cc", "150MG", "40cmH2O", "1.5L"): no identifier of the
//     eighteen kinds is written with a unit after it;
//   - a time of day written as four digits (HHMM, hours to 23, minutes to
//     59) that its form or its place says is a time: a leading zero
//     ("0500", never a year of a note), an "@" or "at" before it ("@
//     2130"), a date just before it ("10/17 0500"), or a shift's range of
//     two such times ("1900-0700", "0700-1900"). A year alone
//     ("CVA 2008") is left alone.
//
// Only the findings of maximum recall (names/max-recall) of entity OTHER
// or DATE are looked at; every
// rule's finding (a date, a telephone number, an identifier) passes
// unchanged, as does every other finding.
type Measures struct{}

var _ ner.Refiner = Measures{}

// Name implements ner.Refiner.
func (Measures) Name() string { return "measures" }

var (
	doseUnits    = lexicon.MustSet("dose-units")
	measureUnits = lexicon.MustSet("measure-units")
)

// Refine implements ner.Refiner.
func (Measures) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	var dateEnds map[int]bool // where a rule's date ends (clockTime)
	return without(found, func(f ner.Finding) bool {
		if (f.Entity != ner.Other && f.Entity != ner.Date) || !flagged(f.Rule) {
			return false
		}
		if dateEnds == nil {
			dateEnds = map[int]bool{}
			for _, g := range found {
				if g.Entity == ner.Date && !flagged(g.Rule) {
					dateEnds[g.End] = true
				}
			}
		}
		return unitNumber(text[f.Start:f.End]) || clockTime(text, f.Start, f.End, dateEnds)
	}), nil
}

// flagged reports whether rule is maximum recall's: a word no rule
// explains.
func flagged(rule string) bool {
	return rule == "names/max-recall"
}

// unitNumber reports whether v is a number with a unit glued to it: digits
// (a decimal point allowed), then letters, and those letters (a final
// "2o" or "20" of cmH2O allowed) in the lists of dose or measure units.
func unitNumber(v string) bool {
	i := 0
	for i < len(v) && (digit(v[i]) || v[i] == '.' && i > 0) {
		i++
	}
	if i == 0 || i == len(v) || !digit(v[i-1]) {
		return false
	}
	unit := strings.ToLower(v[i:])
	for _, c := range []byte(unit) {
		if (c < 'a' || c > 'z') && !digit(c) {
			return false
		}
	}
	if u, ok := strings.CutSuffix(unit, "h2o"); ok && u != "" {
		unit = u + "h2o"
	} else if u, ok := strings.CutSuffix(unit, "h20"); ok && u != "" {
		unit = u + "h2o" // "cmH20", a zero typed for the letter
	}
	return doseUnits.Has(unit) || measureUnits.Has(unit)
}

// clockTime reports whether text[s:e] is four digits that read as a time
// of day and are written as one (see Measures); dateEnds holds the ends
// of the dates rules found (a set, so that many times among many dates
// cost one look-up each).
func clockTime(text string, s, e int, dateEnds map[int]bool) bool {
	if !hhmm(text[s:e]) {
		return false
	}
	if text[s] == '0' {
		return true
	}
	// the range of a shift: "1900-0700", "0700-1900"
	if e+5 <= len(text) && text[e] == '-' && hhmm(text[e+1:e+5]) && (e+5 == len(text) || !digit(text[e+5])) {
		return true
	}
	if s >= 5 && text[s-1] == '-' && hhmm(text[s-5:s-1]) && (s == 5 || !digit(text[s-6])) {
		return true
	}
	b := s
	for b > 0 && (text[b-1] == ' ' || text[b-1] == '\t') {
		b--
	}
	if b > 0 && (text[b-1] == '@' || text[b-1] == '~') {
		return true
	}
	if b >= 2 && strings.EqualFold(text[b-2:b], "at") && (b == 2 || !letter(text[b-3])) && b < s {
		return true
	}
	// a date just before: "10/17 0500"
	return b < s && (dateEnds[b] || dateEnds[b-1])
}

// hhmm reports whether v is four digits that are a time of day, 0000 to
// 2359.
func hhmm(v string) bool {
	if len(v) != 4 || !digit(v[0]) || !digit(v[1]) || !digit(v[2]) || !digit(v[3]) {
		return false
	}
	h := int(v[0]-'0')*10 + int(v[1]-'0')
	m := int(v[2]-'0')*10 + int(v[3]-'0')
	return h <= 23 && m <= 59
}

func letter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
