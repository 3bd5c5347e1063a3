package state_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/state"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

func local(t *testing.T, dir string) *storage.Local {
	t.Helper()
	l, err := storage.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

var run1 = state.Manifest{Source: "/src", Dest: "/dst", Profile: "court"}

func TestResumeSkipsUnchangedOnly(t *testing.T) {
	ctx := context.Background()
	st := local(t, t.TempDir())
	l, err := state.Open(ctx, st, run1, false)
	if err != nil {
		t.Fatal(err)
	}
	objs := []storage.Object{{Key: "a.txt", ETag: "e1", Size: 1}, {Key: "b.txt", ETag: "e2", Size: 2}, {Key: "c.txt", ETag: "e3", Size: 3}, {Key: "d.txt", ETag: "e4", Size: 4}}
	for _, o := range objs[:3] {
		if err := l.Finish(o, report.File{Key: "out-" + o.Key, Status: report.StatusRedacted, KeyRedacted: o.Key == "b.txt"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l2, err := state.Open(ctx, st, run1, true)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if l2.Manifest().Attempt != 2 || l2.Earlier() != 3 || fmt.Sprint(l2.ReservedKeys()) != "[out-b.txt]" {
		t.Fatalf("attempt %d, earlier %d, reserved %v", l2.Manifest().Attempt, l2.Earlier(), l2.ReservedKeys())
	}
	// a.txt vanished from the source; b.txt changed; c.txt is as it was;
	// d.txt was never finished.
	b2 := storage.Object{Key: "b.txt", ETag: "changed", Size: 2}
	for _, c := range []struct {
		o    storage.Object
		done bool
	}{{b2, false}, {objs[2], true}, {objs[3], false}} {
		rec, ok, err := l2.Done(c.o)
		if err != nil || ok != c.done || (ok && rec.Key != "out-"+c.o.Key) {
			t.Errorf("%s: done %v %+v %v", c.o.Key, ok, rec, err)
		}
	}
	if !l2.Vanished() {
		t.Error("a.txt vanished unnoticed")
	}
}

func TestAttemptsStack(t *testing.T) {
	// A key redone by attempt 2 (it changed) wins over attempt 1's line.
	ctx := context.Background()
	st := local(t, t.TempDir())
	o1 := storage.Object{Key: "x.txt", ETag: "v1", Size: 5}
	o2 := storage.Object{Key: "x.txt", ETag: "v2", Size: 5}
	l, _ := state.Open(ctx, st, run1, false)
	l.Finish(o1, report.File{Key: "x.txt", Detail: "first"})
	l.Close()
	l, _ = state.Open(ctx, st, run1, true)
	if _, ok, _ := l.Done(o2); ok {
		t.Fatal("changed object skipped")
	}
	l.Finish(o2, report.File{Key: "x.txt", Detail: "second"})
	l.Close()
	l, _ = state.Open(ctx, st, run1, true)
	defer l.Close()
	rec, ok, err := l.Done(o2)
	if !ok || err != nil || rec.Detail != "second" || l.Manifest().Attempt != 3 {
		t.Fatalf("%v %+v %v attempt %d", ok, rec, err, l.Manifest().Attempt)
	}
}

func TestOtherRunRefused(t *testing.T) {
	ctx := context.Background()
	st := local(t, t.TempDir())
	l, _ := state.Open(ctx, st, run1, false)
	l.Close()
	other := run1
	other.Shard = "1/4"
	if _, err := state.Open(ctx, st, other, true); err == nil || !strings.Contains(err.Error(), "another run") {
		t.Fatalf("err %v", err)
	}
	// Without --resume the state is cleared and the new run takes it.
	l, err := state.Open(ctx, st, other, false)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}

func TestFreshRunClearsJournal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := local(t, dir)
	l, _ := state.Open(ctx, st, run1, false)
	l.Finish(storage.Object{Key: "a.txt", ETag: "e", Size: 1}, report.File{Key: "a.txt"})
	l.Close()
	l, _ = state.Open(ctx, st, run1, false)
	defer l.Close()
	if l.Earlier() != 0 || l.Manifest().Attempt != 1 {
		t.Fatalf("earlier %d attempt %d", l.Earlier(), l.Manifest().Attempt)
	}
	if _, ok, _ := l.Done(storage.Object{Key: "a.txt", ETag: "e", Size: 1}); ok {
		t.Fatal("a fresh run skipped an object")
	}
	if err := l.Remove(ctx); err != nil {
		t.Fatal(err)
	}
	if ents, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(ents) != 0 {
		t.Fatalf("left after Remove: %v", ents)
	}
}

func TestAliasReplay(t *testing.T) {
	ctx := context.Background()
	st := local(t, t.TempDir())
	l, _ := state.Open(ctx, st, run1, false)
	a := l.Aliases(profiles.NewAliases())
	a.Alias("Person", "maria sandoval")
	a.Alias("Person", "john fielding")
	a.Alias("Person", "maria sandoval")
	l.Close()
	l, _ = state.Open(ctx, st, run1, true)
	defer l.Close()
	a = l.Aliases(profiles.NewAliases())
	got := a.Alias("Person", "elena sandoval") + "|" + a.Alias("Person", "maria sandoval") + "|" + a.Alias("Person", "john fielding")
	if got != "Person C|Person A|Person B" {
		t.Fatalf("after replay: %s", got)
	}
}

// killLedger passes the first n records to the real ledger and then
// stops the run, as a kill would: later records never reach the journal.
type killLedger struct {
	*state.Ledger
	n      int
	cancel context.CancelFunc
}

func (k *killLedger) Finish(o storage.Object, rec report.File) error {
	if k.n == 0 {
		k.cancel()
		return nil
	}
	k.n--
	return k.Ledger.Finish(o, rec)
}

// A run stopped after every possible number of finished files, then
// resumed, writes exactly what an uninterrupted run writes: the same
// output names (names redacted alike are numbered the same way), the
// same aliases, the same report.
func TestResumeAtEveryPoint(t *testing.T) {
	state.FlushLines = 1 // every line is durable at once, as after a flush
	defer func() { state.FlushLines = 1000 }()
	src := t.TempDir()
	files := map[string]string{
		"a/Maria_Sandoval.txt":    "Client Maria Sandoval, phone (503) 555-0147.\n",
		"a/maria_sandoval.txt":    "Seen with John Fielding.\n",
		"b/note1.txt":             "John Fielding called Maria Sandoval.\n",
		"b/note2.txt":             "Elena Sandoval, her sister, came along.\n",
		"c/Elena_Sandoval.txt":    "Elena Sandoval again.\n",
		"c/elena_sandoval.txt":    "Laura Chen met Elena Sandoval.\n",
		"c/ELENA_SANDOVAL.txt":    "Peter Novak.\n",
		"d/empty.txt":             "",
		"d/x.bin":                 "\x00\x01",
		"e/Person-A_Person-B.txt": "Plain text naming Susan Miller.\n",
	}
	for k, v := range files {
		p := filepath.Join(src, filepath.FromSlash(k))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(v), 0o644)
	}
	ref := t.TempDir()
	refRep := runOnce(t, src, ref, nil, 0)
	want := tree(t, ref)
	for kill := 1; kill < len(files); kill++ {
		t.Run(fmt.Sprint(kill), func(t *testing.T) {
			out, st := t.TempDir(), local(t, t.TempDir())
			runOnce(t, src, out, st, kill)
			got := runOnce(t, src, out, st, 0)
			if g := tree(t, out); fmt.Sprint(g) != fmt.Sprint(want) {
				t.Fatalf("outputs differ after a stop at %d:\n got %v\nwant %v", kill, keys(g), keys(want))
			}
			if !bytes.Equal(got, refRep) {
				t.Fatalf("report differs after a stop at %d:\n%s\n%s", kill, got, refRep)
			}
		})
	}
}

// runOnce runs the pipeline from src to out; with st, through a ledger
// (resuming if st holds one), stopped after kill records when kill > 0.
// It returns the report's file records as JSON lines.
func runOnce(t *testing.T, src, out string, st state.Store, kill int) []byte {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	var l *state.Ledger
	aliases := profiles.Aliaser(profiles.NewAliases())
	if st != nil {
		if l, err = state.Open(ctx, st, run1, kill == 0); err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		aliases = l.Aliases(aliases)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Aliases: aliases})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := report.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	c := pipeline.RunConfig{Engine: e, Source: local(t, src), Sink: local(t, out), Report: rb, Workers: 3}
	if l != nil {
		for _, k := range l.ReservedKeys() {
			e.ReserveKey(k)
		}
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

func tree(t *testing.T, dir string) map[string]string {
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

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
