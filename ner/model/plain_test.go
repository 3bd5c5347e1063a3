package model

import (
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// The Refiner (every profile without maximum recall) takes a name the
// model is less sure of than NameScore, from PlainNameScore, as maximum
// recall does, and only when its first word is no ordinary word or a
// listed given name (givenFirst). Invented names; the test checks its
// fixture's words against the lists.
func TestConfidentNamesPlain(t *testing.T) {
	if f := gazetteer.Lookup("sage"); f&gazetteer.First == 0 || !f.Common() {
		t.Fatal("fixture: sage must be a listed given name and an ordinary word")
	}
	if f := gazetteer.Lookup("loop"); f&gazetteer.First != 0 || !f.Common() {
		t.Fatal("fixture: loop must be an ordinary word and no listed given name")
	}
	if gazetteer.IsName("quillanby") || gazetteer.IsName("orsk") || gazetteer.Lookup("orsk").Common() {
		t.Fatal("fixture: quillanby and orsk must be in no list")
	}
	for _, c := range []struct {
		text     string
		from, to int
		p        float64
		want     string
	}{
		{"Seen with Sage Quillanby today.", 2, 4, 0.7, "Sage Quillanby"},
		{"Seen with Sage Quillanby today.", 2, 4, 0.55, ""},                            // under PlainNameScore
		{"Seen with Orsk Quillanby today.", 2, 4, UnlistedNameScore, "Orsk Quillanby"}, // unlisted, sure enough
		{"Seen with Orsk Quillanby today.", 2, 4, 0.65, ""},                            // unlisted, under UnlistedNameScore
		{"Seen with Loop Quillanby today.", 2, 4, 0.8, ""},                             // an ordinary word first
		{"Seen with Loop Quillanby today.", 2, 4, 0.95, "Loop Quillanby"},              // confident: as before
		{"Seen with Quillanby today.", 2, 3, 0.8, ""},                                  // one word
	} {
		got := ""
		for _, f := range confidentNamesIn(c.text, findings(c.text, tagAs(c.text, c.from, c.to, c.p)), nil, PlainNameScore, true) {
			got += c.text[f.Start:f.End]
		}
		if got != c.want {
			t.Errorf("%q (P %.2f): got %q, want %q", c.text, c.p, got, c.want)
		}
	}
}

// nameParts widens a name of a person over the initials and particles
// right before it, a lone surname over the listed given name before it
// (not a month), and over a suffix or initial after it; not over a
// lower-case article alone ("der"), a hyphen, nor a name in capitals.
// Invented names.
func TestNameParts(t *testing.T) {
	text := "Met K. Quillanby, F.W. de Everard, across der Brannock, van der Hollin, Tamsin Marrowby Jr, " +
		"son Pellow-said, DE VESTRY and Lowe. Seen, Tamsin Orsk and May Zelvorin."
	at := func(w string, e ner.Entity) ner.Finding {
		i := strings.Index(text, w)
		if i < 0 {
			t.Fatalf("fixture: no %q", w)
		}
		return ner.Finding{Start: i, End: i + len(w), Entity: e}
	}
	p := ner.Person
	fs := []ner.Finding{at("Quillanby", p), at("Everard", p), at("Brannock", p), at("Hollin", p), at("Tamsin Marrowby", p),
		at("Pellow", p), at("VESTRY", p), at("Lowe", ner.Location), at("Orsk", p), at("Zelvorin", p)}
	var got []string
	for _, f := range nameParts(text, fs) {
		got = append(got, text[f.Start:f.End])
	}
	want := []string{"K. Quillanby", "F.W. de Everard", "van der Hollin", "Tamsin Marrowby Jr", "Tamsin Orsk"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A capitalised word maximum recall flagged (OTHER) after a listed given
// name or a short form of one becomes that person's name, and so does a
// lone surname after a short form. Invented names.
func TestWholeCompoundsShortGiven(t *testing.T) {
	if gazetteer.Lookup("len")&gazetteer.First != 0 || len(ner.GivenNameVariants("len")) == 0 {
		t.Fatal("fixture: len must be a short form of a given name the lists do not hold")
	}
	text := "Report .\nLen Quillanby won. Then Tamsin Orsk said. The Zelvorin went.\nLen Brannock left."
	at := func(w string, e ner.Entity) ner.Finding {
		i := strings.Index(text, w)
		if i < 0 {
			t.Fatalf("fixture: no %q", w)
		}
		return ner.Finding{Start: i, End: i + len(w), Entity: e}
	}
	fs := []ner.Finding{at("Quillanby", ner.Other), at("Orsk", ner.Other), at("Zelvorin", ner.Other), at("Brannock", ner.Person)}
	var got []string
	for _, f := range wholeCompounds(text, fs) {
		got = append(got, text[f.Start:f.End]+"/"+string(f.Entity))
	}
	want := []string{"Len Quillanby/PERSON", "Tamsin Orsk/PERSON", "Len Brannock/PERSON"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
