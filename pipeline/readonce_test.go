package pipeline_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// countingSource is a local folder that counts the opens of each key and
// the listings, and can run a hook before each listing.
type countingSource struct {
	*storage.Local
	mu     sync.Mutex
	opens  map[string]int
	walks  int
	onWalk func(n int) // before the n-th listing (1-based)
}

func (s *countingSource) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	s.mu.Lock()
	s.opens[key]++
	s.mu.Unlock()
	return s.Local.Open(ctx, key)
}

func (s *countingSource) Walk(ctx context.Context, fn func(storage.Object) error) error {
	s.mu.Lock()
	s.walks++
	n := s.walks
	s.mu.Unlock()
	if s.onWalk != nil {
		s.onWalk(n)
	}
	return s.Local.Walk(ctx, fn)
}

// countingSink counts the Puts of each key.
type countingSink struct {
	*storage.Local
	mu   sync.Mutex
	puts map[string]int
}

func (s *countingSink) Put(ctx context.Context, key string, r io.Reader, size int64, ctype string) error {
	s.mu.Lock()
	s.puts[key]++
	s.mu.Unlock()
	return s.Local.Put(ctx, key, r, size, ctype)
}

func runCounting(t *testing.T, src string, caseBy int, onWalk func(int)) (*countingSource, *countingSink, string) {
	t.Helper()
	out := t.TempDir()
	p, err := profiles.Load("court")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	sl, _ := storage.NewLocal(src)
	ol, _ := storage.NewLocal(out)
	source := &countingSource{Local: sl, opens: map[string]int{}, onWalk: onWalk}
	sink := &countingSink{Local: ol, puts: map[string]int{}}
	rb, err := report.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	if err := pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 2, CaseBy: caseBy}); err != nil {
		t.Fatal(err)
	}
	return source, sink, out
}

var readOnceFiles = map[string]string{
	"a/letter.txt": "Dear counsel,\n\nOrsolya Quillanby called on 3 March. Her SSN is 536-21-4478.\n",
	"a/notes.md":   "# Notes\n\nMs. Quillanby met Tamsin Everard, SSN 536-21-4478.\n",
	"b/table.csv":  "name,ssn\nTamsin Everard,536-21-4478\n",
}

func writeReadOnceFiles(t *testing.T) string {
	t.Helper()
	src := t.TempDir()
	for k, body := range readOnceFiles {
		p := filepath.Join(src, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// A run reads each text file once, though it goes through two passes
// (the first gathers the case): the second takes the bytes the first
// read. Each output is written once.
func TestRunReadsTextFilesOnce(t *testing.T) {
	for _, caseBy := range []int{0, 1} {
		source, sink, out := runCounting(t, writeReadOnceFiles(t), caseBy, nil)
		if want := 2 - caseBy; source.walks != want { // by case, the run's listing feeds the first pass
			t.Errorf("case by %d: %d listings, want %d", caseBy, source.walks, want)
		}
		for k := range readOnceFiles {
			if n := source.opens[k]; n != 1 {
				t.Errorf("case by %d: %s opened %d times, want 1", caseBy, k, n)
			}
			if n := sink.puts[k]; n != 1 {
				t.Errorf("case by %d: %s written %d times, want 1", caseBy, k, n)
			}
			b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(k)))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "536-21") {
				t.Errorf("case by %d: %s not redacted:\n%s", caseBy, k, b)
			}
		}
	}
}

// A file that changes between the first pass and the second is read
// again, and its output is made from what it holds then.
func TestRunReadsAgainAFileChangedBetweenPasses(t *testing.T) {
	src := writeReadOnceFiles(t)
	changed := "Dear counsel,\n\nThe hearing moved. Tamsin Everard's SSN is 611-38-2045.\n"
	p := filepath.Join(src, "a", "letter.txt")
	source, _, out := runCounting(t, src, 0, func(n int) {
		if n != 2 {
			return
		}
		if err := os.WriteFile(p, []byte(changed), 0o600); err != nil {
			t.Error(err)
		}
		// a new modification time even on a coarse clock
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(p, later, later); err != nil {
			t.Error(err)
		}
	})
	if n := source.opens["a/letter.txt"]; n != 2 {
		t.Errorf("the changed file was opened %d times, want 2", n)
	}
	if n := source.opens["a/notes.md"]; n != 1 {
		t.Errorf("an unchanged file was opened %d times, want 1", n)
	}
	b, err := os.ReadFile(filepath.Join(out, "a", "letter.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "The hearing moved.") || strings.Contains(string(b), "611-38") {
		t.Errorf("output is not the redacted new content:\n%s", b)
	}
}
