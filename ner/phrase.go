package ner

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/veilhq/veil/ner/textform"
)

// Word is a run of letters, marks and digits in a text, with its comparison
// key. Invisible characters inside it (a soft hyphen, a zero-width space:
// textform.Invisible) are part of the word, not separators.
type Word struct {
	Start, End int
	// Key is the word folded for comparison: compatibility-decomposed
	// (ligatures "ﬁ" become "fi"), diacritics and invisible characters
	// removed, letters that look Latin made Latin (a Cyrillic "а" is
	// "a": textform.Latin), lower case.
	Key string
	// Capital reports whether the word starts with an upper-case letter.
	Capital bool
}

// Words splits text into runs of letters, marks and digits. Apostrophes,
// hyphens and all punctuation separate words, so "O’Neill" and "O'Neill" both
// give "o" "neill".
func Words(text string) []Word {
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

// nextWord returns the first word of text at or after byte i, and the
// offset after it.
func nextWord(text string, i int) (Word, int, bool) {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			break
		}
		i += n
	}
	if i >= len(text) {
		return Word{}, i, false
	}
	start, ascii := i, true
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if !textform.Invisible(r) || !wordRuneAt(text, i+n) {
				break
			}
		}
		if r >= utf8.RuneSelf {
			ascii = false
		}
		i += n
	}
	first, _ := utf8.DecodeRuneInString(text[start:])
	return Word{Start: start, End: i, Key: foldWord(text[start:i], ascii), Capital: unicode.IsUpper(first)}, i, true
}

// Fold returns the comparison keys of the words of s.
func Fold(s string) []string {
	ws := Words(s)
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Key
	}
	return out
}

func foldWord(w string, ascii bool) string {
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(w) {
		if unicode.Is(unicode.Mn, r) || textform.Invisible(r) {
			continue
		}
		if l, ok := textform.Latin(r); ok {
			r = l
			if d := norm.NFD.String(string(l)); len(d) > 1 {
				r, _ = utf8.DecodeRuneInString(d) // an accented look-alike: its letter
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordRuneAt reports whether a word rune follows at i, after any more
// invisible characters.
func wordRuneAt(text string, i int) bool {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !textform.Invisible(r) {
			return isWordRune(r)
		}
		i += n
	}
	return false
}

// Phrase is a word sequence to find.
type Phrase struct {
	Keys []string // folded words, as Fold returns them
	// CapitalOnly restricts matches to occurrences whose first word is
	// capitalised (names that are also ordinary words: "Rose").
	CapitalOnly bool
}

// Match is an occurrence of phrase Index in a text.
type Match struct {
	Start, End int
	Index      int
}

// PhraseMatcher finds word sequences in texts, case- and accent-insensitively,
// ignoring punctuation, line breaks and indentation between words, and
// seeing through the forms of ner/textform (soft hyphens and zero-width
// characters, hyphenation at line breaks, look-alike letters, letter
// spacing): it matches in the text and in its view. It is immutable and
// safe for concurrent use; matching is linear in the number of words of
// the text (times the words of the longest match), however many phrases
// share their first words: the phrases are a trie of words.
type PhraseMatcher struct {
	phrases []Phrase
	// nodes of the trie; node 0 is the root. edges maps a node and a word
	// to the node after it.
	nodes  []phraseNode
	edges  map[phraseEdge]int32
	maxLen int // words in the longest phrase
}

type phraseEdge struct {
	from int32
	key  string
}

// phraseNode is the end of the phrases whose words lead to it: the lowest
// index of them (-1 if none), and the lowest of those without CapitalOnly.
type phraseNode struct {
	any, anyCase int32
}

// NewPhraseMatcher indexes phrases; empty phrases are ignored.
func NewPhraseMatcher(phrases []Phrase) *PhraseMatcher {
	m := &PhraseMatcher{phrases: phrases, nodes: []phraseNode{{-1, -1}}, edges: map[phraseEdge]int32{}}
	for i, p := range phrases {
		if len(p.Keys) == 0 {
			continue
		}
		m.maxLen = max(m.maxLen, len(p.Keys))
		at := int32(0)
		for _, k := range p.Keys {
			e := phraseEdge{at, k}
			next, ok := m.edges[e]
			if !ok {
				next = int32(len(m.nodes))
				m.nodes = append(m.nodes, phraseNode{-1, -1})
				m.edges[e] = next
			}
			at = next
		}
		n := &m.nodes[at]
		if n.any < 0 {
			n.any = int32(i)
		}
		if n.anyCase < 0 && !p.CapitalOnly {
			n.anyCase = int32(i)
		}
	}
	return m
}

// Len returns the number of phrases.
func (m *PhraseMatcher) Len() int { return len(m.phrases) }

// FindAll returns non-overlapping matches from left to right; where several
// phrases match at one word, the longest wins, then the lowest index. A
// match in the view of text (textform.Of) covers the whole form it was
// read from. It reads the words of text as it goes and holds at most as
// many as the longest phrase has, so memory does not grow with the text.
func (m *PhraseMatcher) FindAll(text string) []Match {
	if m.maxLen == 0 {
		return nil
	}
	out := m.findAll(text)
	v := textform.Of(text)
	if !v.Changed() {
		return out
	}
	for _, mt := range m.findAll(v.Text) {
		mt.Start, mt.End = v.Span(mt.Start, mt.End)
		out = append(out, mt)
	}
	return nonOverlapping(out)
}

// nonOverlapping keeps, from left to right, the longest match at each
// place (then the lowest index) and drops those that overlap it.
func nonOverlapping(ms []Match) []Match {
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End > b.End
		}
		return a.Index < b.Index
	})
	out := ms[:0]
	for _, mt := range ms {
		if n := len(out); n > 0 && mt.Start < out[n-1].End {
			continue
		}
		out = append(out, mt)
	}
	return out
}

func (m *PhraseMatcher) findAll(text string) []Match {
	var out []Match
	win := make([]Word, 0, 2*m.maxLen)
	pos := 0
	fill := func(n int) {
		for len(win) < n {
			w, next, ok := nextWord(text, pos)
			if !ok {
				return
			}
			win, pos = append(win, w), next
		}
	}
	for {
		fill(m.maxLen)
		if len(win) == 0 {
			return out
		}
		// Walk the trie along the window; the deepest node that ends a
		// phrase this occurrence may take is the longest match.
		best, bestLen := int32(-1), 0
		at := int32(0)
		for k := 0; k < len(win); k++ {
			if k > 0 && !closeEnough(text, win[k-1].End, win[k].Start) {
				break
			}
			next, ok := m.edges[phraseEdge{at, win[k].Key}]
			if !ok {
				break
			}
			at = next
			idx := m.nodes[at].anyCase
			if win[0].Capital {
				idx = m.nodes[at].any
			}
			if idx >= 0 {
				best, bestLen = idx, k+1
			}
		}
		n := 1
		if best >= 0 {
			n = bestLen
			out = append(out, Match{Start: win[0].Start, End: win[n-1].End, Index: int(best)})
		}
		// Drop the words used; copy down so the window's array is reused.
		win = win[:copy(win, win[n:])]
	}
}

// closeEnough reports whether two words of a phrase are separated only by a
// little punctuation and whitespace (a line break and indentation included).
func closeEnough(text string, end, start int) bool {
	gap := text[end:start]
	if len(gap) <= 8 {
		return true
	}
	return len(gap) <= 64 && strings.TrimSpace(gap) == ""
}
