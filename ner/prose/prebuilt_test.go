package prose

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/jdkato/prose/v2"

	"github.com/veilhq/veil/internal/strindex"
)

// goModVersion returns the version of prose go.mod requires: a test
// binary's build information lists no modules.
func goModVersion(t *testing.T) string {
	t.Helper()
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
	return version
}

// write writes text to file.
func write(t *testing.T, file string, text []byte) {
	t.Helper()
	if err := os.WriteFile(file, text, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestClassifierPrebuilt shows that classifier.bin holds exactly the index
// newClassifier makes from prose's model, that a start reads it back
// unchanged, and that a file made from another version of prose is not
// read. With -update it writes the file.
func TestClassifierPrebuilt(t *testing.T) {
	version := goModVersion(t)
	built := loadClassifier()
	want := encodeClassifier(built, version)
	if *update {
		write(t, "classifier.bin", want)
		return
	}
	got := []byte(prebuiltClassifier)
	if !bytes.Equal(got, want) {
		t.Fatal("classifier.bin was not made from the linked version of prose: run go generate ./ner/prose")
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

// TestTaggerPrebuilt shows that tagger.bin holds exactly prose's tagger
// as prose loads it, that a start reads back the same maps into a model
// laid out as prose's, and that a file made from another version of
// prose is not read. With -update it writes the file.
// TestClassifyMatchesProse compares the tags of the model read with
// prose's own on a corpus.
func TestTaggerPrebuilt(t *testing.T) {
	if !taggerLayoutOK() {
		t.Fatal("prose.Model is not laid out as modelLayout")
	}
	version := goModVersion(t)
	loaded := proseTagger()
	want, err := encodeTagger(loaded, version)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		write(t, "tagger.bin", want)
		return
	}
	got := []byte(prebuiltTagger)
	if !bytes.Equal(got, want) {
		t.Fatal("tagger.bin was not made from the linked version of prose: run go generate ./ner/prose")
	}
	read, err := decodeTagger(prebuiltTagger)
	if err != nil {
		t.Fatal(err)
	}
	a, b := perceptronOf(read), perceptronOf(loaded)
	if read.Name != loaded.Name || !reflect.DeepEqual(a.classes, b.classes) || !reflect.DeepEqual(a.tagMap, b.tagMap) ||
		!reflect.DeepEqual(a.weights, b.weights) || a.stamps == nil || a.totals == nil {
		t.Fatal("the tagger read differs from prose's")
	}
	if _, err := parseTagger(string(got), version+"-other"); err != errOtherProse {
		t.Errorf("a file of another version: %v, want errOtherProse", err)
	}
	for _, cut := range []int{10, len(got) / 2, len(got) - 1} {
		if _, err := parseTagger(string(got[:cut]), version); err == nil {
			t.Errorf("a file cut at %d of %d bytes read without error", cut, len(got))
		}
	}
	// The layout check fails on a type laid out otherwise.
	type other struct {
		Name   string
		tagger *struct{ model *int }
		x      unsafe.Pointer
	}
	if sameLayout(reflect.TypeOf(prose.Model{}), reflect.TypeOf(other{})) {
		t.Error("sameLayout accepts another layout")
	}
}

// BenchmarkDecodeTagger measures reading tagger.bin into the tagger
// detection uses (the tagger's part of a start).
func BenchmarkDecodeTagger(b *testing.B) {
	for b.Loop() {
		if _, err := parsePOSTagger(prebuiltTagger, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// A count larger than the text left is refused before anything is sized
// by it: the classifier's and the tagger's counts each would otherwise
// ask for a table of 2^50 entries (a panic, or memory the machine does
// not have). The bodies are read directly: parse refuses them earlier,
// at the sum.
func TestPrebuiltHugeCount(t *testing.T) {
	const huge = "1125899906842624"
	hugeVarint := string(binary.AppendUvarint(nil, 1<<50))
	bad := errors.New("bad")
	for _, body := range []string{
		"labels 1\nA\nweights " + huge + "\n",
		"labels 1\nA\nweights 1\n\x04bias" + hugeVarint + "\x40" + strings.Repeat("\x00", 20),
		"labels 1\nA\nweights 1\n\x04bias\x01" + hugeVarint + strings.Repeat("\x00", 20),
	} {
		if _, err := parseClassifierBody(&lineReader{rest: body}, bad); err == nil {
			t.Errorf("a classifier with a huge count parses: %q", body)
		}
	}
	for _, body := range []string{
		"classes " + huge + "\nNN\n",
		"classes 1\nNN\nweights " + huge + "\n",
		"classes 1\nNN\nweights 0\n" + hugeVarint + "\x40" + strings.Repeat("\x00", 20),
		"classes 1\nNN\nweights 0\n\x00\x40" + strings.Repeat("\x00", 8) + hugeVarint + "\x40" + strings.Repeat("\x00", 20),
	} {
		if err := readTaggerBody(&lineReader{rest: body}, mapTagger(), bad); err == nil {
			t.Errorf("a tagger with a huge count parses: %q", body)
		}
	}
}

// mapTagger is a taggerReader that fills maps (as parseTagger), for the
// tests.
func mapTagger() taggerReader {
	tags, weights := map[string]string{}, map[string]map[string]float64{}
	var cur map[string]float64
	return taggerReader{
		classes:   func(int) {},
		class:     func(string) {},
		tags:      func(int) {},
		tag:       func(w, t string) { tags[w] = t },
		tagSlots:  func([]uint32) {},
		feats:     func(int, int) {},
		feature:   func(f string, _ int) { cur = map[string]float64{}; weights[f] = cur },
		weight:    func(_ int, c string, w float64) { cur[c] = w },
		featSlots: func([]uint32) {},
	}
}

// FuzzPrebuilt shows that the readers of classifier.bin and tagger.bin
// never panic on a damaged file (they read counts, lengths and slots from
// it), and that what they accept can be looked up. The bodies are fuzzed
// directly: a fuzzer would not get past the sum. The slots they read are
// trusted (the sum and TestClassifierPrebuilt, TestTaggerPrebuilt see to
// them).
func FuzzPrebuilt(f *testing.F) {
	cut := func(s, from string) string {
		i := strings.Index(s, from)
		if i < 0 {
			return ""
		}
		return s[i : i+min(len(s)-i, 3000)]
	}
	f.Add(cut(prebuiltClassifier, "labels "), true)
	f.Add(cut(prebuiltTagger, "classes "), false)
	f.Add("labels 1\nA\nweights 1\n\x04bias\x01\x40\x01a\x01\x00"+strings.Repeat("\x00", 8)+string(strindex.AppendBitmap(nil, []uint32{3}, 64)), true)
	f.Add("classes 1\nNN\nweights 1\n\x01\x40\x01w\x02NN"+string(strindex.AppendBitmap(nil, []uint32{9}, 64))+
		"\x01\x40\x01f\x01\x00"+strings.Repeat("\x01", 8)+string(strindex.AppendBitmap(nil, []uint32{63}, 64)), false)
	bad := errors.New("bad")
	f.Fuzz(func(t *testing.T, body string, classifier bool) {
		if classifier {
			c, err := parseClassifierBody(&lineReader{rest: body}, bad)
			if err != nil {
				return
			}
			for fi, x := range c.values {
				for i := range x.Len() {
					c.lookup(fi, x.Key(i))
				}
			}
			return
		}
		var pt posTagger
		var words, feats []string
		to := mapTagger()
		to.tag = func(w, _ string) { words = append(words, w) }
		to.feature = func(f string, _ int) { feats = append(feats, f) }
		to.weight = func(int, string, float64) {}
		to.tagSlots = func(s []uint32) {
			pt.words = strindex.New(0)
			for _, w := range words {
				pt.words.Push(w)
			}
			if !pt.words.PlaceAt(s) {
				t.Fatal("PlaceAt refused the slots readTaggerBody accepted")
			}
		}
		to.featSlots = func(s []uint32) {
			pt.feats = strindex.New(0)
			for _, f := range feats {
				pt.feats.Push(f)
			}
			if !pt.feats.PlaceAt(s) {
				t.Fatal("PlaceAt refused the slots readTaggerBody accepted")
			}
		}
		if err := readTaggerBody(&lineReader{rest: body}, to, bad); err != nil {
			return
		}
		for _, w := range words {
			pt.words.Get(w)
		}
		for _, f := range feats {
			pt.feats.Get(f)
		}
	})
}
