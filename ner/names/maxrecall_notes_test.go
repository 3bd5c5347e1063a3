package names

import (
	"context"
	"strings"
	"testing"
)

func TestMisspelt(t *testing.T) {
	for _, c := range []struct {
		word string
		want bool
	}{
		{"recieved", true},    // two letters swapped
		{"vancomicin", true},  // a letter changed
		{"furosemidee", true}, // a letter added
		{"mettoprolol", true}, // a letter added
		{"heprin", true},      // a letter left out
		{"received", false},   // a word itself is not misspelt
		{"zqxvbnw", false},    // nothing near
		{"abcd", false},       // too short to tell
		{"hewson", false},     // a listed surname stays a name
	} {
		toks := tokenize(context.Background(), c.word)
		if len(toks) != 1 {
			t.Fatalf("%q: %d words", c.word, len(toks))
		}
		if got := misspelt(&toks[0]); got != c.want {
			t.Errorf("misspelt(%q) = %v, want %v", c.word, got, c.want)
		}
	}
}

// In capitals every word looks capitalised: a flagged word does not take
// the ordinary words around it into its phrase.
func TestMaxRecallCapitalsPhrase(t *testing.T) {
	text := "SUCTIONED FOR THICK QZXWORT COLORED SPUTUM.\n"
	yes := func(int, int) bool { return true }
	var got []string
	for _, f := range MaxRecallJudged(text, nil, yes) {
		got = append(got, text[f.Start:f.End])
	}
	if len(got) != 1 || got[0] != "QZXWORT" {
		t.Errorf("flagged %q, want only the unknown word", got)
	}
	// misspelt words in capitals stay: "SECRETOINS" is "secretions"
	text = "SUCTIONED FOR THICK SECRETOINS.\n"
	if fs := MaxRecallJudged(text, nil, yes); len(fs) != 0 {
		t.Errorf("flagged %d findings in a misspelt sentence", len(fs))
	}
}

// Readings written as chains of numbers stay with KeepMeasurements; the
// numbers written as identifiers go. Invented note.
func TestMaxRecallReadings(t *testing.T) {
	text := "ABG 7.36-41-96-24 on psv 10. TV 350-1100 then SVR 900-1250's; goal 400-1500CC neg. " +
		"Temp 100.4-98.9 overnight. Pager #4417, bed (2231), call 555-2718 or 555-3141-2718.\n"
	got := map[string]bool{}
	for _, f := range MaxRecallWith(text, nil, Judgement{KeepMeasurements: true}) {
		got[text[f.Start:f.End]] = true
	}
	for _, reading := range []string{"7", "36", "96", "24", "350", "1100", "900", "1250", "400", "1500", "100", "98"} {
		if got[reading] {
			t.Errorf("%q: part of a reading, flagged (flagged: %v)", reading, keys(got))
		}
	}
	flagged := strings.Join(keys(got), " ")
	for _, id := range []string{"4417", "2231", "2718", "3141"} {
		if !strings.Contains(flagged, id) {
			t.Errorf("%q: can identify, kept (flagged: %v)", id, keys(got))
		}
	}
}

// The first word of a sentence that is a verb form of an ordinary word is
// that word, not a name; a capitalised unknown word still goes.
func TestMaxRecallSentenceVerbForm(t *testing.T) {
	text := "Pt calm. Wobbling toes on request. Seen by Qorvane today.\n"
	yes := func(int, int) bool { return true }
	var got []string
	for _, f := range MaxRecallJudged(text, nil, yes) {
		got = append(got, text[f.Start:f.End])
	}
	if len(got) != 1 || got[0] != "Qorvane" {
		t.Errorf("flagged %q, want only the unknown name", got)
	}
}
