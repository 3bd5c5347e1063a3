package prose

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"strings"
	"testing"
)

// TestClassifierPrebuilt shows that classifier.gz holds exactly the index
// newClassifier makes from prose's model, that a start reads it back
// unchanged, and that a file made from another version of prose is not
// read. With -update it writes the file.
func TestClassifierPrebuilt(t *testing.T) {
	// A test binary's build information lists no modules: the version
	// is go.mod's.
	version := ""
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == proseModule {
			version = f[1]
		}
	}
	if version == "" || proseVersion() != "" && proseVersion() != version {
		t.Fatalf("go.mod requires prose %q, the binary links %q", version, proseVersion())
	}
	built := loadClassifier()
	want := encodeClassifier(built, version)
	if *update {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(want)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("classifier.gz", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	zr, err := gzip.NewReader(strings.NewReader(prebuiltClassifier))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("classifier.gz was not made from the linked version of prose: run go generate ./ner/prose")
	}
	read, err := decodeClassifier(prebuiltClassifier)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encodeClassifier(read, version), want) || len(read.basic) != len(built.basic) {
		t.Fatal("the classifier read differs from the one built")
	}
	if _, err := parseClassifier(string(got), version+"-other"); err != errOtherProse {
		t.Errorf("a file of another version: %v, want errOtherProse", err)
	}
	for _, cut := range []int{10, len(got) / 2, len(got) - 1} {
		if _, err := parseClassifier(string(got[:cut]), version); err == nil {
			t.Errorf("a file cut at %d of %d bytes read without error", cut, len(got))
		}
	}
}
