package ner

import (
	"context"
	"strings"
	"testing"
)

// Deny lists match the term in every form a reader reads as the term, and
// the match covers the whole form.
func TestTermsSeeThroughTextForms(t *testing.T) {
	d := NewTerms([]string{"Wyndham Pike", "Falconer"})
	for _, c := range []struct{ text, want string }{
		{"the Wyndham Pike file", "Wyndham Pike"},
		{"the Wynd\u00adham Pike file", "Wynd\u00adham Pike"},
		{"the Wynd-\n  ham\nPike file", "Wynd-\n  ham\nPike"},
		{"the W\u0443ndham P\u0456ke file", "W\u0443ndham P\u0456ke"},
		{"the Falc\u200boner file", "Falc\u200boner"},
		{"the F A L C O N E R file", "F A L C O N E R"},
		{"the F-A-L-C-O-N-E-R file", "F-A-L-C-O-N-E-R"},
	} {
		fs, err := d.Detect(context.Background(), c.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || c.text[fs[0].Start:fs[0].End] != c.want {
			var got []string
			for _, f := range fs {
				got = append(got, c.text[f.Start:f.End])
			}
			t.Errorf("%q: found %q, want %q", c.text, got, c.want)
		}
	}
	// A term broken at a hyphen that is its own stays found as written.
	d = NewTerms([]string{"Wyndham-Pike"})
	if fs, _ := d.Detect(context.Background(), "Mr Wyndham-\nPike"); len(fs) != 1 {
		t.Errorf("hyphenated term at a line break: %d findings", len(fs))
	}
}

func TestFoldSeesThroughTextForms(t *testing.T) {
	for in, want := range map[string]string{
		"San\u00addoval":       "sandoval",
		"Sand\u043eval":        "sandoval",
		"\u0406RINA":           "irina",
		"Bren\u200b\u200dnick": "brennick",
	} {
		if got := strings.Join(Fold(in), " "); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
