//go:build unix

package storage

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// fileOf returns a rawFile reading f's descriptor (f stays the owner).
func fileOf(f *os.File) *rawFile { return &rawFile{fd: int(f.Fd())} }

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

// A rawFile dropped without Close has its descriptor closed once the
// garbage collector finds it unreachable, and one that is closed is not
// closed again by the cleanup (the number may belong to another file by
// then).
func TestRawFileClosedWhenDropped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "note.txt")
	if err := os.WriteFile(p, []byte("Tamsin Everard"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := func() int {
		f, _, err := openRegular(p)
		if err != nil {
			t.Fatal(err)
		}
		return f.fd
	}
	fd := open()
	closed := false
	for range 200 {
		runtime.GC()
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); errors.Is(err, unix.EBADF) {
			closed = true
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !closed {
		t.Fatal("the descriptor of a dropped rawFile stays open")
	}
	f, _, err := openRegular(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	keep, err := os.Open(p) // likely takes the number f had
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Close()
	for range 5 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := keep.Stat(); err != nil {
		t.Fatalf("a file opened after Close is closed by the cleanup: %v", err)
	}
	var b [1]byte
	if _, err := keep.Read(b[:]); err != nil {
		t.Fatalf("a file opened after Close is closed by the cleanup: %v", err)
	}
}
