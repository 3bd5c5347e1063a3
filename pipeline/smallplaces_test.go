package pipeline

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
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
	if len(read) != len(built) || len(built) < 10000 {
		t.Fatalf("%d small places read, %d built", len(read), len(built))
	}
	for i, k := range built {
		if read[i] != k || !read.has(k) {
			t.Fatalf("small place %d differs", i)
		}
	}
	if read.has("zz no such place") {
		t.Error("has finds a name that is not in the set")
	}
	// A set made from another table is not read.
	h, _ := smallPlacesHeader()
	if _, err := parseSmallPlaces(strings.Replace(string(got), h, strings.Replace(h, "sources ", "sources 0", 1), 1)); err != errSmallPlacesStale {
		t.Errorf("a set of another table: %v, want errSmallPlacesStale", err)
	}
	if _, err := parseSmallPlaces(string(got[:len(got)/2])); err == nil {
		t.Error("a cut set read without error")
	}
}
