package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/redactors"
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

// notAcrossReplacements keeps every match that crosses no replacement the
// redactor wrote in place of a word (or one overlapping it), and returns
// only matches inside the text that cross none.
func FuzzNotAcrossReplacements(f *testing.F) {
	f.Add("We counted 3 Zorvex boxes on the quay.", 13, 6, "[REDACTED]", "3 boxes", "boxes")
	f.Add("Orsolya Zed Quillanby and Orsolya Quillanby", 8, 3, "PERSON-1a2b", "Orsolya Quillanby", "Zed")
	f.Add("a b a b", 2, 1, "", "a b", "b")
	f.Add("555 12 0143", 4, 2, "[X]", "555 0143", "0143")
	f.Fuzz(func(t *testing.T, input string, at, n int, repl, v1, v2 string) {
		if at < 0 || n < 0 || at > len(input) || n > len(input)-at {
			return
		}
		in := &verifyInput{parts: []redactors.Part{{Text: input}}, edits: []redactors.Edit{{Start: at, End: at + n, Replacement: repl}}}
		out := redactors.Splice(input, in.edits)
		masked := maskReplacements([]string{repl})(out)
		if len(masked) != len(out) {
			return
		}
		removed := ner.NewPhraseMatcher(ner.TermPhrases([]string{v1, v2}))
		ms := removed.FindAll(masked)
		if len(ms) == 0 {
			return
		}
		got := in.notAcrossReplacements(0, out, masked, removed, ms, nil)
		cut := at < at+len(repl) && strings.TrimSpace(masked[at:at+len(repl)]) == "" && strings.IndexFunc(repl, wordRune) >= 0 &&
			strings.IndexFunc(input[at:at+n], wordRune) >= 0
		crosses := func(m ner.Match) bool { return cut && m.Start <= at && at+len(repl) <= m.End }
		for _, g := range got {
			if g.Start < 0 || g.End > len(masked) || g.Start >= g.End || crosses(g) {
				t.Fatalf("match %d:%d of %q (replacement at %d:%d)", g.Start, g.End, masked, at, at+len(repl))
			}
		}
		for _, m := range ms {
			if crosses(m) {
				continue
			}
			if !slices.ContainsFunc(got, func(g ner.Match) bool { return g.Start < m.End && m.Start < g.End }) {
				t.Fatalf("match %d:%d of %q lost (replacement at %d:%d)", m.Start, m.End, masked, at, at+len(repl))
			}
		}
	})
}
