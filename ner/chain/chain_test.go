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
		{"rules only", Config{}, []string{"pattern", "contact", "names"}, []string{"eponyms", "law-dates", "ordinal-nouns", "readings", "measures", "short-dates", "initials", "shorthand", "contacts", "homes", "coordination", "care-units", "sign-offs", "relations", "facilities", "label-names", "continuations"}},
		{"model", Config{Model: true, Threshold: 0.5}, []string{"pattern", "contact", "names"}, []string{"prose-vote", "eponyms", "law-dates", "ordinal-nouns", "readings", "measures", "short-dates", "initials", "shorthand", "contacts", "homes", "coordination", "care-units", "sign-offs", "relations", "facilities", "label-names", "continuations"}},
		{"max recall", Config{MaxRecall: true}, []string{"pattern", "contact", "names"}, []string{"max-recall", "eponyms", "law-dates", "ordinal-nouns", "readings", "measures", "short-dates", "initials", "shorthand", "contacts", "homes", "coordination", "care-units", "sign-offs", "relations", "facilities", "parties", "citations", "whereabouts", "label-names", "continuations"}},
		{"both, in order", Config{Model: true, MaxRecall: true}, []string{"pattern", "contact", "names"}, []string{"prose-vote", "max-recall", "eponyms", "law-dates", "ordinal-nouns", "readings", "measures", "short-dates", "initials", "shorthand", "contacts", "homes", "coordination", "care-units", "sign-offs", "relations", "facilities", "parties", "citations", "whereabouts", "label-names", "continuations"}},
		{"lists", Config{DenyList: []string{"Falcon"}, Lists: []List{{[]string{"Harbour Lane"}, ner.Custom, "deny-list/1"}, {[]string{"Jamie Doe"}, ner.Person, "minors-list"}}},
			[]string{"pattern", "contact", "names", "deny-list", "deny-list/1", "minors-list"}, []string{"eponyms", "law-dates", "ordinal-nouns", "readings", "measures", "short-dates", "initials", "shorthand", "contacts", "homes", "coordination", "care-units", "sign-offs", "relations", "facilities", "label-names", "continuations"}},
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

// Every chain sees through the forms a text can hide a name or a listed
// term in (ner/textform), and its findings cover the whole hidden form.
func TestBuildSeesThroughTextForms(t *testing.T) {
	s := Build(Config{DenyList: []string{"Harbour Lane Project"}})
	for _, c := range []struct{ text, want string }{
		{"Client Odalys Brennick called on Monday.", "Odalys Brennick"},
		{"Client Odalys Bren\u00adnick called on Monday.", "Odalys Bren\u00adnick"},
		{"Client Odalys Bren-\nnick called on Monday.", "Odalys Bren-\nnick"},
		{"Client Odalys Bren-\r\n    nick called on Monday.", "Odalys Bren-\r\n    nick"},
		{"Client \u041edalys Brenn\u0456ck called on Monday.", "\u041edalys Brenn\u0456ck"},
		{"Client Oda\u200blys Bren\u200dnick called on Monday.", "Oda\u200blys Bren\u200dnick"},
		{"Client O D A L Y S   B R E N N I C K called on Monday.", "O D A L Y S   B R E N N I C K"},
		{"Notes on the Harbour La-\nne Project.", "Harbour La-\nne Project"},
		{"Notes on the H\u0430rbour Lane Pro\u00adject.", "H\u0430rbour Lane Pro\u00adject"},
	} {
		for _, d := range []ner.Detector{s.Text, s.Verify} {
			fs, err := d.Detect(context.Background(), c.text)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range ner.Resolve(fs) {
				got = append(got, c.text[f.Start:f.End])
			}
			if !slices.Contains(got, c.want) {
				t.Errorf("%s: %q: found %q, want %q", d.Name(), c.text, got, c.want)
			}
		}
	}
}
