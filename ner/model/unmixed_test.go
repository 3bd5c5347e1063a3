package model

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// refineTagged is Refiner.Refine as it was before it left texts with no
// line of mixed case untagged: the model runs over every text.
func refineTagged(t testing.TB, text string, found []ner.Finding) []ner.Finding {
	t.Helper()
	tagged, err := loadShipped(t).Tag(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	return refineTags(text, tagged, found)
}

// TestRefinerUnmixedSameAsTagged: Refiner's findings are those of the
// model run over the whole text, on texts with lines of mixed case and
// on texts without (notes all in capitals or in lower case, where it does
// not run the model). The model finds names in the mixed texts (the
// comparison is not empty), and would in their unmixed forms were it
// not for the line filter.
func TestRefinerUnmixedSameAsTagged(t *testing.T) {
	mixed := []string{
		"Seen today with Orsolya Quillanby and her brother Tamsin Everard in Tartu.",
		"PATIENT: ORSOLYA QUILLANBY\nSeen by Dr Tamsin Everard at Oakvale General, Harbour Road.",
		"Mr Everard called from Wexmoorshire. Call back on (617) 555-0143.",
	}
	var texts []string
	for _, s := range mixed {
		texts = append(texts, s, strings.ToUpper(s), strings.ToLower(s),
			strings.ToUpper(s)+"\n"+strings.ToLower(s), // two lines, each of one case
			"ÉCOLE ÖBERG\nzoë ångström "+strings.ToLower(s))
	}
	found := []ner.Finding{{Start: 0, End: 4, Entity: ner.Date, Score: 0.4, Rule: "test"}}
	unmixed, names := 0, 0
	for _, text := range texts {
		want := refineTagged(t, text, found)
		got, err := Refiner{}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: Refine %v, tagged %v", text, got, want)
		}
		if !anyMixedCaseLine(text) {
			unmixed++
		} else {
			names += len(want) - len(found)
		}
	}
	if unmixed < 2*len(mixed) || names == 0 {
		t.Fatalf("fixture: %d texts without a mixed-case line, %d names in the others", unmixed, names)
	}
	// A lower-case note whose name the rules found: the text is not
	// tagged, but the name is still widened by its particles (nameParts).
	text := "seen by van der quillanby"
	at := strings.Index(text, "quillanby")
	found = []ner.Finding{{Start: at, End: len(text), Entity: ner.Person, Score: 0.9, Rule: "test"}}
	want := refineTagged(t, text, found)
	got, err := Refiner{}.Refine(context.Background(), text, found)
	if err != nil {
		t.Fatal(err)
	}
	if anyMixedCaseLine(text) || !slices.ContainsFunc(want, func(f ner.Finding) bool { return text[f.Start:f.End] == "van der quillanby" }) {
		t.Fatalf("fixture: %q not widened by its particles: %v", text, want)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%q: Refine %v, tagged %v", text, got, want)
	}
}

// anyMixedCaseLineRef is anyMixedCaseLine by its definition: mixedCaseLine
// at some byte of text.
func anyMixedCaseLineRef(text string) bool {
	for i := 0; i <= len(text); i++ {
		if mixedCaseLine(text, i) {
			return true
		}
	}
	return false
}

func TestAnyMixedCaseLine(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"", false}, {"a", false}, {"A", false}, {"Ab", true}, {"A\nb", false}, {"A\nb\ncD", true},
		{"ORSOLYA QUILLANBY 12", false}, {"orsolya quillanby", false}, {"ÉCOLE", false}, {"École", true},
		{"Éb", true}, {"É\nb", false}, {"ß\nSS", false}, {"ǅ", false}, {"A\xffb", true}, {"A\xc3\nb", false},
		{"1234 (617) 555-0143", false}, {"ZOË", false}, {"zoë", false}, {"ZOë", true},
	} {
		if got := anyMixedCaseLine(c.text); got != c.want || got != anyMixedCaseLineRef(c.text) {
			t.Errorf("anyMixedCaseLine(%q) = %v, want %v (reference %v)", c.text, got, c.want, anyMixedCaseLineRef(c.text))
		}
	}
}

func FuzzAnyMixedCaseLine(f *testing.F) {
	for _, s := range []string{"", "Ab", "A\nb", "ÉCOLE\nzoë", "A\xc3\nb", "ǅ\nǆ", "TAMSIN EVERARD\nseen by orsolya"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := anyMixedCaseLine(text), anyMixedCaseLineRef(text); got != want {
			t.Errorf("anyMixedCaseLine(%q) = %v, reference %v", text, got, want)
		}
	})
}
