package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/chain"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// testAnalyzer is the analyzer of profile name with the rule chain (no
// model) and an allow list.
func testAnalyzer(t *testing.T, name string, allow ...string) *analyzer {
	t.Helper()
	p, err := profiles.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	s := chain.Build(chainConfig(Options{Profile: p, NoNER: true}))
	return newAnalyzer(DefaultFormats(), s.Text, s.FileName, newFindingFilter(p, allow), nil, 0)
}

// spans describes findings as "text ENTITY rule".
func spans(text string, fs []ner.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s", text[f.Start:f.End], f.Entity, f.Rule))
	}
	return out
}

// TestAnalyze: the analyzer detects in every part and in the source key,
// keeps what the profile redacts, resolves overlaps, and finds a detected
// value again wherever else the document holds it.
func TestAnalyze(t *testing.T) {
	a := testAnalyzer(t, "supervision", "Harbour Clinic")
	text := "Odile Brannigan (SSN 123-45-6789) was seen at Harbour Clinic.\nLater that week Brannigan phoned 555-201-7788.\n"
	d := a.analyze(context.Background(), "intake_Odile_Brannigan.txt", []byte(text))
	if d.Failed() != nil {
		t.Fatal(d.Failed())
	}
	if len(d.parts) != 1 || d.parts[0].Text != text {
		t.Fatalf("parts %+v", d.parts)
	}
	got := spans(text, d.found[0])
	for _, want := range []string{
		"Odile Brannigan PERSON names/first-last",
		"123-45-6789 SSN pattern/us-ssn",
		// the surname alone, found again from the full name
		"Brannigan PERSON propagated:names/first-last",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
	for _, f := range d.found[0] {
		if text[f.Start:f.End] == "Harbour Clinic" {
			t.Errorf("allow-listed term found: %v", f)
		}
		if f.Score < 0.5 {
			t.Errorf("finding under the threshold kept: %v", f)
		}
	}
	for i := 1; i < len(d.found[0]); i++ {
		if d.found[0][i].Start < d.found[0][i-1].End {
			t.Errorf("overlapping findings: %v", d.found[0])
		}
	}
	if got := spans(d.SourceKey, d.nameFs); !slices.Equal(got, []string{"Odile_Brannigan PERSON names/first-last"}) {
		t.Errorf("source key findings %q", got)
	}
}

// A file that cannot be processed carries its reason, and its name is
// still detected, so that Plan redacts it; so is the name of a rejected
// file, also when the run is stopping.
func TestAnalyzeFailures(t *testing.T) {
	a := testAnalyzer(t, "supervision")
	d := a.analyze(context.Background(), "Odile_Brannigan.xyz", []byte("x"))
	if !errors.Is(d.Failed(), redactors.ErrUnsupported) || len(d.nameFs) == 0 {
		t.Errorf("unsupported: %v, %d name findings", d.Failed(), len(d.nameFs))
	}
	d = a.analyze(context.Background(), "Odile_Brannigan.docx", []byte("not a zip"))
	if d.Failed() == nil || len(d.nameFs) == 0 {
		t.Errorf("corrupt: %v, %d name findings", d.Failed(), len(d.nameFs))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d = a.reject(ctx, "Odile_Brannigan.txt", -1, redactors.ErrTooLarge)
	if d.Size != 0 || d.Failed() != redactors.ErrTooLarge {
		t.Errorf("reject: size %d, %v", d.Size, d.Failed())
	}
	if got := spans(d.SourceKey, d.nameFs); !slices.Equal(got, []string{"Odile_Brannigan PERSON names/first-last"}) {
		t.Errorf("rejected file's name findings under a stopped run: %q", got)
	}
	// Cut short while detecting the text: the file's error, not a panic.
	d = a.analyze(ctx, "notes.txt", []byte("Odile Brannigan called."))
	if !errors.Is(d.Failed(), context.Canceled) {
		t.Errorf("cancelled analysis: %v", d.Failed())
	}
}
