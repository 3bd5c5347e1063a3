package pattern

import (
	"strings"
	"testing"
)

// ruleExamples returns the text of every example of d's rules (those that
// match and those that do not), in order, and then, in together, all of
// them joined (each followed by a space) and that text in upper case: the
// inputs on which the tests check a faster reading against a reference.
func ruleExamples(t testing.TB, d *Detector) (each, together []string) {
	t.Helper()
	var sb strings.Builder
	for _, r := range d.Rules() {
		for _, ex := range append(r.Spec.Examples.Match, r.Spec.Examples.NoMatch...) {
			text, _ := parseExample(t, ex)
			each = append(each, text)
			sb.WriteString(text + " ")
		}
	}
	return each, []string{sb.String(), strings.ToUpper(sb.String())}
}
