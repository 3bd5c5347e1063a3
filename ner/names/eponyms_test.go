package names

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestIsEponym(t *testing.T) {
	cases := []struct {
		text, span string
		e          ner.Entity
		want       bool
	}{
		{"History of Parkinson's disease.", "Parkinson", ner.Person, true},
		{"Crohn disease in remission", "Crohn", ner.Person, true},
		{"GCS: Glasgow Coma Scale 15", "Glasgow", ner.Location, true},
		{"Beck Depression Inventory score 22", "Beck", ner.Person, true},
		{"the Wechsler Adult Intelligence Scale", "Wechsler Adult Intelligence Scale", ner.Other, true},
		{"Graves' disease", "Graves", ner.Person, true},
		{"Her mother had Alzheimer's.", "Alzheimer", ner.Other, true},
		{"Guillain-Barré syndrome", "Guillain-Barré", ner.Person, true},
		{"Maslow's hierarchy of needs", "Maslow", ner.Person, true},
		// People and places with an eponym's name are kept.
		{"Jane Parkinson called about her disease.", "Jane Parkinson", ner.Person, false},
		{"Dr. Parkinson will see her on Monday.", "Parkinson", ner.Person, false},
		{"Mr. Beck's car was towed.", "Beck", ner.Person, false},
		{"She moved to Glasgow in May.", "Glasgow", ner.Location, false},
		{"O'Neill disease", "O", ner.Person, false},
		// Only names can be eponyms.
		{"Parkinson's disease", "Parkinson", ner.Date, false},
	}
	for _, c := range cases {
		i := strings.Index(c.text, c.span)
		f := ner.Finding{Start: i, End: i + len(c.span), Entity: c.e, Score: 0.9, Rule: "x"}
		if got := IsEponym(c.text, f); got != c.want {
			t.Errorf("%q in %q: %v, want %v", c.span, c.text, got, c.want)
		}
	}
}

// The names detector and the refiner drop eponyms; the refiner leaves the
// findings it is given alone.
func TestEponymsRefiner(t *testing.T) {
	text := "Walter Brennan has Hodgkin lymphoma and Bell's palsy; Dr. Bell saw him."
	fs, err := New().Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range ner.Resolve(fs) {
		got = append(got, text[f.Start:f.End])
	}
	if s := strings.Join(got, "|"); s != "Walter Brennan|Bell" {
		t.Errorf("names found %q, want the patient and the doctor", s)
	}
	in := []ner.Finding{{Start: 19, End: 26, Entity: ner.Person, Score: 0.5, Rule: "x"}, {Start: 0, End: 14, Entity: ner.Person, Score: 0.9, Rule: "y"}}
	kept := append([]ner.Finding(nil), in...)
	out, err := Eponyms{}.Refine(context.Background(), text, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Rule != "y" || in[0] != kept[0] || in[1] != kept[1] {
		t.Errorf("refined %v (input now %v)", out, in)
	}
}
