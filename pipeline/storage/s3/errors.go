package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/minio/minio-go/v7"

	"github.com/veilhq/veil/pipeline/storage"
)

// ErrNoBucket signals that the bucket does not exist.
var ErrNoBucket = errors.New("bucket does not exist")

// ErrAuth signals rejected credentials or missing permissions.
var ErrAuth = errors.New("access denied")

// Error is a failed S3 operation. Its text names the operation, the S3 code
// and the HTTP status; never the object key, the credentials or the server's
// own message (which can quote the key).
type Error struct {
	Op     string // "get", "put", "list"…
	Code   string // S3 error code ("NoSuchKey"), or "" for network errors
	Status int    // HTTP status, 0 if none
	msg    string
	kind   error // storage.ErrNotExist, storage.ErrUnavailable, ErrNoBucket, ErrAuth, a context error, or nil
}

func (e *Error) Error() string { return "s3 " + e.Op + ": " + e.msg }

// Unwrap returns the kind of failure, for errors.Is; never the minio-go error.
func (e *Error) Unwrap() error { return e.kind }

// codes gives a short text and a kind to the S3 codes a run meets. The texts
// are ours: a server's Message is never shown.
var codes = map[string]struct {
	text string
	kind error
}{
	"NoSuchKey":                    {"object does not exist", storage.ErrNotExist},
	"NotFound":                     {"object does not exist", storage.ErrNotExist},
	"NoSuchBucket":                 {"bucket does not exist", ErrNoBucket},
	"AccessDenied":                 {"access denied (check the credentials' permissions)", ErrAuth},
	"InvalidAccessKeyId":           {"the access key is not known to the server (check AWS_ACCESS_KEY_ID)", ErrAuth},
	"SignatureDoesNotMatch":        {"the request signature does not match (check AWS_SECRET_ACCESS_KEY)", ErrAuth},
	"XAdminUserNotFound":           {"the access key is not known to the server (check AWS_ACCESS_KEY_ID)", ErrAuth},
	"ExpiredToken":                 {"the session token has expired", ErrAuth},
	"InvalidToken":                 {"the session token is not valid", ErrAuth},
	"AuthorizationHeaderMalformed": {"the authorization header is malformed (check the region)", ErrAuth},
	"InvalidRegion":                {"wrong region (check AWS_REGION / --s3-region)", nil},
	"InvalidBucketName":            {"invalid bucket name", ErrNoBucket},
	"InvalidObjectName":            {"the server refuses this object key", nil},
	"KeyTooLongError":              {"the object key is too long for the server", nil},
	"EntityTooLarge":               {"object too large for the server", nil},
	"SlowDown":                     {"the server asks to slow down", storage.ErrUnavailable},
	"RequestTimeout":               {"request timed out", storage.ErrUnavailable},
	"InternalError":                {"server internal error", storage.ErrUnavailable},
	"ServiceUnavailable":           {"service unavailable", storage.ErrUnavailable},
	"XMinioServerNotInitialized":   {"server not ready", storage.ErrUnavailable},
}

// wrap turns an error from minio-go into an *Error. name is the object name
// the request used ("" for bucket operations); it is scrubbed from any text
// that is kept.
func (s *Store) wrap(op string, err error, name string) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	e := &Error{Op: op}
	var resp minio.ErrorResponse
	var ue *url.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		e.msg, e.kind = ctxText(err), ctxKind(err)
	case errors.As(err, &resp) && resp.Code != "":
		e.Code, e.Status = resp.Code, resp.StatusCode
		c, ok := codes[resp.Code]
		switch {
		case ok:
			e.msg, e.kind = c.text, c.kind
		case resp.StatusCode == 401 || resp.StatusCode == 403:
			e.msg, e.kind = "access denied", ErrAuth
		case resp.StatusCode >= 500 || resp.StatusCode == 429:
			e.msg, e.kind = "server error", storage.ErrUnavailable
		default:
			e.msg = "request refused"
		}
		e.msg += " (" + resp.Code
		if resp.StatusCode != 0 {
			e.msg += fmt.Sprintf(", HTTP %d", resp.StatusCode)
		}
		e.msg += ")"
	case errors.As(err, &ue):
		// A network failure: the URL holds the key; keep only the cause.
		e.msg, e.kind = "cannot reach the server: "+scrub(netCause(ue.Err), name), storage.ErrUnavailable
	case isNetErr(err):
		e.msg, e.kind = "connection lost: "+scrub(netCause(err), name), storage.ErrUnavailable
	default:
		e.msg = scrub(err.Error(), name)
	}
	return e
}

func ctxText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return "cancelled"
}

func ctxKind(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

// isNetErr reports errors of a broken connection while reading a body.
func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// netCause names a network failure without addresses of the request path:
// "connection refused", "timeout", or the error text of a net.OpError
// (which holds host:port, not the URL).
func netCause(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection closed early"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return "cannot resolve the host name"
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Error() // "dial tcp 127.0.0.1:7070: connect: …": addresses, no path
	}
	if strings.Contains(err.Error(), "x509:") || strings.Contains(err.Error(), "tls:") {
		return "TLS handshake failed (is the certificate trusted? SSL_CERT_FILE adds a CA)"
	}
	if strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "Connection closed") {
		return "connection closed early"
	}
	return "network error" // other texts can quote the request URL
}

// scrub removes the object name, its URL-escaped form and each of its
// segments from a message, in case a library quotes it.
func scrub(msg, name string) string {
	if name == "" {
		return msg
	}
	repl := []string{name, url.PathEscape(name), url.QueryEscape(name), strings.ReplaceAll(url.PathEscape(name), "%2F", "/")}
	for _, seg := range strings.Split(name, "/") {
		if len(seg) >= 3 {
			repl = append(repl, seg, url.PathEscape(seg))
		}
	}
	for _, r := range repl {
		if r != "" {
			msg = strings.ReplaceAll(msg, r, "[key]")
		}
	}
	return msg
}

// scrubErr is scrub for an error that is not from minio-go.
func scrubErr(err error, name string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errors.New(scrub(err.Error(), name))
}
