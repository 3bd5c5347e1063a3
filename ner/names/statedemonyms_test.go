package names

import (
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/ner"
)

func TestIsStateDemonym(t *testing.T) {
	cases := []struct {
		text, span string
		want       bool
	}{
		{"The Danish Government were represented by their Agent, Ms T. Everard.", "Danish", true},
		{"It was the Estonian Government's view that the complaint was late.", "Estonian", true},
		{"the Sierra Leonean Government replied", "Leonean", true}, // the list holds the second word
		// a State that may intervene because its national is the applicant
		{"The Danish Government did not make use of their right to intervene (Article 36 § 1).", "Danish", false},
		{"The Estonian Government, having been informed of their right to intervene, did not reply. Later text.", "Estonian", false},
		// the nationality of a person, another word after it, a word in no list
		{"a Danish national, Mr Orsolya Quillanby", "Danish", false},
		{"the Danish Governments of the time", "Danish", false},
		{"the Danish  Government", "Danish", false},
		{"the Velmorian Government", "Velmorian", false},
		{"Mr Tamsin Everard Government", "Everard", false},
	}
	for _, c := range cases {
		i := strings.Index(c.text, c.span)
		if got := IsStateDemonym(c.text, i, i+len(c.span)); got != c.want {
			t.Errorf("%q in %q: %v, want %v", c.span, c.text, got, c.want)
		}
	}
	if IsStateDemonym("Danish", 0, 0) || IsStateDemonym("Danish", 2, 40) {
		t.Error("an empty or out-of-range span is a state demonym")
	}
}

func TestDropStateDemonyms(t *testing.T) {
	text := "a Danish national. The Danish Government replied. The Danish Government did not intervene."
	var found []ner.Finding
	for i := 0; ; {
		k := strings.Index(text[i:], "Danish")
		if k < 0 {
			break
		}
		found = append(found, ner.Finding{Start: i + k, End: i + k + len("Danish"), Entity: ner.Demographic, Score: 0.9, Rule: "propagated:x"})
		i += k + 1
	}
	// a person's name that is a demonym stays a finding: only nationalities are dropped
	p := strings.Index(text, "Danish Government")
	found = append(found, ner.Finding{Start: p, End: p + len("Danish"), Entity: ner.Person, Score: 0.9, Rule: "propagated:y"})
	got := DropStateDemonyms(text, found)
	if len(got) != 3 || got[0].Start != found[0].Start || got[1].Start != found[2].Start || got[2].Entity != ner.Person {
		t.Errorf("got %+v", got)
	}
	if len(found) != 4 {
		t.Error("found was changed")
	}
}

// FuzzIsStateDemonym: any text and span, in range or not, gives an answer
// without panicking, and a span that is one is a demonym before the word.
func FuzzIsStateDemonym(f *testing.F) {
	f.Add("The Danish Government replied.", 4, 10)
	f.Add("the Sierra Leonean Government", 11, 18)
	f.Add("Danish Government did not intervene", 0, 6)
	f.Add("é Government", 0, 1)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		if IsStateDemonym(text, start, end) && !strings.HasPrefix(text[end:], " Government") {
			t.Errorf("%q [%d,%d): no Government after it", text, start, end)
		}
	})
}

// TestDropStateDemonymsLinearTime: dropping costs linear time on a text
// without full stops whose every nationality stands before "Government",
// the text where each finding reads furthest.
func TestDropStateDemonymsLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	unit := "the Danish Government and "
	build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
	complexity.Assert(t, 4<<10, build, func(text string) {
		var found []ner.Finding
		for i := 0; i+len(unit) <= len(text); i += len(unit) {
			found = append(found, ner.Finding{Start: i + 4, End: i + 10, Entity: ner.Demographic, Score: 0.9, Rule: "propagated:x"})
		}
		if got := DropStateDemonyms(text, found); len(got) != 0 {
			t.Fatalf("%d findings kept", len(got))
		}
	})
}
