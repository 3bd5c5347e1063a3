package model

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt")

func loadShipped(t testing.TB) *Model {
	t.Helper()
	m, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestShippedLoads(t *testing.T) {
	m := loadShipped(t)
	if !strings.HasPrefix(m.Version, "veil-ner-1 ") || m.Bits() < 10 {
		t.Fatalf("version %q, %d bits", m.Version, m.Bits())
	}
	// the shipped weights are scripts/train's: its sources, seed, results
	// tables and bags
	if m.Version != "veil-ner-1 synth+tab seed 1 rich-tables bags 3" {
		t.Errorf("shipped weights %q are not the recipe's (scripts/train: synth+tab, seed 1, -richparts tables, -bags 3)", m.Version)
	}
	want, err := os.ReadFile("data/model.sha256")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(shipped)
	if got := hex.EncodeToString(sum[:]); got != strings.TrimSpace(string(want)) {
		t.Errorf("embedded weights sha256 %s, scripts/train recorded %s: run scripts/train", got, want)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := loadShipped(t)
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Version != m.Version || m2.A != m.A || m2.B != m.B || !bytes.Equal(int8s(m2.w), int8s(m.w)) {
		t.Fatal("round trip changed the model")
	}
	if _, err := Decode(strings.NewReader("not a model")); err == nil {
		t.Fatal("Decode accepted garbage")
	}
}

func int8s(w []int8) []byte {
	b := make([]byte, len(w))
	for i, v := range w {
		b[i] = byte(v)
	}
	return b
}

// Invented sentences of the kinds Veil reads; the golden file records what
// the shipped model finds in them (go test -update after retraining, and
// look at every change).
var goldenTexts = []string{
	"Pt seen by Dr. Marguerite Okonkwo-Hale this morning; wife Rosalind called at noon.",
	"NEURO: A+OX3. DR. VANTERPOOL AWARE OF LOW UO. SON TOBIAS AT BEDSIDE.",
	"pt's daughter evangelina kowalczyk called, updated on plan. lasix 20mg iv pushed.",
	"The applicant, Mr Teodor Brankovski, born in 1957, now lives in Plovdiv.",
	"Name: Hiroko Tanabe-Lindqvist\nEmergency contact: Eero Mäntyranta (brother)\nEmployer: Quillfeather Logistics Ltd",
	"Sincerely,\nAnneliese Grünwald\nGrünwald & Partners LLP",
	"Heparin gtt at 700u/hr, ptt 62. Foley patent, urine amber.",
}

func TestGolden(t *testing.T) {
	var b strings.Builder
	for _, text := range goldenTexts {
		fs, err := Detector{}.Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		ner.Sort(fs)
		fmt.Fprintf(&b, "%s\n", text)
		for _, f := range fs {
			fmt.Fprintf(&b, "\t%s %q %.2f\n", f.Entity, text[f.Start:f.End], f.Score)
		}
	}
	const path = "testdata/golden.txt"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("findings differ from %s (go test -update, then review the diff):\n%s", path, b.String())
	}
}

func TestDeterministicAndConcurrent(t *testing.T) {
	text := strings.Join(goldenTexts, "\n\n")
	first, err := Detector{}.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fs, _ := Detector{}.Detect(context.Background(), text)
			if fmt.Sprint(fs) != fmt.Sprint(first) {
				errs <- "different findings on the same text"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := loadShipped(t).Tag(ctx, strings.Repeat("word ", 10000)); err == nil {
		t.Fatal("Tag ignored a done context")
	}
}

func FuzzDetectOffsets(f *testing.F) {
	for _, s := range goldenTexts {
		f.Add(s)
	}
	f.Add("Ł\u0301óźwa\u00a0O’Varrick — 'x' \x00\xff")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		fs, err := Detector{}.Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Start < 0 || f.Start >= f.End || f.End > len(text) || !utf8.RuneStart(text[f.Start]) ||
				f.End < len(text) && !utf8.RuneStart(text[f.End]) || f.Score < 0 || f.Score > 1 || !f.Entity.Valid() {
				t.Fatalf("finding %v breaks the Finding contract", f)
			}
		}
	})
}

// TestLinearTime checks that tagging 8n bytes costs about 8 times tagging
// n bytes (not 64): a complexity ratio in CPU time (internal/complexity),
// not a timing target.
func TestLinearTime(t *testing.T) {
	m := loadShipped(t)
	unit := strings.Join(goldenTexts, "\n") + "\n"
	complexity.Assert(t, 100*len(unit), func(n int) string { return strings.Repeat(unit, n/len(unit)) },
		func(s string) { m.Tag(context.Background(), s) })
}

// BenchmarkTag measures Tag as a chain calls it: the text's words were
// split and looked up by the passes before it (ner.WithShared).
func BenchmarkTag(b *testing.B) {
	m := loadShipped(b)
	text := strings.Repeat(strings.Join(goldenTexts, "\n")+"\n", 200)
	ctx := ner.WithShared(context.Background(), text)
	gazetteer.WordsOf(ctx, text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Tag(ctx, text)
	}
}

// BenchmarkTagDocs is BenchmarkTag over the texts of the files of the
// folder $VEIL_TAG_DOCS, one Tag call each (short documents, where a word
// recurs less than in one long text); skipped when it is not set:
//
//	VEIL_TAG_DOCS=/path/to/texts go test ./ner/model -run '^$' -bench TagDocs
func BenchmarkTagDocs(b *testing.B) {
	dir := os.Getenv("VEIL_TAG_DOCS")
	if dir == "" {
		b.Skip("VEIL_TAG_DOCS not set")
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	m := loadShipped(b)
	var texts []string
	var ctxs []context.Context
	size := 0
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || e.IsDir() {
			continue
		}
		text := string(data)
		ctx := ner.WithShared(context.Background(), text)
		gazetteer.WordsOf(ctx, text)
		texts, ctxs = append(texts, text), append(ctxs, ctx)
		size += len(text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, text := range texts {
			m.Tag(ctxs[k], text)
		}
	}
}

// BenchmarkTagVaried is BenchmarkTag on text whose words recur less: 400
// invented texts of random words, casings and punctuation.
func BenchmarkTagVaried(b *testing.B) {
	m := loadShipped(b)
	text := strings.Join(tagCorpus(rand.New(rand.NewSource(7)), 400), "\n")
	ctx := ner.WithShared(context.Background(), text)
	gazetteer.WordsOf(ctx, text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Tag(ctx, text)
	}
}

// TestTokenizeInSameAsTokenize: the tokens of a chain's pass, whose ASCII
// words take their list flags from the chain's words, equal Tokenize's.
func TestTokenizeInSameAsTokenize(t *testing.T) {
	for _, text := range []string{
		"Orsolya Quillanby, born 3 March 1961 in Tartu, saw Dr Everard.",
		"Tamsin\u00adEverard and O’Dara-Quillanby met ﬁnn in Tärnowa; ＡＢＣ Lindqvist",
		"NAME: TAMSIN EVERARD\nAddress: 12 Harbour Road\n\nMs Quillanby (José) – 04/05",
		"Ѕmith аnd Jоnes", // Cyrillic look-alikes
		"",
	} {
		ctx := ner.WithShared(context.Background(), text)
		got, want := tokenizeIn(ctx, text), Tokenize(text)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: tokenizeIn differs from Tokenize", text)
		}
	}
}

// BenchmarkLoad measures decoding the shipped weights (issue 15: under a
// second).
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Decode(bytes.NewReader(shipped)); err != nil {
			b.Fatal(err)
		}
	}
}

var updateRaw = flag.Bool("update-raw", false, "write data/model.raw from data/model.bin.gz (go generate ./ner/model)")

// TestShippedRaw shows that data/model.raw is data/model.bin.gz inflated
// (with its size and CRC-32C, and the body's CRC-32C), that Shipped reads
// the same model from either, and that a model.raw made from another
// model.bin.gz, damaged anywhere, or with bytes after the weights, is not
// read. With -update-raw it writes the file.
func TestShippedRaw(t *testing.T) {
	want, err := rawOf(shipped)
	if err != nil {
		t.Fatal(err)
	}
	if *updateRaw {
		if err := os.WriteFile("data/model.raw", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if shippedRaw != string(want) {
		t.Fatal("data/model.raw was not made from data/model.bin.gz as it is: run go generate ./ner/model")
	}
	raw, err := parseRaw(shippedRaw, shipped)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := Decode(bytes.NewReader(shipped))
	if err != nil {
		t.Fatal(err)
	}
	if raw.Version != gz.Version || raw.bits != gz.bits || raw.scale != gz.scale || raw.A != gz.A || raw.B != gz.B ||
		!bytes.Equal(int8s(raw.w), int8s(gz.w)) {
		t.Fatal("model.raw and model.bin.gz give different models")
	}
	other := append([]byte(nil), shipped...)
	other[len(other)/2] ^= 1
	if _, err := parseRaw(shippedRaw, other); err == nil {
		t.Error("a model.raw of another model.bin.gz read")
	}
	for _, cut := range []int{0, len(rawMagic) + 40, len(shippedRaw) - 1} {
		if _, err := parseRaw(shippedRaw[:cut], shipped); err == nil {
			t.Errorf("model.raw cut at %d of %d bytes read", cut, len(shippedRaw))
		}
	}
	// a damaged body (a weight's byte, a header's) or bytes after the
	// weights: the record of model.bin.gz still matches, the body does not
	for _, at := range []int{len(shippedRaw) - 1, len(shippedRaw) / 2, rawHead + len(magic) + 3} {
		b := []byte(shippedRaw)
		b[at] ^= 0x10
		if _, err := parseRaw(string(b), shipped); err == nil {
			t.Errorf("model.raw with byte %d of %d changed read", at, len(b))
		}
	}
	if _, err := parseRaw(shippedRaw+"\x00", shipped); err == nil {
		t.Error("model.raw with a trailing byte read")
	}
	if _, err := parse(shippedRaw[rawHead:] + "\x00"); err == nil {
		t.Error("a model with a trailing byte parsed")
	}
}

// FuzzParse shows that parse, which reads a header's lengths and the
// weights' size from its input, never panics and accepts only what
// holds the whole model and nothing after it.
func FuzzParse(f *testing.F) {
	f.Add(shippedRaw[rawHead : rawHead+200])
	f.Add(magic + "\x03\x00abc\x0a\x09" + strings.Repeat("\x00", 12) + strings.Repeat("\x01", 9216))
	f.Add(magic + "\xff\xff")
	f.Fuzz(func(t *testing.T, b string) {
		m, err := parse(b)
		if err != nil {
			return
		}
		if len(m.w) != (1<<m.bits)*NumTags || len(b) < len(m.w) || !strings.HasSuffix(b, string(int8s(m.w))) {
			t.Fatalf("%d weights for %d bits from %d bytes", len(m.w), m.bits, len(b))
		}
	})
}
