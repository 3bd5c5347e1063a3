package eval

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

func f3(x *float64) string {
	if x == nil {
		return "   -  "
	}
	return fmt.Sprintf("%6.3f", *x)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Write prints r in score.py's layout, then the misses with their context.
func Write(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "docs %d, threshold %.2f, ignored kinds %s\n", r.Docs, r.Threshold, strings.Join(r.IgnoredKinds, ","))
	b.WriteString("\nmention recall            n   lenient strict  tab\n")
	row := func(name string, c *Recall) {
		if len(name) > 22 {
			name = name[:22]
		}
		fmt.Fprintf(&b, "  %-22s %6d %s %s %s\n", name, c.N, f3(c.Lenient), f3(c.Strict), f3(c.Tab))
	}
	row("ALL", r.Mention)
	for _, k := range sortedKeys(r.ByKind) {
		row("kind "+k, r.ByKind[k])
	}
	for _, k := range sortedKeys(r.ByLabel) {
		row("label "+k, r.ByLabel[k])
	}
	if len(r.ByKind) > 1 {
		for _, k := range sortedKeys(r.ByKindLabel) {
			row(k, r.ByKindLabel[k])
		}
	}
	if len(r.Entities) > 0 {
		b.WriteString("\nentity recall (TAB rule, all mentions masked)\n")
		for _, k := range sortedKeys(r.Entities) {
			fmt.Fprintf(&b, "  %-22s %6d %s\n", k, r.Entities[k].N, f3(r.Entities[k].Recall))
		}
	}
	t := r.Token
	fmt.Fprintf(&b, "\ntoken  precision %s  recall %s  F1 %s   (tp %d fp %d fn %d)\n", f3(t.Precision), f3(t.Recall), f3(t.F1), t.TP, t.FP, t.FN)
	if r.IgnoredMentions > 0 {
		fmt.Fprintf(&b, "ignored-kind (%s) mentions %d, masked %s\n", strings.Join(r.IgnoredKinds, ","), r.IgnoredMentions, f3(r.IgnoredMaskedRate))
	}
	fmt.Fprintf(&b, "masked share of non-space characters %s\n", f3(r.MaskedCharShare))
	if len(r.Misses) > 0 {
		b.WriteString("\nmissed mentions (⟦ ⟧ marks the mention)\n")
	}
	for _, m := range r.Misses {
		fmt.Fprintf(&b, "MISS %s [%d,%d) %s/%s %.2f %q\n     …%s⟦%s⟧%s…\n", m.ID, m.Start, m.End, m.Kind, m.Label,
			m.MaskedFraction, m.Text, oneLine(m.Before), oneLine(m.Text), oneLine(m.After))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var flatten = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// oneLine puts a context on one line.
func oneLine(s string) string { return flatten.Replace(s) }
