package contact

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
)

// TestLinearTime checks that detection cost grows linearly with the text
// on inputs built from units that stress the detector, each measured by
// internal/complexity (n against 8n, process CPU time, least of
// interleaved measurements; a quadratic pass measures about 64).
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	units := map[string]string{
		"digit groups":     "tel 020 7946 0958 and 601 234 567, ref 12 34 56 78 90 12 34 56 ",
		"plus signs":       "+1 +44 +48 601 ++ (((( 1 2 3 ",
		"number words":     "five five five one two three four oh oh ",
		"at markers":       "meet at noon dot com [at] x (at) y @ z ",
		"long digit lines": "0 1 2 3 4 5 6 7 8 9 ",
	}
	d := New()
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
			complexity.Assert(t, 4<<10, build, func(text string) {
				if _, err := d.Detect(context.Background(), text); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

func BenchmarkDetect(b *testing.B) {
	d := New()
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.WriteString("Ms. Sandoval (DOB 02/17/1951, MRN 00482913) was seen on March 3, 2023 at 87 Willow Creek Road, Portland, OR 97205. " +
			"She reports improved sleep and fewer panic episodes since the last session; call (503) 555-0147 or write to m.sandoval@example.org.\n")
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Detect(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	}
}
