package model

import (
	"slices"
	"testing"
)

// TestPerTokenIsNeighbours pins perToken, the list the comments of
// scores.go and tagInto's written-out sums refer to: the indices
// neighbourFeatures writes, which with lineFeatures and the label's two
// (fLabel, fLabelDist) are exactly contextFeatures.
func TestPerTokenIsNeighbours(t *testing.T) {
	const unset = ^uint64(0)
	var out [NumStatic]uint64
	for i := range out {
		out[i] = unset
	}
	var tok, prev, next Token
	neighbourFeatures(&tok, &prev, &next, out[:])
	var written []int
	for i, v := range out {
		if v != unset {
			written = append(written, i)
		}
	}
	if !slices.Equal(written, perToken[:]) {
		t.Errorf("neighbourFeatures writes %v, perToken is %v", written, perToken)
	}
	all := append(append(append([]int(nil), perToken[:]...), lineFeatures[:]...), 20, 21)
	slices.Sort(all)
	if !slices.Equal(all, contextFeatures[:]) {
		t.Errorf("perToken, lineFeatures and the label's: %v; contextFeatures %v", all, contextFeatures)
	}
}
