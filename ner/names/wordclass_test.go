package names

import (
	"context"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// classTexts are texts whose words are every word of every list with a
// class bit, written in lower case, capitalised and upper case, and
// generated texts of names, titles, places and ordinary words.
func classTexts() []string {
	var b strings.Builder
	add := func(k string) {
		for _, w := range []string{k, strings.ToUpper(k[:1]) + k[1:], strings.ToUpper(k)} {
			b.WriteString(w)
			b.WriteString(" , ")
		}
	}
	for _, l := range classLists {
		for k := range l.m {
			add(k)
		}
	}
	for _, m := range []map[string]bool{credentials, usStates, personContext2} {
		for k := range m {
			add(strings.ToLower(k))
			add(k)
		}
	}
	texts := append(generatedTexts(40, 3000, 7), b.String(),
		"İlkavar DR. Straße MD ǅemal RN Kelvin K sign ſt MA ı ﬁnn Ｍｒ Ⅻ 4L ٣٤ Tamsin٣ ۱۲۳")
	return texts
}

// TestClassesMatchLists checks the bits of every token against the lists
// they stand for: one lookup at tokenisation answers what a lookup in
// each list answered.
func TestClassesMatchLists(t *testing.T) {
	for _, text := range classTexts() {
		toks := tokenize(context.Background(), text)
		for i := range toks {
			tk := &toks[i]
			for _, l := range classLists {
				if got, want := tk.cls&l.c != 0, l.m[tk.Key]; got != want { // the marks; contextClasses may change is()
					t.Fatalf("word %q: bit %b is %v, the list says %v", tk.Key, l.c, got, want)
				}
			}
			if got, want := tk.titleKey(), isTitleKey(tk.Key); got != want {
				t.Fatalf("word %q: titleKey %v, isTitleKey %v", tk.Key, got, want)
			}
			word := text[tk.Start:tk.End]
			if got, want := tk.upperIn(cCredential, credentials, text), hasUpper(credentials, word); got != want {
				t.Fatalf("word %q: credential %v, hasUpper %v", word, got, want)
			}
			if got, want := tk.upperIn(cUSState, usStates, text), hasUpper(usStates, word); got != want {
				t.Fatalf("word %q: state %v, hasUpper %v", word, got, want)
			}
			if got, want := tk.hasASCIIDigit(text), hasDigit(word); got != want {
				t.Fatalf("word %q: hasASCIIDigit %v, hasDigit %v", word, got, want)
			}
			if got, want := tk.ascii, ner.IsASCII(word); got != want {
				t.Fatalf("word %q: ascii %v", word, got)
			}
			if i+1 < len(toks) {
				next := toks[i+1].Key
				if personContext2[tk.Key+" "+next] && !tk.is(cContext2) {
					t.Fatalf("word %q starts a two-word context without the bit", tk.Key)
				}
			}
		}
	}
}

// TestPlaceNameFlag checks what placeAt relies on: a one-word key is in
// Places exactly when Lookup gives it PlaceName, and the first word of
// every longer one has Place.
func TestPlaceNameFlag(t *testing.T) {
	n := 0
	for k := range gazetteer.Places() {
		if first, _, more := strings.Cut(k, " "); more && gazetteer.Lookup(first)&gazetteer.Place == 0 {
			t.Fatalf("place %q: its first word has no Place flag", k)
		}
		if !strings.Contains(k, " ") {
			n++
			if gazetteer.Lookup(k)&gazetteer.PlaceName == 0 {
				t.Fatalf("place %q has no PlaceName flag", k)
			}
		}
	}
	if n == 0 {
		t.Fatal("no one-word place")
	}
	for _, text := range classTexts() {
		for _, tk := range tokenize(context.Background(), text) {
			if _, ok := gazetteer.Places()[tk.Key]; ok != tk.placeName && !tk.digits {
				t.Fatalf("word %q: in Places %v, placeName %v", tk.Key, ok, tk.placeName)
			}
		}
	}
}

// refCounts is tokenizeWords's count of letters, lower-case letters and
// digits before its ASCII fast path (the reference).
func refCounts(word string) (letters, lower, digits int) {
	for _, r := range word {
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsLower(r) {
				lower++
			}
		case unicode.IsDigit(r):
			digits++
		}
	}
	return
}

// refConditionWord is conditionWord before its last-byte filter.
func refConditionWord(k string) bool {
	for _, suf := range conditionEndings {
		if strings.HasSuffix(k, suf) {
			return !notConditions[k]
		}
	}
	return k == "hypertension" || k == "hypotension"
}

// refPlaceAt is placeAt before it skipped one-word lookups.
func (d *run) refPlaceAt(i int) (int, bool) {
	end, city := -1, false
	key := ""
	for j := i; j < len(d.toks) && j-i < 4; j++ {
		if j > i && (!gapOK(d.text, &d.toks[j-1], &d.toks[j]) || !d.toks[j].Capital) && !(j > i && d.toks[j].Key == "and") {
			break
		}
		if j > i {
			key += " "
		}
		key += d.toks[j].Key
		if c, ok := gazetteer.Places()[key]; ok {
			end, city = j, c
		}
	}
	return end, city
}

func checkTokens(t *testing.T, text string) {
	toks := tokenize(context.Background(), text)
	d := &run{text: text, toks: toks, claimed: make([]bool, len(toks))}
	for i := range toks {
		tk := &toks[i]
		word := text[tk.Start:tk.End]
		letters, lower, digits := refCounts(word)
		allCaps := letters > 1 && lower == 0 && digits == 0
		if tk.allCaps != allCaps || tk.digits != (letters == 0) || tk.numeric != (digits > 0) {
			t.Fatalf("word %q: allCaps %v digits %v numeric %v, reference %v %v %v", word, tk.allCaps, tk.digits, tk.numeric, allCaps, letters == 0, digits > 0)
		}
		initial := letters == 1 && digits == 0 && tk.Capital && utf8.RuneCountInString(word) == 1
		if !initial && tk.initial {
			t.Fatalf("word %q: an initial where the reference sees none", word)
		}
		if got, want := conditionWord(tk.Key), refConditionWord(tk.Key); got != want {
			t.Fatalf("word %q: conditionWord %v, reference %v", tk.Key, got, want)
		}
		e1, c1 := d.placeAt(i)
		e2, c2 := d.refPlaceAt(i)
		if e1 != e2 || c1 != c2 {
			t.Fatalf("placeAt(%q) = %d %v, reference %d %v", tk.Key, e1, c1, e2, c2)
		}
	}
}

// placeTexts writes every 16th phrase of Places (in sorted order) as
// written in text: capitalised, lower case and in capitals, apart and
// run together, with digits and a word whose key holds spaces (U+FDFA
// decomposes into four words).
func placeTexts() []string {
	var ps []string
	for k := range gazetteer.Places() {
		ps = append(ps, k)
	}
	sort.Strings(ps)
	var apart, together strings.Builder
	for i := 0; i < len(ps); i += 16 {
		title := []byte(ps[i])
		for j := range title {
			if j == 0 || title[j-1] == ' ' {
				title[j] = byte(unicode.ToUpper(rune(title[j])))
			}
		}
		for _, w := range []string{string(title), ps[i], strings.ToUpper(ps[i])} {
			apart.WriteString(w)
			apart.WriteString(" ; ")
		}
		together.Write(title)
		together.WriteString(" ")
	}
	return []string{apart.String(), together.String(), "Lives in 29 Palms near \uFDFA Orsolya and Tamsin Everard of New Quillmoor"}
}

// TestTokensMatchReference checks the token fields, conditionWord and
// placeAt against the code they replaced.
func TestTokensMatchReference(t *testing.T) {
	for _, text := range placeTexts() {
		checkTokens(t, text)
	}
	for _, text := range classTexts() {
		checkTokens(t, text)
	}
	// every place, capitalised word by word and as listed
	keys := make([]string, 0, len(gazetteer.Places()))
	for k := range gazetteer.Places() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		b.WriteString("in ")
		for _, w := range strings.Split(k, " ") {
			if r, n := utf8.DecodeRuneInString(w); n > 0 {
				b.WriteString(string(unicode.ToUpper(r)) + w[n:] + " ")
			}
		}
		b.WriteString(", " + k + " . ")
		if i%500 == 499 || i == len(keys)-1 {
			checkTokens(t, b.String())
			b.Reset()
		}
	}
	for _, k := range conditionEndings {
		checkTokens(t, "chronic x"+k+" and "+k+" and hypertension "+strings.ToUpper(k))
	}
}

// FuzzTokens checks the tokens of any text against the reference.
func FuzzTokens(f *testing.F) {
	for _, s := range classTexts()[:5] {
		f.Add(s[:min(len(s), 300)])
	}
	f.Add("İlkavar 4L ٣٤ Tamsin٣ ۱۲۳ ǅemal ſt Kelvin")
	f.Fuzz(func(t *testing.T, text string) {
		checkTokens(t, text)
		New().Detect(context.Background(), text)
	})
}
