package profiles

import (
	"regexp"
	"strings"
)

// stateNames are the US states, DC and territories, by name and postal
// abbreviation, and names of the country itself.
var stateNames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Split(statePattern, "|") {
		m[strings.ToLower(s)] = true
	}
	for _, s := range []string{"united states", "united states of america", "usa", "u.s.", "u.s.a.", "us"} {
		m[s] = true
	}
	return m
}()

const statePattern = `AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|AS|MP|` +
	`Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|District of Columbia|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico|Guam`

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
