package chain

import (
	"context"
	"regexp"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// Homes reads the owner named in "<name>'s house" after at, to, from or
// in as a person, in any case ("staying at tamsin everard's house",
// "went to Quillanby's place"): notes typed in lower case name the homes
// patients stay in by their owners, and no capital marks the name. The
// one or two words before "'s" must have at least three letters, be no
// kin word or stop word ("her sister's house", "pt's home"), clinical
// abbreviation or medicine, and each be in no list of ordinary words
// unless it is in a list of given names or surnames; one of them must be
// in no list of ordinary words ("tamsin glass's house", not "glass's
// farm"), unless the two are a given name and a surname ("amber stone's
// house"). After a given name in no list of ordinary words, the second
// word may be any ordinary word ("tamsin brown's house"). Every finding passes unchanged; words already found are not
// found again.
type Homes struct{}

var _ ner.Refiner = Homes{}

// Name implements ner.Refiner.
func (Homes) Name() string { return "homes" }

// HomeRule is the rule id of the owners Homes adds.
const HomeRule = "chain/home-owner"

var (
	homeRe = regexp.MustCompile(`(?i)\b(?:at|to|from|in|near)\s+(\pL{3,}(?:\s+\pL{3,})?)['’]s\s+(?:house|home|apartment|apt|flat|place|farm|trailer)\b`)
	kin    = lexicon.MustSet("kin")
)

// Refine implements ner.Refiner.
func (Homes) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	if !strings.ContainsAny(text, "'’") {
		return out, nil
	}
	for _, m := range homeRe.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		ok, rare := true, false
		ws := strings.Fields(text[s:e])
		var fls []gazetteer.Flags
		for i, w := range ws {
			k := strings.ToLower(w)
			fl := gazetteer.Lookup(k)
			// after a given name in no list of ordinary words, a surname
			// may be an ordinary word in no list of names ("tamsin
			// brown's house")
			surname := i == 1 && fls[0]&gazetteer.First != 0 && !fls[0].Common()
			if kin.Has(k) || stopWords.Has(k) || clinicalAbbrs.Has(k) || medications.Has(k) ||
				fl.Common() && fl&(gazetteer.First|gazetteer.Last) == 0 && !surname {
				ok = false
				break
			}
			rare = rare || !fl.Common()
			fls = append(fls, fl)
		}
		// a given name and a surname are a full name even when both are
		// ordinary words too ("amber stone's house")
		full := ok && len(fls) == 2 && fls[0]&gazetteer.First != 0 && fls[1]&gazetteer.Last != 0
		if !ok || !rare && !full || overlaps(found, s, e) {
			continue
		}
		out = append(out, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: 0.6, Rule: HomeRule})
	}
	return out, nil
}
