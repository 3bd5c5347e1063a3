package model

import (
	"slices"
	"sync"
)

// How Tag sums a token's weights cheaply and exactly.
//
// A token's score for each tag is the sum of the weights of its
// NumFeatures feature buckets (Static and History, the functions the
// trainer uses). The sums are integers (int8 weights, summed in 16-bit
// lanes each offset by 128 a row: sum, below), so they may be added in
// any order and grouped in any way: a group that recurs
// can be summed once and reused, with results equal to the bit. Tag reuses
// these groups:
//
//   - the features of a word alone (ownFeatures: its key, shape, affixes,
//     list flags and length), once per distinct word of a text, not once
//     per occurrence;
//   - a word's key as the context of its neighbours (fKeyPrev, fKeyNext,
//     fKeyPrev2, fKeyNext2), once per distinct word and position;
//   - a word's features that depend on its line's case and its place at a
//     line's start alone (lineFeatures), once per word while these stay;
//   - fTagPrevKey after an O tag, once per word;
//   - the previous two tags (fTagPrev, fTagPrev2) with the bias, and the
//     label features of a word after no "Label:", once per model;
//   - the probability of each weight difference, once per model.
//
// The rest (perToken, the label features after a label, fTagPrevShape)
// is read per token. TestTagSameAsReference and FuzzTagSameAsReference
// compare Tag with the plain sum over the whole table (reftag_test.go).

// sum is the weights of every tag for a bucket, or a sum of such, as
// lanes of 16 bits: even holds tags 0, 2, 4 and 6, odd tags 1, 3, 5 and
// 7, last tag 8. A row adds each of its weights plus 128 (rows.w), so a
// row is added with three word additions and sums with three more,
// where a loop over the tags took nine of each (modelperf,
// docs/PERFORMANCE.md). Every lane of a sum of n rows holds its tag's
// sum plus 128n: the lanes of a token differ as its tags' sums do,
// to the unit, and Tag only compares them and takes their differences
// (scores). A lane never carries into the next: a token's score adds
// NumFeatures rows at most, 255 each.
type sum struct{ even, odd, last uint64 }

// lanes masks the low byte of each lane.
const lanes = 0x00ff00ff00ff00ff

var _ [65535 - NumFeatures*255]struct{} // no lane overflows

// rows.add reads a row's first eight weights as one word.
var _ [NumTags - 9]struct{}
var _ [9 - NumTags]struct{}

// addSum adds o to s.
func addSum(s, o *sum) {
	s.even += o.even
	s.odd += o.odd
	s.last += o.last
}

// scores returns the lanes of s by tag: each tag's sum plus the same
// amount (128 for each row of s).
func (s *sum) scores() [NumTags]int32 {
	const m = 0xffff
	return [NumTags]int32{
		int32(s.even & m), int32(s.odd & m),
		int32(s.even >> 16 & m), int32(s.odd >> 16 & m),
		int32(s.even >> 32 & m), int32(s.odd >> 32 & m),
		int32(s.even >> 48), int32(s.odd >> 48),
		int32(s.last),
	}
}

// tables is what Tag reads for a model: the weight rows and the sums that
// are the same for every text.
type tables struct {
	rows  *rows
	bits  uint
	shift uint // 64 - bits
	// pair[prev][prev2]: the bias and the two tag-history features that
	// depend on the tags alone.
	pair [NumTags][NumTags]sum
	// none's key as prev, next, prev2 and next2 (a line's edge).
	none [4]sum
	// noLabel: fLabel and fLabelDist of a word after no "Label:".
	noLabel sum
	// probs[d+maxDiff] is prob of a margin of d weight units, for the
	// calibration a and b (a Model's A and B may be set after New).
	probs []float64
	a, b  float32
	scale float32
	// caches holds the words earlier texts had (cache.go).
	caches sync.Pool
}

// maxDiff bounds the difference of two tags' sums: NumFeatures int8
// weights each.
const maxDiff = NumFeatures * 256

func newTables(m *Model) *tables {
	tb := &tables{rows: newRows(m.w), bits: m.bits, shift: 64 - m.bits, a: m.A, b: m.B, scale: m.scale}
	tb.caches.New = func() any { return newWordCache() }
	for p := 0; p < NumTags; p++ {
		for p2 := 0; p2 < NumTags; p2++ {
			s := &tb.pair[p][p2]
			f1, f2 := tagPair(p, p2)
			tb.add(s, f1)
			tb.add(s, f2)
			tb.add(s, mix(fBias, 0))
		}
	}
	tb.keyAs(&tb.none, none.key)
	var f [NumStatic]uint64
	contextual(&Token{}, none, none, f[:])
	tb.add(&tb.noLabel, f[20])
	tb.add(&tb.noLabel, f[21])
	tb.probs = make([]float64, 2*maxDiff+1)
	for d := range tb.probs {
		tb.probs[d] = m.prob(float32(d-maxDiff) * m.scale)
	}
	return tb
}

// prob is m.prob(float32(d) * m.scale).
func (tb *tables) prob(m *Model, d int32) float64 {
	if d >= -maxDiff && d <= maxDiff && m.A == tb.a && m.B == tb.b && m.scale == tb.scale {
		return tb.probs[d+maxDiff]
	}
	return m.prob(float32(d) * m.scale)
}

// bucket is the row of feature hash f: its top bits (shift is 64 - bits,
// 40 to 56; the mask keeps the variable shift free of Go's checks of a
// shift of 64 or more).
func (tb *tables) bucket(f uint64) uint64 { return f >> (tb.shift & 63) }

// add adds the weights of feature hash f to s.
func (tb *tables) add(s *sum, f uint64) { tb.rows.add(s, tb.bucket(f)) }

// keyAs sums a word's key as the context of its neighbours: as the word
// before (fKeyPrev), after, two before and two after.
func (tb *tables) keyAs(out *[4]sum, key uint64) {
	tb.add(&out[0], mix(fKeyPrev, key))
	tb.add(&out[1], mix(fKeyNext, key))
	tb.add(&out[2], mix(fKeyPrev2, key))
	tb.add(&out[3], mix(fKeyNext2, key))
}

// word is a distinct word of a text (as written: Token.word): its entry
// in the cache of words (the sums of its features that do not change
// from one occurrence to the next, nor from one text to the next) and
// the sums that depend on the text.
type word struct {
	*cachedWord
	// line holds lineFeatures for the line position and case lineKey
	// (1 + 3*lineStart + lineCase; 0: none yet): a function of the word
	// (its flags and shape, and its key's capMid and repeats, the same
	// for every token of the key in a text) and of those two.
	lineKey uint8
	line    sum
}

// lineFeatures are the indices of Static's out that depend on the word
// and on its line's case and its place at a line's start only.
var lineFeatures = [...]int{17, 19, 22}

// perToken are the indices of contextFeatures summed for every token:
// those of its neighbours. fLabel and fLabelDist (20, 21) are summed only
// after a label (noLabel otherwise). (tagInto adds them written out, in
// this order; TestPerTokenIsNeighbours pins the list to
// neighbourFeatures.)
var perToken = [...]int{7, 8, 15, 16, 18, 24, 25, 26}

// words returns the entries of the distinct words of a text, cached[n]
// word n's, in buf's array if it is large enough; fill sums the features
// of those not ready as their tokens come.
func (tb *tables) words(cached []*cachedWord, buf []word) []word {
	ws := slices.Grow(buf[:0], len(cached))[:len(cached)]
	for i, c := range cached {
		ws[i] = word{cachedWord: c}
	}
	return ws
}

// fill computes the sums of w, the word of t, that do not depend on the
// line nor on the text.
func (tb *tables) fill(w *cachedWord, t *Token) {
	var f [NumStatic]uint64
	own(t, f[:])
	for _, k := range ownFeatures {
		if k != 0 { // the bias is in pair
			tb.add(&w.own, f[k])
		}
	}
	tb.keyAs(&w.as, t.key)
	w.ready = true
}
