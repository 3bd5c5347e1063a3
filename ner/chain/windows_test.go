package chain

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/litfilter"
)

// The refiners that run their expressions only where a match can be
// (litfilter.FindAllAt, litfilter.FindAllIn) must find what the
// expressions find over the whole text.

type windowed struct {
	name string
	re   *regexp.Regexp
	find func(text string) [][]int
}

var windowedExprs = []windowed{
	{"extension", extensionRe, func(text string) [][]int { return litfilter.FindAllAt(extensionAt, text, extensionStart) }},
	{"short date", shortDateRe, func(text string) [][]int { return litfilter.FindAllIn(shortDateRe, text, shortDateWindows(text)) }},
	{"home", homeRe, func(text string) [][]int { return litfilter.FindAllIn(homeRe, text, homeWindows(text)) }},
}

// windowPieces are the words and separators the random texts are made of:
// every part of the expressions' matches, in several cases, with the runes
// (?i) folds to ASCII letters and runes that are letters but no word bytes.
var windowPieces = []string{
	"page", "Paged", "PAGER", "beep", "beeped", "Beeper", "ext", "EXT.", "extension", "call", "called", "x", "X",
	"at", "to", "on", "#", "no.", "number", ":", " ", "  ", "\t", "\n", ".", "-", "/", "(", ")", ",",
	"4", "45", "4512", "4-4321", "12345", "123456", "5-11",
	"at", "to", "from", "in", "near", "AT", "From", "tamsin", "everard", "Quillanby", "ab", "éa", "é",
	"'s", "’s", "'S", "'ſ", "ſ", "s", "'", "’", "house", "HOME", "apartment", "apt", "flat", "place", "farm", "trailer", "hou\u017fe",
	"since", "SINCE", "ſince", "until", "till", "thru", "through", "dated", "starting", "ſtarting", "3-5", "11-2", "1-12", "123-4", "3-", "-5", "3 -5",
	"orsolya", "_", "K", "\u212a", "İ", "x4512",
}

// homePhrase returns something near a match of homeRe: a cue, one to
// three words, an apostrophe, an s and a home word, each part sometimes
// replaced by a piece.
func homePhrase(r *rand.Rand) string {
	pick := func(xs ...string) string {
		if r.IntN(8) == 0 {
			return windowPieces[r.IntN(len(windowPieces))]
		}
		return xs[r.IntN(len(xs))]
	}
	var b strings.Builder
	b.WriteString(pick("at", "to", "from", "in", "near", "NEAR", "éat", "xat"))
	for n := 1 + r.IntN(3); n > 0; n-- {
		b.WriteString(pick(" ", "  ", "\t", "\n "))
		b.WriteString(pick("tamsin", "everard", "ab", "éaé", "Quillanby", "İvo", "ſam"))
	}
	b.WriteString(pick("'", "’", "`"))
	b.WriteString(pick("s", "S", "ſ"))
	b.WriteString(pick(" ", "  ", "\t", "\n "))
	b.WriteString(pick("house", "home", "apartment", "apt", "flat", "place", "farm", "trailer", "houſe", "houses"))
	return b.String()
}

func randomWindowText(r *rand.Rand) string {
	var b strings.Builder
	for n := r.IntN(40); n >= 0; n-- {
		if r.IntN(6) == 0 {
			b.WriteString(homePhrase(r))
		} else {
			b.WriteString(windowPieces[r.IntN(len(windowPieces))])
		}
		if r.IntN(3) > 0 {
			b.WriteByte(" \t\n"[r.IntN(3)])
		}
	}
	return b.String()
}

func TestWindowedRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 5))
	hits := make([]int, len(windowedExprs))
	for range 10000 {
		text := randomWindowText(r)
		for i, w := range windowedExprs {
			want := w.re.FindAllStringSubmatchIndex(text, -1)
			got := w.find(text)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s over %q: got %v, the whole text gives %v", w.name, text, got, want)
			}
			hits[i] += len(want)
		}
	}
	for i, w := range windowedExprs {
		if hits[i] < 100 {
			t.Errorf("%s: only %d matches in the random texts; the test says little", w.name, hits[i])
		}
	}
}

func TestWindowedExamples(t *testing.T) {
	for _, text := range []string{
		"paged at 4-4321 and ext 4512; see page 123, called x4512, EXTENSION: #45",
		"xpage 4-4321 _ext 4512 épage 4-4321",
		"staying at tamsin everard's house, went to Quillanby’s place, from amber stone'ſ farm",
		"at éé éa's house; near  tamsin\t\neverard's \n HOME; in orsolya's apt.",
		"ataaa bbb's house", "to's house", "from ab cd's house",
	} {
		for _, w := range windowedExprs {
			want := w.re.FindAllStringSubmatchIndex(text, -1)
			if got := w.find(text); !reflect.DeepEqual(got, want) {
				t.Errorf("%s over %q: got %v, the whole text gives %v", w.name, text, got, want)
			}
		}
	}
}

func FuzzWindowed(f *testing.F) {
	f.Add("paged at 4-4321 and ext 4512; staying at tamsin everard's house")
	f.Add("from amber stone'ſ farm, call\tx 12345")
	f.Fuzz(func(t *testing.T, text string) {
		for _, w := range windowedExprs {
			want := w.re.FindAllStringSubmatchIndex(text, -1)
			if got := w.find(text); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s over %q: got %v, the whole text gives %v", w.name, text, got, want)
			}
		}
	})
}
