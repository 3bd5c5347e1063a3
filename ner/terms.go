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
// search of text that is not detection (verification of outputs).
func TermPhrases(terms []string) []Phrase {
	var ps []Phrase
	for _, t := range CleanTerms(terms) {
		if keys := Fold(t); len(keys) > 0 {
			ps = append(ps, Phrase{Keys: keys})
			if g := gluedDigits(keys); g != "" {
				ps = append(ps, Phrase{Keys: []string{g}})
			}
		}
	}
	return ps
}

// gluedDigits is the one word a term of digit groups is when written
// without its separators ("(617) 555-0143" as the number 6175550143 of a
// spreadsheet cell, "4821 3907" as 48213907); "" for a term of one group
// or with a word that is not digits. (Its groups with other separators,
// "617.555.0143", are the same keys already.)
func gluedDigits(keys []string) string {
	if len(keys) < 2 {
		return ""
	}
	for _, k := range keys {
		for i := 0; i < len(k); i++ {
			if k[i] < '0' || k[i] > '9' {
				return ""
			}
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
