package chain

import (
	"context"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// WhereaboutsRule is the rule id of the places Whereabouts adds.
const WhereaboutsRule = "chain/whereabouts"

var (
	residenceWords = lexicon.MustSet("residence-words")
	months         = lexicon.MustSet("months")
	weekdays       = lexicon.MustSet("weekdays")
)

// maxPlaceWords bounds the words of a place Whereabouts reads.
const maxPlaceWords = 3

// Whereabouts finds, in maximum-recall mode, the place in capitals after
// a word that says where someone lives or works and "in" ("lives in
// De Haan", "a lawyer practising in Wexmoorshire"): where the lists do
// not know the place (a county) or know its name as something else (a
// name particle such as "de"), the cue still says it is one. Up to three words
// in capitals joined by spaces or hyphens, none a month, a weekday or a
// stop word; nothing is added where any finding lies already (the rules
// decided). Every finding passes unchanged.
type Whereabouts struct{}

var _ ner.Refiner = Whereabouts{}

// Name implements ner.Refiner.
func (Whereabouts) Name() string { return "whereabouts" }

// Refine implements ner.Refiner.
func (Whereabouts) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	if !strings.Contains(text, " in ") {
		return out, nil
	}
	ws := ner.SharedWords(ctx, text)
	for i := 0; i+2 < len(ws); i++ {
		if !residenceWords.Has(ws[i].Key) || ws[i+1].Key != "in" || text[ws[i].End:ws[i+1].Start] != " " || text[ws[i+1].End:ws[i+2].Start] != " " {
			continue
		}
		k := i + 2
		for k < len(ws) && k-(i+2) < maxPlaceWords && ws[k].Capital && !months.Has(ws[k].Key) && !weekdays.Has(ws[k].Key) && !stopWords.Has(ws[k].Key) &&
			(k == i+2 || text[ws[k-1].End:ws[k].Start] == " " || text[ws[k-1].End:ws[k].Start] == "-") {
			k++
		}
		if k == i+2 {
			continue
		}
		s, e := ws[i+2].Start, ws[k-1].End
		if overlaps(found, s, e) {
			continue
		}
		out = append(out, ner.Finding{Start: s, End: e, Entity: ner.Location, Score: 0.6, Rule: WhereaboutsRule})
		i = k - 1
	}
	return out, nil
}
