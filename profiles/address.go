package profiles

import (
	"regexp"
	"strings"

	"github.com/veilhq/veil/ner/lexicon"
)

// usStates are the US states, DC and territories, by name and postal
// abbreviation.
var usStates = lexicon.MustSet("us-states", "us-territories")

// stateNames are usStates, lower case, and names of the country itself.
var stateNames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range usStates.Words() {
		m[strings.ToLower(s)] = true
	}
	for _, s := range lexicon.MustSet("us-country-names").Words() {
		m[strings.ToLower(s)] = true
	}
	return m
}()

// statePattern matches a state of usStates as written ("OR", "Oregon").
var statePattern = func() string {
	var alts []string
	for _, s := range usStates.Words() {
		alts = append(alts, regexp.QuoteMeta(s))
	}
	return strings.Join(alts, "|")
}()

// IsState reports whether value names a US state, territory or the country
// ("Oregon", "OR", "OREGON").
func IsState(value string) bool {
	return stateNames[strings.ToLower(strings.Join(strings.Fields(value), " "))]
}

// cityStateRe reads what follows a street address: an optional unit, then
// ", City, ST 12345" (comma before the state optional, ZIP optional, line
// breaks allowed).
var cityStateRe = regexp.MustCompile(`^(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Room|Rm|#)\.?[ \t]*[A-Za-z0-9\-]+)?,?\s+` +
	`([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}),?\s+(` + statePattern + `)\b\.?(?:,?\s+[0-9]{5}(?:-[0-9]{4})?\b)?`)

// CityStateAfter finds the city and state that follow a street address
// ending at end in text ("87 Willow Creek Road, Beaverton, OR 97005"). It
// returns the byte spans of the city and the state, and the end of the
// whole address (after the ZIP code, if any); ok is false when no city and
// state follow.
func CityStateAfter(text string, end int) (city, state [2]int, tail int, ok bool) {
	if end < 0 || end > len(text) {
		return city, state, 0, false
	}
	m := cityStateRe.FindStringSubmatchIndex(text[end:])
	if m == nil {
		return city, state, 0, false
	}
	city = [2]int{end + m[2], end + m[3]}
	state = [2]int{end + m[4], end + m[5]}
	return city, state, end + m[1], true
}
