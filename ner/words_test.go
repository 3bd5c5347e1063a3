package ner

import (
	"strings"
	"testing"
)

// refWords is Words as first written: a word at a time, the slice grown
// by append.
func refWords(text string) []Word {
	var out []Word
	for i := 0; ; {
		w, next, ok := nextWord(text, i)
		if !ok {
			return out
		}
		out = append(out, w)
		i = next
	}
}

// checkWords compares Words with the reference and checks that an ASCII
// word's key is strings.ToLower of the word (the fold before lowerASCII).
func checkWords(t *testing.T, text string) {
	t.Helper()
	got, want := Words(text), refWords(text)
	if len(got) != len(want) {
		t.Fatalf("Words(%q): %d words, reference %d", text, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("Words(%q)[%d] = %+v, reference %+v", text, i, got[i], want[i])
		}
		if w := text[got[i].Start:got[i].End]; isASCIIString(w) && got[i].Key != strings.ToLower(w) {
			t.Fatalf("key of %q = %q, want %q", w, got[i].Key, strings.ToLower(w))
		}
	}
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

var wordSeeds = []string{"", " ", "Orsolya Quillanby met TAMSIN Everard, MRN 48213907.", "x", "ab-CD'eF",
	"(617) 555-0143 tAmSiN", strings.Repeat("Q", 63) + " " + strings.Repeat("Q", 64) + " " + strings.Repeat("qQ", 40),
	"Zürich ﬁnn Ѕmith Tamsin\u00adEverard ＡＢＣ Ołeńka İlkavar Straße \xff\xfeab e\u0301 Ǆemal Ⅻ 한국어 ﷺ",
	"  «Ołeńka» x\u200b y -- z", strings.Repeat("a1 ", 200)}

func TestWordsAgreeWithReference(t *testing.T) {
	for _, s := range wordSeeds {
		checkWords(t, s)
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range wordSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { checkWords(t, text) })
}
