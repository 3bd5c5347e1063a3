package pattern

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner/lexicon"
)

// Word lists that rules use as macros. They live in ner/lexicon, one file
// per language and concept (en/street-types.txt, pl/unit-designators.txt):
// a rule's {{lex_<concept>}} (hyphens as underscores) becomes an
// alternation of the concept's entries in every language, longest first,
// each quoted, and {{lex_<concept>_cap}} the same with a capital first
// letter. keywords_from: <concept> takes a concept's entries as keywords.

var lexRef = regexp.MustCompile(`\{\{(lex_[a-z0-9_]+)\}\}`)

// lexRefs returns the word lists' macros that data refers to, in the
// order of their first reference.
func lexRefs(data []byte) []string {
	var keys []string
	seen := map[string]bool{}
	for _, m := range lexRef.FindAllSubmatch(data, -1) {
		if key := string(m[1]); !seen[key] {
			seen[key] = true
			keys = append(keys, key)
		}
	}
	return keys
}

// lexMacros returns the macros of the word lists keys (lexRefs).
func lexMacros(keys []string) (map[string]string, error) {
	out := map[string]string{}
	for _, key := range keys {
		if _, done := out[key]; done {
			continue
		}
		concept := strings.ReplaceAll(strings.TrimPrefix(key, "lex_"), "_", "-")
		capital := false
		if c, ok := strings.CutSuffix(concept, "-cap"); ok && !hasConcept(concept) {
			concept, capital = c, true
		}
		words, err := lexWords(concept)
		if err != nil {
			return nil, fmt.Errorf("macro %s: %w", key, err)
		}
		sort.SliceStable(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
		q := make([]string, len(words))
		for i, w := range words {
			if capital {
				r, n := utf8.DecodeRuneInString(w)
				w = string(unicode.ToUpper(r)) + w[n:]
			}
			q[i] = regexp.QuoteMeta(w)
		}
		out[key] = "(?:" + strings.Join(q, "|") + ")"
	}
	return out, nil
}

// hasConcept reports whether the lexicon has a list named c.
func hasConcept(c string) bool {
	cs := lexicon.Concepts()
	i := sort.SearchStrings(cs, c)
	return i < len(cs) && cs[i] == c
}

// lexWords returns the entries of a lexicon concept in every language.
func lexWords(concept string) ([]string, error) {
	s, err := lexicon.Get(concept)
	if err != nil {
		return nil, err
	}
	if s.Len() == 0 {
		return nil, fmt.Errorf("word list %q has no entries", concept)
	}
	return s.Words(), nil
}
