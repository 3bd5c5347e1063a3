// Package gazetteer answers the name detectors' questions about single
// words, from the word lists of ner/lexicon: given names, surnames and
// "safe words" that are not names (English and medical vocabulary, from
// UCSF Philter, BSD-3-Clause, see NOTICE), Veil's own list of ordinary
// words the safe words lack, and places.
//
// Lists load lazily on first use (tens of milliseconds, ~40 MB) and are
// read-only afterwards, so they are safe for concurrent use.
package gazetteer

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/veilhq/veil/ner/lexicon"
)

//go:embed data/places.txt
var placesList string

// Set is a read-only set of words; Has ignores case.
type Set = lexicon.Set

// NewSet builds a set from words.
func NewSet(words ...string) Set { return lexicon.NewSet(words...) }

func lazy(concept string) func() Set {
	return sync.OnceValue(func() Set { return lexicon.MustSet(concept) })
}

// FirstNames returns given names (lexicon concept first-names).
var FirstNames = lazy("first-names")

// LastNames returns surnames (lexicon concept last-names).
var LastNames = lazy("last-names")

// SafeWords returns words that are not names (lexicon concept safe-words).
var SafeWords = lazy("safe-words")

// IsName reports whether word is a known given name or surname.
func IsName(word string) bool { return FirstNames().Has(word) || LastNames().Has(word) }

// ExtraCommonWords returns Veil's own list of ordinary words that the
// safe-word list lacks (lexicon concept common-words).
var ExtraCommonWords = lazy("common-words")

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
		l.s.Each(func(w string) { m[w] |= l.f })
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
