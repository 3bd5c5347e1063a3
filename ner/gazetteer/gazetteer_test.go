package gazetteer

import (
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
