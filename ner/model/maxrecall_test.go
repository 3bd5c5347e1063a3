package model

import (
	"context"
	"strings"
	"testing"
)

// The lower-case threshold decides about words in lower case and in lines
// all in capitals, not about capitals in mixed-case lines. Invented note.
func TestMaxRecallLowerThreshold(t *testing.T) {
	text := "pt seen by dr quorvath today, asked for zelvany.\nFAMILY: DAUGHTER QUORVATH CALLED.\nSeen with Quorvath Zelvany in clinic.\n"
	flagged := func(r MaxRecall) map[string]bool {
		fs, err := r.Refine(context.Background(), text, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, f := range fs {
			line := strings.Count(text[:f.Start], "\n")
			got[string(rune('0'+line))+":"+text[f.Start:f.End]] = true
		}
		return got
	}
	// nothing in lower case or in the capitals line can pass 1.01
	strict := flagged(MaxRecall{UncertainLower: 1.01})
	for k := range strict {
		if k[0] == '0' || k[0] == '1' {
			t.Errorf("%q flagged above any probability", k)
		}
	}
	mixed := false
	for k := range strict {
		mixed = mixed || k[0] == '2'
	}
	if !mixed {
		t.Errorf("capitalised names in a mixed-case line left (flagged %v)", strict)
	}
	// and the threshold is what decides: at a low one the lower-case words go
	if loose := flagged(MaxRecall{Uncertain: 0.01, UncertainLower: 0.01}); len(loose) <= len(strict) {
		t.Errorf("a low threshold flagged %v, no more than a high one (%v)", loose, strict)
	}
}
