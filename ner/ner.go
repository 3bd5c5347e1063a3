// Package ner finds identifying information in text.
//
// A Detector returns Findings: byte spans of a text, each with an Entity type,
// a score in [0,1] and the id of the rule that produced it. A Refiner is a
// pass that reads the findings before it (a model's vote, maximum recall). A
// Chain runs detectors, then refiners, and is itself a Detector; ner/chain
// builds Veil's chains in one place. Detectors never see file formats; the
// pipeline hands them the text parts of a document. Resolve
// turns the overlapping findings of several detectors into one deterministic,
// non-overlapping list, and Propagate extends it to every other occurrence of a
// detected value.
//
// Findings carry offsets, never copies of the text: code that logs or reports a
// Finding cannot leak the value it points at.
package ner

import (
	"context"
	"fmt"
	"slices"
)

// Finding is one span of text that a detector considers identifying.
type Finding struct {
	// Start and End are byte offsets into the text the detector was given,
	// 0 <= Start < End <= len(text), both on UTF-8 rune boundaries.
	Start, End int
	// Entity is the kind of identifier.
	Entity Entity
	// Score is the detector's confidence in [0,1].
	Score float64
	// Rule is a stable identifier of the rule or model that produced the
	// finding, e.g. "pattern/us-ssn", "prose/person", "names/title".
	Rule string
}

// Len returns the length of the span in bytes.
func (f Finding) Len() int { return f.End - f.Start }

// String describes the finding without its text.
func (f Finding) String() string {
	return fmt.Sprintf("%d:%d %s %.2f %s", f.Start, f.End, f.Entity, f.Score, f.Rule)
}

// Detector finds identifying spans in text.
type Detector interface {
	// Name is a short stable identifier of the detector ("pattern", "prose").
	Name() string
	// Detect returns the findings in text in any order; they may overlap.
	// text is valid UTF-8 (the pipeline rejects anything else before
	// detection).
	// Offsets satisfy the contract of Finding. Detect is safe for concurrent
	// use by multiple goroutines, does not retain text, and returns a non-nil
	// error only when ctx is done. It must not panic on any input.
	Detect(ctx context.Context, text string) ([]Finding, error)
}

// Multi runs several detectors over the same text and concatenates their
// findings (unresolved). It is itself a Detector.
type Multi []Detector

var _ Detector = Multi(nil)

// Name implements Detector.
func (m Multi) Name() string { return "multi" }

// Detect implements Detector.
func (m Multi) Detect(ctx context.Context, text string) ([]Finding, error) {
	var all []Finding
	for _, d := range m {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fs, err := d.Detect(ctx, text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name(), err)
		}
		all = append(all, fs...)
	}
	return all, nil
}

// Sort orders findings by start, then longer first, then by entity priority,
// score and rule, so that equal inputs always give equal outputs.
//
// It is sort.SliceStable's order (the same insertion sort and merges,
// which ask only whether one finding comes before another) without its
// reflection: slices.SortStableFunc with compareFindings.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, compareFindings)
}

// compareFindings is a three-way comparison built on less: -1 when a
// comes before b, 1 when b comes before a, else 0 (equal keys, or a NaN
// score that makes neither come first). The stable sort reads only its
// sign against 0, so the order is the one less alone gives.
func compareFindings(a, b Finding) int {
	switch {
	case less(a, b):
		return -1
	case less(b, a):
		return 1
	}
	return 0
}

func less(a, b Finding) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.End != b.End {
		return a.End > b.End
	}
	if pa, pb := a.Entity.Priority(), b.Entity.Priority(); pa != pb {
		return pa > pb
	}
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.Entity != b.Entity {
		return a.Entity < b.Entity
	}
	return a.Rule < b.Rule
}

// better reports whether a should win over b when their spans overlap:
// higher score, then the more specific entity, then the longer span, then the
// rule id, so that the choice never depends on input order.
func better(a, b Finding) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if pa, pb := a.Entity.Priority(), b.Entity.Priority(); pa != pb {
		return pa > pb
	}
	if a.Len() != b.Len() {
		return a.Len() > b.Len()
	}
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.Entity != b.Entity {
		return a.Entity < b.Entity
	}
	return a.Rule < b.Rule
}

// Resolve returns non-overlapping findings sorted by Start. Findings whose
// spans overlap form a cluster; the cluster becomes one finding carrying the
// entity, score and rule of its best member and the union of all member spans,
// so that no character any detector flagged is left out. The result depends
// only on the set of findings, not on their order. fs is not modified.
func Resolve(fs []Finding) []Finding {
	if len(fs) == 0 {
		return nil
	}
	sorted := append([]Finding(nil), fs...)
	Sort(sorted)
	out := make([]Finding, 0, len(sorted))
	cur := sorted[0]
	best := sorted[0]
	for _, f := range sorted[1:] {
		if f.Start < cur.End { // overlaps the cluster
			if f.End > cur.End {
				cur.End = f.End
			}
			if better(f, best) {
				best = f
			}
			continue
		}
		out = append(out, merge(cur, best))
		cur, best = f, f
	}
	return append(out, merge(cur, best))
}

func merge(span, best Finding) Finding {
	best.Start, best.End = span.Start, span.End
	return best
}

// Drop returns fs without the findings drop reports; fs itself is not
// changed, and is returned as it is when nothing is dropped (no copy).
func Drop(fs []Finding, drop func(Finding) bool) []Finding {
	var out []Finding
	for k, f := range fs {
		if drop(f) {
			if out == nil {
				out = append(make([]Finding, 0, len(fs)), fs[:k]...)
			}
			continue
		}
		if out != nil {
			out = append(out, f)
		}
	}
	if out == nil {
		return fs
	}
	return out
}

// Filter returns the findings whose score is at least min.
func Filter(fs []Finding, min float64) []Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Score >= min {
			out = append(out, f)
		}
	}
	return out
}
