package chain

import (
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
)

// BenchmarkWindows runs the supervision-like text chain over the
// judgments whole (tab/whole) and cut in 128-byte pieces (tab/window),
// as verify reads the sentences around replacements (the sub-benchmarks
// were size=whole and size=window before codefix36).
func BenchmarkWindows(b *testing.B) {
	evaldata.BenchDetect(b, Build(Config{Model: true, Tagger: true, Threshold: 0.5}).Text, "tab_dev.jsonl")
}
