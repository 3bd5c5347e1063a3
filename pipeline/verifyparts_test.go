package pipeline

import (
	"testing"

	"github.com/veilhq/veil/redactors"
)

// An output part is judged against the input part it reads as: by index
// where the two have as many parts, by its name where the writer removed
// one (the parts after it shifted), never against a name several input
// parts share.
func TestInputPart(t *testing.T) {
	ps := func(names ...string) []redactors.Part {
		var out []redactors.Part
		for _, n := range names {
			out = append(out, redactors.Part{Name: n})
		}
		return out
	}
	in := &verifyInput{parts: ps("word/document.xml", "docProps/core.xml:lastModifiedBy", "docProps/app.xml:Company", "dup", "dup")}
	for _, c := range []struct {
		i    int
		name string
		same bool
		want int
	}{
		{0, "word/document.xml", false, 0},
		{1, "docProps/app.xml:Company", false, 2}, // shifted by the removed part
		{2, "dup", false, -1},
		{3, "authors", false, -1},
		{2, "docProps/app.xml:Company", true, 2},
		{1, "docProps/app.xml:Company", true, -1}, // same count: by index only
	} {
		if got := in.inputPart(c.i, c.name, c.same); got != c.want {
			t.Errorf("inputPart(%d, %q, %v) = %d, want %d", c.i, c.name, c.same, got, c.want)
		}
	}
	if (*verifyInput)(nil).inputPart(0, "word/document.xml", false) != -1 {
		t.Error("an output seen alone has no input part")
	}
}
