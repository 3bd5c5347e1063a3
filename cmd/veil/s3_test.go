package main

// Acceptance tests for S3 and batch runs, against a real versitygw that
// scripts/setup installs (pipeline/storage/s3/s3test). Runs that must be killed or
// must outlive a server run the veil binary, built by the test, as a
// subprocess. Bulk runs use --no-ner (the statistical model is the slowest
// part and has nothing to do with storage); TestS3RoundTripSamples runs
// with full detection.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage/s3/s3test"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// testTmp is removed after the tests: the binary, the resume state.
var testTmp string

func TestMain(m *testing.M) {
	// Runs keep resume state under $XDG_STATE_HOME: not the user's.
	dir, err := os.MkdirTemp("", "veil-cmd-test-")
	if err != nil {
		panic(err)
	}
	testTmp = dir
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// setS3Env points the in-process CLI at srv.
func setS3Env(t *testing.T, srv *s3test.Server) {
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

func client(t *testing.T, srv *s3test.Server) *minio.Client {
	t.Helper()
	cl, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// putObjects uploads objects with 8 connections.
func putObjects(t *testing.T, srv *s3test.Server, bucket string, objs map[string][]byte) {
	t.Helper()
	cl := client(t, srv)
	keys := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range keys {
				b := objs[k]
				_, err := cl.PutObject(context.Background(), bucket, k, bytes.NewReader(b), int64(len(b)), minio.PutObjectOptions{ContentType: uploadType(k)})
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	for k := range objs {
		keys <- k
	}
	close(keys)
	wg.Wait()
	if firstErr != nil {
		t.Fatalf("upload: %v", firstErr)
	}
}

// uploadType is the content type putObjects stores: by extension, and for
// Markdown one that Go's table (and so veil's fallback) does not give.
func uploadType(key string) string {
	switch path.Ext(key) {
	case ".md":
		return "text/x-markdown; charset=utf-8"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	return mime.TypeByExtension(path.Ext(key))
}

// listObjects returns key -> ETag under prefix (with a trailing slash).
func listObjects(t *testing.T, srv *s3test.Server, bucket, prefix string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for o := range client(t, srv).ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			t.Fatalf("list: %v", o.Err)
		}
		out[strings.TrimPrefix(o.Key, prefix)] = o.ETag
	}
	return out
}

func getObject(t *testing.T, srv *s3test.Server, bucket, key string) ([]byte, string) {
	t.Helper()
	o, err := client(t, srv).GetObject(context.Background(), bucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	st, _ := o.Stat()
	return b, st.ContentType
}

// outputs returns the output objects under prefix (the report aside).
func outputs(t *testing.T, srv *s3test.Server, bucket, prefix string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for k := range listObjects(t, srv, bucket, prefix) {
		if strings.HasPrefix(k, reportDir+"/") {
			continue
		}
		out[k], _ = getObject(t, srv, bucket, prefix+k)
	}
	return out
}

func readReport(t *testing.T, data []byte) (report.Meta, report.Totals, []report.File) {
	t.Helper()
	var files []report.File
	m, tot, err := report.Read(bytes.NewReader(data), func(f report.File) error { files = append(files, f); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return m, tot, files
}

// Every sample format goes to S3 and back: the outputs equal those of a
// run between local folders, keep their content types, and the originals
// are untouched. Full detection (NER on).
func TestS3RoundTripSamples(t *testing.T) {
	srv := s3test.StartT(t)
	setS3Env(t, srv)
	bucket := srv.NewBucketT(t)
	samples := readTree(t, "../../samples/cases")
	// samples/cases has text and Markdown; PDF is a format too.
	samples["exhibit_7.pdf"] = pdftest.OnePage("Letter to Ms. Maria Sandoval, SSN 123-45-6789.", "Seen on March 3, 2024.")
	objs := map[string][]byte{}
	for k, b := range samples {
		objs["cases/"+k] = b
	}
	putObjects(t, srv, bucket, objs)
	before := listObjects(t, srv, bucket, "cases/")

	code, msg := veil(t, "run", "-q", "--profile", "supervision", "s3://"+bucket+"/cases", "s3://"+bucket+"/out/")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	localSrc, local := t.TempDir(), filepath.Join(t.TempDir(), "out")
	write(t, localSrc, samples)
	if code, msg := veil(t, "run", "-q", "--profile", "supervision", localSrc, local); code != exitOK {
		t.Fatalf("local run: exit %d: %s", code, msg)
	}
	want := readTree(t, local)
	got := outputs(t, srv, bucket, "out/")
	if len(got) == 0 || len(got) != len(samples) {
		t.Fatalf("%d outputs for %d samples", len(got), len(samples))
	}
	for k, b := range got {
		if !bytes.Equal(b, want[k]) {
			t.Errorf("%s differs from the local run", k)
		}
		// Outputs keep their originals' stored content types.
		_, ctype := getObject(t, srv, bucket, "out/"+k)
		if orig := uploadType(k); ctype != orig || ctype == "" {
			t.Errorf("%s: content type %q, original %q", k, ctype, orig)
		}
	}
	if after := listObjects(t, srv, bucket, "cases/"); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("originals changed:\n%v\n%v", before, after)
	}
	rj, ctype := getObject(t, srv, bucket, "out/veil-report/report.json")
	if ctype != "application/json" {
		t.Errorf("report content type %q", ctype)
	}
	m, tot, _ := readReport(t, rj)
	if tot.Files != len(samples) || tot.Redactions == 0 || m.Source != "SOURCE (an S3 bucket)" || m.Dest != "DEST (an S3 bucket)" {
		t.Errorf("report: %+v %+v", m, tot)
	}
	for _, f := range []string{"report.md", "redaction-log.csv"} {
		if _, ok := listObjects(t, srv, bucket, "out/veil-report/")[f]; !ok {
			t.Errorf("no %s", f)
		}
	}
}

// synthNotes makes n small case notes under prefix. The text names one of
// a few people, so aliases are handed out across files. Every seventh file
// sits in one folder with a client's name in its file name, written in
// different cases ("maria_sandoval_3.txt", "Maria_Sandoval_3.txt"), so
// that output names are redacted alike and must be numbered apart.
func synthNotes(prefix string, n int) map[string][]byte {
	people := []string{"Maria Sandoval", "John Fielding", "Elena Sandoval", "Daniel Reyes", "Laura Chen", "Peter Novak", "Susan Miller"}
	objs := map[string][]byte{}
	for i := 0; i < n; i++ {
		p := people[i%len(people)]
		key := fmt.Sprintf("%scase-%05d/note.txt", prefix, i)
		if i%7 == 3 {
			j := i / 7
			name := strings.ReplaceAll(people[j%len(people)], " ", "_")
			switch (j / len(people)) % 3 {
			case 1:
				name = strings.ToLower(name)
			case 2:
				name = strings.ToUpper(name)
			}
			key = fmt.Sprintf("%snamed/%s_%d.txt", prefix, name, j/(3*len(people)))
		}
		objs[key] = fmt.Appendf(nil, "Session %d. Client %s called from (503) 555-%04d on March 3, 2024.\nPlan: continue weekly sessions.\n", i, p, i%10000)
	}
	return objs
}

func TestS3Bulk2000Workers4(t *testing.T) {
	srv := s3test.StartT(t)
	setS3Env(t, srv)
	bucket := srv.NewBucketT(t)
	const n = 2000
	putObjects(t, srv, bucket, synthNotes("in/", n))
	// research: names become keyed pseudonyms, the same in every file.
	key := filepath.Join(t.TempDir(), "key")
	if code, msg := veil(t, "keygen", key); code != exitOK {
		t.Fatalf("keygen: %s", msg)
	}
	code, msg := veil(t, "run", "-q", "--no-ner", "--workers", "4", "--profile", "research", "--key-file", key, "s3://"+bucket+"/in", "s3://"+bucket+"/out")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	keys := listObjects(t, srv, bucket, "out/")
	delete(keys, "veil-report/report.json")
	delete(keys, "veil-report/report.md")
	delete(keys, "veil-report/redaction-log.csv")
	if len(keys) != n {
		t.Fatalf("%d outputs, want %d", len(keys), n)
	}
	for k := range keys {
		if strings.Contains(k, "Sandoval") || strings.Contains(k, "Fielding") {
			t.Fatalf("output name not redacted: %s", k)
		}
	}
	rj, _ := getObject(t, srv, bucket, "out/veil-report/report.json")
	_, tot, files := readReport(t, rj)
	if tot.Files != n || len(files) != n || tot.Redacted != n {
		t.Fatalf("report: %+v, %d records", tot, len(files))
	}
}

// veilBuild builds the CLI once for the tests that run it as a process.
var veilBuild = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(testTmp, "veil")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func veilBinary(t *testing.T) string {
	t.Helper()
	bin, err := veilBuild()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// veilProc is the veil binary running as a process.
type veilProc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan struct{}
	err    error
}

func startVeil(t *testing.T, srv *s3test.Server, args ...string) *veilProc {
	t.Helper()
	p := &veilProc{cmd: exec.Command(veilBinary(t), args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), srv.Env()...)
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
	return p
}

// wait returns the exit code, failing the test after limit.
func (p *veilProc) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(limit):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("veil did not finish in %s; stderr:\n%s", limit, p.stderr.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

func (p *veilProc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// waitFor polls cond every 20 ms until it holds, the process ends, or the
// limit passes.
func waitFor(t *testing.T, p *veilProc, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if !p.running() {
			t.Fatalf("veil ended before the condition held (exit %d):\n%s", p.cmd.ProcessState.ExitCode(), p.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %s", limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countFiles(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// checkSameOutputs requires the outputs and report records under got to be
// those under ref: every object exactly once, byte for byte.
func checkSameOutputs(t *testing.T, srv *s3test.Server, bucket, got, ref string, n int) {
	t.Helper()
	g, r := outputs(t, srv, bucket, got), outputs(t, srv, bucket, ref)
	if len(r) != n || len(g) != len(r) {
		t.Fatalf("%d outputs, reference run has %d, want %d", len(g), len(r), n)
	}
	for k, b := range r {
		if !bytes.Equal(g[k], b) {
			t.Fatalf("%s differs from the uninterrupted run", k)
		}
	}
	gj, _ := getObject(t, srv, bucket, got+"veil-report/report.json")
	rj, _ := getObject(t, srv, bucket, ref+"veil-report/report.json")
	_, gt, gf := readReport(t, gj)
	_, rt, rf := readReport(t, rj)
	if gt.Files != n || fmt.Sprint(gt) != fmt.Sprint(rt) {
		t.Fatalf("report totals %+v, uninterrupted %+v", gt, rt)
	}
	gb, _ := json.Marshal(gf)
	rb, _ := json.Marshal(rf)
	if !bytes.Equal(gb, rb) {
		t.Fatal("report records differ from the uninterrupted run")
	}
}

// skipKillTest skips, under -short, a test that kills a run (or its server)
// midway and resumes it: each runs veil over more than a thousand objects
// twice and takes tens of seconds.
func skipKillTest(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("kills and resumes a run over a thousand objects; skipped with -short")
	}
}

var finishedBefore = regexp.MustCompile(`finished_before=(\d+)`)

// A run killed midway (SIGKILL, no chance to clean up) and resumed ends
// with every object exactly once in DEST, the same bytes and aliases as an
// uninterrupted run, and a report of the whole run.
func TestS3KillAndResume(t *testing.T) {
	skipKillTest(t)
	srv := s3test.StartT(t)
	bucket := srv.NewBucketT(t)
	const n = 2500
	putObjects(t, srv, bucket, synthNotes("in/", n))
	src := "s3://" + bucket + "/in"
	common := []string{"run", "--no-ner", "--workers", "2", "--profile", "supervision"}

	ref := startVeil(t, srv, append(common, "-q", src, "s3://"+bucket+"/ref")...)
	if code := ref.wait(t, 3*time.Minute); code != exitOK {
		t.Fatalf("reference run: exit %d\n%s", code, ref.stderr.String())
	}

	stateDir := t.TempDir()
	args := append(common, "--state", stateDir, src, "s3://"+bucket+"/out")
	p := startVeil(t, srv, args...)
	// Kill once some objects are written and recorded in the journal. A
	// segment is flushed every state.FlushLines records (or a second after
	// its first), and the second pass writes fast, so the condition reads
	// only the small journal directory and the kill follows at once: a
	// slower check let the run finish first (1,500 objects written in ~2 s).
	// Only whole segments count: a segment being written is a temporary
	// file in the same directory until its rename.
	waitFor(t, p, 2*time.Minute, func() bool {
		segs, _ := filepath.Glob(filepath.Join(stateDir, "journal", "a*-s*.jsonl"))
		return len(segs) >= 1
	})
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	written := len(listObjects(t, srv, bucket, "out/"))
	if written >= n {
		t.Fatalf("the run finished before it was killed (%d objects)", written)
	}

	r := startVeil(t, srv, append([]string{args[0], "--resume"}, args[1:]...)...)
	if code := r.wait(t, 3*time.Minute); code != exitOK {
		t.Fatalf("resume: exit %d\n%s", code, r.stderr.String())
	}
	m := finishedBefore.FindStringSubmatch(r.stderr.String())
	if m == nil || m[1] == "0" {
		t.Fatalf("the resumed run did not skip finished objects:\n%s", r.stderr.String())
	}
	t.Logf("killed with %d of %d objects written; resume skipped %s", written, n, m[1])
	checkSameOutputs(t, srv, bucket, "out/", "ref/", n)
	rj, _ := getObject(t, srv, bucket, "out/veil-report/report.json")
	if meta, _, _ := readReport(t, rj); meta.Attempts != 2 {
		t.Errorf("attempts %d", meta.Attempts)
	}
	if countFiles(stateDir) != 0 {
		t.Errorf("state left after a finished run")
	}
}

// Four shards run at the same time: together they write every object once,
// each source object is in exactly one report part, and merge joins them.
func TestS3ShardsConcurrent(t *testing.T) {
	srv := s3test.StartT(t)
	bucket := srv.NewBucketT(t)
	const n, shards = 400, 4
	objs := synthNotes("in/", n)
	putObjects(t, srv, bucket, objs)
	var procs []*veilProc
	for i := 0; i < shards; i++ {
		args := []string{"run", "-q", "--no-ner", "--workers", "1", "--profile", "supervision",
			"--shard", fmt.Sprintf("%d/%d", i, shards), "--resume", "--state", "s3://" + bucket + "/veil-state"}
		if i == 0 {
			args = append(args, "--keep-state") // to see the state S3 holds
		}
		procs = append(procs, startVeil(t, srv, append(args, "s3://"+bucket+"/in", "s3://"+bucket+"/out")...))
	}
	seen := map[string]int{}
	total := 0
	for i, p := range procs {
		if code := p.wait(t, 3*time.Minute); code != exitOK {
			t.Fatalf("shard %d: exit %d\n%s", i, code, p.stderr.String())
		}
		rj, _ := getObject(t, srv, bucket, fmt.Sprintf("out/veil-report/parts/shard-%d-of-%d/report.json", i, shards))
		m, tot, files := readReport(t, rj)
		if m.Shard != fmt.Sprintf("%d/%d", i, shards) || tot.Files == 0 || tot.Files == n {
			t.Fatalf("part %d: shard %q, %d files", i, m.Shard, tot.Files)
		}
		for _, f := range files {
			seen[f.Key]++
		}
		total += tot.Files
	}
	if total != n || len(seen) != n {
		t.Fatalf("parts hold %d records, %d distinct output keys; want %d", total, len(seen), n)
	}
	out := listObjects(t, srv, bucket, "out/")
	var outs []string
	for k := range out {
		if !strings.HasPrefix(k, "veil-report/") {
			outs = append(outs, k)
			if seen[k] != 1 {
				t.Errorf("%s: in %d report parts", k, seen[k])
			}
		}
	}
	if len(outs) != n {
		sort.Strings(outs)
		t.Fatalf("%d objects in DEST, want %d", len(outs), n)
	}

	st := listObjects(t, srv, bucket, "veil-state/")
	if _, ok := st["shard-0-of-4/manifest.json"]; !ok || len(st) < 2 {
		t.Errorf("no state of shard 0 in S3: %v", st)
	}
	for k := range st {
		if !strings.HasPrefix(k, "shard-0-of-4/") {
			t.Errorf("state left in S3 after a shard finished: %s", k)
		}
	}

	setS3Env(t, srv)
	code, msg := veil(t, "report", "merge", "-q", "s3://"+bucket+"/out/veil-report")
	if code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, msg)
	}
	rj, _ := getObject(t, srv, bucket, "out/veil-report/report.json")
	m, tot, files := readReport(t, rj)
	if tot.Files != n || len(files) != n || m.Parts != shards || m.Shard != "" {
		t.Fatalf("merged: %d files, %d records, %d parts", tot.Files, len(files), m.Parts)
	}
	for _, f := range []string{"report.md", "redaction-log.csv"} {
		if _, ok := out["veil-report/"+f]; ok {
			t.Errorf("a shard wrote the whole-run %s", f)
		}
	}
	if _, ok := listObjects(t, srv, bucket, "out/veil-report/")["redaction-log.csv"]; !ok {
		t.Error("merge wrote no redaction-log.csv")
	}
}

// Shards that run over one S3 source into one DEST never write two files
// under one name: shard 0 redacts a name to the name that shard 1 keeps
// (the source key of its file), shard 2 to the same redacted name as
// shard 0 (aliases are per shard).
func TestS3ShardsKeepOutputNamesApart(t *testing.T) {
	srv := s3test.StartT(t)
	setS3Env(t, srv)
	bucket := srv.NewBucketT(t)
	const shards = 3
	want := map[string]int{"_Zoe_Walker.txt": 0, "_Person-A.txt": 1, "_Anna_Walker.txt": 2}
	prefix := ""
	for i := 0; prefix == ""; i++ {
		p, ok := fmt.Sprintf("c%d", i), true
		for suffix, s := range want {
			ok = ok && (pipeline.Shard{I: s, N: shards}).Has(p+suffix)
		}
		if ok {
			prefix = p
		}
	}
	objs := map[string][]byte{
		"in/" + prefix + "_Zoe_Walker.txt":  []byte("Note 1: session with Zoe Walker.\n"),
		"in/" + prefix + "_Person-A.txt":    []byte("Note 2: weekly note, nothing identifying.\n"),
		"in/" + prefix + "_Anna_Walker.txt": []byte("Note 3: session with Anna Walker.\n"),
	}
	putObjects(t, srv, bucket, objs)
	for i := 0; i < shards; i++ {
		code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "supervision", "--shard", fmt.Sprintf("%d/%d", i, shards),
			"s3://"+bucket+"/in", "s3://"+bucket+"/out")
		if code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", i, code, msg)
		}
	}
	got := outputs(t, srv, bucket, "out/")
	if len(got) != len(objs) || string(got[prefix+"_Person-A.txt"]) != "Note 2: weekly note, nothing identifying.\n" {
		t.Fatalf("outputs %q", got)
	}
	notes := map[string]bool{}
	for k, b := range got {
		if strings.Contains(k, "Walker") || strings.Contains(string(b), "Walker") {
			t.Errorf("%s: %q", k, b)
		}
		notes[string(b[:7])] = true
	}
	if len(notes) != len(objs) {
		t.Fatalf("an output overwrote another: %q", got)
	}
}

func TestReportMergeRefusesMissingParts(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	write(t, src, map[string][]byte{"a.txt": []byte("Client Maria Sandoval.\n"), "b.txt": []byte("x\n"), "c.txt": []byte("Dr. Reyes\n")})
	if code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "court", "--shard", "1/3", src, out); code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	code, msg := veil(t, "report", "merge", filepath.Join(out, reportDir))
	if code != exitFatal || !strings.Contains(msg, "missing report parts 0/3, 2/3") {
		t.Fatalf("exit %d: %s", code, msg)
	}
}

// The server goes away mid-run: veil stops with a clear error, exit 1,
// leaves no half-written object, and --resume finishes the run once the
// server is back.
func TestS3ServerStoppedMidRun(t *testing.T) {
	skipKillTest(t)
	srv := s3test.StartT(t)
	bucket := srv.NewBucketT(t)
	const n = 1200
	putObjects(t, srv, bucket, synthNotes("in/", n))
	src := "s3://" + bucket + "/in"
	common := []string{"run", "--no-ner", "--workers", "2", "--profile", "supervision", "--retries", "1"}
	ref := startVeil(t, srv, append(common, "-q", src, "s3://"+bucket+"/ref")...)
	if code := ref.wait(t, 3*time.Minute); code != exitOK {
		t.Fatalf("reference run: exit %d\n%s", code, ref.stderr.String())
	}

	stateDir := t.TempDir()
	args := append(common, "--state", stateDir, src, "s3://"+bucket+"/out")
	p := startVeil(t, srv, args...)
	outDir := filepath.Join(srv.Dir, bucket, "out")
	waitFor(t, p, 2*time.Minute, func() bool { return countFiles(outDir) >= 150 })
	srv.Stop()
	code := p.wait(t, 2*time.Minute)
	stderr := p.stderr.String()
	if code != exitFatal || !strings.Contains(stderr, "unavailable") || !strings.Contains(stderr, "--resume") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if strings.Contains(stderr, srv.SecretKey) || regexp.MustCompile(`Sandoval|Fielding|Reyes|Chen|Novak|Miller`).MatchString(stderr) {
		t.Fatalf("stderr leaks a secret or a key:\n%s", stderr)
	}
	t.Logf("veil said: %s", lastLine(stderr))

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	r := startVeil(t, srv, append([]string{args[0], "--resume"}, args[1:]...)...)
	if code := r.wait(t, 3*time.Minute); code != exitOK {
		t.Fatalf("resume: exit %d\n%s", code, r.stderr.String())
	}
	checkSameOutputs(t, srv, bucket, "out/", "ref/", n)
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(filepath.ToSlash(rel), reportDir+"/") {
			return nil
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func lastLine(s string) string {
	var last string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			last = sc.Text()
		}
	}
	return last
}

func TestS3BadCredentialsAndMissingBucket(t *testing.T) {
	srv := s3test.StartT(t)
	setS3Env(t, srv)
	bucket := srv.NewBucketT(t)
	putObjects(t, srv, bucket, map[string][]byte{"in/a.txt": []byte("Client Maria Sandoval.\n")})
	local := t.TempDir()
	write(t, local, map[string][]byte{"a.txt": []byte("x\n")})

	code, msg := veil(t, "run", "-q", "--profile", "court", "s3://no-such-bucket/in", filepath.Join(t.TempDir(), "o"))
	if code != exitFatal || !strings.Contains(msg, "source folder (SOURCE): the bucket does not exist") || strings.Contains(msg, "no-such-bucket") {
		t.Errorf("missing source bucket: exit %d: %s", code, msg)
	}
	code, msg = veil(t, "run", "-q", "--profile", "court", local, "s3://no-such-bucket/out")
	if code != exitFatal || !strings.Contains(msg, "DEST") || !strings.Contains(msg, "does not exist") {
		t.Errorf("missing dest bucket: exit %d: %s", code, msg)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret-9f8e7d")
	code, msg = veil(t, "run", "-q", "--profile", "court", "s3://"+bucket+"/in", filepath.Join(t.TempDir(), "o"))
	if code != exitFatal || !strings.Contains(msg, "credentials rejected") || strings.Contains(msg, "not-the-secret") {
		t.Errorf("bad secret: exit %d: %s", code, msg)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "nobody")
	code, msg = veil(t, "run", "-q", "--profile", "court", local, "s3://"+bucket+"/out")
	if code != exitFatal || !strings.Contains(msg, "credentials rejected") {
		t.Errorf("unknown access key: exit %d: %s", code, msg)
	}
	if len(listObjects(t, srv, bucket, "out/")) != 0 {
		t.Error("something was written")
	}
}
