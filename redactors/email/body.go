package email

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	message "github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/veilhq/veil/redactors"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// textBody is a decoded text body.
type textBody struct {
	text     string // UTF-8
	charset  string // declared, lower case ("" when none)
	fallback bool   // not valid in its declared charset: read as Windows-1252
	html     *htmlModel
	cal      *calModel
}

// declaredSize returns the size an entity declares (Content-Disposition
// size), or -1.
func declaredSize(e *entity) int64 {
	s, ok := e.dparams["size"]
	if !ok {
		return -1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// decodeTransfer returns the body of e decoded from its transfer encoding,
// within the budget. A declared size over the budget is refused before any
// byte is read.
func (d *Document) decodeTransfer(e *entity) ([]byte, error) {
	b := d.c.budget
	if n := declaredSize(e); n > b.lim.MaxDecoded-b.decoded {
		return nil, fmt.Errorf("email: %s: declares %d bytes, over the limit of %d: %w", where(e.pos), n, b.lim.MaxDecoded, redactors.ErrTooLarge)
	}
	raw := d.buf[e.bodyStart:e.end]
	var r io.Reader
	switch e.cte {
	case "", "7bit", "8bit", "binary":
		r = bytes.NewReader(raw)
	case "quoted-printable":
		r = quotedprintable.NewReader(bytes.NewReader(raw))
	case "base64":
		// go-message decodes it, tolerating the whitespace found in the wild
		h := message.Header{}
		h.Set("Content-Transfer-Encoding", "base64")
		ent, err := message.New(h, bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("email: %s: base64: %w", where(e.pos), redactors.ErrCorrupt)
		}
		r = ent.Body
	default:
		return nil, fmt.Errorf("email: %s: unknown transfer encoding: %w", where(e.pos), redactors.ErrUnsupported)
	}
	out, err := b.readAll(r, e.pos)
	if err != nil {
		if errors.Is(err, redactors.ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("email: %s: transfer encoding does not decode: %w", where(e.pos), redactors.ErrCorrupt)
	}
	return out, nil
}

// lookupCharset returns the encoding of a charset name, nil for UTF-8 and
// US-ASCII.
func lookupCharset(cs string) (encoding.Encoding, error) {
	switch cs {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return nil, nil
	}
	enc, err := ianaindex.MIME.Encoding(cs)
	if enc == nil {
		enc, err = htmlindex.Get(cs)
	}
	if err != nil || enc == nil {
		return nil, fmt.Errorf("unknown charset: %w", redactors.ErrEncoding)
	}
	return enc, nil
}

// decodeText decodes the body of a text entity.
func (d *Document) decodeText(e *entity) (*textBody, error) {
	raw, err := d.decodeTransfer(e)
	if err != nil {
		return nil, err
	}
	tb := &textBody{charset: strings.ToLower(strings.TrimSpace(e.params["charset"]))}
	enc, err := lookupCharset(tb.charset)
	if err != nil {
		return nil, fmt.Errorf("email: %s: %w", where(e.pos), err)
	}
	if enc == nil {
		if utf8.Valid(raw) {
			tb.text = string(raw)
			return tb, nil
		}
		enc, tb.fallback = charmap.Windows1252, true
	} else if r, err := charset.Reader(tb.charset, bytes.NewReader(raw)); err == nil {
		// go-message's charset reader is the reader of record; it agrees
		// with the lookup above on every name it knows.
		t, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("email: %s: text does not decode in its charset: %w", where(e.pos), redactors.ErrEncoding)
		}
		tb.text = strings.ToValidUTF8(string(t), "\uFFFD")
		return tb, nil
	}
	t, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, fmt.Errorf("email: %s: text does not decode in its charset: %w", where(e.pos), redactors.ErrEncoding)
	}
	tb.text = strings.ToValidUTF8(string(t), "\uFFFD")
	return tb, nil
}

// Files and ciphertext carried inside text: uuencode ("begin 644 name"),
// yEnc, BinHex and PGP armour. Their content is not text a detector can
// read.
var (
	embeddedFile = regexp.MustCompile(`(?m)^(?:begin(?:-base64)? [0-7]{3,4} \S.*\r?\n[!-` + "`" + `M][ -` + "`" + `]*\r?$|=ybegin .*name=|\(This file must be converted with BinHex|-----BEGIN PGP MESSAGE-----)`)
	pgpMessage   = regexp.MustCompile(`-----BEGIN PGP MESSAGE-----`)
	// iCalendar attachments and vCard photos, logos, sounds and keys
	// carried inline (RFC 5545 3.2.20, RFC 6350 6.2.4).
	calBinary = regexp.MustCompile(`(?im)^(?:ATTACH|PHOTO|LOGO|SOUND|KEY)(?:;[^:\n]*)?(?:;(?:ENCODING=(?:B|BASE64)|VALUE=BINARY)|:\s*data:)`)
)

// textPart reads a text entity and adds its parts.
func (d *Document) textPart(e *entity, parent *entity) error {
	tb, err := d.decodeText(e)
	if err != nil {
		if parent != nil && isAttachment(e) && d.c.opts.DropUnreadableAttachments && !errors.Is(err, redactors.ErrTooLarge) {
			return d.dropAttachment(e, err)
		}
		return err
	}
	if loc := embeddedFile.FindStringIndex(tb.text); loc != nil {
		err := fmt.Errorf("email: %s: the text holds an encoded file (uuencode, yEnc or BinHex) that cannot be inspected: %w", where(e.pos), redactors.ErrUninspectable)
		if pgpMessage.MatchString(tb.text[loc[0]:loc[1]]) {
			err = fmt.Errorf("email: %s: the text holds a PGP-encrypted message: %w", where(e.pos), redactors.ErrEncrypted)
		}
		if parent != nil && isAttachment(e) && d.c.opts.DropUnreadableAttachments {
			return d.dropAttachment(e, err)
		}
		return err
	}
	if isCalendar(e.mtype) && calBinary.MatchString(unfold(tb.text).text) {
		err := fmt.Errorf("email: %s: the calendar or vCard embeds a file or photo that cannot be inspected: %w", where(e.pos), redactors.ErrUninspectable)
		if parent != nil && d.c.opts.DropUnreadableAttachments {
			return d.dropAttachment(e, err)
		}
		return err
	}
	if err := d.headerParts(e); err != nil {
		return err
	}
	e.text = tb
	first := len(d.parts)
	if tb.fallback {
		d.note("%s: text not valid in its declared charset, read as Windows-1252", where(e.pos))
	}
	switch {
	case e.mtype == "text/html":
		e.role = roleHTML
		tb.html = parseHTML(tb.text)
		if n := len(tb.html.embedded); n > 0 {
			if !d.c.opts.DropUnreadableAttachments {
				return fmt.Errorf("email: %s: HTML embeds %d images or files (data: URIs) that cannot be inspected: %w", where(e.pos), n, redactors.ErrUninspectable)
			}
			tb.html.forced = true
			d.note("%s: %d images or files embedded in the HTML (data: URIs) removed, not inspected", where(e.pos), n)
		}
		d.add(partName(e.pos, "body (text/html)"), tb.html.text, &slot{kind: slotHTMLText, e: e})
		if tb.html.attrs != "" {
			d.add(partName(e.pos, "body (text/html): attributes"), tb.html.attrs, &slot{kind: slotHTMLAttr, e: e})
		}
	case isCalendar(e.mtype):
		e.role = roleCalendar
		tb.cal = unfold(tb.text)
		d.add(partName(e.pos, "body ("+e.mtype+")"), tb.cal.text, &slot{kind: slotCalendar, e: e})
	default:
		e.role = roleText
		d.add(partName(e.pos, "body ("+safeType(e.mtype)+")"), tb.text, &slot{kind: slotText, e: e})
	}
	if isAttachment(e) {
		var ps []int
		for i := first; i < len(d.parts); i++ {
			ps = append(ps, i)
		}
		d.atts = append(d.atts, Attachment{Position: e.pos, Format: "text", Parts: ps, NamePart: d.nameSlot(e)})
	}
	return nil
}

func isCalendar(t string) bool {
	return t == "text/calendar" || t == "text/vcard" || t == "text/x-vcard" || t == "text/directory"
}

// safeType returns a media type for a part name: the type as it is when it
// is a plain token, else "text".
func safeType(t string) string {
	if len(t) > 64 {
		return "text"
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("/.+-", r)) {
			return "text"
		}
	}
	return t
}

// isAttachment reports whether an entity is an attachment rather than a
// body: disposition attachment, or a file name.
func isAttachment(e *entity) bool {
	return e.disp == "attachment" || fileName(e) != ""
}

// encodeText encodes new text for e: in its charset when the charset can
// represent it, else in UTF-8 (cs returns the charset to declare, "" when
// unchanged).
func encodeText(e *entity, text string) (out []byte, cs string, err error) {
	declared := e.text.charset
	if e.text.fallback {
		return []byte(text), "utf-8", nil
	}
	enc, err := lookupCharset(declared)
	if err != nil {
		return nil, "", err
	}
	if enc == nil {
		if declared == "us-ascii" || declared == "ascii" || declared == "" {
			for i := 0; i < len(text); i++ {
				if text[i] >= 0x80 {
					return []byte(text), "utf-8", nil
				}
			}
		}
		return []byte(text), "", nil
	}
	b, err := enc.NewEncoder().Bytes([]byte(text))
	if err == nil {
		if back, err2 := enc.NewDecoder().Bytes(b); err2 == nil && string(back) == text {
			return b, "", nil
		}
	}
	return []byte(text), "utf-8", nil
}

// encodeTransfer encodes a body in a transfer encoding, with line ending
// nl. It returns the encoding used: 7bit text that is no longer 7-bit
// becomes quoted-printable.
func encodeTransfer(body []byte, cte, nl string) ([]byte, string) {
	switch cte {
	case "base64":
		s := base64.StdEncoding.EncodeToString(body)
		var b bytes.Buffer
		for len(s) > 76 {
			b.WriteString(s[:76])
			b.WriteString(nl)
			s = s[76:]
		}
		b.WriteString(s)
		if len(s) > 0 {
			b.WriteString(nl)
		}
		return b.Bytes(), cte
	case "quoted-printable":
		return qpEncode(body, nl), cte
	case "", "7bit":
		for _, c := range body {
			if c >= 0x80 || c == 0 {
				return qpEncode(body, nl), "quoted-printable"
			}
		}
		if longLine(body) {
			return qpEncode(body, nl), "quoted-printable"
		}
		return body, cte
	}
	if longLine(body) {
		return qpEncode(body, nl), "quoted-printable"
	}
	return body, cte
}

func longLine(b []byte) bool {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b)
		}
		if i > 998 {
			return true
		}
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return false
}

func qpEncode(body []byte, nl string) []byte {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write(body)
	w.Close()
	out := b.Bytes()
	if nl == "\n" {
		out = bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n"))
	}
	return out
}

// calModel is an unfolded iCalendar or vCard text: folded lines (a line
// end followed by a space or tab) are joined.
type calModel struct {
	text string
	nl   string
}

func unfold(s string) *calModel {
	nl := "\r\n"
	if !strings.Contains(s, "\r\n") {
		nl = "\n"
	}
	t := strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "").Replace(s)
	return &calModel{text: t, nl: nl}
}

// fold folds lines over 75 octets, at UTF-8 boundaries (RFC 5545 3.1).
func (c *calModel) fold(s string) string {
	var b strings.Builder
	lines := strings.SplitAfter(s, "\n")
	for _, l := range lines {
		for len(l) > 75 {
			body := strings.TrimRight(l, "\r\n")
			if len(body) <= 75 {
				break
			}
			k := 75
			for k > 0 && !utf8.RuneStart(l[k]) {
				k--
			}
			b.WriteString(l[:k])
			b.WriteString(c.nl + " ")
			l = l[k:]
		}
		b.WriteString(l)
	}
	return b.String()
}
