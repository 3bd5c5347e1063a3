package ner

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseTermList(t *testing.T) {
	in := "# Privileged terms of the Harlow matter\n" +
		"#  LABEL : REDACTED – PRIVILEGED \n" +
		"\n" +
		"  Project Falcon  \r\n" +
		"#basis:Attorney-client privilege\n" +
		"# not a directive\n" +
		"#label\n" +
		"Odile Marsh-Oyelaran\n" +
		"   # indented comment\n" +
		"C# compiler notes\n" +
		"# Privilege: Work product\n" +
		"# category:Privileged\n" +
		"# DESCRIPTION: notes prepared for trial\n"
	l, err := ParseTermList(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := TermList{
		Terms: []string{"Project Falcon", "Odile Marsh-Oyelaran", "C# compiler notes"},
		Label: "REDACTED – PRIVILEGED", Basis: "Attorney-client privilege",
		Privilege: "Work product", Category: "Privileged", Description: "notes prepared for trial",
	}
	if fmt.Sprintf("%q", l) != fmt.Sprintf("%q", want) {
		t.Errorf("got  %q\nwant %q", l, want)
	}
	// The same lines given in code: the same terms, no directives.
	if got := CleanTerms(strings.Split(in, "\n")); !slices.Equal(got, want.Terms) {
		t.Errorf("CleanTerms = %q, want %q", got, want.Terms)
	}
}

func TestParseTermListTooLong(t *testing.T) {
	_, err := ParseTermList(strings.NewReader(strings.Repeat("x", 70_000)))
	if err == nil {
		t.Fatal("a line over the scanner's limit must be an error, not a truncated term")
	}
	if strings.Contains(err.Error(), "xxx") {
		t.Fatalf("error carries list text: %v", err)
	}
}

// A file and the same lines given in code always mean the same terms, and
// no term is blank, padded or a comment.
func FuzzParseTermList(f *testing.F) {
	f.Add("# label: X\nAnna Kowalczyk\n\n  #c\n\tB  \n")
	f.Add("a\r\nb\rc\n#basis:\n")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		l, err := ParseTermList(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		for _, term := range l.Terms {
			if term == "" || term != strings.TrimSpace(term) || strings.HasPrefix(term, "#") {
				t.Fatalf("bad term %q", term)
			}
		}
		lines := strings.Split(s, "\n")
		if got := CleanTerms(lines); !slices.Equal(got, l.Terms) {
			t.Fatalf("file %q, code %q", l.Terms, got)
		}
	})
}

// A deny-listed number written with separators is found glued too (the
// red team of session 33: court wrote "(617) 555-0143" deny-listed as the
// number 6175550143 of a spreadsheet cell), and in other separators.
func TestTermsDigitsGlued(t *testing.T) {
	text := "cell 6175550143, dotted 617.555.0143, other 6175550144, MRN 48213907"
	d := NewTerms([]string{"(617) 555-0143", "4821 3907", "Falcon 7"})
	fs, err := d.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, text[f.Start:f.End])
	}
	if want := []string{"6175550143", "617.555.0143", "48213907"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTermsAs(t *testing.T) {
	text := "Ask Jamie Doe about the FALCON\nproject; jamie doe agreed."
	d := NewTermsAs([]string{"# minors", "Jamie Doe", "", "Falcon project"}, Person, "minors-list")
	fs, err := d.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s %s %s %.1f", text[f.Start:f.End], f.Entity, f.Rule, f.Score))
	}
	want := []string{"Jamie Doe PERSON minors-list 1.0", "FALCON\nproject PERSON minors-list 1.0", "jamie doe PERSON minors-list 1.0"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if d.Len() != 2 || d.Name() != "minors-list" {
		t.Errorf("Len %d Name %q", d.Len(), d.Name())
	}
	if dl := NewTerms([]string{"Falcon"}); dl.Name() != DenyListRule {
		t.Errorf("deny list rule %q", dl.Name())
	}
}

// A deny-listed number matches its digits however the text groups them,
// in both directions: the term glued and the text grouped ("(617)
// 555-0143" for 6175550143 was written unchanged under court), and a term
// grouped one way against a text grouped another. Never inside a longer
// run of digits, nor across a separator that is not one of a number's.
// Verify searches the same phrases (TermPhrases), and its word-key filter
// (MayMatch) lets the grouped text through.
func TestTermsDigitsRegrouped(t *testing.T) {
	text := "court (617) 555-0143, glued 617-5550143, dots 617.555.01.43, " +
		"line 617 555\n0143, longer 16175550143 and 617 555 01430, other (617) 555-0144, " +
		"card 4821-3907 and 48 21 39 07"
	for _, terms := range [][]string{{"6175550143", "48213907"}, {"617 555 0143", "4821 3907"}, {"617-5550143", "48-21-3907"}} {
		want := []string{"(617) 555-0143", "617-5550143", "617.555.01.43", "617 555\n0143", "4821-3907", "48 21 39 07"}
		fs, err := NewTerms(terms).Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, text[f.Start:f.End])
		}
		if !slices.Equal(got, want) {
			t.Errorf("terms %q: got %q, want %q", terms, got, want)
		}
		m := NewPhraseMatcher(TermPhrases(terms))
		got = got[:0]
		for _, mt := range m.FindAll(text) {
			got = append(got, text[mt.Start:mt.End])
		}
		if !slices.Equal(got, want) {
			t.Errorf("verify's phrases of %q: got %q, want %q", terms, got, want)
		}
		for _, s := range []string{"(617) 555-0143", "617-5550143", "48 21 39 07"} {
			if !m.MayMatch(KeysOf(s)) {
				t.Errorf("terms %q: MayMatch false for %q", terms, s)
			}
		}
		if m.MayMatch(KeysOf("(618) 555-0143 99")) {
			t.Errorf("terms %q: MayMatch true without a first group", terms)
		}
	}
}
