package chain

import (
	"context"
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
	"github.com/veilhq/veil/ner"
)

// BenchmarkCitations runs Citations over the texts of the development
// sets (read at run time from shared/eval beside the repository, never
// copied; skipped without them), one Refine a text as a chain does, with
// the anchored search (impl=anchored) and with the whole-text expression
// it replaced (impl=regexp): `benchstat -col /impl`.
func BenchmarkCitations(b *testing.B) {
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		docs, size := evaldata.Bench(b, set)
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

// BenchmarkCareUnits runs CareUnits over the development sets' texts as
// a chain does, the text's words already split by the passes before it
// (impl=shared), and careUnitsReference, which splits each unit line
// again (impl=reference): `benchstat -col /impl`.
func BenchmarkCareUnits(b *testing.B) {
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		docs, size := evaldata.Bench(b, set)
		ctxs := make([]context.Context, len(docs))
		for i, d := range docs {
			ctxs[i] = ner.WithShared(context.Background(), d)
			ner.SharedWords(ctxs[i], d)
		}
		for _, impl := range []string{"shared", "reference"} {
			b.Run("set="+set[:len(set)-len("_dev.jsonl")]+"/impl="+impl, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					for i, d := range docs {
						if impl == "reference" {
							careUnitsReference(d, nil)
							continue
						}
						if _, err := (CareUnits{}).Refine(ctxs[i], d, nil); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// BenchmarkContinuations runs LabelNames and Continuations over the
// development sets' texts with the findings of the chain's detectors,
// as the text chain does (impl=refiners), beside the detectors
// themselves (impl=detectors), to show the passes' share of detection.
func BenchmarkContinuations(b *testing.B) {
	for _, set := range []string{"tab_dev.jsonl", "deid_dev.jsonl"} {
		docs, size := evaldata.Bench(b, set)
		s := Build(Config{})
		found := make([][]ner.Finding, len(docs))
		for i, d := range docs {
			fs, err := ner.Multi(s.Verify.Detectors()).Detect(context.Background(), d)
			if err != nil {
				b.Fatal(err)
			}
			found[i] = fs
		}
		for _, impl := range []string{"refiners", "detectors"} {
			b.Run("set="+set[:len(set)-len("_dev.jsonl")]+"/impl="+impl, func(b *testing.B) {
				b.SetBytes(int64(size))
				for b.Loop() {
					for i, d := range docs {
						if impl == "detectors" {
							if _, err := ner.Multi(s.Verify.Detectors()).Detect(context.Background(), d); err != nil {
								b.Fatal(err)
							}
							continue
						}
						fs, _ := LabelNames{}.Refine(context.Background(), d, found[i])
						if _, err := (Continuations{}).Refine(context.Background(), d, fs); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
