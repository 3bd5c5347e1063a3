package names

import (
	"fmt"
	"testing"
)

// A surname that begins with its particles is taken whole after a title,
// and a listed particle joins given name and surname: none of its words may
// stay beside a masked name.
func TestParticleSurnames(t *testing.T) {
	cases := []struct{ text, want string }{
		{"Mr de Quillanby complained that the police had beaten him.", "[names/title=de Quillanby]"},
		{"According to Mr le Quillec, the document had been forged.", "[names/title=le Quillec]"},
		{"She was represented by Ms de la Roncière, a lawyer.", "[names/title=de la Roncière]"},
		{"Mr De Vries complained.", "[names/title=De Vries]"},
		{"Dr van den Everard examined him.", "[names/title=van den Everard]"},
		{"The applicant, Mr Tamsin af Quillenstam, was heard.", "[names/title=Tamsin af Quillenstam]"},
		{"The applicant, Ms Orsolya do Carmo Everard, was heard.", "[names/title=Orsolya do Carmo Everard]"},
		{"The applicant, Mr Orsolya dei Quillanti, was heard.", "[names/title=Orsolya dei Quillanti]"},
		// a particle before a lower-case word is no surname
		{"It fell to Mr de facto control.", "[]"},
		{"Ms de la part of it.", "[]"},
		// after a title, a particle that begins no surname is read as the
		// surname itself, as a word in no list is
		{"ms dei testified", "[names/title=dei]"},
		{"mrs degli appeared", "[names/title=degli]"},
		{"mr des quillanby appeared", "[names/title=des quillanby]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(spans(t, c.text)); got != c.want {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}

// Before a company form, a word of letters and digits is part of the
// company's name, and a limited liability partnership's form ends it.
func TestCompanyFormNames(t *testing.T) {
	cases := []struct{ text, want string }{
		{"the right was bought from the company Velmo9 AB, which had no say", "[names/org-suffix=Velmo9 AB]"},
		{"He worked for Norrvik Media2 Ltd and Quillanby Everard LLP.", "[names/org-suffix=Norrvik Media2 Ltd names/org-suffix=Quillanby Everard LLP]"},
		// a number alone is no name
		{"He bought 4 AB shares.", "[]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(spans(t, c.text)); got != c.want {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}
