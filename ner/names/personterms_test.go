package names

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// found returns the text of every finding of d in text, in order, joined by
// "|", after resolving overlaps as the pipeline does.
func found(t *testing.T, d ner.Detector, text string) string {
	t.Helper()
	fs, err := d.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range ner.Resolve(fs) {
		if f.Entity != ner.Custom || f.Rule != "deny-list" || f.Score != ner.TermScore {
			t.Errorf("finding %+v: want CUSTOM_TERM deny-list at TermScore", f)
		}
		out = append(out, text[f.Start:f.End])
	}
	return strings.Join(out, "|")
}

func TestPersonTermsForms(t *testing.T) {
	d := NewPersonTerms([]string{"Corinne Dunmore", "Acme Harbor LLC", "# comment"}, ner.Custom, ner.DenyListRule)
	if d.Len() != 1 {
		t.Fatalf("people = %d, want 1 (the company is no person)", d.Len())
	}
	cases := []struct{ text, want string }{
		{"Corinne Dunmore signed.", "Corinne Dunmore"},
		{"Mr. and Mrs. Dunmore came; Ms. Dunmore spoke.", "Dunmore|Dunmore"},
		{"Present: Corinne Alys Dunmore and Corinne A. Dunmore.", "Corinne Alys Dunmore|Corinne A. Dunmore"},
		{"DUNMORE, CORINNE A. v. State", "DUNMORE, CORINNE A"},
		{"Dunmore, Corinne (plaintiff)", "Dunmore, Corinne"},
		{"signed C. Dunmore and C Dunmore", "C. Dunmore|C Dunmore"},
		{"Dunmore's testimony", "Dunmore"},
		{"Corinne said she was tired.", "Corinne"},
		// A middle name the list does not hold does not make her someone else.
		{"Corinne Alys Dunmore arrived; Corinne sat.", "Corinne Alys Dunmore|Corinne"},
		{"corinne dunmore in lower case", "corinne dunmore"},
		// Her husband shares her surname but is not her.
		{"Gregory Dunmore testified.", ""},
		// Another Corinne in the text: the given name alone is ambiguous.
		{"Corinne Pelletier met Corinne Dunmore. Corinne left.", "Corinne Dunmore"},
		// A surname in lower case is an ordinary word.
		{"the dunmore field", ""},
		{"Acme Harbor LLC", ""}, // ner.Terms' business, not this detector's
	}
	for _, c := range cases {
		if got := found(t, d, c.text); got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

func TestPersonTermsSharedGiven(t *testing.T) {
	// Two listed people with one given name: the given name alone names
	// neither; each surname still works.
	d := NewPersonTerms([]string{"Corinne Dunmore", "Dr. Corinne Halvey"}, ner.Custom, ner.DenyListRule)
	if d.Len() != 2 {
		t.Fatalf("people = %d, want 2", d.Len())
	}
	if got, want := found(t, d, "Corinne called Dr. Halvey about Dunmore."), "Halvey|Dunmore"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPersonTermsNotPeople(t *testing.T) {
	for _, term := range []string{"Dunmore", "Project 42 Corinne", "Xqzt Dunmore", "Corinne Dunmore Alys Bray Fenn"} {
		if n := NewPersonTerms([]string{term}, ner.Custom, ner.DenyListRule).Len(); n != 0 {
			t.Errorf("%q read as %d people, want none", term, n)
		}
	}
}

func FuzzPersonTerms(f *testing.F) {
	f.Add("Corinne Dunmore", "DUNMORE, Corinne A. and C. Dunmore's")
	f.Add("Dr. Corinne Halvey", "Corinne . Halvey ,")
	f.Fuzz(func(t *testing.T, term, text string) {
		fs, err := NewPersonTerms([]string{term}, ner.Custom, ner.DenyListRule).Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
				t.Fatalf("finding %+v out of text of %d bytes", f, len(text))
			}
		}
	})
}
