package pattern

import (
	"math/bits"
	"slices"
)

// leadSet is a set of the rules of a leadIndex, one bit a rule.
type leadSet [2]uint64

// maxLeadRules is how many digit-anchored rules a leadIndex holds; the
// rules after them find their candidates with appendLead.
const maxLeadRules = 128

func (s leadSet) and(o leadSet) leadSet { return leadSet{s[0] & o[0], s[1] & o[1]} }
func (s leadSet) or(o leadSet) leadSet  { return leadSet{s[0] | o[0], s[1] | o[1]} }
func (s leadSet) empty() bool           { return s[0]|s[1] == 0 }
func (s *leadSet) add(b int)            { s[b>>6] |= 1 << (b & 63) }

// leadIndex finds the candidates of every rule anchored at digits in one
// pass over the digit runs' starts, where appendLead, once per rule,
// reads each start and the Lead bytes before it again for every rule: at
// an offset, the rules that canStart there are the intersection of
// per-byte sets, one set for the offset's byte (first) and one for each
// of the next bytes (prefix), each computed once at build.
//
// For every rule r with a bit (r.leadBit >= 0), fill's list of r holds
// the offsets appendLead(nil, text, starts) returns for r, in another
// order (per start, from the start back): appendAnchored sorts its
// candidates and skips repeats, so its findings are the same.
type leadIndex struct {
	rules   []*Rule // the rules with a bit, bit i for rules[i]
	maxLead int     // the largest Lead of rules
	first   [256]leadSet
	// pre[i][c]: the rules whose offset i of a match can hold byte c
	// (every byte when its prefix is shorter than i+1 or nil there)
	pre [][256]leadSet
	// end[i]: the rules whose prefix is at most i bytes long (the text
	// ends i bytes after the offset: the others cannot start there)
	end []leadSet
	// lead[k]: the rules whose Lead is at least k
	lead []leadSet
	// noRuns: the rules without Runs; byRun[n]: those whose Runs hold n
	// (n < len(byRun); a longer run is in no rule's Runs)
	noRuns, all leadSet
	byRun       []leadSet
}

// newLeadIndex builds the index of the rules anchored at digits, the
// first maxLeadRules of them, and sets their leadBit (-1 for the others).
func newLeadIndex(rules []*Rule) *leadIndex {
	x := &leadIndex{}
	maxPre := 0
	for _, r := range rules {
		r.leadBit = -1
		if !r.anchored || !r.anchorDigits || len(x.rules) == maxLeadRules {
			continue
		}
		r.leadBit = len(x.rules)
		x.rules = append(x.rules, r)
		x.maxLead = max(x.maxLead, r.Spec.Lead)
		maxPre = max(maxPre, len(r.prefix))
		for _, n := range r.Spec.Runs {
			if n >= len(x.byRun) {
				x.byRun = append(x.byRun, make([]leadSet, n+1-len(x.byRun))...)
			}
		}
	}
	if len(x.rules) == 0 {
		return nil
	}
	x.pre = make([][256]leadSet, maxPre)
	x.end = make([]leadSet, maxPre+1)
	x.lead = make([]leadSet, x.maxLead+1)
	// the rules that allow any byte (first, pre[i]) are added to every
	// byte's set at the end; the others only at their bytes
	var anyFirst leadSet
	anyPre := make([]leadSet, maxPre)
	for b, r := range x.rules {
		x.all.add(b)
		if r.first == nil {
			anyFirst.add(b)
		} else {
			for c, ok := range r.first {
				if ok {
					x.first[c].add(b)
				}
			}
		}
		for i := range x.pre {
			if i >= len(r.prefix) || r.prefix[i] == nil {
				anyPre[i].add(b)
				continue
			}
			for c, ok := range r.prefix[i] {
				if ok {
					x.pre[i][c].add(b)
				}
			}
		}
		for i := len(r.prefix); i <= maxPre; i++ {
			x.end[i].add(b)
		}
		for k := 0; k <= r.Spec.Lead; k++ {
			x.lead[k].add(b)
		}
		if len(r.Spec.Runs) == 0 {
			x.noRuns.add(b)
		}
		for n := range x.byRun {
			if slices.Contains(r.Spec.Runs, n) {
				x.byRun[n].add(b)
			}
		}
	}
	for c := range x.first {
		x.first[c] = x.first[c].or(anyFirst)
		for i := range x.pre {
			x.pre[i][c] = x.pre[i][c].or(anyPre[i])
		}
	}
	return x
}

// canStart is the set of rules that canStart(text, p), among those of
// in, for p < len(text).
func (x *leadIndex) canStart(in leadSet, text string, p int) leadSet {
	m := in.and(x.first[text[p]])
	for i := range x.pre {
		if m.empty() {
			break
		}
		if p+i >= len(text) {
			return m.and(x.end[i])
		}
		m = m.and(x.pre[i][text[p+i]])
	}
	return m
}

// fill sets lists (one per rule of x, emptied first) to the rules'
// candidates at the digit runs that start at starts (ascending).
func (x *leadIndex) fill(lists [][]int, text string, starts []int) [][]int {
	if len(lists) < len(x.rules) {
		lists = append(lists, make([][]int, len(x.rules)-len(lists))...)
	}
	lists = lists[:len(x.rules)]
	for i := range lists {
		lists[i] = lists[i][:0]
	}
	runs := len(x.byRun) > 0
	for _, d := range starts {
		in := x.all
		if runs {
			n := 0
			for d+n < len(text) && text[d+n] >= '0' && text[d+n] <= '9' {
				n++
			}
			in = x.noRuns
			if n < len(x.byRun) {
				in = in.or(x.byRun[n])
			}
		}
		for k := 0; k <= x.maxLead && k <= d; k++ {
			m := in.and(x.lead[k])
			if m.empty() {
				break // lead[k] only shrinks as k grows
			}
			m = x.canStart(m, text, d-k)
			for w, word := range m {
				for word != 0 {
					b := w<<6 | bits.TrailingZeros64(word)
					word &= word - 1
					lists[b] = append(lists[b], d-k)
				}
			}
		}
	}
	return lists
}
