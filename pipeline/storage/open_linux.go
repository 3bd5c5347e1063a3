package storage

import (
	"errors"
	"strconv"

	"golang.org/x/sys/unix"
)

// openChecked opens p for reading only if it is a regular file: first
// with O_PATH (no open of the file itself: a device's or a FIFO's open
// routine does not run, which can have effects, like a tape's rewind),
// then, once fstat of that descriptor says regular, again for reading
// through /proc/self/fd, which opens that very inode (no window for a
// swap of the path). Without /proc it opens p as other systems do (the
// fstat after the open still refuses what is not regular).
func openChecked(p string) (int, error) {
	pfd, err := retryEINTR(func() (int, error) {
		return unix.Open(p, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return -1, err
	}
	defer unix.Close(pfd)
	var st unix.Stat_t
	if err := unix.Fstat(pfd, &st); err != nil {
		return -1, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG { // a symbolic link too (O_PATH|O_NOFOLLOW opens the link)
		return -1, errNotRegular
	}
	// the magic link is followed to the inode pfd holds (no O_NOFOLLOW)
	fd, err := retryEINTR(func() (int, error) {
		return unix.Open("/proc/self/fd/"+strconv.Itoa(pfd), unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	})
	if errors.Is(err, unix.ENOENT) { // no /proc
		return openNonblock(p)
	}
	return fd, err
}
