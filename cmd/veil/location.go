package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/pipeline/storage/s3"
)

// S3 settings. Credentials come only from the environment (or
// ~/.aws/credentials, or IAM), never from flags, so that they do not show
// in process lists or shell history; they are never printed.
var (
	s3EndpointFlag = &cli.StringFlag{
		Name: "s3-endpoint", EnvVars: []string{"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"},
		Usage: "S3-compatible server `URL` (http://host:port or https://…); default AWS S3",
	}
	s3RegionFlag = &cli.StringFlag{
		Name: "s3-region", EnvVars: []string{"AWS_REGION", "AWS_DEFAULT_REGION"}, Value: "us-east-1",
		Usage: "S3 region",
	}
	s3PathStyleFlag = &cli.BoolFlag{
		Name: "s3-path-style", EnvVars: []string{"VEIL_S3_PATH_STYLE"},
		Usage: "path-style requests (http://host/bucket/key), needed by most self-hosted servers; on by default with --s3-endpoint",
		Value: false,
	}
	s3NoTLSFlag = &cli.BoolFlag{
		Name:  "s3-no-tls",
		Usage: "plain HTTP for an endpoint given as host:port (a URL's scheme decides otherwise)",
	}
)

func s3Flags() []cli.Flag {
	return []cli.Flag{s3EndpointFlag, s3RegionFlag, s3PathStyleFlag, s3NoTLSFlag}
}

// location is a parsed SOURCE, DEST, --report or --state argument: a local
// folder or s3://bucket/prefix.
type location struct {
	raw   string
	local *storage.Local
	s3    *s3.Store
	// name is what messages and summaries call the location: the argument
	// it came from ("DEST", "--report"), then any sub-folder
	// ("DEST/veil-report"), never the path or URL as typed, which can be
	// named after a client (session "clipath", issue 13).
	name string
}

// Name returns the location's name for messages (see location.name).
func (l *location) Name() string { return l.name }

// ReportName is what the report calls the location: its role and its
// kind ("SOURCE (a local folder)", "DEST (an S3 bucket)"), never the path
// or URL as typed, nor a reading of it by the detectors, which took
// Veil's own path segments for names ("/dev/" became "/PERSON/") and kept
// what they did not find (session "side37", issue 13).
func (l *location) ReportName() string {
	if l.s3 != nil {
		return l.name + " (an S3 bucket)"
	}
	return l.name + " (a local folder)"
}

// store is what a location offers: both sides of the storage contract.
type store interface {
	storage.Source
	storage.Sink
}

func (l *location) store() store {
	if l.s3 != nil {
		return l.s3
	}
	return l.local
}

// String names the location for reports and messages: the absolute folder
// or s3://bucket/prefix, never an endpoint's credentials.
func (l *location) String() string { return l.store().String() }

func (l *location) isS3() bool { return l.s3 != nil }

func s3Config(c *cli.Context) s3.Config {
	cfg := s3.ConfigFromEnv(os.Getenv)
	cfg.Endpoint = c.String(s3EndpointFlag.Name)
	cfg.Region = c.String(s3RegionFlag.Name)
	cfg.NoTLS = c.Bool(s3NoTLSFlag.Name)
	// Self-hosted servers rarely have wildcard DNS for virtual hosts.
	cfg.PathStyle = c.Bool(s3PathStyleFlag.Name) || (cfg.Endpoint != "" && !c.IsSet(s3PathStyleFlag.Name))
	return cfg
}

// roles name each location argument in errors by its role and the
// argument it came from, never by the path or URL as typed: a folder or a
// bucket prefix can be named after a client (session "side36", issue 13).
var roles = map[string]string{
	"SOURCE":          "source folder (SOURCE)",
	"DEST":            "destination (DEST)",
	"--state":         "state folder (--state)",
	"--report":        "report location (--report)",
	"report location": "report location",
	"REPORT":          "report location (REPORT)",
}

// role returns what's name in errors (what itself when it has no role).
func role(what string) string {
	if r, ok := roles[what]; ok {
		return r
	}
	return what
}

func parseLocation(c *cli.Context, arg, what string) (*location, error) {
	if strings.HasPrefix(arg, "s3://") {
		bucket, prefix, err := s3.ParseURL(arg)
		if err != nil {
			// s3.ParseURL's errors quote the URL: only the rule is said
			return nil, withCode(exitFatal, fmt.Errorf("%s: not an s3://bucket/prefix URL (a bucket has 3 to 63 lower-case letters, digits, dots and hyphens; a prefix has no empty, . or .. segment)", role(what)))
		}
		st, err := s3.New(s3Config(c), bucket, prefix)
		if err != nil {
			return nil, withCode(exitFatal, fmt.Errorf("%s: %w", role(what), err))
		}
		return &location{raw: arg, s3: st, name: what}, nil
	}
	if strings.Contains(arg, "://") {
		return nil, withCode(exitFatal, fmt.Errorf("%s: give a local folder or s3://bucket/prefix", role(what)))
	}
	l, err := storage.NewLocal(arg)
	if err != nil {
		return nil, withCode(exitFatal, fmt.Errorf("%s: %s", role(what), problem(err)))
	}
	return &location{raw: arg, local: l, name: what}, nil
}

// sub returns the location of a sub-folder (prefix).
func (l *location) sub(p string) *location {
	if l.s3 != nil {
		return &location{raw: l.raw + "/" + p, s3: l.s3.Sub(p), name: l.name + "/" + p}
	}
	loc, _ := storage.NewLocal(filepath.Join(l.local.Root(), filepath.FromSlash(p)))
	return &location{raw: filepath.Join(l.raw, p), local: loc, name: l.name + "/" + p}
}

// checkSource requires an existing folder, or a reachable bucket, to read
// from; what names it in errors (SOURCE, or DEST for veil verify).
func (l *location) checkSource(ctx context.Context, what string) error {
	if l.s3 != nil {
		return l.checkS3(ctx, what)
	}
	info, err := os.Stat(l.local.Root())
	if err != nil {
		return withCode(exitFatal, fmt.Errorf("%s: %s", role(what), problem(err)))
	}
	if !info.IsDir() {
		return withCode(exitFatal, fmt.Errorf("%s is a file; use `veil redact FILE` for one file", role(what)))
	}
	return nil
}

// prepareSink makes a local folder, or checks that the bucket exists and
// the credentials work, before any file is processed. The folders it
// creates are added to created (if not nil), outermost first, so that a
// run that fails before it starts can remove them (removeCreated).
func (l *location) prepareSink(ctx context.Context, what string, created *[]string) error {
	if l.s3 != nil {
		return l.checkS3(ctx, what)
	}
	if info, err := os.Stat(l.local.Root()); err == nil && !info.IsDir() {
		return withCode(exitFatal, fmt.Errorf("%s is a file, not a folder", role(what)))
	}
	var missing []string
	for d := l.local.Root(); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append([]string{d}, missing...)
	}
	if err := os.MkdirAll(l.local.Root(), 0o755); err != nil {
		return withCode(exitFatal, fmt.Errorf("%s: cannot create the folder: %s", role(what), problem(err)))
	}
	if created != nil {
		*created = append(*created, missing...)
	}
	return nil
}

// removeCreated removes the folders prepareSink created, innermost first,
// as long as they are empty: a run that fails at start-up leaves nothing.
func removeCreated(created []string) {
	for i := len(created) - 1; i >= 0; i-- {
		os.Remove(created[i]) // fails, and keeps it, if anything is inside
	}
}

func (l *location) checkS3(ctx context.Context, what string) error {
	err := l.s3.Check(ctx)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, s3.ErrNoBucket):
		return withCode(exitFatal, fmt.Errorf("%s: the bucket does not exist on %s", role(what), l.s3.Endpoint()))
	case errors.Is(err, s3.ErrAuth):
		return withCode(exitFatal, fmt.Errorf("%s: credentials rejected by %s: %w", role(what), l.s3.Endpoint(), err))
	case errors.Is(err, storage.ErrUnavailable):
		return withCode(exitFatal, fmt.Errorf("%s: S3 server %s unavailable: %w", role(what), l.s3.Endpoint(), err))
	}
	return withCode(exitFatal, fmt.Errorf("%s: %w", role(what), err))
}

// inside reports whether a is b or lies inside b.
func inside(a, b string) bool {
	rel, err := filepath.Rel(b, a)
	return err == nil && (rel == "." || (!strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel)))
}

// overlaps reports whether one location contains the other.
func overlaps(a, b *location) bool {
	switch {
	case a.s3 != nil && b.s3 != nil:
		if a.s3.Endpoint() != b.s3.Endpoint() || a.s3.Bucket() != b.s3.Bucket() {
			return false
		}
		pa, pb := a.s3.Prefix(), b.s3.Prefix()
		return pa == "" || pb == "" || pa == pb || strings.HasPrefix(pa, pb+"/") || strings.HasPrefix(pb, pa+"/")
	case a.local != nil && b.local != nil:
		ra, _ := filepath.EvalSymlinks(a.local.Root())
		if ra == "" {
			ra = a.local.Root()
		}
		rb := b.local.Root()
		if r, err := filepath.EvalSymlinks(rb); err == nil {
			rb = r
		}
		return inside(ra, rb) || inside(rb, ra)
	}
	return false
}

// checkDisjoint refuses a destination that overlaps the source: outputs
// must never overwrite originals, and the source walk must not read outputs.
func checkDisjoint(src, dst *location, what string) error {
	if overlaps(src, dst) {
		return withCode(exitFatal, fmt.Errorf("%s overlaps the %s: choose a location outside it (originals are never overwritten)", role(what), role("SOURCE")))
	}
	return nil
}
