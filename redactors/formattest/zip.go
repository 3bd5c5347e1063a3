package formattest

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// RewriteZip returns the zip b with each entry's text passed through f
// (given the entry's name), entries in their order, for tests that build
// a variant of an OOXML (or other zip) fixture. It fails t on any error.
func RewriteZip(t testing.TB, b []byte, f func(name, x string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f(e.Name, string(x))); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
