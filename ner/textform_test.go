package ner

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
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
		// issue 13 red team: a right-to-left override shows the name
		// reversed in the bytes, a bidi mark hides inside it
		{"the \u202eekiP mahdnyW\u202c file", "\u202eekiP mahdnyW\u202c"},
		{"the Falc\u200eoner file", "Falc\u200eoner"},
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

// Matches in the view of any text are spans of that text on rune
// boundaries, non-overlapping and in order.
func FuzzTermsSeeThrough(f *testing.F) {
	for _, s := range []string{"Wynd\u00adham Pike", "W Y N D H A M  P I K E", "Wynd-\nham Pike", "W\u0443ndham", "\u200b-\n a b c"} {
		f.Add(s)
	}
	d := NewTerms([]string{"Wyndham Pike", "Pike", "a b"})
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		fs, err := d.Detect(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		end := 0
		for _, g := range fs {
			if g.Start < end || g.Start >= g.End || g.End > len(s) || !utf8.RuneStart(s[g.Start]) || g.End < len(s) && !utf8.RuneStart(s[g.End]) {
				t.Fatalf("%q: bad span %v after %d", s, g, end)
			}
			end = g.End
		}
	})
}
