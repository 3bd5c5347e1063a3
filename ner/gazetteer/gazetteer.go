// Package gazetteer answers the name detectors' questions about single
// words, from the word lists of ner/lexicon: given names, surnames and
// "safe words" that are not names (English and medical vocabulary, from
// UCSF Philter, BSD-3-Clause, see NOTICE), Veil's own list of ordinary
// words the safe words lack, English dictionary words (SCOWL), and places
// (ISO country names, GeoNames regions and towns, CC BY 4.0).
//
// Lists load lazily on first use (a fraction of a second; the lookup
// table is ~15 MB of pointer-free slices, table.go) and are read-only
// afterwards, so they are safe for concurrent use.
package gazetteer

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"

	"golang.org/x/text/unicode/norm"

	"github.com/veilhq/veil/internal/strindex"
	"github.com/veilhq/veil/ner/lexicon"
)

// Set is one of the word lists, read through the lookup table: Has
// ignores case.
type Set struct{ f Flags }

// Has reports whether word, lower-cased, is in the list.
func (s Set) Has(word string) bool {
	t := tables().flags
	if t.get(word)&s.f != 0 {
		return true
	}
	return t.get(strings.ToLower(word))&s.f != 0
}

// Len returns the number of words in the list.
func (s Set) Len() int { return tables().count[s.f] }

// Words returns the words of the list, lower-cased, in no particular
// order.
func (s Set) Words() []string {
	out := make([]string, 0, s.Len())
	tables().flags.each(func(w string, f Flags) {
		if f&s.f != 0 {
			out = append(out, w)
		}
	})
	return out
}

// FirstNames returns given names (lexicon concept first-names).
func FirstNames() Set { return Set{First} }

// LastNames returns surnames (lexicon concept last-names).
func LastNames() Set { return Set{Last} }

// SafeWords returns words that are not names (lexicon concept safe-words).
func SafeWords() Set { return Set{Safe} }

// IsName reports whether word is a known given name or surname.
func IsName(word string) bool { return Set{First | Last}.Has(word) }

// ExtraCommonWords returns Veil's own list of ordinary words that the
// safe-word list lacks (lexicon concept common-words).
func ExtraCommonWords() Set { return Set{Extra} }

// IsCommonWord reports whether word is an ordinary word: a safe word or one
// of ExtraCommonWords.
func IsCommonWord(word string) bool { return Set{Safe | Extra}.Has(word) }

// IsDictionaryWord reports whether word, or its folded key
// (lexicon.Key), is an ordinary English word: a lower-case entry of SCOWL
// (lexicon concept dictionary-words), which leaves proper nouns out. Many
// of them are names too ("font", "rose"): where nothing but the name lists
// would call a word a name (a word of a file name), such a word is not one.
func IsDictionaryWord(word string) bool {
	t := tables().flags
	for _, w := range []string{word, strings.ToLower(word)} {
		if t.get(w)&dictWord != 0 {
			return true
		}
	}
	key := lexicon.Key(word)
	return key != word && t.get(key)&dictWord != 0
}

// BigCity is the population from which a town's name counts as a place
// where it could be read as something else ("Warsaw", a surname too);
// NameCity the same for a town named like a given name ("Sofia").
const (
	BigCity  = 100_000
	NameCity = 1_000_000
)

// Places returns the places the name rules recognise on their own, as
// phrases of folded words ("united kingdom"); a phrase maps to true for
// towns and cities, false for countries, regions and states, which
// identify no one and are recognised so that no other rule takes them for
// a name. Countries are the English names of ISO 3166-1 (lexicon concept
// countries), regions GeoNames' first-level divisions (regions) and the
// US states (us-states), towns
// and cities GeoNames' places of 1,000 inhabitants or more (cities), by
// name and ASCII name.
//
// The place lists hold many words that are something else too, so a name
// is left out where it would more often be something else (see placeOK):
// where it is one English dictionary word ("Reading", "Nice", "Central")
// or one of ExtraCommonWords ("OSH"); a region of one word also where it
// is a given name or surname ("Victoria"), so that no one's name is taken
// for a region; a town of one word where it has fewer than three letters,
// where it is a given name ("Margaret") unless NameCity people live there,
// and where it has three letters, is a surname or a safe word (drug names,
// "Norco") unless BigCity people do: a town mistaken for a surname is
// still redacted, a given name taken for a town is not a person any more;
// a town of several words each of which is a dictionary word or a name
// ("Pleasant Hill", "Mary Esther") unless BigCity people live there. A
// town takes the name of a country or region only if BigCity people live
// there or it is the seat of a country or of a first-level division
// ("Tunceli", not the towns called "Oregon"). The US states count as
// regions by name, as addresses write them.
//
// The map is made on the first call (the lookups of detection use
// PlaceOf, which needs none).
func Places() map[string]bool { return placesMap() }

var placesMap = sync.OnceValue(func() map[string]bool {
	ps := tables().places
	m := make(map[string]bool, ps.idx.Len())
	for i := range ps.idx.Len() {
		m[ps.idx.Key(i)] = ps.town[i]
	}
	return m
})

// PlaceOf reports whether phrase (folded words, as in Places) is one of
// Places, and whether it is a town or city.
func PlaceOf(phrase string) (town, ok bool) { return tables().places.get(phrase) }

// placeSet is Places as the tables hold it: the phrases in a
// strindex.Index (no Go map of 150,000 strings to build at every start)
// and whether each is a town.
type placeSet struct {
	idx  *strindex.Index
	town []bool // town[i]: phrase i is a town or city
}

func (ps placeSet) get(phrase string) (town, ok bool) {
	i, ok := ps.idx.Get(phrase)
	if !ok {
		return false, false
	}
	return ps.town[i], true
}

// newPlaceSet returns the set of m's phrases, in sorted order.
func newPlaceSet(m map[string]bool) placeSet {
	phrases := make([]string, 0, len(m))
	for p := range m {
		phrases = append(phrases, p)
	}
	sort.Strings(phrases)
	ps := placeSet{idx: strindex.New(len(phrases)), town: make([]bool, 0, len(phrases))}
	for _, p := range phrases {
		ps.idx.Push(p)
		ps.town = append(ps.town, m[p])
	}
	ps.idx.Place() // the phrases are a map's keys: no repeat
	return ps
}

// placeLists are the place lists as read, before the word lists decide
// which names count (placesFrom).
type placeLists struct {
	countries, states []string
	regions           []string
	towns             map[string]town
}

type town struct {
	pop  int
	seat bool // the seat of a country or first-level division
}

// readPlaces reads the place lists. It needs nothing else, so it runs
// alongside the reading of the word lists.
func readPlaces() *placeLists {
	pl := &placeLists{towns: make(map[string]town, 130_000)}
	for _, w := range lexicon.MustSet("countries").Words() {
		if k := phrase(w); k != "" {
			pl.countries = append(pl.countries, k)
		}
	}
	for _, w := range lexicon.MustSet("regions").Words() {
		if k := phrase(w); k != "" {
			pl.regions = append(pl.regions, k)
		}
	}
	for _, w := range lexicon.MustSet("us-states").Words() {
		if k := phrase(w); len(k) > 2 {
			pl.states = append(pl.states, k)
		}
	}
	err := lexicon.ScanTable("cities", func(r []string) {
		n, _ := strconv.Atoi(r[3])
		seat := r[4] == "capital" || r[4] == "1"
		for i, name := range r[:2] {
			if i == 1 && name == r[0] {
				break
			}
			if k := phrase(name); k != "" {
				t := pl.towns[k]
				pl.towns[k] = town{max(t.pop, n), t.seat || seat}
			}
		}
	})
	if err != nil {
		panic(err.Error()) // a build defect, caught by the lexicon's tests
	}
	return pl
}

// places builds Places from the place lists and the flags of the word
// lists.
func places(flags *table, pl *placeLists) map[string]bool {
	placeOK := func(k string, pop int, region bool) bool { return placeOK(flags, k, pop, region) }
	m := make(map[string]bool, 100_000)
	for _, k := range pl.countries {
		m[k] = false
	}
	for _, k := range pl.regions {
		if placeOK(k, 0, true) {
			m[k] = false
		}
	}
	for _, k := range pl.states {
		m[k] = false
	}
	for k, t := range pl.towns {
		if _, region := m[k]; region && t.pop < BigCity && !t.seat {
			continue
		}
		if placeOK(k, t.pop, false) {
			m[k] = true
		}
	}
	return m
}

// placeOK reports whether the place phrase k (folded words) is read as a
// place wherever it is capitalised: see Places. pop is a town's
// population; region is set for regions.
func placeOK(flags *table, k string, pop int, region bool) bool {
	is := func(w string, f Flags) bool { return flags.get(w)&f != 0 }
	dict := func(w string) bool { // lexicon.Set's Has: the word, or its Key
		if is(w, dictWord) {
			return true
		}
		key := lexicon.Key(w)
		return key != w && is(key, dictWord)
	}
	ws := strings.Fields(k)
	if len(ws) > 1 {
		for _, w := range ws {
			if !dict(w) && !is(w, First|Last) {
				return true
			}
		}
		return region || pop >= BigCity
	}
	w := ws[0]
	switch {
	case dict(w) || is(w, Extra):
		return false
	case region:
		return !is(w, First|Last)
	case utf8.RuneCountInString(w) < 3:
		return false
	case is(w, First):
		return pop >= NameCity
	case pop >= BigCity:
		return true
	}
	return utf8.RuneCountInString(w) >= 4 && !is(w, Safe|Last)
}

func phrase(name string) string { return strings.Join(strings.Fields(foldKey(name)), " ") }

// foldKey lower-cases and strips diacritics the way ner.Fold does, for the
// few lists kept here as phrases.
func foldKey(s string) string {
	if ner.IsASCII(s) {
		b := []byte(s)
		for i, c := range b {
			switch {
			case c >= 'A' && c <= 'Z':
				b[i] = c + 'a' - 'A'
			case !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9'):
				b[i] = ' '
			}
		}
		return string(b)
	}
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
	Safe      Flags = 1 << iota // SafeWords
	Extra                       // ExtraCommonWords
	First                       // FirstNames
	Last                        // LastNames
	Place                       // the first word of a name in Places
	PlaceName                   // a name in Places on its own ("Istanbul")

	// dictWord marks the English dictionary words (lexicon concept
	// dictionary-words) in the table, for placeOK; Lookup does not
	// return it.
	dictWord Flags = 1 << 7
	public         = Safe | Extra | First | Last | Place | PlaceName
)

// Common reports whether the word is an ordinary word (IsCommonWord).
func (f Flags) Common() bool { return f&(Safe|Extra) != 0 }

type data struct {
	flags  *table        // the lists each word is in
	count  map[Flags]int // the length of each list
	places placeSet      // Places
}

// tables loads the lists once. The large lists are read into the lookup
// table and not kept otherwise: one table for all of them (the English
// dictionary words too, which only placeOK reads).
var tables = sync.OnceValue(load)

// load returns the tables: the prebuilt ones (prebuilt.go) when they were
// made from the lists as they are, else the ones build makes from the
// lists.
func load() *data {
	if d, err := parse(prebuiltText()); err == nil { // the text and the keys
		return d
	}
	return build()
}

// build reads the lists into the lookup tables.
func build() *data {
	d := &data{flags: newTable(640_000), count: map[Flags]int{}}
	// The place lists are read meanwhile, on another core: loading is
	// most of a short run's start-up.
	plc := make(chan *placeLists, 1)
	go func() { plc <- readPlaces() }()
	for _, l := range []struct {
		concept string
		f       Flags
	}{{"safe-words", Safe}, {"common-words", Extra}, {"first-names", First}, {"last-names", Last}, {"dictionary-words", dictWord}} {
		n := 0
		if err := lexicon.Scan(l.concept, func(w string) {
			if d.flags.add(w, l.f) {
				n++
			}
		}); err != nil {
			panic(err.Error()) // a build defect, caught by the lexicon's tests
		}
		d.count[l.f] = n
	}
	d.places = newPlaceSet(places(d.flags, <-plc))
	// the phrases in sorted order: the table's order does not depend on
	// the map's
	for i := range d.places.idx.Len() {
		p := d.places.idx.Key(i)
		first, _, more := strings.Cut(p, " ")
		if more {
			d.flags.add(first, Place)
		} else {
			d.flags.add(first, Place|PlaceName)
		}
	}
	return d
}

// Lookup returns the lists a lower-case word is in, with one table lookup:
// the name detectors call it for every word of a text.
func Lookup(lower string) Flags { return tables().flags.get(lower) & public }

// LookupBytes is Lookup of a word held in a byte slice, without
// allocating (the statistical model looks up every word it tags).
func LookupBytes(lower []byte) Flags { return tables().flags.getBytes(lower) & public }
