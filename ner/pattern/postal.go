package pattern

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/veilhq/veil/ner/lexicon"
)

// postalFormats maps an ISO 3166-1 country code, and each older vehicle
// prefix written before a code ("D-10115"), to the country's postal-code
// format (the lexicon table xx/postal-codes.tsv).
var postalFormats = mustPostalFormats()

func mustPostalFormats() map[string]*regexp.Regexp {
	t, err := lexicon.GetTable("postal-codes")
	if err != nil {
		panic(fmt.Sprintf("pattern: postal-code formats: %v", err)) // a build defect, caught by tests
	}
	var rows [][]string
	t.Each(func(row []string) { rows = append(rows, row) })
	m, err := parsePostalFormats(rows)
	if err != nil {
		panic(fmt.Sprintf("pattern: postal-code formats: %v", err))
	}
	return m
}

// parsePostalFormats reads the table's records: country, prefixes
// (space-separated) and format.
func parsePostalFormats(rows [][]string) (map[string]*regexp.Regexp, error) {
	m := map[string]*regexp.Regexp{}
	for n, f := range rows {
		if len(f) != 3 {
			return nil, fmt.Errorf("record %d: %d fields, want 3", n+1, len(f))
		}
		re, err := regexp.Compile(`^(?:` + f[2] + `)$`)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", n+1, err)
		}
		for _, k := range append([]string{f[0]}, strings.Fields(f[1])...) {
			if old, ok := m[k]; ok && old.String() != re.String() {
				return nil, fmt.Errorf("record %d: prefix %s used twice", n+1, k)
			}
			m[k] = re
		}
	}
	return m, nil
}

// postalFormatOK reports whether code is a postal code of the country
// that prefix names (an ISO code or a vehicle prefix).
func postalFormatOK(prefix, code string) bool {
	re, ok := postalFormats[strings.ToUpper(prefix)]
	return ok && re.MatchString(strings.ToUpper(code))
}
