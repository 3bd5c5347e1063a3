package redactors

import (
	"reflect"
	"testing"
)

// TestEditsFrom: the edits of a run of parts, moved to the run's own
// numbering; parts before and after the run are left out.
func TestEditsFrom(t *testing.T) {
	edits := []Edit{{Part: 0, Start: 1}, {Part: 2, Start: 2}, {Part: 2, Start: 5}, {Part: 3, Start: 3}, {Part: 5, Start: 4}}
	for _, c := range []struct {
		first, n int
		want     []Edit
	}{
		{2, 2, []Edit{{Part: 0, Start: 2}, {Part: 0, Start: 5}, {Part: 1, Start: 3}}},
		{0, 1, []Edit{{Part: 0, Start: 1}}},
		{4, 1, []Edit{}},
		{5, 3, []Edit{{Part: 0, Start: 4}}},
	} {
		if got := EditsFrom(edits, c.first, c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("EditsFrom(%d, %d) = %v, want %v", c.first, c.n, got, c.want)
		}
	}
	if edits[1].Part != 2 {
		t.Fatal("EditsFrom changed its input")
	}
}
