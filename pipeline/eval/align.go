package eval

import "unicode"

// This file reproduces the word alignment of shared/eval/score.py (Python's
// difflib.SequenceMatcher with autojunk=False, and its _mark_block rule), so
// that `veil eval` and score.py agree on which characters a redacted text
// masks.

// isSpace reports whether r is whitespace as Python's str.isspace sees it:
// Unicode White_Space plus the information separators U+001C..U+001F.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// isAlnum is Python's str.isalnum for one character: a letter or a number.
func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// isWord is Python's regex \w for str patterns: alphanumeric or underscore.
func isWord(r rune) bool { return isAlnum(r) || r == '_' }

// span is a half-open range of rune indices.
type span struct{ s, e int }

// words returns the whitespace-delimited words of rs (Python's \S+).
func words(rs []rune) []span {
	var out []span
	for i := 0; i < len(rs); {
		if isSpace(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && !isSpace(rs[j]) {
			j++
		}
		out = append(out, span{i, j})
		i = j
	}
	return out
}

type block struct{ a, b, size int }

type opcode struct {
	tag            byte // 'r'eplace, 'd'elete, 'i'nsert, 'e'qual
	i1, i2, j1, j2 int
}

// matcher is difflib.SequenceMatcher over integer-coded sequences, with no
// junk and no popularity heuristic.
type matcher struct {
	a, b []int
	b2j  map[int][]int
}

func newMatcher(a, b []int) *matcher {
	m := &matcher{a: a, b: b, b2j: map[int][]int{}}
	for j, x := range b {
		m.b2j[x] = append(m.b2j[x], j)
	}
	return m
}

func (m *matcher) longest(alo, ahi, blo, bhi int) block {
	besti, bestj, bestsize := alo, blo, 0
	j2len := map[int]int{}
	for i := alo; i < ahi; i++ {
		newj2len := map[int]int{}
		for _, j := range m.b2j[m.a[i]] {
			if j < blo {
				continue
			}
			if j >= bhi {
				break
			}
			k := j2len[j-1] + 1
			newj2len[j] = k
			if k > bestsize {
				besti, bestj, bestsize = i-k+1, j-k+1, k
			}
		}
		j2len = newj2len
	}
	for besti > alo && bestj > blo && m.a[besti-1] == m.b[bestj-1] {
		besti, bestj, bestsize = besti-1, bestj-1, bestsize+1
	}
	for besti+bestsize < ahi && bestj+bestsize < bhi && m.a[besti+bestsize] == m.b[bestj+bestsize] {
		bestsize++
	}
	return block{besti, bestj, bestsize}
}

func (m *matcher) matchingBlocks() []block {
	type q struct{ alo, ahi, blo, bhi int }
	queue := []q{{0, len(m.a), 0, len(m.b)}}
	var blocks []block
	for len(queue) > 0 {
		x := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		b := m.longest(x.alo, x.ahi, x.blo, x.bhi)
		if b.size == 0 {
			continue
		}
		blocks = append(blocks, b)
		if x.alo < b.a && x.blo < b.b {
			queue = append(queue, q{x.alo, b.a, x.blo, b.b})
		}
		if b.a+b.size < x.ahi && b.b+b.size < x.bhi {
			queue = append(queue, q{b.a + b.size, x.ahi, b.b + b.size, x.bhi})
		}
	}
	sortBlocks(blocks)
	var out []block
	i1, j1, k1 := 0, 0, 0
	for _, b := range blocks {
		if i1+k1 == b.a && j1+k1 == b.b {
			k1 += b.size
			continue
		}
		if k1 > 0 {
			out = append(out, block{i1, j1, k1})
		}
		i1, j1, k1 = b.a, b.b, b.size
	}
	if k1 > 0 {
		out = append(out, block{i1, j1, k1})
	}
	return append(out, block{len(m.a), len(m.b), 0})
}

func sortBlocks(bs []block) {
	// insertion sort on (a, b, size): blocks are few and nearly sorted
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0 && lessBlock(bs[j], bs[j-1]); j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
		}
	}
}

func lessBlock(x, y block) bool {
	if x.a != y.a {
		return x.a < y.a
	}
	if x.b != y.b {
		return x.b < y.b
	}
	return x.size < y.size
}

func (m *matcher) opcodes() []opcode {
	var out []opcode
	i, j := 0, 0
	for _, b := range m.matchingBlocks() {
		var tag byte
		switch {
		case i < b.a && j < b.b:
			tag = 'r'
		case i < b.a:
			tag = 'd'
		case j < b.b:
			tag = 'i'
		}
		if tag != 0 {
			out = append(out, opcode{tag, i, b.a, j, b.b})
		}
		i, j = b.a+b.size, b.b+b.size
		if b.size > 0 {
			out = append(out, opcode{'e', b.a, i, b.b, j})
		}
	}
	return out
}

// MaskRedacted returns, for each rune of text, whether the redacted text
// masks it (deletes or replaces it), by score.py's word alignment rule.
func MaskRedacted(text, redacted string) []bool {
	orig := []rune(text)
	red := []rune(redacted)
	ow, rw := words(orig), words(red)
	codes := map[string]int{}
	code := func(rs []rune, w span) int {
		s := string(rs[w.s:w.e])
		c, ok := codes[s]
		if !ok {
			c = len(codes)
			codes[s] = c
		}
		return c
	}
	a := make([]int, len(ow))
	for i, w := range ow {
		a[i] = code(orig, w)
	}
	b := make([]int, len(rw))
	for i, w := range rw {
		b[i] = code(red, w)
	}
	masked := make([]bool, len(orig))
	for _, op := range newMatcher(a, b).opcodes() {
		switch op.tag {
		case 'd':
			for _, w := range ow[op.i1:op.i2] {
				for i := w.s; i < w.e; i++ {
					masked[i] = true
				}
			}
		case 'r':
			var rws [][]rune
			for _, w := range rw[op.j1:op.j2] {
				rws = append(rws, red[w.s:w.e])
			}
			markBlock(masked, orig, ow[op.i1:op.i2], rws)
		}
	}
	return masked
}

// markBlock masks the original words ow replaced by the words rw: every
// character except a common prefix and suffix, which are cut back to a
// punctuation boundary when the replacement brings letters or digits of its
// own. With as many words on both sides it goes word by word.
func markBlock(masked []bool, text []rune, ow []span, rw [][]rune) {
	type pair struct {
		o []span
		r [][]rune
	}
	var pairs []pair
	if len(ow) == len(rw) {
		for i := range ow {
			pairs = append(pairs, pair{ow[i : i+1], rw[i : i+1]})
		}
	} else {
		pairs = []pair{{ow, rw}}
	}
	for _, pr := range pairs {
		var pos []int
		var ostr, rstr []rune
		for _, w := range pr.o {
			for i := w.s; i < w.e; i++ {
				pos = append(pos, i)
				ostr = append(ostr, text[i])
			}
		}
		for _, r := range pr.r {
			rstr = append(rstr, r...)
		}
		p := 0
		for p < len(ostr) && p < len(rstr) && ostr[p] == rstr[p] {
			p++
		}
		limit := min(len(ostr), len(rstr)) - p
		q := 0
		for q < limit && ostr[len(ostr)-1-q] == rstr[len(rstr)-1-q] {
			q++
		}
		brings := false
		for _, c := range rstr[p : len(rstr)-q] {
			if isAlnum(c) {
				brings = true
				break
			}
		}
		if brings {
			for p > 0 && isAlnum(ostr[p-1]) {
				p--
			}
			k := len(ostr) - q
			for q > 0 && isAlnum(ostr[k]) {
				k++
				q--
			}
		}
		for k := p; k < len(pos)-q; k++ {
			masked[pos[k]] = true
		}
	}
}

// MaskSpans returns the mask of text (in runes) covered by spans given in
// rune offsets; out-of-range offsets are clipped.
func MaskSpans(nrunes int, spans []Span) []bool {
	masked := make([]bool, nrunes)
	for _, sp := range spans {
		s, e := max(0, sp.Start), min(nrunes, sp.End)
		for i := s; i < e; i++ {
			masked[i] = true
		}
	}
	return masked
}
