package pattern

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
)

//go:embed data/postal-codes.tsv
var postalData string

// postalFormats maps an ISO 3166-1 country code, and each older vehicle
// prefix written before a code ("D-10115"), to the country's postal-code
// format (data/postal-codes.tsv).
var postalFormats = mustPostalFormats(postalData)

func mustPostalFormats(data string) map[string]*regexp.Regexp {
	m, err := parsePostalFormats(data)
	if err != nil {
		panic(fmt.Sprintf("pattern: embedded postal-code formats: %v", err)) // a build defect, caught by tests
	}
	return m
}

// parsePostalFormats reads the table: comment lines, then country, prefixes
// and format separated by tabs.
func parsePostalFormats(data string) (map[string]*regexp.Regexp, error) {
	m := map[string]*regexp.Regexp{}
	for n, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: %d fields, want 3", n+1, len(f))
		}
		re, err := regexp.Compile(`^(?:` + f[2] + `)$`)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		for _, k := range append([]string{f[0]}, strings.Fields(f[1])...) {
			if old, ok := m[k]; ok && old.String() != re.String() {
				return nil, fmt.Errorf("line %d: prefix %s used twice", n+1, k)
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
