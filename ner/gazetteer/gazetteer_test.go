package gazetteer

import (
	"fmt"
	"strings"
	"testing"
)

func TestLists(t *testing.T) {
	cases := []struct {
		word              string
		first, last, safe bool
	}{
		{"Grace", true, true, false},
		{"ellison", true, true, false},
		{"hospital", false, false, true},
		{"Will", true, true, true},
		{"the", false, false, true},
	}
	for _, c := range cases {
		if got := FirstNames().Has(c.word); got != c.first {
			t.Errorf("FirstNames().Has(%q) = %v", c.word, got)
		}
		if got := LastNames().Has(c.word); got != c.last {
			t.Errorf("LastNames().Has(%q) = %v", c.word, got)
		}
		if got := SafeWords().Has(c.word); got != c.safe {
			t.Errorf("SafeWords().Has(%q) = %v", c.word, got)
		}
	}
	for _, c := range cases {
		f := Lookup(strings.ToLower(c.word))
		if f&First != 0 != c.first || f&Last != 0 != c.last || f&Safe != 0 != c.safe || f.Common() != IsCommonWord(c.word) {
			t.Errorf("Lookup(%q) = %b", c.word, f)
		}
	}
	if !Lookup("supreme").Common() || Lookup("supreme")&Extra == 0 {
		t.Error("extra common words missing from Lookup")
	}
	if n := FirstNames().Len(); n < 90000 {
		t.Errorf("first names: %d entries", n)
	}
	if n := LastNames().Len(); n < 150000 {
		t.Errorf("last names: %d entries", n)
	}
	if n := SafeWords().Len(); n < 190000 {
		t.Errorf("safe words: %d entries", n)
	}
}

// TestPlaces checks what the place lists give the name rules: towns by
// name and ASCII name, countries and regions as places that do not
// identify, and none of the names that are more often something else.
func TestPlaces(t *testing.T) {
	p := Places()
	for k, want := range map[string]bool{
		"reykjavik":      true,  // a capital, by its ASCII name
		"montevideo":     true,  // a capital that the safe-word list holds
		"gdansk":         true,  // "Gdańsk" folded
		"porto":          true,  // a surname too, but 100,000 people live there
		"iceland":        false, // a country
		"united kingdom": false,
		"styria":         false, // a region
		"oregon":         false, // a US state, though towns bear its name
	} {
		if got, ok := p[k]; !ok || got != want {
			t.Errorf("Places()[%q] = %v, %v; want %v, true", k, got, ok, want)
		}
	}
	for _, k := range []string{
		"reading", "nice", "split", "mobile", // English words
		"osh",           // one of Veil's common words (outside hospital)
		"margaret",      // a given name that is a small town
		"victoria",      // a given name that is a region
		"pleasant hill", // all dictionary words, fewer than 100,000 people
		"bo",            // fewer than three letters
	} {
		if _, ok := p[k]; ok {
			t.Errorf("Places() holds %q", k)
		}
	}
	if f := Lookup("reykjavik"); f&Place == 0 || f&PlaceName == 0 {
		t.Errorf("Lookup(reykjavik) = %b", f)
	}
	if f := Lookup("united"); f&Place == 0 || f&PlaceName != 0 {
		t.Errorf("Lookup(united) = %b", f)
	}
}

// BenchmarkLoad measures loading the lists into the lookup tables (most of
// a short run's start-up).
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		load()
	}
}

// TestTable checks the lookup table against a map: keys added with
// flags, looked up by string and by bytes, through several growths, and
// keys never added.
func TestTable(t *testing.T) {
	tb := newTable(4) // small, to grow many times
	want := map[string]Flags{}
	for i := 0; i < 20000; i++ {
		k := fmt.Sprintf("w%d", i*7919%10007)
		if i%3 == 0 {
			k = strings.Repeat("é", i%5) + k
		}
		f := Flags(1) << (i % 8)
		if added, had := tb.add(k, f), want[k]&f != 0; added == had {
			t.Fatalf("add(%q, %b) = %v with flags %b", k, f, added, want[k])
		}
		want[k] |= f
	}
	for k, f := range want {
		if got := tb.get(k); got != f {
			t.Fatalf("get(%q) = %b, want %b", k, got, f)
		}
		if got := tb.getBytes([]byte(k)); got != f {
			t.Fatalf("getBytes(%q) = %b, want %b", k, got, f)
		}
		if got := tb.get(k + "x"); got != want[k+"x"] {
			t.Fatalf("get(%q) = %b", k+"x", got)
		}
	}
	if tb.get("") != 0 || tb.getBytes(nil) != 0 {
		t.Fatal("the empty key was never added")
	}
	n := 0
	tb.each(func(k string, f Flags) {
		n++
		if want[k] != f {
			t.Fatalf("each: %q %b, want %b", k, f, want[k])
		}
	})
	if n != len(want) {
		t.Fatalf("each: %d keys, want %d", n, len(want))
	}
}

// TestPlaceOf shows that PlaceOf answers as Places does, for every
// phrase of Places and for phrases it does not hold.
func TestPlaceOf(t *testing.T) {
	places := Places()
	if len(places) == 0 {
		t.Fatal("no places")
	}
	for p, town := range places {
		if got, ok := PlaceOf(p); !ok || got != town {
			t.Fatalf("PlaceOf(%q) = %v, %v; want %v, true", p, got, ok, town)
		}
	}
	for _, p := range []string{"", "quillanby everard", "orsolya", "x y z"} {
		if _, ok := places[p]; ok {
			continue
		}
		if town, ok := PlaceOf(p); ok || town {
			t.Errorf("PlaceOf(%q) = %v, %v; not a place", p, town, ok)
		}
	}
}
