package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

func TestParseShard(t *testing.T) {
	for in, want := range map[string]string{"0/1": "", "0/4": "0/4", "3/4": "3/4", "4/4": "err", "-1/4": "err", "1/0": "err", "a/b": "err", "2": "err"} {
		s, err := ParseShard(in)
		got := s.String()
		if err != nil {
			got = "err"
		}
		if got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// Every key is in exactly one shard, and the split is a fixed function of
// the key (shards on other machines must agree).
func TestShardPartition(t *testing.T) {
	counts := make([]int, 4)
	for i := 0; i < 4000; i++ {
		key := fmt.Sprintf("case-%05d/note.txt", i)
		n := 0
		for s := 0; s < 4; s++ {
			if (Shard{s, 4}).Has(key) {
				n++
				counts[s]++
			}
		}
		if n != 1 {
			t.Fatalf("%s in %d shards", key, n)
		}
	}
	for s, c := range counts {
		if c < 800 || c > 1200 {
			t.Errorf("shard %d has %d of 4000 keys", s, c)
		}
	}
	// FNV-1a 64 of "a.txt" is 0x7ed582b5571bbd5a (2 mod 4): the split must
	// never change, or a resumed shard would skip or redo others' objects.
	if !(Shard{2, 4}).Has("a.txt") || !(Shard{0, 1}).Has("a.txt") {
		t.Error("the key-to-shard function changed")
	}
}

// Shards hand out redacted names without seeing each other's: no name
// may come from two shards, also when one shard's name as it is ("x-2.md",
// from "x_Zoe-2.md") is a numbered name of another's ("x.md" numbered).
func TestUniqueKeysPerShard(t *testing.T) {
	seen := map[string]int{}
	for s := 0; s < 3; s++ {
		o := outputNames{shard: Shard{s, 3}}
		var got []string
		for _, key := range []string{"d/intake_PERSON.md", "d/intake_PERSON.md", "d/intake_PERSON.md", "x.md", "x-2.md", "x-3.md"} {
			k, err := o.unique(key, nil)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, k)
			if other, ok := seen[k]; ok {
				t.Fatalf("shards %d and %d both hand out %s", other, s, k)
			}
			seen[k] = s
		}
		t.Logf("shard %d: %v", s, got)
	}
	var o outputNames
	got := ""
	for i := 0; i < 3; i++ {
		k, _ := o.unique("x.md", nil)
		got += k + " "
	}
	if got != "x.md x-2.md x-3.md " {
		t.Fatalf("unsharded: %s", got)
	}
}

// A redacted name skips the names of source objects, and a failed check
// hands out nothing.
func TestUniqueKeysSkipSourceNames(t *testing.T) {
	inSource := func(k string) (bool, error) { return k == "x.md" || k == "x-2.md", nil }
	var o outputNames
	if k, err := o.unique("x.md", inSource); k != "x-3.md" || err != nil {
		t.Fatalf("got %s, %v", k, err)
	}
	if k, err := o.unique("x.md", inSource); k != "x-4.md" || err != nil {
		t.Fatalf("got %s, %v", k, err)
	}
	broken := errors.New("store broke")
	_, err := o.unique("y.md", func(string) (bool, error) { return false, broken })
	if !errors.Is(err, redactors.ErrRead) || !strings.Contains(err.Error(), "store broke") {
		t.Fatalf("err %v", err)
	}
	if k, _ := o.unique("y.md", nil); k != "y.md" {
		t.Fatalf("a name whose check failed was marked used: %s", k)
	}
}

// down is a store that is unreachable for writes.
type down struct {
	*storage.Local
	puts atomic.Int64
}

func (d *down) Put(ctx context.Context, key string, r io.Reader, size int64, ct string) error {
	d.puts.Add(1)
	return fmt.Errorf("s3 put: cannot reach the server: %w", storage.ErrUnavailable)
}

func TestRunStopsWhenStorageUnavailable(t *testing.T) {
	old := RetryBackoff
	RetryBackoff = time.Millisecond
	defer func() { RetryBackoff = old }()
	src, _ := storage.NewLocal(t.TempDir())
	for i := 0; i < 50; i++ {
		src.Put(context.Background(), fmt.Sprintf("n%02d.txt", i), strings.NewReader("Client Maria Sandoval.\n"), -1, "")
	}
	out, _ := storage.NewLocal(t.TempDir())
	sink := &down{Local: out}
	p, _ := profiles.Load("court")
	e, _ := NewEngine(Options{Profile: p, NoNER: true})
	rb, _ := report.NewBuilder()
	defer rb.Close()
	err := Run(context.Background(), RunConfig{Engine: e, Source: src, Sink: sink, Report: rb, Workers: 2, Retries: 2})
	if err == nil || !errors.Is(err, storage.ErrUnavailable) || !strings.Contains(err.Error(), "unavailable after 3 tries") {
		t.Fatalf("err %v", err)
	}
	if sink.puts.Load() > 20 {
		t.Fatalf("%d puts: the run went on after the store was gone", sink.puts.Load())
	}
}

// typed is a store whose reader says the stored content type.
type typed struct{ *storage.Local }

type typedReader struct{ io.ReadCloser }

func (typedReader) ContentType() string { return "text/x-case-note" }

func (s typed) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	rc, err := s.Local.Open(ctx, key)
	return typedReader{rc}, err
}

type recordingSink struct {
	*storage.Local
	ctypes map[string]string
}

func (s *recordingSink) Put(ctx context.Context, key string, r io.Reader, size int64, ct string) error {
	s.ctypes[key] = ct
	return s.Local.Put(ctx, key, r, size, ct)
}

func TestContentTypeKept(t *testing.T) {
	src, _ := storage.NewLocal(t.TempDir())
	src.Put(context.Background(), "a.txt", bytes.NewReader([]byte("x\n")), 2, "")
	out, _ := storage.NewLocal(t.TempDir())
	sink := &recordingSink{out, map[string]string{}}
	p, _ := profiles.Load("court")
	e, _ := NewEngine(Options{Profile: p, NoNER: true})
	rb, _ := report.NewBuilder()
	defer rb.Close()
	if err := Run(context.Background(), RunConfig{Engine: e, Source: typed{src}, Sink: sink, Report: rb}); err != nil {
		t.Fatal(err)
	}
	if sink.ctypes["a.txt"] != "text/x-case-note" {
		t.Fatalf("content type %q", sink.ctypes["a.txt"])
	}
}

// tattling is a source whose read errors name the object, as OS and
// library errors do ("read /data/intake_Maria_Sandoval.txt: input/output
// error").
type tattling struct{ *storage.Local }

type failingReader struct{ key string }

func (r failingReader) Read([]byte) (int, error) {
	return 0, fmt.Errorf("read /data/%s: input/output error", r.key)
}
func (failingReader) Close() error { return nil }

func (s tattling) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return failingReader{key}, nil
}

// TestErrorsNamingTheFileAreScrubbed checks the second line of defence:
// an error text that names the original file does not bring the name into
// the report (the first line is that errors are built without keys).
func TestErrorsNamingTheFileAreScrubbed(t *testing.T) {
	src, _ := storage.NewLocal(t.TempDir())
	src.Put(context.Background(), "Maria_Sandoval/intake_Maria_Sandoval.txt", strings.NewReader("Client Maria Sandoval.\n"), -1, "")
	out, _ := storage.NewLocal(t.TempDir())
	p, _ := profiles.Load("supervision")
	e, _ := NewEngine(Options{Profile: p, NoNER: true})
	rb, _ := report.NewBuilder()
	defer rb.Close()
	Run(context.Background(), RunConfig{Engine: e, Source: tattling{src}, Sink: out, Report: rb, Workers: 1, Retries: -1})
	var buf bytes.Buffer
	if err := rb.WriteJSON(&buf, report.Meta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "input/output error") {
		t.Fatalf("the read error is not in the report:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "Sandoval") {
		t.Errorf("the report names the file:\n%s", buf.String())
	}
}
