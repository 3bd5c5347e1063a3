package storage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A read that fails inside the OS (EIO on a network share, a file swapped
// for a folder after Open checked it) must not put the path, which holds
// the original name, into the error that reaches the report.
func TestLocalFileReadErrorHoldsNoPath(t *testing.T) {
	p := filepath.Join(t.TempDir(), "intake_Maria_Sandoval.txt")
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p) // a folder: Read fails with a *PathError
	if err != nil {
		t.Fatal(err)
	}
	r := localFile{f}
	defer r.Close()
	_, err = r.Read(make([]byte, 16))
	if err == nil {
		t.Fatal("reading a folder succeeded")
	}
	if _, raw := f.Read(make([]byte, 16)); raw == nil || !strings.Contains(raw.Error(), "Sandoval") {
		t.Fatalf("the test no longer provokes an error with a path: %v", raw)
	}
	if strings.Contains(err.Error(), "Sandoval") {
		t.Errorf("read error holds the path: %v", err)
	}
}
