package storage

import (
	"context"
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

// The errors of a listing, and of the removal of stale temporary files,
// hold no part of the folder's path: a folder can be named after a client.
func TestLocalErrorsHoldNoPath(t *testing.T) {
	parent := t.TempDir()
	missing := filepath.Join(parent, "Orsolya_Quillanby")
	file := filepath.Join(parent, "Tamsin_Everard.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		for _, part := range []string{"Orsolya", "Quillanby", "Tamsin", "Everard", filepath.Base(parent)} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("%s: the error holds %q: %v", what, part, err)
			}
		}
	}
	for _, root := range []string{missing, file} {
		l, _ := NewLocal(root)
		check("walk", l.Walk(context.Background(), func(Object) error { return nil }))
	}
	// a name too long for the system (ENAMETOOLONG, even for root)
	long, _ := NewLocal(filepath.Join(parent, "Orsolya_Quillanby_"+strings.Repeat("x", 300)))
	check("walk of a name too long", long.Walk(context.Background(), func(Object) error { return nil }))
	check("remove stale temporary files under a name too long", long.RemoveStaleTemp())
	// a folder that cannot be read, under a root that can (not as root,
	// whom permissions do not stop)
	if os.Geteuid() != 0 {
		root := filepath.Join(parent, "Quillanby_Everard")
		sub := filepath.Join(root, "Orsolya")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, TempPrefix+"1"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(sub, 0o300); err != nil { // no listing
			t.Fatal(err)
		}
		defer os.Chmod(sub, 0o755)
		l, _ := NewLocal(root)
		check("walk of an unreadable folder", l.Walk(context.Background(), func(Object) error { return nil }))
		check("remove stale temporary files", l.RemoveStaleTemp())
	}
}
