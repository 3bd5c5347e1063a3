package storage

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS makes every write to the file system that holds dir durable, in
// one call (syncfs(2)): data, inodes and directory entries (renames).
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
