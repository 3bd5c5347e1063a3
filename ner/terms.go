package ner

import (
	"context"
	"strings"
)

// TermScore is the score of a deny-list match: the user said so.
const TermScore = 1.0

// Terms detects user-listed terms (a deny list) as whole words,
// case- and accent-insensitively, across line breaks, typographic
// apostrophes and ligatures (PhraseMatcher).
type Terms struct {
	m *PhraseMatcher
}

var _ Detector = (*Terms)(nil)

// NewTerms returns a detector for terms; blank terms and lines starting with
// '#' are ignored.
func NewTerms(terms []string) *Terms {
	var ps []Phrase
	for _, t := range terms {
		t = strings.TrimSpace(t)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if keys := Fold(t); len(keys) > 0 {
			ps = append(ps, Phrase{Keys: keys})
		}
	}
	return &Terms{m: NewPhraseMatcher(ps)}
}

// Len returns the number of distinct terms.
func (t *Terms) Len() int { return t.m.Len() }

// Name implements Detector.
func (t *Terms) Name() string { return "terms" }

// Detect implements Detector.
func (t *Terms) Detect(ctx context.Context, text string) ([]Finding, error) {
	var out []Finding
	for _, m := range t.m.FindAll(text) {
		out = append(out, Finding{Start: m.Start, End: m.End, Entity: Custom, Score: TermScore, Rule: "deny-list"})
	}
	return out, ctx.Err()
}
