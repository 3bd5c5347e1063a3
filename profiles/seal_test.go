package profiles

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A sealed file opens only as its own kind and with its own key, and
// WriteSealedFile leaves an owner-only file and no temporary file.
func TestSealKinds(t *testing.T) {
	k := testKeys(t, "a key for sealing tests, long enough")
	plain := []byte(`{"version":1,"value":"Invented Person"}`)
	dec := k.Seal(DecisionsFile, plain)
	if bytes.Contains(dec, []byte("Invented")) {
		t.Fatal("sealed bytes hold the plaintext")
	}
	got, err := k.Open(DecisionsFile, dec)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("round trip: %q, %v", got, err)
	}
	if _, err := k.Open(MappingFile, dec); err == nil {
		t.Fatal("a decisions file opened as a mapping file")
	}
	if _, err := k.Open(DecisionsFile, k.Seal(MappingFile, plain)); err == nil {
		t.Fatal("a mapping file opened as a decisions file")
	}
	// The kind is authenticated: a decisions file relabelled as a mapping
	// file does not open.
	relabelled := append([]byte(MappingFile), dec[len(DecisionsFile):]...)
	if _, err := k.Open(MappingFile, relabelled); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("relabelled file: %v, want ErrWrongKey", err)
	}
	other := testKeys(t, "another key for sealing tests, long enough")
	if _, err := other.Open(DecisionsFile, dec); !errors.Is(err, ErrWrongKey) || errors.Is(err, ErrMappingKey) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := other.Open(MappingFile, k.Seal(MappingFile, plain)); !errors.Is(err, ErrMappingKey) {
		t.Fatalf("wrong key for a mapping file: %v", err)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "case.veildec")
	if err := WriteSealedFile(path, DecisionsFile, k, plain); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the folder, want only the sealed one", len(entries))
	}
	b, _ := os.ReadFile(path)
	if got, err := k.Open(DecisionsFile, b); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("file round trip: %q, %v", got, err)
	}
}
