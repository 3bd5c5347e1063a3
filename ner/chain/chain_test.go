package chain

import (
	"context"
	"slices"
	"testing"

	"github.com/veilhq/veil/ner"
)

func namesOf[T interface{ Name() string }](xs []T) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Name())
	}
	return out
}

func TestBuild(t *testing.T) {
	for _, c := range []struct {
		name      string
		cfg       Config
		detectors []string
		refiners  []string
	}{
		{"rules only", Config{}, []string{"pattern", "contact", "names"}, nil},
		{"model", Config{Model: true, Threshold: 0.5}, []string{"pattern", "contact", "names"}, []string{"prose-vote"}},
		{"max recall", Config{MaxRecall: true}, []string{"pattern", "contact", "names"}, []string{"max-recall"}},
		{"both, in order", Config{Model: true, MaxRecall: true}, []string{"pattern", "contact", "names"}, []string{"prose-vote", "max-recall"}},
		{"lists", Config{DenyList: []string{"Falcon"}, Lists: []List{{[]string{"Harbour Lane"}, ner.Custom, "deny-list/1"}, {[]string{"Jamie Doe"}, ner.Person, "minors-list"}}},
			[]string{"pattern", "contact", "names", "deny-list", "deny-list/1", "minors-list"}, nil},
	} {
		s := Build(c.cfg)
		if got := namesOf(s.Text.Detectors()); !slices.Equal(got, c.detectors) {
			t.Errorf("%s: text detectors %q, want %q", c.name, got, c.detectors)
		}
		if got := namesOf(s.Text.Refiners()); !slices.Equal(got, c.refiners) {
			t.Errorf("%s: text refiners %q, want %q", c.name, got, c.refiners)
		}
		// Verification re-runs the same detectors, without refiners.
		if got := namesOf(s.Verify.Detectors()); !slices.Equal(got, c.detectors) || len(s.Verify.Refiners()) != 0 {
			t.Errorf("%s: verify chain %q + %d refiners", c.name, got, len(s.Verify.Refiners()))
		}
		if got := namesOf(s.VerifyModel.Detectors()); !slices.Equal(got, []string{"verify", "prose"}) {
			t.Errorf("%s: verify-model chain %q", c.name, got)
		}
	}
}

// The file-name chain sees the lists too: a deny-listed term in a file
// name is found there as in the text.
func TestBuildFileName(t *testing.T) {
	s := Build(Config{DenyList: []string{"Falcon"}, Lists: []List{{[]string{"Jamie Doe"}, ner.Person, "minors-list"}}})
	name := "falcon_notes_jamie_doe.txt"
	fs, err := s.FileName.Detect(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range ner.Resolve(fs) {
		got = append(got, name[f.Start:f.End]+" "+f.Rule)
	}
	if want := []string{"falcon deny-list", "jamie_doe minors-list"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestFieldReachesDetectors checks that the text chain reads a part as the
// value of its field: nine digits are no SSN alone, and are one under a
// column headed "SSN".
func TestFieldReachesDetectors(t *testing.T) {
	s := Build(Config{})
	has := func(fs []ner.Finding, e ner.Entity) bool {
		for _, f := range fs {
			if f.Entity == e && f.Score >= 0.5 {
				return true
			}
		}
		return false
	}
	for _, c := range []ner.Detector{s.Text, s.Verify} {
		plain, err := c.Detect(context.Background(), "456789012")
		if err != nil {
			t.Fatal(err)
		}
		labelled, err := ner.DetectField(context.Background(), c, "SSN", "456789012")
		if err != nil {
			t.Fatal(err)
		}
		if has(plain, ner.SSN) || !has(labelled, ner.SSN) {
			t.Errorf("%s: SSN without field %v, with field %v; want false, true", c.Name(), has(plain, ner.SSN), has(labelled, ner.SSN))
		}
	}
}
