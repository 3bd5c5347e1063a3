//go:build unix && !linux

package storage

// openChecked opens p for reading (O_NONBLOCK, O_NOFOLLOW); openRegular
// refuses what is not a regular file after the open, by fstat: there is
// no O_PATH here.
func openChecked(p string) (int, error) { return openNonblock(p) }
