// Package gazetteer holds word lists used by the name detectors: given names,
// surnames, and "safe words" that are not names (English and medical
// vocabulary). The lists come from UCSF Philter (BSD-3-Clause, see
// data/LICENSE-philter-ucsf.txt and NOTICE) and are embedded gzip-compressed.
//
// Lists load lazily on first use (tens of milliseconds, ~40 MB) and are
// read-only afterwards, so they are safe for concurrent use.
package gazetteer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

var (
	//go:embed data/first_names.txt.gz
	firstNamesGz []byte
	//go:embed data/last_names.txt.gz
	lastNamesGz []byte
	//go:embed data/safe_words.txt.gz
	safeWordsGz []byte
	//go:embed data/common_extra.txt
	commonExtra string
)

// Set is a read-only set of lower-case words.
type Set struct{ m map[string]struct{} }

// Has reports whether word, lower-cased, is in the set.
func (s Set) Has(word string) bool {
	if _, ok := s.m[word]; ok {
		return true
	}
	_, ok := s.m[strings.ToLower(word)]
	return ok
}

// Len returns the number of words.
func (s Set) Len() int { return len(s.m) }

// NewSet builds a set from words (lower-cased).
func NewSet(words ...string) Set {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[strings.ToLower(w)] = struct{}{}
	}
	return Set{m}
}

func lazy(gz []byte, name string) func() Set {
	return sync.OnceValue(func() Set {
		s, err := load(gz)
		if err != nil {
			panic(fmt.Sprintf("gazetteer: embedded %s: %v", name, err)) // a build defect, caught by tests
		}
		return s
	})
}

// FirstNames returns given names.
var FirstNames = lazy(firstNamesGz, "first_names")

// LastNames returns surnames.
var LastNames = lazy(lastNamesGz, "last_names")

// SafeWords returns words that are not names.
var SafeWords = lazy(safeWordsGz, "safe_words")

func load(gz []byte) (Set, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return Set{}, err
	}
	m := make(map[string]struct{}, 200000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			m[strings.ToLower(w)] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		return Set{}, err
	}
	return Set{m}, zr.Close()
}

// IsName reports whether word is a known given name or surname.
func IsName(word string) bool { return FirstNames().Has(word) || LastNames().Has(word) }

// ExtraCommonWords returns Veil's own list of ordinary words that the
// safe-word list lacks (data/common_extra.txt).
var ExtraCommonWords = sync.OnceValue(func() Set {
	var words []string
	for _, line := range strings.Split(commonExtra, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		words = append(words, strings.Fields(line)...)
	}
	return NewSet(words...)
})

// IsCommonWord reports whether word is an ordinary word: a safe word or one
// of ExtraCommonWords.
func IsCommonWord(word string) bool { return SafeWords().Has(word) || ExtraCommonWords().Has(word) }
