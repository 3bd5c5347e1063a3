package names

import (
	"context"
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
	"github.com/veilhq/veil/ner"
)

// devPieces returns docs cut in pieces of about n bytes on rune
// boundaries, as verify reads the sentences around replacements (the
// same cut as ner/pattern's BenchmarkDev).
func devPieces(docs []string, n int) []string {
	var out []string
	for _, d := range docs {
		for i := 0; i < len(d); i += n {
			j := min(len(d), i+n)
			for j < len(d) && d[j]&0xC0 == 0x80 {
				j++
			}
			for i < j && d[i]&0xC0 == 0x80 {
				i++
			}
			out = append(out, d[i:j])
		}
	}
	return out
}

// BenchmarkDev runs the name rules and maximum recall over every text of
// the development sets (read at run time beside the repository, never
// copied; skipped without them), whole and cut in 128-byte windows, with
// one shared word stream a text as a chain has:
//
//	go test ./ner/names -run '^$' -bench Dev -count 5 -benchmem
func BenchmarkDev(b *testing.B) {
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		for _, size := range []string{"whole", "window"} {
			b.Run(set[:len(set)-len("_dev.jsonl")]+"/"+size, func(b *testing.B) {
				docs, n := evaldata.Bench(b, set)
				if size == "window" {
					docs = devPieces(docs, 128)
				}
				b.SetBytes(int64(n))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					for _, text := range docs {
						ctx := ner.WithShared(context.Background(), text)
						fs, err := New().Detect(ctx, text)
						if err != nil {
							b.Fatal(err)
						}
						MaxRecallIn(ctx, text, fs, Judgement{KeepMeasurements: true})
					}
				}
			})
		}
	}
}
