package pipeline

import (
	_ "embed"
	"errors"
	"fmt"
	"hash/crc32"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/veilhq/veil/internal/strindex"
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
var smallPlaceTables = sync.OnceValue(func() smallPlaceData {
	if d, err := parseSmallPlaces(smallPlacesBin); err == nil {
		return d
	}
	s := buildSmallPlaces()
	return smallPlaceData{names: s, first: firstWordsOf(s)}
})

// smallPlaceData is what smallplaces.bin holds.
type smallPlaceData struct {
	names placeSet
	first firstWords
}

// smallPlaces returns the set.
func smallPlaces() placeSet { return smallPlaceTables().names }

// smallPlaceFirstWords holds the first word of every key of smallPlaces
// (up to its first space): residuals folds and looks up a capitalised
// phrase only when its first word begins some small place's name. It is
// stored in smallplaces.bin too, with its slots (a map of its 60,000
// words was ~10 ms of a start).
func smallPlaceFirstWords() firstWords { return smallPlaceTables().first }

// firstWords is a set of words.
type firstWords struct{ idx *strindex.Index }

// has reports whether the word held in w is in the set.
func (f firstWords) has(w []byte) bool {
	_, ok := f.idx.GetBytes(w)
	return ok
}

// firstWordsOf returns the first words of the keys of s, in sorted order.
func firstWordsOf(s placeSet) firstWords {
	words := map[string]bool{}
	for _, k := range s {
		if i := strings.IndexByte(k, ' '); i >= 0 {
			k = k[:i]
		}
		words[k] = true
	}
	sorted := make([]string, 0, len(words))
	for w := range words {
		sorted = append(sorted, w)
	}
	sort.Strings(sorted)
	idx := strindex.New(len(sorted))
	for _, w := range sorted {
		idx.Push(w)
	}
	idx.Place() // a map's keys: no repeat
	return firstWords{idx}
}

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
// was made from (the table's digest, SmallPlace) and the hash its first
// words' slots were found with (strindex.Fingerprint).
func smallPlacesHeader() (string, error) {
	digest, err := lexicon.Digest("cities")
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("veil small places 2\nsources %s\nsmall %d\nhash %d\n", digest, SmallPlace, strindex.Fingerprint()), nil
}

// encodeSmallPlaces writes s and its first words after the header:
//
//	sum CRC (CRC-32C of the rest, from the next line on)
//	names N, then N lines: a name (sorted)
//	firsts M SLOTS, then M lines: a first word, in the order of their
//	slots in a strindex.Index of SLOTS slots (pushed sorted, placed),
//	then strindex.AppendBitmap of those slots.
func encodeSmallPlaces(s placeSet) ([]byte, error) {
	h, err := smallPlacesHeader()
	if err != nil {
		return nil, err
	}
	var b []byte
	b = fmt.Appendf(b, "names %d\n", len(s))
	for _, k := range s {
		b = append(append(b, k...), '\n')
	}
	first := firstWordsOf(s).idx
	keys, slots, n := first.SlotOrder()
	b = fmt.Appendf(b, "firsts %d %d\n", len(keys), n)
	for _, i := range keys {
		b = append(append(b, first.Key(i)...), '\n')
	}
	b = strindex.AppendBitmap(b, slots, n)
	out := fmt.Appendf([]byte(h), "sum %d\n", crc32.Checksum(b, castagnoli))
	return append(out, b...), nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var errSmallPlacesStale = errors.New("small places: made from another table")

// parseSmallPlaces reads the set and its first words from text,
// encodeSmallPlaces's form, if it was made from the table as it is, with
// strindex.Hash as it is, and is whole (its sum).
func parseSmallPlaces(text string) (smallPlaceData, error) {
	h, err := smallPlacesHeader()
	if err != nil {
		return smallPlaceData{}, err
	}
	text, ok := strings.CutPrefix(text, h)
	if !ok {
		return smallPlaceData{}, errSmallPlacesStale
	}
	sum, text, _ := strings.Cut(text, "\n")
	if sum != "sum "+strconv.FormatUint(uint64(crc32.Update(0, castagnoli, unsafe.Slice(unsafe.StringData(text), len(text)))), 10) {
		return smallPlaceData{}, errors.New("small places: damaged")
	}
	return parseSmallPlacesBody(text)
}

// parseSmallPlacesBody is parseSmallPlaces after the sum's line: it never
// panics, whatever text holds, but trusts the slots it reads.
func parseSmallPlacesBody(text string) (smallPlaceData, error) {
	bad := errors.New("small places: malformed")
	count, text, _ := strings.Cut(text, "\n")
	n, err := strconv.Atoi(strings.TrimPrefix(count, "names "))
	if err != nil || n < 0 || n > len(text) {
		return smallPlaceData{}, bad
	}
	s := make(placeSet, 0, n)
	for range n {
		k, rest, found := strings.Cut(text, "\n")
		if !found {
			return smallPlaceData{}, bad
		}
		if len(s) > 0 && k <= s[len(s)-1] {
			return smallPlaceData{}, errors.New("small places: not sorted")
		}
		s = append(s, k)
		text = rest
	}
	line, text, _ := strings.Cut(text, "\n")
	f := strings.Fields(strings.TrimPrefix(line, "firsts "))
	if len(f) != 2 || !strings.HasPrefix(line, "firsts ") {
		return smallPlaceData{}, bad
	}
	m, err1 := strconv.Atoi(f[0])
	nslots, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || m < 0 || m > len(text) || nslots < 0 || nslots > 8*(m+64) {
		return smallPlaceData{}, bad
	}
	first := strindex.ForPush(m)
	for range m {
		w, rest, found := strings.Cut(text, "\n")
		if !found {
			return smallPlaceData{}, bad
		}
		first.Push(w)
		text = rest
	}
	slots, text, ok := strindex.BitmapSlots(text, nslots, m)
	if !ok || text != "" || !first.PlaceAt(slots) {
		return smallPlaceData{}, bad
	}
	return smallPlaceData{names: s, first: firstWords{first}}, nil
}
