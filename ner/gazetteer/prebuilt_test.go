package gazetteer

import (
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/strindex"
	"github.com/veilhq/veil/ner/lexicon"
)

var update = flag.Bool("update", false, "write prebuilt.bin and prebuilt-keys.bin from the lists (go generate ./ner/gazetteer)")

// TestPrebuilt shows that prebuilt.bin and prebuilt-keys.bin hold
// exactly the tables that build makes from the lists as they are, and
// that a start reads them back unchanged. With -update it writes the
// files.
func TestPrebuilt(t *testing.T) {
	digest, err := lexicon.Digest(sources...)
	if err != nil {
		t.Fatal(err)
	}
	built := build()
	want, wantKeys := encode(built, digest)
	if *update {
		if err := os.WriteFile("prebuilt.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("prebuilt-keys.bin", wantKeys, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	prebuilt, keys := prebuiltText()
	if prebuilt != string(want) || keys != string(wantKeys) {
		t.Fatal("prebuilt.bin and prebuilt-keys.bin were not made from the lists as they are: run go generate ./ner/gazetteer")
	}
	d, err := parse(prebuilt, keys)
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
	if a.places.idx.Len() != b.places.idx.Len() {
		t.Fatalf("%d places, want %d", a.places.idx.Len(), b.places.idx.Len())
	}
	for i := range b.places.idx.Len() {
		p, town := b.places.idx.Key(i), b.places.town[i]
		if got, ok := a.places.get(p); !ok || got != town {
			t.Fatalf("place %q: %v %v, want %v", p, got, ok, town)
		}
	}
}

// TestPrebuiltStale shows that tables made from other lists are not
// read: a start builds them from the lists instead.
func TestPrebuiltStale(t *testing.T) {
	text, keys := prebuiltText()
	digest, _ := lexicon.Digest(sources...)
	if !strings.Contains(text, "sources "+digest+"\n") {
		t.Skip("prebuilt.bin is stale; TestPrebuilt says so")
	}
	if _, err := parse(strings.Replace(text, "sources "+digest, "sources 0"+digest[1:], 1), keys); err != errStale {
		t.Errorf("tables of other lists: %v, want errStale", err)
	}
	for _, cut := range []int{len(magic), len(text) / 2, len(text) - 1} {
		if _, err := parse(text[:cut], keys); err == nil {
			t.Errorf("tables cut at %d of %d bytes read without error", cut, len(text))
		}
	}
	// a keys' file other than the one made with the tables (one byte
	// changed, or cut short) is not read
	other := []byte(keys)
	other[len(other)/2] ^= 1
	for _, k := range []string{string(other), keys[:len(keys)-1]} {
		if _, err := parse(text, k); err != errStale {
			t.Errorf("another keys' file: %v, want errStale", err)
		}
	}
}

// FuzzParse shows that parse never panics on a damaged file (it reads
// lengths, offsets and slots from it): parseBody, which parse calls once
// the header and the sum agree, is fuzzed directly (a fuzzer would not
// get past the sum), and lookups of what it accepts do not panic. The
// slots it reads are trusted (parse's sum and TestPrebuilt see to them):
// what parse accepts finds every key.
func FuzzParse(f *testing.F) {
	text, keys := prebuiltText()
	sum := func(k string) string { return strconv.FormatUint(uint64(keysSum(k)), 10) }
	// bm is writeSlots's bitmap of n slots marking slots
	bm := func(n int, slots ...uint32) string {
		return string(strindex.AppendBitmap(nil, slots, n))
	}
	head := "counts 1 1 1 1 1\nkeys "
	f.Add(head+"2 5 "+sum("abcde")+" 1024\n\x01\x02\x02\x03"+bm(1024, 5, 6)+"\nplaces 1 64\n1ab\n"+bm(64, 7), "abcde")
	f.Add(head+"2 5 "+sum("abcde")+" 1024\n\x01\x02\x02\x04"+bm(1024, 5, 6)+"\nplaces 0 64\n"+bm(64), "abcde")
	f.Add(head+"1 3 "+sum("abc")+" 64\n\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"+bm(64, 1)+"\nplaces 0 64\n"+bm(64), "abc")
	f.Add(head+"0 0 "+sum("")+" 1024\n"+bm(1024)+"\nplaces 0 64\n"+bm(64), "")
	f.Add(head+"9223372036854775807 9223372036854775807 0 1024\n\x01\x02\nplaces 0 64\n", "ab")
	f.Add(head+"2 2 "+sum("ab")+" 1024\n\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x03"+bm(1024, 0, 1)+"\nplaces 0 64\n"+bm(64), "ab")
	f.Add(head+"2 2 "+sum("ab")+" 64\n\x01\x01\x01\x01"+bm(64, 0, 1, 2)+"\nplaces 0 64\n"+bm(64), "ab")
	if i := strings.Index(text, "counts "); i > 0 {
		f.Add(text[i:min(len(text), i+200)], keys[:min(len(keys), 200)])
	}
	f.Fuzz(func(t *testing.T, s, k string) {
		d, err := parseBody(s, k)
		if err != nil {
			return
		}
		d.flags.each(func(k string, _ Flags) {
			d.flags.get(k)
			d.flags.getBytes([]byte(k))
			d.places.get(k)
		})
		for i := range d.places.idx.Len() {
			d.places.get(d.places.idx.Key(i))
		}
	})
}

// TestPrebuiltOtherHash shows that tables whose slots were found with
// another strindex.Hash are not read (their slots would not be where a
// lookup looks): a start builds them from the lists instead.
func TestPrebuiltOtherHash(t *testing.T) {
	text, keys := prebuiltText()
	h := "\nhash " + strconv.FormatUint(strindex.Fingerprint(), 10) + "\n"
	if !strings.Contains(text, h) {
		t.Fatal("prebuilt.bin records another hash: run go generate ./ner/gazetteer")
	}
	if _, err := parse(strings.Replace(text, h, "\nhash 1\n", 1), keys); err != errStale {
		t.Errorf("tables of another hash: %v, want errStale", err)
	}
	// one byte changed after the sum's line: not read
	b := []byte(text)
	b[len(b)-1] ^= 1
	if _, err := parse(string(b), keys); err == nil {
		t.Error("a damaged file read without error")
	}
}
