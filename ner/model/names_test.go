package model

import (
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// tagAs tags the words of text: the words from..to-1 as one name of a
// person with probability p, the others outside.
func tagAs(text string, from, to int, p float64) []Tagged {
	var out []Tagged
	for i, w := range ner.Words(text) {
		t := Tagged{Start: w.Start, End: w.End, Tag: O, P: 0.01}
		if i >= from && i < to {
			t.Tag, t.P = IPer, p
			if i == from {
				t.Tag = BPer
			}
		}
		out = append(out, t)
	}
	return out
}

// A name the model is less sure of than NameScore is added (maximum
// recall's lower threshold) only when written as a full name in running
// text with a listed word; at NameScore and above, as before. Invented
// names; the test checks that its fixture's given name is listed.
func TestConfidentNamesUnderNameScore(t *testing.T) {
	if gazetteer.Lookup("tamsin")&(gazetteer.First|gazetteer.Last) == 0 || gazetteer.IsName("quillanby") || gazetteer.IsName("zelvorin") {
		t.Fatal("fixture: tamsin must be a listed given name, quillanby and zelvorin in no list")
	}
	for _, c := range []struct {
		text     string
		from, to int
		p        float64
		min      float64
		want     string
	}{
		{"Seen with Tamsin Quillanby today.", 2, 4, 0.7, 0.6, "Tamsin Quillanby"},
		{"Seen with Tamsin Quillanby today.", 2, 4, 0.7, NameScore, ""},                   // the default threshold
		{"Seen with Tamsin Quillanby today.", 2, 4, 0.5, 0.6, ""},                         // under the lower one
		{"Seen with tamsin Quillanby today.", 2, 4, 0.7, 0.6, ""},                         // not written as a name
		{"Seen with TAMSIN Quillanby today.", 2, 4, 0.7, 0.6, ""},                         // a word in capitals
		{"Seen with Quillanby Zelvorin today.", 2, 4, 0.7, 0.6, ""},                       // no listed word
		{"Seen with Quillanby today.", 2, 3, 0.7, 0.6, ""},                                // one word
		{"Seen with Quillanby today.", 2, 3, 0.95, 0.6, "Quillanby"},                      // confident: as before
		{"Seen with Tamsin van Quillanby today.", 2, 5, 0.7, 0.6, "Tamsin van Quillanby"}, // a particle
		{"Seen with Tamsin Quillanby 2 today.", 2, 5, 0.7, 0.6, ""},                       // a digit
	} {
		got := ""
		for _, f := range confidentNames(c.text, tagAs(c.text, c.from, c.to, c.p), nil, c.min) {
			got += c.text[f.Start:f.End]
		}
		if got != c.want {
			t.Errorf("%q (P %.2f, min %.2f): got %q, want %q", c.text, c.p, c.min, got, c.want)
		}
	}
}
