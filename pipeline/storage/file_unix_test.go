//go:build unix

package storage

import (
	"context"
	"errors"
	"io"
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

// A write that writes nothing and reports no error (a device or file
// system that takes no byte) ends Write with io.ErrShortWrite and the
// count written so far, rather than a loop that never ends. No real file
// can be made to do this on purpose, so the write is a function here.
func TestWriteAllZeroWrite(t *testing.T) {
	calls := 0
	write := func(b []byte) (int, error) {
		calls++
		if calls > 3 {
			t.Fatal("writeAll asks again after a write of 0 bytes")
		}
		if calls == 1 {
			return 2, nil
		}
		return 0, nil
	}
	n, err := writeAll(write, []byte("abcdef"))
	if n != 2 || !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("writeAll = %d, %v; want 2, io.ErrShortWrite", n, err)
	}
}
