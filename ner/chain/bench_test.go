package chain

import (
	"context"
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
)

// BenchmarkCitations runs Citations over the texts of the development
// sets (read at run time from shared/eval beside the repository, never
// copied; skipped without them), one Refine a text as a chain does, with
// the anchored search (impl=anchored) and with the whole-text expression
// it replaced (impl=regexp): `benchstat -col /impl`.
func BenchmarkCitations(b *testing.B) {
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		docs := evaldata.Texts(evaldata.Path(set))
		if len(docs) == 0 {
			b.Skipf("no %s", set)
		}
		size := 0
		for _, d := range docs {
			size += len(d)
		}
		for _, impl := range []string{"anchored", "regexp"} {
			b.Run("set="+set[:len(set)-len("_dev.jsonl")]+"/impl="+impl, func(b *testing.B) {
				b.SetBytes(int64(size))
				for b.Loop() {
					for _, d := range docs {
						if impl == "regexp" {
							citationsReference(d)
							continue
						}
						if _, err := (Citations{}).Refine(context.Background(), d, nil); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
