//go:build !linux

package storage

import (
	"io/fs"
	"os"
	"path/filepath"
)

// syncFS makes every file and folder under dir durable, one by one: there
// is no syncfs(2) here.
func syncFS(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	})
}
