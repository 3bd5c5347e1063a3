package model

import (
	"slices"
	"strings"
	"unicode/utf8"

	"testing"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// tagAs tags the words of text: the words from..to-1 as one name of a
// person with probability p, the others outside.
func tagAs(text string, from, to int, p float64) []Tagged {
	var out []Tagged
	for i, w := range ner.Words(text) {
		t := Tagged{Start: w.Start, End: w.End, Tag: O, P: 0.01}
		if i >= from && i < to {
			t.Tag, t.P = IPer, p
			if i == from {
				t.Tag = BPer
			}
		}
		out = append(out, t)
	}
	return out
}

// A name the model is less sure of than NameScore is added (maximum
// recall's lower threshold) only when written as a full name in running
// text with a listed word; at NameScore and above, as before. Invented
// names; the test checks that its fixture's given name is listed.
func TestConfidentNamesUnderNameScore(t *testing.T) {
	if gazetteer.Lookup("tamsin")&(gazetteer.First|gazetteer.Last) == 0 || gazetteer.IsName("quillanby") || gazetteer.IsName("zelvorin") {
		t.Fatal("fixture: tamsin must be a listed given name, quillanby and zelvorin in no list")
	}
	for _, c := range []struct {
		text     string
		from, to int
		p        float64
		min      float64
		want     string
	}{
		{"Seen with Tamsin Quillanby today.", 2, 4, 0.7, 0.6, "Tamsin Quillanby"},
		{"Seen with Tamsin Quillanby today.", 2, 4, 0.7, NameScore, ""},                             // the default threshold
		{"Seen with Tamsin Quillanby today.", 2, 4, 0.5, 0.6, ""},                                   // under the lower one
		{"Seen with tamsin Quillanby today.", 2, 4, 0.7, 0.6, ""},                                   // not written as a name
		{"Seen with TAMSIN Quillanby today.", 2, 4, 0.7, 0.6, ""},                                   // a word in capitals
		{"Seen with Quillanby Zelvorin today.", 2, 4, 0.65, 0.6, ""},                                // no listed word
		{"Seen with Quillanby Zelvorin today.", 2, 4, UnlistedNameScore, 0.6, "Quillanby Zelvorin"}, // no listed word, surer
		{"Seen with Quillanby Zelvorin today.", 2, 4, UnlistedNameScore, NameScore, ""},             // not in the Refiner's mode
		{"Seen with Quillanby today.", 2, 3, 0.7, 0.6, ""},                                          // one word
		{"Seen with Quillanby today.", 2, 3, 0.95, 0.6, "Quillanby"},                                // confident: as before
		{"Seen with Tamsin van Quillanby today.", 2, 5, 0.7, 0.6, "Tamsin van Quillanby"},           // a particle
		{"Seen with Tamsin Quillanby 2 today.", 2, 5, 0.7, 0.6, ""},                                 // a digit
		{"Seen with Tamsin Hae-so today.", 2, 5, 0.7, 0.6, "Tamsin Hae-so"},                         // a given name's lower-case part
		{"Seen with Tamsin al-Quillanby today.", 2, 5, 0.7, 0.6, "Tamsin al-Quillanby"},             // a particle joined
		{"Seen with Tamsin hae-so today.", 2, 5, 0.7, 0.6, ""},                                      // in lower case
	} {
		got := ""
		for _, f := range confidentNames(c.text, tagAs(c.text, c.from, c.to, c.p), nil, c.min) {
			got += c.text[f.Start:f.End]
		}
		if got != c.want {
			t.Errorf("%q (P %.2f, min %.2f): got %q, want %q", c.text, c.p, c.min, got, c.want)
		}
	}
}

// A name is widened over what belongs to it: the rest of a word joined
// by hyphens or apostrophes (not a clitic), initials and particles right
// before it, and a listed given name before a lone surname; a capitalised
// finding of another entity after one initial becomes a name from the
// initial. Other entities, and joiners, initials and particles that join
// nothing, are left. Invented names.
func TestWholeCompounds(t *testing.T) {
	text := "Seen Ab-ul-Quillanby, Tamsin-Everard and Zelvorin -- then x-Orsolya- and Grey-2. " +
		"O'Brannock met Kerhoa'h and Everard's aunt; F.W. de Quillan, T.O'Vestry, K. Zelvorin, " +
		"van der Hollin and sat by Drust. Then Tamsin Marrowby, June Pellow and the Q.X. Ostrevia."
	at := func(w string, e ner.Entity) ner.Finding {
		i := strings.Index(text, w)
		if i < 0 {
			t.Fatalf("fixture: no %q", w)
		}
		return ner.Finding{Start: i, End: i + len(w), Entity: e}
	}
	p := ner.Person
	fs := []ner.Finding{at("Quillanby", p), at("Tamsin", p), at("Zelvorin --", ner.Location), at("Orsolya", p), at("Grey", p),
		at("Brannock", p), at("Kerhoa", p), at("Everard's", p), at("Quillan,", p), at("Vestry", p), at("Zelvorin,", ner.Location),
		at("Hollin", p), at("Drust", p), at("Marrowby", p), at("Pellow", p), at("Ostrevia", ner.Location)}
	for i := range fs {
		if v := text[fs[i].Start:fs[i].End]; strings.ContainsAny(v, " ,") {
			fs[i].End = fs[i].Start + strings.IndexAny(v, " ,'")
		}
	}
	fs[7].End = fs[7].Start + len("Everard")
	var got []string
	for _, f := range wholeCompounds(text, fs) {
		got = append(got, text[f.Start:f.End]+"/"+string(f.Entity))
	}
	want := []string{"Ab-ul-Quillanby/PERSON", "Tamsin-Everard/PERSON", "x-Orsolya/PERSON", "O'Brannock/PERSON", "Kerhoa'h/PERSON",
		"F.W. de Quillan/PERSON", "T.O'Vestry/PERSON", "K. Zelvorin/PERSON", "van der Hollin/PERSON", "Tamsin Marrowby/PERSON"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// Inside a sentence, a capitalised word right before a lone surname (after
// a lower-case word or a comma) is its given name, and a capitalised word
// right after a lone listed given name is its surname, even when the lists
// take them for ordinary words; not a title, office, month or stop word,
// not after a determiner ("the Project Drust memo"),
// not a word another entity covers, not at the start of a sentence or a
// line, not a word joined to more by a hyphen or a digit, nor a word
// across a line break. Invented names.
func TestWholeCompoundsBesideInSentence(t *testing.T) {
	text := "the striker Brisk Quillanby scored. In Oakvale , Chalk Everard and Senator Marrowby, " +
		"then Oakvale Pellow came.\nBrisk Vestry; The Zelvorin and in June Hollin. Tamsin Hollow said, " +
		"Tamsin Oakvale left, Tamsin Grey-2 and Tamsin Lowe9 went and Tamsin Street; the Project Drust memo, " +
		"Tamsin\nPlan: rest, then , Mara\nKellow 69"
	at := func(w string, e ner.Entity) ner.Finding {
		i := strings.Index(text, w)
		if i < 0 {
			t.Fatalf("fixture: no %q", w)
		}
		return ner.Finding{Start: i, End: i + len(w), Entity: e}
	}
	p := ner.Person
	fs := []ner.Finding{at("Quillanby", p), at("Oakvale ,", ner.Location), at("Everard", p), at("Marrowby", p),
		at("Oakvale Pellow", ner.Location), at("Pellow", p), at("Vestry", p), at("Zelvorin", p), at("Hollin", p),
		at("Tamsin Hollow", p), at("Tamsin Oakvale", p), at("Oakvale left", ner.Location), at("Tamsin Grey", p),
		at("Tamsin Lowe", p), at("Tamsin Street", p), at("Drust", p), at("Tamsin\nPlan", p), at("Kellow", p)}
	for i := range fs {
		if v := text[fs[i].Start:fs[i].End]; strings.ContainsAny(v, " ,\n") {
			fs[i].End = fs[i].Start + strings.IndexAny(v, " ,\n")
		}
	}
	var got []string
	for _, f := range wholeCompounds(text, fs) {
		got = append(got, text[f.Start:f.End])
	}
	want := []string{"Brisk Quillanby", "Chalk Everard", "Tamsin Hollow", "Tamsin Oakvale"} // the last: a place after a given name (TestWholeCompoundsGivenBeforePlace)
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A one-word place right after a listed given name inside a sentence is
// a surname: the name runs from the given name; not at the start of a
// sentence, not after a determiner, not a place of several words.
// Invented names.
func TestWholeCompoundsGivenBeforePlace(t *testing.T) {
	for _, c := range []struct{ text, place, want string }{
		{"the biologist Tamsin Oakvale said", "Oakvale", "Tamsin Oakvale"},
		{"so , Tamsin Oakvale said", "Oakvale", "Tamsin Oakvale"},
		{"Tamsin Oakvale said", "Oakvale", ""},
		{"went. Tamsin Oakvale said", "Oakvale", ""},
		{"at the Tamsin Oakvale site", "Oakvale", ""},
		{"the biologist Tamsin Oakvale Vale said", "Oakvale Vale", ""},
	} {
		i := strings.Index(c.text, c.place)
		got := ""
		for _, f := range wholeCompounds(c.text, []ner.Finding{{Start: i, End: i + len(c.place), Entity: ner.Location}}) {
			if f.Entity == ner.Person {
				got = c.text[f.Start:f.End]
			}
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

// A generational suffix after a name is part of it ("Jr", "Jr.", "III"),
// not a longer word, a suffix in lower case or one glued to a digit; so
// is the full stop of an initial that ends a name ("Tamsin Q.").
// Invented names.
func TestWholeCompoundsSuffixes(t *testing.T) {
	for _, c := range []struct{ text, name, want string }{
		{"Tamsin Quillanby Jr said so", "Tamsin Quillanby", "Tamsin Quillanby Jr"},
		{"then Tamsin Quillanby Jr. left", "Tamsin Quillanby", "Tamsin Quillanby Jr."},
		{"with Tamsin Quillanby III , 19 ,", "Tamsin Quillanby", "Tamsin Quillanby III"},
		{"with Quillanby IV.", "Quillanby", "Quillanby IV."},
		{"with Tamsin Quillanby Junior Cup", "Tamsin Quillanby", ""},
		{"with Tamsin Quillanby jr said", "Tamsin Quillanby", ""},
		{"with Tamsin Quillanby II2", "Tamsin Quillanby", ""},
		{"with Tamsin Quillanby IIIrd", "Tamsin Quillanby", ""},
		{"known as Tamsin Q. , 36 ,", "Tamsin Q", "Tamsin Q."}, // an initial for the surname
		{"known as Q. , 36 ,", "Q", ""},
		{"known as Tamsin QX. , 36 ,", "Tamsin QX", ""},
	} {
		i := strings.Index(c.text, c.name)
		got := ""
		for _, f := range wholeCompounds(c.text, []ner.Finding{{Start: i, End: i + len(c.name), Entity: ner.Person}}) {
			got = c.text[f.Start:f.End]
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

// A name that begins with a listed given name is widened over the
// capitalised word right after it that the model reads as the inside of a
// name from ContinueScore; not under it, not when the model reads it as
// another tag, not a word of the English dictionary, not after a name
// that begins with no listed given name. Invented names.
func TestModelContinuations(t *testing.T) {
	if !givenNotWord("tamsin") || givenNotWord("channel") {
		t.Fatal("fixture: tamsin must be a listed given name and no word, channel not")
	}
	for _, c := range []struct {
		text string
		best int
		p    float64
		want string
	}{
		{"said Tamsin Orsk Zelvorin today", IPer, ContinueScore, "Tamsin Orsk Zelvorin"},
		{"said Tamsin Orsk Zelvorin today", IPer, ContinueScore - 0.01, ""},
		{"said Tamsin Orsk Zelvorin today", BLoc, 0.9, ""},
		{"said Tamsin Orsk Blanket today", IPer, 0.9, ""},
		{"said Channel Orsk Zelvorin today", IPer, 0.9, ""},
		{"said Tamsin Orsk zelvorin today", IPer, 0.9, ""},
		{"said Tamsin Orsk Zelvorin-Vey today", IPer, 0.9, ""},
	} {
		ws := ner.Words(c.text)
		tagged := tagAs(c.text, 1, 3, 0.9)
		tagged[3].Best, tagged[3].P = c.best, c.p
		f := ner.Finding{Start: ws[1].Start, End: ws[2].End, Entity: ner.Person}
		got := ""
		for _, g := range modelContinuations(c.text, tagged, []ner.Finding{f}) {
			got = c.text[g.Start:g.End]
		}
		if got != c.want {
			t.Errorf("%q (%d, P %.2f): got %q, want %q", c.text, c.best, c.p, got, c.want)
		}
	}
}

// nameStart, givenStart, initialStart and compoundEnd stay on rune
// boundaries inside the text, and widen, never narrow.
func FuzzCompoundBounds(f *testing.F) {
	f.Add("Ab-ul-Quillanby x", 6, 15)
	f.Add("é-Ö-ü\xff-a", 2, 3)
	f.Add("F.W. de Quillan", 8, 15)
	f.Add("Tamsin Quillan's x", 7, 14)
	f.Add("T.O’Vestry’h", 4, 10)
	f.Add("", 0, 0)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		if s < 0 || e > len(text) || s > e || !utf8.ValidString(text) {
			return
		}
		if s < len(text) && !utf8.RuneStart(text[s]) || e < len(text) && !utf8.RuneStart(text[e]) {
			return
		}
		b := compoundEnd(text, e)
		var none cover
		if !utf8.ValidString(text[:s]) || !utf8.ValidString(text[e:]) {
			return
		}
		b = max(b, surnameEnd(text, s, e, &none), suffixEnd(text, e))
		for _, a := range []int{nameStart(text, s), givenStart(text, s), initialStart(text, s), midGivenStart(text, s, &none)} {
			if a < 0 || a > s || b < e || b > len(text) {
				t.Fatalf("(%d,%d) -> (%d,%d) in %q", s, e, a, b, text)
			}
			if a < len(text) && !utf8.RuneStart(text[a]) || b < len(text) && !utf8.RuneStart(text[b]) {
				t.Fatalf("(%d,%d) -> (%d,%d) off a rune boundary in %q", s, e, a, b, text)
			}
		}
	})
}

// A name of the model under the threshold widens a name of people another
// pass found when written as a full name (a given name beside the
// surname the rules found, in a results table), from ExtendScore; not a
// name it does not reach past, nor one beside no name, nor over another
// entity.
func TestConfidentNamesExtendFound(t *testing.T) {
	text := "Results : 4. Orsolya Quillanby ( Norway ) 20.41"
	at := func(w string, e ner.Entity) ner.Finding {
		i := strings.Index(text, w)
		return ner.Finding{Start: i, End: i + len(w), Entity: e}
	}
	lower := strings.Replace(text, "Orsolya", "orsolya", 1)
	for _, c := range []struct {
		text  string
		p     float64
		found []ner.Finding
		want  string
	}{
		{text, 0.6, []ner.Finding{at("Quillanby", ner.Person)}, "Orsolya Quillanby"},
		{text, 0.6, nil, ""}, // no name of the rules
		{text, 0.4, []ner.Finding{at("Quillanby", ner.Person)}, ""},                   // under ExtendScore
		{text, 0.6, []ner.Finding{at("Orsolya Quillanby", ner.Person)}, ""},           // reaches no further
		{text, 0.6, []ner.Finding{at("Quillanby", ner.Location)}, ""},                 // another entity stands
		{lower, 0.6, []ner.Finding{at("Quillanby", ner.Person)}, ""},                  // not written as a name
		{text, 0.95, []ner.Finding{at("Quillanby", ner.Person)}, "Orsolya Quillanby"}, // sure: as before
	} {
		got := ""
		for _, f := range confidentNames(c.text, tagAs(c.text, 2, 4, c.p), c.found, NameScore) {
			got += c.text[f.Start:f.End]
		}
		if got != c.want {
			t.Errorf("%q (P %.2f, found %v): got %q, want %q", c.text, c.p, c.found, got, c.want)
		}
	}
}

// A lone nationality the model names is left out (doubtful); a name with
// one, a lone name at the start of a sentence and names typed in lower
// case are kept. Invented names; the test checks its fixture's lists.
func TestConfidentNamesDoubtful(t *testing.T) {
	if gazetteer.IsName("zelvorin") || gazetteer.IsName("quillanby") || !demonyms.Has("norwegian") {
		t.Fatal("fixture: zelvorin and quillanby in no list, norwegian a demonym")
	}
	for _, c := range []struct {
		text     string
		from, to int
		want     string
	}{
		{"Speaking Norwegian today.", 1, 2, ""},                             // a nationality
		{"Seen with Zelvorin Norwegian today.", 2, 4, "Zelvorin Norwegian"}, // a name with one
		{"Seen today. Zelvorin was calm.", 2, 3, "Zelvorin"},                // a sentence's first word
		{"Seen with tamsin quillanby today.", 2, 4, "tamsin quillanby"},     // lower case
	} {
		got := ""
		for _, f := range confidentNames(c.text, tagAs(c.text, c.from, c.to, 0.95), nil, NameScore) {
			got += c.text[f.Start:f.End]
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

// Two names with a nickname in quotes or parentheses between them are one
// name; not when the words between are another entity (a country in a
// results table), a line break, digits or more than four words lie
// between, or no word between is capitalised. Invented names.
func TestNicknames(t *testing.T) {
	for _, c := range []struct {
		text string
		want string
	}{
		{`Orsolya " Iron Hands " Quillanby won.`, `Orsolya " Iron Hands " Quillanby`},
		{"Orsolya \u201cthe Hammer\u201d Quillanby won.", "Orsolya \u201cthe Hammer\u201d Quillanby"},
		{"T. ( Tam ) Everard wrote.", "T. ( Tam ) Everard"},
		{"Orsolya ( Norway ) Quillanby won.", ""},    // a place between
		{"Orsolya ( the one ) Quillanby won.", ""},   // nothing capitalised
		{"Orsolya ( 12 ) Quillanby won.", ""},        // digits
		{"Orsolya ( A B C D E ) Quillanby won.", ""}, // five words
		{"Orsolya ( Tam\n) Quillanby won.", ""},      // a line break
		{"Orsolya , Tam , Quillanby won.", ""},       // no quotes
		{`Orsolya " Tam ) Quillanby won.`, ""},       // quotes that do not pair
	} {
		at := func(w string, e ner.Entity) ner.Finding {
			i := strings.Index(c.text, w)
			return ner.Finding{Start: i, End: i + len(w), Entity: e}
		}
		first := "Orsolya"
		if strings.HasPrefix(c.text, "T.") {
			first = "T."
		}
		last := "Quillanby"
		if strings.Contains(c.text, "Everard") {
			last = "Everard"
		}
		fs := []ner.Finding{at(first, ner.Person), at(last, ner.Other)}
		if strings.Contains(c.text, "Norway") {
			fs = append(fs, at("Norway", ner.Location))
		}
		got := ""
		for _, f := range nicknames(c.text, fs) {
			got += c.text[f.Start:f.End]
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

// The capitalised words right before a place in parentheses on a line
// with a number after it are a name of a results table; not where every
// word is found already, nor without a number after, nor lower-case or
// ALL-CAPS words, nor more than three words. Invented names.
func TestResultNames(t *testing.T) {
	for _, c := range []struct {
		text string
		want string
	}{
		{"7. Orsk Quillanby ( Norway ) 5.65", "Orsk Quillanby"},
		{"Wessex 2 , Tamsin Orsk Vel Quillanby ( Norway ) 6-3", "Orsk Vel Quillanby"},
		{"the court of Quillanby ( Norway ) 12", "Quillanby"},
		{"7. Orsk Quillanby ( Norway ) won.", ""},
		{"7. orsk quillanby ( Norway ) 5.65", ""},
		{"7. ORSK ( Norway ) 5.65", ""},
		{"7. Orsk Quillanby ( Norway\n) 5.65", ""},
		{"7. Orsk Quillanby, ( Norway ) 5.65", ""},
	} {
		i := strings.Index(c.text, "Norway")
		fs := []ner.Finding{{Start: i, End: i + len("Norway"), Entity: ner.Location, Score: 0.9}}
		got := ""
		for _, f := range resultNames(c.text, fs) {
			got += c.text[f.Start:f.End]
			if f.Entity != ner.Person {
				t.Errorf("%q: entity %s", c.text, f.Entity)
			}
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
	// every word found already: nothing new
	text := "7. Orsk Quillanby ( Norway ) 5.65"
	at := func(w string, e ner.Entity) ner.Finding {
		i := strings.Index(text, w)
		return ner.Finding{Start: i, End: i + len(w), Entity: e}
	}
	if got := resultNames(text, []ner.Finding{at("Norway", ner.Location), at("Orsk Quillanby", ner.Person)}); len(got) != 0 {
		t.Errorf("found already: got %v", got)
	}
	if got := resultNames(text, []ner.Finding{at("Norway", ner.Location), at("Quillanby", ner.Person)}); len(got) != 1 {
		t.Errorf("half found: got %v", got)
	}
}

// resultNames stays inside the text on any input.
func FuzzResultNames(f *testing.F) {
	f.Add("7. Orsk Quillanby ( Norway ) 5.65", 20, 26)
	f.Add("( X ) 1", 2, 3)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		if s < 0 || e > len(text) || s >= e || !utf8.ValidString(text) || !utf8.RuneStart(text[s]) || e < len(text) && !utf8.RuneStart(text[e]) {
			return
		}
		for _, g := range resultNames(text, []ner.Finding{{Start: s, End: e, Entity: ner.Location}}) {
			if g.Start < 0 || g.End > s || g.Start >= g.End {
				t.Fatalf("(%d,%d) -> %v in %q", s, e, g, text)
			}
		}
	})
}

// TestWideningLinear checks that the passes that widen names
// (wholeCompounds, resultNames, nicknames) cost about 8 times as much on
// 8 times the text, on one long line full of what they look for: a
// complexity ratio in CPU time (internal/complexity), not a timing target.
func TestWideningLinear(t *testing.T) {
	unit := `K. de Quillanby ( Norway ) 5.65 , Tamsin " Iron " O'Everard ( Norway ) 6-3 , `
	build := func(n int) []any {
		text := strings.Repeat(unit, n/len(unit))
		var fs []ner.Finding
		for i := 0; i < len(text); i += len(unit) {
			for _, w := range []struct {
				s string
				e ner.Entity
			}{{"Quillanby", ner.Person}, {"Norway", ner.Location}, {"Tamsin", ner.Person}, {"Everard", ner.Other}} {
				j := i + strings.Index(unit, w.s)
				fs = append(fs, ner.Finding{Start: j, End: j + len(w.s), Entity: w.e})
			}
		}
		return []any{text, fs}
	}
	complexity.Assert(t, 200*len(unit), build, func(in []any) {
		text, fs := in[0].(string), in[1].([]ner.Finding)
		out := append(fs, wholeCompounds(text, fs)...)
		out = append(out, resultNames(text, out)...)
		nicknames(text, out)
	})
}

// TestContinuationsLinear checks that modelContinuations costs about 8
// times as much on 8 times the text, every name followed by a word the
// model reads as the inside of a name: a complexity ratio in CPU time
// (internal/complexity), not a timing target.
func TestContinuationsLinear(t *testing.T) {
	unit := "said Tamsin Orsk Zelvorin and "
	build := func(n int) []any {
		text := strings.Repeat(unit, n/len(unit))
		tagged := make([]Tagged, 0, 5*len(text)/len(unit))
		var fs []ner.Finding
		for i, w := range ner.Words(text) {
			tg := Tagged{Start: w.Start, End: w.End}
			if k := i % 5; k >= 1 && k <= 3 {
				tg.Tag, tg.Best, tg.P = IPer, IPer, 0.9
			}
			if i%5 == 1 {
				fs = append(fs, ner.Finding{Start: w.Start, End: ner.Words(text[w.Start:])[1].End + w.Start, Entity: ner.Person})
			}
			tagged = append(tagged, tg)
		}
		return []any{text, tagged, fs}
	}
	complexity.Assert(t, 200*len(unit), build, func(in []any) {
		modelContinuations(in[0].(string), in[1].([]Tagged), in[2].([]ner.Finding))
	})
}
