package pipeline

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/internal/evaldata"
	"github.com/veilhq/veil/profiles"
)

// benchCorpus returns court-judgment texts: the TAB judgments of
// shared/eval when they are beside the repository (or VEIL_BENCH_CORPUS
// names a JSONL file of {"text": ...} lines), else a generated corpus of
// judgment-like text with names, dates, places and numbers.
func benchCorpus(b *testing.B) ([]string, string) {
	path := os.Getenv("VEIL_BENCH_CORPUS")
	if path == "" {
		path = evaldata.Path("tab_dev.jsonl")
	}
	if docs := evaldata.Texts(path); len(docs) > 0 {
		return docs, filepath.Base(path)
	}
	return generatedJudgments(60, 40000), "generated"
}

// generatedJudgments writes n judgment-like documents of about size bytes.
func generatedJudgments(n, size int) []string {
	r := rand.New(rand.NewSource(1))
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	first := []string{"Anna", "Jan", "Emre", "Ayşe", "Piotr", "Lukas", "Maria", "Nguyễn Văn", "Kim", "Chiamaka", "José", "Elżbieta"}
	last := []string{"Kowalski", "Yılmaz", "Nowak", "Lindqvist", "García", "O'Neill", "van der Berg", "Adeyemi", "Wiśniewska", "Demir"}
	towns := []string{"Tartu", "Tromsø", "Zagreb", "Reykjavík", "Vilnius", "Ljubljana", "Utrecht", "Hanoi", "Busan"}
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	date := func() string { return fmt.Sprintf("%d %s %d", 1+r.Intn(28), pick(months...), 1980+r.Intn(40)) }
	paras := []func() string{
		func() string {
			return fmt.Sprintf("The case originated in an application (no. %d/%02d) against the Republic of Poland lodged with the Court under Article 34 of the Convention for the Protection of Human Rights and Fundamental Freedoms (“the Convention”) by a Polish national, Mr %s %s (“the applicant”), on %s.", 1000+r.Intn(90000), r.Intn(99), pick(first...), pick(last...), date())
		},
		func() string {
			return fmt.Sprintf("The applicant was born in %d and lives in %s. On %s the %s District Court convicted him of fraud and sentenced him to %d years’ imprisonment. He appealed, relying on Article 6 § 1 of the Convention.", 1940+r.Intn(50), pick(towns...), date(), pick(towns...), 1+r.Intn(9))
		},
		func() string {
			return fmt.Sprintf("On %s the Regional Court awarded the applicant PLN %d,%03d in compensation. The Government, represented by their Agent, Mr J. %s of the Ministry of Foreign Affairs, contested the claim, and the Court of Cassation dismissed the appeal on %s.", date(), 1+r.Intn(90), r.Intn(1000), pick(last...), date())
		},
		func() string {
			return "The Court reiterates that the reasonableness of the length of proceedings must be assessed in the light of the circumstances of the case and with reference to the following criteria: the complexity of the case, the conduct of the applicant and the relevant authorities and what was at stake for the applicant in the dispute. It considers that the Government have not put forward any fact or argument capable of persuading it to reach a different conclusion in the present case."
		},
		func() string {
			return fmt.Sprintf("In a letter of %s Dr %s, a psychiatrist at the %s Psychiatric Hospital, stated that the applicant’s wife, Mrs %s %s, had been treated there since %s.", date(), pick(last...), pick(towns...), pick(first...), pick(last...), pick(months...)+" "+fmt.Sprint(1990+r.Intn(20)))
		},
	}
	var docs []string
	for i := 0; i < n; i++ {
		var sb strings.Builder
		sb.WriteString("PROCEDURE\n\n")
		for sb.Len() < size {
			sb.WriteString(paras[r.Intn(len(paras))]())
			sb.WriteString("\n\n")
		}
		docs = append(docs, sb.String())
	}
	return docs
}

// benchProfiles are the profiles the benchmarks run: the research profile
// with and without the statistical model, and the two that run it where
// rules leave a word undecided.
var benchProfiles = []struct {
	profile string
	noNER   bool
}{{"research", false}, {"research", true}, {"supervision", false}, {"court", false}}

// runBench runs fn on every document of docs, spread over GOMAXPROCS
// workers, b.N times, and reports MB/s of input: wall clock, per
// CPU-second, and per CPU-second times the cores.
func runBench(b *testing.B, docs []string, fn func(i int, doc []byte)) {
	total := 0
	for _, d := range docs {
		total += len(d)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	start, cpu0 := time.Now(), complexity.CPUTime()
	for i := 0; i < b.N; i++ {
		next := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < max(1, runtimeProcs()); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range next {
					fn(j, []byte(docs[j]))
				}
			}()
		}
		for j := range docs {
			next <- j
		}
		close(next)
		wg.Wait()
	}
	el := time.Since(start).Seconds()
	cpu := (complexity.CPUTime() - cpu0).Seconds()
	mb := float64(total) * float64(b.N) / 1e6
	b.ReportMetric(mb/el, "MB/s-wall")
	// On a shared machine wall time says little: MB per CPU-second
	// times the cores is what the machine does when it is ours.
	b.ReportMetric(mb/cpu, "MB/cpu-s")
	b.ReportMetric(mb/cpu*float64(runtimeProcs()), "MB/s-all-cores")
}

func benchEngine(b *testing.B, profile string, noNER bool, warm string) *Engine {
	p, err := profiles.Load(profile)
	if err != nil {
		b.Fatal(err)
	}
	keys, err := profiles.NewKeys([]byte("benchmark key, not a secret"))
	if err != nil {
		b.Fatal(err)
	}
	e, err := NewEngine(Options{Profile: p, NoNER: noNER, Secrets: keys})
	if err != nil {
		b.Fatal(err)
	}
	e.Analyze(context.Background(), "warm.txt", []byte(warm[:min(len(warm), 2000)])) // load models
	return e
}

// BenchmarkRedact measures a whole document's way through the engine
// (Engine.Redact: detection, plan, redaction, and the verification that
// re-reads the output), without storage:
//
//	go test ./pipeline -run '^$' -bench Redact -benchtime 3x
func BenchmarkRedact(b *testing.B) {
	docs, name := benchCorpus(b)
	for _, c := range benchProfiles {
		b.Run(fmt.Sprintf("%s/%s/ner=%v", name, c.profile, !c.noNER), func(b *testing.B) {
			e := benchEngine(b, c.profile, c.noNER, docs[0])
			runBench(b, docs, func(j int, doc []byte) {
				if out, rec := e.Redact(context.Background(), fmt.Sprintf("d%d.txt", j), doc); out == nil {
					b.Errorf("d%d.txt: %s", j, rec.Status)
				}
			})
		})
	}
}

// BenchmarkDetect measures full detection (every detector, resolution and
// propagation: Engine.Analyze) with the research profile on court-judgment
// text, documents spread over GOMAXPROCS workers as `veil run` does. It
// reports MB/s of input text:
//
//	go test ./pipeline -run '^$' -bench Detect -benchtime 3x
func BenchmarkDetect(b *testing.B) {
	docs, name := benchCorpus(b)
	for _, c := range benchProfiles {
		b.Run(fmt.Sprintf("%s/%s/ner=%v", name, c.profile, !c.noNER), func(b *testing.B) {
			e := benchEngine(b, c.profile, c.noNER, docs[0])
			runBench(b, docs, func(j int, doc []byte) {
				if d := e.Analyze(context.Background(), fmt.Sprintf("d%d.txt", j), doc); d.Failed() != nil {
					b.Error(d.Failed())
				}
			})
		})
	}
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
