// Package s3test starts a real S3-compatible server (versitygw, installed by
// scripts/setup) on 127.0.0.1 for tests and benchmarks.
//
// Tests call StartT: without the binary it skips with a message, except
// under CI=true where a missing server is a test failure (the project's rule:
// tests that need real components run in CI). Programs call Start.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Version is the versitygw release scripts/setup installs.
const Version = "v1.8.0"

// BinaryEnv names a variable that may point at the versitygw binary.
const BinaryEnv = "VEIL_VERSITYGW"

// Binary finds versitygw: $VEIL_VERSITYGW, then PATH, then
// $(go env GOPATH)/bin where scripts/setup installs it.
func Binary() (string, error) {
	if p := os.Getenv(BinaryEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$%s: %w", BinaryEnv, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(strings.SplitN(string(out), string(os.PathListSeparator), 2)[0])
		}
	}
	if gopath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	p := filepath.Join(gopath, "bin", "versitygw")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("versitygw not found in $%s, PATH or %s: run scripts/setup", BinaryEnv, filepath.Dir(p))
	}
	return p, nil
}

// Server is a running versitygw with one root account.
type Server struct {
	// Addr is host:port; URL is "http://" + Addr.
	Addr, URL string
	// AccessKey and SecretKey are the root account's, random per server.
	AccessKey, SecretKey string
	// Dir holds the buckets (one folder each).
	Dir string

	bin     string
	sidecar string
	logw    io.Writer
	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
}

// Start starts versitygw on a free 127.0.0.1 port, storing objects under
// dir, and waits until it answers. Its output goes to logw (nil: discarded).
func Start(dir string, logw io.Writer) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, Dir: filepath.Join(dir, "data"), logw: logw,
		AccessKey: "veil" + randHex(8), SecretKey: randHex(20)}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, err
	}
	if !xattrsWork(s.Dir) {
		s.sidecar = filepath.Join(dir, "meta")
		if err := os.MkdirAll(s.sidecar, 0o755); err != nil {
			return nil, err
		}
	}
	var last error
	for attempt := 0; attempt < 3; attempt++ { // a free port can be taken between probe and bind
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s.Addr = "127.0.0.1:" + strconv.Itoa(port)
		s.URL = "http://" + s.Addr
		if last = s.start(); last == nil {
			return s, nil
		}
	}
	return nil, last
}

// Restart starts the server again on the same port and data after Stop.
func (s *Server) Restart() error { return s.start() }

func (s *Server) start() error {
	args := []string{"--port", s.Addr, "--quiet", "posix"}
	if s.sidecar != "" {
		args = append(args, "--sidecar", s.sidecar)
	}
	args = append(args, s.Dir)
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+s.AccessKey, "ROOT_SECRET_KEY="+s.SecretKey)
	if s.logw != nil {
		cmd.Stdout, cmd.Stderr = s.logw, s.logw
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the test
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start versitygw: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()
	if err := s.waitReady(exited, 30*time.Second); err != nil {
		s.Stop()
		return err
	}
	return nil
}

func (s *Server) waitReady(exited chan struct{}, limit time.Duration) error {
	cl, err := s.Client()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(limit)
	for {
		select {
		case <-exited:
			return errors.New("versitygw exited while starting (port taken?)")
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := cl.ListBuckets(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("versitygw not ready after %s: %v", limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop kills the server and waits for it to exit. Data stays in Dir.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-exited
}

// Client returns a minio-go client for the root account.
func (s *Server) Client() (*minio.Client, error) {
	return minio.New(s.Addr, &minio.Options{
		Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), Region: "us-east-1",
		BucketLookup: minio.BucketLookupPath, MaxRetries: 1,
	})
}

// MakeBucket creates a bucket.
func (s *Server) MakeBucket(name string) error {
	cl, err := s.Client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return cl.MakeBucket(ctx, name, minio.MakeBucketOptions{Region: "us-east-1"})
}

// Env returns the variables that point the veil CLI at this server.
func (s *Server) Env() []string {
	return []string{"AWS_ENDPOINT_URL=" + s.URL, "AWS_ACCESS_KEY_ID=" + s.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretKey, "AWS_REGION=us-east-1"}
}

var bucketSeq struct {
	sync.Mutex
	n int
}

// NewBucket creates a bucket with a fresh name ("veiltest-3") and returns
// the name.
func (s *Server) NewBucket() (string, error) {
	bucketSeq.Lock()
	bucketSeq.n++
	name := fmt.Sprintf("veiltest-%d", bucketSeq.n)
	bucketSeq.Unlock()
	return name, s.MakeBucket(name)
}

// StartT starts a server for the test and stops it at the end. Without the
// binary it skips, or fails under CI=true.
func StartT(t testing.TB) *Server {
	t.Helper()
	if _, err := Binary(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("S3 test server required under CI=true: %v", err)
		}
		t.Skipf("skipping S3 test: %v", err)
	}
	s, err := Start(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// NewBucketT is NewBucket for tests.
func (s *Server) NewBucketT(t testing.TB) string {
	t.Helper()
	b, err := s.NewBucket()
	if err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	return b
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// xattrsWork reports whether dir's file system takes user extended
// attributes, where versitygw keeps metadata; without them it needs
// --sidecar.
func xattrsWork(dir string) bool {
	f, err := os.CreateTemp(dir, ".xattr-probe-")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	defer os.Remove(name)
	return syscall.Setxattr(name, "user.veil.probe", []byte("1"), 0) == nil
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
