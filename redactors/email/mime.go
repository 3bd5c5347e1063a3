package email

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"

	message "github.com/emersion/go-message"
	gtextproto "github.com/emersion/go-message/textproto"
	"github.com/veilhq/veil/redactors"
)

// entity is one MIME entity of a message, located in the message bytes.
type entity struct {
	pos        string // MIME section number: "" for the message, "1", "2.1"
	start, end int    // the entity: first header byte to last body byte
	bodyStart  int
	fields     []*field
	mtype      string            // lower-case media type, text/plain when absent
	params     map[string]string // Content-Type parameters, decoded
	disp       string
	dparams    map[string]string
	cte        string // lower-case transfer encoding, "" when absent
	ct, cd     *field // Content-Type and Content-Disposition fields, if present
	cteField   *field
	boundary   string
	children   []*entity
	pre, epi   span // preamble and epilogue of a multipart
	delimStart int  // where the line end before this part's delimiter starts
	// what the entity holds
	role role
	text *textBody   // text bodies
	att  *attachment // attachments and nested messages
}

type span struct{ start, end int }

type role uint8

const (
	roleText role = iota + 1
	roleHTML
	roleCalendar
	roleMultipart
	roleAttachment
	roleSignature
	roleDropped
)

// field is one header field.
type field struct {
	start, end int // raw bytes, line ending(s) included
	name       string
	canon      string // canonical name
	value      string // unfolded raw value (go-message)
}

// lineEnd returns the end of the line that starts at i (after its '\n')
// within [i, end).
func lineEnd(b []byte, i, end int) int {
	if k := bytes.IndexByte(b[i:end], '\n'); k >= 0 {
		return i + k + 1
	}
	return end
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// scanHeader locates the header fields of the entity at [off, end): it
// returns the fields' spans and where the body starts (after the blank
// line; end when there is none).
func scanHeader(b []byte, off, end int) ([]span, int) {
	var fs []span
	i := off
	for i < end {
		le := lineEnd(b, i, end)
		line := trimEOL(b[i:le])
		if len(line) == 0 {
			return fs, le
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fs) > 0 {
			fs[len(fs)-1].end = le
		} else {
			fs = append(fs, span{i, le})
		}
		i = le
	}
	return fs, end
}

// readHeader parses the header of e with go-message and checks that it
// agrees with the located fields.
func (d *Document) readHeader(e *entity, spans []span) error {
	raw := d.buf[e.start:e.bodyStart]
	h, err := gtextproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil && err != io.EOF {
		return fmt.Errorf("email: %s: malformed header: %w", where(e.pos), redactors.ErrCorrupt)
	}
	fs := h.Fields()
	for _, sp := range spans {
		if !fs.Next() {
			return fmt.Errorf("email: %s: header fields do not parse alike: %w", where(e.pos), redactors.ErrCorrupt)
		}
		line := d.buf[sp.start:sp.end]
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return fmt.Errorf("email: %s: malformed header line: %w", where(e.pos), redactors.ErrCorrupt)
		}
		name := string(bytes.TrimRight(line[:colon], " \t"))
		if textproto.CanonicalMIMEHeaderKey(name) != fs.Key() {
			return fmt.Errorf("email: %s: header fields do not parse alike: %w", where(e.pos), redactors.ErrCorrupt)
		}
		f := &field{start: sp.start, end: sp.end, name: name, canon: fs.Key(), value: fs.Value()}
		e.fields = append(e.fields, f)
		switch f.canon {
		case "Content-Type":
			e.ct = f
		case "Content-Disposition":
			e.cd = f
		case "Content-Transfer-Encoding":
			e.cteField = f
		}
	}
	if fs.Next() {
		return fmt.Errorf("email: %s: header fields do not parse alike: %w", where(e.pos), redactors.ErrCorrupt)
	}
	mh := message.Header{Header: h}
	e.mtype, e.params = "text/plain", map[string]string{}
	if e.ct != nil {
		t, p, err := mh.ContentType()
		if err != nil && t == "" {
			return fmt.Errorf("email: %s: Content-Type does not parse: %w", where(e.pos), redactors.ErrCorrupt)
		}
		if err != nil {
			// go-message returns the raw value on a parameter error.
			mt, _, _ := strings.Cut(t, ";")
			t, p = strings.TrimSpace(mt), nil
			if strings.Contains(e.ct.value, "=") {
				return fmt.Errorf("email: %s: Content-Type parameters do not parse: %w", where(e.pos), redactors.ErrCorrupt)
			}
		}
		e.mtype = strings.ToLower(t)
		if p != nil {
			e.params = p
		}
	}
	if e.cd != nil {
		t, p, err := mh.ContentDisposition()
		if err != nil {
			return fmt.Errorf("email: %s: Content-Disposition does not parse: %w", where(e.pos), redactors.ErrCorrupt)
		}
		e.disp, e.dparams = strings.ToLower(t), p
	}
	if e.dparams == nil {
		e.dparams = map[string]string{}
	}
	e.cte = strings.ToLower(strings.TrimSpace(mh.Get("Content-Transfer-Encoding")))
	return nil
}

// scanParts splits the multipart body of e at its boundary and checks the
// split against go-message's multipart reader.
func (d *Document) scanParts(e *entity) ([]span, error) {
	b, end := d.buf, e.end
	dash := []byte("--" + e.boundary)
	var parts []span
	partStart, closed := -1, false
	e.pre = span{e.bodyStart, e.bodyStart}
	for i := e.bodyStart; i < end && !closed; {
		le := lineEnd(b, i, end)
		line := bytes.TrimRight(trimEOL(b[i:le]), " \t")
		isClose := bytes.Equal(line, append(dash, '-', '-'))
		if bytes.Equal(line, dash) || isClose {
			// The line end before the delimiter belongs to it.
			before := i
			if before > e.bodyStart && b[before-1] == '\n' {
				before--
				if before > e.bodyStart && b[before-1] == '\r' {
					before--
				}
			}
			if partStart < 0 {
				e.pre = span{e.bodyStart, before}
			} else {
				parts = append(parts, span{partStart, max(partStart, before)})
			}
			partStart = le
			if isClose {
				closed = true
				e.epi = span{le, end}
			}
		}
		i = le
	}
	if partStart < 0 {
		return nil, fmt.Errorf("email: %s: multipart boundary not found: %w", where(e.pos), redactors.ErrCorrupt)
	}
	if !closed {
		return nil, fmt.Errorf("email: %s: multipart has no closing boundary (truncated or broken): %w", where(e.pos), redactors.ErrCorrupt)
	}
	// go-message must see the same parts with the same bytes.
	mr := gtextproto.NewMultipartReader(bytes.NewReader(b[e.bodyStart:end]), e.boundary)
	for k := 0; ; k++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			if k != len(parts) {
				return nil, fmt.Errorf("email: %s: multipart structure is ambiguous: %w", where(e.pos), redactors.ErrCorrupt)
			}
			break
		}
		if err != nil || k >= len(parts) {
			return nil, fmt.Errorf("email: %s: multipart structure is broken: %w", where(e.pos), redactors.ErrCorrupt)
		}
		body, err := io.ReadAll(io.LimitReader(p, int64(parts[k].end-parts[k].start)+1))
		if err != nil {
			return nil, fmt.Errorf("email: %s: multipart structure is broken: %w", where(e.pos), redactors.ErrCorrupt)
		}
		_, bs := scanHeader(b, parts[k].start, parts[k].end)
		if !bytes.Equal(body, b[bs:parts[k].end]) {
			return nil, fmt.Errorf("email: %s: multipart structure is ambiguous: %w", where(e.pos), redactors.ErrCorrupt)
		}
	}
	return parts, nil
}

// parseEntity locates and parses the entity at [start, end) and its
// children.
func (d *Document) parseEntity(pos string, start, end int) (*entity, error) {
	if err := d.c.budget.entity(pos); err != nil {
		return nil, err
	}
	e := &entity{pos: pos, start: start, end: end}
	spans, bs := scanHeader(d.buf, start, end)
	e.bodyStart = bs
	if err := d.readHeader(e, spans); err != nil {
		return nil, err
	}
	if strings.HasPrefix(e.mtype, "multipart/") {
		e.role = roleMultipart
		e.boundary = e.params["boundary"]
		if e.boundary == "" {
			return nil, fmt.Errorf("email: %s: multipart without a boundary: %w", where(pos), redactors.ErrCorrupt)
		}
		if len(d.nest) > 64 {
			return nil, fmt.Errorf("email: %s: multiparts nested too deep: %w", where(pos), redactors.ErrTooLarge)
		}
		parts, err := d.scanParts(e)
		if err != nil {
			return nil, err
		}
		d.nest = append(d.nest, e)
		defer func() { d.nest = d.nest[:len(d.nest)-1] }()
		for k, p := range parts {
			cpos := strconv.Itoa(k + 1)
			if pos != "" {
				cpos = pos + "." + cpos
			}
			c, err := d.parseEntity(cpos, p.start, p.end)
			if err != nil {
				return nil, err
			}
			c.delimStart = p.start
			e.children = append(e.children, c)
		}
		// the delimiter of each part starts after the previous part
		for k, c := range e.children {
			if k == 0 {
				c.delimStart = e.pre.end
			} else {
				c.delimStart = e.children[k-1].end
			}
		}
	}
	return e, nil
}
