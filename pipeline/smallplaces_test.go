package pipeline

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/strindex"
)

var updateSmallPlaces = flag.Bool("update-small-places", false, "write smallplaces.bin from the cities table (go generate ./pipeline)")

// TestSmallPlacesPrebuilt shows that smallplaces.bin holds exactly the set
// buildSmallPlaces makes from the cities table as it is (and ner.Fold as
// it is), and that a start reads it back. With -update-small-places it
// writes the file.
func TestSmallPlacesPrebuilt(t *testing.T) {
	built := buildSmallPlaces()
	want, err := encodeSmallPlaces(built)
	if err != nil {
		t.Fatal(err)
	}
	if *updateSmallPlaces {
		if err := os.WriteFile("smallplaces.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got := []byte(smallPlacesBin)
	if !bytes.Equal(got, want) {
		t.Fatal("smallplaces.bin was not made from the cities table and ner.Fold as they are: run go generate ./pipeline")
	}
	read, err := parseSmallPlaces(smallPlacesBin)
	if err != nil {
		t.Fatal(err)
	}
	if len(read.names) != len(built) || len(built) < 10000 {
		t.Fatalf("%d small places read, %d built", len(read.names), len(built))
	}
	for i, k := range built {
		if read.names[i] != k || !read.names.has(k) {
			t.Fatalf("small place %d differs", i)
		}
	}
	if read.names.has("zz no such place") {
		t.Error("has finds a name that is not in the set")
	}
	// the first words read are those of the set, and only those
	firsts := map[string]bool{}
	for _, k := range built {
		w, _, _ := strings.Cut(k, " ")
		firsts[w] = true
		if !read.first.has([]byte(w)) {
			t.Fatalf("the first word of small place %d is not found", len(firsts))
		}
	}
	if read.first.idx.Len() != len(firsts) {
		t.Fatalf("%d first words read, %d in the set", read.first.idx.Len(), len(firsts))
	}
	if read.first.has([]byte("zz")) && !firsts["zz"] {
		t.Error("a first word that begins no small place is found")
	}
	// A set made from another table is not read.
	h, _ := smallPlacesHeader()
	if _, err := parseSmallPlaces(strings.Replace(string(got), h, strings.Replace(h, "sources ", "sources 0", 1), 1)); err != errSmallPlacesStale {
		t.Errorf("a set of another table: %v, want errSmallPlacesStale", err)
	}
	if _, err := parseSmallPlaces(string(got[:len(got)/2])); err == nil {
		t.Error("a cut set read without error")
	}
	// another hash: not read
	if _, err := parseSmallPlaces(strings.Replace(string(got), "\nhash ", "\nhash 0", 1)); err != errSmallPlacesStale {
		t.Errorf("a set of another hash: %v, want errSmallPlacesStale", err)
	}
	// a byte changed after the sum: not read
	damaged := []byte(got)
	damaged[len(damaged)-1] ^= 1
	if _, err := parseSmallPlaces(string(damaged)); err == nil {
		t.Error("a damaged set read without error")
	}
}

// FuzzSmallPlaces shows that parseSmallPlacesBody, which reads counts
// and slots, never panics and that what it accepts answers lookups.
func FuzzSmallPlaces(f *testing.F) {
	if i := strings.Index(smallPlacesBin, "names "); i >= 0 {
		f.Add(smallPlacesBin[i:min(len(smallPlacesBin), i+300)])
	}
	f.Add("names 2\na b\nc\nfirsts 2 64\nc\na\n" + string(strindex.AppendBitmap(nil, []uint32{3, 40}, 64)))
	f.Add("names 0\nfirsts 0 64\n" + string(strindex.AppendBitmap(nil, nil, 64)))
	f.Add("names 1\na\nfirsts 1 1000000000\na\n")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := parseSmallPlacesBody(text)
		if err != nil {
			return
		}
		for _, k := range d.names {
			d.names.has(k)
			d.first.has([]byte(k))
		}
	})
}
