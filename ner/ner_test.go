package ner

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestResolve(t *testing.T) {
	cases := []struct {
		name string
		in   []Finding
		want string
	}{
		{"empty", nil, "[]"},
		{"disjoint stay", []Finding{{5, 9, Person, 0.6, "b"}, {0, 4, Email, 0.9, "a"}},
			"[0:4 EMAIL 0.90 a 5:9 PERSON 0.60 b]"},
		{"overlap: higher score wins, union span", []Finding{{0, 10, Person, 0.6, "p"}, {4, 14, Phone, 0.9, "ph"}},
			"[0:14 PHONE 0.90 ph]"},
		{"equal score: more specific entity wins", []Finding{{0, 11, SSN, 0.85, "ssn"}, {0, 11, Phone, 0.85, "ph"}},
			"[0:11 SSN 0.85 ssn]"},
		{"nested", []Finding{{0, 20, Address, 0.85, "a"}, {3, 8, Person, 0.6, "p"}},
			"[0:20 ADDRESS 0.85 a]"},
		{"touching spans do not merge", []Finding{{0, 5, Person, 0.6, "p"}, {5, 9, Person, 0.6, "p"}},
			"[0:5 PERSON 0.60 p 5:9 PERSON 0.60 p]"},
		{"chain merges", []Finding{{0, 5, Date, 0.5, "d"}, {4, 9, Date, 0.7, "d2"}, {8, 12, Date, 0.6, "d3"}},
			"[0:12 DATE 0.70 d2]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Resolve(c.in)
			if s := fmt.Sprint(got); s != c.want && !(c.want == "[]" && len(got) == 0) {
				t.Fatalf("got %s\nwant %s", s, c.want)
			}
		})
	}
}

// Resolve must not depend on input order and must return sorted,
// non-overlapping spans covering every input span.
func FuzzResolve(f *testing.F) {
	f.Add(int64(1), 10)
	f.Add(int64(42), 40)
	f.Fuzz(func(t *testing.T, seed int64, n int) {
		if n < 0 || n > 200 {
			return
		}
		rng := rand.New(rand.NewSource(seed))
		ents := Entities()
		in := make([]Finding, n)
		for i := range in {
			s := rng.Intn(100)
			in[i] = Finding{Start: s, End: s + 1 + rng.Intn(15), Entity: ents[rng.Intn(len(ents))], Score: float64(rng.Intn(10)+1) / 10, Rule: fmt.Sprint(rng.Intn(3))}
		}
		got := Resolve(in)
		shuffled := append([]Finding(nil), in...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if a, b := fmt.Sprint(got), fmt.Sprint(Resolve(shuffled)); a != b {
			t.Fatalf("order dependent:\n%s\n%s", a, b)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Start < got[i-1].End {
				t.Fatalf("overlap in %v", got)
			}
		}
		for _, f := range in {
			covered := false
			for _, g := range got {
				if g.Start <= f.Start && f.End <= g.End {
					covered = true
				}
			}
			if !covered {
				t.Fatalf("input %v not covered by %v", f, got)
			}
		}
	})
}

func common(w string) bool {
	switch w {
	case "will", "rose", "the", "and", "park":
		return true
	}
	return false
}

func texts(fs []Finding, text string) []string {
	var out []string
	for _, f := range fs {
		out = append(out, text[f.Start:f.End])
	}
	return out
}

func TestPropagate(t *testing.T) {
	body := "John Smith came in. Later smith and SMITH left; John said hi. Mr Smith’s file. Blacksmith stays."
	header := "Client: J. Smith\nPortland office"
	found := [][]Finding{{{0, 10, Person, 0.9, "names/first-last"}}, nil}
	got := Propagate([]string{body, header}, found, common)
	if s := fmt.Sprint(texts(got[0], body)); s != "[John Smith smith SMITH John Smith]" {
		t.Errorf("body: %s", s)
	}
	if s := fmt.Sprint(texts(got[1], header)); s != "[J. Smith]" { // the initial is the name's
		t.Errorf("header: %s", s)
	}
	for _, f := range got[0] {
		if !strings.HasPrefix(f.Rule, PropagatedPrefix) || f.Entity != Person {
			t.Errorf("propagated finding %v", f)
		}
	}
}

func TestPropagateCommonWordNames(t *testing.T) {
	text := "Rose Park called. Rose said the rose garden in the park was fine. Will Rose come?"
	found := [][]Finding{{{0, 9, Person, 0.9, "x"}}}
	got := Propagate([]string{text}, found, common)
	// "Rose" and "Park" are ordinary words: parts are not propagated alone;
	// the full name is.
	if s := fmt.Sprint(texts(got[0], text)); s != "[Rose Park]" {
		t.Errorf("got %s", s)
	}
	single := [][]Finding{{{0, 4, Person, 0.9, "x"}}}
	got = Propagate([]string{text}, single, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[Rose Rose Rose]" {
		t.Errorf("single common-word name must match capitalised only: got %s", s)
	}
}

// The last word of a full name that is an ordinary word is that person
// where capitalised ("Park" of "Tamsin Park"), not in lower case; a
// "name" not written as one (a rule's mistake, "Harbour of Rose") gives
// none of its ordinary words.
func TestPropagateCommonSurname(t *testing.T) {
	text := "Tamsin Park spoke. Park said the park was shut. PARK left.\nHarbour of Rose opened. Rose stayed."
	found := [][]Finding{{{0, 11, Person, 0.9, "x"}, {59, 74, Person, 0.9, "y"}}}
	got := Propagate([]string{text}, found, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[Tamsin Park Park PARK Harbour of Rose]" {
		t.Errorf("got %s", s)
	}
	// the full name only, when written so: "Tamsin park" is no name
	lower := "Tamsin park spoke. Park said so."
	got = Propagate([]string{lower}, [][]Finding{{{0, 11, Person, 0.9, "x"}}}, common)
	if s := fmt.Sprint(texts(got[0], lower)); s != "[Tamsin park]" {
		t.Errorf("lower case: got %s", s)
	}
}

// The surname of a full name goes with the particles before it ("de
// Quillan" of "Tamsin de Quillan", "van der Hollin"), wherever the
// surname alone would be found; a surname that is an ordinary word does
// not take its particles along (only where capitalised, alone).
func TestPropagateParticles(t *testing.T) {
	text := "Tamsin de Quillan and Orsolya van der Hollin spoke. Later de Quillan, Van der Hollin and Quillan left. Mara de la Rose came; de la rose."
	at := func(v string) Finding {
		i := strings.Index(text, v)
		return Finding{i, i + len(v), Person, 0.9, "x"}
	}
	found := [][]Finding{{at("Tamsin de Quillan"), at("Orsolya van der Hollin"), at("Mara de la Rose")}}
	got := Propagate([]string{text}, found, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[Tamsin de Quillan Orsolya van der Hollin de Quillan Van der Hollin Quillan Mara de la Rose]" {
		t.Errorf("got %s", s)
	}
}

// A surname searched for alone takes the initials and particles right
// before it ("K. Quillan", "F.W. de Quillan", "van der Quillan"), not a
// lower-case article alone ("der Quillan": "the" in German) nor a word
// that is neither. Invented names.
func TestPropagateLead(t *testing.T) {
	text := "Tamsin Quillan spoke. K. Quillan, F.W. de Quillan and van der Quillan; across der Quillan; Dear Quillan; Van Quillan."
	found := [][]Finding{{{0, 14, Person, 0.9, "x"}}}
	got := Propagate([]string{text}, found, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[Tamsin Quillan K. Quillan F.W. de Quillan van der Quillan Quillan Quillan Van Quillan]" {
		t.Errorf("got %s", s)
	}
}

// A generational suffix is part of the name it ends ("Tamsin Park Jr"):
// the name's parts are those of the name without it, so its surname is
// searched for as the last word ("Park" where capitalised), and the
// suffix alone is not ("Jr" of another name, "II" of a war).
func TestPropagateSuffix(t *testing.T) {
	text := "Tamsin Park Jr spoke. Park said so. Orsolya Quillanby III came; Quillanby left. Odo Jr and the War II."
	at := func(v string) Finding {
		i := strings.Index(text, v)
		return Finding{i, i + len(v), Person, 0.9, "x"}
	}
	found := [][]Finding{{at("Tamsin Park Jr"), at("Orsolya Quillanby III")}}
	got := Propagate([]string{text}, found, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[Tamsin Park Jr Park Orsolya Quillanby III Quillanby]" {
		t.Errorf("got %s", s)
	}
}

func TestPropagateValues(t *testing.T) {
	text := "SSN 123-45-6789. Again: 123 45 6789. Age 45, 45 mg. Call 503-555-0147\nor 503 555\n0147"
	found := [][]Finding{{
		{4, 15, SSN, 0.85, "ssn"},
		{41, 43, Age, 0.85, "age"},
		{57, 69, Phone, 0.85, "ph"},
	}}
	got := Propagate([]string{text}, found, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[123-45-6789 123 45 6789 503-555-0147 503 555\n0147]" {
		t.Errorf("got %q", s)
	}
}

func FuzzPropagate(f *testing.F) {
	f.Add("John Smith and smith", 0, 10)
	f.Add("é\xffJohn Smith’s", 2, 9)
	f.Add("Tamsin Quillan, T. Quillan, F.W. de Quillan, van der Quillan, der Quillan, é. Quillan", 0, 14)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		if !utf8.ValidString(text) || s < 0 || e > len(text) || s >= e || !utf8.RuneStart(text[s]) || (e < len(text) && !utf8.RuneStart(text[e])) {
			return
		}
		got := Propagate([]string{text, text + " tail"}, [][]Finding{{{s, e, Person, 0.9, "x"}}, nil}, common)
		for i, fs := range got {
			tx := text
			if i == 1 {
				tx = text + " tail"
			}
			for _, f := range fs {
				if f.Start < 0 || f.Start >= f.End || f.End > len(tx) || !utf8.RuneStart(tx[f.Start]) || (f.End < len(tx) && !utf8.RuneStart(tx[f.End])) {
					t.Fatalf("bad finding %v", f)
				}
			}
		}
	})
}

func TestPhraseMatcher(t *testing.T) {
	m := NewPhraseMatcher([]Phrase{
		{Keys: Fold("Project Falcon")},
		{Keys: Fold("O'Neill")},
		{Keys: Fold("file")},
		{Keys: Fold("José García")},
	})
	text := "PROJECT\n   FALCON; Brian O’Neill’s ﬁle. Jose Garcia and josé garcía. profile. Project\n\n\n\n\n\n\n\n\n\nFalcon. Project of Falcon."
	var got []string
	for _, mt := range m.FindAll(text) {
		got = append(got, text[mt.Start:mt.End])
	}
	// Blank lines between the words still match (fail safe); other words
	// between them do not.
	want := "[PROJECT\n   FALCON O’Neill ﬁle Jose Garcia josé garcía Project\n\n\n\n\n\n\n\n\n\nFalcon]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got %q\nwant %q", fmt.Sprint(got), want)
	}
}

// findAllRef is the plain algorithm over a fully split word list, trying
// every phrase at every word: the oracle for the streaming, trie-walking
// FindAll.
func findAllRef(m *PhraseMatcher, text string) []Match {
	tw := Words(text)
	var out []Match
	for j := 0; j < len(tw); j++ {
		best := -1
		for c, p := range m.phrases {
			if len(p.Keys) == 0 || tw[j].Key != p.Keys[0] || j+len(p.Keys) > len(tw) || (p.CapitalOnly && !tw[j].Capital) {
				continue
			}
			ok := true
			for k := 1; k < len(p.Keys); k++ {
				if tw[j+k].Key != p.Keys[k] || !closeEnough(text, tw[j+k-1].End, tw[j+k].Start) {
					ok = false
					break
				}
			}
			if ok && (best < 0 || len(p.Keys) > len(m.phrases[best].Keys)) {
				best = c
			}
		}
		if best >= 0 {
			n := len(m.phrases[best].Keys)
			out = append(out, Match{Start: tw[j].Start, End: tw[j+n-1].End, Index: best})
			j += n - 1
		}
	}
	return out
}

func FuzzPhraseMatcherStreaming(f *testing.F) {
	f.Add("a b c", "John Smith met john  smith and SMITH, John. Smith John Smith Smith", "Smith")
	f.Add("x", "é ﬁle O’Neill o neill", "o neill")
	f.Fuzz(func(t *testing.T, p1, text, p2 string) {
		if !utf8.ValidString(text) {
			return
		}
		m := NewPhraseMatcher([]Phrase{{Keys: Fold(p1)}, {Keys: Fold(p2), CapitalOnly: len(p2)%2 == 0}, {Keys: Fold(p1 + " " + p2)},
			{Keys: Fold(p2)}, {Keys: Fold(p2 + " " + p1), CapitalOnly: true}, {Keys: Fold(p2 + " " + p1)}})
		got, want := m.FindAll(text), findAllRef(m, text)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("streaming %v, reference %v", got, want)
		}
	})
}

// A given name's other forms are the same person's where capitalised:
// "Bob" for "Robert Hale", "Robert" for "Bobby Hale"; a lower-case "bob" is
// a word.
func TestPropagateDiminutives(t *testing.T) {
	text := "Robert Hale was admitted. Bob asked for water; the float will bob. Rob agreed."
	found := [][]Finding{{{0, 11, Person, 0.9, "x"}}}
	got := Propagate([]string{text}, found, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[Robert Hale Bob Rob]" {
		t.Errorf("got %s", s)
	}
	text = "Bobby Hale called. Robert said no."
	got = Propagate([]string{text}, [][]Finding{{{0, 10, Person, 0.9, "x"}}}, common)
	if s := fmt.Sprint(texts(got[0], text)); s != "[Bobby Hale Robert]" {
		t.Errorf("got %s", s)
	}
}

func TestGivenNameForms(t *testing.T) {
	if f, ok := FullGivenName("bob"); !ok || f != "robert" {
		t.Errorf("bob -> %q %v, want robert", f, ok)
	}
	if f, ok := FullGivenName("al"); ok {
		t.Errorf("al -> %q: a short form of several names stands for none", f)
	}
	if _, ok := FullGivenName("robert"); ok {
		t.Error("a full name is no short form")
	}
	vs := GivenNameVariants("robert")
	for _, want := range []string{"bob", "bobby", "rob", "robbie"} {
		if !slices.Contains(vs, want) {
			t.Errorf("variants of robert %v lack %s", vs, want)
		}
	}
}
