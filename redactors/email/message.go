package email

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// Document is a parsed message (.eml, or a .msg read as one). It is not
// safe for concurrent use.
type Document struct {
	c      *ctx
	depth  int
	buf    []byte
	nl     string // the message's line ending
	root   *entity
	nest   []*entity
	parts  []redactors.Part
	slots  []*slot
	notes  []string
	rnotes []string // notes of the last Redact
	atts   []Attachment
	fixed  []splice // made whatever the edits
	outExt string   // ".eml" for a .msg
	env    span     // an mbox "From " line before the header, if any
}

// Attachment describes one attachment of a message, for the report of a
// family (a message and its attachments): its position, the format that
// read it and which parts of the message's Parts are its content and its
// file name.
type Attachment struct {
	// Position is the MIME section number ("2", "3.1").
	Position string
	// Format is the name of the format that read it ("docx", "pdf",
	// "email"), or "" when it was dropped.
	Format string
	// Parts are the indexes in Parts of its content.
	Parts []int
	// NamePart is the index in Parts of its file name, or -1.
	NamePart int
	// Dropped is true when it was removed (unreadable, with
	// Options.DropUnreadableAttachments).
	Dropped bool
}

// Attachments returns the attachments of the message, nested ones
// included, in the order of the message.
func (d *Document) Attachments() []Attachment { return d.atts }

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// FileNameParts implements redactors.FileNamer: the parts that are an
// attachment's name (Content-Type name, Content-Disposition filename),
// those of attached messages included.
func (d *Document) FileNameParts() []int {
	var out []int
	seen := map[*attachment]bool{}
	for i, s := range d.slots {
		switch {
		case s.kind == slotParam && s.nameLike:
			out = append(out, i)
		case s.kind == slotChild && !seen[s.att]:
			seen[s.att] = true
			if sub, ok := s.att.doc.(redactors.FileNamer); ok {
				for _, k := range sub.FileNameParts() {
					out = append(out, s.att.first+k)
				}
			}
		}
	}
	sort.Ints(out)
	return out
}

// Notes implements redactors.Noter.
func (d *Document) Notes() []string {
	return append(append([]string(nil), d.notes...), d.rnotes...)
}

// OutputExtension implements redactors.OutputExtensioner: ".eml" for a
// message read from .msg, "" otherwise.
func (d *Document) OutputExtension() string { return d.outExt }

type slotKind uint8

const (
	slotHeader slotKind = iota + 1
	slotAddr
	slotParam
	slotText
	slotHTMLText
	slotHTMLAttr
	slotCalendar
	slotRaw // preamble, epilogue, envelope line: raw ASCII/UTF-8 text
	slotChild
)

// slot says where the text of a part comes from and how edits go back.
type slot struct {
	kind  slotKind
	e     *entity
	f     *field
	msgid bool        // a field of message ids: no spaces in its output
	addrs []addrPiece // slotAddr
	// slotParam
	inCD     bool // parameter of Content-Disposition (else Content-Type)
	param    string
	nameLike bool
	// slotRaw
	raw span
	// slotChild
	att   *attachment
	child int
}

type splice struct {
	start, end int
	repl       []byte
}

func (d *Document) add(name, text string, s *slot) int {
	d.parts = append(d.parts, redactors.Part{Name: name, Text: text})
	d.slots = append(d.slots, s)
	return len(d.parts) - 1
}

func (d *Document) note(format string, a ...any) {
	d.notes = append(d.notes, fmt.Sprintf(format, a...))
}

// parseMessage parses an RFC 5322 message.
func parseMessage(c *ctx, data []byte, depth int) (*Document, error) {
	if depth > c.opts.Limits.MaxDepth {
		return nil, fmt.Errorf("email: messages nested deeper than %d: %w", c.opts.Limits.MaxDepth, redactors.ErrTooLarge)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("email: %w", redactors.ErrEmpty)
	}
	d := &Document{c: c, depth: depth, buf: data, nl: "\r\n"}
	if le := lineEnd(data, 0, len(data)); le > 0 && (le < 2 || data[le-2] != '\r') {
		d.nl = "\n"
	}
	start := 0
	if bytes.HasPrefix(data, []byte("From ")) {
		// An mbox envelope line kept by some clients when saving.
		start = lineEnd(data, 0, len(data))
		d.env = span{0, start}
	}
	if !looksLikeHeader(data[start:]) {
		return nil, fmt.Errorf("email: no message header: %w", redactors.ErrUnsupported)
	}
	root, err := d.parseEntity("", start, len(data))
	if err != nil {
		return nil, err
	}
	d.root = root
	if d.env.end > 0 {
		line := string(trimEOL(data[:d.env.end]))
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("email: envelope line: %w", redactors.ErrEncoding)
		}
		d.add("envelope", line, &slot{kind: slotRaw, raw: span{0, len(line)}})
	}
	if err := d.walk(root, nil); err != nil {
		return nil, err
	}
	return d, nil
}

// looksLikeHeader reports whether data starts with a header field.
func looksLikeHeader(data []byte) bool {
	line := trimEOL(data[:lineEnd(data, 0, len(data))])
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	for _, c := range line[:i] {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// Media types of encrypted and signature parts.
var (
	encryptedTypes = set("application/pkcs7-mime", "application/x-pkcs7-mime", "application/pgp-encrypted",
		"multipart/encrypted", "application/pkcs7-encrypted")
	signatureTypes = set("application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature")
	// message/* types that are text (delivery reports)
	textMessageTypes = set("message/delivery-status", "message/disposition-notification", "message/feedback-report",
		"text/rfc822-headers", "message/global-delivery-status", "message/global-disposition-notification")
)

func set(s ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return m
}

// walk classifies e and its children and builds their parts. parent is
// the multipart that holds e, if any.
func (d *Document) walk(e, parent *entity) error {
	if encryptedTypes[e.mtype] {
		return fmt.Errorf("email: %s: encrypted content (S/MIME or PGP) cannot be inspected: %w", where(e.pos), redactors.ErrEncrypted)
	}
	switch {
	case e.role == roleMultipart:
		if e.mtype == "multipart/signed" {
			if len(e.children) != 2 || !signatureTypes[e.children[1].mtype] {
				return fmt.Errorf("email: %s: signed multipart without a signature part: %w", where(e.pos), redactors.ErrCorrupt)
			}
		}
		if err := d.headerParts(e); err != nil {
			return err
		}
		d.rawPart(e, e.pre, "preamble")
		for _, c := range e.children {
			if err := d.walk(c, e); err != nil {
				return err
			}
		}
		d.rawPart(e, e.epi, "epilogue")
		return nil
	case signatureTypes[e.mtype]:
		if parent == nil {
			return fmt.Errorf("email: the message is only a signature: %w", redactors.ErrUninspectable)
		}
		e.role = roleSignature
		d.fixed = append(d.fixed, splice{e.delimStart, e.end, nil})
		d.note("%s: digital signature removed (it no longer verifies once the message is redacted)", where(e.pos))
		return nil
	case textMessageTypes[e.mtype] || (strings.HasPrefix(e.mtype, "text/") && e.mtype != "text/rtf" && e.mtype != "text/richtext"):
		return d.textPart(e, parent)
	default:
		return d.attachmentPart(e, parent)
	}
}

// rawPart adds a preamble or epilogue as a part when it holds text.
func (d *Document) rawPart(e *entity, sp span, what string) {
	t := d.buf[sp.start:sp.end]
	if len(bytes.TrimSpace(t)) == 0 {
		return
	}
	if !utf8.Valid(t) {
		// Nobody reads it; Veil does not guess its charset either.
		d.fixed = append(d.fixed, splice{sp.start, sp.end, nil})
		d.note("%s: %s in an unknown charset removed", where(e.pos), what)
		return
	}
	d.add(partName(e.pos, what), string(t), &slot{kind: slotRaw, e: e, raw: sp})
}

func partName(pos, what string) string {
	if pos == "" {
		return what
	}
	return "part " + pos + ": " + what
}

// Header fields that are structure, not text: their values are
// enumerations (and the parameters of Content-Type and -Disposition are
// parts of their own).
var structuralFields = set("Mime-Version", "Content-Transfer-Encoding", "Content-Type", "Content-Disposition")

// Address fields.
var addressFields = set("From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Resent-From", "Resent-To", "Resent-Cc",
	"Resent-Bcc", "Resent-Sender", "Return-Path", "Delivered-To", "Disposition-Notification-To", "Errors-To",
	"Mail-Followup-To", "Mail-Reply-To", "Return-Receipt-To", "X-Original-To", "X-Envelope-From", "X-Envelope-To")

// Fields of message ids.
var msgidFields = set("Message-Id", "In-Reply-To", "References", "Content-Id", "Resent-Message-Id")

// Common field names, shown in part names; other names (X-…) could be
// anything and are shown by number.
var knownFields = set("From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Subject", "Date", "Message-Id",
	"In-Reply-To", "References", "Received", "Return-Path", "Delivered-To", "Comments", "Keywords",
	"Resent-From", "Resent-To", "Resent-Cc", "Resent-Bcc", "Resent-Date", "Resent-Sender", "Resent-Message-Id",
	"Content-Id", "Content-Description", "Content-Language", "Content-Location", "Thread-Topic", "Thread-Index",
	"X-Mailer", "User-Agent", "X-Originating-Ip", "Organization", "Importance", "Priority", "X-Priority",
	"Authentication-Results", "Received-Spf", "Dkim-Signature", "Arc-Seal", "Arc-Message-Signature",
	"Arc-Authentication-Results", "List-Id", "List-Unsubscribe", "Disposition-Notification-To",
	"Accept-Language", "X-Ms-Has-Attach", "X-Ms-Tnef-Correlator", "Errors-To", "X-Original-To")

// Parameters that are structure: enumerations, sizes and tokens.
var structuralParams = set("charset", "boundary", "format", "delsp", "method", "protocol", "micalg", "type",
	"report-type", "reply-type", "smime-type", "start", "start-info", "size", "x-unix-mode", "x-mac-type",
	"x-mac-creator", "component", "differences", "access-type")

// headerParts adds the header fields and parameters of e as parts.
func (d *Document) headerParts(e *entity) error {
	prefix := "headers"
	if e.pos != "" {
		prefix = "part " + e.pos + ": headers"
	}
	for i, f := range e.fields {
		if structuralFields[f.canon] {
			continue
		}
		label, field := f.canon, ""
		if !knownFields[f.canon] {
			// The part is named by number (a field's name may be
			// anything); its name's words are the value's label for the
			// detectors, as a column header is a cell's: "X-Patient-MRN:
			// 48213907" is a record number.
			label, field = "field "+strconv.Itoa(i+1), fieldWords(f.canon)
		}
		name := prefix + ": " + label
		text, err := decodeHeaderText(f.value)
		if err != nil {
			return fmt.Errorf("email: %s: header %s: %w", where(e.pos), label, err)
		}
		if addressFields[f.canon] {
			if addrs, at, ok := addressText(f.value, text); ok {
				d.add(name, at, &slot{kind: slotAddr, e: e, f: f, addrs: addrs})
				continue
			}
		}
		k := d.add(name, text, &slot{kind: slotHeader, e: e, f: f, msgid: msgidFields[f.canon]})
		d.parts[k].Field = field
	}
	// A file name's identifier-shaped digit runs are replaced whatever
	// the edits (idruns.go): noted, by count.
	runs := 0
	for _, v := range []string{e.params["name"], e.dparams["filename"]} {
		if _, n := neutralIDs(v); n > runs {
			runs = n
		}
	}
	if runs > 0 {
		d.note("%s: %s in the attachment's file name replaced by \"ID\"", where(e.pos), plural(runs, "number of an identifier's shape", "numbers of an identifier's shape"))
	}
	// Parameters, sorted by key: Content-Type first, then -Disposition.
	for _, p := range []struct {
		inCD   bool
		params map[string]string
		f      *field
	}{{false, e.params, e.ct}, {true, e.dparams, e.cd}} {
		if p.f == nil {
			continue
		}
		keys := make([]string, 0, len(p.params))
		for k := range p.params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if structuralParams[k] {
				continue
			}
			v := p.params[k]
			if strings.TrimSpace(v) == "" {
				continue
			}
			nameLike := k == "name" || k == "filename"
			label := "parameter " + k
			switch {
			case k == "filename":
				label = "file name"
			case k == "name":
				label = "name"
			case !knownParams[k]:
				label = "parameter"
			}
			text := v
			if nameLike {
				text = keyText(v)
			}
			d.add(partName(e.pos, label), text, &slot{kind: slotParam, e: e, f: p.f, inCD: p.inCD, param: k, nameLike: nameLike})
		}
	}
	return nil
}

// fieldWords are the words of a header field's name, less the "X-" of
// an extension field: "X-Patient-MRN" reads "Patient MRN".
func fieldWords(name string) string {
	n := name
	if len(n) > 2 && (n[0] == 'X' || n[0] == 'x') && n[1] == '-' {
		n = n[2:]
	}
	return strings.Join(strings.FieldsFunc(n, func(r rune) bool { return r == '-' || r == '_' || r == '.' }), " ")
}

var knownParams = set("creation-date", "modification-date", "read-date", "x-apple-part-url", "title", "id")

// keyText shows underscores as spaces (same length), so that detectors see
// the words of a file name, as the pipeline does for keys.
func keyText(s string) string { return strings.ReplaceAll(s, "_", " ") }

// nameSlot returns the index of the file-name part of e, or -1.
func (d *Document) nameSlot(e *entity) int {
	for i, s := range d.slots {
		if s.kind == slotParam && s.e == e && s.nameLike {
			return i
		}
	}
	return -1
}

// fileName returns the file name of an entity, "" when it has none.
func fileName(e *entity) string {
	if n := e.dparams["filename"]; n != "" {
		return n
	}
	return e.params["name"]
}

// extOf returns the lower-case extension of a file name.
func extOf(name string) string { return strings.ToLower(path.Ext(name)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
