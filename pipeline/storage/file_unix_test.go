//go:build unix

package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// fileOf returns a rawFile reading f's descriptor (f stays the owner).
func fileOf(t *testing.T, f *os.File) *rawFile { return &rawFile{int(f.Fd())} }

// A FIFO in the folder is refused at once: Open neither waits for a
// writer nor reads it.
func TestOpenRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := unix.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o600); err != nil {
		t.Skip("no FIFO here:", err)
	}
	l, _ := NewLocal(dir)
	done := make(chan error, 1)
	go func() {
		_, err := l.Open(context.Background(), "pipe.txt")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errNotRegular) {
			t.Fatalf("open of a FIFO: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("open of a FIFO waits")
	}
}
