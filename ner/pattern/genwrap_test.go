package pattern

import (
	"math"
	"regexp/syntax"
	"testing"
)

// TestSimulatorGenWrap (codefix36, from the perf-safety review): a
// simulator's generation that wraps to 0 in viable's steps==nil branch
// while no thread reads the byte is never cleared (the check is inside
// closure, which is not called); the next calls read marks of the
// previous cycle as current and drop threads: viable says false where a
// match can start, and appendAnchored skips the candidate.
func TestSimulatorGenWrap(t *testing.T) {
	re, err := syntax.Parse(`(?:[a-z]{1,3}[0-9]{1,3}){1,40}Q|ab+c`, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		t.Fatal(err)
	}
	pr := newProgram(prog)
	pr.steps = nil // as for a program past maxSteps
	var s simulator
	text := "a1b2c3d4e5f6g7h8i9j0k1l2"
	if !s.viable(pr, text, 0) {
		t.Fatal("not viable on a fresh simulator")
	}
	s.gen = math.MaxUint32 // the next byte's generation is 0
	if s.viable(pr, "#", 0) {
		t.Fatal("# viable")
	}
	if !s.viable(pr, text, 0) {
		t.Fatal("after a generation wrap, a viable start is judged not viable")
	}
}

// TestScratchRelease: a released scratch keeps no hit count for the next
// call to read as its own, and the per-keyword hit buffers are bounded
// together (many buffers each under maxKept could otherwise keep far
// more than maxKept offsets alive in the pool).
func TestScratchRelease(t *testing.T) {
	s := &scratch{nHits: 7, hits: make([][]int, 40), anyHits: make([][]int, 40)}
	for i := range s.hits {
		s.hits[i] = make([]int, 0, maxKept/64)
		s.anyHits[i] = make([]int, 0, maxKept/64)
	}
	s.release()
	if s.nHits != 0 {
		t.Errorf("nHits %d kept", s.nHits)
	}
	if hitsCap(s.hits)+hitsCap(s.anyHits) > maxKept {
		t.Errorf("%d offsets kept", hitsCap(s.hits)+hitsCap(s.anyHits))
	}
	small := &scratch{nHits: 3, hits: [][]int{make([]int, 0, 8)}}
	small.release()
	if small.nHits != 0 || cap(small.hits[0]) != 8 {
		t.Errorf("small scratch: nHits %d, hits %v", small.nHits, small.hits)
	}
}
