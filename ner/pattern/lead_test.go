package pattern

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// checkLead compares, for every rule of d with a bit in its leadIndex,
// the candidates fill finds with appendLead's (sorted: appendAnchored
// sorts them), and that the rules without a bit are the ones past
// maxLeadRules.
func checkLead(t *testing.T, d *Detector, text string) {
	t.Helper()
	starts := appendDigitRunStarts(nil, text)
	var lists [][]int
	if d.lead != nil {
		lists = d.lead.fill(nil, text, starts)
	}
	n := 0
	for _, r := range d.Rules() {
		if !r.anchored || !r.anchorDigits {
			if r.leadBit != -1 {
				t.Fatalf("rule %s is not anchored at digits but has bit %d", r.ID(), r.leadBit)
			}
			continue
		}
		if n < maxLeadRules && r.leadBit != n || n >= maxLeadRules && r.leadBit != -1 {
			t.Fatalf("rule %s, digit-anchored rule #%d, has bit %d", r.ID(), n, r.leadBit)
		}
		n++
		if r.leadBit < 0 {
			continue
		}
		want := r.appendLead(nil, text, starts)
		got := slices.Clone(lists[r.leadBit])
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("rule %s in %q: index %v, appendLead %v", r.ID(), text, got, want)
		}
	}
}

// TestLeadMatchesAppendLead checks the one-pass candidates of the rules
// anchored at digits against appendLead, rule by rule: over the default
// rules' examples, alone, together, in upper case and cut short (a text
// that ends inside a rule's prefix), and over a set of more rules than
// the index holds.
func TestLeadMatchesAppendLead(t *testing.T) {
	d := Default()
	if d.lead == nil || len(d.lead.rules) == 0 {
		t.Fatal("no default rule in the lead index")
	}
	each, together := ruleExamples(t, d)
	for _, text := range each {
		checkLead(t, d, text)
		for cut := 1; cut < len(text); cut += 3 {
			checkLead(t, d, text[:cut])
		}
	}
	for _, text := range together {
		checkLead(t, d, text)
	}
	for _, text := range []string{"", "1", "a1", "ZIP 02139-4307 AB 12 345 678", "MRN 48213907\n(617) 555-0143, 12345 99999 1234567890123456789"} {
		checkLead(t, d, text)
	}

	// More digit rules than the index holds: the rest use appendLead, and
	// Detect's findings are those of the same rules each alone.
	var rules strings.Builder
	rules.WriteString("rules:\n")
	for i := 0; i < maxLeadRules+3; i++ {
		fmt.Fprintf(&rules, "  - id: n%d\n    entity: ID_NUMBER\n    score: 0.5\n    regex: '\\b[A-Z]?\\d{%d}\\b'\n    anchor: [digits]\n    lead: %d\n    examples:\n      match: [\"«%s»\"]\n",
			i, 3+i%5, i%2, strings.Repeat("7", 3+i%5))
	}
	big, err := Parse([]byte(rules.String()))
	if err != nil {
		t.Fatal(err)
	}
	text := "Q1234 x 567 Z89012 4455667 a123 B1234567"
	checkLead(t, big, text)
	got, err := big.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var want []ner.Finding
	for _, r := range big.Rules() {
		want = r.appendAnchored(want, text, r.appendLead(nil, text, appendDigitRunStarts(nil, text)), &simulator{})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("findings %v, want each rule's own %v", got, want)
	}
	if !slices.ContainsFunc(got, func(f ner.Finding) bool { return f.Rule == fmt.Sprintf("pattern/n%d", maxLeadRules+2) }) {
		t.Fatalf("no finding of the last rule (outside the index) in %v", got)
	}
	if big.lead == nil || len(big.lead.rules) != maxLeadRules {
		t.Fatalf("index holds %v rules, want %d", big.lead, maxLeadRules)
	}
}

// FuzzLead checks the lead index against appendLead on any text, for the
// default rules.
func FuzzLead(f *testing.F) {
	f.Add("ZIP 02139-4307, SSN 078-05-1120, VIN 1M8GDM9AXKP042788, 12.34.56.78")
	f.Add("\xff9 a1b2c3 ,,,7 DE123456789 AB 12 34 56 C 00:1A:2B:3C:4D:5E")
	d := Default()
	f.Fuzz(func(t *testing.T, text string) {
		checkLead(t, d, text)
	})
}
