//go:build !unix

package storage

import "os"

// fileOf returns a rawFile reading f.
func fileOf(f *os.File) *rawFile { return &rawFile{f} }
