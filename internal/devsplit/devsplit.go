// Package devsplit splits the annotated development sets (shared/eval/data)
// into a part the project may tune and train on and a part it only
// measures, by document: nursing notes by patient (every note of a patient
// falls in the same part), judgments and news articles by document.
//
// The rule is a hash of the group id, so it needs no list of ids, never
// changes with the data's order and is the same for every tool (scripts/eval,
// scripts/train). Nothing of the data is stored here.
package devsplit

import (
	"hash/fnv"
	"strings"
)

// The parts of a development set.
const (
	// Measured documents are only measured: no rule, list, weight or
	// threshold is fitted to them.
	Measured = "measured"
	// Tune documents may be trained and tuned on.
	Tune = "tune"
	// All is every document (the whole development set).
	All = "all"
)

// MeasuredPercent is the share of groups in the measured part.
const MeasuredPercent = 40

// salt names the version of the rule: changing it reshuffles every set.
const salt = "veil-devsplit-v1\x00"

// Group returns the unit a document is split by: the patient of a nursing
// note ("deid:12-3" is note 3 of patient 12, so "deid:12"), else the
// document id itself.
func Group(id string) string {
	if rest, ok := strings.CutPrefix(id, "deid:"); ok {
		if p, _, ok := strings.Cut(rest, "-"); ok {
			return "deid:" + p
		}
	}
	return id
}

// Part returns Measured or Tune for a document id. Training sets
// (conll_train) are not split: their ids are all Tune by the caller's
// choice, not by this rule.
func Part(id string) string {
	h := fnv.New64a()
	h.Write([]byte(salt))
	h.Write([]byte(Group(id)))
	if h.Sum64()%100 < MeasuredPercent {
		return Measured
	}
	return Tune
}

// In reports whether the document id belongs to part (Measured, Tune or
// All).
func In(id, part string) bool { return part == All || Part(id) == part }

// Valid reports whether part names a part.
func Valid(part string) bool { return part == Measured || part == Tune || part == All }
