package pattern

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestLinearTime checks that detection time grows linearly with the text
// on inputs shaped to make the layout pass and the identifier rules work
// hardest: eight times the text may take at most about eight times as
// long (a quadratic pass would take 64 times). Timing is noisy on a shared
// machine, so each size takes the fastest of several runs and the bound
// is loose (30, where a quadratic pass gives 64).
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	units := map[string]string{
		"pipe rows naming nothing":  "| alpha | beta | gamma |\n",
		"pipe table with labels":    "| Name | SSN | Account No. |\n|---|---|---|\n| Dana Whitcombe | 456789012 | 0012 3456 789 |\n",
		"short lines naming nothing": "alpha beta\n",
		"label lines":               "SSN\nAccount No.\nDOB\n",
		"aligned columns":           "Payee    SSN    Account\nDana     456789012   0012 3456\n         789\n",
		"label colon lines":         "Bank / Account No.: Coastal 0098 7654 321\n",
		"hex and colons":            "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01 ",
		"base58 letters":            "1QK6yA1guK9LEYyNZUJcMwnWTcbWTSqPCx1QK6yA1guK9 ",
		"digit groups":              "0012 3456 789 111000614 4876 2193 0542 ",
		"birth date questions":      "Q. And your date of birth? A. ",
	}
	d := Default()
	measure := func(text string) time.Duration {
		best := time.Duration(1 << 62)
		for i := 0; i < 5; i++ {
			runtime.GC()
			start := time.Now()
			if _, err := d.DetectField(context.Background(), "Account No.", text); err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el < best {
				best = el
			}
		}
		return best
	}
	for name, unit := range units {
		n := strings.Repeat(unit, 6<<10/len(unit)+1)
		small, large := measure(n), measure(strings.Repeat(n, 8))
		if ratio := float64(large) / float64(max(small, time.Microsecond)); ratio > 30 {
			t.Errorf("%s: %d bytes took %v, 8× as many %v (ratio %.1f, want ≤ 30)", name, len(n), small, large, ratio)
		}
	}
}
