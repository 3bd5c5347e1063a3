package redactors

import (
	"errors"
)

// Reason is why a file was not written. Its Code is stable and appears in
// reports; its message never contains document text.
type Reason struct {
	Code    string
	Message string
}

// Error implements error.
func (r *Reason) Error() string { return r.Message }

// Sentinel errors. Formats wrap them with the part or page where the problem
// is ("docx: word/comments.xml: %w"); the pipeline reports the Code.
var (
	// ErrUnsupported signals a file type Veil does not process.
	ErrUnsupported = &Reason{"unsupported", "file type not supported"}
	// ErrEncoding signals text that is not valid UTF-8 (or another encoding
	// Veil does not read yet).
	ErrEncoding = &Reason{"encoding", "text is not valid UTF-8"}
	// ErrBinary signals binary data in a file that should hold text.
	ErrBinary = &Reason{"binary", "binary data in a text file"}
	// ErrEmpty signals a file with nothing in it.
	ErrEmpty = &Reason{"empty", "file is empty"}
	// ErrTooLarge signals a file over the configured size limit.
	ErrTooLarge = &Reason{"too_large", "file exceeds the size limit"}
	// ErrCorrupt signals a file that cannot be parsed.
	ErrCorrupt = &Reason{"corrupt", "file is corrupt or truncated"}
	// ErrEncrypted signals a password-protected file.
	ErrEncrypted = &Reason{"encrypted", "file is encrypted"}
	// ErrNoText signals content without a text layer (scans, images).
	ErrNoText = &Reason{"no_text", "content has no text layer (needs OCR)"}
	// ErrUninspectable signals embedded content Veil cannot inspect (macros,
	// embedded objects, fonts that cannot be mapped to Unicode).
	ErrUninspectable = &Reason{"uninspectable", "content cannot be inspected safely"}
	// ErrVerify signals an output that failed verification.
	ErrVerify = &Reason{"verify_failed", "redacted output failed verification"}
	// ErrInternal signals a bug in Veil (a recovered panic).
	ErrInternal = &Reason{"internal_error", "internal error while processing the file"}
	// ErrRead signals a file that could not be read from storage.
	ErrRead = &Reason{"read_error", "file could not be read"}
	// ErrTooSlow signals a file whose processing took longer than its
	// time budget (the pipeline's --file-timeout).
	ErrTooSlow = &Reason{"too_slow", "processing took longer than the file's time budget"}
)

// ReasonOf returns the Reason an error wraps, or ErrInternal.
func ReasonOf(err error) *Reason {
	var r *Reason
	if errors.As(err, &r) {
		return r
	}
	return ErrInternal
}
