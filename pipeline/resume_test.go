package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/state"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// killLedger passes the first n records to the real ledger and then stops
// the run, as a kill would: later records never reach the journal.
type killLedger struct {
	*state.Ledger
	n      int
	cancel context.CancelFunc
}

func (k *killLedger) Finish(ctx context.Context, o storage.Object, rec report.File, m pipeline.PlanMark) error {
	if k.n == 0 {
		k.cancel()
		return nil
	}
	k.n--
	return k.Ledger.Finish(ctx, o, rec, m)
}

// A run stopped after every possible number of finished files, then
// resumed, writes exactly what an uninterrupted run writes: the same output
// names (names redacted alike are numbered the same way), the same aliases,
// the same Bates numbers, the same report.
func TestResumeAtEveryPoint(t *testing.T) {
	state.FlushLines = 1 // every line is durable at once, as after a flush
	defer func() { state.FlushLines = 1000 }()
	src := t.TempDir()
	files := map[string][]byte{
		"a/Maria_Sandoval.txt":    []byte("Client Maria Sandoval, phone (503) 555-0147.\n"),
		"a/maria_sandoval.txt":    []byte("Seen with John Fielding.\n"),
		"b/letter.pdf":            onePagePDF("Letter to Ms. Elena Sandoval.", "Copy to John Fielding."),
		"b/note1.txt":             []byte("John Fielding called Maria Sandoval.\n"),
		"b/note2.txt":             []byte("Elena Sandoval, her sister, came along.\n"),
		"c/Elena_Sandoval.txt":    []byte("Elena Sandoval again.\n"),
		"c/elena_sandoval.txt":    []byte("Laura Chen met Elena Sandoval.\n"),
		"c/ELENA_SANDOVAL.txt":    []byte("Peter Novak.\n"),
		"c/reply.pdf":             onePagePDF("Reply from Laura Chen."),
		"d/empty.txt":             nil,
		"e/Person-A_Person-B.txt": []byte("Plain text naming Susan Miller.\n"),
	}
	for k, v := range files {
		p := filepath.Join(src, filepath.FromSlash(k))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, v, 0o644)
	}
	// The whole run one case, and every folder a case of its own
	// (--case-by 1): the table of the case a stop falls in comes back
	// from the state.
	for _, caseBy := range []int{0, 1} {
		ref := t.TempDir()
		refRep := runAttemptCase(t, src, ref, "", 0, caseBy)
		want := fmt.Sprint(treeOf(t, ref))
		if tr := treeOf(t, ref); tr["b/letter.pdf"] == "" || tr["c/reply.pdf"] == "" || !bytes.Contains(refRep, []byte(`"bates": "T0002"`)) && !bytes.Contains(refRep, []byte(`"bates":"T0002"`)) {
			t.Fatalf("the reference run did not number both PDFs:\n%s", refRep)
		}
		for kill := 1; kill < len(files); kill++ {
			t.Run(fmt.Sprintf("case-by-%d/%d", caseBy, kill), func(t *testing.T) {
				out, st := t.TempDir(), t.TempDir()
				runAttemptCase(t, src, out, st, kill, caseBy)
				got := runAttemptCase(t, src, out, st, 0, caseBy)
				if fmt.Sprint(treeOf(t, out)) != want {
					t.Fatalf("outputs differ after a stop at %d", kill)
				}
				if !bytes.Equal(got, refRep) {
					t.Fatalf("report differs after a stop at %d:\n%s\n%s", kill, got, refRep)
				}
			})
		}
	}
}

// runAttempt runs src into out; with a state folder, through a ledger
// (resuming what is there, as veil run --resume does), stopped after kill
// records when kill > 0. It returns report.json without times.
func runAttempt(t *testing.T, src, out, stateDir string, kill int) []byte {
	t.Helper()
	return runAttemptCase(t, src, out, stateDir, kill, 0)
}

// runAttemptCase is runAttempt with RunConfig.CaseBy.
func runAttemptCase(t *testing.T, src, out, stateDir string, kill, caseBy int) []byte {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Bates: &pipeline.Bates{Prefix: "T", Start: 1, Digits: 4}})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := report.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	srcSt, _ := storage.NewLocal(src)
	outSt, _ := storage.NewLocal(out)
	c := pipeline.RunConfig{Engine: e, Source: srcSt, Sink: outSt, Report: rb, Workers: 3, CaseBy: caseBy}
	if stateDir != "" {
		st, _ := storage.NewLocal(stateDir)
		l, err := state.Open(ctx, st, state.Manifest{Source: src, Dest: out, Profile: "supervision"}, kill == 0)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		// What cmd/veil's resumeEngine does.
		snap, of := l.Case(), l.CaseOf()
		c.Settled = func(key string) (*profiles.Case, error) {
			if snap == nil || key != of {
				return nil, nil
			}
			return profiles.LoadSnapshot(snap, nil)
		}
		for _, k := range l.ReservedKeys() {
			e.ReserveKey(k)
		}
		e.RestoreMark(l.Frontier())
		l.SnapshotCaseOf(func() (string, []byte, error) {
			key, cs := e.CurrentCase()
			b, err := cs.Snapshot(nil)
			return key, b, err
		})
		c.Ledger = l
		if kill > 0 {
			c.Ledger = &killLedger{Ledger: l, n: kill, cancel: cancel}
		}
	}
	err = pipeline.Run(ctx, c)
	if kill > 0 {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stopped run: %v", err)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rb.WriteJSON(&b, report.Meta{Started: time.Unix(0, 0), Finished: time.Unix(0, 0)})
	return b.Bytes()
}

func treeOf(t *testing.T, dir string) map[string]string {
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			m[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return m
}
