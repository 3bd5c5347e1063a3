package storage

import (
	"io/fs"
	"strconv"
	"syscall"
)

// etagInode returns the inode's change time (nanoseconds), number and
// device for localETag, or "" when info does not carry them.
func etagInode(info fs.FileInfo) string {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return ""
	}
	return strconv.FormatInt(st.Ctim.Nano(), 10) + "/" + strconv.FormatUint(uint64(st.Ino), 10) + "/" + strconv.FormatUint(uint64(st.Dev), 10)
}
