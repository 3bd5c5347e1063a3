package pattern

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
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
			complexity.Assert(t, 4<<10, build, func(text string) {
				if _, err := d.DetectField(context.Background(), "Account No.", text); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}
