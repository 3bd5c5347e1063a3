package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/veilhq/veil/pipeline/storage"
)

// The file-system cost of one small file, as a run pays it: open and read
// a 3 kB source file, and put a 3 kB output (temporary file and rename,
// durability left to a batch sync as `veil run` does). Compare with
// benchstat; run with -cpu 1.
func BenchmarkLocalReadFile(b *testing.B) {
	dir := b.TempDir()
	body := bytes.Repeat([]byte("Tamsin Everard, MRN 48213907.\n"), 100)
	const n = 256
	for i := 0; i < n; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.txt", i)), body, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	l, _ := storage.NewLocal(dir)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rc, err := l.Open(ctx, fmt.Sprintf("%03d.txt", i%n))
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 0, len(body)+1)
		for {
			m, err := rc.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+m]
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		rc.Close()
		if len(buf) != len(body) {
			b.Fatalf("read %d bytes", len(buf))
		}
	}
}

func BenchmarkLocalPut(b *testing.B) {
	b.Run("new", func(b *testing.B) { benchPut(b, 1<<30) })
	b.Run("replace", func(b *testing.B) { benchPut(b, 256) })
}

// benchPut puts b.N files under keys that repeat every n.
func benchPut(b *testing.B, n int) {
	l, _ := storage.NewLocal(b.TempDir())
	l.DeferSync()
	body := bytes.Repeat([]byte("Tamsin Everard, MRN 48213907.\n"), 100)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := l.Put(ctx, fmt.Sprintf("out/%03d.txt", i%n), bytes.NewReader(body), int64(len(body)), ""); err != nil {
			b.Fatal(err)
		}
	}
}
