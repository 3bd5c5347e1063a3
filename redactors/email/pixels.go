package email

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors"
)

var (
	_ redactors.PixelChecker = (*Document)(nil)
	_ redactors.PixelChecker = (*Mbox)(nil)
)

// PixelLeaks implements redactors.PixelChecker: each attachment of data
// (an output of Redact) whose input attachment was read through a format
// that can read its pixels again (images; DOCX with images; a forwarded
// message) is handed to that attachment's PixelLeaks. Attachments are
// matched by MIME position, which Redact keeps; an output attachment at a
// position the input does not explain is parsed by its format and asked
// the same. The output is walked with the reader of Leaks.
func (d *Document) PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	if len(removed) == 0 {
		return nil, nil
	}
	byPos := map[string]*attachment{}
	for _, e := range d.attachments() {
		byPos[e.pos] = e.att
	}
	var where []string
	lr := &leakReader{find: func(string) bool { return false }, reg: d.c.reg, opts: d.c.opts, hits: map[string]bool{}}
	lr.attached = func(pos, mtype, name string, decoded []byte) error {
		var pc redactors.PixelChecker
		format := ""
		if a, ok := byPos[pos]; ok {
			pc, _ = a.doc.(redactors.PixelChecker)
			format = a.format
		} else if !strings.HasPrefix(mtype, "text/") && lr.reg != nil {
			ext := strings.ToLower(path.Ext(name))
			if ext == "" {
				ext = typeExt[mtype]
			}
			if f, ok := lr.reg.ForKey("x" + ext); ok && ext != "" {
				doc, err := f.Parse(decoded)
				if err != nil {
					return err
				}
				pc, _ = doc.(redactors.PixelChecker)
				format = f.Name()
			}
		}
		if pc == nil {
			return nil
		}
		ws, err := pc.PixelLeaks(ctx, decoded, removed)
		if err != nil {
			return err
		}
		for _, w := range ws {
			where = append(where, "part "+pos+" ("+format+"): "+w)
		}
		return nil
	}
	if err := lr.message(data, "", 0); err != nil {
		return nil, err
	}
	return where, nil
}

// PixelLeaks implements redactors.PixelChecker: each message of the
// mailbox through its Document's PixelLeaks.
func (m *Mbox) PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	spans := splitMbox(data)
	if len(spans) != len(m.msgs) {
		return nil, fmt.Errorf("mbox: verify: the output has %d messages, the input %d: %w", len(spans), len(m.msgs), redactors.ErrVerify)
	}
	var where []string
	for i, sp := range spans {
		le := lineEnd(data, sp.start, sp.end)
		body := quotedFrom.ReplaceAllFunc(data[le:sp.end], func(b []byte) []byte { return b[1:] })
		ws, err := m.msgs[i].doc.PixelLeaks(ctx, body, removed)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			where = append(where, "message "+strconv.Itoa(i+1)+": "+w)
		}
	}
	return where, nil
}
