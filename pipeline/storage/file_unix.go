//go:build unix

package storage

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// rawFile is an open file used through plain system calls. os.File would
// register every file it opens with the run-time poller, which a regular
// file never needs: on Linux four fcntl calls and an epoll_ctl that fails
// with EPERM per open, more than the read of a small file costs. Its
// errors are bare errno values, wrapped with the operation: they never
// hold the path, which holds the key.
//
// It is not safe for concurrent use: Close must not run concurrently with
// Read or Write (nor either after Close) on another goroutine. The kernel
// hands a closed descriptor's number to the next open(2), so a Read that
// races with Close may read a file opened meanwhile by another worker.
//
// Callers must Close it (Local.Open hands it out as an io.ReadCloser,
// Local.Put closes it on every path). One that is dropped unclosed is
// closed when the garbage collector finds it unreachable, as os.File is
// (newRawFile's cleanup, which Close stops), so a leak costs no
// descriptor for long; the methods keep f alive until their system call
// returns, so that the cleanup never closes a descriptor in use.
type rawFile struct {
	fd      int
	cleanup runtime.Cleanup
}

// newRawFile wraps fd, which it then owns.
func newRawFile(fd int) *rawFile {
	f := &rawFile{fd: fd}
	f.cleanup = runtime.AddCleanup(f, func(fd int) { unix.Close(fd) }, fd)
	return f
}

// errNotRegular refuses what is not a regular file.
var errNotRegular = errors.New("not a regular file")

// openRegular opens the regular file at p for reading and returns its
// size. A symbolic link is refused without being followed (O_NOFOLLOW),
// and anything else that is not a regular file (a folder, a FIFO, a
// device) before it is opened for reading where the system allows
// (openChecked: on Linux through an O_PATH descriptor, which opens no
// device), and again after, by fstat of the open file (the check against
// a swap of the path). O_NONBLOCK keeps the open of a FIFO from waiting
// for a writer.
func openRegular(p string) (*rawFile, int64, error) {
	fd, err := openChecked(p)
	if err != nil {
		if errors.Is(err, errNotRegular) || errors.Is(err, unix.ELOOP) || errors.Is(err, unix.EMLINK) { // the link itself (BSDs say EMLINK)
			return nil, 0, fmt.Errorf("open: %w", errNotRegular)
		}
		return nil, 0, fmt.Errorf("open: %w", err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, 0, fmt.Errorf("stat: %w", err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fd)
		return nil, 0, fmt.Errorf("open: %w", errNotRegular)
	}
	return newRawFile(fd), st.Size, nil
}

// openNonblock opens p for reading, not following a last symbolic link.
func openNonblock(p string) (int, error) {
	return retryEINTR(func() (int, error) {
		return unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	})
}

// createTemp creates a new file for writing in dir, named TempPrefix and
// a random number (never a part of the key), with O_EXCL: it is new.
func createTemp(dir string) (*rawFile, string, error) {
	for try := 0; ; try++ {
		name := dir + "/" + TempPrefix + strconv.FormatUint(uint64(rand.Uint32()), 10)
		fd, err := retryEINTR(func() (int, error) {
			return unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o600)
		})
		if errors.Is(err, unix.EEXIST) && try < 10000 {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("open: %w", err)
		}
		return newRawFile(fd), name, nil
	}
}

// renameFile renames a file over newpath in one rename(2). os.Rename
// first lstats newpath to refuse a folder there; rename(2) refuses to
// put a file over a folder itself (EISDIR).
func renameFile(oldpath, newpath string) error {
	if err := unix.Rename(oldpath, newpath); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	return nil
}

func removeFile(p string) { unix.Unlink(p) }

func (f *rawFile) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := retryEINTR(func() (int, error) { return unix.Read(f.fd, b) })
	runtime.KeepAlive(f)
	switch {
	case err != nil:
		return 0, fmt.Errorf("read: %w", err)
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

func (f *rawFile) Write(b []byte) (int, error) {
	n, err := writeAll(func(b []byte) (int, error) { return unix.Write(f.fd, b) }, b)
	runtime.KeepAlive(f)
	return n, err
}

// writeAll writes b with write until all of it is written or write
// fails. A write that writes nothing and reports no error ends it with
// io.ErrShortWrite, as os.File does, rather than asking again forever.
func writeAll(write func([]byte) (int, error), b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, err := retryEINTR(func() (int, error) { return write(b[done:]) })
		if err != nil {
			return done, fmt.Errorf("write: %w", err)
		}
		if n <= 0 {
			return done, fmt.Errorf("write: %w", io.ErrShortWrite)
		}
		done += n
	}
	return done, nil
}

// Sync makes the file's content durable (fsync(2)).
func (f *rawFile) Sync() error {
	_, err := retryEINTR(func() (int, error) { return 0, unix.Fsync(f.fd) })
	runtime.KeepAlive(f)
	if err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}

// Close closes the file; a second Close does nothing.
func (f *rawFile) Close() error {
	if f.fd < 0 {
		return nil
	}
	f.cleanup.Stop()
	err := unix.Close(f.fd)
	f.fd = -1
	if err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

func retryEINTR(op func() (int, error)) (int, error) {
	for {
		n, err := op()
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}
