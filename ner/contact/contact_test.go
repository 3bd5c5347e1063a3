package contact

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
)

// spans returns "ENTITY text" of the findings scoring at least 0.5.
func spans(t *testing.T, text string) []string {
	t.Helper()
	fs, err := New().Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range ner.Resolve(ner.Filter(fs, 0.5)) {
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End || !utf8.RuneStart(text[f.Start]) {
			t.Fatalf("bad span %v", f)
		}
		out = append(out, fmt.Sprintf("%s %s", f.Entity, text[f.Start:f.End]))
	}
	return out
}

func TestPhones(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Reach her on +44 20 7946 0958 or +48 601 234 567.", []string{"PHONE +44 20 7946 0958", "PHONE +48 601 234 567"}},
		{"Korea +82-2-312-3456, mobile +82 10 9876 5432", []string{"PHONE +82-2-312-3456", "PHONE +82 10 9876 5432"}},
		{"Hà Nội +84 24 3825 3456; di động 0912 345 678", []string{"PHONE +84 24 3825 3456", "PHONE 0912 345 678"}},
		{"office 020 7946 0958, Berlin 030 12345678", []string{"PHONE 020 7946 0958", "PHONE 030 12345678"}},
		{"휴대폰 010-1234-5678", []string{"PHONE 010-1234-5678"}},
		{"tel. 22 123 45 67 lub 601 234 567", []string{"PHONE 22 123 45 67", "PHONE 601 234 567"}},
		{"call me at 5035550147 tonight", []string{"PHONE 5035550147"}},
		{"Paris 01 23 45 67 89", []string{"PHONE 01 23 45 67 89"}},
		{"from 0048 601 234 567", []string{"PHONE 0048 601 234 567"}},
		{"Fax: 020 7946 0959", []string{"FAX 020 7946 0959"}},
		{"tel 020 7946 0958, fax 020 7946 0959", []string{"PHONE 020 7946 0958", "FAX 020 7946 0959"}},
	}
	for _, c := range cases {
		if got := spans(t, c.text); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

func TestNotPhones(t *testing.T) {
	for _, text := range []string{
		"host 203.0.113.45 replied",
		"on 2023-04-17 and 17.04.2023",
		"invoice 0207946095 paid",
		"pi is 3.14159265",
		"account no. 0012345678",
		"between 1998 and 2004 she paid 1,200.00",
		"+12 points",
		"ISBN 978-3-16-148410-0",
		"order 123456789012345678901",
		"mã đơn hàng 077208464215",
		"número de pedido 0912345678",
		"call 999-999-9999",
	} {
		if got := spans(t, text); len(got) > 0 {
			t.Errorf("%q: found %q", text, got)
		}
	}
}

func TestSpelledNumbers(t *testing.T) {
	got := spans(t, "Her number is five five five, one two three four, double seven.")
	want := []string{"PHONE five five five, one two three four, double seven"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q want %q", got, want)
	}
	for _, text := range []string{"one two three, go", "oh no, one of the two nine", "the four of us and one more"} {
		if got := spans(t, text); len(got) > 0 {
			t.Errorf("%q: found %q", text, got)
		}
	}
}

func TestDisguisedEmails(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"write to jane.doe [at] example [dot] com today", []string{"EMAIL jane.doe [at] example [dot] com"}},
		{"m.kowalska(at)poczta(dot)pl", []string{"EMAIL m.kowalska(at)poczta(dot)pl"}},
		{"r_hill @ mail.example . org", []string{"EMAIL r_hill @ mail.example . org"}},
		{"tran.minh at example dot vn", []string{"EMAIL tran.minh at example dot vn"}},
		{"JANE {AT} EXAMPLE {DOT} NET", []string{"EMAIL JANE {AT} EXAMPLE {DOT} NET"}},
		// "at" next to a line break or a tab
		{"quillanby at\nexample dot com", []string{"EMAIL quillanby at\nexample dot com"}},
		{"quillanby\nat example dot com", []string{"EMAIL quillanby\nat example dot com"}},
		{"tamsin\tat\texample dot org", []string{"EMAIL tamsin\tat\texample dot org"}},
	}
	for _, c := range cases {
		if got := spans(t, c.text); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.text, got, c.want)
		}
	}
	for _, text := range []string{"look at example.com", "we met at noon", "jane.doe@example.com", "at the dot com boom", "price @ 5 each"} {
		if got := spans(t, text); len(got) > 0 {
			t.Errorf("%q: found %q", text, got)
		}
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("+44 20 7946 0958 five five five one two three four jane [at] example [dot] com")
	f.Add("(((((1 2 3 4 5 6 7 8 9")
	f.Add(strings.Repeat("0 ", 60))
	d := New()
	f.Fuzz(func(t *testing.T, text string) {
		fs, err := d.Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range fs {
			if x.Start < 0 || x.End > len(text) || x.Start >= x.End || !utf8.RuneStart(text[x.Start]) || (x.End < len(text) && !utf8.RuneStart(text[x.End])) {
				t.Fatalf("bad finding %v in %q", x, text)
			}
		}
	})
}

// TestReadingsAreNoPhones: the numbers of clinical notes, sports results
// and price lists are written in groups a telephone number is not.
func TestReadingsAreNoPhones(t *testing.T) {
	for _, text := range []string{
		"BP 118-136/55 per arterial line", "ABG 7.41-38-97-24 on PS 8", "VT 650-900 20 minutes later",
		"abg 7,32 - 51 - 88 - 26 - 94%", "shift 0730-1930 and 0645-1915", "meds due @ 2100. HR/RR/SAT",
		"scores 68 72 70 74 and 5 2 2 1 12 8 12", "Swiss franc 412.36 411.80", "won 7-6 2-6 6-3 6-4",
	} {
		if got := spans(t, text); len(got) > 0 {
			t.Errorf("%q: found %q", text, got)
		}
	}
}

// appendSpelledReference is appendSpelled as it was before it lower-cased
// words on the stack: strings.ToLower of every word.
func appendSpelledReference(out []ner.Finding, text string) []ner.Finding {
	type word struct {
		lo, hi int
		w      string
	}
	var run []word
	digits := 0
	repeat := 1
	flush := func() {
		// a run may not begin with "o"/"oh" alone (an interjection)
		for len(run) > 0 && (run[0].w == "o" || run[0].w == "oh") {
			run = run[1:]
		}
		if digits >= 7 && len(run) > 0 {
			lo, hi := run[0].lo, run[len(run)-1].hi
			score := 0.85
			if hasAny(wordsBefore(text, lo, 5), phoneWords) {
				score = 0.95
			}
			out = append(out, ner.Finding{Start: lo, End: hi, Entity: ner.Phone, Score: score, Rule: "contact/phone-words"})
		}
		run, digits, repeat = run[:0], 0, 1
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			if !(r == ' ' || r == ',' || r == '-' || r == '\n' || r == '\t') {
				flush()
			}
			i += n
			continue
		}
		j := i
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += n
		}
		w := strings.ToLower(text[i:j])
		switch {
		case w == "double" || w == "triple":
			run = append(run, word{i, j, w})
			repeat = 2
			if w == "triple" {
				repeat = 3
			}
		case numberWords[w] != 0:
			run = append(run, word{i, j, w})
			digits += repeat
			repeat = 1
		default:
			flush()
		}
		i = j
	}
	flush()
	return out
}

// TestSpelledMatchesReference checks appendSpelled against the
// lower-casing of every word with strings.ToLower, on random texts of
// number words in any case, long and non-ASCII words, and separators.
func TestSpelledMatchesReference(t *testing.T) {
	pieces := []string{"five", "FIVE", "Five", "oh", "O", "nought", "NOUGHT", "double", "Triple", "seven", "eight", "nine",
		"zero", "one", "two", "three", "four", "six", "noughts", "fives", "ﬁve", "\u212aey", "fİve", "ſix", "call", "Tamsin",
		" ", ", ", "-", "\n", "\t", ".", "5", "é"}
	r := rand.New(rand.NewPCG(3, 4))
	hits := 0
	for range 20000 {
		var b strings.Builder
		for n := r.IntN(30); n >= 0; n-- {
			if r.IntN(3) > 0 {
				b.WriteString(pieces[r.IntN(20)]) // a number word, mostly
			} else {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
			if r.IntN(4) > 0 {
				b.WriteByte(' ')
			}
		}
		text := b.String()
		want := appendSpelledReference(nil, text)
		if got := appendSpelled(nil, text); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
		hits += len(want)
	}
	if hits < 100 {
		t.Errorf("only %d numbers found: the test says little", hits)
	}
}

// checkDisguisedGate compares the disguised e-mails found with the
// windows' gates and without.
func checkDisguisedGate(t *testing.T, text string) {
	t.Helper()
	got, want := disguisedEmails(nil, text, true), disguisedEmails(nil, text, false)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%q: gated %v, every window %v", text, got, want)
	}
}

// TestDisguisedGateMatchesAll checks that skipping the windows where an
// expression cannot match finds what running both over every window
// finds: bracketed markers with and without a spelled dot elsewhere, a
// bare " at " next to a spelled dot, upper case, and texts where one
// marker's window holds the other expression's match.
func TestDisguisedGateMatchesAll(t *testing.T) {
	texts := []string{
		"write to tamsin.everard [at] example [dot] com today, or at noon",
		"o.quillanby(at)poczta(dot)pl and we met at the anecdote",
		"reach r_hill @ mail.example . org at once; dot",
		"TAMSIN AT EXAMPLE DOT NET or T.EVERARD [  AT  ] EXAMPLE.COM",
		"see o.q {at} example.org at 5 pm; the dotted line at page 4",
		"x <at> y . com at tamsin at example (dot) vn",
		"at at at dot dot dot [at] [dot] @ @",
		"quillanby at\nexample dot com, tamsin\nat example dot org",
		"everard\tat\texample dot net at\n\nat dot",
		"",
	}
	for _, text := range texts {
		checkDisguisedGate(t, text)
		checkDisguisedGate(t, strings.ToUpper(text))
	}
	checkDisguisedGate(t, strings.Join(texts, " "))
	if len(disguisedEmails(nil, texts[3], true)) != 2 {
		t.Fatalf("%q: want two addresses, got %v", texts[3], disguisedEmails(nil, texts[3], true))
	}
}

// FuzzDisguisedGate checks the gated windows against every window.
func FuzzDisguisedGate(f *testing.F) {
	f.Add("tamsin at example dot com at home [ at ] x.org (@) y.net")
	f.Add("met at noon about the dotcom; o.q{at}example.io")
	f.Fuzz(func(t *testing.T, text string) {
		checkDisguisedGate(t, text)
	})
}

// FuzzSpelled checks appendSpelled against its reference on any text.
func FuzzSpelled(f *testing.F) {
	f.Add("five five five, one two three four; Tamsin ſix é-double seven")
	f.Add("\xffoh one\xc3 two three four five six seven")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := appendSpelled(nil, text), appendSpelledReference(nil, text); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
	})
}
