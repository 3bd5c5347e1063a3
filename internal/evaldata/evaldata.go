// Package evaldata reads the texts of the annotated development sets
// (shared/eval/data beside the repository, or beside a worktree's parent)
// for benchmarks. It reads them at run time and copies them nowhere: the
// data is not the project's to ship (shared/eval/README.md).
package evaldata

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
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
