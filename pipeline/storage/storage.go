// Package storage gives the pipeline one contract over local folders and
// S3-compatible object stores: a Source lists and reads objects, a Sink
// writes them atomically. Keys are slash-separated paths relative to the
// location's root ("2019/intake.docx").
//
// Every implementation passes the conformance suite in storagetest.
package storage

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"
)

// Object describes one stored object.
type Object struct {
	Key  string
	Size int64
	// ETag fingerprints the content (S3 ETag; for local files a hash of
	// size and modification time, and on Linux of the inode's change time,
	// number and device: see localETag). Resume uses it to tell a changed
	// object from a finished one.
	ETag    string
	ModTime time.Time
	// ContentType is the stored media type, where the store keeps one and
	// it comes cheaply (S3 Stat); "" otherwise.
	ContentType string
}

// ContentTyper is an optional interface for the reader Open returns: the
// object's stored media type, so that outputs keep it.
type ContentTyper interface {
	ContentType() string
}

// Source lists and reads objects.
type Source interface {
	// Walk calls fn exactly once for each object under the source, in
	// ascending byte order of keys, without holding the whole listing in
	// memory. It stops at the first error from fn and returns it, or when
	// ctx is done. Entries that are not regular objects (symlinks, devices)
	// are reported to fn with Size -1 so that they can be accounted for.
	Walk(ctx context.Context, fn func(Object) error) error
	// Open returns the content of the object at key. The error wraps
	// ErrNotExist when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Exists reports whether something is stored under key. It never
	// reports false for an object that Walk reports (regular or not); it
	// may report true for other entries (a local folder). The pipeline
	// relies on it to keep redacted output names off source keys, so an
	// implementation that cannot tell must return an error, not false:
	// ErrBadKey for an invalid key, ErrUnavailable when the store cannot
	// be reached. Errors never contain the key.
	Exists(ctx context.Context, key string) (bool, error)
	// String describes the location for messages; never credentials.
	String() string
}

// Sink writes objects.
type Sink interface {
	// Put stores size bytes from r under key (size -1 when unknown).
	// Readers never see a partial object: on error nothing is left under
	// key, and an earlier object under key stays intact.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Stat returns the object at key; the error wraps ErrNotExist when
	// there is none.
	Stat(ctx context.Context, key string) (Object, error)
	// Open returns the content of the object at key (ErrNotExist if none).
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the object at key; deleting a missing key is not an
	// error.
	Delete(ctx context.Context, key string) error
	// String describes the location for messages; never credentials.
	String() string
}

// Syncer is an optional interface of a Sink that can make its writes
// durable in a batch rather than one by one: Sync makes every Put that has
// returned so far durable (on disk, surviving a crash of the machine). A
// Sink without it makes each Put durable before it returns.
type Syncer interface {
	Sync(ctx context.Context) error
}

// ErrNotExist signals a missing object.
var ErrNotExist = errors.New("object does not exist")

// ErrUnavailable signals that the store cannot be reached or fails with
// server errors (network errors, HTTP 5xx, throttling) after the
// implementation's own retries. It is transient for the store, not a
// property of the object: a run stops on it and can be resumed.
var ErrUnavailable = errors.New("storage unavailable")

// ErrBadKey signals a key that is empty, absolute, or escapes the root.
var ErrBadKey = errors.New("invalid object key")

// CheckKey rejects keys that are empty, absolute, hold backslashes or NUL,
// or have "." or ".." segments.
func CheckKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.ContainsAny(key, "\\\x00") {
		return ErrBadKey
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return ErrBadKey
		}
	}
	return nil
}

// Join joins a prefix and a key with one slash.
func Join(prefix, key string) string {
	prefix = strings.Trim(prefix, "/")
	if prefix == "" {
		return key
	}
	return prefix + "/" + key
}
