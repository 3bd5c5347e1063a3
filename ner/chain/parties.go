package chain

import (
	"context"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// partyWords name the programme or constituency of a political party.
var partyWords = lexicon.MustSet("party-words")

// PartyRule is the rule id of the political parties Parties adds.
const PartyRule = "chain/party"

// maxPartyWords bounds how many words in capitals before "Party" make
// its name.
const maxPartyWords = 5

// Parties finds the names of political parties in maximum-recall mode:
// "Party" in capitals after up to five words in capitals of which one
// names a programme or constituency (en/party-words: "the Agrarian Party",
// "Northmoor Libertarian Party", "People’s Unity Party"). A party someone
// belongs to or stood for says what they think, and the rules read
// "Agrarian" or "Unity" as ordinary words. "Third Party" and "Contracting
// Party", roles in a contract or a lawsuit, have no such word and stay.
// Every finding passes unchanged; a name already found whole is not
// found again.
type Parties struct{}

var _ ner.Refiner = Parties{}

// Name implements ner.Refiner.
func (Parties) Name() string { return "parties" }

// Refine implements ner.Refiner.
func (Parties) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	if !strings.Contains(text, "Part") {
		return out, nil
	}
	var ws []ner.Word
	for off := 0; ; {
		i := strings.Index(text[off:], "Party")
		if i < 0 {
			break
		}
		i += off
		off = i + len("Party")
		if ws == nil {
			ws = ner.SharedWords(ctx, text)
		}
		k := wordAt(ws, i)
		if k < 0 || ws[k].Key != "party" || !ws[k].Capital {
			continue
		}
		s, named := k, false
		for j := k - 1; j >= 0 && k-j <= maxPartyWords+1; j-- {
			w := ws[j]
			gap := text[w.End:ws[j+1].Start]
			if w.Key == "s" && j > 0 && isApostrophe(text[ws[j-1].End:w.Start]) && strings.Trim(gap, " ") == "" {
				continue // the "s" of "People’s"
			}
			if !w.Capital || w.Key == "the" || strings.Trim(gap, " ’'-") != "" {
				break
			}
			s, named = j, named || partyWords.Has(w.Key)
		}
		if !named {
			continue
		}
		start, end := ws[s].Start, ws[k].End
		if coveredWhole(found, start, end) {
			continue
		}
		out = append(out, ner.Finding{Start: start, End: end, Entity: ner.Organization, Score: 0.6, Rule: PartyRule})
	}
	return out, nil
}

// wordAt is the index of the word of ws that starts at byte i, or -1.
func wordAt(ws []ner.Word, i int) int {
	lo, hi := 0, len(ws)
	for lo < hi {
		m := (lo + hi) / 2
		if ws[m].Start < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(ws) && ws[lo].Start == i {
		return lo
	}
	return -1
}

// coveredWhole reports whether one finding of found covers [s, e).
func coveredWhole(found []ner.Finding, s, e int) bool {
	for _, f := range found {
		if f.Start <= s && f.End >= e {
			return true
		}
	}
	return false
}

func isApostrophe(s string) bool { return s == "'" || s == "’" }
