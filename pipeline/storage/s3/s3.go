// Package s3 stores objects in an S3-compatible object store (AWS S3, MinIO,
// versitygw, Ceph…) through minio-go, behind the storage.Source and
// storage.Sink contracts. It passes the same conformance suite
// (storagetest) as local folders, against a real server.
//
// Errors never carry object keys, credentials or the server's free-text
// messages: keys can hold client names, and a server's message can quote the
// key. They carry the operation, the S3 error code and the HTTP status, and
// wrap storage.ErrNotExist, storage.ErrUnavailable, ErrNoBucket or ErrAuth
// so that callers can decide with errors.Is.
package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/veilhq/veil/pipeline/storage"
)

// DefaultPartSize is the multipart part size. Objects up to this size go up
// in one PUT; larger ones in parts of this size. An upload of unknown size
// buffers at most one part.
const DefaultPartSize = 16 << 20

// DefaultMaxRetries is how many times minio-go tries one request that fails
// with a network error, a 5xx status or a throttling code, with exponential
// backoff (200 ms doubling, capped at 1 s). Callers retry whole operations
// on top of this (storage.ErrUnavailable).
const DefaultMaxRetries = 4

// Config says how to reach the server. The zero value talks to AWS S3 in
// us-east-1 with credentials from the environment.
type Config struct {
	// Endpoint is a URL ("http://127.0.0.1:7070", "https://s3.example.com")
	// or host[:port]. Empty means AWS S3. A URL's scheme decides TLS; a bare
	// host uses TLS unless NoTLS is set.
	Endpoint string
	NoTLS    bool
	// Region defaults to us-east-1 (what MinIO and versitygw expect).
	Region string
	// PathStyle forces path-style requests (http://host/bucket/key), which
	// most self-hosted servers need; false lets minio-go choose (virtual
	// hosts on AWS, path style elsewhere).
	PathStyle bool
	// AccessKey and SecretKey (and SessionToken) are static credentials.
	// When empty, credentials come from the environment
	// (AWS_ACCESS_KEY_ID…), then ~/.aws/credentials, then IAM (instance
	// roles, Kubernetes web identity).
	AccessKey, SecretKey, SessionToken string
	// MaxRetries per request (default DefaultMaxRetries).
	MaxRetries int
	// PartSize for multipart uploads (default DefaultPartSize).
	PartSize int64
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
}

// ConfigFromEnv returns a Config from the usual AWS variables:
// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_REGION or AWS_DEFAULT_REGION,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		Endpoint:     first(getenv("AWS_ENDPOINT_URL_S3"), getenv("AWS_ENDPOINT_URL")),
		Region:       first(getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION")),
		AccessKey:    getenv("AWS_ACCESS_KEY_ID"),
		SecretKey:    getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: getenv("AWS_SESSION_TOKEN"),
	}
	return c
}

func first(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// String describes the configuration for messages: endpoint and region,
// never credentials.
func (c Config) String() string {
	ep := c.Endpoint
	if ep == "" {
		ep = "AWS S3"
	}
	return fmt.Sprintf("%s (region %s)", ep, c.region())
}

func (c Config) region() string {
	if c.Region == "" {
		return "us-east-1"
	}
	return c.Region
}

// ParseURL splits "s3://bucket/prefix/" into bucket and prefix ("prefix",
// without slashes at either end).
func ParseURL(raw string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(raw, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%q is not an s3://bucket/prefix URL", raw)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	prefix = strings.Trim(prefix, "/")
	if len(bucket) < 3 || len(bucket) > 63 || strings.ContainsAny(bucket, " _\\?#") || strings.ToLower(bucket) != bucket {
		return "", "", fmt.Errorf("s3://%s: bucket names have 3 to 63 lower-case letters, digits, dots and hyphens", bucket)
	}
	if prefix != "" {
		if err := storage.CheckKey(prefix); err != nil {
			return "", "", fmt.Errorf("s3://%s: the prefix has empty, . or .. segments", bucket)
		}
	}
	return bucket, prefix, nil
}

// Store is a bucket and a key prefix. It is both a Source and a Sink;
// methods are safe for concurrent use.
type Store struct {
	client   *minio.Client
	core     minio.Core
	bucket   string
	prefix   string // without slashes at either end; "" for the whole bucket
	partSize int64
	endpoint string
}

var (
	_ storage.Source = (*Store)(nil)
	_ storage.Sink   = (*Store)(nil)
)

// New returns the store at s3://bucket/prefix. It makes no request; Check
// does.
func New(c Config, bucket, prefix string) (*Store, error) {
	host, secure, err := endpoint(c)
	if err != nil {
		return nil, err
	}
	var creds *credentials.Credentials
	if c.AccessKey != "" || c.SecretKey != "" {
		creds = credentials.NewStaticV4(c.AccessKey, c.SecretKey, c.SessionToken)
	} else {
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{}, &credentials.FileAWSCredentials{}, &credentials.IAM{},
		})
	}
	tr := c.Transport
	if tr == nil {
		t, err := minio.DefaultTransport(secure)
		if err != nil {
			return nil, fmt.Errorf("s3: transport: %w", err)
		}
		// A server that accepts connections but never answers must not
		// hang the run: give up on a response after two minutes (the
		// request is then retried, see MaxRetries).
		t.ResponseHeaderTimeout = 2 * time.Minute
		t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		tr = t
	}
	lookup := minio.BucketLookupAuto
	if c.PathStyle {
		lookup = minio.BucketLookupPath
	}
	retries := c.MaxRetries
	if retries <= 0 {
		retries = DefaultMaxRetries
	}
	cl, err := minio.New(host, &minio.Options{
		Creds: creds, Secure: secure, Region: c.region(), BucketLookup: lookup,
		Transport: tr, MaxRetries: retries,
	})
	if err != nil {
		return nil, fmt.Errorf("s3: endpoint %s: %s", host, err)
	}
	ps := c.PartSize
	if ps <= 0 {
		ps = DefaultPartSize
	}
	return &Store{client: cl, core: minio.Core{Client: cl}, bucket: bucket, prefix: strings.Trim(prefix, "/"), partSize: ps, endpoint: host}, nil
}

func endpoint(c Config) (host string, secure bool, err error) {
	ep := strings.TrimSpace(c.Endpoint)
	if ep == "" {
		return "s3.amazonaws.com", !c.NoTLS, nil
	}
	if !strings.Contains(ep, "://") {
		return strings.TrimRight(ep, "/"), !c.NoTLS, nil
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false, fmt.Errorf("s3: endpoint %q is not an http(s):// URL or host:port", ep)
	}
	if u.Path != "" && u.Path != "/" {
		return "", false, fmt.Errorf("s3: endpoint %q has a path; give scheme://host:port only", ep)
	}
	return u.Host, u.Scheme == "https", nil
}

// Bucket returns the bucket name.
func (s *Store) Bucket() string { return s.bucket }

// Prefix returns the key prefix, without slashes at either end.
func (s *Store) Prefix() string { return s.prefix }

// Endpoint returns the server's host[:port].
func (s *Store) Endpoint() string { return s.endpoint }

// String implements Source and Sink: "s3://bucket/prefix".
func (s *Store) String() string {
	if s.prefix == "" {
		return "s3://" + s.bucket
	}
	return "s3://" + s.bucket + "/" + s.prefix
}

// Sub returns the store at prefix/sub, on the same client.
func (s *Store) Sub(sub string) *Store {
	c := *s
	c.prefix = strings.Trim(storage.Join(s.prefix, strings.Trim(sub, "/")), "/")
	return &c
}

func (s *Store) name(key string) (string, error) {
	if err := storage.CheckKey(key); err != nil {
		return "", err
	}
	return storage.Join(s.prefix, key), nil
}

// Check makes one request to tell a missing bucket or rejected credentials
// from a working store: it lists at most one key under the prefix.
func (s *Store) Check(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops ListObjects' goroutine
	// The first result (or none, for an empty prefix) is enough.
	o, ok := <-s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.listPrefix(), Recursive: true, MaxKeys: 1})
	if ok && o.Err != nil {
		return s.wrap("check", o.Err, "")
	}
	return nil
}

func (s *Store) listPrefix() string {
	if s.prefix == "" {
		return ""
	}
	return s.prefix + "/"
}

// Walk implements Source. S3 lists keys in ascending UTF-8 byte order, a
// page (1,000 keys) at a time. Keys ending in "/" with no content are
// folder markers and are skipped; keys that are not valid relative keys
// ("a//b", "../x") and other non-empty "folders" are reported with Size -1.
func (s *Store) Walk(ctx context.Context, fn func(storage.Object) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops ListObjects' goroutine when fn fails or ctx ends
	lp := s.listPrefix()
	last := ""
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: lp, Recursive: true}) {
		if o.Err != nil {
			return s.wrap("list", o.Err, "")
		}
		key := strings.TrimPrefix(o.Key, lp)
		if key <= last && last != "" {
			// The contract promises byte order; a server that breaks it
			// would make resume and sharding skip or repeat objects.
			return fmt.Errorf("s3 list: the server returned keys out of order")
		}
		last = key
		if strings.HasSuffix(key, "/") && o.Size == 0 {
			continue
		}
		obj := storage.Object{Key: key, Size: o.Size, ETag: strings.Trim(o.ETag, `"`), ModTime: o.LastModified}
		if storage.CheckKey(key) != nil {
			obj.Size, obj.ETag = -1, ""
		}
		if err := fn(obj); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Open implements Source and Sink. The reader implements
// storage.ContentTyper.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.name(key)
	if err != nil {
		return nil, err
	}
	rc, info, _, err := s.core.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.wrap("get", err, name)
	}
	return &reader{rc: rc, s: s, name: name, ctype: info.ContentType}, nil
}

type reader struct {
	rc    io.ReadCloser
	s     *Store
	name  string
	ctype string
}

var _ storage.ContentTyper = (*reader)(nil)

func (r *reader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	if err != nil && err != io.EOF {
		err = r.s.wrap("read", err, r.name)
	}
	return n, err
}

func (r *reader) Close() error { return r.rc.Close() }

// ContentType implements storage.ContentTyper.
func (r *reader) ContentType() string { return r.ctype }

// Put implements Sink. S3 makes a PUT or a completed multipart upload
// visible at once or not at all; minio-go aborts a multipart upload that
// fails. An upload killed with the process leaves parts that never become
// an object: a bucket lifecycle rule (AbortIncompleteMultipartUpload)
// removes them.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if n, ok := seekableSize(r); ok && size < 0 {
		// A file or an in-memory body: its size is known after all, and
		// minio-go uploads its parts from it without buffering them.
		size = n
	}
	if size < 0 {
		// Read up to one part: a small object of unknown size goes up in
		// one PUT that can be retried, not as a multipart upload; a larger
		// one as a multipart upload that buffers one part at a time.
		head, err := io.ReadAll(io.LimitReader(storage.ContextReader(ctx, r), s.partSize+1))
		if err != nil {
			return fmt.Errorf("s3 put: read input: %w", scrubErr(err, name))
		}
		if int64(len(head)) <= s.partSize {
			r, size = bytes.NewReader(head), int64(len(head))
		} else {
			r = io.MultiReader(bytes.NewReader(head), storage.ContextReader(ctx, r))
		}
	}
	opts := minio.PutObjectOptions{ContentType: contentType, PartSize: uint64(s.partSize)}
	// A short or long body must fail, not store something else. A seekable
	// body is measured (and stays seekable, so minio-go can retry it and
	// upload its parts in parallel); any other is counted as it is read.
	if n, ok := seekableSize(r); ok && size >= 0 {
		if n != size {
			return fmt.Errorf("s3 put: body has %d bytes, expected %d", n, size)
		}
	} else if size >= 0 {
		r = &exactReader{r: r, left: size}
	}
	if _, err := s.client.PutObject(ctx, s.bucket, name, r, size, opts); err != nil {
		return s.wrap("put", err, name)
	}
	return nil
}

// seekableSize returns the length of r when r is a seeker at offset 0
// (minio-go seeks to 0 to retry).
func seekableSize(r io.Reader) (int64, bool) {
	sk, ok := r.(io.Seeker)
	if !ok {
		return 0, false
	}
	if cur, err := sk.Seek(0, io.SeekCurrent); err != nil || cur != 0 {
		return 0, false
	}
	end, err := sk.Seek(0, io.SeekEnd)
	if _, err2 := sk.Seek(0, io.SeekStart); err != nil || err2 != nil {
		return 0, false
	}
	return end, true
}

// exactReader fails when r holds fewer or more than left bytes.
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left == 0 {
		var one [1]byte
		if n, _ := e.r.Read(one[:]); n > 0 {
			return 0, errors.New("body longer than its size")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

// Stat implements Sink.
func (s *Store) Stat(ctx context.Context, key string) (storage.Object, error) {
	name, err := s.name(key)
	if err != nil {
		return storage.Object{}, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return storage.Object{}, s.wrap("stat", err, name)
	}
	return storage.Object{Key: key, Size: info.Size, ETag: strings.Trim(info.ETag, `"`), ModTime: info.LastModified, ContentType: info.ContentType}, nil
}

// Exists implements Source with one HEAD request: only an object stored
// under exactly key counts, not a "folder" of keys that start with key/.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	_, err := s.Stat(ctx, key)
	if errors.Is(err, storage.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Delete implements Sink.
func (s *Store) Delete(ctx context.Context, key string) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil {
		err = s.wrap("delete", err, name)
		if errors.Is(err, storage.ErrNotExist) {
			return nil
		}
		return err
	}
	return nil
}
