package contact

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestLinearTime checks that a text eight times as long takes about as
// long as eight texts of the original length, in CPU time of the test's
// thread (a quadratic pass would take eight times as long).
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
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var ru unix.Rusage
		if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	measure := func(text string, reps int) time.Duration {
		best := time.Duration(1 << 62)
		for i := 0; i < 3; i++ {
			runtime.GC()
			start := cpu()
			for r := 0; r < reps; r++ {
				if _, err := d.Detect(context.Background(), text); err != nil {
					t.Fatal(err)
				}
			}
			best = min(best, cpu()-start)
		}
		return best
	}
	for name, unit := range units {
		n := strings.Repeat(unit, 4<<10/len(unit)+1)
		small, large := measure(n, 8), measure(strings.Repeat(n, 8), 1)
		if ratio := float64(large) / float64(max(small, time.Millisecond)); ratio > 3 {
			t.Errorf("%s: 8 × %d bytes took %v, one text of 8 × %d bytes %v (ratio %.1f, want ≤ 3)", name, len(n), small, len(n), large, ratio)
		}
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
