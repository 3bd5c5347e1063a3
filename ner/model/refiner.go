package model

import (
	"context"
	"fmt"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/names"
)

// RulePrefix starts the rule ids of the model's findings ("model/person").
const RulePrefix = "model"

// MinScore is the lowest probability of a finding the model reports: below
// it a profile's threshold could not mean anything anyway.
const MinScore = 0.1

// Detector is the shipped model as a ner.Detector: its entities (PERSON,
// LOCATION, ORGANIZATION), each scored with the calibrated probability of
// its words, over all of the text (no window, no gating). Dates are left
// to the rules.
type Detector struct{}

var _ ner.Detector = Detector{}

// Name implements ner.Detector.
func (Detector) Name() string { return "model" }

// Detect implements ner.Detector.
func (Detector) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	m, err := Shipped()
	if err != nil {
		return nil, fmt.Errorf("model: load: %w", err)
	}
	tagged, err := m.Tag(ctx, text)
	if err != nil {
		return nil, err
	}
	return findings(text, tagged), nil
}

// findings are the model's entities of at least MinScore, without dates and
// without spans made only of digits.
func findings(text string, tagged []Tagged) []ner.Finding {
	var out []ner.Finding
	for _, f := range Spans(tagged, RulePrefix) {
		if f.Entity == ner.Date || f.Score < MinScore || !hasLetter(text[f.Start:f.End]) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if r > '9' {
			return true
		}
	}
	return false
}

// Refiner adds the model's names of people to the findings of the passes
// before it: PERSON findings of at least NameScore whose words are not all
// ordinary vocabulary. Places and organisations the model finds are
// reported only in maximum-recall mode (MaxRecall): on clinical notes,
// where the weights saw no real text, they cost more precision than they
// add recall (docs/QUALITY.md).
type Refiner struct{}

// NameScore is the lowest probability of a name Refiner reports.
const NameScore = 0.9

var _ ner.Refiner = Refiner{}

// Name implements ner.Refiner.
func (Refiner) Name() string { return "model" }

// Refine implements ner.Refiner: found plus the model's findings.
func (Refiner) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	fs, err := Detector{}.Detect(ctx, text)
	if err != nil {
		return nil, err
	}
	out := found[:len(found):len(found)]
	for _, f := range fs {
		if f.Entity == ner.Person && f.Score >= NameScore && !ordinary(text[f.Start:f.End]) {
			out = append(out, f)
		}
	}
	return out, nil
}

// ordinary reports whether every word of s is ordinary vocabulary and in
// no list of names.
func ordinary(s string) bool {
	for _, w := range ner.Words(s) {
		if f := gazetteer.Lookup(w.Key); !f.Common() || f&(gazetteer.First|gazetteer.Last) != 0 {
			return false
		}
	}
	return true
}

// MaxRecall is maximum-recall mode led by the model: the model's
// findings, then every word the model gives a probability of at least
// Uncertain of being part of a name (even where another tag won) is
// masked too, and names.MaxRecallJudged's fallback for words no rule
// explains flags only such words. Capitalisation alone no longer decides:
// drug names, misspellings and shorthand of clinical notes stay readable,
// while a lower-case name in context is still caught.
type MaxRecall struct {
	// Uncertain is the probability from which a word is masked in this
	// mode; 0 means DefaultUncertain.
	Uncertain float64
}

// DefaultUncertain is MaxRecall's default: tuned on the tune part of the
// development sets (docs/QUALITY.md).
const DefaultUncertain = 0.5

var _ ner.Refiner = MaxRecall{}

// Name implements ner.Refiner.
func (MaxRecall) Name() string { return "model-max-recall" }

// Refine implements ner.Refiner.
func (r MaxRecall) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	m, err := Shipped()
	if err != nil {
		return nil, fmt.Errorf("model: load: %w", err)
	}
	tagged, err := m.Tag(ctx, text)
	if err != nil {
		return nil, err
	}
	u := r.Uncertain
	if u == 0 {
		u = DefaultUncertain
	}
	out := append(found[:len(found):len(found)], findings(text, tagged)...)
	// uncertain words: masked at the maximum-recall score
	for _, t := range tagged {
		if t.P >= u && (t.Tag == O || t.P < names.MaxRecallScore) && TagEntity[t.Best] != ner.Date && hasLetter(text[t.Start:t.End]) {
			out = append(out, ner.Finding{Start: t.Start, End: t.End, Entity: TagEntity[t.Best],
				Score: names.MaxRecallScore, Rule: RulePrefix + "-max-recall/" + ruleName[TagEntity[t.Best]]})
		}
	}
	likely := func(start, end int) bool {
		// tagged is sorted by Start
		lo, hi := 0, len(tagged)
		for lo < hi {
			mid := (lo + hi) / 2
			if tagged[mid].End <= start {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		for i := lo; i < len(tagged) && tagged[i].Start < end; i++ {
			if tagged[i].P >= u {
				return true
			}
		}
		return false
	}
	return append(out, names.MaxRecallJudged(text, out, likely)...), nil
}
