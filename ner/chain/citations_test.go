package chain

import (
	"context"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented citations: reported cases are found, provisions and dates are
// not.
func TestCitations(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"as held in R v. Quillanby [1997] 2 WLR 311, the court", "[1997] 2 WLR 311"},
		{"see Everard v. Tamsin [2004] EWCA Civ 12.", "[2004] EWCA Civ 12"},
		{"in [2009] UKSC 7 the court", "[2009] UKSC 7"},
		{"the high court in the case KLR 1999 p. 412 (see below)", "KLR 1999 p. 412"},
		{"Quillanby v. State, 410 U.S. 113 (1973)", "410 U.S. 113"},
		{"cited at 123 F.3d 456, 460", "123 F.3d 456"},
		{"in 55 F. Supp. 2d 12 the court", "55 F. Supp. 2d 12"},
		{"under Article 6 § 1 of the Convention [see paragraph 12]", ""},
		{"On 3 May 2005 p. 4 of the file was read.", ""},
		{"in 2005 the court", ""},
	} {
		out, err := Citations{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, f := range out {
			if f.Entity != ner.CaseNumber || f.Rule != CitationRule {
				t.Errorf("%q: finding %v", c.text, f)
			}
			got = c.text[f.Start:f.End]
		}
		if len(out) > 1 || got != c.want {
			t.Errorf("%q: found %q (%d), want %q", c.text, got, len(out), c.want)
		}
	}
}
