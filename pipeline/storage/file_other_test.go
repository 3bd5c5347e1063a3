//go:build !unix

package storage

import (
	"os"
	"testing"
)

// fileOf returns a rawFile reading f.
func fileOf(t *testing.T, f *os.File) *rawFile { return &rawFile{f} }
