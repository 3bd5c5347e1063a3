package ner

import (
	"testing"
	"unicode/utf8"
)

// MayMatch over KeysOf is a filter that never hides a match: wherever
// FindAll finds a phrase, in the text or in its view (soft hyphens,
// zero-width characters, hyphenation, look-alike letters, letter
// spacing), MayMatch says so.
func FuzzPhraseKeys(f *testing.F) {
	f.Add("Maria Sandoval", "notes of M A R I A  S A N D O V A L here", "Lena")
	f.Add("Sandoval", "San\u00ADdoval and San-\ndoval", "x")
	f.Add("Oliver Brandt", "\u041Eliver Br\u0430ndt", "Brandt")
	f.Add("Kowalski", "Ko\u200Bwalski wrote", "2024")
	f.Add("March 3, 2024", "<w:t>March</w:t><w:t> 3, 2024</w:t>", "Hale")
	f.Fuzz(func(t *testing.T, p1, text, p2 string) {
		if !utf8.ValidString(text) {
			return
		}
		m := NewPhraseMatcher([]Phrase{{Keys: Fold(p1)}, {Keys: Fold(p2), CapitalOnly: true}, {Keys: Fold(p1 + " " + p2)}})
		if ms := m.FindAll(text); len(ms) > 0 && !m.MayMatch(KeysOf(text)) {
			t.Fatalf("FindAll finds %v, MayMatch says no", ms)
		}
	})
}

// MayMatch says no where a phrase's words are not all in the text, and
// yes where they are, in any order.
func TestMayMatch(t *testing.T) {
	m := NewPhraseMatcher([]Phrase{{Keys: Fold("Maria Sandoval")}, {Keys: Fold("4471-22")}})
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Maria met Ms. Hale", false},
		{"Sandoval, Maria", true},
		{"M A R I A and S A N D O V A L", true},
		{"record 4471 of 23", false},
		{"record 22-4471", true},
		{"", false},
	} {
		if got := m.MayMatch(KeysOf(c.text)); got != c.want {
			t.Errorf("MayMatch(KeysOf(%q)) = %v, want %v", c.text, got, c.want)
		}
	}
}
