package ocr

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// OCR misreads: "0" for "O", "1" for "l", a dropped comma, a split word.
// Fuzzy finds values in a sequence of recognised words all the same: both
// sides are normalised (lower case, accents and everything but letters and
// digits dropped, letters that OCR confuses with digits folded together,
// word boundaries ignored), and a value matches where some run of the
// words is within a normalised edit distance of it.

// DefaultFuzz is the default edit-distance threshold: at most one edit in
// five characters.
const DefaultFuzz = 0.2

// MinFuzzyLen is the normalised length below which a value must match
// exactly (after normalisation): a 3-character value is within one edit
// of too much.
const MinFuzzyLen = 5

// Match is a value found in a word sequence.
type Match struct {
	Value       int // index in the values given
	First, Last int // word indices, inclusive
	// Dist is the normalised edit distance: edits / value length.
	Dist float64
}

// Fuzzy finds values in OCR text.
type Fuzzy struct {
	values    [][]rune
	threshold float64
	// words makes matches cover whole words (NewWordFuzzy).
	words bool
}

// NewFuzzy prepares values for matching with threshold (≤ 0 means
// DefaultFuzz). Values that normalise to nothing never match.
func NewFuzzy(values []string, threshold float64) *Fuzzy {
	if threshold <= 0 {
		threshold = DefaultFuzz
	}
	f := &Fuzzy{threshold: threshold}
	for _, v := range values {
		f.values = append(f.values, Normalize(v))
	}
	return f
}

// NewWordFuzzy is NewFuzzy for matches that cover whole words: the runes
// of a word that a match covers only in part count as edits ("Ann" does
// not match in "planning", "Abernalhy" and "Aber nathy" match
// "Abernathy", "Mr.Abernathy" is two edits from it). Use it where many
// values meet much text, as verification does: matching across word
// boundaries finds short values inside unrelated words.
func NewWordFuzzy(values []string, threshold float64) *Fuzzy {
	f := NewFuzzy(values, threshold)
	f.words = true
	return f
}

// Normalize returns the runes of s that Fuzzy compares: letters and
// digits, lower case, without accents, with look-alikes folded (o, q → 0;
// l, i, j → 1; s → 5; z → 2; b → 8; g → 9).
func Normalize(s string) []rune {
	var out []rune
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ł', 'Ł':
			r = 'l'
		case 'đ', 'Đ':
			r = 'd'
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		r = unicode.ToLower(r)
		switch r {
		case 'o', 'q':
			r = '0'
		case 'l', 'i', 'j':
			r = '1'
		case 's':
			r = '5'
		case 'z':
			r = '2'
		case 'b':
			r = '8'
		case 'g':
			r = '9'
		}
		out = append(out, r)
	}
	return out
}

// Find returns, for each value, the best match in words at or under the
// threshold (at most one per value and place: overlapping candidates keep
// the closest). Matches are sorted by first word.
func (f *Fuzzy) Find(words []string) []Match {
	var text []rune
	var owner []int // word index of each rune of text
	for i, w := range words {
		for _, r := range Normalize(w) {
			text = append(text, r)
			owner = append(owner, i)
		}
	}
	var out []Match
	for vi, v := range f.values {
		if len(v) == 0 || len(text) == 0 {
			continue
		}
		limit := int(f.threshold * float64(len(v)))
		if len(v) < MinFuzzyLen {
			limit = 0
		}
		var ms []span
		if f.words {
			ms = sellersWords(v, text, owner, limit)
		} else {
			ms = sellers(v, text, limit)
		}
		for _, m := range ms {
			out = append(out, Match{Value: vi, First: owner[m.start], Last: owner[m.end-1], Dist: float64(m.dist) / float64(len(v))})
		}
	}
	sortMatches(out)
	return out
}

type span struct{ start, end, dist int }

// sellers finds the substrings of text within limit edits of pat
// (approximate substring matching): for each local minimum of the
// distance at an end position, the best start. Non-overlapping results.
func sellers(pat, text []rune, limit int) []span {
	m := len(pat)
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	prevStart := make([]int, m+1)
	curStart := make([]int, m+1)
	for i := 0; i <= m; i++ {
		prev[i] = i
		prevStart[i] = 0
	}
	var cands []span
	for j := 1; j <= len(text); j++ {
		cur[0], curStart[0] = 0, j
		for i := 1; i <= m; i++ {
			cost := 1
			if pat[i-1] == text[j-1] {
				cost = 0
			}
			best, bs := prev[i-1]+cost, prevStart[i-1] // substitute / match
			if d := prev[i] + 1; d < best {            // text char extra
				best, bs = d, prevStart[i]
			}
			if d := cur[i-1] + 1; d < best { // pattern char missing
				best, bs = d, curStart[i-1]
			}
			cur[i], curStart[i] = best, bs
		}
		if cur[m] <= limit {
			cands = append(cands, span{curStart[m], j, cur[m]})
		}
		prev, cur = cur, prev
		prevStart, curStart = curStart, prevStart
	}
	return bestOfRuns(cands)
}

// sellersWords is sellers for matches that cover whole words (owner[k]
// is the word of text[k]): starting a match inside a word costs one edit
// per rune of the word before it, and ending one inside a word one edit
// per rune after it.
func sellersWords(pat, text []rune, owner []int, limit int) []span {
	n, m := len(text), len(pat)
	ws := make([]int, n) // the first rune of k's word
	we := make([]int, n) // one past the last rune of k's word
	for k := 0; k < n; k++ {
		if k > 0 && owner[k] == owner[k-1] {
			ws[k] = ws[k-1]
		} else {
			ws[k] = k
		}
	}
	for k := n - 1; k >= 0; k-- {
		if k+1 < n && owner[k] == owner[k+1] {
			we[k] = we[k+1]
		} else {
			we[k] = k + 1
		}
	}
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	prevStart := make([]int, m+1)
	curStart := make([]int, m+1)
	for i := 0; i <= m; i++ {
		prev[i] = i
	}
	var cands []span
	for j := 1; j <= n; j++ {
		cur[0], curStart[0] = 0, j
		if j < n {
			cur[0] = j - ws[j] // a match that starts at rune j
		}
		for i := 1; i <= m; i++ {
			cost := 1
			if pat[i-1] == text[j-1] {
				cost = 0
			}
			best, bs := prev[i-1]+cost, prevStart[i-1]
			if d := prev[i] + 1; d < best {
				best, bs = d, prevStart[i]
			}
			if d := cur[i-1] + 1; d < best {
				best, bs = d, curStart[i-1]
			}
			cur[i], curStart[i] = best, bs
		}
		if d := cur[m] + we[j-1] - j; d <= limit {
			cands = append(cands, span{curStart[m], j, d})
		}
		prev, cur = cur, prev
		prevStart, curStart = curStart, prevStart
	}
	return bestOfRuns(cands)
}

// bestOfRuns keeps the best of each run of overlapping candidates.
func bestOfRuns(cands []span) []span {
	var out []span
	for _, c := range cands {
		if c.end <= c.start {
			continue
		}
		if n := len(out); n > 0 && c.start < out[n-1].end {
			if c.dist < out[n-1].dist || (c.dist == out[n-1].dist && c.end-c.start < out[n-1].end-out[n-1].start) {
				out[n-1] = c
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

func sortMatches(ms []Match) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && (ms[j].First < ms[j-1].First || ms[j].First == ms[j-1].First && ms[j].Value < ms[j-1].Value); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// OneEdit reports whether a and b, normalised (Normalize), are the same
// or one edit apart (a letter changed, added or dropped) and both hold at
// least MinOneEditLen runes: a word OCR read twice, once with one letter
// misread ("Home" and "Hone"). Shorter strings are within one edit of
// too much to say anything.
func OneEdit(a, b string) bool {
	x, y := Normalize(a), Normalize(b)
	if len(x) < MinOneEditLen || len(y) < MinOneEditLen {
		return false
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	switch len(y) - len(x) {
	case 0:
		diff := 0
		for i := range x {
			if x[i] != y[i] {
				diff++
			}
		}
		return diff <= 1
	case 1:
		// y is x with one rune added: skip the first rune that differs.
		i := 0
		for i < len(x) && x[i] == y[i] {
			i++
		}
		for ; i < len(x); i++ {
			if x[i] != y[i+1] {
				return false
			}
		}
		return true
	}
	return false
}

// MinOneEditLen is the normalised length under which OneEdit never
// holds: one edit turns a two-letter word into hundreds of others.
const MinOneEditLen = 3
