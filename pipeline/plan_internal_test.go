package pipeline

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
)

// planned runs the analyzer and the planner of one engine over documents
// in order and returns the text each edit writes, per document.
func planDocs(t *testing.T, e *Engine, docs map[string]string, order []string) map[string]*Doc {
	t.Helper()
	out := map[string]*Doc{}
	for _, key := range order {
		d := e.analyzer.analyze(context.Background(), key, []byte(docs[key]))
		e.planner.plan(context.Background(), d, nil)
		if d.Failed() != nil {
			t.Fatalf("%s: %v", key, d.Failed())
		}
		out[key] = d
	}
	return out
}

func replacements(d *Doc) []string {
	var out []string
	for _, ed := range d.edits {
		out = append(out, d.parts[ed.Part].Text[ed.Start:ed.End]+" -> "+ed.Replacement)
	}
	return out
}

// TestPlanner: the planner links every form of a name to one person of the
// case table, reads the client's role wherever the case shows it, and
// keeps the alias across documents and in the output key.
func TestPlanner(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{
		"a.txt":                      "Ms Brannigan attended alone.\nClient: Odile Brannigan\nHer brother Piet Brannigan called.\n",
		"b_Odile_Brannigan_notes.md": "Odile Brannigan reported better sleep; her brother Piet Brannigan visited.\n",
	}
	got := planDocs(t, e, docs, []string{"a.txt", "b_Odile_Brannigan_notes.md"})
	a, b := got["a.txt"], got["b_Odile_Brannigan_notes.md"]
	if want := []string{"Ms Brannigan -> Client A", "Odile Brannigan -> Client A", "Piet Brannigan -> Person B"}; !slices.Equal(replacements(a), want) {
		t.Errorf("a.txt: %q, want %q", replacements(a), want)
	}
	if want := []string{"Odile Brannigan -> Client A", "Piet Brannigan -> Person B"}; !slices.Equal(replacements(b), want) {
		t.Errorf("b: %q, want %q", replacements(b), want)
	}
	if b.OutputKey() != "b_Client-A_notes.md" || a.OutputKey() != "a.txt" {
		t.Errorf("output keys %q %q", a.OutputKey(), b.OutputKey())
	}
	// The case table holds two people; the client has the role.
	es := e.planner.cases.Entries()
	if len(es) != 2 || es[0].Alias != "Client A" || !slices.Contains(es[0].Roles, profiles.Client) || es[1].Alias != "Person B" {
		t.Errorf("case table: %+v", es)
	}
	// What verification must not find again: the names and the surname
	// on its own, never the words left in place.
	var removed []string
	for _, ph := range a.removed {
		removed = append(removed, strings.Join(ph.Keys, " "))
	}
	for _, want := range []string{"odile brannigan", "brannigan", "odile", "piet"} {
		if !slices.Contains(removed, want) {
			t.Errorf("removed %q lacks %q", removed, want)
		}
	}
	if slices.Contains(removed, "attended") || a.counts[string(ner.Person)] != 3 {
		t.Errorf("removed %q, counts %v", removed, a.counts)
	}
}

// The planner reads deny lists' labels and the list of minors; a minor's
// name under court becomes initials.
func TestPlannerListsAndMinors(t *testing.T) {
	p, _ := profiles.Load("court")
	e, err := NewEngine(Options{Profile: p, NoNER: true,
		DenyLists: []DenyList{{Terms: []string{"Project Falcon"}, Label: "REDACTED – PRIVILEGED", Basis: "work product"}},
		Minors:    []string{"# the children", "Tomas Brannigan"}})
	if err != nil {
		t.Fatal(err)
	}
	text := "Tomas Brannigan and his father Piet Brannigan discussed Project Falcon.\n"
	d := planDocs(t, e, map[string]string{"m.txt": text}, []string{"m.txt"})["m.txt"]
	want := []string{"Tomas Brannigan -> T.B.", "Project Falcon -> REDACTED – PRIVILEGED"}
	if !slices.Equal(replacements(d), want) {
		t.Errorf("got %q, want %q", replacements(d), want)
	}
	for _, c := range d.changes {
		if c.Entity == string(ner.Custom) && c.Basis != "work product" {
			t.Errorf("deny list basis %q", c.Basis)
		}
	}
	if len(d.denyTerms) != 1 {
		t.Errorf("%d deny terms for verification", len(d.denyTerms))
	}
	if _, err := NewEngine(Options{Profile: p, Bates: &Bates{Digits: 0}}); err == nil {
		t.Error("bad Bates settings accepted")
	}
}
