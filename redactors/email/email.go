// Package email reads and redacts email: RFC 5322/MIME messages (.eml),
// Outlook messages (.msg, written back as .eml) and mailbox archives
// (.mbox).
//
// Parsing is go-message's (github.com/emersion/go-message): headers,
// encoded words, parameters, transfer encodings and charsets are decoded by
// it. Veil adds a locator that finds where each header field, body and part
// lies in the original bytes, and checks that it agrees with go-message on
// the structure (a disagreement is ErrCorrupt). Redact splices the changed
// header fields and bodies into the original bytes, so that everything Veil
// did not change stays byte for byte.
//
// What is text (Document.Parts), in this order for each message:
//   - every header field but the structural ones (MIME-Version,
//     Content-Transfer-Encoding, Content-Type and Content-Disposition,
//     whose parameters are parts of their own), encoded words decoded;
//     address fields list each address as `Name <local@domain>`;
//   - the preamble and epilogue of multiparts;
//   - every text body (text/plain, text/calendar unfolded, any other
//     text/*) decoded from its transfer encoding and charset; text/html
//     as two parts, the text a reader sees and the values of attributes,
//     comments, styles and scripts (one a line);
//   - attachment file names (Content-Disposition filename, Content-Type
//     name, RFC 2231 continuations decoded), underscores shown as spaces so
//     that the words are found, as in keys;
//   - every attachment through Veil's own formats (the Registry given to
//     New), recursively: its parts are named "part 2 (docx): …";
//     forwarded messages (message/rfc822) through this package.
//
// What is done whatever the edits: signatures (S/MIME, PGP) are dropped,
// since they would no longer verify, and the signed multipart becomes
// multipart/mixed; with Options.DropUnreadableAttachments, attachments that
// cannot be read are replaced by a short text part. Each gets a note.
//
// What is refused: encrypted messages and parts (ErrEncrypted), attachments
// that cannot be read (unsupported type, encrypted, corrupt) unless they
// are dropped, broken MIME structure (ErrCorrupt), unknown charsets
// (ErrEncoding), and anything over Limits (ErrTooLarge). Reasons name the
// position of a part (MIME section numbers, "part 2.1"), never its name.
package email

import (
	"bytes"
	"context"
	"fmt"
	"io"

	_ "github.com/emersion/go-message/charset" // go-message reads legacy charsets
	"github.com/veilhq/veil/redactors"
)

// Limits bound the work on one file.
type Limits struct {
	// MaxDepth is how deep messages and attachments may nest (a
	// forwarded message in a forwarded message is depth 2). Default 8.
	MaxDepth int
	// MaxDecoded is the total of decoded bytes of all bodies and
	// attachments of a file, nested ones included. A part that declares a
	// larger size is refused before it is read. Default 256 MiB.
	MaxDecoded int64
	// MaxParts is the number of MIME entities in one file. Default 10000.
	MaxParts int
}

// DefaultLimits are the limits used for zero fields.
var DefaultLimits = Limits{MaxDepth: 8, MaxDecoded: 256 << 20, MaxParts: 10000}

func (l Limits) orDefault() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxDecoded <= 0 {
		l.MaxDecoded = DefaultLimits.MaxDecoded
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultLimits.MaxParts
	}
	return l
}

// Options configure the email formats.
type Options struct {
	// Limits bound nesting and decoding; zero fields take DefaultLimits.
	Limits Limits
	// DropUnreadableAttachments replaces an attachment that cannot be
	// read (no format for it, encrypted, corrupt) by a short text part and
	// notes it, instead of refusing the whole message. Off by default: a
	// message is written only when all of it was inspected.
	DropUnreadableAttachments bool
}

type kind uint8

const (
	kindEML kind = iota
	kindMSG
	kindMBOX
)

// Format implements redactors.Format for one kind of email file.
type Format struct {
	kind kind
	reg  *redactors.Registry
	opts Options
}

var (
	_ redactors.Format            = Format{}
	_ redactors.Document          = (*Document)(nil)
	_ redactors.LeakChecker       = (*Document)(nil)
	_ redactors.Noter             = (*Document)(nil)
	_ redactors.OutputExtensioner = (*Document)(nil)
)

// New returns the format for .eml files. Attachments are read with the
// formats of reg (nil: attachments other than messages and text cannot be
// read); messages inside messages are read by this package whatever reg
// holds, within Options.Limits.
func New(reg *redactors.Registry, o Options) Format {
	o.Limits = o.Limits.orDefault()
	return Format{kind: kindEML, reg: reg, opts: o}
}

// NewMSG returns the format for Outlook .msg files. They are written as
// .eml (Document.OutputExtension).
func NewMSG(reg *redactors.Registry, o Options) Format {
	f := New(reg, o)
	f.kind = kindMSG
	return f
}

// NewMBOX returns the format for .mbox archives.
func NewMBOX(reg *redactors.Registry, o Options) Format {
	f := New(reg, o)
	f.kind = kindMBOX
	return f
}

// Formats returns the .eml, .msg and .mbox formats over reg.
func Formats(reg *redactors.Registry, o Options) []redactors.Format {
	return []redactors.Format{New(reg, o), NewMSG(reg, o), NewMBOX(reg, o)}
}

// Name implements redactors.Format.
func (f Format) Name() string {
	switch f.kind {
	case kindMSG:
		return "msg"
	case kindMBOX:
		return "mbox"
	}
	return "email"
}

// Extensions implements redactors.Format.
func (f Format) Extensions() []string {
	switch f.kind {
	case kindMSG:
		return []string{".msg"}
	case kindMBOX:
		return []string{".mbox"}
	}
	return []string{".eml"}
}

// Parse implements redactors.Format. A .msg format also reads .eml data
// (its own output, when the pipeline verifies it).
func (f Format) Parse(data []byte) (redactors.Document, error) {
	return f.ParseContext(context.Background(), data)
}

// ParseContext implements redactors.ContextParser: ctx is checked before
// every message of a mailbox and every attachment, and attachments are
// parsed under it.
func (f Format) ParseContext(stop context.Context, data []byte) (doc redactors.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("%s: %w (recovered panic)", f.Name(), redactors.ErrInternal)
		}
	}()
	if f.opts.Limits.MaxDepth == 0 {
		f.opts.Limits = f.opts.Limits.orDefault()
	}
	c := &ctx{reg: f.reg, opts: f.opts, budget: &budget{lim: f.opts.Limits}, stop: stop}
	switch f.kind {
	case kindMBOX:
		m, err := parseMbox(c, data)
		if err != nil {
			return nil, err
		}
		return m, nil
	case kindMSG:
		if isOLE(data) {
			d, err := parseMSG(c, data, 0)
			if err != nil {
				return nil, err
			}
			return d, nil
		}
	}
	d, err := parseMessage(c, data, 0)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ctx is shared by a file and everything nested in it.
type ctx struct {
	reg    *redactors.Registry
	opts   Options
	budget *budget
	stop   context.Context // of ParseContext; nil: never stops
}

// stopped returns the error of the context of ParseContext once it is
// done.
func (c *ctx) stopped() error {
	if c.stop == nil {
		return nil
	}
	return c.stop.Err()
}

// budget counts decoded bytes and entities across a file.
type budget struct {
	lim     Limits
	decoded int64
	parts   int
}

func (b *budget) take(n int64, pos string) error {
	if n < 0 || n > b.lim.MaxDecoded-b.decoded {
		return fmt.Errorf("email: %s: decoded content over the limit of %d bytes: %w", where(pos), b.lim.MaxDecoded, redactors.ErrTooLarge)
	}
	b.decoded += n
	return nil
}

func (b *budget) entity(pos string) error {
	b.parts++
	if b.parts > b.lim.MaxParts {
		return fmt.Errorf("email: %s: more than %d MIME parts: %w", where(pos), b.lim.MaxParts, redactors.ErrTooLarge)
	}
	return nil
}

// readAll reads r within the budget: it never holds more than the bytes
// left in it (plus one, to tell that the limit is passed).
func (b *budget) readAll(r io.Reader, pos string) ([]byte, error) {
	left := b.lim.MaxDecoded - b.decoded
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, left+1))
	if err != nil {
		return nil, err
	}
	if err := b.take(n, pos); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// where names a position for errors and notes: "the message" or "part 2.1".
func where(pos string) string {
	if pos == "" {
		return "the message"
	}
	return "part " + pos
}
