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
	p := filepath.Join(t.TempDir(), "intake_Orsolya_Quillanby.txt")
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p) // a folder: Read fails with a *PathError
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, raw := f.Read(make([]byte, 16)); raw == nil || !strings.Contains(raw.Error(), "Quillanby") {
		t.Fatalf("the test no longer provokes an error with a path: %v", raw)
	}
	r := fileOf(f)
	_, err = r.Read(make([]byte, 16))
	if err == nil {
		t.Fatal("reading a folder succeeded")
	}
	if strings.Contains(err.Error(), "Quillanby") {
		t.Errorf("read error holds the path: %v", err)
	}
	// Opening it as a file is refused, without the path either.
	if _, _, err := openRegular(p); err == nil || strings.Contains(err.Error(), "Quillanby") {
		t.Errorf("open of a folder: %v", err)
	}
}
