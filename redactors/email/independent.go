package email

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/htmlindex"
)

var (
	_ redactors.IndependentReader = (*Document)(nil)
	_ redactors.IndependentReader = (*Mbox)(nil)
)

// IndependentText implements redactors.IndependentReader. It reads the
// output with the standard library and code of its own, none of which the
// parse that finds text for redaction uses (go-message, this package's
// locator): net/mail for the message, mime.WordDecoder for encoded words
// (every charset the WHATWG index knows), mime.ParseMediaType for
// parameters (RFC 2231 continuations), mime/multipart for the parts of a
// multipart, its own base64 and quoted-printable decoding of every part
// and golang.org/x/text's charsets for text, golang.org/x/net/html's
// tokenizer for HTML. Its texts, per MIME entity:
//   - the header fields, decoded, one a line (address fields also each
//     address as "Name <address>"), but the MIME structure fields
//     (MIME-Version, Content-Type, -Transfer-Encoding, -Disposition),
//     whose parameters are read instead (file names with underscores as
//     spaces), less the structural ones (boundary, charset…);
//   - a multipart's preamble and epilogue;
//   - a text body decoded (calendars unfolded); HTML as the text a reader
//     sees (a line per block) and, apart, every attribute value, comment,
//     style and script, one a line;
//   - a forwarded message (message/rfc822, message/global, an .eml
//     attachment) read the same way, nested;
//   - every other attachment through the Registry's format for it: its
//     Parts and, where it has one, its own independent reading.
//
// Parts are named by MIME position ("part 1.2: body (independent
// reading)"), never by a header's or file's name. An output it cannot
// read (a structure that does not parse, an unknown charset, an
// attachment no format reads) is an error: what cannot be read is not
// verified. Limits (depth, decoded bytes, entities) are those of the
// format's Options.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	ir := newIndependentReader(d.c.reg, d.c.opts)
	data, err := d.asMessage(data)
	if err != nil {
		return nil, err
	}
	if err := ir.message(data, "", 0); err != nil {
		return nil, err
	}
	return ir.out, nil
}

// IndependentText implements redactors.IndependentReader: the archive is
// cut into messages at "From " lines that start the file or follow a blank
// line (by code of its own, not splitMbox), ">From " lines unquoted, and
// each message read as Document.IndependentText reads one ("message N:
// …"), with its From line.
func (m *Mbox) IndependentText(data []byte) ([]redactors.Part, error) {
	ir := newIndependentReader(m.c.reg, m.c.opts)
	lines := bytes.SplitAfter(data, []byte("\n"))
	var msg [][]byte
	n := 0
	flush := func() error {
		if len(msg) == 0 {
			return nil
		}
		from := strings.TrimRight(string(msg[0]), "\r\n")
		place := "message " + strconv.Itoa(n)
		ir.add(place+": From line (independent reading)", from)
		body := bytes.Join(msg[1:], nil)
		body = quotedFromLine(body)
		msg = msg[:0]
		return ir.message(body, place, 0)
	}
	blank := true
	for _, l := range lines {
		if blank && bytes.HasPrefix(l, []byte("From ")) {
			if err := flush(); err != nil {
				return nil, err
			}
			n++
		}
		if n > 0 {
			msg = append(msg, l)
		}
		blank = len(bytes.TrimRight(l, "\r\n")) == 0
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return ir.out, nil
}

// quotedFromLine removes one '>' from every line that is '>'s then
// "From " (mboxrd quoting).
func quotedFromLine(b []byte) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	for i, l := range lines {
		t := bytes.TrimLeft(l, ">")
		if len(t) < len(l) && bytes.HasPrefix(t, []byte("From ")) {
			lines[i] = l[1:]
		}
	}
	return bytes.Join(lines, nil)
}

type independentReader struct {
	reg   *redactors.Registry
	opts  Options
	lim   Limits
	left  int64 // decoded bytes that may still be read
	parts int   // entities read
	out   []redactors.Part
}

func newIndependentReader(reg *redactors.Registry, o Options) *independentReader {
	lim := o.Limits.orDefault()
	return &independentReader{reg: reg, opts: o, lim: lim, left: lim.MaxDecoded}
}

func (ir *independentReader) add(name, text string) {
	text = strings.ToValidUTF8(text, " ")
	if strings.TrimSpace(text) != "" {
		ir.out = append(ir.out, redactors.Part{Name: name, Text: text})
	}
}

// charge counts n decoded bytes and one entity against the limits.
func (ir *independentReader) charge(n int) error {
	ir.left -= int64(n)
	ir.parts++
	if ir.left < 0 || ir.parts > ir.lim.MaxParts {
		return fmt.Errorf("email: independent reading: %w", redactors.ErrTooLarge)
	}
	return nil
}

// indWords decodes encoded words with the WHATWG index's charsets (the
// independent reading and Leaks).
var indWords = &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(r), nil
}}

// indStructure are the header fields that are MIME structure, whose
// parameters are read instead.
var indStructure = map[string]bool{"Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true, "Content-Disposition": true}

// indStructuralParams are parameters whose values are tokens.
var indStructuralParams = map[string]bool{"boundary": true, "charset": true, "format": true, "delsp": true, "method": true,
	"protocol": true, "micalg": true, "type": true, "report-type": true, "reply-type": true, "smime-type": true,
	"start": true, "start-info": true, "size": true, "access-type": true}

// header returns the text of a header: every field that is not MIME
// structure, decoded, one a line, in a stable order (by name, then as
// written), address fields also address by address.
func header(h map[string][]string) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		if indStructure[textproto.CanonicalMIMEHeaderKey(k)] {
			continue
		}
		for _, v := range h[k] {
			v = strings.Join(strings.Fields(v), " ") // unfolded
			t, err := indWords.DecodeHeader(v)
			if err != nil {
				t = v
			}
			b.WriteString(t)
			b.WriteByte('\n')
			if addressFields[textproto.CanonicalMIMEHeaderKey(k)] {
				if list, err := (&mail.AddressParser{WordDecoder: indWords}).ParseList(v); err == nil {
					for _, a := range list {
						b.WriteString(strings.TrimSpace(a.Name + " <" + a.Address + ">"))
						b.WriteByte('\n')
					}
				}
			}
		}
	}
	return b.String()
}

// params returns the non-structural parameters of Content-Type and
// Content-Disposition, one a line (sorted), file names with underscores
// as spaces, and the file name.
func params(h textproto.MIMEHeader) (mt string, ps map[string]string, text, name string) {
	mt, ps, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt, ps = "text/plain", map[string]string{}
	}
	mt = strings.ToLower(mt)
	_, dps, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	var lines []string
	for _, m := range []map[string]string{ps, dps} {
		for k, v := range m {
			if indStructuralParams[k] {
				continue
			}
			if t, err := indWords.DecodeHeader(v); err == nil {
				v = t
			}
			if k == "filename" || k == "name" {
				if name == "" || k == "filename" {
					name = v
				}
				v = strings.ReplaceAll(v, "_", " ")
			}
			lines = append(lines, v)
		}
	}
	sort.Strings(lines)
	return mt, ps, strings.Join(lines, "\n"), name
}

// message reads one message (RFC 5322); place prefixes its part names.
func (ir *independentReader) message(data []byte, place string, depth int) error {
	if depth > ir.lim.MaxDepth+1 {
		return fmt.Errorf("email: independent reading: messages nested too deep: %w", redactors.ErrTooLarge)
	}
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("email: independent reading: %s does not read as a message: %w", orMessage(place), redactors.ErrCorrupt)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return fmt.Errorf("email: independent reading: %s: %w", orMessage(place), redactors.ErrCorrupt)
	}
	return ir.entity(textproto.MIMEHeader(m.Header), body, place, "", depth)
}

// name returns the name of a text of the entity at pos.
func indName(place, pos, what string) string {
	n := what + " (independent reading)"
	if pos != "" {
		n = "part " + pos + ": " + n
	}
	return join(place, n)
}

// entity reads one MIME entity: its header, then its content.
func (ir *independentReader) entity(h textproto.MIMEHeader, body []byte, place, pos string, depth int) error {
	if err := ir.charge(0); err != nil {
		return err
	}
	ir.add(indName(place, pos, "headers"), header(h))
	mt, ps, ptext, name := params(h)
	ir.add(indName(place, pos, "parameters"), ptext)
	if strings.HasPrefix(mt, "multipart/") {
		return ir.multipart(body, ps["boundary"], place, pos, depth)
	}
	decoded, err := transferDecode(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return fmt.Errorf("email: independent reading: %s: %v: %w", indName(place, pos, "body"), err, redactors.ErrCorrupt)
	}
	if err := ir.charge(len(decoded)); err != nil {
		return err
	}
	switch {
	case mt == "message/rfc822" || mt == "message/global" || strings.HasSuffix(strings.ToLower(name), ".eml"):
		sub := "part " + pos
		if pos == "" {
			sub = "body"
		}
		return ir.message(decoded, join(place, sub), depth+1)
	case strings.HasPrefix(mt, "text/") && mt != "text/rtf" && mt != "text/richtext" || strings.HasPrefix(mt, "message/"):
		text := string(decoded)
		if cs := strings.ToLower(strings.TrimSpace(ps["charset"])); cs != "" && cs != "utf-8" && cs != "us-ascii" {
			enc, err := htmlindex.Get(cs)
			if err != nil {
				return fmt.Errorf("email: independent reading: %s: unknown charset: %w", indName(place, pos, "body"), redactors.ErrEncoding)
			}
			if text, err = enc.NewDecoder().String(text); err != nil {
				return fmt.Errorf("email: independent reading: %s: text does not decode: %w", indName(place, pos, "body"), redactors.ErrEncoding)
			}
		}
		switch {
		case mt == "text/html":
			seen, attrs := htmlText(text)
			ir.add(indName(place, pos, "body"), seen)
			ir.add(indName(place, pos, "body attributes"), attrs)
		case mt == "text/calendar":
			ir.add(indName(place, pos, "body"), strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "").Replace(text))
		default:
			ir.add(indName(place, pos, "body"), text)
		}
		return nil
	}
	return ir.attachment(decoded, mt, name, place, pos)
}

// multipart reads the parts of a multipart body, its preamble and
// epilogue.
func (ir *independentReader) multipart(body []byte, boundary, place, pos string, depth int) error {
	where := indName(place, pos, "multipart")
	if boundary == "" {
		return fmt.Errorf("email: independent reading: %s: no boundary: %w", where, redactors.ErrCorrupt)
	}
	delim := []byte("--" + boundary)
	// The preamble: what comes before the first delimiter line; the
	// epilogue: what follows the close delimiter.
	first := -1
	for off := 0; off <= len(body); {
		k := bytes.Index(body[off:], delim)
		if k < 0 {
			break
		}
		if at := off + k; at == 0 || body[at-1] == '\n' {
			first = at
			break
		}
		off += k + 1
	}
	if first > 0 {
		ir.add(indName(place, pos, "preamble"), string(body[:first]))
	}
	if k := bytes.LastIndex(body, append(append([]byte(nil), delim...), '-', '-')); k >= 0 {
		if nl := bytes.IndexByte(body[k:], '\n'); nl >= 0 {
			ir.add(indName(place, pos, "epilogue"), string(body[k+nl+1:]))
		}
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for k := 1; ; k++ {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("email: independent reading: %s: does not read: %w", where, redactors.ErrCorrupt)
		}
		b, err := io.ReadAll(io.LimitReader(p, ir.left+1))
		if err != nil {
			return fmt.Errorf("email: independent reading: %s: does not read: %w", where, redactors.ErrCorrupt)
		}
		cpos := strconv.Itoa(k)
		if pos != "" {
			cpos = pos + "." + cpos
		}
		if err := ir.entity(p.Header, b, place, cpos, depth); err != nil {
			return err
		}
	}
}

// attachment reads an attachment through its format: its Parts and its
// own independent reading.
func (ir *independentReader) attachment(data []byte, mt, name, place, pos string) error {
	ext := strings.ToLower(path.Ext(name))
	if ext == "" {
		ext = typeExt[mt]
	}
	var f redactors.Format
	if ext == ".msg" {
		f = NewMSG(ir.reg, ir.opts)
	} else if ir.reg != nil {
		f, _ = ir.reg.ForKey("x" + ext)
	}
	here := indName(place, pos, "attachment")
	if f == nil {
		return fmt.Errorf("email: independent reading: %s: of a type that cannot be read: %w", here, redactors.ErrUninspectable)
	}
	doc, err := f.Parse(data)
	if err != nil {
		return fmt.Errorf("email: independent reading: %s (%s): does not parse: %w", here, f.Name(), err)
	}
	sub := join(place, "part "+pos+" ("+f.Name()+")")
	if pos == "" {
		sub = join(place, "body ("+f.Name()+")")
	}
	for _, p := range doc.Parts() {
		ir.out = append(ir.out, redactors.Part{Name: sub + ": " + p.Name, Text: p.Text, Page: p.Page, Field: p.Field})
	}
	if r, ok := doc.(redactors.IndependentReader); ok {
		ps, err := r.IndependentText(data)
		if err != nil {
			return fmt.Errorf("email: independent reading: %s (%s): %w", here, f.Name(), err)
		}
		for _, p := range ps {
			p.Name = sub + ": " + p.Name
			ir.out = append(ir.out, p)
		}
	}
	return nil
}

// transferDecode decodes a body from its Content-Transfer-Encoding (the
// independent reading and Leaks); other encodings are the body as it is.
func transferDecode(cte string, body []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, body)
		out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
		n, err := base64.StdEncoding.Decode(out, clean)
		if err != nil {
			return nil, fmt.Errorf("base64 does not decode")
		}
		return out[:n], nil
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil {
			return nil, fmt.Errorf("quoted-printable does not decode")
		}
		return out, nil
	}
	return body, nil
}

// htmlBlocks are the elements that start a line of the text a reader sees.
var htmlBlocks = map[string]bool{"p": true, "br": true, "div": true, "tr": true, "li": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "table": true, "blockquote": true, "pre": true, "hr": true,
	"title": true, "td": true, "th": true, "dt": true, "dd": true, "section": true, "article": true, "header": true, "footer": true}

// htmlText returns the text an HTML body shows (entities decoded, a line
// per block) and, apart, its attribute values, comments, styles and
// scripts, one a line.
func htmlText(src string) (seen, other string) {
	z := html.NewTokenizer(strings.NewReader(src))
	var t, a strings.Builder
	raw := "" // inside script or style
	nl := func(b *strings.Builder) {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return t.String(), a.String()
		case html.TextToken:
			s := string(z.Text())
			if raw != "" {
				a.WriteString(strings.Join(strings.Fields(s), " "))
				a.WriteByte('\n')
				continue
			}
			t.WriteString(strings.ReplaceAll(s, "\n", " "))
		case html.CommentToken:
			a.WriteString(strings.Join(strings.Fields(string(z.Text())), " "))
			a.WriteByte('\n')
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			if htmlBlocks[tok.Data] {
				nl(&t) // inline elements join their text, as a browser shows it
			}
			switch {
			case tok.Type == html.StartTagToken && (tok.Data == "script" || tok.Data == "style"):
				raw = tok.Data
			case tok.Type == html.EndTagToken && tok.Data == raw:
				raw = ""
			}
			for _, at := range tok.Attr {
				if v := strings.TrimSpace(at.Val); v != "" {
					a.WriteString(strings.Join(strings.Fields(v), " "))
					a.WriteByte('\n')
				}
			}
		}
	}
}
