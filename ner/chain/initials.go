package chain

import (
	"context"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// Initials drops the names the initial rule (names/initial: a capital
// letter and a word after it, "J. Marlow") reads in clinical shorthand:
//
//   - the letter is the end of an abbreviation joined by "/", "+" or "&"
//     ("N/V. Foley", "D+I. Edges", "A&O. Calm");
//   - the letter has no full stop and the words after it are ordinary
//     words in no list of names ("W SEVERE PAIN": "w" for "with").
//
// Every other finding passes unchanged.
type Initials struct{}

var _ ner.Refiner = Initials{}

// Name implements ner.Refiner.
func (Initials) Name() string { return "initials" }

// Refine implements ner.Refiner.
func (Initials) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	return without(found, func(f ner.Finding) bool {
		return f.Rule == "names/initial" && shorthand(text, f)
	}), nil
}

func shorthand(text string, f ner.Finding) bool {
	ws := ner.Words(text[f.Start:f.End])
	if len(ws) < 2 || utf8.RuneCountInString(text[f.Start+ws[0].Start:f.Start+ws[0].End]) != 1 {
		return false
	}
	if s := f.Start + ws[0].Start; s >= 2 {
		if c := text[s-1]; (c == '/' || c == '+' || c == '&') && isAlnum(text[s-2]) {
			return true
		}
	}
	if e := f.Start + ws[0].End; e < len(text) && text[e] == '.' {
		return false
	}
	for _, w := range ws[1:] {
		fl := gazetteer.Lookup(w.Key)
		if !fl.Common() || fl&(gazetteer.First|gazetteer.Last) != 0 {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
