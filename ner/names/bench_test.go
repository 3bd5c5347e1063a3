package names

import (
	"context"
	"math/rand"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/internal/evaldata"
	"github.com/veilhq/veil/ner"
)

// benchTexts returns the texts of shared/eval/data/NAME beside the
// repository (or beside a worktree's parent), read at run time and never
// copied anywhere, or n generated texts of invented names and ordinary
// words when the file is not there.
func benchTexts(tb testing.TB, name string, n int) []string {
	if docs := evaldata.Texts(evaldata.Path(name)); len(docs) > 0 {
		return docs
	}
	return generatedTexts(n, 4000, 1)
}

// generatedTexts writes n texts of about size bytes from invented names,
// titles, places, organisation words and ordinary words, in mixed, lower
// and upper case.
func generatedTexts(n, size int, seed int64) []string {
	r := rand.New(rand.NewSource(seed))
	pieces := []string{"Dr.", "Mrs", "dr", "MR", "Orsolya", "Quillanby", "Tamsin", "Everard", "Velmoraz", "Korvalainen",
		"J.", "Q.V.", "van", "der", "O'", "Neill", "-", "Riverside", "Counseling", "Group", "Court", "of", "the",
		"University", "Hospital", "transferred", "to", "lives", "in", "from", "daughter", "patient", "met", "with",
		"aware", "md", "RN", ",", "BSN/RN", "Inc.", "AB", "Home", "Care", "Nursing", "on", "6", "2", "209",
		"works", "for", "employed", "by", "health", "campus", "MD", "Lower", "Brackwater", ",", "MA", "QUILLMOOR3",
		"was", "seen", "today", "and", "son", "Will", "May", "Rose", "pain", "left", "side", "c/o", "GH", "VAMC",
		"Istanbul", "Poland", "Tartu", "District", "Administrative", "Authority", "김철수", "씨", "ông", "Nguyễn",
		"ﬁnn", "İlkavar", "Ołeńka", "\n", ".", ";", "(", ")", "\"", "70'S.", "two", "hundred", "mg", "%", "USD"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for b.Len() < size {
			p := pieces[r.Intn(len(pieces))]
			switch r.Intn(6) {
			case 0:
				p = strings.ToLower(p)
			case 1:
				p = strings.ToUpper(p)
			}
			b.WriteString(p)
			if r.Intn(5) > 0 {
				b.WriteByte(' ')
			}
		}
		out[i] = b.String()
	}
	return out
}

// BenchmarkDetect runs the name rules and maximum recall over each text
// with one shared word stream, as a chain does:
//
//	go test ./ner/names -run '^$' -bench Detect -count 5
func BenchmarkDetect(b *testing.B) {
	for _, c := range []struct{ name, file string }{{"tab", "tab_dev.jsonl"}, {"deid", "deid_dev.jsonl"}} {
		docs := benchTexts(b, c.file, 200)
		total := 0
		for _, d := range docs {
			total += len(d)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(total))
			b.ReportAllocs()
			cpu := complexity.CPUTime()
			defer func() {
				// CPU time, which a loaded machine inflates less than the
				// wall clock that ns/op measures
				b.ReportMetric(float64(total)*float64(b.N)/1e6/(complexity.CPUTime()-cpu).Seconds(), "MB/cpu-s")
			}()
			for i := 0; i < b.N; i++ {
				for _, d := range docs {
					ctx := ner.WithShared(context.Background(), d)
					fs, err := New().Detect(ctx, d)
					if err != nil {
						b.Fatal(err)
					}
					MaxRecallIn(ctx, d, fs, Judgement{KeepMeasurements: true})
				}
			}
		})
	}
}
