package roles

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// FuzzFindNear checks that running the age expression only around its
// keys finds exactly what a scan of the whole text finds.
func FuzzFindNear(f *testing.F) {
	for _, s := range []string{
		"a boy aged 16, a twelve-year-old girl and a 15 yo; AGE: 9; fifteen years of age",
		"İNCELEME: the child (aged sixteen) was 17 yrs old. damage language marriage 4 y/o",
		"age\n\n12 aged12 aged: 7 7-years-old seventeen year old 99 years old yo",
		"16 yearſ old, 4 YEARS OF AGE, AGED\t5, 7 Y/O, 8yo, 9  yo, year old",
		"3 yrſ-old",
		"İ: a 15 YO, Born 2011, D.O.B. 1/2/2010, ſ aged 7, K 16 years old",
		"twelve yearſ of AGE",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lower := nearLower(text, strings.ToLower(text))
		got := findNear(ageCueRe, text, lower, ageCueKeys)
		want := ageCueRe.FindAllStringSubmatchIndex(text, -1)
		if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q: near %v, whole %v", text, got, want)
		}
		got = findNear(birthCueRe, text, lower, birthCueKeys)
		want = birthCueRe.FindAllStringSubmatchIndex(text, -1)
		if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q: near %v, whole %v (birth)", text, got, want)
		}
	})
}

// TestFindNearPieces runs FuzzFindNear's comparison on texts built from
// the pieces the keys' conditions read, so that every condition is met
// and missed many times over.
func TestFindNearPieces(t *testing.T) {
	pieces := []string{"age", "aged", "AGE", "d", ":", " ", "  ", "\t", "\n", "year", "YEAR", "yr", "s", "ſ", "-", "old", "OLD",
		" of age", "of", "yo", "yearſ", "yrſ", "İ", "y/o", "Y/O", "16", "7", "twelve", "sixteen", "x", "damage", ".", "_"}
	r := rand.New(rand.NewSource(14))
	for i := 0; i < 20000; i++ {
		var sb strings.Builder
		for n := 1 + r.Intn(10); n > 0; n-- {
			sb.WriteString(pieces[r.Intn(len(pieces))])
		}
		text := sb.String()
		got := findNear(ageCueRe, text, nearLower(text, strings.ToLower(text)), ageCueKeys)
		want := ageCueRe.FindAllStringSubmatchIndex(text, -1)
		if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q: near %v, whole %v", text, got, want)
		}
	}
}

// FuzzYears checks the scan for years against the expression it stands for.
func FuzzYears(f *testing.F) {
	for _, s := range []string{"born 1957, in 2023; 18999 x1999 1999x _2001 2001_ 1799 2100 ٢٠٢٠ é1999é", "2020", "1999-2001/2002"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var want []int
		for _, m := range yearRe.FindAllStringIndex(text, -1) {
			want = append(want, m[0])
		}
		if got := years(text); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%q: years %v, expression %v", text, got, want)
		}
	})
}

// The words of profiles.DefaultContext, written here so that the test does
// not depend on the profile package.
var (
	clientWords = []string{"client", "patient", "pt", "referring", "referral of", "service user", "consumer", "counselee", "patient name", "client name"}
	minorWords  = []string{"minor", "a minor", "minor child", "juvenile", "infant"}
)

func isTitle(w string) bool {
	switch strings.TrimSuffix(strings.ToLower(w), ".") {
	case "mr", "mrs", "ms", "dr":
		return true
	}
	return false
}

// person returns a PERSON finding over the first occurrence of name.
func person(text, name string) ner.Finding {
	i := strings.Index(text, name)
	return ner.Finding{Start: i, End: i + len(name), Entity: ner.Person, Score: 0.8, Rule: "test"}
}

func TestClient(t *testing.T) {
	c := New(clientWords, minorWords, isTitle)
	for _, tc := range []struct {
		text, name string
		want       bool
	}{
		{"Client: Odile Brannigan\nSeen weekly.", "Odile Brannigan", true},
		{"| Patient Name | Odile Brannigan |", "Odile Brannigan", true},
		{"I am REFERRING **Odile Brannigan** for assessment.", "Odile Brannigan", true},
		{"Odile Brannigan (the client) attended.", "Odile Brannigan", true},
		{"Odile Brannigan, our patient, attended.", "Odile Brannigan", true},
		{"The client's sister Odile Brannigan called.", "Odile Brannigan", false},
		{"Clientele: Odile Brannigan", "Odile Brannigan", false},                    // not the word "client"
		{"Odile Brannigan (clients: 4) is a therapist.", "Odile Brannigan", false},  // "clients"
		{"Client: Anna\nOdile Brannigan called.", "Odile Brannigan", false},         // another line
		{"Intake\nClient\nOdile Brannigan\nDate of birth", "Odile Brannigan", true}, // a label line of its own
		{"Client:\nOdile Brannigan", "Odile Brannigan", true},
		{"Our client\nOdile Brannigan", "Odile Brannigan", false},         // not a label line
		{"Client\nThe sister, Odile Brannigan", "Odile Brannigan", false}, // not the line's start
	} {
		if got := c.Client(tc.text, person(tc.text, tc.name)); got != tc.want {
			t.Errorf("%q: Client = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestMinors(t *testing.T) {
	c := New(clientWords, minorWords, isTitle)
	for _, tc := range []struct {
		text   string
		people []string
		want   []int // indices into people
	}{
		{"Tomas Brannigan, aged 16, lives with his father Piet Brannigan.", []string{"Tomas Brannigan", "Piet Brannigan"}, []int{0}},
		{"Piet Brannigan is 44. His son Tomas Brannigan is a 12-year-old.", []string{"Piet Brannigan", "Tomas Brannigan"}, []int{1}},
		// one index per cue: "minor" and "a minor" both match
		{"Mr. Brannigan brought Tomas Brannigan, a minor, to the hearing.", []string{"Mr. Brannigan", "Tomas Brannigan"}, []int{1, 1}},
		{"Piet Brannigan had a minor injury.", []string{"Piet Brannigan"}, nil},
		{"Piet Brannigan, 44 years old, and Tomas (seventeen years of age).", []string{"Piet Brannigan", "Tomas"}, []int{1}},
		// birth years against the document's latest other year (2020)
		{"Report of 2020. Tomas Brannigan, born 2009, and Piet Brannigan, born 1976.", []string{"Tomas Brannigan", "Piet Brannigan"}, []int{0}},
		{"Tomas Brannigan is a juvenile.", []string{"Tomas Brannigan"}, []int{0}},
		// a cue after a sentence end refers to the person after it
		{"Piet Brannigan was admitted. Later, aged 9, Tomas waited.", []string{"Piet Brannigan", "Tomas"}, []int{1}},
	} {
		var fs []ner.Finding
		for _, p := range tc.people {
			fs = append(fs, person(tc.text, p))
		}
		got := c.Minors(tc.text, fs, 2024)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%q: Minors = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestClientLabel(t *testing.T) {
	c := New(clientWords, minorWords, isTitle)
	for label, want := range map[string]bool{
		"Client": true, " patient  NAME: ": true, "Client:": true,
		"": false, "Clients": false, "Client's sister": false, "Therapist": false,
	} {
		if got := c.ClientLabel(label); got != want {
			t.Errorf("ClientLabel(%q) = %v, want %v", label, got, want)
		}
	}
}
