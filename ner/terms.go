package ner

import (
	"context"
	"strings"
)

// TermScore is the score of a deny-list match: the user said so.
const TermScore = 1.0

// DenyListRule is the rule id of the findings of NewTerms.
const DenyListRule = "deny-list"

// Terms detects listed terms (a deny list, a list of minors) as whole
// words, case- and accent-insensitively, across line breaks, typographic
// apostrophes and ligatures (PhraseMatcher), each match as one entity under
// one rule id with score TermScore.
type Terms struct {
	m      *PhraseMatcher
	entity Entity
	rule   string
}

var _ Detector = (*Terms)(nil)

// NewTerms returns a detector for a deny list: entity CUSTOM_TERM, rule
// DenyListRule. Terms are read by CleanTerms (blank and "#" lines
// ignored).
func NewTerms(terms []string) *Terms { return NewTermsAs(terms, Custom, DenyListRule) }

// NewTermsAs returns a detector that reports terms as entity e under rule
// id rule. Terms are read by CleanTerms (blank and "#" lines ignored).
func NewTermsAs(terms []string, e Entity, rule string) *Terms {
	return &Terms{m: NewPhraseMatcher(TermPhrases(terms)), entity: e, rule: rule}
}

// TermPhrases returns the phrases of terms (read by CleanTerms), for a
// search of text that is not detection (verification of outputs). A term
// that is a number, digits alone or in groups ("6175550143", "(617)
// 555-0143", "4821 3907"), is also a Digits phrase of its digits: it
// matches the number however a text groups or glues it ("617-5550143",
// "(617) 555-0143" for the term 6175550143, the number 6175550143 of a
// spreadsheet cell for the term "(617) 555-0143").
func TermPhrases(terms []string) []Phrase {
	var ps []Phrase
	for _, t := range CleanTerms(terms) {
		if keys := Fold(t); len(keys) > 0 {
			ps = append(ps, Phrase{Keys: keys})
			if d := termDigits(keys); d != "" {
				ps = append(ps, Phrase{Keys: []string{d}, Digits: true})
			}
		}
	}
	return ps
}

// termDigits is the digits of a term whose words are all digits, written
// together; "" for a term with a word that is not digits.
func termDigits(keys []string) string {
	for _, k := range keys {
		if !allDigits(k) {
			return ""
		}
	}
	return strings.Join(keys, "")
}

// Len returns the number of distinct terms.
func (t *Terms) Len() int { return t.m.Len() }

// Name implements Detector: the rule id.
func (t *Terms) Name() string { return t.rule }

// Detect implements Detector.
func (t *Terms) Detect(ctx context.Context, text string) ([]Finding, error) {
	var out []Finding
	for _, m := range t.m.FindAll(text) {
		out = append(out, Finding{Start: m.Start, End: m.End, Entity: t.entity, Score: TermScore, Rule: t.rule})
	}
	return out, ctx.Err()
}
