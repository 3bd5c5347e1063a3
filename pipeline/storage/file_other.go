//go:build !unix

package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// rawFile is an open file (see file_unix.go); here an os.File whose
// errors are stripped of their path.
type rawFile struct{ f *os.File }

var errNotRegular = errors.New("not a regular file")

func openRegular(p string) (*rawFile, int64, error) {
	info, err := os.Lstat(p)
	if err != nil {
		return nil, 0, stripPath(err)
	}
	if !info.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("open: %w", errNotRegular)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, stripPath(err)
	}
	return &rawFile{f}, info.Size(), nil
}

func createTemp(dir string) (*rawFile, string, error) {
	f, err := os.CreateTemp(dir, TempPrefix+"*")
	if err != nil {
		return nil, "", stripPath(err)
	}
	return &rawFile{f}, filepath.Join(dir, filepath.Base(f.Name())), nil
}

func renameFile(oldpath, newpath string) error { return stripPath(os.Rename(oldpath, newpath)) }

func removeFile(p string) { os.Remove(p) }

func (f *rawFile) Read(b []byte) (int, error) {
	n, err := f.f.Read(b)
	return n, stripPath(err)
}

func (f *rawFile) Write(b []byte) (int, error) {
	n, err := f.f.Write(b)
	return n, stripPath(err)
}

func (f *rawFile) Sync() error { return stripPath(f.f.Sync()) }

func (f *rawFile) Close() error {
	err := f.f.Close()
	if errors.Is(err, os.ErrClosed) {
		return nil
	}
	return stripPath(err)
}
