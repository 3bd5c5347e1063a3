package names

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestOrdinalNouns(t *testing.T) {
	cases := []struct {
		text, ord string
		drop      bool
	}{
		{"On 3 May 1999 the 2nd Chamber heard the appeal.", "2nd", true},
		{"landscape painting of the 19th century", "19th", true},
		{"the judges of the 4th section agreed", "4th", true},
		{"she lives on the 3rd floor", "3rd", true},
		{"the 2nd-degree murder charge", "2nd", true},
		// a day of the month stands alone
		{"seen on the 3rd by Dr Everard", "3rd", false},
		{"due by the 21st.", "21st", false},
		{"on the 4th she was discharged", "4th", false},
		{"on the 5th Chamberlain called", "5th", false},
		{"Monday the 5th at noon", "5th", false},
		{"between the 2nd and the 4th", "4th", false},
		{"Follow-up: the 12th", "12th", false},
		{"UNTIL THE 3RD.", "3RD", false},
		// without a word of time before "the", the ordinal counts things
		{"TWO LINES PLACED, TROUBLE WITH THE 1ST. THE 2ND THEN CLOTTED.", "1ST", true},
		{"TWO LINES PLACED, TROUBLE WITH THE 1ST. THE 2ND THEN CLOTTED.", "2ND", true},
		{"she finished in the 2nd half", "2nd", true},
		{"the 3rd", "3rd", false},
		// an ordinal after "the" stays a date unless a sign shows it counts
		{"She was discharged the 9th and readmitted the 11th.", "9th", false},
		{"She was discharged the 9th and readmitted the 11th.", "11th", false},
		{"Follow up planned for the 21st.", "21st", false},
		{"Surgery is the 14th.", "14th", false},
		{"he died at home the 2nd.", "2nd", false},
		{"HE WAS SEEN THE 3RD AND WILL RETURN THE 10TH.", "3RD", false},
		{"HE WAS SEEN THE 3RD AND WILL RETURN THE 10TH.", "10TH", false},
		{"Court adjourned until the 19th; hearing resumed the 20th", "20th", false},
		{"DOB the 3rd, 2015", "3rd", false},
		{"it failed the 2nd time", "2nd", true},
		{"held the 1st dose", "1st", true},
		{"started the 3rd line of chemotherapy", "3rd", true},
		{"on the 2nd day of treatment", "2nd", true},
		{"Tamsin Everard was the 1st one to call", "1st", true},
		// an ordinal not after "the" is not this rule's to judge
		{"seen 3rd", "3rd", false},
	}
	ordinal := regexp.MustCompile(`(?i)\b\d+(st|nd|rd|th)\b`)
	for _, c := range cases {
		i := strings.Index(c.text, c.ord)
		f := ner.Finding{Start: i, End: i + len(c.ord), Entity: ner.Date, Score: 0.6, Rule: ordinalRule}
		other := ner.Finding{Start: i, End: i + len(c.ord), Entity: ner.Date, Score: 0.6, Rule: "pattern/date-text"}
		in := []ner.Finding{other}
		// every ordinal of the text is found, as the pattern rule finds them
		for _, m := range ordinal.FindAllStringIndex(c.text, -1) {
			in = append(in, ner.Finding{Start: m[0], End: m[1], Entity: ner.Date, Score: 0.6, Rule: ordinalRule})
		}
		got, err := OrdinalNouns{}.Refine(context.Background(), c.text, in)
		if err != nil {
			t.Fatal(err)
		}
		kept := false
		for _, g := range got {
			kept = kept || g == f
		}
		if got[0] != other || kept == c.drop {
			t.Errorf("%q: %v, want %s dropped: %v", c.text, got, c.ord, c.drop)
		}
	}
}

// FuzzOrdinalNouns: any text and span, no panic, only the ordinal rule's
// finding may go.
func FuzzOrdinalNouns(f *testing.F) {
	f.Add("the 2nd Division", 4, 7)
	f.Add("the 5th é", 4, 7)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		if s < 0 || e > len(text) || s > e {
			return
		}
		keep := ner.Finding{Start: s, End: e, Entity: ner.Date, Score: 0.6, Rule: "r"}
		in := []ner.Finding{keep, {Start: s, End: e, Entity: ner.Date, Score: 0.6, Rule: ordinalRule}}
		out, err := OrdinalNouns{}.Refine(context.Background(), text, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) < 1 || out[0] != keep {
			t.Fatalf("%q: %v", text, out)
		}
	})
}
