package ocr

import "testing"

func TestOneEdit(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Home", "Hone", true},     // one letter changed
		{"Home", "Home", true},     // the same
		{"Home", "Homes", true},    // one added
		{"Home", "Hme", true},      // one dropped
		{"Home", "Hane", false},    // two changed
		{"Home", "Homely", false},  // two added
		{"Ward", "ward.", true},    // case and punctuation are not letters
		{"Dr", "Di", false},        // too short to say
		{"Ann", "An", false},       // one side too short
		{"Ann", "Anne", true},      // three letters and one added
		{"clinic", "c1inic", true}, // a look-alike folds (Normalize)
		{"", "", false},
	} {
		if got := OneEdit(c.a, c.b); got != c.want {
			t.Errorf("OneEdit(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := OneEdit(c.b, c.a); got != c.want {
			t.Errorf("OneEdit(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}
