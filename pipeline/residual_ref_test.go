package pipeline

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/evaldata"
	"github.com/veilhq/veil/internal/litfilter"
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// residualsReference is residuals as it was before the small places'
// first words (smallPlaceFirstWords), the lower-casing on demand and the
// patterns' filters asked in one pass (litfilter.Multi): the
// reference TestResidualsMatchReference and FuzzResiduals compare
// residuals with.
func residualsReference(text string, edits [][2]int) []ner.Finding {
	outside := func(s, e int) bool {
		// The first edit that ends after s is the only one that can
		// overlap [s, e): the edits are in order and do not overlap.
		k := sort.Search(len(edits), func(k int) bool { return edits[k][1] > s })
		return k == len(edits) || edits[k][0] >= e
	}
	var out []ner.Finding
	add := func(ent ner.Entity, s, e int) {
		if outside(s, e) {
			out = append(out, ner.Finding{Start: s, End: e, Entity: ent, Score: 1, Rule: residualRule + strings.ToLower(string(ent))})
		}
	}
	lower, filters := litfilter.Lower(text), residualFiltersReference()
	for i, p := range residualPatterns {
		if !filters[i].lower.MayMatch(lower) || !filters[i].cased.MayMatch(text) {
			continue
		}
		for _, loc := range p.re.FindAllStringSubmatchIndex(text, -1) {
			if p.check != nil {
				m := make([]string, len(loc)/2)
				for k := range m {
					if loc[2*k] >= 0 {
						m[k] = text[loc[2*k]:loc[2*k+1]]
					}
				}
				if !p.check(m) {
					continue
				}
			}
			add(p.entity, loc[0], loc[1])
		}
	}
	// Words: phrases of up to three words of a list, and capitalised
	// phrases that name a small place.
	words := wordSpans(text)
	lists := residualLists()
	first := residualFirstWords()
	places := smallPlaces()
	for i := 0; i < len(words); i++ {
		w := text[words[i][0]:words[i][1]]
		// A phrase of a list begins with the first word of an entry
		// (checked for a word of ASCII followed by ASCII only: Key's
		// normalisation can join a letter with a combining mark after
		// it); a small place's name with a capital.
		inLists := !ner.IsASCII(w) || words[i][1] < len(text) && text[words[i][1]] >= utf8.RuneSelf || first[strings.ToLower(w)]
		upper, _ := utf8.DecodeRuneInString(w)
		if !inLists && !unicode.IsUpper(upper) {
			continue
		}
		for n := min(3, len(words)-i); n >= 1; n-- {
			s, e := words[i][0], words[i+n-1][1]
			if n > 1 && !singleSpaced(text[s:e]) {
				continue
			}
			phrase := strings.ToLower(text[s:e])
			hit := false
			if inLists {
				for _, ent := range residualListOrder {
					if lists[ent].Has(phrase) {
						add(ent, s, e)
						hit = true
					}
				}
			}
			if !hit && capitalised(text[s:e]) {
				k := strings.Join(ner.Fold(text[s:e]), " ")
				if places.has(k) && (n > 1 || !gazetteer.IsCommonWord(phrase) && !gazetteer.IsName(phrase)) {
					add("SMALL_PLACE", s, e)
					hit = true
				}
			}
			if hit {
				i += n - 1
				break
			}
		}
	}
	return out
}

// residualFiltersReference are residualFilters as they were: a
// litfilter.Filter for each pattern, each asked on its own.
var residualFiltersReference = sync.OnceValue(func() []struct{ lower, cased *litfilter.Filter } {
	out := make([]struct{ lower, cased *litfilter.Filter }, len(residualPatterns))
	for i, p := range residualPatterns {
		out[i].lower, out[i].cased = litfilter.For(p.re), litfilter.ForCase(p.re)
	}
	return out
})

// residualTexts are texts that reach every path of residuals: small and
// large places of the list (taken from it, so that the test names none)
// in several cases and spellings, next to digits, apostrophes, hyphens,
// letters beyond ASCII and combining marks, the residual patterns' words
// and the lists' first words.
func residualTexts(t testing.TB, n int) []string {
	var places []string
	for _, k := range smallPlaces() {
		if len(places) < 400 && (len(k)%7 == 0 || strings.IndexByte(k, ' ') > 0 && len(k)%5 == 0) {
			places = append(places, k)
		}
	}
	var firsts []string
	for k := range residualFirstWords() {
		firsts = append(firsts, k)
	}
	sort.Strings(firsts)
	if len(places) == 0 || len(firsts) == 0 {
		t.Fatal("no places or list words to test with")
	}
	title := func(s string) string {
		var b strings.Builder
		up := true
		for _, r := range s {
			if up {
				r = unicode.ToUpper(r)
			}
			up = r == ' '
			b.WriteRune(r)
		}
		return b.String()
	}
	glue := []string{" ", " ", " ", "  ", ", ", ". ", "\n", "-", "'", "’", "2", " 12 ", "\u0301", "é", "\u00ad", "(", ") "}
	plain := []string{"The", "Court", "she", "grew", "up", "in", "and", "moved", "MV", "Kestrel", "village", "of", "900",
		"people", "Fire", "Hurricane", "Ödön", "Smith2", "O'Neill", "Mill", "Creek", "HARLOW", "quintuplets", "profiled", "by",
		"the boat", "SS", "CLASS", "ferry", "M/V", "USNS", "fishing vessel", "xMV", "_SS", "tanker the", "MY"}
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for w := 4 + rng.IntN(30); w > 0; w-- {
			var p string
			switch rng.IntN(5) {
			case 0:
				p = places[rng.IntN(len(places))]
			case 1:
				p = title(places[rng.IntN(len(places))])
			case 2:
				p = firsts[rng.IntN(len(firsts))]
				if rng.IntN(2) == 0 {
					p = title(p)
				}
			default:
				p = plain[rng.IntN(len(plain))]
			}
			if rng.IntN(8) == 0 {
				p = strings.ToUpper(p)
			}
			b.WriteString(p)
			b.WriteString(glue[rng.IntN(len(glue))])
		}
		out[i] = b.String()
	}
	return out
}

// TestResidualsMatchReference: residuals finds what residualsReference
// finds, over generated texts and, when shared/eval is beside the
// repository, the development sets' texts (read at run time, never
// copied), with no edits and with edits over a part of each text.
func TestResidualsMatchReference(t *testing.T) {
	texts := residualTexts(t, 20000)
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		texts = append(texts, evaldata.Texts(evaldata.Path(set))...)
	}
	found := 0
	for i, text := range texts {
		var edits [][2]int
		if i%2 == 1 {
			for at := i % 50; at < len(text); at += 300 {
				edits = append(edits, [2]int{at, min(at+20, len(text))})
			}
		}
		want := residualsReference(text, edits)
		if got := residuals(text, edits); !slices.Equal(got, want) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
		found += len(want)
	}
	if found < 1000 {
		t.Fatalf("test input: %d residuals in all", found)
	}
}

func FuzzResiduals(f *testing.F) {
	for _, s := range residualTexts(f, 20) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		want := residualsReference(text, nil)
		if got := residuals(text, nil); !slices.Equal(got, want) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
	})
}

// BenchmarkResiduals runs residuals (impl=new) and residualsReference
// (impl=reference) over the development sets' texts (read at run time,
// skipped without them), no edits: `benchstat -col /impl`.
func BenchmarkResiduals(b *testing.B) {
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		docs, size := evaldata.Bench(b, set)
		residuals("", nil) // the lists and sets, loaded once
		residuals("Kestrel", nil)
		for _, impl := range []string{"new", "reference"} {
			f := residuals
			if impl == "reference" {
				f = residualsReference
			}
			b.Run("set="+strings.TrimSuffix(set, "_dev.jsonl")+"/impl="+impl, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range docs {
						f(d, nil)
					}
				}
			})
		}
	}
}

// TestVesselStartMatchesReference: VESSEL's matches tried at vesselStart's
// offsets are vesselRe's over the whole text, on texts of its words, cut
// and glued to word bytes, and the generated residual texts.
func TestVesselStartMatchesReference(t *testing.T) {
	pieces := append([]string{" ", "  ", "\n", "x", "_", "9", "é", ".", "Kestrel", "Northern", "Dawn", "the", "THE", "S", "M/", "/V"}, vesselWords...)
	for _, w := range vesselWords {
		pieces = append(pieces, strings.TrimSpace(w), strings.ToUpper(w))
	}
	texts := residualTexts(t, 2000)
	rng := rand.New(rand.NewPCG(11, 12))
	var b strings.Builder
	for range 100_000 {
		b.Reset()
		for n := rng.IntN(10); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	found := 0
	at := litfilter.Anchor(vesselRe)
	for _, text := range texts {
		want := vesselRe.FindAllStringSubmatchIndex(text, -1)
		got := litfilter.FindAllAt(at, text, vesselStart)
		if len(got) != len(want) || len(got) > 0 && !slices.EqualFunc(got, want, slices.Equal[[]int]) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
		found += len(want)
	}
	if found < 1000 {
		t.Fatalf("test input: %d vessels in all", found)
	}
}

func FuzzVesselStart(f *testing.F) {
	f.Add("the MV Kestrel and fishing vessel Northern Dawn, CLASS Ada")
	f.Add("xSS Ada _MY Bo")
	at := litfilter.Anchor(vesselRe)
	f.Fuzz(func(t *testing.T, text string) {
		want := vesselRe.FindAllStringSubmatchIndex(text, -1)
		got := litfilter.FindAllAt(at, text, vesselStart)
		if len(got) != len(want) || len(got) > 0 && !slices.EqualFunc(got, want, slices.Equal[[]int]) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
	})
}
