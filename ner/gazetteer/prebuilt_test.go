package gazetteer

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner/lexicon"
)

var update = flag.Bool("update", false, "write prebuilt.bin.zst from the lists (go generate ./ner/gazetteer)")

// TestPrebuilt shows that prebuilt.bin.zst holds exactly the tables that build
// makes from the lists as they are, and that a start reads them back
// unchanged. With -update it writes the file.
func TestPrebuilt(t *testing.T) {
	digest, err := lexicon.Digest(sources...)
	if err != nil {
		t.Fatal(err)
	}
	built := build()
	want := encode(built, digest)
	if *update {
		z, err := compressPrebuilt(want)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("prebuilt.bin.zst", z, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	prebuilt := prebuiltText()
	if prebuilt != string(want) {
		t.Fatal("prebuilt.bin.zst was not made from the lists as they are: run go generate ./ner/gazetteer")
	}
	d, err := parse(prebuilt)
	if err != nil {
		t.Fatal(err)
	}
	sameTables(t, d, built)
}

// sameTables fails unless a and b answer every question alike.
func sameTables(t *testing.T, a, b *data) {
	t.Helper()
	if len(a.flags.ends) != len(b.flags.ends) {
		t.Fatalf("%d keys, want %d", len(a.flags.ends), len(b.flags.ends))
	}
	b.flags.each(func(k string, f Flags) {
		if got := a.flags.get(k); got != f {
			t.Fatalf("flags of a key: %b, want %b", got, f)
		}
		if got := a.flags.getBytes([]byte(k)); got != f {
			t.Fatalf("flags of a key by bytes: %b, want %b", got, f)
		}
	})
	for _, f := range counted {
		if a.count[f] != b.count[f] {
			t.Errorf("count of %b: %d, want %d", f, a.count[f], b.count[f])
		}
	}
	if len(a.places) != len(b.places) {
		t.Fatalf("%d places, want %d", len(a.places), len(b.places))
	}
	for p, town := range b.places {
		if got, ok := a.places[p]; !ok || got != town {
			t.Fatalf("place %q: %v %v, want %v", p, got, ok, town)
		}
	}
}

// TestPrebuiltStale shows that tables made from other lists are not
// read: a start builds them from the lists instead.
func TestPrebuiltStale(t *testing.T) {
	text := prebuiltText()
	digest, _ := lexicon.Digest(sources...)
	if !strings.Contains(text, "sources "+digest+"\n") {
		t.Skip("prebuilt.bin.zst is stale; TestPrebuilt says so")
	}
	if _, err := parse(strings.Replace(text, "sources "+digest, "sources 0"+digest[1:], 1)); err != errStale {
		t.Errorf("tables of other lists: %v, want errStale", err)
	}
	for _, cut := range []int{len(magic), len(text) / 2, len(text) - 1} {
		if _, err := parse(text[:cut]); err == nil {
			t.Errorf("tables cut at %d of %d bytes read without error", cut, len(text))
		}
	}
}
