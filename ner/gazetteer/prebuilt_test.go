package gazetteer

import (
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner/lexicon"
)

var update = flag.Bool("update", false, "write prebuilt.bin.s2 and prebuilt-keys.bin from the lists (go generate ./ner/gazetteer)")

// TestPrebuilt shows that prebuilt.bin.s2 and prebuilt-keys.bin hold
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
		z, err := compressPrebuilt(want)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("prebuilt.bin.s2", z, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("prebuilt-keys.bin", wantKeys, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	prebuilt, keys := prebuiltText()
	if prebuilt != string(want) || keys != string(wantKeys) {
		t.Fatal("prebuilt.bin.s2 and prebuilt-keys.bin were not made from the lists as they are: run go generate ./ner/gazetteer")
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
		t.Skip("prebuilt.bin.s2 is stale; TestPrebuilt says so")
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
// lengths and offsets from it) and that what it accepts answers lookups.
func FuzzParse(f *testing.F) {
	text, keys := prebuiltText()
	digest, _ := lexicon.Digest(sources...)
	head := magic + "sources " + digest + "\ncounts 1 1 1 1 1\n"
	sum := func(k string) string { return strconv.FormatUint(uint64(keysSum(k)), 10) }
	f.Add(head+"keys 2 5 "+sum("abcde")+"\n\x01\x02\x02\x03\nplaces 1\n1ab\n", "abcde")
	f.Add(head+"keys 2 5 "+sum("abcde")+"\n\x01\x02\x02\x04\nplaces 0\n", "abcde")
	f.Add(head+"keys 1 3 "+sum("abc")+"\n\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\nplaces 0\n", "abc")
	f.Add(head+"keys 0 0 "+sum("")+"\n\nplaces 0\n", "")
	f.Add(head+"keys 9223372036854775807 9223372036854775807 0\n\x01\x02\nplaces 0\n", "ab")
	f.Add(head+"keys 2 2 "+sum("ab")+"\n\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x03\nplaces 0\n", "ab")
	if i := strings.Index(text, "keys "); i > 0 {
		f.Add(text[:min(len(text), i+200)], keys[:min(len(keys), 200)])
	}
	f.Fuzz(func(t *testing.T, s, k string) {
		d, err := parse(s, k)
		if err != nil {
			return
		}
		first := map[string]Flags{} // a damaged file may repeat a key: the first is found
		d.flags.each(func(k string, fl Flags) {
			if _, ok := first[k]; !ok {
				first[k] = fl
			}
		})
		for k, fl := range first {
			if got := d.flags.get(k); got != fl {
				t.Fatalf("flags of a key read back: %b, want %b", got, fl)
			}
		}
	})
}

// maxTrackedFile is the project's limit on a tracked file's size.
const maxTrackedFile = 5_000_000

// TestPrebuiltSize keeps each generated file under the project's limit
// on a tracked file (5,000,000 bytes), which a longer list can pass
// without any other test noticing.
func TestPrebuiltSize(t *testing.T) {
	for _, name := range []string{"prebuilt.bin.s2", "prebuilt-keys.bin"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() >= maxTrackedFile {
			t.Errorf("%s is %d bytes, over the %d-byte limit on a tracked file: "+
				"shrink the lists under ner/lexicon or split or compress the table "+
				"(see the package comment in prebuilt.go), then go generate ./ner/gazetteer",
				name, fi.Size(), maxTrackedFile)
		}
	}
}
