package storage

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// What is not a regular file is refused before it is opened: the kernel
// reports no open of a FIFO (inotify IN_OPEN, which an O_PATH descriptor
// does not raise), as it would for a device, whose open can have effects.
// A regular file beside it is opened, and reported: the watch works.
func TestOpenDoesNotOpenAFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := unix.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, _ := NewLocal(dir)
	ctx := context.Background()
	if err := l.Put(ctx, "plain.txt", strings.NewReader("x"), 1, ""); err != nil {
		t.Fatal(err)
	}
	in, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(in)
	if _, err := unix.InotifyAddWatch(in, dir, unix.IN_OPEN); err != nil {
		t.Fatal(err)
	}
	opened := func() []string {
		var names []string
		buf := make([]byte, 4096)
		n, err := unix.Read(in, buf)
		if errors.Is(err, unix.EAGAIN) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			for len(name) > 0 && name[len(name)-1] == 0 {
				name = name[:len(name)-1]
			}
			names = append(names, string(name))
			off += unix.SizeofInotifyEvent + int(ev.Len)
		}
		return names
	}
	if _, err := l.Open(ctx, "pipe.txt"); !errors.Is(err, errNotRegular) {
		t.Fatalf("open of a FIFO: %v", err)
	}
	if got := opened(); len(got) != 0 {
		t.Errorf("the FIFO was opened: %q", got)
	}
	rc, err := l.Open(ctx, "plain.txt")
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if got := opened(); len(got) != 1 || got[0] != "plain.txt" {
		t.Errorf("opens reported for a regular file: %q, want [plain.txt]", got)
	}
}
