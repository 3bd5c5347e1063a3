package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented sign-off lines: the writer's names SignOffs finds, and the
// lines it leaves.
func TestSignOffs(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // the person findings after the pass
	}{
		{"Plan: wean.\nQuillanby, Orsolya RN\n", []string{"Quillanby, Orsolya"}},
		{"QUILLANBY, ORSOLYA RN", []string{"QUILLANBY, ORSOLYA"}},
		{"Quillanby R.N.", []string{"Quillanby"}},
		{"orsolya quillanby rn", []string{"orsolya quillanby"}},
		{"o. quillanby rn/bsn", []string{"o. quillanby"}},
		{"-T. Everard, M.D.", []string{"T. Everard"}},
		{"T.Everard,RN", []string{"T.Everard"}},
		{"Everard, R.R.T.", []string{"Everard"}},
		{"Neuro RN", nil},
		{"CCU RN aware", nil},
		{"Family RN", nil},
		{"Lasix MD", nil},
		{"T.Q. RN", nil}, // initials only
		{"Plan per Quillanby RN", nil},
		{"Pain 4/10 RN", nil},
	} {
		got, err := SignOffs{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range got {
			if f.Entity != ner.Person || f.Rule != SignOffRule {
				t.Errorf("%q: %v", c.text, f)
			}
			names = append(names, c.text[f.Start:f.End])
		}
		if strings.Join(names, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: got %q, want %q", c.text, names, c.want)
		}
	}
	// a person's finding that runs into the credentials ends at the name,
	// and a name found already is not found twice
	text := "T. Everard R.N."
	f := ner.Finding{Start: 0, End: 14, Entity: ner.Person, Score: 0.7, Rule: "names/test"}
	got, _ := SignOffs{}.Refine(context.Background(), text, []ner.Finding{f})
	if len(got) != 1 || text[got[0].Start:got[0].End] != "T. Everard" || got[0].Rule != "names/test" {
		t.Errorf("run-on finding: %v", got)
	}
}

func FuzzSignOffs(f *testing.F) {
	f.Add("Quillanby, Orsolya RN\nT. Everard R.N.", 0, 9)
	f.Add("-T.Everard,RN/BSN", 1, 14)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		var found []ner.Finding
		if 0 <= s && s < e && e <= len(text) {
			found = append(found, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: 0.9})
		}
		got, err := SignOffs{}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < len(found) {
			t.Fatalf("lost findings: %v", got)
		}
		for _, g := range got {
			if g.Start < 0 || g.End > len(text) || g.Start >= g.End {
				t.Fatalf("bad span %v in %q", g, text)
			}
		}
		if len(found) == 1 && (got[0].Start != s || got[0].End > e) {
			t.Fatalf("finding moved or grew: %v -> %v", found[0], got[0])
		}
	})
}
