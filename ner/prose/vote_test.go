package prose

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// TestVote: the vote keeps every earlier finding, adds prose's findings,
// and does not look at words a finding at or above the threshold has
// decided; a finding under the threshold decides nothing.
func TestVote(t *testing.T) {
	text := "She met Kowalczyk on Monday. Ms Ellison called."
	ell := strings.Index(text, "Ellison")
	rule := ner.Finding{Start: ell, End: ell + len("Ellison"), Entity: ner.Person, Score: 0.7, Rule: "names/title"}
	for _, c := range []struct {
		threshold float64
		decided   bool
	}{{0.5, true}, {0.8, false}} {
		found := []ner.Finding{rule}
		got, err := Vote{Threshold: c.threshold}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || got[0] != rule || found[0] != rule {
			t.Fatalf("threshold %.1f: the earlier finding is not kept first and unchanged: %v", c.threshold, got)
		}
		var decided func(int, int) bool
		if c.decided {
			decided = func(s, e int) bool { return s < rule.End && rule.Start < e }
		}
		want, err := New().DetectWhere(context.Background(), text, decided)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got[1:]) != fmt.Sprint(want) {
			t.Errorf("threshold %.1f: vote added %v, want %v", c.threshold, got[1:], want)
		}
		sawEllison := false
		for _, f := range got[1:] {
			sawEllison = sawEllison || f.Start <= ell && ell < f.End
		}
		if sawEllison == c.decided {
			t.Errorf("threshold %.1f: prose on the decided name = %v", c.threshold, sawEllison)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Vote{}).Refine(ctx, text, nil); err == nil {
		t.Error("a cancelled vote must return an error")
	}
}
