package litfilter

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestFindAllWindows checks FindAllIn and FindAllAt against the whole
// text's FindAllStringSubmatchIndex: windows given out of order and
// overlapping, around every place a match can hold its key; starts at
// every word start.
func TestFindAllWindows(t *testing.T) {
	re := regexp.MustCompile(`(?i)\b(ab+)\s*(cd|c)\b`)
	at := Anchor(re)
	starts := func(text string, i int) int {
		for p := i; p < len(text); p++ {
			if p == 0 || !isWord(text[p-1]) {
				return p
			}
		}
		return -1
	}
	pieces := []string{"a", "ab", "AB", "bb", "c", "cd", "CD", " ", "  ", "\n", "x", "é", "-", "_"}
	r := rand.New(rand.NewPCG(1, 2))
	hits := 0
	for range 20000 {
		var b strings.Builder
		for n := r.IntN(30); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		want := re.FindAllStringSubmatchIndex(text, -1)
		hits += len(want)
		// every match ends with a c or C after white space and b's: a
		// window from the byte before them to the byte after the c, and one
		// of the c alone, which overlaps it
		var wins []Span
		for i := len(text) - 1; i >= 0; i-- {
			if text[i]|0x20 == 'c' {
				s := i
				for s > 0 && strings.IndexByte(" \n\tbB", text[s-1]) >= 0 {
					s--
				}
				wins = append(wins, Span{s - 1, i + 2}, Span{i, i + 1})
			}
		}
		if got := FindAllIn(re, text, wins); !reflect.DeepEqual(got, want) {
			t.Fatalf("FindAllIn over %q: got %v, want %v", text, got, want)
		}
		if got := FindAllAt(at, text, starts); !reflect.DeepEqual(got, want) {
			t.Fatalf("FindAllAt over %q: got %v, want %v", text, got, want)
		}
	}
	if hits < 1000 {
		t.Errorf("only %d matches: the test says little", hits)
	}
}

func isWord(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}
