package pipeline

import (
	"strings"
	"testing"
)

// The mask skips the Replacer only for texts that hold no replacement:
// the same text as the Replacer for texts with none, one, overlapping and
// many replacements, and for more replacements than the fast path takes.
func FuzzMaskReplacements(f *testing.F) {
	f.Add("Client A met [PERSON] and Client AB; [PERSON", "Client A", "[PERSON]", 3)
	f.Add("no replacement here", "Client A", "Client", 40)
	f.Add("aaaa", "aa", "a", 1)
	f.Add("Person 12 and Person 1, Person 123", "Person 1", "Person 12", 0)
	f.Add("Person 12 and Person 1, Person 123", "Person 12", "Person 1", 0)
	f.Add("[A] x[A]B [B]", "[A]B", "[B]", 2)
	f.Add("xx[NAME]xx", "x[", "[NAME]", 5)
	f.Fuzz(func(t *testing.T, text, r1, r2 string, n int) {
		repls := []string{r1, r2, r1}
		for i := 0; i < n%50; i++ {
			repls = append(repls, strings.Repeat("x", i+1)+r2)
		}
		var pairs []string
		for _, r := range repls {
			if r != "" {
				pairs = append(pairs, r, strings.Repeat(" ", len(r)))
			}
		}
		want := text
		if len(pairs) > 0 {
			want = strings.NewReplacer(pairs...).Replace(text)
		}
		if got := maskReplacements(repls)(text); got != want {
			t.Fatalf("mask %q, Replacer %q", got, want)
		}
	})
}
