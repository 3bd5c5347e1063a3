package pipeline

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
)

// firstDateReference is firstDate as it was before it resolved only the
// clusters that hold a date: Resolve over every finding at or above
// threshold, then the first DATE that reads.
func firstDateReference(text string, fs []ner.Finding, threshold float64) string {
	var sure []ner.Finding
	for _, f := range fs {
		if f.Score >= threshold {
			sure = append(sure, f)
		}
	}
	for _, f := range ner.Resolve(sure) {
		if f.Entity != ner.Date {
			continue
		}
		d := profiles.ParseDate(text[f.Start:f.End])
		if d.Year == 0 || d.Month == 0 {
			continue
		}
		if d.Day == 0 {
			return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
		}
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// dateTestText holds dates that read (with and without a day), dates that
// do not, and names around them, for findings over any of its spans.
const dateTestText = "Seen by Orsolya Quillanby on 3 March 2024; letter of 2023-05 from Tamsin Everard, " +
	"filed 14/02/2021 (MRN 48213907), call (617) 555-0143 on Tuesday, spring, 12 June 2019, year 1999."

// randomFindings returns n findings over text, of random spans, entities
// (a date often), scores and rules, overlapping each other as they fall.
func randomFindings(rng *rand.Rand, text string, n int) []ner.Finding {
	ents := []ner.Entity{ner.Date, ner.Date, ner.Person, ner.ID, ner.Phone, ner.Location}
	fs := make([]ner.Finding, n)
	for k := range fs {
		s := rng.IntN(len(text))
		e := min(len(text), s+1+rng.IntN(20))
		fs[k] = ner.Finding{Start: s, End: e, Entity: ents[rng.IntN(len(ents))], Score: float64(rng.IntN(11)) / 10, Rule: fmt.Sprintf("r%d", rng.IntN(3))}
	}
	return fs
}

// TestFirstDateMatchesReference: firstDate gives what Resolve over all the
// findings gave, on random findings over a text of dates and names, with
// exact date spans among them so that dates read.
func TestFirstDateMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 14))
	exact := [][2]int{}
	for _, d := range []string{"3 March 2024", "2023-05", "14/02/2021", "12 June 2019", "Tuesday", "1999"} {
		for i := 0; i+len(d) <= len(dateTestText); i++ {
			if dateTestText[i:i+len(d)] == d {
				exact = append(exact, [2]int{i, i + len(d)})
			}
		}
	}
	read := 0
	for range 20000 {
		fs := randomFindings(rng, dateTestText, rng.IntN(12))
		for k := rng.IntN(3); k > 0; k-- {
			x := exact[rng.IntN(len(exact))]
			fs = append(fs, ner.Finding{Start: x[0], End: x[1], Entity: ner.Date, Score: 0.9, Rule: "pattern/date"})
		}
		rng.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
		th := float64(rng.IntN(6)) / 10
		want := firstDateReference(dateTestText, fs, th)
		if got := firstDate(dateTestText, fs, th); got != want {
			t.Fatalf("findings %v, threshold %v: got %q, want %q", fs, th, got, want)
		}
		if want != "" {
			read++
		}
	}
	if read < 5000 {
		t.Fatalf("test input: a date read in only %d cases", read)
	}
}

func FuzzFirstDate(f *testing.F) {
	f.Add(uint64(1), uint8(5), uint8(3))
	f.Add(uint64(7), uint8(20), uint8(0))
	f.Fuzz(func(t *testing.T, seed uint64, n, th uint8) {
		rng := rand.New(rand.NewPCG(seed, 37))
		fs := randomFindings(rng, dateTestText, int(n%40))
		threshold := float64(th%11) / 10
		if got, want := firstDate(dateTestText, fs, threshold), firstDateReference(dateTestText, fs, threshold); got != want {
			t.Fatalf("findings %v: got %q, want %q", fs, got, want)
		}
	})
}
