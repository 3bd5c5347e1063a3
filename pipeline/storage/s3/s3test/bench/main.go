// Command bench measures veil against a real S3-compatible server: it
// starts versitygw on 127.0.0.1, writes N synthetic case files into a
// bucket, runs `veil run s3://… s3://…` as a process and reports objects/s,
// MB/s and the process's peak RSS, for each N. scripts/bench-s3 runs it.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage/s3/s3test"
)

func main() {
	sizes := flag.String("n", "1000,10000", "comma-separated object counts")
	workers := flag.Int("workers", 0, "veil --workers (0: veil's default, the number of cores)")
	ner := flag.Bool("ner", false, "keep the statistical name recogniser on (slow: ~0.1 MB/s per core)")
	profile := flag.String("profile", "supervision", "veil profile (research gets a fresh --key-file)")
	local := flag.Bool("local", true, "also run the same files between local folders, as a baseline without S3")
	keep := flag.Bool("keep", false, "keep the temporary folder (inputs, outputs, the veil binary) and print its path")
	flag.Parse()
	if err := run(*sizes, *workers, *ner, *profile, *local, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench-s3:", err)
		os.Exit(1)
	}
}

func run(sizes string, workers int, ner bool, profile string, local, keep bool) error {
	tmp, err := os.MkdirTemp("", "veil-bench-s3-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "bench-s3: keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	bin := filepath.Join(tmp, "veil")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/veil").CombinedOutput(); err != nil {
		return fmt.Errorf("build veil: %v\n%s", err, out)
	}
	srv, err := s3test.Start(tmp, nil)
	if err != nil {
		return err
	}
	defer srv.Stop()
	bucket, err := srv.NewBucket()
	if err != nil {
		return err
	}
	cl, err := srv.Client()
	if err != nil {
		return err
	}
	fmt.Printf("veil run --profile %s", profile)
	if !ner {
		fmt.Print(" --no-ner")
	}
	if workers > 0 {
		fmt.Printf(" --workers %d", workers)
	}
	fmt.Printf(" s3://… s3://… against versitygw %s on 127.0.0.1\n\n", s3test.Version)
	fmt.Println("| storage | objects | input MB | wall s | objects/s | MB/s | peak RSS MiB | redactions |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("-n: %q is not a count", f)
		}
		in := fmt.Sprintf("in-%d/", n)
		localIn := ""
		if local {
			localIn = filepath.Join(tmp, "local-in-"+strconv.Itoa(n))
		}
		bytesIn, err := generate(cl, bucket, in, localIn, n)
		if err != nil {
			return err
		}
		flags := []string{"run", "-q", "--profile", profile, "--state", filepath.Join(tmp, "state-"+strconv.Itoa(n))}
		if profile == "research" {
			key := filepath.Join(tmp, "key-"+strconv.Itoa(n))
			if out, err := exec.Command(bin, "keygen", key).CombinedOutput(); err != nil {
				return fmt.Errorf("keygen: %v\n%s", err, out)
			}
			flags = append(flags, "--key-file", key)
		}
		if !ner {
			flags = append(flags, "--no-ner")
		}
		if workers > 0 {
			flags = append(flags, "--workers", strconv.Itoa(workers))
		}
		type leg struct{ name, src, dst, report string }
		legs := []leg{{"S3 → S3", "s3://" + bucket + "/" + in, fmt.Sprintf("s3://%s/out-%d/", bucket, n), ""}}
		if local {
			out := filepath.Join(tmp, "local-out-"+strconv.Itoa(n))
			legs = append(legs, leg{"local → local", localIn, out, filepath.Join(out, "veil-report", "report.json")})
		}
		for _, l := range legs {
			cmd := exec.Command(bin, append(flags, l.src, l.dst)...)
			cmd.Env = append(os.Environ(), srv.Env()...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			start := time.Now()
			if err := cmd.Start(); err != nil {
				return err
			}
			hwm := watchHWM(cmd.Process.Pid)
			err = cmd.Wait()
			wall := time.Since(start)
			if err != nil {
				return fmt.Errorf("veil (%s, N=%d): %v\n%s", l.name, n, err, stderr.String())
			}
			rss := <-hwm
			var files, redactions int
			if l.report == "" {
				files, redactions, err = totals(cl, bucket, fmt.Sprintf("out-%d/veil-report/report.json", n))
			} else {
				files, redactions, err = localTotals(l.report)
			}
			if err != nil {
				return err
			}
			if files != n {
				return fmt.Errorf("%s N=%d: the report has %d files", l.name, n, files)
			}
			mb := float64(bytesIn) / 1e6
			fmt.Printf("| %s | %d | %.1f | %.1f | %.0f | %.2f | %.0f | %d |\n", l.name, n, mb, wall.Seconds(), float64(n)/wall.Seconds(), mb/wall.Seconds(), float64(rss)/1024, redactions)
		}
	}
	return nil
}

// generate writes n synthetic case notes (1–4 KB, names, phones, dates,
// record numbers; no real person) under prefix, and the same files under
// the folder localDir unless it is "", and returns their bytes.
func generate(cl *minio.Client, bucket, prefix, localDir string, n int) (int64, error) {
	first := []string{"Maria", "John", "Elena", "Daniel", "Laura", "Peter", "Susan", "Ahmed", "Mei", "Olga"}
	last := []string{"Sandoval", "Fielding", "Reyes", "Chen", "Novak", "Miller", "Haddad", "Kowalski", "Okafor", "Lindqvist"}
	var total int64
	var mu sync.Mutex
	var firstErr error
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r := rand.New(rand.NewSource(int64(i)))
				var b bytes.Buffer
				client := first[r.Intn(len(first))] + " " + last[r.Intn(len(last))]
				fmt.Fprintf(&b, "Progress note, session %d\n\nClient: %s (MRN %07d), seen on March %d, 2024.\n", i, client, 1000000+i, 1+r.Intn(28))
				for p := 0; p < 4+r.Intn(20); p++ {
					fmt.Fprintf(&b, "%s reported a difficult week at work and spoke about sleep, appetite and the plan agreed last time. Her sister %s %s called (503) 555-%04d to confirm the next appointment. Goals reviewed; homework on thought records continues.\n", client, first[r.Intn(len(first))], last[r.Intn(len(last))], r.Intn(10000))
				}
				rel := fmt.Sprintf("case-%06d/note-%d.txt", i/10, i)
				_, err := cl.PutObject(context.Background(), bucket, prefix+rel, bytes.NewReader(b.Bytes()), int64(b.Len()), minio.PutObjectOptions{ContentType: "text/plain"})
				if err == nil && localDir != "" {
					p := filepath.Join(localDir, filepath.FromSlash(rel))
					if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
						err = os.WriteFile(p, b.Bytes(), 0o644)
					}
				}
				mu.Lock()
				total += int64(b.Len())
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return total, firstErr
}

// watchHWM polls the process's VmHWM (its own peak RSS, KiB) until it
// exits and sends the last value read. The rusage of a child is no good
// here: Go starts children with vfork, and on exec Linux counts the
// parent's peak RSS as the child's, so a bench that grew would make veil
// look as if it grew with N.
func watchHWM(pid int) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var last int64
		for {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil {
				break
			}
			for _, ln := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(ln, "VmHWM:"); ok {
					if kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil && kb > last {
						last = kb
					}
				}
			}
			if strings.Contains(string(b), "State:\tZ") {
				break // exited, not yet waited for
			}
			time.Sleep(20 * time.Millisecond)
		}
		out <- last
	}()
	return out
}

func totals(cl *minio.Client, bucket, key string) (files, redactions int, err error) {
	o, err := cl.GetObject(context.Background(), bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return 0, 0, err
	}
	defer o.Close()
	return decodeTotals(o)
}

func localTotals(path string) (files, redactions int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	return decodeTotals(f)
}

// decodeTotals streams report.json (the bench must stay small, see
// watchHWM) and returns its totals.
func decodeTotals(rd io.Reader) (files, redactions int, err error) {
	_, t, err := report.Read(rd, func(report.File) error { return nil })
	if err != nil {
		return 0, 0, err
	}
	return t.Files, t.Redactions, nil
}
