package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented notes: lone words a guessing rule or a model took for a name
// go when they are shorthand, a medicine or a misspelling; names stay.
func TestShorthand(t *testing.T) {
	for _, c := range []struct {
		text, found, rule string
		name              bool
	}{
		{"Plan discussed per ho, no changes.", "ho", "names/context", false},               // house officer
		{"PACER SET TO VVI 60.", "VVI", "names/place", false},                              // a pacing mode
		{"Remains on Levophed 0.1 mcg.", "Levophed", "model/person", false},                // a medicine
		{"Started on Vancomyicn overnight.", "Vancomyicn", "prose/person", false},          // a misspelt medicine
		{"Given milrinnone for low output.", "milrinnone", "names/lone-name", false},       // in lower case
		{"Afebrile.\nEncourgae fluids overnight.", "Encourgae", "model/person", false},     // first in its sentence
		{"SON AWARE. PATIENT RESTLSES OVERNIGHT.", "RESTLSES", "names/place", false},       // in capitals
		{"Seen by Dr. Quillanby and Mutter this morning.", "Mutter", "model/person", true}, // capitalised in a sentence
		{"Afebrile.\nTutter said the family will visit.", "Tutter", "model/person", true},  // a speaker
		{"Seen by M. Quillanby today.", "Quillanby", "model/person", true},                 // after an initial
		{"dtr päivi at bedside.", "päivi", "names/context", true},                          // diacritics: no English typing error
		{"Daughter Orsolya called.", "Orsolya", "names/context", true},                     // a given name
		{"RESP: Remanis intubated, no changes.", "Remanis", "names/max-recall", false},     // a word maximum recall flagged
		{"Results:\nWalkes 2 Quillmoor 1", "Walkes", "names/max-recall", true},             // a team and its score
		{"Afebrile.\nTallis Quillanby called.", "Tallis", "names/max-recall", true},        // a name goes on
		{"Remains on Levophed 0.1 mcg.", "Levophed", "names/first-last", true},             // not a guessing rule
		{"Transferred to Marrowdale General.", "Marrowdale General", "names/place", true},  // two words
	} {
		s := strings.Index(c.text, c.found)
		f := ner.Finding{Start: s, End: s + len(c.found), Entity: ner.Person, Score: 0.7, Rule: c.rule}
		out, err := Shorthand{}.Refine(context.Background(), c.text, []ner.Finding{f})
		if err != nil {
			t.Fatal(err)
		}
		if (len(out) == 1) != c.name {
			t.Errorf("%q in %q (%s): kept %v, want %v", c.found, c.text, c.rule, len(out) == 1, c.name)
		}
	}
}

// oneEditSimple is oneEdit as first written, a string per candidate: the
// reference the allocation-free one must agree with.
func oneEditSimple(w string, known func(string) bool) bool {
	r := []rune(w)
	for i := range r {
		if known(string(r[:i]) + string(r[i+1:])) {
			return true
		}
	}
	for i := 0; i+1 < len(r); i++ {
		if r[i] != r[i+1] && known(string(r[:i])+string(r[i+1])+string(r[i])+string(r[i+2:])) {
			return true
		}
	}
	for i := 0; i <= len(r); i++ {
		for c := 'a'; c <= 'z'; c++ {
			if known(string(r[:i]) + string(c) + string(r[i:])) {
				return true
			}
			if i < len(r) && c != r[i] && known(string(r[:i])+string(c)+string(r[i+1:])) {
				return true
			}
		}
	}
	return false
}

func TestOneEditAgreesWithReference(t *testing.T) {
	known := map[string]bool{"quillanby": true, "everard": true, "tamsin": true, "zoë": true, "a": true}
	has := func(w string) bool { return known[w] }
	words := []string{"", "a", "b", "ab", "quilanby", "quillanbby", "qiullanby", "quillanbx", "everadr", "evrard",
		"tamsim", "tasmin", "zoe", "zoëe", "zö", "everard", "tamsinxx", "xyz", "quillandy", "éverard"}
	for _, w := range words {
		if got, want := oneEdit(w, has), oneEditSimple(w, has); got != want {
			t.Errorf("oneEdit(%q) = %v, want %v", w, got, want)
		}
	}
}
