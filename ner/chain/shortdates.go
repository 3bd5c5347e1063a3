package chain

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/litfilter"
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// ShortDates finds the dates of clinical notes written as month and day
// with a hyphen ("cultures from 4-7 grew strep", "on 11-2 started
// heparin"), which the date rules leave alone because "3-5" is as often a
// range. Only where a word that dates follow stands just before it ("on",
// "from", "since", "until", "till", "thru", "through", "dated",
// "starting"), the month is 1 to 12 and the day 1 to 31, and nothing
// after it makes it a range or a reading: no unit, duration or count
// ("from 3-5 L", "since 2-3 days", "on 1-2 units"), no further number,
// hyphen, slash, per cent sign or decimal point, no "to" or "x", and no
// vital sign or ventilator setting within three words before it on its
// line ("PEEP from 8-10"). A culture word before it is no reading cue
// here: "cultures from 3-5" dates the cultures.
type ShortDates struct{}

var _ ner.Refiner = ShortDates{}

// Name implements ner.Refiner.
func (ShortDates) Name() string { return "short-dates" }

// ShortDateRule is the rule id of the dates ShortDates adds.
const ShortDateRule = "chain/short-date"

var (
	// shortDateRe: a cue, then month (group 1) and day (group 2).
	shortDateRe   = regexp.MustCompile(`(?i)\b(?:on|from|since|until|till|thru|through|dated|starting)[ \t]+([0-9]{1,2})-([0-9]{1,2})\b`)
	durationUnits = lexicon.MustSet("duration-units")
	numberUnits   = lexicon.MustSet("number-units")
	vitals        = lexicon.MustSet("vital-words")
)

// shortDateWindows returns the parts of text where a match of
// shortDateRe can be, for litfilter.FindAllIn: every match holds a hyphen
// with a digit after it and one or two digits, spaces or tabs and the cue
// (letters) before it; a window runs from the run of letters before the
// spaces to the second digit after the hyphen. Running the expression
// only there instead of over the whole text gives the same matches
// (TestWindowedRandom, FuzzWindowed).
func shortDateWindows(text string) []litfilter.Span {
	var wins []litfilter.Span
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '-')
		if j < 0 {
			break
		}
		h := i + j
		i = h + 1
		if h+1 == len(text) || !digit(text[h+1]) || h == 0 || !digit(text[h-1]) {
			continue
		}
		p := h - 1
		if p > 0 && digit(text[p-1]) {
			p--
		}
		sp := p
		for p > 0 && (text[p-1] == ' ' || text[p-1] == '\t') {
			p--
		}
		if p == sp {
			continue
		}
		for p > 0 {
			r, w := utf8.DecodeLastRuneInString(text[:p])
			if !unicode.IsLetter(r) {
				break
			}
			p -= w
		}
		wins = append(wins, litfilter.Span{Start: p, End: min(len(text), h+3)})
	}
	return wins
}

// Refine implements ner.Refiner.
func (ShortDates) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	for _, m := range litfilter.FindAllIn(shortDateRe, text, shortDateWindows(text)) {
		s, e := m[2], m[5]
		mo, _ := strconv.Atoi(text[m[2]:m[3]])
		d, _ := strconv.Atoi(text[m[4]:m[5]])
		if mo < 1 || mo > 12 || d < 1 || d > 31 || overlaps(found, s, e) || !dateAfter(text, e) || readingBefore(text, m[0]) {
			continue
		}
		out = append(out, ner.Finding{Start: s, End: e, Entity: ner.Date, Score: 0.6, Rule: ShortDateRule})
	}
	return out, nil
}

// dateAfter reports whether what follows byte e leaves "M-D" a date:
// nothing that continues a number, and no unit or range word next.
func dateAfter(text string, e int) bool {
	if e < len(text) && strings.ContainsRune("-/%.0123456789", rune(text[e])) && !(text[e] == '.' && (e+1 == len(text) || !digit(text[e+1]))) {
		return false
	}
	w, _, _ := nextOnLine(text, e)
	k := strings.ToLower(w)
	return k != "to" && k != "x" && !doseUnits.Has(k) && !measureUnits.Has(k) && !durationUnits.Has(k) && !numberUnits.Has(k)
}

// readingBefore reports whether one of the three words before byte i on
// its line is a vital sign or a ventilator setting.
func readingBefore(text string, i int) bool {
	b := strings.LastIndexByte(text[:i], '\n') + 1
	ws := ner.Words(text[b:i])
	for k := len(ws) - 1; k >= 0 && k >= len(ws)-3; k-- {
		if vitals.Has(ws[k].Key) {
			return true
		}
	}
	return false
}
