package chain

import (
	"context"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented sentences: a place after a cue of residence or practice is
// found; months, found words and lower-case words are not.
func TestWhereabouts(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"represented by Ms T. Everard, a lawyer practising in Wexmoorshire. The", "Wexmoorshire"},
		{"Born in 1974, he now lives in De Haan.", "De Haan"},
		{"a solicitor based in Kingston-Upon-Quill since 2001", "Kingston-Upon-Quill"},
		{"She lived in May and June with her aunt.", ""},
		{"He lives in the United Kingdom.", ""},
		{"she lives in a flat", ""},
		{"lives in\nNorthwood", ""},
	} {
		out, err := Whereabouts{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, f := range out {
			if f.Entity != ner.Location || f.Rule != WhereaboutsRule {
				t.Errorf("%q: finding %v", c.text, f)
			}
			got = c.text[f.Start:f.End]
		}
		if len(out) > 1 || got != c.want {
			t.Errorf("%q: found %q (%d), want %q", c.text, got, len(out), c.want)
		}
	}
	// where the rules found something, they decided
	text := "a lawyer practising in Wexmoorshire"
	f := ner.Finding{Start: 23, End: len(text), Entity: ner.Organization, Score: 0.9, Rule: "names/org"}
	if out, _ := (Whereabouts{}).Refine(context.Background(), text, []ner.Finding{f}); len(out) != 1 {
		t.Errorf("found again: %v", out)
	}
}
