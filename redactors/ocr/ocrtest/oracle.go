package ocrtest

import (
	"sort"
	"unicode"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// Oracle stands in for the pipeline's detectors in tests of formats that
// read images: it finds the known values in each part's text with
// ocr.Fuzzy over the text's own words (OCR misreads them) and returns the
// edits that replace them with label, whole words, sorted and merged.
func Oracle(parts []redactors.Part, values []string, label string) []redactors.Edit {
	fz := ocr.NewFuzzy(values, 0)
	var edits []redactors.Edit
	for pi, p := range parts {
		words, starts := FieldsAt(p.Text)
		var spans [][2]int
		for _, m := range fz.Find(words) {
			spans = append(spans, [2]int{starts[m.First], starts[m.Last] + len(words[m.Last])})
		}
		sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
		var merged [][2]int
		for _, s := range spans {
			if n := len(merged); n > 0 && s[0] <= merged[n-1][1] {
				merged[n-1][1] = max(merged[n-1][1], s[1])
				continue
			}
			merged = append(merged, s)
		}
		for _, s := range merged {
			edits = append(edits, redactors.Edit{Part: pi, Start: s[0], End: s[1], Replacement: label})
		}
	}
	return edits
}

// FieldsAt splits s into words (runs of non-space) with their byte
// offsets.
func FieldsAt(s string) (words []string, starts []int) {
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				words, starts = append(words, s[start:i]), append(starts, start)
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words, starts = append(words, s[start:]), append(starts, start)
	}
	return
}
