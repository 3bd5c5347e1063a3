package prose

import (
	"context"
	"sort"

	"github.com/veilhq/veil/ner"
)

// Vote is the statistical model as one vote among the rules: a ner.Refiner
// that runs prose only on the sentences with a word that no finding at or
// above Threshold has decided (DetectWhere), and adds prose's findings to
// the rules'.
type Vote struct {
	// Threshold is the profile's threshold: a finding scoring at least
	// this much has decided its words, and prose does not look at them.
	Threshold float64
}

var _ ner.Refiner = Vote{}

// Name implements ner.Refiner.
func (Vote) Name() string { return "prose-vote" }

// Refine implements ner.Refiner: found plus prose's findings.
func (v Vote) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	pf, err := Detector{}.DetectWhere(ctx, text, decidedBy(found, v.Threshold))
	if err != nil {
		return nil, err
	}
	return append(found[:len(found):len(found)], pf...), nil
}

// decidedBy reports, for a span, whether a finding at or above the
// threshold overlaps it: the rules have decided that text already. The
// findings are resolved at the first question (a text with no word for
// prose to look at asks none).
func decidedBy(fs []ner.Finding, threshold float64) func(start, end int) bool {
	var iv []ner.Finding
	resolved := false
	return func(start, end int) bool {
		if !resolved {
			for _, f := range fs {
				if f.Score >= threshold {
					iv = append(iv, f)
				}
			}
			iv = ner.Resolve(iv) // sorted, non-overlapping
			resolved = true
		}
		i := sort.Search(len(iv), func(i int) bool { return iv[i].End > start })
		return i < len(iv) && iv[i].Start < end
	}
}
