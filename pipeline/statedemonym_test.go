package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
)

// A nationality found describing a party is redacted wherever it stands,
// "the <nationality> Government" included: a State other than the
// respondent takes part in a case (intervenes, comments as a third party)
// because the applicant is its national, and no rule of wording can tell
// every such sentence from one that names the respondent State. A rule
// that left it there (session 36) leaked it in both sentences below.
func TestNationalityBeforeGovernmentRedacted(t *testing.T) {
	p, err := profiles.Parse([]byte("name: all\nthreshold: 0.4\ndetection: {max_recall: true}\ndefault: {action: label, label: \"[X]\", basis: \"test\"}\n"), "all.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const opening = "Mr Orsolya Quillanby, a Moldovan national, brought a claim against the Kingdom of Ruritania.\n\n"
	for _, tail := range []string{
		"The Moldovan Government, told of its right under Art. 36 to intervene, sent no reply.\n",
		"The Moldovan Government filed observations as a third party.\n",
	} {
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p})
		if err != nil {
			t.Fatal(err)
		}
		out, rec := e.Redact(context.Background(), "judgment.txt", []byte(opening+tail))
		if rec.Status != "redacted" {
			t.Fatalf("status %s, want redacted (%s)", rec.Status, rec.Reason)
		}
		if strings.Contains(string(out), "Moldovan") {
			t.Errorf("the applicant's nationality is left in %q", out)
		}
	}
}
