package names

import (
	"context"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// Eponyms drops the findings that name a clinical eponym, not a person or
// a place: "Parkinson" in "Parkinson's disease", "Glasgow" in "Glasgow
// Coma Scale", "Beck" in "Beck Depression Inventory", "Alzheimer's" at the
// end of a clause. A finding is an eponym when its first words are in the
// lexicon's eponyms and an eponym head word (eponym-heads) ends it or
// follows it, after an optional possessive and at most two capitalised
// words; or when it is a possessive eponym that ends a clause. A name with
// another word before the eponym ("Jane Parkinson") is a person still.
//
// It is the last refiner of the text chain, and the names detector applies
// it to its own findings, so that verification, which runs the detectors
// alone, reads an eponym as analysis did.
type Eponyms struct{}

var _ ner.Refiner = Eponyms{}

var (
	eponymWords = func() map[string]bool {
		m := map[string]bool{}
		for _, e := range lexicon.MustSet("eponyms").Words() {
			for _, k := range ner.Fold(e) {
				m[k] = true
			}
		}
		return m
	}()
	eponymHeads = lexicon.MustSet("eponym-heads")
)

// Name implements ner.Refiner.
func (Eponyms) Name() string { return "eponyms" }

// Refine implements ner.Refiner.
func (Eponyms) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	return DropEponyms(text, found), ctx.Err()
}

// DropEponyms returns found, findings of text, without the eponyms (see
// Eponyms); found itself is not changed. The pipeline applies it to what
// propagation adds ("Parkinson" in "Parkinson's disease" when a "Dr.
// Parkinson" is found elsewhere).
func DropEponyms(text string, found []ner.Finding) []ner.Finding {
	return ner.Drop(found, func(f ner.Finding) bool { return IsEponym(text, f) })
}

// IsEponym reports whether finding f of text names a clinical eponym (see
// Eponyms). Only persons, places, organisations and other names can be.
func IsEponym(text string, f ner.Finding) bool {
	switch f.Entity {
	case ner.Person, ner.Location, ner.Organization, ner.Other:
	default:
		return false
	}
	// most findings start with no eponym: one word read, not all
	if w, ok := ner.FirstWord(text[f.Start:f.End]); !ok || !eponymWords[w.Key] {
		return false
	}
	ws := ner.Words(text[f.Start:f.End])
	i := 0
	for i < len(ws) && (eponymWords[ws[i].Key] || i > 0 && ws[i].Key == "s") {
		i++
	}
	if i == 0 {
		return false
	}
	for _, w := range ws[i:] {
		if eponymHeads.Has(w.Key) {
			return true // "Wechsler Adult Intelligence Scale"
		}
	}
	if i < len(ws) {
		return false
	}
	end := min(len(text), f.End+64)
	after := text[f.End:end]
	rest, possessive := cutPossessive(after)
	if possessive {
		if t := strings.TrimLeft(rest, " \t"); t == "" || strings.ContainsRune(".,;:)!?\n", rune(t[0])) {
			return true // "had Alzheimer's."
		}
	}
	prev := 0
	for k, w := range ner.Words(rest) {
		if k == 3 || strings.Trim(rest[prev:w.Start], " \t-") != "" {
			return false
		}
		if eponymHeads.Has(w.Key) {
			return true
		}
		if !w.Capital {
			return false
		}
		prev = w.End
	}
	return false
}

// cutPossessive returns s without a leading possessive ("'s", "’s", or
// a bare apostrophe after an s: "Graves' disease").
func cutPossessive(s string) (string, bool) {
	for _, p := range []string{"'s", "’s", "'", "’"} {
		if r, ok := strings.CutPrefix(s, p); ok {
			if r != "" && isLetter(r[0]) {
				return s, false // "O'Neill"
			}
			return r, true
		}
	}
	return s, false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80 }
