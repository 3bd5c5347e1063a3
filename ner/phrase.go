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
	// 5 bytes a word with its space: one allocation for nearly every
	// text. 6 (English prose) was short for 723 of the 984 clinical
	// notes of the development set (5.6 bytes a word), which then paid a
	// doubling and a copy; 5 is short for 39 of them and leaves 13 % of
	// the words' room unused (23 % in judgments). Counting the words
	// first cost more in whole runs than the copies it saved.
	var out []Word
	for i := 0; ; {
		w, next, ok := nextWord(text, i)
		if !ok {
			return out
		}
		if out == nil {
			out = make([]Word, 0, (len(text)-w.Start)/5+1)
		}
		out = append(out, w)
		i = next
	}
}

// FirstWord returns the first word of text as Words would, without
// splitting the rest: false when text has none.
func FirstWord(text string) (Word, bool) {
	w, _, ok := nextWord(text, 0)
	return w, ok
}

// nextWord returns the first word of text at or after byte i, and the
// offset after it.
func nextWord(text string, i int) (Word, int, bool) {
	start, end, ascii, ok := nextSpan(text, i)
	if !ok {
		return Word{}, end, false
	}
	first, _ := utf8.DecodeRuneInString(text[start:])
	return Word{Start: start, End: end, Key: foldWord(text[start:end], ascii), Capital: unicode.IsUpper(first)}, end, true
}

// asciiWord marks the ASCII bytes that are word runes (isWordRune): no
// other ASCII character is a letter, a digit, a mark or invisible
// (textform.Invisible).
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

// nextSpan returns the bounds of the first word of text at or after byte
// i, and whether it is all ASCII; end is len(text) when there is none.
// ASCII bytes are read one at a time, other runes decoded.
func nextSpan(text string, i int) (start, end int, ascii, ok bool) {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiWord[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			break
		}
		i += n
	}
	if i >= len(text) {
		return i, i, false, false
	}
	start, ascii = i, true
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if !asciiWord[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if !textform.Invisible(r) || !wordRuneAt(text, i+n) {
				break
			}
		}
		ascii = false
		i += n
	}
	return start, i, ascii, true
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
		for i := 0; i < len(w); i++ {
			if c := w[i]; 'A' <= c && c <= 'Z' {
				return lowerASCII(w, i)
			}
		}
		return w // already lower case: the key is the text's own bytes
	}
	// Folded in a buffer on the stack: the key is the one string made
	// (and the decomposition, for a word that has one).
	d := w
	if !norm.NFKD.IsNormalString(w) {
		d = norm.NFKD.String(w)
	}
	var kb [64]byte
	k := kb[:0]
	for i := 0; i < len(d); {
		r, n := utf8.DecodeRuneInString(d[i:])
		i += n
		if unicode.Is(unicode.Mn, r) || textform.Invisible(r) {
			continue
		}
		if l, ok := textform.Latin(r); ok {
			r = l
			if d := norm.NFD.String(string(l)); len(d) > 1 {
				r, _ = utf8.DecodeRuneInString(d) // an accented look-alike: its letter
			}
		}
		k = utf8.AppendRune(k, unicode.ToLower(r))
	}
	return string(k)
}

// lowerASCII is strings.ToLower of the ASCII word w whose first upper-case
// letter is at i: lowered in a buffer on the stack, so that the key is the
// one allocation (strings.ToLower reads the word twice and grows a
// Builder).
func lowerASCII(w string, i int) string {
	var buf [64]byte
	b := buf[:0]
	if len(w) > len(buf) {
		b = make([]byte, 0, len(w))
	}
	b = append(b, w...)
	for ; i < len(b); i++ {
		if c := b[i]; 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
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
	// Digits makes the phrase a number: Keys is one key of ASCII digits,
	// and the phrase matches any run of whole words of digits, apart only
	// by digit separators (isDigitGap: spaces, hyphens, dots, slashes,
	// parentheses), whose digits together are the key, however the text
	// groups them: "6175550143" matches "(617) 555-0143" and "617-5550143".
	// A match never begins or ends inside a word ("16175550143" holds no
	// match of "6175550143"). CapitalOnly does not apply.
	Digits bool
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
	nodes []phraseNode
	edges map[phraseEdge]int32
	// first maps a word to the node after the root (the edges from node
	// 0 again, looked up without making a key).
	first  map[string]int32
	maxLen int // words in the longest phrase
	// firstLens filters the ASCII words that may begin a phrase before
	// first is asked: an ASCII word's key is its lower case, so it begins
	// a phrase only if some first key has both its first byte and its
	// length: firstLens[b] has bit min(len, 63) for each first key of
	// first byte b and that length. (Held per first byte, not as a set of
	// first bytes and a set of lengths: verify's removed values are a few
	// dozen names, and between them their first bytes and their lengths
	// let most words of markup through, "val" and "style" among them.)
	firstLens [utf8.RuneSelf]uint64
	// digits maps the key of each Digits phrase to its lowest index;
	// maxDigits is the longest such key.
	digits    map[string]int
	maxDigits int
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
	m := &PhraseMatcher{phrases: phrases, nodes: []phraseNode{{-1, -1}}, edges: map[phraseEdge]int32{}, first: map[string]int32{}}
	for i, p := range phrases {
		if len(p.Keys) == 0 {
			continue
		}
		if p.Digits {
			if len(p.Keys) != 1 || !allDigits(p.Keys[0]) {
				continue // not a number: matches nothing
			}
			if m.digits == nil {
				m.digits = map[string]int{}
			}
			if _, ok := m.digits[p.Keys[0]]; !ok {
				m.digits[p.Keys[0]] = i
			}
			m.maxDigits = max(m.maxDigits, len(p.Keys[0]))
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
				if at == 0 {
					m.first[k] = next
					if k != "" && k[0] < utf8.RuneSelf { // a key may be empty: a word of marks only
						m.firstLens[k[0]] |= 1 << min(len(k), 63)
					}
				}
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
	if m.maxLen == 0 && m.maxDigits == 0 {
		return nil
	}
	out := m.find(text)
	v := textform.Of(text)
	if !v.Changed() {
		if m.maxDigits > 0 && m.maxLen > 0 {
			return nonOverlapping(out)
		}
		return out
	}
	for _, mt := range m.find(v.Text) {
		mt.Start, mt.End = v.Span(mt.Start, mt.End)
		out = append(out, mt)
	}
	return nonOverlapping(out)
}

// find returns the matches of the word phrases (findAll) and of the
// Digits phrases (findDigits) in text, the first before the second.
func (m *PhraseMatcher) find(text string) []Match {
	var out []Match
	if m.maxLen > 0 {
		out = m.findAll(text)
	}
	if m.maxDigits > 0 {
		out = m.findDigits(text, out)
	}
	return out
}

// findDigits appends to out the matches of the Digits phrases in text,
// from left to right, the longest at each word of digits: from each such
// word it reads on over words of digits apart only by digit separators
// while their digits are no longer than the longest key, so its cost is
// linear in the words of text (times the digits of the longest key).
func (m *PhraseMatcher) findDigits(text string, out []Match) []Match {
	var buf []byte
	for pos := 0; ; {
		start, end, ascii, ok := nextSpan(text, pos)
		if !ok {
			return out
		}
		pos = end
		if !ascii || end-start > m.maxDigits || !allDigits(text[start:end]) {
			continue
		}
		buf = append(buf[:0], text[start:end]...)
		best, bestEnd := -1, 0
		for e := end; ; {
			if i, ok := m.digits[string(buf)]; ok {
				best, bestEnd = i, e
			}
			s2, e2, a2, ok := nextSpan(text, e)
			if !ok || !a2 || len(buf)+e2-s2 > m.maxDigits || !isDigitGap(text[e:s2]) || !allDigits(text[s2:e2]) {
				break
			}
			buf, e = append(buf, text[s2:e2]...), e2
		}
		if best >= 0 {
			if start > 0 && text[start-1] == '(' && strings.IndexByte(text[start:bestEnd], ')') >= 0 {
				start-- // the parenthesis of an area code: "(617) 555-0143"
			}
			out = append(out, Match{Start: start, End: bestEnd, Index: best})
			pos = bestEnd
		}
	}
}

// isDigitGap reports whether gap, between two words of digits, is only
// the separators a number is grouped with, at most 8 bytes of them:
// whitespace (a line break included), hyphens and dashes, dots, slashes
// and parentheses.
func isDigitGap(gap string) bool {
	if gap == "" || len(gap) > 8 {
		return false
	}
	for _, r := range gap {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u202f' || r == '\u2009':
		case r == '-' || r == '.' || r == '/' || r == '(' || r == ')':
		case unicode.Is(unicode.Pd, r) || r == '\u2212':
		default:
			return false
		}
	}
	return true
}

// allDigits reports whether s is ASCII digits, at least one.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
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

// span is a word of findAll's window, its key folded when first needed.
type span struct {
	start, end int
	ascii      bool
	keyed      bool
	key        string
}

func (m *PhraseMatcher) findAll(text string) []Match {
	var out []Match
	// The window holds the words read ahead: win[h:] are still to start
	// a match at; the words before h are dropped by copying the rest down
	// once h passes maxLen, so the array is reused. A word that cannot
	// begin a phrase (mayBegin) is passed over without reading ahead, and
	// while none is read ahead, without the window.
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
		if h == len(win) {
			// No word read ahead: skip, without the window, the words
			// that cannot begin a phrase.
			win, h = win[:0], 0
			for {
				start, end, ascii, ok := nextSpan(text, pos)
				if !ok {
					return out
				}
				pos = end
				if !ascii || m.mayBegin(text[start:end]) {
					win = append(win, span{start: start, end: end, ascii: ascii})
					break
				}
			}
		}
		if c := win[h]; c.ascii && !m.mayBegin(text[c.start:c.end]) {
			h++ // a word read ahead that cannot begin a phrase
			continue
		}
		for len(win)-h < m.maxLen {
			start, end, ascii, ok := nextSpan(text, pos)
			if !ok {
				break
			}
			win, pos = append(win, span{start: start, end: end, ascii: ascii}), end
		}
		w := win[h:]
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

// mayBegin reports whether the ASCII word w may be the first word of a
// phrase: false means its key is not in m.first.
func (m *PhraseMatcher) mayBegin(w string) bool {
	c := w[0]
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return m.firstLens[c]&(1<<min(len(w), 63)) != 0
}

// IsASCII reports whether s is all ASCII (no byte of utf8.RuneSelf or
// above).
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// AppendLowerASCII appends s, all ASCII, in lower case (as strings.ToLower
// makes it) to b: only A-Z change, byte by byte. A byte beyond ASCII is
// copied as it is (strings.ToLower would not), so callers check IsASCII.
func AppendLowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
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
