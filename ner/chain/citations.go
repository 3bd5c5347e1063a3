package chain

import (
	"context"
	"regexp"
	"strings"

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
	for _, m := range citationRe.FindAllStringIndex(text, -1) {
		if coveredWhole(found, m[0], m[1]) {
			continue
		}
		out = append(out, ner.Finding{Start: m[0], End: m[1], Entity: ner.CaseNumber, Score: 0.6, Rule: CitationRule})
	}
	return out, nil
}
