package email

import (
	"errors"
	"fmt"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// attachment is an attachment read through a format.
type attachment struct {
	format string
	doc    redactors.Document
	data   []byte // decoded original
	first  int    // index of its first part in the message's parts
	n      int    // number of its parts
	toEML  bool   // a .msg written as .eml
	f      redactors.Format
	used   bool // Redact was called: some formats (PDF) allow it once
}

// Media types whose format is known when the file name does not say.
var typeExt = map[string]string{
	"application/pdf":    ".pdf",
	"application/x-pdf":  ".pdf",
	"application/msword": ".doc",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.template": ".dotx",
	"application/vnd.ms-word.document.macroenabled.12":                        ".docm",
	"message/rfc822":             ".eml",
	"message/global":             ".eml",
	"application/vnd.ms-outlook": ".msg",
	"application/mbox":           ".mbox",
	"text/rtf":                   ".rtf",
	"application/rtf":            ".rtf",
	// images (inline pictures often have no file name): through the
	// image format of the registry, as the profile says
	"image/png":   ".png",
	"image/jpeg":  ".jpg",
	"image/pjpeg": ".jpg",
	"image/gif":   ".gif",
	"image/tiff":  ".tif",
	"image/bmp":   ".bmp",
	"image/x-bmp": ".bmp",
}

// formatFor returns the format that reads an attachment: by the extension
// of its file name, else by its media type.
func (d *Document) formatFor(e *entity) (redactors.Format, bool) {
	own := map[string]kind{".eml": kindEML, ".msg": kindMSG, ".mbox": kindMBOX}
	if e.mtype == "message/rfc822" || e.mtype == "message/global" {
		return Format{kind: kindEML, reg: d.c.reg, opts: d.c.opts}, true
	}
	for _, ext := range []string{extOf(fileName(e)), typeExt[e.mtype]} {
		if ext == "" {
			continue
		}
		if k, ok := own[ext]; ok {
			return Format{kind: k, reg: d.c.reg, opts: d.c.opts}, true
		}
		if d.c.reg != nil {
			if f, ok := d.c.reg.ForKey("x" + ext); ok {
				return f, true
			}
		}
	}
	return nil, false
}

// parseWith parses an attachment: this package's formats within the
// file's budget and depth, others through their own Parse.
func (d *Document) parseWith(f redactors.Format, data []byte) (redactors.Document, error) {
	if err := d.c.stopped(); err != nil {
		return nil, err
	}
	own, ok := f.(Format)
	if !ok {
		if d.c.stop == nil {
			return f.Parse(data)
		}
		return redactors.Parse(d.c.stop, f, data)
	}
	switch {
	case own.kind == kindMBOX:
		return nil, fmt.Errorf("mailbox inside a message: %w", redactors.ErrUnsupported)
	case own.kind == kindMSG && isOLE(data):
		return parseMSG(d.c, data, d.depth+1)
	}
	return parseMessage(d.c, data, d.depth+1)
}

// attachmentPart reads an attachment (or a forwarded message) and adds
// its parts.
func (d *Document) attachmentPart(e *entity, parent *entity) error {
	e.role = roleAttachment
	fail := func(err error) error {
		if parent != nil && d.c.opts.DropUnreadableAttachments && !errors.Is(err, redactors.ErrTooLarge) {
			return d.dropAttachment(e, err)
		}
		return err
	}
	f, ok := d.formatFor(e)
	if !ok {
		return fail(fmt.Errorf("email: %s: attachment of a type Veil does not read: %w", where(e.pos), redactors.ErrUnsupported))
	}
	data, err := d.decodeTransfer(e)
	if err != nil {
		if errors.Is(err, redactors.ErrTooLarge) {
			return err
		}
		return fail(err)
	}
	doc, err := d.parseWith(f, data)
	if err != nil {
		if errors.Is(err, redactors.ErrTooLarge) {
			return fmt.Errorf("email: %s (%s): %w", where(e.pos), f.Name(), err)
		}
		return fail(fmt.Errorf("email: %s (%s): %w", where(e.pos), f.Name(), err))
	}
	if err := d.headerParts(e); err != nil {
		return err
	}
	a := &attachment{format: f.Name(), doc: doc, data: data, first: len(d.parts), f: f}
	if oe, ok := doc.(redactors.OutputExtensioner); ok && oe.OutputExtension() == ".eml" {
		a.toEML = true
		d.note("%s: Outlook message written as .eml", where(e.pos))
	}
	e.att = a
	prefix := "part " + e.pos + " (" + f.Name() + ")"
	if e.pos == "" {
		prefix = "body (" + f.Name() + ")"
	}
	for i, p := range doc.Parts() {
		d.parts = append(d.parts, redactors.Part{Name: prefix + ": " + p.Name, Text: p.Text, Page: p.Page})
		d.slots = append(d.slots, &slot{kind: slotChild, e: e, att: a, child: i})
	}
	a.n = len(d.parts) - a.first
	if n, ok := doc.(redactors.Noter); ok {
		for _, s := range n.Notes() {
			d.note("%s (%s): %s", where(e.pos), f.Name(), s)
		}
	}
	att := Attachment{Position: e.pos, Format: f.Name(), NamePart: d.nameSlot(e)}
	for i := a.first; i < len(d.parts); i++ {
		att.Parts = append(att.Parts, i)
	}
	d.atts = append(d.atts, att)
	if sub, ok := doc.(*Document); ok {
		for _, s := range sub.atts {
			s.Position = e.pos + "/" + s.Position
			for k := range s.Parts {
				s.Parts[k] += a.first
			}
			if s.NamePart >= 0 {
				s.NamePart += a.first
			}
			d.atts = append(d.atts, s)
		}
	}
	return nil
}

// placeholder is the text that replaces a dropped attachment.
const placeholder = "[attachment removed by Veil: it could not be inspected]"

// dropAttachment replaces an unreadable attachment by a short text part
// and notes why (the reason's code, never the attachment's name).
func (d *Document) dropAttachment(e *entity, err error) error {
	e.role = roleDropped
	r := redactors.ReasonOf(err)
	d.note("%s: attachment removed, it could not be read (%s)", where(e.pos), r.Code)
	var b strings.Builder
	b.WriteString("Content-Type: text/plain; charset=us-ascii" + d.nl)
	b.WriteString("Content-Disposition: inline" + d.nl)
	b.WriteString("Content-Transfer-Encoding: 7bit" + d.nl + d.nl)
	b.WriteString(placeholder + d.nl)
	d.fixed = append(d.fixed, splice{e.start, e.end, []byte(b.String())})
	d.atts = append(d.atts, Attachment{Position: e.pos, NamePart: -1, Dropped: true})
	return nil
}
