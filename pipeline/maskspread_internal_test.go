package pipeline

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// A replacement of several words is blanked however another reader lays
// its words out; offsets and line breaks stay, other text stays.
func TestMaskSpread(t *testing.T) {
	m := maskSpread([]string{"January 2024", "Person A", "[email]"})
	for in, want := range map[string]string{
		"seen January\n2024 at":   "seen        \n     at",
		"Person  A and Person B":  "          and Person B",
		"January 2025":            "January 2025",
		"[email] stays for masks": "[email] stays for masks",
	} {
		if got := m(in); got != want {
			t.Errorf("maskSpread(%q) = %q, want %q", in, got, want)
		}
	}
	if got := maskSpread(nil)("January\n2024"); got != "January\n2024" {
		t.Errorf("no replacements: %q", got)
	}
}

// maskSpreadBefore is maskSpread without its first-word check: the
// expression run over every text.
func maskSpreadBefore(repls []string) func(string) string {
	var alts []string
	seen := map[string]bool{}
	for _, r := range repls {
		words := strings.Fields(r)
		if len(words) < 2 || seen[r] {
			continue
		}
		seen[r] = true
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		alts = append(alts, strings.Join(words, `\s+`))
	}
	if len(alts) == 0 {
		return func(s string) string { return s }
	}
	sort.Slice(alts, func(i, j int) bool {
		return len(alts[i]) > len(alts[j]) || len(alts[i]) == len(alts[j]) && alts[i] < alts[j]
	})
	re := regexp.MustCompile(strings.Join(alts, "|"))
	return func(s string) string {
		b := []byte(s)
		for _, m := range re.FindAllStringIndex(s, -1) {
			for k := m[0]; k < m[1]; k++ {
				if b[k] != '\n' {
					b[k] = ' '
				}
			}
		}
		return string(b)
	}
}

// The check that a text holds the first word of some replacement changes
// no mask: the same text as the expression alone, for replacements whose
// words recur, overlap, hold expression syntax or sit apart.
func FuzzMaskSpreadFirstWords(f *testing.F) {
	f.Add("seen January\n2024 at Person\tA", "January 2024", "Person A", "A B")
	f.Add("Client  AB, Client A B", "Client A", "Client AB", "A B")
	f.Add("x.y  (z) x.y\n(z", "x.y (z)", "(z) x.y", "")
	f.Add("nothing here", "Person A", "Person B", "[date]")
	f.Add("Client A", "Client \xff", "Client A", "")
	f.Fuzz(func(t *testing.T, text, r1, r2, r3 string) {
		repls := []string{r1, r2, r3}
		if !utf8.ValidString(r1 + r2 + r3) {
			// Not in UTF-8: maskSpread leaves such a replacement out
			// (the reference would not compile it); it must not panic.
			maskSpread(repls)(text)
			return
		}
		if got, want := maskSpread(repls)(text), maskSpreadBefore(repls)(text); got != want {
			t.Fatalf("mask %q, the expression alone %q", got, want)
		}
	})
}
