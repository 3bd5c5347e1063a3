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
	"unicode"

	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"golang.org/x/text/unicode/norm"
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
	//go:embed data/places.txt
	placesList string
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

// Words returns the words of s in no particular order.
func (s Set) Words() []string {
	out := make([]string, 0, len(s.m))
	for w := range s.m {
		out = append(out, w)
	}
	return out
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

// Places returns Veil's list of places (data/places.txt) as phrases of
// folded words ("united kingdom"); a phrase maps to true for towns and
// cities, false for countries, regions and states.
var Places = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	city := false
	for _, line := range strings.Split(placesList, "\n") {
		if strings.HasPrefix(line, "# cities") {
			city = true
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			m[strings.Join(strings.Fields(foldKey(line)), " ")] = city
		}
	}
	return m
})

// foldKey lower-cases and strips diacritics the way ner.Fold does, for the
// few lists kept here as phrases. (gazetteer cannot import ner.)
func foldKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Flags say which lists a word is in.
type Flags uint8

// The lists of Lookup.
const (
	Safe  Flags = 1 << iota // SafeWords
	Extra                   // ExtraCommonWords
	First                   // FirstNames
	Last                    // LastNames
	Place                   // the first word of a name in Places
)

// Common reports whether the word is an ordinary word (IsCommonWord).
func (f Flags) Common() bool { return f&(Safe|Extra) != 0 }

var lookupTable = sync.OnceValue(func() map[string]Flags {
	m := make(map[string]Flags, SafeWords().Len()+FirstNames().Len()+LastNames().Len())
	for _, l := range []struct {
		s Set
		f Flags
	}{{SafeWords(), Safe}, {ExtraCommonWords(), Extra}, {FirstNames(), First}, {LastNames(), Last}} {
		for w := range l.s.m {
			m[w] |= l.f
		}
	}
	for p := range Places() {
		first, _, _ := strings.Cut(p, " ")
		m[first] |= Place
	}
	return m
})

// Lookup returns the lists a lower-case word is in, with one map lookup:
// the name detectors call it for every word of a text.
func Lookup(lower string) Flags { return lookupTable()[lower] }

// LookupBytes is Lookup of a word held in a byte slice, without
// allocating (the statistical model looks up every word it tags).
func LookupBytes(lower []byte) Flags { return lookupTable()[string(lower)] }
