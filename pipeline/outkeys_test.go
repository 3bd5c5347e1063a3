package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// A file of the output-name tests: its text carries a marker ("Note 3")
// that tells which file an output came from, and it names a person (in
// its name and text) or nobody.
type keyFile struct {
	key  string
	text string
}

// keyFiles makes the files of a test: a name with "Person-" in it names
// nobody, others name the person after their prefix ("notes_Zoe_Walker.txt"
// says "Session with Zoe Walker.").
func keyFiles(keys ...string) []keyFile {
	var fs []keyFile
	for i, k := range keys {
		text := fmt.Sprintf("Note %d: weekly note, nothing identifying.\n", i+1)
		if !strings.Contains(k, "Person-") {
			words := strings.Split(strings.TrimSuffix(k[strings.Index(k, "_")+1:], ".txt"), "_")
			text = fmt.Sprintf("Note %d: session with %s.\n", i+1, strings.Join(words, " "))
		}
		fs = append(fs, keyFile{k, text})
	}
	return fs
}

func (f keyFile) identifying() bool { return !strings.Contains(f.key, "Person-") }

func (f keyFile) marker() string { return f.text[:strings.Index(f.text, ":")+1] }

func writeKeyFiles(t *testing.T, files []keyFile) string {
	t.Helper()
	src := t.TempDir()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(src, f.key), []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// runShard runs shard s of src into out, as `veil run --shard` does, and
// returns the records.
func runShard(t *testing.T, src, out string, s pipeline.Shard) []report.File {
	t.Helper()
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	e.SetShard(s)
	rb, err := report.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	if err := pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 4, Shard: s}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rb.WriteJSON(&b, report.Meta{Started: time.Unix(0, 0), Finished: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	return records(t, b.Bytes())
}

func records(t *testing.T, reportJSON []byte) []report.File {
	t.Helper()
	var recs []report.File
	if _, _, err := report.Read(bytes.NewReader(reportJSON), func(f report.File) error { recs = append(recs, f); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs
}

// checkOutputs checks the outputs of files (recs[i] is the record of
// files[i]): every file is written, under a name of its own, with its own
// content; a name that names nobody stays as it is, and a redacted name is
// no source name and names nobody.
func checkOutputs(t *testing.T, all, files []keyFile, recs []report.File, out string) {
	t.Helper()
	if len(recs) != len(files) {
		t.Fatalf("%d records for %d files", len(recs), len(files))
	}
	inSource := map[string]bool{}
	for _, f := range all {
		inSource[f.key] = true
	}
	tree := readTree(t, out)
	seen := map[string]string{}
	for i, f := range files {
		r := recs[i]
		if r.Status != report.StatusRedacted && r.Status != report.StatusUnchanged {
			t.Errorf("%s: %s (%s %s)", f.key, r.Status, r.Reason, r.Detail)
			continue
		}
		if other, ok := seen[r.Key]; ok {
			t.Errorf("%s and %s are both written as %s", other, f.key, r.Key)
		}
		seen[r.Key] = f.key
		switch {
		case !f.identifying() && r.Key != f.key:
			t.Errorf("%s: written as %s; a name that names nobody keeps its name", f.key, r.Key)
		case f.identifying() && inSource[r.Key]:
			t.Errorf("%s: written under the source name %s", f.key, r.Key)
		case f.identifying() && strings.Contains(r.Key, "Walker"):
			t.Errorf("%s: name not redacted: %s", f.key, r.Key)
		}
		if got := string(tree[r.Key]); !strings.HasPrefix(got, f.marker()) {
			t.Errorf("%s: %s holds %q, want the file's own content (%s)", f.key, r.Key, got, f.marker())
		}
	}
	n := 0
	for k := range tree {
		if !strings.HasPrefix(k, "veil-report/") {
			n++
		}
	}
	if n != len(seen) {
		t.Errorf("%d files in DEST for %d distinct output names: %v", n, len(seen), keys(tree))
	}
}

// A name redacted to the name of another source file must not take it:
// that file keeps its name and its content, and the redacted one gets a
// number (review finding: one output overwrote the other, both reported
// as written).
func TestRedactedNameIsNoSourceName(t *testing.T) {
	for name, keys := range map[string][]string{
		// Walk order: the file that keeps its name comes first.
		"unchanged first": {"notes_Person-A.txt", "notes_Zoe_Walker.txt"},
		// The redacted one comes first.
		"redacted first": {"notes_Anna_Walker.txt", "notes_Person-A.txt"},
		// The first numbered name is a source name too.
		"numbered": {"notes_Anna_Walker.txt", "notes_Person-A-2.txt", "notes_Person-A.txt"},
	} {
		t.Run(name, func(t *testing.T) {
			files := keyFiles(keys...)
			out := t.TempDir()
			recs := runShard(t, writeKeyFiles(t, files), out, pipeline.Shard{})
			checkOutputs(t, files, files, recs, out)
			for _, r := range recs {
				t.Logf("%s %s", r.Status, r.Key)
			}
		})
	}
}

// prefixFor returns the first prefix "cN" for which every name (given as a
// suffix after the prefix) falls in the wanted shard of n.
func prefixFor(t *testing.T, n int, want map[string]int) string {
	t.Helper()
	for i := 0; i < 10000; i++ {
		p := fmt.Sprintf("c%d", i)
		ok := true
		for suffix, s := range want {
			ok = ok && (pipeline.Shard{I: s, N: n}).Has(p+suffix)
		}
		if ok {
			return p
		}
	}
	t.Fatal("no prefix puts the names in the wanted shards")
	return ""
}

// Shards cannot see each other's output names: a redacted name in one
// shard must still never be a name another shard writes, neither an
// unchanged source name nor a redacted one.
func TestShardsNeverShareAnOutputName(t *testing.T) {
	// Three shards: with two, FNV-1a mod 2 is the parity of the odd bytes of
	// a key, and one prefix could not put the names where they must go.
	const n = 3
	cases := map[string]map[string]int{
		// Shard 0 redacts to the name shard 1 keeps.
		"unchanged in another shard": {"_Zoe_Walker.txt": 0, "_Person-A.txt": 1},
		// Shard 0 redacts to x_Person-A-2.txt as it is, shard 1 to
		// x_Person-A.txt, which it must number.
		"numbered in another shard": {"_Zoe_Walker-2.txt": 0, "_Anna_Walker.txt": 1},
		// Both redact to x_Person-A.txt: each shard has its own aliases.
		"same name in two shards": {"_Zoe_Walker.txt": 1, "_Anna_Walker.txt": 2},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			p := prefixFor(t, n, want)
			var ks []string
			for suffix := range want {
				ks = append(ks, p+suffix)
			}
			sort.Strings(ks)
			all := keyFiles(ks...)
			src, out := writeKeyFiles(t, all), t.TempDir()
			var files []keyFile
			var recs []report.File
			for s := 0; s < n; s++ {
				sh := pipeline.Shard{I: s, N: n}
				for _, f := range all {
					if sh.Has(f.key) {
						files = append(files, f)
					}
				}
				rs := runShard(t, src, out, sh)
				for _, r := range rs {
					t.Logf("shard %d: %s %s", s, r.Status, r.Key)
				}
				recs = append(recs, rs...)
			}
			checkOutputs(t, all, files, recs, out)
		})
	}
}

// A run stopped after every possible number of files and resumed writes
// every file under a name of its own, as an uninterrupted run does: the
// resumed attempt reserves the redacted names written before, and keeps
// off the source names whether or not their files were done before.
func TestResumeKeepsOutputNamesApart(t *testing.T) {
	files := keyFiles("a_Anna_Walker.txt", "a_Person-A-2.txt", "a_Person-A.txt", "b_Person-B.txt", "b_Zoe_Walker.txt")
	src := writeKeyFiles(t, files)
	ref := t.TempDir()
	refRep := runAttempt(t, src, ref, "", 0)
	checkOutputs(t, files, files, records(t, refRep), ref)
	want := fmt.Sprint(treeOf(t, ref))
	for kill := 1; kill < len(files); kill++ {
		t.Run(fmt.Sprint(kill), func(t *testing.T) {
			out, st := t.TempDir(), t.TempDir()
			runAttempt(t, src, out, st, kill)
			got := runAttempt(t, src, out, st, 0)
			checkOutputs(t, files, files, records(t, got), out)
			if fmt.Sprint(treeOf(t, out)) != want || !bytes.Equal(got, refRep) {
				t.Fatalf("outputs or report differ from an uninterrupted run after a stop at %d", kill)
			}
		})
	}
}

// noExists is a source that cannot tell whether an object exists.
type noExists struct{ *storage.Local }

func (noExists) Exists(context.Context, string) (bool, error) {
	return false, errors.New("exists: permission denied")
}

// When the source cannot say whether a redacted name is taken, the file is
// not written (it could overwrite another), and the reason names no name.
func TestOutputNameCheckFailsClosed(t *testing.T) {
	files := keyFiles("notes_Person-A.txt", "notes_Zoe_Walker.txt")
	src, out := writeKeyFiles(t, files), t.TempDir()
	p, _ := profiles.Load("supervision")
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := report.NewBuilder()
	defer rb.Close()
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	if err := pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: noExists{source}, Sink: sink, Report: rb, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rb.WriteJSON(&b, report.Meta{})
	recs := records(t, b.Bytes())
	if len(recs) != 2 || recs[0].Status != report.StatusUnchanged || recs[1].Status != report.StatusQuarantined || recs[1].Reason != "read_error" {
		t.Fatalf("records %+v", recs)
	}
	if d := recs[1].Detail; !strings.Contains(d, "output name") || strings.Contains(d, "Walker") || strings.Contains(d, "notes") {
		t.Errorf("detail %q", d)
	}
	if got := readTree(t, out); len(got) != 1 || !strings.HasPrefix(string(got["notes_Person-A.txt"]), "Note 1:") {
		t.Errorf("outputs %v", keys(got))
	}
}
