package pattern

import (
	"embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word lists that rules use as macros: data/<name>.txt becomes the macro
// {{lex_<name>}} (hyphens as underscores), an alternation of its entries,
// longest first, each quoted, and {{lex_<name>_cap}} the same capitalised. A list file starts with '#' lines that say
// what it is, where it comes from and under which licence, then one entry
// a line, sorted case-insensitively and unique (TestLexFiles).

//go:embed data/*.txt
var lexFiles embed.FS

// lexMacros returns the macros of the word lists.
func lexMacros() (map[string]string, error) {
	entries, err := lexFiles.ReadDir("data")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".txt")
		words, err := readLex(e.Name())
		if err != nil {
			return nil, err
		}
		sort.SliceStable(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = regexp.QuoteMeta(w)
		}
		key := "lex_" + strings.ReplaceAll(name, "-", "_")
		out[key] = "(?:" + strings.Join(q, "|") + ")"
		// {{lex_<name>_cap}}: the entries with a capital first letter
		c := make([]string, len(words))
		for i, w := range words {
			r, n := utf8.DecodeRuneInString(w)
			c[i] = regexp.QuoteMeta(string(unicode.ToUpper(r)) + w[n:])
		}
		out[key+"_cap"] = "(?:" + strings.Join(c, "|") + ")"
	}
	return out, nil
}

// readLex reads the entries of data/name, checking the header and order.
func readLex(name string) ([]string, error) {
	raw, err := lexFiles.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	var words []string
	header := map[string]bool{}
	for n, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			if k, _, ok := strings.Cut(strings.TrimPrefix(line, "# "), ":"); ok {
				header[k] = true
			}
			continue
		}
		if line == "" || strings.TrimSpace(line) != line {
			return nil, fmt.Errorf("pattern data %s line %d: empty or padded entry", name, n+1)
		}
		if len(words) > 0 && strings.ToLower(words[len(words)-1]) >= strings.ToLower(line) {
			return nil, fmt.Errorf("pattern data %s line %d: %q out of order or repeated", name, n+1, line)
		}
		words = append(words, line)
	}
	for _, k := range []string{"what", "source", "licence"} {
		if !header[k] {
			return nil, fmt.Errorf("pattern data %s: no # %s: line", name, k)
		}
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("pattern data %s: no entries", name)
	}
	return words, nil
}
