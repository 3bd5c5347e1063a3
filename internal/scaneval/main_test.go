package main

import "testing"

// The judge counts values as whole words: a misread value counts, a
// value inside a longer word does not, on the scans as in the text.
func TestJudgeCountsWholeWords(t *testing.T) {
	ids := []string{"Tamsin", "Everard"}
	for _, c := range []struct {
		words []string
		want  int
	}{
		{[]string{"Dear", "Tamsin", "Everard,"}, 2},
		{[]string{"Dear", "Tamsln", "Everand"}, 2}, // misreads
		{[]string{"the", "Tamsinford", "clinic"}, 0},
		{[]string{"Everardine's", "notes"}, 0},
		{[]string{"Tam", "sin", "Everard"}, 2}, // a value split by OCR
	} {
		if got := occurrences(ids, c.words); got != c.want {
			t.Errorf("occurrences(%q) = %d, want %d", c.words, got, c.want)
		}
	}
	for _, c := range []struct {
		s, v string
		want int
	}{
		{"Tamsin Everard, Tamsin.", "Tamsin", 2},
		{"Tamsinford and Everardine", "Tamsin", 0},
		{"Everardine; Everard", "Everard", 1},
		{"07700 900123 and 077009001234", "07700 900123", 1},
		{"", "Tamsin", 0},
	} {
		if got := countWords(c.s, c.v); got != c.want {
			t.Errorf("countWords(%q, %q) = %d, want %d", c.s, c.v, got, c.want)
		}
	}
}
