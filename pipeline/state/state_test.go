package state_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/state"
	"github.com/veilhq/veil/pipeline/storage"
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
		if err := l.Finish(ctx, o, report.File{Key: "out-" + o.Key, Status: report.StatusRedacted, KeyRedacted: o.Key == "b.txt"}, pipeline.PlanMark{}); err != nil {
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
		rec, ok, err := l2.Done(ctx, c.o)
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
	l.Finish(ctx, o1, report.File{Key: "x.txt", Detail: "first"}, pipeline.PlanMark{})
	l.Close()
	l, _ = state.Open(ctx, st, run1, true)
	if _, ok, _ := l.Done(ctx, o2); ok {
		t.Fatal("changed object skipped")
	}
	l.Finish(ctx, o2, report.File{Key: "x.txt", Detail: "second"}, pipeline.PlanMark{})
	l.Close()
	l, _ = state.Open(ctx, st, run1, true)
	defer l.Close()
	rec, ok, err := l.Done(ctx, o2)
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
	l.Finish(ctx, storage.Object{Key: "a.txt", ETag: "e", Size: 1}, report.File{Key: "a.txt"}, pipeline.PlanMark{})
	l.Close()
	l, _ = state.Open(ctx, st, run1, false)
	defer l.Close()
	if l.Earlier() != 0 || l.Manifest().Attempt != 1 {
		t.Fatalf("earlier %d attempt %d", l.Earlier(), l.Manifest().Attempt)
	}
	if _, ok, _ := l.Done(ctx, storage.Object{Key: "a.txt", ETag: "e", Size: 1}); ok {
		t.Fatal("a fresh run skipped an object")
	}
	if err := l.Remove(ctx); err != nil {
		t.Fatal(err)
	}
	if ents, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(ents) != 0 {
		t.Fatalf("left after Remove: %v", ents)
	}
}

// The latest case snapshot and the counters after the last finished key
// come back on resume; a snapshot is written only when it changed.
func TestCaseAndFrontier(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := local(t, dir)
	state.FlushLines = 1
	defer func() { state.FlushLines = 1000 }()
	l, _ := state.Open(ctx, st, run1, false)
	snap := "v1"
	l.SnapshotCase(func() ([]byte, error) { return []byte(snap), nil })
	l.Finish(ctx, storage.Object{Key: "a.pdf", ETag: "e", Size: 1}, report.File{Key: "a.pdf"}, pipeline.PlanMark{BatesNext: 3})
	l.Finish(ctx, storage.Object{Key: "b.pdf", ETag: "e", Size: 1}, report.File{Key: "b.pdf"}, pipeline.PlanMark{BatesNext: 7})
	snap = "v2"
	l.Finish(ctx, storage.Object{Key: "c.txt", ETag: "e", Size: 1}, report.File{Key: "c.txt"}, pipeline.PlanMark{BatesNext: 7})
	l.Close()
	l, _ = state.Open(ctx, st, run1, true)
	defer l.Close()
	if string(l.Case()) != "v2" || l.Frontier().BatesNext != 7 {
		t.Fatalf("case %q, frontier %+v", l.Case(), l.Frontier())
	}
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(`"case"`)) {
			n++
		}
		return nil
	})
	if n != 2 {
		t.Fatalf("%d segments hold a snapshot, want 2 (v1 and v2)", n)
	}
}

// Finish writes with the context it is given: a cancelled one fails the
// write, and the record stays buffered for the next flush (Close), so
// nothing finished is lost.
func TestFinishHonoursContext(t *testing.T) {
	st := local(t, t.TempDir())
	state.FlushLines = 1
	defer func() { state.FlushLines = 1000 }()
	l, err := state.Open(context.Background(), st, run1, false)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	o := storage.Object{Key: "a.txt", ETag: "e", Size: 1}
	if err := l.Finish(cancelled, o, report.File{Key: "a.txt"}, pipeline.PlanMark{}); err == nil {
		t.Fatal("a journal write under a cancelled context succeeded")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := state.Open(context.Background(), st, run1, true)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if _, ok, err := l2.Done(context.Background(), o); !ok || err != nil {
		t.Fatalf("record buffered under a cancelled write is lost: %v %v", ok, err)
	}
}

// A segment is written only after the outputs it records are durable
// (BeforeFlush): a failing barrier writes no segment and keeps the lines
// for the next flush.
func TestSegmentWaitsForDurableOutputs(t *testing.T) {
	dir := t.TempDir()
	st := local(t, dir)
	state.FlushLines = 1
	defer func() { state.FlushLines = 1000 }()
	l, err := state.Open(context.Background(), st, run1, false)
	if err != nil {
		t.Fatal(err)
	}
	calls, fail := 0, true
	l.BeforeFlush(func(context.Context) error {
		calls++
		if fail {
			return fmt.Errorf("disk full")
		}
		return nil
	})
	o := storage.Object{Key: "a.txt", ETag: "e", Size: 1}
	if err := l.Finish(context.Background(), o, report.File{Key: "a.txt"}, pipeline.PlanMark{}); err == nil {
		t.Fatal("a segment was written although its outputs are not durable")
	}
	if segs, _ := filepath.Glob(filepath.Join(dir, "journal", "*")); len(segs) != 0 || calls != 1 {
		t.Fatalf("%d segments, %d barrier calls after a failed barrier", len(segs), calls)
	}
	fail = false
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if segs, _ := filepath.Glob(filepath.Join(dir, "journal", "*")); len(segs) != 1 || calls != 2 {
		t.Fatalf("%d segments, %d barrier calls after Close", len(segs), calls)
	}
	l2, err := state.Open(context.Background(), st, run1, true)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if _, ok, err := l2.Done(context.Background(), o); !ok || err != nil {
		t.Fatalf("record lost: %v %v", ok, err)
	}
}

// A snapshot says which case it is the table of; the same table under
// another case key is written again, and the latest case comes back.
func TestCaseOf(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := local(t, dir)
	state.FlushLines = 1
	defer func() { state.FlushLines = 1000 }()
	l, _ := state.Open(ctx, st, run1, false)
	key := "alpha/"
	l.SnapshotCaseOf(func() (string, []byte, error) { return key, []byte("t"), nil })
	l.Finish(ctx, storage.Object{Key: "alpha/a.txt", ETag: "e", Size: 1}, report.File{Key: "alpha/a.txt"}, pipeline.PlanMark{})
	key = "beta/"
	l.Finish(ctx, storage.Object{Key: "beta/b.txt", ETag: "e", Size: 1}, report.File{Key: "beta/b.txt"}, pipeline.PlanMark{})
	l.Close()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(`"case"`)) {
			n++
		}
		return nil
	})
	if n != 2 {
		t.Fatalf("%d segments hold a snapshot, want 2 (one per case)", n)
	}
	l, _ = state.Open(ctx, st, run1, true)
	defer l.Close()
	if string(l.Case()) != "t" || l.CaseOf() != "beta/" {
		t.Fatalf("case %q of %q", l.Case(), l.CaseOf())
	}
}

// Finish does not wait for a flush in progress: the flusher writes a
// segment (here stuck in its durability barrier) without holding what
// Finish needs, so the run's in-order reporting, and with it the window of
// files in flight, goes on while outputs are synced.
func TestFinishDoesNotWaitForFlush(t *testing.T) {
	dir := t.TempDir()
	st := local(t, dir)
	state.FlushInterval = 20 * time.Millisecond
	defer func() { state.FlushInterval = time.Second }()
	l, err := state.Open(context.Background(), st, run1, false)
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	l.BeforeFlush(func(context.Context) error {
		once.Do(func() { close(entered); <-release })
		return nil
	})
	a := storage.Object{Key: "a.txt", ETag: "e", Size: 1}
	b := storage.Object{Key: "b.txt", ETag: "e", Size: 1}
	if err := l.Finish(context.Background(), a, report.File{Key: "a.txt"}, pipeline.PlanMark{}); err != nil {
		t.Fatal(err)
	}
	<-entered // the flusher is in the barrier with a's line
	done := make(chan error, 1)
	go func() { done <- l.Finish(context.Background(), b, report.File{Key: "b.txt"}, pipeline.PlanMark{}) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Finish waits for the flush in progress")
	}
	close(release)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := state.Open(context.Background(), st, run1, true)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	for _, o := range []storage.Object{a, b} {
		if _, ok, err := l2.Done(context.Background(), o); !ok || err != nil {
			t.Fatalf("%s: record lost: %v %v", o.Key, ok, err)
		}
	}
}
