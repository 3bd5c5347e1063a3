package state_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/state"
	"github.com/veilhq/veil/pipeline/storage"
)

// FuzzJournal replaces a journal segment with arbitrary bytes: resuming must
// return an error or a ledger, never panic, and Done must answer.
func FuzzJournal(f *testing.F) {
	f.Add([]byte(`{"key":"a.txt","etag":"e1","size":1,"rec":{"key":"out-a.txt","status":"redacted","bytes":1}}` + "\n"))
	f.Add([]byte("{\n"))
	f.Add([]byte(`{"key":"zz","rec":{"key":"x","key_redacted":true},"mark":{}}` + "\n" + `{"case":"AAAA"}` + "\n"))
	f.Fuzz(func(t *testing.T, seg []byte) {
		ctx := context.Background()
		dir := t.TempDir()
		st, _ := storage.NewLocal(dir)
		l, err := state.Open(ctx, st, run1, false)
		if err != nil {
			t.Fatal(err)
		}
		o := storage.Object{Key: "a.txt", ETag: "e1", Size: 1}
		if err := l.Finish(ctx, o, report.File{Key: "out-a.txt", Status: report.StatusRedacted}, pipeline.PlanMark{}); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		// Overwrite every journal segment (not the manifest).
		n := 0
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.Contains(d.Name(), "manifest") {
				n++
				os.WriteFile(p, seg, 0o600)
			}
			return nil
		})
		if n == 0 {
			t.Fatal("no journal segment written")
		}
		l2, err := state.Open(ctx, st, run1, true)
		if err != nil {
			return
		}
		defer l2.Close()
		l2.Done(ctx, o)
		l2.Done(ctx, storage.Object{Key: "b.txt", ETag: "e", Size: 2})
	})
}
