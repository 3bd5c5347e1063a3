package litfilter

import "strings"

// Multi asks several filters of one text at once: MayMatch(lower)[i] is
// filters[i].MayMatch(lower). Each filter alone searches the text once
// per literal (residuals' five expressions: some 130 searches of every
// part); Multi reads the text once, and compares literals only where
// one of them has its first two bytes. Immutable once made.
type Multi struct {
	filters []*Filter
	// pairs has the bit of every literal's first two bytes (b0<<8 | b1)
	pairs [1 << 16 / 64]uint64
	// byPair holds, for each such pair, the literals that begin with it
	// and the index of their filter
	byPair map[uint16][]multiLit
	fold   bool // some filter folds case (Filter.fold)
}

type multiLit struct {
	lit string
	i   int
}

// NewMulti returns the Multi of filters (nil ones included: they let
// every text through).
func NewMulti(filters []*Filter) *Multi {
	m := &Multi{filters: filters, byPair: map[uint16][]multiLit{}}
	for i, f := range filters {
		if f == nil {
			continue
		}
		m.fold = m.fold || f.fold
		for _, l := range f.any {
			// For makes no filter whose shortest literal has fewer than
			// minLiteral bytes, so every literal has a first pair.
			p := uint16(l[0])<<8 | uint16(l[1])
			m.pairs[p/64] |= 1 << (p % 64)
			m.byPair[p] = append(m.byPair[p], multiLit{l, i})
		}
	}
	return m
}

// MayMatch returns, for every filter i, filters[i].MayMatch(lower), in
// out (grown as needed) and cleared first.
func (m *Multi) MayMatch(lower string, out []bool) []bool {
	out = append(out[:0], make([]bool, len(m.filters))...)
	left := 0
	for i, f := range m.filters {
		if f == nil {
			out[i] = true
			continue
		}
		left++
	}
	if left > 0 && m.fold && (strings.Contains(lower, "\u212a") || strings.Contains(lower, "\u017f")) {
		for i, f := range m.filters {
			if f != nil && f.fold {
				out[i] = true
				left--
			}
		}
	}
	for j := 0; left > 0 && j+1 < len(lower); j++ {
		p := uint16(lower[j])<<8 | uint16(lower[j+1])
		if m.pairs[p/64]&(1<<(p%64)) == 0 {
			continue
		}
		for _, l := range m.byPair[p] {
			if !out[l.i] && strings.HasPrefix(lower[j:], l.lit) {
				out[l.i] = true
				left--
			}
		}
	}
	return out
}
