package pipeline

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/litfilter"
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
)

// What a de-identified output can still say about a person that no rule
// removes: a rare occupation, a small place, a named event, a vessel, a
// newspaper profile, a public office in the family, an unusual family
// fact. The supervision and research profiles leave these for a person
// to judge; Plan finds them in the text it leaves in place and adds them
// to the document's kept findings (Doc.kept), the one list of what the
// output still holds that could identify someone: the review page shows
// it (Proposal.Kept), and the report lists its residual kinds by place and
// kind, never by value (report.File.StillIdentify).

// residualRule is the rule id prefix of these findings; the entity of
// each is its kind in upper case ("RARE_OCCUPATION").
const residualRule = "residual/"

// SmallPlace is the population under which a place named in the output
// is reported: the size of the smallest area HIPAA Safe Harbor lets a
// release name by its ZIP code prefix (45 CFR 164.514(b)(2)(i)(B)).
const SmallPlace = 20_000

// residualKinds are the kinds, by entity.
var residualKinds = map[ner.Entity]string{
	"RARE_OCCUPATION":  "rare occupation",
	"PUBLIC_OFFICE":    "public office",
	"SMALL_PLACE":      "small place",
	"PLACE_POPULATION": "population of a place",
	"NAMED_EVENT":      "named event",
	"VESSEL":           "vessel",
	"MEDIA_MENTION":    "media mention",
	"FAMILY_FACT":      "unusual family fact",
}

// residualPatterns find the kinds that have a shape. Examples each
// pattern is written for:
//
//	PLACE_POPULATION  "a village of about 1,200", "a town of 900 people"
//	NAMED_EVENT       "the Harlow Mill Fire", "Hurricane Odessa", "the 2019 Ferris Creek derailment"
//	VESSEL            "the MV Kestrel", "fishing vessel Northern Dawn", "F/V Marigold"
//	MEDIA_MENTION     "profiled in the Courier", "interviewed by Channel 5"
//	FAMILY_FACT       "one of quintuplets", "the youngest of eleven children", "conjoined twins"
var residualPatterns = []struct {
	entity ner.Entity
	re     *regexp.Regexp
	check  func(m []string) bool
	// at and start, when set, find re's matches through
	// litfilter.FindAllAt(at, text, start) (at is re anchored): re is
	// tried only where start says a match may begin
	at    *regexp.Regexp
	start func(text string, i int) int
}{
	{"PLACE_POPULATION", regexp.MustCompile(`(?i)\b(?:village|hamlet|town|township|island|settlement|community|parish|borough)s? of (?:about |around |roughly |only |some |just |fewer than |under |barely )?(\d{1,3}(?:,\d{3})*|\d+)(?: (?:people|residents|inhabitants|souls|families))?\b`),
		func(m []string) bool {
			n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
			return err == nil && n > 0 && n < SmallPlace
		}, nil, nil},
	{"NAMED_EVENT", regexp.MustCompile(`\b(?:(?:Hurricane|Cyclone|Typhoon|Storm|Tropical Storm) [A-Z][a-z]+|(?:(?:19|20)\d\d |[A-Z][a-z]+ ){1,3}(?:Fire|Flood|Earthquake|Tornado|Bombing|Shooting|Massacre|Crash|Derailment|Explosion|Disaster|Riot|Collapse|Spill|Outbreak|Blizzard|Wildfire|[Dd]erailment|[Cc]rash|[Ee]xplosion|[Ff]ire|[Ss]hooting))\b`), nil, nil, nil},
	{"VESSEL", vesselRe, nil, litfilter.Anchor(vesselRe), vesselStart},
	{"MEDIA_MENTION", regexp.MustCompile(`\b(?:profiled|featured|interviewed|pictured|photographed) (?:in|by|on) (?:the |a )?(?:[A-Z][A-Za-z]+|local (?:paper|newspaper|news|radio|television|TV))`), nil, nil, nil},
	{"FAMILY_FACT", regexp.MustCompile(`(?i)\b(?:triplets|quadruplets|quintuplets|sextuplets|septuplets|conjoined twins|(?:eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|[1-9]\d) (?:children|siblings|brothers|sisters|sons|daughters|grandchildren))\b`), nil, nil, nil},
}

// vesselRe is the VESSEL pattern. Its filter lets most judgments through
// ("SS " of every "CLASS ", "ADDRESS "), and over a whole text the
// matcher steps through every byte: it is tried only at vesselStart's
// offsets instead (litfilter.FindAllAt).
var vesselRe = regexp.MustCompile(`\b(?:(?:MV|M/V|SS|HMS|USS|USNS|FV|F/V|RV|R/V|MY|M/Y|SV|S/V) [A-Z][A-Za-z]+|(?:fishing vessel|trawler|tanker|ferry|yacht|schooner|tugboat|the boat) (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b`)

// vesselWords are the words vesselRe's alternatives begin with, each
// with the space after it.
var vesselWords = []string{"MV ", "M/V ", "SS ", "HMS ", "USS ", "USNS ", "FV ", "F/V ", "RV ", "R/V ", "MY ", "M/Y ", "SV ", "S/V ",
	"fishing vessel ", "trawler ", "tanker ", "ferry ", "yacht ", "schooner ", "tugboat ", "the boat "}

// vesselStart returns the least offset at or after i where a match of
// vesselRe may begin, -1 when there is none: every alternative begins,
// after \b, with one of vesselWords, and \b before a letter wants no
// ASCII word byte before it.
func vesselStart(text string, i int) int {
	for p := i; p < len(text); p++ {
		switch text[p] {
		case 'M', 'S', 'H', 'U', 'F', 'R', 'f', 't', 'y', 's':
		default:
			continue
		}
		if p > 0 && asciiWordByte(text[p-1]) {
			continue
		}
		for _, w := range vesselWords {
			if strings.HasPrefix(text[p:], w) {
				return p
			}
		}
	}
	return -1
}

// asciiWordByte reports whether b is a word byte of the regexp package's \b.
func asciiWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

// residualFilters hold, per residual pattern, the words of which a text
// it matches holds one (litfilter): most parts hold none, and the pattern
// is not run over them. A pattern that does not fold case has them also
// as written (cased: "MV ", not the "my " of every lower-cased text).
// Each is a litfilter.Multi over the patterns, in their order: one pass
// over the text for the five patterns' 130 literals, not a search each.
var residualFilters = sync.OnceValue(func() struct{ lower, cased *litfilter.Multi } {
	lower := make([]*litfilter.Filter, len(residualPatterns))
	cased := make([]*litfilter.Filter, len(residualPatterns))
	for i, p := range residualPatterns {
		lower[i], cased[i] = litfilter.For(p.re), litfilter.ForCase(p.re)
	}
	return struct{ lower, cased *litfilter.Multi }{litfilter.NewMulti(lower), litfilter.NewMulti(cased)}
})

// residualLists are the word lists of the kinds that are words.
var residualLists = sync.OnceValue(func() map[ner.Entity]lexicon.Set {
	return map[ner.Entity]lexicon.Set{
		"RARE_OCCUPATION": lexicon.MustSet("rare-occupations"),
		"PUBLIC_OFFICE":   lexicon.MustSet("public-offices"),
	}
})

// residualsWanted reports whether the profile gets the could-still-
// identify review: it hides who people are (aliases, pseudonyms), so what
// else identifies them matters. A court production keeps the parties'
// names and is not reviewed this way.
func residualsWanted(p *profiles.Profile) bool {
	return perPerson(p.For(ner.Person).Action) && p.For(ner.Person).Action != profiles.Initials
}

// residuals returns what part i of d still says, outside the edits of
// the part (spans, in order, not overlapping), that could identify
// someone. It is linear in the text: each candidate finds the edit it
// could overlap by a binary search, and a phrase is looked up in the
// lists only when its first word begins an entry (residualFirstWords)
// and among the small places only when it is capitalised.
func residuals(text string, edits [][2]int) []ner.Finding {
	outside := func(s, e int) bool {
		// The first edit that ends after s is the only one that can
		// overlap [s, e): the edits are in order and do not overlap.
		k := sort.Search(len(edits), func(k int) bool { return edits[k][1] > s })
		return k == len(edits) || edits[k][0] >= e
	}
	var out []ner.Finding
	add := func(ent ner.Entity, s, e int) {
		if outside(s, e) {
			out = append(out, ner.Finding{Start: s, End: e, Entity: ent, Score: 1, Rule: residualRule + strings.ToLower(string(ent))})
		}
	}
	filters := residualFilters()
	var may [2][8]bool // the patterns' filters, over the lower-cased text and as written
	lower, cased := filters.lower.MayMatch(litfilter.Lower(text), may[0][:0]), filters.cased.MayMatch(text, may[1][:0])
	for i, p := range residualPatterns {
		if !lower[i] || !cased[i] {
			continue
		}
		var locs [][]int
		if p.at != nil {
			locs = litfilter.FindAllAt(p.at, text, p.start)
		} else {
			locs = p.re.FindAllStringSubmatchIndex(text, -1)
		}
		for _, loc := range locs {
			if p.check != nil {
				m := make([]string, len(loc)/2)
				for k := range m {
					if loc[2*k] >= 0 {
						m[k] = text[loc[2*k]:loc[2*k+1]]
					}
				}
				if !p.check(m) {
					continue
				}
			}
			add(p.entity, loc[0], loc[1])
		}
	}
	// Words: phrases of up to three words of a list, and capitalised
	// phrases that name a small place.
	words := wordSpans(text)
	lists := residualLists()
	first := residualFirstWords()
	places, placeFirst := smallPlaces(), smallPlaceFirstWords()
	var buf [64]byte
	for i := 0; i < len(words); i++ {
		w := text[words[i][0]:words[i][1]]
		// A phrase of a list begins with the first word of an entry
		// (checked for a word of ASCII followed by ASCII only: Key's
		// normalisation can join a letter with a combining mark after
		// it); a small place's name with a capital.
		inLists := !ner.IsASCII(w) || words[i][1] < len(text) && text[words[i][1]] >= utf8.RuneSelf || first[string(ner.AppendLowerASCII(buf[:0], w))]
		upper, _ := utf8.DecodeRuneInString(w)
		if !inLists && !unicode.IsUpper(upper) {
			continue
		}
		for n := min(3, len(words)-i); n >= 1; n-- {
			s, e := words[i][0], words[i+n-1][1]
			if n > 1 && !singleSpaced(text[s:e]) {
				continue
			}
			phrase := "" // strings.ToLower(text[s:e]), made when wanted
			hit := false
			if inLists {
				phrase = strings.ToLower(text[s:e])
				for _, ent := range residualListOrder {
					if lists[ent].Has(phrase) {
						add(ent, s, e)
						hit = true
					}
				}
			}
			// The key's first word begins some small place's name, or
			// the key is none (firstKeyASCII: ok false when it cannot
			// tell); most capitalised words begin none.
			if !hit && capitalised(text[s:e]) {
				if fk, ok := firstKeyASCII(buf[:0], text[s:e]); !ok || placeFirst.has(fk) {
					k := strings.Join(ner.Fold(text[s:e]), " ")
					if n == 1 && phrase == "" {
						phrase = strings.ToLower(text[s:e])
					}
					if places.has(k) && (n > 1 || !gazetteer.IsCommonWord(phrase) && !gazetteer.IsName(phrase)) {
						add("SMALL_PLACE", s, e)
						hit = true
					}
				}
			}
			if hit {
				i += n - 1
				break
			}
		}
	}
	return out
}

// firstKeyASCII returns the key of the first word of phrase (ner.Words:
// Fold(phrase)[0]), which begins with a letter, when that word is ASCII
// and ends before a byte of ASCII or at the end of phrase: the word's
// letters and digits lower-cased (ner.AppendLowerASCII into buf). ok is false
// when it cannot tell cheaply (a rune beyond ASCII next to the word).
func firstKeyASCII(buf []byte, phrase string) (key []byte, ok bool) {
	j := 0
	for j < len(phrase) {
		c := phrase[j]
		if c >= utf8.RuneSelf {
			return nil, false
		}
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			break
		}
		j++
	}
	return ner.AppendLowerASCII(buf, phrase[:j]), true
}

// residualListOrder is the order the lists are looked up in, so that a
// phrase of both lists is added in the same order every time.
var residualListOrder = []ner.Entity{"RARE_OCCUPATION", "PUBLIC_OFFICE"}

// residualFirstWords holds the first word (wordSpans) of every entry of
// the residual lists, by its key (lower case). An entry that does not
// begin with a word is left out: residuals builds phrases from word
// starts, so no phrase can be such an entry.
var residualFirstWords = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, set := range residualLists() {
		set.Each(func(key string) {
			if ws := wordSpans(key); len(ws) > 0 && ws[0][0] == 0 {
				out[key[:ws[0][1]]] = true
			}
		})
	}
	return out
})

// wordSpans returns the spans of the words of text (letters, with inner
// hyphens and apostrophes).
func wordSpans(text string) [][2]int {
	out := make([][2]int, 0, len(text)/8)
	start := -1
	for i, r := range text {
		letter := unicode.IsLetter(r) || (start >= 0 && (r == '-' || r == '\'' || r == '’'))
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

func singleSpaced(s string) bool {
	return !strings.ContainsAny(s, "\n\t.,;:") && !strings.Contains(s, "  ")
}

// capitalised reports whether every word of s (separated by white space)
// starts with an upper-case letter and s is not all upper case (a
// heading).
func capitalised(s string) bool {
	lower, start := false, true
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			start = true
		case start:
			if !unicode.IsUpper(r) {
				return false
			}
			start = false
		default:
			lower = lower || unicode.IsLower(r)
		}
	}
	return lower
}

// stillIdentify returns the report's list of d's residual findings: by
// part, location and kind, never by value.
func stillIdentify(d *Doc) []report.Residual {
	var out []report.Residual
	for _, k := range d.kept {
		kind, ok := residualKinds[k.Entity]
		if !ok || !strings.HasPrefix(k.Rule, residualRule) {
			continue
		}
		part := d.parts[k.Part]
		out = append(out, report.Residual{Kind: kind, Part: part.Name, Location: locate(d.doc, k.Part, part, k.Start)})
	}
	return out
}
