package chain

import (
	"context"
	"regexp"
	"strings"

	"github.com/veilhq/veil/internal/litfilter"
	"github.com/veilhq/veil/ner"
)

// CitationRule is the rule id of the law-report citations Citations adds.
const CitationRule = "chain/law-report"

// citationRe matches the common forms of a citation of a reported case:
//
//   - a year in brackets, an optional volume, a series and a page or
//     number: "[1997] 2 WLR 311", "[2009] UKSC 7", "[2004] EWCA Civ 12";
//   - a series in capitals, a year and a page: "KLR 1999 p. 412";
//   - a volume, a US reporter and a page: "410 U.S. 113", "123 F.3d 456",
//     "98 S. Ct. 2733", "55 F. Supp. 2d 12".
var citationRe = regexp.MustCompile(`\[(?:1[89]|20)\d\d\](?: \d{1,3})? [A-Z][A-Za-z]{1,7}(?: [A-Z][a-z]{1,4})? \d{1,5}\b` +
	`|\b[A-Z]{2,5} (?:1[89]|20)\d\d,? (?:p|s)\. ?\d{1,5}\b` +
	`|\b\d{1,4} (?:U\.S\.|S\. ?Ct\.|L\. ?Ed\.(?: ?2d)?|F\.(?: ?(?:2d|3d|4th|Supp\.(?: ?[23]d)?))?) \d{1,5}\b`)

// citationAt is citationRe anchored, for litfilter.FindAllAt: run over the
// whole text, citationRe cost 7 % of a research run's CPU over court
// judgments (its three alternatives have no literal prefix, so the
// matcher steps through every byte); tried only where citationStart
// says a citation may start, it costs in proportion to those places.
var citationAt = litfilter.Anchor(citationRe)

// citationStart returns the least offset at or after i where a match of
// citationRe may start, -1 when there is none: a necessary condition of
// each alternative's first bytes, read from p.
//
//   - "[" and a year's first two digits (18, 19, 20): the first
//     alternative, which has no \b before its "[", so the byte before p
//     does not matter (the other two cannot start at a "[", so the
//     anchored expression reads at p what the whole text's does);
//   - at a word's start (no ASCII word byte before p, as \b wants), a
//     run of 2–5 capitals followed by a space and a "1" or a "2": the
//     second alternative, whose capitals are a whole run (the next byte
//     must be the space);
//   - at a word's start, a run of 1–4 digits, a space, one of U, S, L, F
//     and a full stop: the third alternative.
func citationStart(text string, i int) int {
	for p := i; p < len(text); p++ {
		c := text[p]
		switch {
		case c == '[':
			if p+3 <= len(text) && (text[p+1] == '1' && (text[p+2] == '8' || text[p+2] == '9') || text[p+1] == '2' && text[p+2] == '0') {
				return p
			}
		case c >= 'A' && c <= 'Z':
			if p > 0 && isWordByte(text[p-1]) {
				continue
			}
			r := p + 1
			for r < len(text) && r-p <= 5 && text[r] >= 'A' && text[r] <= 'Z' {
				r++
			}
			if n := r - p; n >= 2 && n <= 5 && r+1 < len(text) && text[r] == ' ' && (text[r+1] == '1' || text[r+1] == '2') {
				return p
			}
		case c >= '0' && c <= '9':
			if p > 0 && isWordByte(text[p-1]) {
				continue
			}
			r := p + 1
			for r < len(text) && r-p <= 4 && text[r] >= '0' && text[r] <= '9' {
				r++
			}
			if n := r - p; n <= 4 && r+2 < len(text) && text[r] == ' ' && strings.IndexByte("USLF", text[r+1]) >= 0 && text[r+2] == '.' {
				return p
			}
		}
	}
	return -1
}

// Citations finds citations of reported cases in maximum-recall mode
// ("R v. Quillanby [1997] 2 WLR 311", "the case KLR 1999 p. 412"): a
// citation names a case, and through it its parties, as surely as its
// title does; the rules read its parts as a year and numbers that refer to
// a provision. Found as CASE_NUMBER. Every finding passes unchanged; a
// citation already found whole is not found again.
type Citations struct{}

var _ ner.Refiner = Citations{}

// Name implements ner.Refiner.
func (Citations) Name() string { return "citations" }

// Refine implements ner.Refiner.
func (Citations) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	if !strings.ContainsAny(text, "[.") {
		return out, nil
	}
	for _, m := range litfilter.FindAllAt(citationAt, text, citationStart) {
		if coveredWhole(found, m[0], m[1]) {
			continue
		}
		out = append(out, ner.Finding{Start: m[0], End: m[1], Entity: ner.CaseNumber, Score: 0.6, Rule: CitationRule})
	}
	return out, nil
}
