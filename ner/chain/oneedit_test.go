package chain

import (
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// editWords returns words to ask an index about: every key of s, each
// typing error oneEdit tries of it (and so the words one error away),
// a few more, and the same in capitals.
func editWords(s lexicon.Set) []string {
	var out []string
	s.Each(func(k string) {
		out = append(out, k)
		r := []rune(k)
		for i := range r {
			out = append(out, string(r[:i])+string(r[i+1:]))
			if i+1 < len(r) {
				out = append(out, string(r[:i])+string(r[i+1])+string(r[i])+string(r[i+2:]))
			}
		}
		for i := 0; i <= len(r); i += 2 {
			for _, c := range "qz-é" {
				out = append(out, string(r[:i])+string(c)+string(r[i:]))
				if i < len(r) {
					out = append(out, string(r[:i])+string(c)+string(r[i+1:]))
				}
			}
		}
	})
	out = append(out, "", "a", "zz", "quillanby", "orsolya", strings.Repeat("x", 80), strings.Repeat("ab", 40)+"c")
	for _, w := range out[:len(out):len(out)] {
		out = append(out, strings.ToUpper(w))
	}
	return out
}

// TestEditIndexAgrees: near is oneEdit(w, s.Has), for the medications
// and a list of invented words with non-ASCII and repeated letters.
func TestEditIndexAgrees(t *testing.T) {
	for _, s := range []lexicon.Set{medications, lexicon.NewSet("quillanby", "everard", "zoë", "aa", "b", "tamsin-ro", "x9")} {
		x := newEditIndex(s)
		for _, w := range editWords(s) {
			if got, want := x.near(w), oneEdit(w, s.Has); got != want {
				t.Errorf("near(%q) = %v, oneEdit %v", w, got, want)
			}
		}
	}
}

// TestOneEditOf: oneEditOf(w, k) holds exactly when oneEdit(w, k ==)
// does, for pairs of short ASCII words.
func TestOneEditOf(t *testing.T) {
	words := []string{"", "a", "b", "ab", "ba", "aa", "aab", "aba", "abb", "abc", "acb", "bac", "a-b", "ab-", "a9", "9a", "abcd", "abdc", "abd", "xbcd"}
	for _, w := range words {
		for _, k := range words {
			if got, want := oneEditOf(w, k), oneEditSimple(w, func(x string) bool { return x == k }); got != want {
				t.Errorf("oneEditOf(%q, %q) = %v, oneEdit %v", w, k, got, want)
			}
		}
	}
}

func FuzzEditIndex(f *testing.F) {
	for _, s := range []string{"quilanby", "everadr", "zoe", "aaa", "tamsinro", "x", ""} {
		f.Add(s)
	}
	invented := lexicon.NewSet("quillanby", "everard", "zoë", "aa", "b", "tamsin-ro", "x9")
	xs := []*editIndex{newEditIndex(medications), newEditIndex(invented)}
	sets := []lexicon.Set{medications, invented}
	f.Fuzz(func(t *testing.T, w string) {
		for i, x := range xs {
			if got, want := x.near(w), oneEdit(w, sets[i].Has); got != want {
				t.Fatalf("near(%q) = %v, oneEdit %v", w, got, want)
			}
		}
	})
}

// BenchmarkMedicationTypos asks whether each word of the development
// sets of five letters or more is one typing error from a medicine, by
// the index (impl=index) and by oneEdit (impl=oneEdit):
// `benchstat -col /impl`.
func BenchmarkMedicationTypos(b *testing.B) {
	var words []string
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		docs, _ := evaldata.Bench(b, set)
		for _, d := range docs {
			for _, w := range ner.Words(d) {
				if len(w.Key) >= 5 {
					words = append(words, w.Key)
				}
			}
		}
	}
	for _, impl := range []string{"index", "oneEdit"} {
		b.Run("impl="+impl, func(b *testing.B) {
			for b.Loop() {
				for _, w := range words {
					if impl == "index" {
						medicationTypos.near(w)
					} else {
						oneEdit(w, medications.Has)
					}
				}
			}
		})
	}
}
