package contact

import (
	"testing"

	"github.com/veilhq/veil/internal/evaldata"
)

// BenchmarkDev runs the contact detector over every text of the development
// sets (read at run time beside the repository, never copied; skipped
// without them), whole and cut in 128-byte windows:
//
//	go test ./ner/contact -run '^$' -bench Dev -count 5 -benchmem
func BenchmarkDev(b *testing.B) {
	evaldata.BenchDetect(b, New(), "tab_dev.jsonl", "deid_dev.jsonl")
}
