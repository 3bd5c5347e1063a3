package names

import (
	"context"
	"reflect"
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// tokenizeReference is tokenize as it was before the classes came with
// the gazetteer's marks: classOf looked up for every word of the text.
func tokenizeReference(text string) []tok {
	ctx := ner.WithShared(context.Background(), text)
	ws, flags := gazetteer.WordsOf(ctx, text)
	marks := make([]uint64, len(ws))
	for i, w := range ws {
		marks[i] = uint64(classOf(w.Key))
	}
	return tokenizeWords(text, ws, flags, marks)
}

// tokensAgree checks that tokenize, in a text's first reading and in a
// later one (its words then found in the worker's cache of words seen),
// makes the tokens of tokenizeReference.
func tokensAgree(t *testing.T, text string) {
	t.Helper()
	want := tokenizeReference(text)
	for round := 0; round < 2; round++ {
		got := tokenize(ner.WithShared(context.Background(), text), text)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("round %d, word %d %q: %+v, reference %+v", round, i, got[i].Key, got[i], want[i])
				}
			}
			t.Fatalf("round %d: %d tokens, reference %d", round, len(got), len(want))
		}
	}
}

// TestTokenMarks: the tokens' classes read from the gazetteer's marks
// are classOf of their keys, over the list words in three casings,
// generated texts and the development sets' texts when present.
func TestTokenMarks(t *testing.T) {
	for _, text := range classTexts() {
		tokensAgree(t, text)
	}
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		for _, text := range evaldata.Texts(evaldata.Path(set)) {
			tokensAgree(t, text)
		}
	}
}

func FuzzTokenMarks(f *testing.F) {
	for _, s := range []string{"Dr. Orsolya Quillanby of Tartu", "the Hospital", "İlkavar ǅemal ﬁnn Ｍｒ", "a  b\nC-D O'Neill", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { tokensAgree(t, text) })
}

// BenchmarkTokenize splits and classes the development sets' texts as a
// chain's first pass does (the words split and looked up in the pass):
// impl=marks takes the classes with the flags (tokenize), impl=reference
// looks every word up in classes again (tokenizeReference):
// `benchstat -col /impl`.
func BenchmarkTokenize(b *testing.B) {
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		docs, size := evaldata.Bench(b, set)
		for _, impl := range []string{"marks", "reference"} {
			b.Run("set="+set[:len(set)-len("_dev.jsonl")]+"/impl="+impl, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range docs {
						if impl == "reference" {
							tokenizeReference(d)
							continue
						}
						tokenize(ner.WithShared(context.Background(), d), d)
					}
				}
			})
		}
	}
}
