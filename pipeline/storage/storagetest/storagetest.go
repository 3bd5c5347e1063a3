// Package storagetest is the conformance suite every storage implementation
// must pass, run against the real thing (a temporary folder, a real
// S3-compatible server).
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline/storage"
)

// New returns a Source and a Sink over the same, empty location.
type New func(t *testing.T) (storage.Source, storage.Sink)

// Run runs the suite.
func Run(t *testing.T, newStore New) {
	ctx := context.Background()
	t.Run("PutOpenRoundTrip", func(t *testing.T) {
		src, sink := newStore(t)
		data := []byte("Person A was seen on March 2021.\r\n")
		put(t, sink, "a/b/note.txt", data)
		if got := read(t, src, "a/b/note.txt"); !bytes.Equal(got, data) {
			t.Fatalf("got %q", got)
		}
		if got := readSink(t, sink, "a/b/note.txt"); !bytes.Equal(got, data) {
			t.Fatalf("sink open: got %q", got)
		}
		o, err := sink.Stat(ctx, "a/b/note.txt")
		if err != nil || o.Size != int64(len(data)) || o.Key != "a/b/note.txt" || o.ETag == "" {
			t.Fatalf("stat: %+v %v", o, err)
		}
	})
	t.Run("WalkOrderExactlyOnce", func(t *testing.T) {
		src, sink := newStore(t)
		keys := []string{"b.txt", "a/z.txt", "a-b.txt", "a.txt", "a/b/c.txt", "A.txt", "é.txt", "a/b.txt"}
		for _, k := range keys {
			put(t, sink, k, []byte(k))
		}
		var got []string
		err := src.Walk(ctx, func(o storage.Object) error {
			got = append(got, o.Key)
			if o.Size != int64(len(o.Key)) {
				return fmt.Errorf("%s: size %d", o.Key, o.Size)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "[A.txt a-b.txt a.txt a/b.txt a/b/c.txt a/z.txt b.txt é.txt]"
		if fmt.Sprint(got) != want {
			t.Fatalf("walk order\n got %v\nwant %s", got, want)
		}
	})
	t.Run("WalkStopsOnError", func(t *testing.T) {
		src, sink := newStore(t)
		for i := 0; i < 5; i++ {
			put(t, sink, fmt.Sprintf("f%d.txt", i), []byte("x"))
		}
		stop := errors.New("stop")
		n := 0
		err := src.Walk(ctx, func(storage.Object) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 2 {
			t.Fatalf("err %v after %d calls", err, n)
		}
	})
	t.Run("FailedPutLeavesOldObject", func(t *testing.T) {
		src, sink := newStore(t)
		put(t, sink, "doc.txt", []byte("old"))
		err := sink.Put(ctx, "doc.txt", io.MultiReader(strings.NewReader("new partial"), failing{}), -1, "text/plain")
		if err == nil {
			t.Fatal("put from a failing reader succeeded")
		}
		if got := read(t, src, "doc.txt"); string(got) != "old" {
			t.Fatalf("after failed put: %q", got)
		}
		err = sink.Put(ctx, "fresh.txt", io.MultiReader(strings.NewReader("partial"), failing{}), -1, "text/plain")
		if err == nil {
			t.Fatal("put from a failing reader succeeded")
		}
		if _, err := sink.Stat(ctx, "fresh.txt"); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("partial object visible: %v", err)
		}
		var keys []string
		src.Walk(ctx, func(o storage.Object) error { keys = append(keys, o.Key); return nil })
		if fmt.Sprint(keys) != "[doc.txt]" {
			t.Fatalf("leftovers after failed puts: %v", keys)
		}
	})
	t.Run("SizeMismatchFails", func(t *testing.T) {
		_, sink := newStore(t)
		if err := sink.Put(ctx, "x.txt", strings.NewReader("abc"), 10, "text/plain"); err == nil {
			t.Fatal("short body accepted")
		}
		if _, err := sink.Stat(ctx, "x.txt"); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("object left after size mismatch: %v", err)
		}
	})
	t.Run("NotExist", func(t *testing.T) {
		src, sink := newStore(t)
		if _, err := sink.Stat(ctx, "missing.txt"); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("stat: %v", err)
		}
		if _, err := src.Open(ctx, "missing.txt"); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("open: %v", err)
		}
		if err := sink.Delete(ctx, "missing.txt"); err != nil {
			t.Fatalf("delete missing: %v", err)
		}
	})
	t.Run("Exists", func(t *testing.T) {
		src, sink := newStore(t)
		put(t, sink, "a/b.txt", []byte("x"))
		put(t, sink, "top.txt", []byte("x"))
		for key, want := range map[string]bool{
			"a/b.txt": true, "top.txt": true,
			"a/c.txt": false, "a/b.txt.txt": false, "a/b": false,
			"top.txt/x":     false, // a path through an object
			"nowhere/x.txt": false,
		} {
			got, err := src.Exists(ctx, key)
			if err != nil || got != want {
				t.Errorf("Exists(%q) = %v, %v; want %v", key, got, err, want)
			}
		}
		if err := sink.Delete(ctx, "top.txt"); err != nil {
			t.Fatal(err)
		}
		if got, err := src.Exists(ctx, "top.txt"); got || err != nil {
			t.Errorf("after delete: %v, %v", got, err)
		}
		for _, k := range []string{"", "/abs", "../up", "a//b"} {
			if got, err := src.Exists(ctx, k); got || !errors.Is(err, storage.ErrBadKey) {
				t.Errorf("Exists(%q) = %v, %v; want ErrBadKey", k, got, err)
			}
		}
	})
	t.Run("Delete", func(t *testing.T) {
		_, sink := newStore(t)
		put(t, sink, "d/x.txt", []byte("x"))
		if err := sink.Delete(ctx, "d/x.txt"); err != nil {
			t.Fatal(err)
		}
		if _, err := sink.Stat(ctx, "d/x.txt"); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("after delete: %v", err)
		}
	})
	t.Run("BadKeys", func(t *testing.T) {
		_, sink := newStore(t)
		for _, k := range []string{"", "/abs", "../up", "a/../b", "a//b", "a\\b"} {
			if err := sink.Put(ctx, k, strings.NewReader("x"), 1, ""); !errors.Is(err, storage.ErrBadKey) {
				t.Errorf("key %q: %v", k, err)
			}
		}
	})
	t.Run("LargeObject", func(t *testing.T) {
		src, sink := newStore(t)
		data := make([]byte, 24<<20)
		rand.New(rand.NewSource(1)).Read(data)
		if err := sink.Put(ctx, "big.bin", bytes.NewReader(data), int64(len(data)), "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
		if got := read(t, src, "big.bin"); !bytes.Equal(got, data) {
			t.Fatal("large object differs")
		}
	})
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("reader failed") }

func put(t *testing.T, s storage.Sink, key string, data []byte) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data), int64(len(data)), "text/plain"); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

func read(t *testing.T, s storage.Source, key string) []byte {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readSink(t *testing.T, s storage.Sink, key string) []byte {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return b
}
