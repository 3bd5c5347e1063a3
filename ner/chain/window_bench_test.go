package chain

import (
	"context"
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
)

// BenchmarkWindows runs the supervision-like text chain over the
// judgments whole (size=whole) and cut in 128-byte pieces (size=window),
// as verify reads the sentences around replacements.
func BenchmarkWindows(b *testing.B) {
	docs, size := evaldata.Bench(b, "tab_dev.jsonl")
	c := Build(Config{Model: true, Tagger: true, Threshold: 0.5}).Text
	var wins []string
	for _, d := range docs {
		for i := 0; i < len(d); i += 128 {
			j := min(len(d), i+128)
			for j < len(d) && d[j]&0xC0 == 0x80 {
				j++
			}
			for i < j && d[i]&0xC0 == 0x80 {
				i++
			}
			wins = append(wins, d[i:j])
		}
	}
	for _, k := range []string{"whole", "window"} {
		in := docs
		if k == "window" {
			in = wins
		}
		b.Run("size="+k, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range in {
					if _, err := c.Detect(context.Background(), d); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
