package ner

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// findAllBefore is findAll as it was before the first-word filter
// (mayBegin): every word goes through the window and is looked up in
// first. The oracle of FuzzFirstWordFilter.
func findAllBefore(m *PhraseMatcher, text string) []Match {
	var out []Match
	// The window holds the words read ahead: win[h:] are still to start
	// a match at; the words before h are dropped by copying the rest down
	// once h passes maxLen, so the array is reused.
	win := make([]span, 0, 2*m.maxLen+1)
	h, pos := 0, 0
	var lower []byte // the first word's key, for an ASCII word
	key := func(w *span) string {
		if !w.keyed {
			w.key, w.keyed = foldWord(text[w.start:w.end], w.ascii), true
		}
		return w.key
	}
	for {
		if h > m.maxLen {
			win, h = win[:copy(win, win[h:])], 0
		}
		for len(win)-h < m.maxLen {
			start, end, ascii, ok := nextSpan(text, pos)
			if !ok {
				break
			}
			win, pos = append(win, span{start: start, end: end, ascii: ascii}), end
		}
		w := win[h:]
		if len(w) == 0 {
			return out
		}
		// The first step from the root, without making a key: an ASCII
		// word's key is its lower case (foldWord).
		var at int32
		var ok bool
		if w[0].ascii {
			lower = AppendLowerASCII(lower[:0], text[w[0].start:w[0].end])
			at, ok = m.first[string(lower)]
		} else {
			at, ok = m.first[key(&w[0])]
		}
		if !ok {
			h++
			continue
		}
		// Walk the trie along the window; the deepest node that ends a
		// phrase this occurrence may take is the longest match.
		first, _ := utf8.DecodeRuneInString(text[w[0].start:])
		capital := unicode.IsUpper(first)
		best, bestLen := int32(-1), 0
		for k := 0; k < len(w); k++ {
			if k > 0 {
				if !closeEnough(text, w[k-1].end, w[k].start) {
					break
				}
				next, ok := m.edges[phraseEdge{at, key(&w[k])}]
				if !ok {
					break
				}
				at = next
			}
			idx := m.nodes[at].anyCase
			if capital {
				idx = m.nodes[at].any
			}
			if idx >= 0 {
				best, bestLen = idx, k+1
			}
		}
		n := 1
		if best >= 0 {
			n = bestLen
			out = append(out, Match{Start: w[0].start, End: w[n-1].end, Index: int(best)})
		}
		h += n
	}
}

// phrasesOf makes the phrases of a fuzz input: one a line, every other
// one CapitalOnly.
func phrasesOf(s string) []Phrase {
	var ps []Phrase
	for i, l := range strings.Split(s, "\n") {
		ps = append(ps, Phrase{Keys: Fold(l), CapitalOnly: i%2 == 1})
	}
	return ps
}

// The filter passes over words that cannot begin a phrase and nothing
// else: the same matches as the matcher without it, in the text and in its
// view, for phrases and texts of ASCII and other letters.
func FuzzFirstWordFilter(f *testing.F) {
	f.Add("Orsolya Quillanby\nQuillanby\nTamsin Everard", "Dr orsolya  QUILLANBY met Tamsin\n  Everard; Quillanby, Orsolya. quillanby")
	f.Add("Élodie Marchetti\nstraße 4\nA", "ELODIE Marchetti, élodie marchetti, Strasse 4 straße 4 a A b")
	f.Add("ab\nabc d\nab c\nx y z", "ab abc d ab c x y x y z abc")
	f.Add("Tamsin\nTAMSIN Everard", "T a m s i n   E v e r a r d, Tam\u00ADsin Everard, Тamsin")
	f.Add("w:t\nrId7", "<w:t>Tamsin</w:t><w:r rId7=\"x\">")
	f.Fuzz(func(t *testing.T, phrases, text string) {
		if !utf8.ValidString(text) || len(phrases) > 400 {
			return
		}
		m := NewPhraseMatcher(phrasesOf(phrases))
		if m.maxLen == 0 {
			return
		}
		for _, s := range []string{text, strings.ToUpper(text), text + " " + phrases} {
			if got, want := m.findAll(s), findAllBefore(m, s); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("with the filter %v, without %v", got, want)
			}
		}
	})
}

// mayBegin never refuses the first word of a phrase, whatever its case.
func TestMayBegin(t *testing.T) {
	m := NewPhraseMatcher(phrasesOf("Orsolya Quillanby\nrId\nx\n" + strings.Repeat("a", 70)))
	for _, w := range []string{"Orsolya", "ORSOLYA", "orsolya", "RID", "x", "X", strings.Repeat("A", 70)} {
		if !m.mayBegin(w) {
			t.Errorf("mayBegin(%q) = false", w)
		}
	}
	refused := 0
	for _, w := range []string{"Quillanby", "Orsolyas", "y", "rI", "the", "a"} {
		if !m.mayBegin(w) {
			refused++
		}
	}
	if refused < 6 { // "a": a first key's first byte ("a"×70), another's length ("x")
		t.Errorf("mayBegin passes %d of 6 words that begin no phrase", 6-refused)
	}
}

// mayBegin holds lengths per first byte: a word of markup with the first
// byte of one first key and the length of another is refused, as are words
// of the lengths of the first keys that share its first byte only in
// another case.
func TestMayBeginPairsByteAndLength(t *testing.T) {
	m := NewPhraseMatcher(phrasesOf("Vilmorand Quay\nStenhavel\nWerbling\nTamsin Everard"))
	for _, w := range []string{"val", "style", "wrap", "type", "the", "tamsinxyz", "Stencils", "velvet", "Tamsin", "TAMSIN", "tamsix", "Stenhavel", "VILMORAND", "Werbling"} {
		want := map[string]bool{"Tamsin": true, "TAMSIN": true, "tamsix": true, "Stenhavel": true, "VILMORAND": true, "Werbling": true}[w]
		if got := m.mayBegin(w); got != want {
			t.Errorf("mayBegin(%q) = %v; want %v", w, got, want)
		}
	}
}
