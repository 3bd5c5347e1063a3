package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/pipeline/storage/s3/s3test"
)

// hostileLine is a one-line text of about n bytes that repeats a sentence
// with a client's name, a phone number and a date: tens of thousands of
// findings per megabyte, slow to detect, plan and verify.
func hostileLine(n int) []byte {
	s := "Client Maria Sandoval called (503) 555-0147 on March 3, 2024 about her son Tomas. "
	return bytes.Repeat([]byte(s), n/len(s))
}

// TestStopOnSignalAndResume runs the real binary over notes and a hostile
// one-line file, sends SIGTERM while the hostile file is in flight, and
// requires the process to end within 5 s, cleanly (exit 1, nothing
// half-written, the journal and report written), and a run with --resume
// to finish the batch with every object exactly once. Locally and on S3
// (versitygw).
func TestStopOnSignalAndResume(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("builds the binary and runs it for tens of seconds")
	}
	for _, where := range []string{"local", "s3"} {
		t.Run(where, func(t *testing.T) { stopAndResume(t, where) })
	}
}

func stopAndResume(t *testing.T, where string) {
	const n = 30
	objs := synthNotes("", n)
	// In the middle of the walk, so that files before it are done and
	// files after it wait behind it for their turn in the plan.
	objs["case-00010/zz-hostile.txt"] = hostileLine(8 << 20)
	var src, dst string
	var env []string
	// keys lists DEST; outputs reads it (keys relative to DEST).
	var keys func() []string
	var outputs func() map[string][]byte
	switch where {
	case "local":
		dir := t.TempDir()
		write(t, filepath.Join(dir, "in"), objs)
		src, dst = filepath.Join(dir, "in"), filepath.Join(dir, "out")
		outputs = func() map[string][]byte {
			out := map[string][]byte{}
			filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dst, p)
					out[filepath.ToSlash(rel)], _ = os.ReadFile(p)
				}
				return nil
			})
			return out
		}
		keys = func() []string {
			var ks []string
			for k := range outputs() {
				ks = append(ks, k)
			}
			return ks
		}
	case "s3":
		srv := s3test.StartT(t)
		bucket := srv.NewBucketT(t)
		putObjects(t, srv, bucket, prefixed("in/", objs))
		src, dst, env = "s3://"+bucket+"/in", "s3://"+bucket+"/out", srv.Env()
		keys = func() []string {
			var ks []string
			for k := range listObjects(t, srv, bucket, "out/") {
				ks = append(ks, k)
			}
			return ks
		}
		outputs = func() map[string][]byte {
			out := map[string][]byte{}
			for _, k := range keys() {
				out[k], _ = getObject(t, srv, bucket, "out/"+k)
			}
			return out
		}
	}
	stateDir := t.TempDir()
	// A budget of 1 s + 1 s per MiB: the hostile file is in flight for
	// seconds, and the resumed run ends it as too_slow (or finishes it).
	args := []string{"run", "--no-ner", "--workers", "2", "--profile", "supervision", "--file-timeout", "1s", "--state", stateDir, src, dst}
	p := startProc(t, env, args...)
	waitFor(t, p, 2*time.Minute, func() bool { return len(keys()) >= 8 })
	time.Sleep(500 * time.Millisecond) // the hostile file is in flight now: nothing after it can be planned
	stopped := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	code := p.wait(t, time.Minute)
	if took := time.Since(stopped); took > 5*time.Second {
		t.Errorf("SIGTERM: the process took %s to end, want at most 5 s", took.Round(time.Millisecond))
	}
	if code != exitFatal || !strings.Contains(p.stderr.String(), "--resume") {
		t.Fatalf("stopped run: exit %d, want %d and a hint to resume:\n%s", code, exitFatal, p.stderr.String())
	}
	before := outputs()
	for k := range before {
		if strings.Contains(k, storage.TempPrefix) {
			t.Errorf("half-written file left: %s", k)
		}
	}
	if _, ok := before["veil-report/report.json"]; !ok {
		t.Errorf("no report after the stop")
	}
	if countFiles(filepath.Join(stateDir, "journal")) == 0 {
		t.Errorf("no journal after the stop")
	}

	r := startProc(t, env, append([]string{args[0], "--resume"}, args[1:]...)...)
	if code := r.wait(t, 5*time.Minute); code != exitOK && code != exitNotWritten {
		t.Fatalf("resume: exit %d\n%s", code, r.stderr.String())
	}
	after := outputs()
	var rep struct {
		Attempts int           `json:"attempts"`
		Files    []report.File `json:"files"`
	}
	if err := json.Unmarshal(after["veil-report/report.json"], &rep); err != nil {
		t.Fatal(err)
	}
	// Every object exactly once: in the report, and in DEST if written.
	seen := map[string]bool{}
	written := 0
	for _, f := range rep.Files {
		if seen[f.Key] {
			t.Errorf("%s: reported twice", f.Key)
		}
		seen[f.Key] = true
		switch {
		case f.Status == report.StatusRedacted || f.Status == report.StatusUnchanged:
			written++
			if _, ok := after[f.Key]; !ok {
				t.Errorf("%s: reported written, not in DEST", f.Key)
			}
		case f.Reason != "too_slow":
			t.Errorf("%s: %s/%s (%s)", f.Key, f.Status, f.Reason, f.Detail)
		}
	}
	if len(rep.Files) != n+1 || rep.Attempts != 2 {
		t.Errorf("report of %d files over %d attempts, want %d over 2", len(rep.Files), rep.Attempts, n+1)
	}
	if got := len(after) - 3; got != written { // less report.json, report.md, redaction-log.csv
		t.Errorf("%d files in DEST, %d reported written", got, written)
	}
	// What the stopped run wrote was finished: the resumed run keeps it.
	for k, b := range before {
		if !strings.HasPrefix(k, "veil-report/") && !bytes.Equal(after[k], b) {
			t.Errorf("%s changed after the resume", k)
		}
	}
	t.Logf("%s: stopped with %d outputs; resumed: %d written of %d", where, len(before)-3, written, n+1)
}

// startProc runs the veil binary with env added to the environment.
func startProc(t *testing.T, env []string, args ...string) *veilProc {
	t.Helper()
	p := &veilProc{cmd: exec.Command(veilBinary(t), args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
	return p
}

func prefixed(prefix string, objs map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(objs))
	for k, v := range objs {
		out[prefix+k] = v
	}
	return out
}
