package names

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestLawDates(t *testing.T) {
	cases := []struct {
		text, date string
		drop       bool
	}{
		// the date in a law's name
		{"Under the Law of 3 May 1999 the tax was abolished.", "3 May 1999", true},
		{"Under Law no. 4711 of 12 March 2002 the tribunals were merged.", "12 March 2002", true},
		{"the Decree dated 1 July 2001 on fisheries", "1 July 2001", true},
		{"the Act of 14 February 1990 on aliens", "14 February 1990", true},
		{"as amended by the Law of 23 October 2004", "23 October 2004", true},
		// the date a law came into force
		{"Fees were raised on 2 June 1998, when the amended Tariff Act took effect.", "2 June 1998", true},
		{"Appeals went to the new tribunal from 2 June 1998, when the Tribunals Act entered into force.", "2 June 1998", true},
		{"On 1 January 2005, when the new Code of Criminal Procedure entered into force, the case resumed.", "1 January 2005", true},
		{"on 5 May 2000, when the Fourth Amendment to the Charter took effect", "5 May 2000", true},
		// a lower-case "act" or "law" is something done, or not a title;
		// an order, guardianship or plan of a person dates their case
		{"charged for the act of 12 March 2024", "12 March 2024", false},
		{"the acts of 3 April 2024 were reported", "3 April 2024", false},
		{"the regulations dated 14 May 2024 were read to her", "14 May 2024", false},
		{"detained on 12 March 2024, when her community treatment order came into force", "12 March 2024", false},
		{"discharged on 3 April 2024, when the guardianship of Tamsin Everard took effect", "3 April 2024", false},
		{"moved on 3 April 2024, when the client's Care Act plan took effect", "3 April 2024", false},
		{"on 5 May 2000, when the amendment took effect", "5 May 2000", false},
		// a court's decision, judgment or order dates the case
		{"The decision of 3 May 1999 was served on Tamsin Everard.", "3 May 1999", false},
		{"the judgment of 12 March 2002 of the Regional Court", "12 March 2002", false},
		{"By an order of 27 July 2001 the judge", "27 July 2001", false},
		// an event of the case, even next to a law
		{"On 8 May 1996 she was arrested under the Aliens Act.", "8 May 1996", false},
		{"the Law was applied on 3 May 1999", "3 May 1999", false},
		{"on 2 June 1998, when the claimant came home", "2 June 1998", false},
		// a gazette publishes decisions about people as well as laws
		{"the decision printed in the Official Gazette on 19 April 2006", "19 April 2006", false},
	}
	for _, c := range cases {
		i := strings.Index(c.text, c.date)
		date := ner.Finding{Start: i, End: i + len(c.date), Entity: ner.Date, Score: 0.9, Rule: "pattern/date-text"}
		year := ner.Finding{Start: i + len(c.date) - 4, End: i + len(c.date), Entity: ner.Date, Score: 0.45, Rule: "max-recall"}
		other := ner.Finding{Start: 0, End: 3, Entity: ner.Other, Score: 0.45, Rule: "max-recall"}
		prop := date
		prop.Rule = ner.PropagatedPrefix + date.Rule
		got, err := LawDates{}.Refine(context.Background(), c.text, []ner.Finding{other, date, year, prop})
		if err != nil {
			t.Fatal(err)
		}
		want := []ner.Finding{other, date, year, prop}
		if c.drop {
			// a value removed elsewhere and propagated here stays removed
			want = []ner.Finding{other, prop}
		}
		if len(got) != len(want) {
			t.Errorf("%q: %v, want %v", c.text, got, want)
			continue
		}
		for k := range got {
			if got[k] != want[k] {
				t.Errorf("%q: %v, want %v", c.text, got, want)
				break
			}
		}
	}
}

// FuzzLawDates: any text and any date span give a subset of the findings,
// in order, without a panic (the context windows cut the text anywhere).
func FuzzLawDates(f *testing.F) {
	f.Add("Under Law no. 4711 of 12 March 2002, when it came into force", 22, 35)
	f.Add("Gesetz über é of 1 Mai 2001", 17, 27)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		if s < 0 || e > len(text) || s > e {
			return
		}
		in := []ner.Finding{{Start: s, End: e, Entity: ner.Date, Score: 0.9, Rule: "r"}, {Start: s, End: e, Entity: ner.Person, Score: 0.9, Rule: "r"}}
		out, err := LawDates{}.Refine(context.Background(), text, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) < 1 || len(out) > 2 || out[len(out)-1] != in[1] {
			t.Fatalf("%q [%d,%d): %v", text, s, e, out)
		}
	})
}

// lawNameRef is the check mayNameLaw guards: the expression with a
// statute word (any case).
func lawNameRef(before string) bool {
	m := lawNameBefore.FindStringSubmatch(before)
	return m != nil && statuteWords[strings.ToLower(m[1])]
}

// mayNameLaw is never false where the expression takes a statute word,
// over texts built of the pieces a law's name is made of.
func TestMayNameLaw(t *testing.T) {
	pieces := []string{"the", "Law", "LAW", "law", "Act", "acts", "Code", "Decree", "Statute", "decision", "no.", "No", "nr", "number",
		"4711", "12/3-B", "of", "OF", "Of", "dated", "DATED", " ", "  ", "\t", "\n", ",", "(", "é", "Lawful", "Coded"}
	rng := rand.New(rand.NewPCG(1, 2))
	hits := 0
	for i := 0; i < 200000; i++ {
		var b strings.Builder
		for n := 1 + rng.IntN(8); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		s := b.String()
		ref := lawNameRef(s)
		if ref {
			hits++
		}
		if ref && !mayNameLaw(s) {
			t.Fatalf("%q: the expression takes a statute word, mayNameLaw says no", s)
		}
	}
	if hits < 1000 {
		t.Fatalf("only %d texts the expression takes: the test tests little", hits)
	}
}

func FuzzMayNameLaw(f *testing.F) {
	f.Add("under the Law no. 4711 of ")
	f.Add("the Decree dated\n")
	f.Add("LAW OF ")
	f.Fuzz(func(t *testing.T, before string) {
		if lawNameRef(before) && !mayNameLaw(before) {
			t.Fatalf("%q: the expression takes a statute word, mayNameLaw says no", before)
		}
	})
}
