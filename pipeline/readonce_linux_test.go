package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A file rewritten between the passes with the same size, whose
// modification time is then set back (a copy tool, a coarse clock), is
// read again too: the local fingerprint holds the inode's change time,
// which no process can set back. Its output is the redaction of the new
// text, never of the bytes the first pass read.
func TestRunReadsAgainAFileRewrittenWithItsOldModTime(t *testing.T) {
	src := writeReadOnceFiles(t)
	p := filepath.Join(src, "a", "letter.txt")
	old := readOnceFiles["a/letter.txt"]
	changed := "Dear counsel,\n\nThe hearing moved.  Tamsin Everard: SSN 611-38-2045.\n"
	changed += strings.Repeat(" ", len(old)-len(changed))
	if len(changed) != len(old) {
		t.Fatalf("the new text has %d bytes, want %d", len(changed), len(old))
	}
	source, _, out := runCounting(t, src, 0, func(n int) {
		if n != 2 {
			return
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Error(err)
			return
		}
		if err := os.WriteFile(p, []byte(changed), 0o600); err != nil {
			t.Error(err)
		}
		// set back the modification time; the change time becomes now,
		// on the kernel's coarse clock: set it again until that clock has
		// ticked since the listing (a rewrite within one tick is not seen)
		for i := 0; ; i++ {
			if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
				t.Error(err)
				return
			}
			now, err := os.Stat(p)
			if err != nil {
				t.Error(err)
				return
			}
			if now.Sys().(*syscall.Stat_t).Ctim != info.Sys().(*syscall.Stat_t).Ctim || i == 1e6 {
				break
			}
		}
		after, err := os.Stat(p)
		if err != nil || after.Size() != info.Size() || !after.ModTime().Equal(info.ModTime()) {
			t.Errorf("the rewrite did not keep the size and modification time: %v", err)
		}
	})
	if n := source.opens["a/letter.txt"]; n != 2 {
		t.Errorf("the rewritten file was opened %d times, want 2", n)
	}
	b, err := os.ReadFile(filepath.Join(out, "a", "letter.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "The hearing moved.") || strings.Contains(string(b), "611-38") || strings.Contains(string(b), "536-21") {
		t.Errorf("output is not the redacted new content:\n%s", b)
	}
}

// A FIFO in the source (what the listing says is not a regular file) is
// never opened, by either pass, and nothing is written for it.
func TestRunNeverOpensAFIFO(t *testing.T) {
	src := writeReadOnceFiles(t)
	if err := syscall.Mkfifo(filepath.Join(src, "a", "pipe.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	source, sink, out := runCounting(t, src, 0, nil)
	if n := source.opens["a/pipe.txt"]; n != 0 {
		t.Errorf("the FIFO was opened %d times", n)
	}
	if n := sink.puts["a/pipe.txt"]; n != 0 {
		t.Errorf("the FIFO was written %d times", n)
	}
	if _, err := os.Lstat(filepath.Join(out, "a", "pipe.txt")); !os.IsNotExist(err) {
		t.Errorf("an output for the FIFO: %v", err)
	}
	if n := source.opens["a/letter.txt"]; n != 1 {
		t.Errorf("a regular file beside it was opened %d times, want 1", n)
	}
}
