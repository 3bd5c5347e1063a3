package textform

import (
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
)

// TestMarkupComplexity: reading tags and comments glued inside words,
// of any number and length, stays linear on texts built to make a
// reader read them again: "<" inside a long comment that begins a run
// of tags, comments that never end, tags whose quoted values never
// close, long runs of tags followed by no word.
func TestMarkupComplexity(t *testing.T) {
	for name, build := range map[string]func(n int) string{
		"starts inside a comment before a long run": func(n int) string {
			return "x<!--" + strings.Repeat("a<!--", n/10) + "-->" + strings.Repeat("<i></i>", n/14) + " y"
		},
		"comments that never end": func(n int) string { return strings.Repeat("a<!--", n/5) },
		"quotes that never close": func(n int) string { return "a<b t=\"" + strings.Repeat("x y z ", n/6) + strings.Repeat("a<b t='", n/7) },
		"a long run then a blank": func(n int) string {
			return strings.Repeat("a"+strings.Repeat("<b t=\"x>y\"></b>", 50)+" ", n/800)
		},
		"quoted values holding tags": func(n int) string {
			return strings.Repeat(`a<b t="a<i u='x>y`, n/36) + strings.Repeat(`' v="a<b"`, n/20)
		},
		"quotes of both kinds, never a >": func(n int) string {
			return strings.Repeat(`a<b t="a<b u='a<b`, n/17) + " y"
		},
		"runs through many comments": func(n int) string {
			return "x" + strings.Repeat("<!-- a<!-- b<i> -->", n/20) + " y"
		},
	} {
		t.Run(name, func(t *testing.T) {
			complexity.Assert(t, 4<<10, build, func(s string) { Of(s) })
		})
	}
}
