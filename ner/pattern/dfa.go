package pattern

import (
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// dfaStates bounds the sets of threads a program's dfa numbers; a reading
// that would need another goes back to viable's simulation.
const dfaStates = 128

// dfa remembers what viable's simulation of one program did: the sets of
// threads it reached (states) and, per state and ASCII byte, the next
// state or a match. Viable then reads a candidate's bytes one table load
// each, where the simulation walked every thread of the set. A state is
// worked out by the same step as the simulation, the first time a reading
// reaches it; the sets are the simulation's own, order aside (a set's
// threads are kept sorted), and viable's answer depends only on the set,
// so the answers are the simulation's (TestDFAMatchesSimulation,
// FuzzDFA).
//
// It is safe for concurrent use: the transitions are read with atomic
// loads and written once, under mu, which also guards the states until
// the table is full; from then on the states never change, and a step
// reads them without mu (full).
type dfa struct {
	pr     *program
	class  [utf8.RuneSelf]uint8 // ASCII bytes that every step reads alike share a class
	nClass int
	// startState is start's state (set by init)
	startState int32

	once  sync.Once
	trans []int32 // [state*nClass+class]: 0 not yet known, 1 a match, else the state + 2

	mu   sync.Mutex
	sets map[string]int32 // a sorted set of threads (as bytes) → its state
	pcs  [][]uint32       // state → its threads; state 0 is the empty set
	// full is set, under mu, once pcs holds dfaStates states: sets and
	// pcs are read-only from then on, so step need not take mu (a
	// transition to a set not in the table is worked out on every such
	// reading, and would otherwise queue every reader on mu).
	full atomic.Bool
}

// newDFA returns the dfa of pr, whose steps must not be nil; its
// classes and tables are worked out on its first use (init), so that a
// start does not pay for the rules that a run never tries.
func newDFA(pr *program) *dfa { return &dfa{pr: pr} }

// init works out the byte classes (the ASCII bytes with the same
// membership in every step's set) and the first states: the empty set
// and the start threads.
func (d *dfa) init() {
	pr := d.pr
	var sig [utf8.RuneSelf][]byte
	var acc [utf8.RuneSelf]byte
	n := 0
	flush := func() {
		for c := range sig {
			sig[c] = append(sig[c], acc[c])
			acc[c] = 0
		}
		n = 0
	}
	for pc := range pr.steps {
		a := pr.steps[pc].ascii
		if a == ([2]uint64{}) {
			continue
		}
		for w, word := range a {
			for word != 0 {
				c := w<<6 | bits.TrailingZeros64(word)
				word &= word - 1
				acc[c] |= 1 << n
			}
		}
		if n++; n == 8 {
			flush()
		}
	}
	flush()
	ids := map[string]uint8{}
	for c := range sig {
		id, ok := ids[string(sig[c])]
		if !ok {
			id = uint8(len(ids))
			ids[string(sig[c])] = id
		}
		d.class[c] = id
	}
	d.nClass = len(ids)
	d.trans = make([]int32, dfaStates*d.nClass)
	d.sets = map[string]int32{"": 0}
	d.pcs = [][]uint32{nil}
	start := slices.Clone(pr.start)
	slices.Sort(start)
	d.startState = d.intern(slices.Compact(start)) // 1, or 0 for no thread
}

// viable is simulator.viable(pr, text, p) for p's ASCII bytes read from
// the table; ok is false when the table is full and the simulation must
// answer instead.
func (d *dfa) viable(s *simulator, pr *program, text string, p int) (viable, ok bool) {
	d.once.Do(d.init)
	st := d.startState
	for i := 0; i < maxSimulated; i++ {
		if st == 0 || p+i >= len(text) {
			return false, true // every thread died, or the text ends before a match
		}
		c := text[p+i]
		if c >= utf8.RuneSelf {
			return true, true
		}
		k := int(st)*d.nClass + int(d.class[c])
		v := atomic.LoadInt32(&d.trans[k])
		if v == 0 {
			if v = d.step(s, pr, st, c, k); v < 0 {
				return false, false
			}
		}
		if v == 1 {
			return true, true // a thread matched
		}
		st = v - 2
	}
	return st != 0, true
}

// intern returns the state of set (sorted, without repeats), numbering it
// if it is new; -1 when the table is full. d.mu must be held unless full
// is set (then it only reads).
func (d *dfa) intern(set []uint32) int32 {
	key := ""
	if len(set) > 0 {
		key = unsafe.String((*byte)(unsafe.Pointer(&set[0])), len(set)*4)
	}
	if st, ok := d.sets[key]; ok {
		return st
	}
	if len(d.pcs) == dfaStates {
		return -1
	}
	st := int32(len(d.pcs))
	own := slices.Clone(set)
	d.pcs = append(d.pcs, own)
	d.sets[unsafe.String((*byte)(unsafe.Pointer(&own[0])), len(own)*4)] = st
	if len(d.pcs) == dfaStates {
		d.full.Store(true) // after the last write of sets and pcs
	}
	return st
}

// step works out the transition k of state st on byte c (the
// simulation's step over the state's threads), records it and returns
// it: 1 for a match, else the next state + 2; -1 when the table is full.
func (d *dfa) step(s *simulator, pr *program, st int32, c byte, k int) int32 {
	if !d.full.Load() {
		d.mu.Lock()
		defer d.mu.Unlock()
	}
	if v := atomic.LoadInt32(&d.trans[k]); v != 0 {
		return v
	}
	if len(s.mark) < len(pr.Inst) {
		s.mark, s.gen = make([]uint32, len(pr.Inst)), 0
	}
	s.gen++
	if s.gen == 0 {
		clear(s.mark)
		s.gen = 1
	}
	next := s.next[:0]
	v := int32(-1)
	for _, pc := range d.pcs[st] {
		step := &pr.steps[pc]
		if step.ascii[c>>6]&(1<<(c&63)) == 0 {
			continue
		}
		if step.match {
			v = 1
			break
		}
		for _, q := range step.next {
			if s.mark[q] != s.gen {
				s.mark[q] = s.gen
				next = append(next, q)
			}
		}
	}
	s.next = next[:0]
	if v != 1 {
		slices.Sort(next)
		ns := d.intern(next)
		if ns < 0 {
			return -1
		}
		v = ns + 2
	}
	atomic.StoreInt32(&d.trans[k], v)
	return v
}
