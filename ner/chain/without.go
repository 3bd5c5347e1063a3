package chain

import "github.com/veilhq/veil/ner"

// without returns found less the findings drop reports, in their order:
// found itself when drop reports none (most calls: no copy, nothing
// allocated), else a new slice, so that found's backing array is never
// written (ner.Refiner's contract). drop is called once per finding, in
// order.
func without(found []ner.Finding, drop func(ner.Finding) bool) []ner.Finding {
	for i, f := range found {
		if !drop(f) {
			continue
		}
		out := make([]ner.Finding, i, len(found)-1)
		copy(out, found[:i])
		for _, g := range found[i+1:] {
			if !drop(g) {
				out = append(out, g)
			}
		}
		return out
	}
	return found
}
