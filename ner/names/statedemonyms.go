package names

import (
	"strings"

	"github.com/veilhq/veil/ner"
)

// IsStateDemonym reports whether text[start:end] is a nationality that
// names a State's government where it stands: a listed demonym (the
// lexicon's demonyms) followed by "Government" or "Government's" after
// one space ("the Ruritanian Government were represented by their
// Agent"). The government of a State names the State, which a judgment
// names in its title anyway, and no one who belongs to it; maximum recall
// leaves it for that reason (a demonym before a state word), so the
// nationality of a party, removed elsewhere ("a Ruritanian national"),
// does not make it a leak there.
//
// It is not one in a sentence that says the Government may intervene or
// did not ("The Ruritanian Government did not make use of their right to
// intervene"): a State other than the respondent intervenes in a case
// because the applicant is its national, so there the nationality tells
// who the applicant is. The sentence is read up to its next full stop,
// at most sentenceWindow bytes on.
func IsStateDemonym(text string, start, end int) bool {
	if start < 0 || end > len(text) || start >= end {
		return false
	}
	ws := ner.Words(text[start:end])
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		if !demonyms[w.Key] {
			return false
		}
	}
	rest, ok := strings.CutPrefix(text[end:], " Government")
	if !ok {
		return false
	}
	if rest != "" && isLetter(rest[0]) {
		return false // "Governments", "Governmental"
	}
	if len(rest) > sentenceWindow {
		rest = rest[:sentenceWindow]
	}
	if stop := strings.IndexByte(rest, '.'); stop >= 0 {
		rest = rest[:stop]
	}
	return !strings.Contains(rest, "interven") && !strings.Contains(rest, "INTERVEN")
}

// sentenceWindow bounds the bytes after "Government" read for the rest of
// its sentence, so that a text without full stops costs no more per
// finding than one with them.
const sentenceWindow = 200

// DropStateDemonyms returns found, findings of text, without the
// nationalities that name a State's government (IsStateDemonym); found
// itself is not changed. The pipeline applies it to what propagation
// adds: a nationality found describing someone ("a Ruritanian national")
// is redacted wherever it describes someone, not where it names the
// Government of the State.
func DropStateDemonyms(text string, found []ner.Finding) []ner.Finding {
	return ner.Drop(found, func(f ner.Finding) bool {
		return f.Entity == ner.Demographic && IsStateDemonym(text, f.Start, f.End)
	})
}
