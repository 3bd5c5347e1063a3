package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestSamplesUpToDate: the committed samples are what the generator makes
// (compared entry by entry, so a new compressor does not matter). Run
// go run ./samples/gen after changing it.
func TestSamplesUpToDate(t *testing.T) {
	for name, want := range Samples() {
		got, err := os.ReadFile(filepath.Join("..", "cases", name))
		if err != nil {
			t.Fatalf("%v (go run ./samples/gen)", err)
		}
		w, g := entries(t, want), entries(t, got)
		if len(w) != len(g) {
			t.Fatalf("%s: %d entries, generator makes %d (go run ./samples/gen)", name, len(g), len(w))
		}
		for n, b := range w {
			if !bytes.Equal(g[n], b) {
				t.Errorf("%s: %s differs from the generator's (go run ./samples/gen)", name, n)
			}
		}
	}
}

func entries(t *testing.T, data []byte) map[string][]byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
