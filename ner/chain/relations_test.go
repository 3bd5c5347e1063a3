package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented notes: the names Relations finds before a tie in parentheses,
// and the words it leaves.
func TestRelations(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"TAMSIN (WIFE) CALLED FOR UPDATE.", []string{"TAMSIN"}},
		{"spoke to declan (son) re: plan", []string{"declan"}},
		{"Quillanby (HO) aware of K.", []string{"Quillanby"}},
		{"HCP is Rowena Pennock (pt's niece/HCP).", []string{"Rowena Pennock"}},
		{"Rose (sister) at bedside", []string{"Rose"}},
		{"called back (NP) with recs", nil},
		{"family meeting (wife, son) at 3", nil},
		{"team (MD) aware", nil},
		{"lasix (per MD) given", nil},
		{"Quillanby (cards) aware", nil}, // a service, not a tie
		{"meds given (see MAR)", nil},
		{"Tamsin\n(wife) called", nil},
	} {
		got, err := Relations{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range got {
			if f.Entity != ner.Person || f.Rule != RelationRule {
				t.Errorf("%q: %v", c.text, f)
			}
			names = append(names, c.text[f.Start:f.End])
		}
		if strings.Join(names, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: got %q, want %q", c.text, names, c.want)
		}
	}
}

func FuzzRelations(f *testing.F) {
	f.Add("TAMSIN (WIFE) CALLED", 0, 6)
	f.Add("x (pt's niece/HCP)", 0, 1)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		var found []ner.Finding
		if 0 <= s && s < e && e <= len(text) {
			found = append(found, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: 0.9})
		}
		got, err := Relations{}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < len(found) || len(found) == 1 && got[0] != found[0] {
			t.Fatalf("findings changed: %v", got)
		}
		for _, g := range got[len(found):] {
			if g.Start < 0 || g.End > len(text) || g.Start >= g.End || overlaps(found, g.Start, g.End) {
				t.Fatalf("bad span %v in %q", g, text)
			}
		}
	})
}
