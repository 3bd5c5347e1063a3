package pattern

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestLinearTime checks that detection time grows linearly with the text
// on inputs shaped to make the layout pass and the identifier rules work
// hardest: a text eight times as long (8n) takes about as long as eight
// texts of n (a quadratic pass would take eight times as long). Timing is
// noisy on a shared machine, so it is CPU time of the test's thread, the
// least of three tries, and the bound is loose (3).
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	units := map[string]string{
		"pipe rows naming nothing":   "| alpha | beta | gamma |\n",
		"two-column rows":            "| alpha | beta |\n| SSN | 456789012 |\n",
		"pipe table with labels":     "| Name | SSN | Account No. |\n|---|---|---|\n| Dana Whitcombe | 456789012 | 0012 3456 789 |\n",
		"short lines naming nothing": "alpha beta\n",
		"label lines":                "SSN\nAccount No.\nDOB\n",
		"aligned columns":            "Payee    SSN    Account\nDana     456789012   0012 3456\n         789\n",
		"label colon lines":          "Bank / Account No.: Coastal 0098 7654 321\n",
		"hex and colons":             "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01 ",
		"base58 letters":             "1QK6yA1guK9LEYyNZUJcMwnWTcbWTSqPCx1QK6yA1guK9 ",
		"digit groups":               "0012 3456 789 111000614 4876 2193 0542 ",
		"birth date questions":       "Q. And your date of birth? A. ",
	}
	d := Default()
	// CPU time of this thread: other processes on a shared machine do
	// not count (wall-clock time does).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var ru unix.Rusage
		if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	// measure returns the CPU time of detecting text reps times, the
	// least of three tries.
	measure := func(text string, reps int) time.Duration {
		best := time.Duration(1 << 62)
		for i := 0; i < 3; i++ {
			runtime.GC()
			start := cpu()
			for r := 0; r < reps; r++ {
				if _, err := d.DetectField(context.Background(), "Account No.", text); err != nil {
					t.Fatal(err)
				}
			}
			if el := cpu() - start; el < best {
				best = el
			}
		}
		return best
	}
	for name, unit := range units {
		n := strings.Repeat(unit, 4<<10/len(unit)+1)
		// the same number of bytes: eight texts of n, one of 8n
		small, large := measure(n, 8), measure(strings.Repeat(n, 8), 1)
		if ratio := float64(large) / float64(max(small, time.Millisecond)); ratio > 3 {
			t.Errorf("%s: 8 × %d bytes took %v, one text of 8 × %d bytes %v (ratio %.1f, want ≤ 3)", name, len(n), small, len(n), large, ratio)
		}
	}
}
