package pipeline

import (
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
)

// findingFilter decides which findings the profile acts on: those scoring
// at least its threshold, of an entity it redacts, whose text is not on
// the allow list. Analysis, file names and verification filter alike. It
// is immutable and safe for concurrent use.
type findingFilter struct {
	profile *profiles.Profile
	allow   map[string]bool // folded words of each allowed term, joined by spaces
}

func newFindingFilter(p *profiles.Profile, allowList []string) *findingFilter {
	ff := &findingFilter{profile: p, allow: map[string]bool{}}
	for _, t := range ner.CleanTerms(allowList) {
		if k := strings.Join(ner.Fold(t), " "); k != "" {
			ff.allow[k] = true
		}
	}
	return ff
}

// keep reports whether a finding in text survives the threshold, the
// profile and the allow list.
func (ff *findingFilter) keep(f ner.Finding, text string) bool {
	if f.Score < ff.profile.Threshold || !ff.profile.Redacts(f.Entity) {
		return false
	}
	if len(ff.allow) > 0 && ff.allow[strings.Join(ner.Fold(text[f.Start:f.End]), " ")] {
		return false
	}
	return true
}

// filter returns the findings in text that keep keeps, in order.
func (ff *findingFilter) filter(fs []ner.Finding, text string) []ner.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if ff.keep(f, text) {
			out = append(out, f)
		}
	}
	return out
}
