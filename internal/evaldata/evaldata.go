// Package evaldata reads the texts of the annotated development sets
// (shared/eval/data beside the repository, or beside a worktree's parent)
// for benchmarks. It reads them at run time and copies them nowhere: the
// data is not the project's to ship (shared/eval/README.md).
package evaldata

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Path returns the path of shared/eval/data/name found from the working
// directory or up to four folders above it, or "" when there is none.
func Path(name string) string {
	dir := "."
	for range 5 {
		p := filepath.Join(dir, "shared", "eval", "data", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		dir = filepath.Join(dir, "..")
	}
	return ""
}

// Texts returns the "text" of every line of the JSONL file at path (lines
// that do not parse, or have no text, are left out); nil when the file
// cannot be read.
func Texts(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var docs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var d struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &d) == nil && d.Text != "" {
			docs = append(docs, d.Text)
		}
	}
	return docs
}

// Bench returns the texts of the development set name (Path, Texts) and
// their size in bytes, for a benchmark's SetBytes; it skips tb when the
// set cannot be read (the sets are beside the repository, not in it).
func Bench(tb testing.TB, name string) (texts []string, size int) {
	tb.Helper()
	texts = Texts(Path(name))
	if len(texts) == 0 {
		tb.Skipf("no %s", name)
	}
	for _, t := range texts {
		size += len(t)
	}
	return texts, size
}

// Pieces returns docs cut in pieces of about n bytes on rune boundaries,
// as verify reads the sentences around replacements: every byte of docs
// is in exactly one piece, in order, and a piece ends at the first rune
// start at least n bytes after its own start (the cuts of the benchmarks'
// former copies, which lost the bytes of a piece that came out empty).
func Pieces(docs []string, n int) []string {
	var out []string
	for _, d := range docs {
		for start := 0; start < len(d); {
			j := min(len(d), start+n)
			for j < len(d) && d[j]&0xC0 == 0x80 {
				j++
			}
			out = append(out, d[start:j])
			start = j
		}
	}
	return out
}

// BenchDetect runs d over every text of each development set named in
// sets (Bench: skipped without them), whole and cut in 128-byte Pieces,
// as the sub-benchmarks "<set>/whole" and "<set>/window" ("tab_dev.jsonl"
// is "tab"); both report the bytes of the whole texts.
func BenchDetect(b *testing.B, d ner.Detector, sets ...string) {
	for _, set := range sets {
		for _, size := range []string{"whole", "window"} {
			b.Run(strings.TrimSuffix(set, "_dev.jsonl")+"/"+size, func(b *testing.B) {
				docs, n := Bench(b, set)
				if size == "window" {
					docs = Pieces(docs, 128)
				}
				b.SetBytes(int64(n))
				b.ReportAllocs()
				for b.Loop() {
					for _, text := range docs {
						if _, err := d.Detect(context.Background(), text); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
