package pipeline

import "testing"

// How a line of an independent reading is found shown by the parts of
// its page: white space and ligatures folded, whole words only; a shown
// line next to an unshown one is kept as its context.
func TestUnshownLines(t *testing.T) {
	for _, c := range []struct{ s, t string }{
		{"the \uFB01le of Ann Lee , seen", "file of Ann Lee"},
		{"Ann Lee", "Ann Lee"},
		{"(Ann Lee)", "Ann Lee"},
	} {
		if !containsWords(fold(c.s), c.t) {
			t.Errorf("%q does not show %q", c.s, c.t)
		}
	}
	for _, c := range []struct{ s, t string }{
		{"Joann Leeds", "Ann Lee"},
		{"Joann Lee", "Ann Lee"},
		{"Ann Leeds", "Ann Lee"},
		{"", "x"},
	} {
		if containsWords(c.s, c.t) {
			t.Errorf("%q shows %q", c.s, c.t)
		}
	}
	page := fold("Session note, second visit.\n5-0147 after five.\nCall back on 503-55\nEnd of note.")
	got := unshownLines("Session note, second visit.\nCall back on 503-555-0147 after five.\nSigned.\n\nEnd of note.\n", map[string]bool{"Signed.": true}, page)
	if want := "Session note, second visit.\nCall back on 503-555-0147 after five.\nSigned.\n"; got != want {
		t.Errorf("unshownLines = %q, want %q", got, want)
	}
	if got := unshownLines("Signed.\nOther\n", map[string]bool{"Signed.": true}, ""); got != "Other\n" {
		t.Errorf("without a page: %q", got)
	}
}
