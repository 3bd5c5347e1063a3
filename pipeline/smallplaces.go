package pipeline

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// placeSet is a sorted set of folded place names.
type placeSet []string

// has reports whether k is in the set.
func (s placeSet) has(k string) bool {
	i := sort.SearchStrings(s, k)
	return i < len(s) && s[i] == k
}

// smallPlaces holds the folded name (ner.Fold, words joined by a space)
// of every GeoNames place (lexicon concept cities) where fewer than
// SmallPlace people live, counting for a name its largest place. Folding
// the 260,000 names of the table took a third of a CPU second at every
// start of the profiles that review residuals, so the set is made once,
// when the table changes, and stored in smallplaces.bin (uncompressed, as
// the gazetteer's tables: a start reads it in place); a start reads it
// if it was made from the table as it is (lexicon.Digest), and builds it
// from the table otherwise (same answer, old cost), while
// TestSmallPlacesPrebuilt fails until it is made again:
//
//	go generate ./pipeline
//
//go:generate go test . -count=1 -run ^TestSmallPlacesPrebuilt$ -update-small-places
var smallPlaces = sync.OnceValue(func() placeSet {
	if s, err := parseSmallPlaces(smallPlacesBin); err == nil {
		return s
	}
	return buildSmallPlaces()
})

// smallPlaceFirstWords holds the first word of every key of smallPlaces
// (up to its first space): residuals folds and looks up a capitalised
// phrase only when its first word begins some small place's name.
var smallPlaceFirstWords = sync.OnceValue(func() map[string]bool {
	s := smallPlaces()
	out := make(map[string]bool, len(s))
	for _, k := range s {
		if i := strings.IndexByte(k, ' '); i >= 0 {
			k = k[:i]
		}
		out[k] = true
	}
	return out
})

//go:embed smallplaces.bin
var smallPlacesBin string

// buildSmallPlaces makes smallPlaces from the table.
func buildSmallPlaces() placeSet {
	var s placeSet
	for k, pop := range placePopulations() {
		if pop > 0 && pop < SmallPlace {
			s = append(s, k)
		}
	}
	sort.Strings(s)
	return s
}

// placePopulations maps the folded name of every GeoNames place to its
// largest population.
func placePopulations() map[string]int {
	m := map[string]int{}
	lexicon.ScanTable("cities", func(r []string) {
		if len(r) < 4 {
			return
		}
		pop, err := strconv.Atoi(r[3])
		if err != nil {
			return
		}
		for _, name := range r[:2] {
			k := strings.Join(ner.Fold(name), " ")
			if have, ok := m[k]; !ok || pop > have {
				m[k] = pop
			}
		}
	})
	return m
}

// smallPlacesHeader is the first lines of smallplaces.bin: what the set
// was made from (the table's digest, SmallPlace).
func smallPlacesHeader() (string, error) {
	digest, err := lexicon.Digest("cities")
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("veil small places 1\nsources %s\nsmall %d\n", digest, SmallPlace), nil
}

// encodeSmallPlaces writes s after the header, one name a line.
func encodeSmallPlaces(s placeSet) ([]byte, error) {
	h, err := smallPlacesHeader()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(h)
	fmt.Fprintf(&b, "names %d\n", len(s))
	for _, k := range s {
		b.WriteString(k)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

var errSmallPlacesStale = errors.New("small places: made from another table")

// parseSmallPlaces reads the set from text, encodeSmallPlaces's form, if
// it was made from the table as it is.
func parseSmallPlaces(text string) (placeSet, error) {
	h, err := smallPlacesHeader()
	if err != nil {
		return nil, err
	}
	text, ok := strings.CutPrefix(text, h)
	if !ok {
		return nil, errSmallPlacesStale
	}
	count, text, _ := strings.Cut(text, "\n")
	n, err := strconv.Atoi(strings.TrimPrefix(count, "names "))
	if err != nil || n < 0 || strings.Count(text, "\n") != n || text != "" && text[len(text)-1] != '\n' {
		return nil, errors.New("small places: malformed")
	}
	s := make(placeSet, 0, n)
	for text != "" {
		k, rest, _ := strings.Cut(text, "\n")
		if len(s) > 0 && k <= s[len(s)-1] {
			return nil, errors.New("small places: not sorted")
		}
		s = append(s, k)
		text = rest
	}
	return s, nil
}
