package pipeline

import (
	"context"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/names"
	"github.com/veilhq/veil/ner/pattern"
	"github.com/veilhq/veil/ner/prose"
)

// Detectors and refiners, run directly (not in the pipeline's 1 MiB
// chunks, which would hide super-linear work inside a chunk).

func detectWith(d ner.Detector) func(string) {
	return func(text string) {
		if _, err := d.Detect(context.Background(), text); err != nil {
			panic(err)
		}
	}
}

var hostileTexts = []struct {
	name  string
	build func(int) string
}{
	{"same-name-line", sameNameLine},
	{"distinct-names-line", distinctNamesLine},
	{"no-space-line", noSpaceLine},
}

func TestLinearPattern(t *testing.T) {
	d := pattern.Default()
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) { assertLinear(t, 16<<10, h.build, detectWith(d)) })
	}
}

func TestLinearNames(t *testing.T) {
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) { assertLinear(t, 16<<10, h.build, detectWith(names.New())) })
	}
}

func TestLinearTerms(t *testing.T) {
	// Many terms that share their first word, and a text full of it.
	var terms []string
	for i := 0; i < 2000; i++ {
		terms = append(terms, "Maria "+surname(i))
	}
	d := ner.NewTerms(terms)
	assertLinear(t, 16<<10, distinctNamesLine, detectWith(d))
}

func TestLinearPhraseMatcher(t *testing.T) {
	// Phrases that share their first word ("Maria Xyz"), one for every
	// 16 bytes of a text full of that word: trying every phrase that
	// starts with a word at each occurrence would be quadratic.
	type in struct {
		text    string
		phrases []ner.Phrase
	}
	assertLinear(t, 16<<10, func(n int) in {
		var phs []ner.Phrase
		for i := 0; i < n/16; i++ {
			phs = append(phs, ner.Phrase{Keys: ner.Fold("Maria " + surname(i+1000000))})
		}
		return in{distinctNamesLine(n), phs}
	}, func(x in) { ner.NewPhraseMatcher(x.phrases).FindAll(x.text) })
}

// refineWith runs the detectors of the text chain, then measures r over
// their findings.
func refineWith(r ner.Refiner) func(string) {
	return func(text string) {
		if _, err := r.Refine(context.Background(), text, nil); err != nil {
			panic(err)
		}
	}
}

func TestLinearMaxRecall(t *testing.T) {
	type in struct {
		text string
		fs   []ner.Finding
	}
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) {
			assertLinear(t, 16<<10, func(n int) in {
				text := h.build(n)
				fs, _ := ner.Multi{pattern.Default(), names.New()}.Detect(context.Background(), text)
				return in{text, fs}
			}, func(x in) { names.MaxRecall(x.text, x.fs) })
		})
	}
}

func TestLinearModelCandidates(t *testing.T) {
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) {
			assertLinear(t, 16<<10, h.build, func(text string) { prose.Candidates(text, nil) })
		})
	}
}

func TestLinearModel(t *testing.T) {
	// The model itself is slow (about 0.1 MB/s): small sizes.
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) { assertLinear(t, 1<<10, h.build, refineWith(prose.Vote{Threshold: 1.1})) })
	}
}

func TestLinearResolvePropagate(t *testing.T) {
	type in struct {
		texts []string
		found [][]ner.Finding
	}
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) {
			assertLinear(t, 16<<10, func(n int) in {
				text := h.build(n)
				fs, _ := ner.Multi{pattern.Default(), names.New()}.Detect(context.Background(), text)
				return in{[]string{text}, [][]ner.Finding{fs}}
			}, func(x in) {
				found := [][]ner.Finding{ner.Resolve(x.found[0])}
				ner.Propagate(x.texts, found, gazetteer.IsCommonWord)
			})
		})
	}
}
