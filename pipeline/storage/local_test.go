package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/pipeline/storage/storagetest"
)

func TestLocalConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) (storage.Source, storage.Sink) {
		l, err := storage.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return l, l
	})
}

func TestLocalWalkReportsNonRegular(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x"), 0o644)
	os.Symlink("/etc/passwd", filepath.Join(dir, "link.txt"))
	l, _ := storage.NewLocal(dir)
	var got []string
	l.Walk(context.Background(), func(o storage.Object) error {
		got = append(got, o.Key+":"+map[bool]string{true: "file", false: "other"}[o.Size >= 0])
		return nil
	})
	if strings.Join(got, ",") != "a.txt:file,link.txt:other" {
		t.Fatalf("walk: %v", got)
	}
	if _, err := l.Open(context.Background(), "link.txt"); err == nil {
		t.Fatal("symlink opened")
	}
}

func TestLocalErrorsHoldNoKey(t *testing.T) {
	dir := t.TempDir()
	l, _ := storage.NewLocal(dir)
	// A file where a folder must go makes Put fail inside the OS.
	os.WriteFile(filepath.Join(dir, "Maria_Sandoval"), []byte("x"), 0o644)
	err := l.Put(context.Background(), "Maria_Sandoval/notes.txt", strings.NewReader("x"), 1, "")
	if err == nil || strings.Contains(err.Error(), "Sandoval") {
		t.Fatalf("error %v", err)
	}
}

// A folder whose writes are synced in batches (DeferSync) keeps the Sink
// contract; Sync then succeeds, and is a no-op with nothing written.
func TestLocalDeferredSyncConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) (storage.Source, storage.Sink) {
		l, err := storage.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		l.DeferSync()
		t.Cleanup(func() {
			if err := l.Sync(context.Background()); err != nil {
				t.Error(err)
			}
		})
		return l, l
	})
	l, _ := storage.NewLocal(t.TempDir())
	l.DeferSync()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Sync(cancelled); err != nil {
		t.Fatalf("sync with nothing to sync: %v", err)
	}
	if err := l.Put(context.Background(), "a.txt", strings.NewReader("x"), 1, ""); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(cancelled); err == nil {
		t.Fatal("sync under a cancelled context succeeded")
	}
	if err := l.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}
