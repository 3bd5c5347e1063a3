package chain

import (
	"context"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented sentences: parties are found, roles in a contract are not.
func TestParties(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Ms Everard, a member of the Agrarian Party, spoke.", "Agrarian Party"},
		{"He was accused of supporting the Northmoor Libertarian Party in 1991.", "Northmoor Libertarian Party"},
		{"the People's Unity Party (PUP) was dissolved", "People's Unity Party"},
		{"The Social Democratic Party of Quillanby", "Social Democratic Party"},
		{"Notice was given to the Third Party.", ""},
		{"each High Contracting Party shall secure", ""},
		{"a birthday party for the green team", ""},
		{"The Party met.", ""},
	} {
		out, err := Parties{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, f := range out {
			if f.Entity != ner.Organization || f.Rule != PartyRule {
				t.Errorf("%q: finding %v", c.text, f)
			}
			got = c.text[f.Start:f.End]
		}
		if len(out) > 1 || got != c.want {
			t.Errorf("%q: found %q (%d), want %q", c.text, got, len(out), c.want)
		}
	}
	// found whole already: not found again
	text := "the Agrarian Party"
	f := ner.Finding{Start: 4, End: len(text), Entity: ner.Organization, Score: 0.9, Rule: "names/org"}
	if out, _ := (Parties{}).Refine(context.Background(), text, []ner.Finding{f}); len(out) != 1 {
		t.Errorf("found again: %v", out)
	}
}
