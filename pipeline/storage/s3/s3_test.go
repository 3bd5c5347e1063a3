package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/pipeline/storage/s3"
	"github.com/veilhq/veil/pipeline/storage/s3/s3test"
	"github.com/veilhq/veil/pipeline/storage/storagetest"
)

func newStore(t *testing.T, srv *s3test.Server, bucket, prefix string) *s3.Store {
	t.Helper()
	st, err := s3.New(s3.Config{Endpoint: srv.URL, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, PathStyle: true, PartSize: 5 << 20}, bucket, prefix)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestConformance(t *testing.T) {
	srv := s3test.StartT(t)
	bucket := srv.NewBucketT(t)
	n := 0
	storagetest.Run(t, func(t *testing.T) (storage.Source, storage.Sink) {
		// Each subtest gets its own prefix in one bucket, so the suite
		// also checks that a store stays inside its prefix.
		n++
		st := newStore(t, srv, bucket, "run/"+string(rune('a'+n)))
		return st, st
	})
}

func TestWholeBucketAndPrefixIsolation(t *testing.T) {
	srv := s3test.StartT(t)
	bucket := srv.NewBucketT(t)
	ctx := context.Background()
	whole := newStore(t, srv, bucket, "")
	for _, k := range []string{"in/a.txt", "in/b/c.txt", "inside.txt", "out/x.txt"} {
		if err := whole.Put(ctx, k, strings.NewReader(k), int64(len(k)), "text/plain"); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	in := newStore(t, srv, bucket, "in/")
	if err := in.Walk(ctx, func(o storage.Object) error { got = append(got, o.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "a.txt,b/c.txt" {
		t.Fatalf("prefix walk: %v", got)
	}
	if in.String() != "s3://"+bucket+"/in" {
		t.Fatalf("String %q", in.String())
	}
}

func TestContentTypeKept(t *testing.T) {
	srv := s3test.StartT(t)
	st := newStore(t, srv, srv.NewBucketT(t), "p")
	ctx := context.Background()
	data := []byte("%PDF-1.7 fake")
	if err := st.Put(ctx, "x.pdf", bytes.NewReader(data), int64(len(data)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	o, err := st.Stat(ctx, "x.pdf")
	if err != nil || o.ContentType != "application/pdf" {
		t.Fatalf("stat: %+v %v", o, err)
	}
	rc, err := st.Open(ctx, "x.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ct, ok := rc.(storage.ContentTyper)
	if !ok || ct.ContentType() != "application/pdf" {
		t.Fatalf("reader content type: %v", ok)
	}
}

// Errors from the server must not quote keys: keys hold client names.
func TestErrorsHoldNoKey(t *testing.T) {
	srv := s3test.StartT(t)
	bucket := srv.NewBucketT(t)
	st := newStore(t, srv, bucket, "Maria_Sandoval")
	ctx := context.Background()
	key := "intake_Maria_Sandoval.txt"
	_, err := st.Open(ctx, key)
	if !errors.Is(err, storage.ErrNotExist) {
		t.Fatalf("open missing: %v", err)
	}
	_, err2 := st.Stat(ctx, key)
	srv.Stop()
	_, err3 := st.Open(ctx, key)
	err4 := st.Put(ctx, key, strings.NewReader("x"), 1, "")
	if !errors.Is(err3, storage.ErrUnavailable) || !errors.Is(err4, storage.ErrUnavailable) {
		t.Fatalf("server down: %v / %v", err3, err4)
	}
	for _, e := range []error{err, err2, err3, err4} {
		t.Log(e)
		if e == nil || strings.Contains(e.Error(), "Sandoval") || strings.Contains(e.Error(), srv.SecretKey) {
			t.Errorf("error leaks: %v", e)
		}
	}
}

func TestCheck(t *testing.T) {
	srv := s3test.StartT(t)
	bucket := srv.NewBucketT(t)
	ctx := context.Background()
	if err := newStore(t, srv, bucket, "x").Check(ctx); err != nil {
		t.Fatalf("good store: %v", err)
	}
	err := newStore(t, srv, "no-such-bucket", "").Check(ctx)
	if !errors.Is(err, s3.ErrNoBucket) || !strings.Contains(err.Error(), "bucket does not exist") {
		t.Fatalf("missing bucket: %v", err)
	}
	bad, _ := s3.New(s3.Config{Endpoint: srv.URL, AccessKey: srv.AccessKey, SecretKey: "wrong-secret", PathStyle: true}, bucket, "")
	err = bad.Check(ctx)
	if !errors.Is(err, s3.ErrAuth) || strings.Contains(err.Error(), "wrong-secret") {
		t.Fatalf("bad secret: %v", err)
	}
	bad, _ = s3.New(s3.Config{Endpoint: srv.URL, AccessKey: "nobody", SecretKey: "x", PathStyle: true}, bucket, "")
	if err := bad.Check(ctx); !errors.Is(err, s3.ErrAuth) {
		t.Fatalf("unknown key: %v", err)
	}
}

// A Put of unknown size larger than a part goes up as a multipart upload;
// a failing reader leaves nothing behind.
func TestMultipartUnknownSize(t *testing.T) {
	srv := s3test.StartT(t)
	st := newStore(t, srv, srv.NewBucketT(t), "")
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), (11<<20)/16) // two parts of 5 MiB and a tail
	if err := st.Put(ctx, "big.txt", io.MultiReader(bytes.NewReader(data)), -1, "text/plain"); err != nil {
		t.Fatal(err)
	}
	o, err := st.Stat(ctx, "big.txt")
	if err != nil || o.Size != int64(len(data)) || !strings.Contains(o.ETag, "-") {
		t.Fatalf("stat %+v %v (want a multipart ETag)", o, err)
	}
}

func TestParseURL(t *testing.T) {
	for _, c := range []struct{ in, bucket, prefix, err string }{
		{"s3://archive/2019/", "archive", "2019", ""},
		{"s3://archive", "archive", "", ""},
		{"s3://archive/a/b", "archive", "a/b", ""},
		{"s3://ab/x", "", "", "bucket names"},
		{"s3://Archive/x", "", "", "bucket names"},
		{"s3://archive/a//b", "", "", "prefix"},
		{"s3://archive/../b", "", "", "prefix"},
		{"http://archive/b", "", "", "not an s3://"},
	} {
		b, p, err := s3.ParseURL(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || b != c.bucket || p != c.prefix {
			t.Errorf("%s: %q %q %v", c.in, b, p, err)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{"AWS_ENDPOINT_URL": "http://h:1", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SECRET"}
	c := s3.ConfigFromEnv(func(k string) string { return env[k] })
	if c.Endpoint != "http://h:1" || c.Region != "eu-west-1" || c.AccessKey != "AK" || c.SecretKey != "SECRET" {
		t.Fatalf("%+v", c)
	}
	if s := c.String(); strings.Contains(s, "SECRET") || strings.Contains(s, "AK") {
		t.Fatalf("String leaks credentials: %s", s)
	}
}
