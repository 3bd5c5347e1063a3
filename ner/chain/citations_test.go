package chain

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/litfilter"
	"github.com/veilhq/veil/ner"
)

// Invented citations: reported cases are found, provisions and dates are
// not.
func TestCitations(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"as held in R v. Quillanby [1997] 2 WLR 311, the court", "[1997] 2 WLR 311"},
		{"see Everard v. Tamsin [2004] EWCA Civ 12.", "[2004] EWCA Civ 12"},
		{"in [2009] UKSC 7 the court", "[2009] UKSC 7"},
		{"the high court in the case KLR 1999 p. 412 (see below)", "KLR 1999 p. 412"},
		{"Quillanby v. State, 410 U.S. 113 (1973)", "410 U.S. 113"},
		{"cited at 123 F.3d 456, 460", "123 F.3d 456"},
		{"in 55 F. Supp. 2d 12 the court", "55 F. Supp. 2d 12"},
		{"under Article 6 § 1 of the Convention [see paragraph 12]", ""},
		{"On 3 May 2005 p. 4 of the file was read.", ""},
		{"in 2005 the court", ""},
	} {
		out, err := Citations{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, f := range out {
			if f.Entity != ner.CaseNumber || f.Rule != CitationRule {
				t.Errorf("%q: finding %v", c.text, f)
			}
			got = c.text[f.Start:f.End]
		}
		if len(out) > 1 || got != c.want {
			t.Errorf("%q: found %q (%d), want %q", c.text, got, len(out), c.want)
		}
	}
}

// citationsReference is what Refine found before citationStart: the
// expression over the whole text.
func citationsReference(text string) [][]int { return citationRe.FindAllStringIndex(text, -1) }

// citationPieces are the bytes and words citations are made of, and the
// ones that stop one: texts built from them reach every alternative's
// edges (a run of capitals too long, a year out of range, a word byte
// before a number, a "[" glued to a word).
var citationPieces = []string{
	"[", "]", "[1997]", "[2004", "[1899]", "[2100]", " ", "  ", ".", ",", "p.", "s.", " p. ", "x", "_", "é", "Ct.", "S.", " S. Ct. ",
	"U.S.", "L. Ed.", "L.Ed. 2d", "F.", "F.3d", "F. Supp.", "Supp. 2d", "2d", "3d", "4th", "WLR", "UKSC", "EWCA", "Civ", "KLR",
	"ABCDEF", "AB", "Ab", "1", "12", "123", "1234", "12345", "123456", "1999", "2019", "1850", "7", "\n", "(", "a",
	// pieces of whole citations, so that random texts hold some
	"AB 1999", "KLR 2001,", "ABCDE 1850 ", "ABCDEF 1999", "A 1999", " p. 12", " s.4", " p.123456",
	"9 U.S. 1", "12 F. Supp. 3d 4", "1234 S.Ct. 5", "12345 F.2d 7", "3 L. Ed. 2d 9", "7 F. 4th 1", "5 U.S. ",
	"[1997] 2 WLR 311", "[2004] EWCA Civ 12", "[2009] UKSC 7", "[1997] 1234 AB 1", "[2020] Ab 1", "[1899] ABCDEFGHI 1",
}

func TestCitationStartMatchesReference(t *testing.T) {
	check := func(text string) {
		t.Helper()
		want := citationsReference(text)
		got := litfilter.FindAllAt(citationAt, text, citationStart)
		if !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
	}
	check("")
	for _, p := range citationPieces {
		check(p)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 200_000 {
		b.Reset()
		for n := 1 + rng.IntN(12); n > 0; n-- {
			b.WriteString(citationPieces[rng.IntN(len(citationPieces))])
		}
		check(b.String())
	}
}

func FuzzCitationStart(f *testing.F) {
	f.Add("as held in R v. Quillanby [1997] 2 WLR 311, the court")
	f.Add("KLR 1999 p. 412 and 410 U.S. 113 or 55 F. Supp. 2d 12")
	f.Add("x[2009] UKSC 7 a9 U.S. 1")
	f.Fuzz(func(t *testing.T, text string) {
		want := citationsReference(text)
		got := litfilter.FindAllAt(citationAt, text, citationStart)
		if !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
	})
}
