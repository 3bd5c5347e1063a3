package email

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// entChange collects what changes in one entity.
type entChange struct {
	mtype   string            // new media type, "" unchanged
	params  map[string]string // new Content-Type parameters, nil unchanged
	dparams map[string]string // new Content-Disposition parameters, nil unchanged
	cte     string            // new transfer encoding, "" unchanged
	body    []byte
	setBody bool
}

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	out, err := d.redact(edits)
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("email: write: %w", err)
	}
	return nil
}

func (d *Document) redact(edits []redactors.Edit) ([]byte, error) {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return nil, fmt.Errorf("email: redact: %w", err)
	}
	d.rnotes = nil
	sp := append([]splice(nil), d.fixed...)
	changes := map[*entity]*entChange{}
	ch := func(e *entity) *entChange {
		c := changes[e]
		if c == nil {
			c = &entChange{}
			changes[e] = c
		}
		return c
	}
	html := map[*entity][2][]redactors.Edit{}
	children := map[*attachment][]redactors.Edit{}
	for i, s := range d.slots {
		es := redactors.EditsOf(edits, i)
		if s.kind == slotChild {
			for _, e := range es {
				e.Part = s.child
				children[s.att] = append(children[s.att], e)
			}
			continue
		}
		if len(es) == 0 && !(s.kind == slotParam && s.nameLike) {
			continue
		}
		text := d.parts[i].Text
		switch s.kind {
		case slotHeader:
			v := encodeUnstructured(redactors.Splice(text, es))
			if s.msgid {
				v = msgidSafe(v)
			}
			sp = append(sp, splice{s.f.start, s.f.end, []byte(d.formatField(s.f.name, v))})
		case slotAddr:
			v := formatAddresses(text, s.addrs, es)
			sp = append(sp, splice{s.f.start, s.f.end, []byte(d.formatField(s.f.name, v))})
		case slotParam:
			src := s.e.params
			if s.inCD {
				src = s.e.dparams
			}
			orig := src[s.param]
			v := redactors.Splice(orig, es) // keyText keeps offsets
			if s.nameLike {
				// identifier-shaped digit runs go whatever the edits
				// (idruns.go)
				if v, _ = neutralIDs(v); v == orig {
					continue
				}
			}
			c := ch(s.e)
			dst := &c.params
			if s.inCD {
				dst = &c.dparams
			}
			if *dst == nil {
				*dst = copyMap(src)
			}
			if s.nameLike {
				v = strings.NewReplacer("\r", " ", "\n", " ", "/", "-", "\\", "-").Replace(v)
				if ext := extOf(orig); ext != "" && !strings.HasSuffix(strings.ToLower(v), ext) {
					v += ext
				}
			}
			(*dst)[s.param] = v
		case slotText:
			ch(s.e).body, ch(s.e).setBody = []byte(redactors.Splice(text, es)), true
		case slotCalendar:
			ch(s.e).body, ch(s.e).setBody = []byte(s.e.text.cal.fold(redactors.Splice(text, es))), true
		case slotHTMLText, slotHTMLAttr:
			h := html[s.e]
			k := 0
			if s.kind == slotHTMLAttr {
				k = 1
			}
			h[k] = es
			html[s.e] = h
		case slotRaw:
			if s.e == nil { // the envelope line
				line := strings.ReplaceAll(redactors.Splice(text, es), "\n", " ")
				sp = append(sp, splice{0, len(text), []byte(line)})
				continue
			}
			sp = append(sp, splice{s.raw.start, s.raw.end, []byte(redactors.Splice(text, es))})
		}
	}
	for _, e := range d.entities() {
		if e.text != nil && e.text.html != nil && e.text.html.forced {
			if _, ok := html[e]; !ok {
				html[e] = [2][]redactors.Edit{}
			}
		}
	}
	for e, h := range html {
		s, err := e.text.html.render(h[0], h[1])
		if err != nil {
			return nil, fmt.Errorf("email: %s: html: %w", where(e.pos), err)
		}
		ch(e).body, ch(e).setBody = []byte(s), true
	}
	// Attachments are written by their format whatever the edits: formats
	// sanitise (DOCX authors, PDF metadata) even without them.
	for _, a := range d.attachments() {
		if a.att.used {
			// Parse again (deterministic: same parts) for formats whose
			// Redact may be called once.
			doc, err := d.parseWith(a.att.f, a.att.data)
			if err != nil {
				return nil, fmt.Errorf("email: %s (%s): %w", where(a.pos), a.att.format, err)
			}
			a.att.doc = doc
		}
		a.att.used = true
		var buf bytes.Buffer
		if err := a.att.doc.Redact(&buf, children[a.att]); err != nil {
			return nil, fmt.Errorf("email: %s (%s): %w", where(a.pos), a.att.format, err)
		}
		if bytes.Equal(buf.Bytes(), a.att.data) {
			continue
		}
		c := ch(a)
		c.body, c.setBody = buf.Bytes(), true
		c.cte = a.cte
		if a.cte == "" || a.cte == "7bit" || a.cte == "8bit" {
			c.cte = "binary-as-is"
		}
		if a.att.toEML {
			if c.params == nil {
				c.params = copyMap(a.params)
			}
			c.mtype = "message/rfc822"
			c.cte = "binary-as-is"
			renameEML(c.params, "name")
			if a.cd != nil {
				if c.dparams == nil {
					c.dparams = copyMap(a.dparams)
				}
				renameEML(c.dparams, "filename")
			}
		}
	}
	for _, e := range d.entities() {
		if e.mtype == "multipart/signed" {
			c := ch(e)
			c.mtype, c.params = "multipart/mixed", map[string]string{"boundary": e.boundary}
		}
	}
	for _, e := range d.entities() { // in order: notes are deterministic
		c, ok := changes[e]
		if !ok {
			continue
		}
		s, err := d.entitySplices(e, c)
		if err != nil {
			return nil, err
		}
		sp = append(sp, s...)
	}
	return applySplices(d.buf, sp)
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func renameEML(p map[string]string, key string) {
	if v, ok := p[key]; ok {
		ext := extOf(v)
		p[key] = strings.TrimSuffix(v, v[len(v)-len(ext):]) + ".eml"
	}
}

// attachments returns the entities that hold a parsed attachment.
func (d *Document) attachments() []*entity {
	var out []*entity
	for _, e := range d.entities() {
		if e.att != nil {
			out = append(out, e)
		}
	}
	return out
}

// entities returns every entity of the message in order.
func (d *Document) entities() []*entity {
	var out []*entity
	var rec func(e *entity)
	rec = func(e *entity) {
		out = append(out, e)
		for _, c := range e.children {
			rec(c)
		}
	}
	if d.root != nil {
		rec(d.root)
	}
	return out
}

// entitySplices writes the changes of one entity: its body, encoded in its
// transfer encoding and charset, and the Content-Type,
// Content-Disposition and Content-Transfer-Encoding fields that change
// with it.
func (d *Document) entitySplices(e *entity, c *entChange) ([]splice, error) {
	var sp []splice
	if c.setBody {
		body := c.body
		if e.text != nil {
			enc, cs, err := encodeText(e, string(body))
			if err != nil {
				return nil, fmt.Errorf("email: %s: %w", where(e.pos), err)
			}
			body = enc
			if cs != "" {
				if c.params == nil {
					c.params = copyMap(e.params)
				}
				c.params["charset"] = cs
				d.rnote("%s: text written in UTF-8 (its charset cannot hold the replacements)", where(e.pos))
			}
			if e.cte == "" || e.cte == "7bit" {
				body = bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte(d.nl))
			}
		}
		cte := e.cte
		if c.cte != "" {
			cte = c.cte
		}
		var enc []byte
		var used string
		if cte == "binary-as-is" {
			enc, used = body, identity(e.cte, body)
		} else {
			enc, used = encodeTransfer(body, cte, d.nl)
		}
		if used != e.cte {
			c.cte = used
		} else {
			c.cte = ""
		}
		sp = append(sp, splice{e.bodyStart, e.end, enc})
		if err := d.selfCheck(e, c, enc, body); err != nil {
			return nil, err
		}
	}
	if c.mtype != "" || c.params != nil {
		t := e.mtype
		if c.mtype != "" {
			t = c.mtype
		}
		params := c.params
		if params == nil {
			params = e.params
		}
		v := mimeFormat(t, params)
		if v == "" {
			return nil, fmt.Errorf("email: %s: Content-Type cannot be written: %w", where(e.pos), redactors.ErrInternal)
		}
		sp = append(sp, d.setField(e, e.ct, "Content-Type", v))
	}
	if c.dparams != nil {
		v := mimeFormat(e.disp, c.dparams)
		if v == "" {
			return nil, fmt.Errorf("email: %s: Content-Disposition cannot be written: %w", where(e.pos), redactors.ErrInternal)
		}
		sp = append(sp, d.setField(e, e.cd, "Content-Disposition", v))
	}
	if c.cte != "" {
		sp = append(sp, d.setField(e, e.cteField, "Content-Transfer-Encoding", c.cte))
		d.rnote("%s: transfer encoding changed to %s", where(e.pos), c.cte)
	}
	if e.pos == "" && ((e.ct == nil && (c.mtype != "" || c.params != nil)) || (e.cteField == nil && c.cte != "")) {
		// Fields that MIME readers honour only under MIME-Version.
		mv := false
		for _, f := range e.fields {
			mv = mv || f.canon == "Mime-Version"
		}
		if !mv {
			sp = append(sp, d.setField(e, nil, "MIME-Version", "1.0"))
		}
	}
	return sp, nil
}

// setField replaces field f of e, or adds it at the end of e's header.
func (d *Document) setField(e *entity, f *field, name, value string) splice {
	if f != nil {
		return splice{f.start, f.end, []byte(d.formatField(f.name, value))}
	}
	at := e.start
	if n := len(e.fields); n > 0 {
		at = e.fields[n-1].end
	}
	return splice{at, at, []byte(d.formatField(name, value))}
}

// selfCheck decodes a written body again and compares it with what was
// meant: a transfer encoding or charset that does not round-trip would
// write something else than the redacted text.
func (d *Document) selfCheck(e *entity, c *entChange, enc, body []byte) error {
	probe := &entity{pos: e.pos, cte: e.cte, bodyStart: 0, end: len(enc), params: e.params, dparams: map[string]string{}}
	if c.cte != "" {
		probe.cte = c.cte
	}
	if probe.cte == "binary-as-is" {
		probe.cte = ""
	}
	pd := &Document{c: &ctx{opts: d.c.opts, budget: &budget{lim: Limits{MaxDecoded: int64(len(enc)) * 2, MaxDepth: 1, MaxParts: 1}}}, buf: enc}
	got, err := pd.decodeTransfer(probe)
	if probe.cte == "quoted-printable" || e.text != nil {
		got, body = crlf(got), crlf(body)
	}
	if err != nil || !bytes.Equal(got, body) {
		return fmt.Errorf("email: %s: written body does not decode back: %w", where(e.pos), redactors.ErrInternal)
	}
	return nil
}

// applySplices replaces the spans of b; spans must not overlap (insertions
// at one offset are applied in order).
func applySplices(b []byte, sp []splice) ([]byte, error) {
	sort.SliceStable(sp, func(i, j int) bool {
		if sp[i].start != sp[j].start {
			return sp[i].start < sp[j].start
		}
		return sp[i].end < sp[j].end
	})
	var out bytes.Buffer
	out.Grow(len(b))
	last := 0
	for _, s := range sp {
		if s.start < last || s.end > len(b) || s.start > s.end {
			return nil, fmt.Errorf("email: overlapping changes at byte %d: %w", s.start, redactors.ErrInternal)
		}
		out.Write(b[last:s.start])
		out.Write(s.repl)
		last = s.end
	}
	out.Write(b[last:])
	return out.Bytes(), nil
}

// identity returns the identity transfer encoding for a body written as
// it is: the entity's own when it fits, else 7bit or 8bit.
func identity(cte string, body []byte) string {
	eight := false
	for _, c := range body {
		if c >= 0x80 {
			eight = true
			break
		}
	}
	switch {
	case cte == "8bit" || cte == "binary":
		return cte
	case !eight && (cte == "" || cte == "7bit"):
		return cte
	case eight:
		return "8bit"
	}
	return "7bit"
}

// crlf turns every line end into "\n", to compare texts whose line ends a
// transfer encoding may have normalised.
func crlf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }

func (d *Document) rnote(format string, a ...any) {
	d.rnotes = append(d.rnotes, fmt.Sprintf(format, a...))
}
