package chain

import (
	"context"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/litfilter"
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

// homeWindows returns the parts of text where a match of homeRe can be,
// for litfilter.FindAllIn: every match ends with an apostrophe, an s (or
// the long s, which (?i) folds to it), white space and a home word, and
// before the apostrophe holds one or two words of letters and the cue,
// each after white space; so a window runs from three runs of letters
// before the apostrophe to the longest home word after the white space.
// Running the expression only there instead of over the whole text gives
// the same matches (TestHomeWindows, FuzzHomeWindows).
func homeWindows(text string) []litfilter.Span {
	var wins []litfilter.Span
	for i := 0; i < len(text); {
		// an apostrophe, ' or ’ (E2 80 99): a byte loop, where
		// strings.IndexAny decodes every rune of the text
		k := i
		for k < len(text) && text[k] != '\'' && !(text[k] == 0xE2 && strings.HasPrefix(text[k:], "’")) {
			k++
		}
		if k == len(text) {
			break
		}
		i = k + 1
		if text[k] != '\'' {
			i = k + len("’")
		}
		q := i
		switch {
		case q < len(text) && text[q]|0x20 == 's':
			q++
		case strings.HasPrefix(text[q:], "ſ"):
			q += len("ſ")
		default:
			continue
		}
		sp := q
		for q < len(text) && isSpaceByte(text[q]) {
			q++
		}
		if q == sp || q == len(text) {
			continue
		}
		switch text[q] | 0x20 {
		case 'h', 'a', 'p', 'f', 't':
		default:
			continue
		}
		start := k
		for run := 0; run < 5 && start > 0; run++ {
			for start > 0 {
				r, w := utf8.DecodeLastRuneInString(text[:start])
				if run%2 == 0 != unicode.IsLetter(r) {
					break
				}
				if run%2 == 1 && !isSpaceByte(text[start-1]) {
					break
				}
				start -= w
			}
		}
		wins = append(wins, litfilter.Span{Start: start, End: min(len(text), q+len("apartment")+1)})
	}
	return wins
}

// isSpaceByte reports whether b is white space of the regexp package's \s.
func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// Refine implements ner.Refiner.
func (Homes) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	for _, m := range litfilter.FindAllIn(homeRe, text, homeWindows(text)) {
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
