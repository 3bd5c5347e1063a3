package prose

import (
	"bytes"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/jdkato/prose/v2"
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

// FuzzParseDecimal shows that parseDecimal reads every string as
// strconv.ParseFloat does: the same bits, an error for the same strings.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1.844", "-4.099", "0", "-0", "123456789012345", "1234567890123456", "0.000000000000001",
		".5", "5.", "1.2.3", "--1", "-", "", "1e5", "9007199254740993", "999999999999999.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseDecimal(s)
		want, wantErr := strconv.ParseFloat(s, 64)
		if (err != nil) != (wantErr != nil) || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseDecimal(%q) = %v, %v; ParseFloat: %v, %v", s, got, err, want, wantErr)
		}
	})
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
// by it: the classifier's feature count and the tagger's counts each
// would otherwise ask for a table of 2^50 entries (a panic, or memory
// the machine does not have).
func TestPrebuiltHugeCount(t *testing.T) {
	const huge = "1125899906842624"
	if _, err := parseClassifier(classifierMagic+"prose v0\nlabels 1\nA\nfeature bias "+huge+"\nx\t1\n", ""); err == nil {
		t.Error("a classifier with a huge feature count parses")
	}
	for _, tail := range []string{
		"classes " + huge + "\nNN\n",
		"classes 1\nNN\ntags " + huge + "\nw\tNN\n",
		"classes 1\nNN\ntags 0\nweights " + huge + "\nf\t1\n",
	} {
		if _, err := parseTagger(taggerMagic+"prose v0\nname t\n"+tail, ""); err == nil {
			t.Errorf("a tagger with a huge count parses: %q", tail)
		}
	}
}
