package email

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// Mbox is a parsed mailbox (mboxrd, and mboxo read as mboxrd): messages
// start with a "From " line at the start of the file or after a blank
// line; in a message, lines that begin with ">From " (any number of ">")
// lose one ">". Each message is a Document; the "From " line is a part of
// its own (it holds the sender's address). Redact writes the mailbox
// back, quoting again the lines that need it.
type Mbox struct {
	c     *ctx
	data  []byte
	msgs  []*mboxMsg
	parts []redactors.Part
	owner []int // message of each part; -1 for a From line
	local []int // index of the part in its message
	fromP []int // part of each message's From line
}

type mboxMsg struct {
	from     string // the From line, without its line end
	nl       string
	raw      span // in data: the message after its From line
	doc      *Document
	unquoted []byte
}

var (
	_ redactors.Document    = (*Mbox)(nil)
	_ redactors.LeakChecker = (*Mbox)(nil)
	_ redactors.Noter       = (*Mbox)(nil)
)

// Parts implements redactors.Document.
func (m *Mbox) Parts() []redactors.Part { return m.parts }

// Notes implements redactors.Noter.
func (m *Mbox) Notes() []string {
	var out []string
	for i, msg := range m.msgs {
		for _, n := range msg.doc.Notes() {
			out = append(out, "message "+strconv.Itoa(i+1)+": "+n)
		}
	}
	return out
}

// Messages returns the messages of the mailbox.
func (m *Mbox) Messages() []*Document {
	out := make([]*Document, len(m.msgs))
	for i, msg := range m.msgs {
		out[i] = msg.doc
	}
	return out
}

var quotedFrom = regexp.MustCompile(`(?m)^>+From `)
var fromLine = regexp.MustCompile(`(?m)^>*From `)

// splitMbox returns the spans of the messages, each from its From line.
func splitMbox(data []byte) []span {
	var starts []int
	blank := true
	for i := 0; i < len(data); {
		le := lineEnd(data, i, len(data))
		line := data[i:le]
		if blank && bytes.HasPrefix(line, []byte("From ")) {
			starts = append(starts, i)
		}
		blank = len(trimEOL(line)) == 0
		i = le
	}
	var out []span
	for k, s := range starts {
		e := len(data)
		if k+1 < len(starts) {
			e = starts[k+1]
		}
		out = append(out, span{s, e})
	}
	return out
}

func parseMbox(c *ctx, data []byte) (*Mbox, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("mbox: %w", redactors.ErrEmpty)
	}
	if !bytes.HasPrefix(data, []byte("From ")) {
		return nil, fmt.Errorf("mbox: does not start with a \"From \" line: %w", redactors.ErrUnsupported)
	}
	m := &Mbox{c: c, data: data}
	for i, sp := range splitMbox(data) {
		if err := c.stopped(); err != nil {
			return nil, err
		}
		le := lineEnd(data, sp.start, sp.end)
		msg := &mboxMsg{from: string(trimEOL(data[sp.start:le])), raw: span{le, sp.end}, nl: "\n"}
		if bytes.HasSuffix(data[sp.start:le], []byte("\r\n")) {
			msg.nl = "\r\n"
		}
		if !utf8.ValidString(msg.from) {
			return nil, fmt.Errorf("mbox: message %d: From line: %w", i+1, redactors.ErrEncoding)
		}
		// The separator blank line before the next From belongs to the mbox.
		body := data[le:sp.end]
		body = quotedFrom.ReplaceAllFunc(body, func(b []byte) []byte { return b[1:] })
		msg.unquoted = body
		doc, err := parseMessage(c, body, 0)
		if err != nil {
			return nil, fmt.Errorf("mbox: message %d: %w", i+1, err)
		}
		m.msgs = append(m.msgs, msg)
		prefix := "message " + strconv.Itoa(i+1)
		m.parts = append(m.parts, redactors.Part{Name: prefix + ": From line", Text: msg.from})
		m.owner, m.local = append(m.owner, i), append(m.local, -1)
		m.fromP = append(m.fromP, len(m.parts)-1)
		for k, p := range doc.Parts() {
			m.parts = append(m.parts, redactors.Part{Name: prefix + ": " + p.Name, Text: p.Text, Page: p.Page})
			m.owner, m.local = append(m.owner, i), append(m.local, k)
		}
		msg.doc = doc
	}
	return m, nil
}

// Redact implements redactors.Document.
func (m *Mbox) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(m.parts, edits); err != nil {
		return fmt.Errorf("mbox: redact: %w", err)
	}
	per := make([][]redactors.Edit, len(m.msgs))
	from := make([][]redactors.Edit, len(m.msgs))
	for _, e := range edits {
		i := m.owner[e.Part]
		if m.local[e.Part] < 0 {
			from[i] = append(from[i], e)
			continue
		}
		e.Part = m.local[e.Part]
		per[i] = append(per[i], e)
	}
	var out bytes.Buffer
	for i, msg := range m.msgs {
		line := msg.from
		if len(from[i]) > 0 {
			line = fromSafe(redactors.Splice(msg.from, from[i]))
		}
		out.WriteString(line + msg.nl)
		body, err := msg.doc.redact(per[i])
		if err != nil {
			return fmt.Errorf("mbox: message %d: %w", i+1, err)
		}
		if bytes.Equal(body, msg.unquoted) {
			out.Write(m.data[msg.raw.start:msg.raw.end])
			continue
		}
		out.Write(fromLine.ReplaceAllFunc(body, func(b []byte) []byte { return append([]byte(">"), b...) }))
	}
	if _, err := w.Write(out.Bytes()); err != nil {
		return fmt.Errorf("mbox: write: %w", err)
	}
	return nil
}

// fromSafe keeps a redacted From line a From line: "From " then a sender
// without spaces, then the rest.
func fromSafe(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	rest := strings.TrimPrefix(s, "From ")
	if rest == s {
		return "From MAILER-DAEMON " + s
	}
	fs := strings.Fields(rest)
	if len(fs) == 0 {
		return "From MAILER-DAEMON"
	}
	// The date is the last five fields (Www Mmm dd hh:mm:ss yyyy); the
	// sender is everything before it, joined.
	k := len(fs) - 5
	if k < 1 {
		k = 1
	}
	return "From " + strings.Join(fs[:k], "-") + " " + strings.Join(fs[k:], " ")
}

// Leaks implements redactors.LeakChecker: every From line, and each
// message through the message reader of Document.Leaks.
func (m *Mbox) Leaks(data []byte, find func(text string) bool) ([]string, error) {
	lr := &leakReader{find: find, reg: m.c.reg, opts: m.c.opts, hits: map[string]bool{}}
	for i, sp := range splitMbox(data) {
		le := lineEnd(data, sp.start, sp.end)
		place := "message " + strconv.Itoa(i+1)
		lr.check(place+": From line", string(data[sp.start:le]))
		lr.check(place+": raw", string(data[le:sp.end]))
		body := quotedFrom.ReplaceAllFunc(data[le:sp.end], func(b []byte) []byte { return b[1:] })
		if err := lr.message(body, place, 0); err != nil {
			return nil, err
		}
	}
	return lr.places(), nil
}
