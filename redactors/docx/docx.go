// Package docx reads and redacts Word documents (.docx, .dotx) in place.
//
// A DOCX is a zip of XML parts. Parse streams every XML part through
// encoding/xml to find the text a reader can see or recover, remembering
// where each piece of text sits in the original bytes; Redact splices the
// replacements into those bytes, so formatting, namespace prefixes and
// parts Veil does not understand are kept byte for byte. Nothing is ever
// re-encoded with encoding/xml.
//
// What is text (Document.Parts):
//   - the body, tables, text boxes, headers, footers, footnotes, endnotes,
//     comments, the glossary document and SmartArt/chart text, one part per
//     XML part, paragraphs on lines of their own and the runs of a
//     paragraph joined, so that a name split across runs is found;
//   - the arguments of field instructions (w:instrText, w:fldSimple:
//     mail-merge field names, HYPERLINK targets; not the field type or its
//     switches, which must stay for the field to work) in "<part>:fields";
//   - alt text and names of images and shapes, WordArt text, tooltips,
//     form-field, content-control and smart-tag values, building-block
//     names, document variables and mail-merge settings in
//     "<part>:attributes";
//   - external relationship targets (hyperlinks; file paths reduced to the
//     file name) in "<rels part>";
//   - document properties ("docProps/core.xml:creator", …:title,
//     "docProps/app.xml:Company", "docProps/custom.xml");
//   - the names of comment and revision authors and of people.xml in
//     "authors".
//
// What is done whatever the edits (the report gets a note for each):
// tracked changes are accepted (deleted text, w:delText, is removed, never
// kept); authors become "Author", and creator, last-modified-by, company,
// manager and custom string properties become empty, unless an edit gives
// them a replacement; comment initials and people.xml user ids are emptied;
// the exact date behind a date picker (w:fullDate), the thumbnail of the
// first page and XML comments are removed.
//
// What is refused: encrypted files (ErrEncrypted), Word 97–2003 files,
// macros (.docm, vbaProject.bin), embedded objects, ActiveX controls and
// parts of unknown type (ErrUninspectable), corrupt zips and XML (ErrCorrupt),
// zips over Limits (ErrTooLarge), DTDs and XML nested over 512 levels
// (ErrUninspectable), and documents whose body is only images (ErrNoText).
// Images are not read (no OCR): Notes lists them, or Options.Images refuses
// them.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// ImagePolicy says what to do with the images of a document. Images are not
// inspected (no OCR); a name in a photo of a letter survives redaction.
type ImagePolicy uint8

const (
	// ImagesNote keeps images and lists them in the report notes
	// ("3 images not inspected (no OCR)"). It is the default: a clinician's
	// handout with a logo or chart should not fail.
	ImagesNote ImagePolicy = iota
	// ImagesQuarantine refuses documents that hold images (ErrNoText), for
	// releases where nothing uninspected may leave.
	ImagesQuarantine
)

// Options configure the DOCX format.
type Options struct {
	// Limits bound decompression; zero fields take DefaultLimits.
	Limits Limits
	// Images is the policy for images (default ImagesNote).
	Images ImagePolicy
}

// Format implements redactors.Format for Word documents.
type Format struct {
	opts  Options
	macro bool
}

var (
	_ redactors.Format      = Format{}
	_ redactors.Document    = (*Document)(nil)
	_ redactors.LeakChecker = (*Document)(nil)
	_ redactors.Noter       = (*Document)(nil)
)

// New returns the format for .docx and .dotx files.
func New(o Options) Format {
	o.Limits = o.Limits.orDefault()
	return Format{opts: o}
}

// MacroEnabled returns the format for .docm and .dotm files: they are
// always refused (ErrUninspectable), since Veil cannot inspect or redact
// VBA code and will not copy it through.
func MacroEnabled() Format { return Format{macro: true} }

// Name implements redactors.Format.
func (f Format) Name() string {
	if f.macro {
		return "docm"
	}
	return "docx"
}

// Extensions implements redactors.Format.
func (f Format) Extensions() []string {
	if f.macro {
		return []string{".docm", ".dotm"}
	}
	return []string{".docx", ".dotx"}
}

// Parse implements redactors.Format.
func (f Format) Parse(data []byte) (redactors.Document, error) {
	return f.ParseContext(context.Background(), data)
}

// ParseContext implements redactors.ContextParser: the XML walker checks
// ctx every few thousand tokens.
func (f Format) ParseContext(ctx context.Context, data []byte) (doc redactors.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("docx: %w (recovered panic)", redactors.ErrInternal)
		}
	}()
	if f.macro {
		return nil, fmt.Errorf("docx: macro-enabled Word file (.docm/.dotm): macros cannot be inspected: %w", redactors.ErrUninspectable)
	}
	if f.opts.Limits.MaxEntries == 0 {
		f.opts.Limits = f.opts.Limits.orDefault()
	}
	d, err := parse(ctx, data, f.opts)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Document is a parsed DOCX. It is not safe for concurrent use.
type Document struct {
	opts    Options
	zr      *zip.Reader
	entries []*entry
	parts   []redactors.Part
	placed  [][]placed // pieces of each part, with their place in its text
	groups  []*valueGroup
	fixed   []splice // removals and sanitising, made whatever the edits
	elems   []*textElem
	drop    map[int]bool // entries not written (thumbnail)
	notes   []string
}

type entry struct {
	f    *zip.File
	safe string
	xml  []byte // decompressed, for XML entries
	role role
}

type placed struct {
	p          *piece
	start, end int
}

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Notes implements redactors.Noter.
func (d *Document) Notes() []string { return d.notes }

// Content types and relationship types that decide how a part is handled.
const (
	ctCore   = "application/vnd.openxmlformats-package.core-properties+xml"
	ctApp    = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
	ctCustom = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
)

var (
	mainTypes = set(
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")
	macroTypes = set(
		"application/vnd.ms-word.document.macroenabled.main+xml",
		"application/vnd.ms-word.template.macroenabledtemplate.main+xml")
	// relationships to content Veil cannot inspect
	refusedRels = set("oleObject", "package", "aFChunk", "control", "activeXControlBinary",
		"vbaProject", "wordVbaData", "keyMapCustomizations", "attachedToolbars")
)

type contentTypes struct {
	Defaults []struct {
		Extension   string `xml:"Extension,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

type rootRels struct {
	Rels []struct {
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// relType is the last element of a relationship type URI.
func relType(t string) string { return t[strings.LastIndex(t, "/")+1:] }

func parse(ctx context.Context, data []byte, o Options) (*Document, error) {
	if err := checkContainer(data); err != nil {
		return nil, err
	}
	zr, err := openZip(data, o.Limits)
	if err != nil {
		return nil, err
	}
	d := &Document{opts: o, zr: zr, drop: map[int]bool{}}
	b := &budget{lim: o.Limits}
	index := map[string]int{}
	for i, f := range zr.File {
		d.entries = append(d.entries, &entry{f: f, safe: safeName(f.Name, i)})
		index[strings.ToLower(f.Name)] = i
	}
	readXML := func(i int) ([]byte, error) {
		e := d.entries[i]
		if e.xml == nil {
			var buf bytes.Buffer
			if err := b.read(i, e.f, &buf); err != nil {
				return nil, err
			}
			e.xml = buf.Bytes()
			if e.xml == nil {
				e.xml = []byte{}
			}
		}
		return e.xml, nil
	}

	// [Content_Types].xml and the package relationships say what is where.
	ti, ok := index["[content_types].xml"]
	if !ok {
		return nil, fmt.Errorf("docx: no [Content_Types].xml (not an Office document): %w", redactors.ErrCorrupt)
	}
	x, err := readXML(ti)
	if err != nil {
		return nil, err
	}
	var ct contentTypes
	if err := unmarshal(x, &ct); err != nil {
		return nil, fmt.Errorf("docx: [Content_Types].xml: %w", err)
	}
	defaults, overrides := map[string]string{}, map[string]string{}
	for _, t := range ct.Defaults {
		defaults[strings.ToLower(t.Extension)] = strings.ToLower(t.ContentType)
	}
	for _, t := range ct.Overrides {
		overrides[strings.ToLower(strings.TrimPrefix(t.PartName, "/"))] = strings.ToLower(t.ContentType)
	}
	typeOf := func(name string) string {
		n := strings.ToLower(name)
		if t, ok := overrides[n]; ok {
			return t
		}
		return defaults[strings.TrimPrefix(path.Ext(n), ".")]
	}
	ri, ok := index["_rels/.rels"]
	if !ok {
		return nil, fmt.Errorf("docx: no _rels/.rels (not an Office document): %w", redactors.ErrCorrupt)
	}
	if x, err = readXML(ri); err != nil {
		return nil, err
	}
	var rr rootRels
	if err := unmarshal(x, &rr); err != nil {
		return nil, fmt.Errorf("docx: _rels/.rels: %w", err)
	}
	mainDoc, thumbs := -1, map[int]bool{}
	for _, r := range rr.Rels {
		if strings.EqualFold(r.TargetMode, "External") {
			continue
		}
		target := strings.ToLower(strings.TrimPrefix(path.Clean("/"+r.Target), "/"))
		i, ok := index[target]
		switch relType(r.Type) {
		case "officeDocument":
			if !ok {
				return nil, fmt.Errorf("docx: the main document part is missing: %w", redactors.ErrCorrupt)
			}
			mainDoc = i
		case "thumbnail":
			if ok {
				thumbs[i] = true
			}
		}
	}
	if mainDoc < 0 {
		return nil, fmt.Errorf("docx: no main document (not a Word document): %w", redactors.ErrUnsupported)
	}
	switch mt := typeOf(zr.File[mainDoc].Name); {
	case macroTypes[mt]:
		return nil, fmt.Errorf("docx: macro-enabled document: %w", redactors.ErrUninspectable)
	case !mainTypes[mt]:
		return nil, fmt.Errorf("docx: main part is not a Word document: %w", redactors.ErrUnsupported)
	}

	// Classify every entry; refuse what cannot be inspected.
	images := 0
	for i, e := range d.entries {
		name := strings.ToLower(e.f.Name)
		t := typeOf(name)
		base := path.Base(name)
		switch {
		case strings.HasSuffix(name, "/"):
			continue // folder entry
		case thumbs[i]:
			d.drop[i] = true
			continue
		case strings.Contains(t, "vbaproject") || strings.Contains(t, "vbadata") || strings.HasPrefix(base, "vbaproject") || strings.HasPrefix(base, "vbadata"):
			return nil, fmt.Errorf("docx: macros (VBA project): %w", redactors.ErrUninspectable)
		case strings.HasPrefix(name, "word/embeddings/") || strings.Contains(t, "oleobject") || strings.Contains(t, "activex") ||
			strings.HasPrefix(name, "word/activex/"):
			return nil, fmt.Errorf("docx: %s: embedded object or control that cannot be inspected: %w", e.safe, redactors.ErrUninspectable)
		case strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(t, "+xml") || t == "application/xml" || t == "text/xml":
			e.role = roleStory
			switch {
			case i == ti:
				e.role = roleTypes
			case strings.HasSuffix(name, ".rels"):
				e.role = roleRels
			case t == ctCore:
				e.role = roleCore
			case t == ctApp:
				e.role = roleApp
			case t == ctCustom:
				e.role = roleCustom
			case strings.HasPrefix(name, "customxml/item") && !strings.HasPrefix(name, "customxml/itemprops"):
				e.role = roleCustomItem
			}
			if _, err := readXML(i); err != nil {
				return nil, err
			}
			continue
		case strings.HasPrefix(t, "image/") || t == "application/vnd.ms-photo":
			images++
		case strings.Contains(t, "font") || strings.HasSuffix(name, ".odttf") || strings.HasSuffix(name, ".ttf"):
		case strings.Contains(t, "printersettings"):
		default:
			return nil, fmt.Errorf("docx: %s: part of unknown type: %w", e.safe, redactors.ErrUninspectable)
		}
		if err := b.read(i, e.f, nil); err != nil { // checks the CRC and the limits
			return nil, err
		}
	}

	// Scan the XML, main document first.
	s := newScanner()
	s.ctx = ctx
	s.stream(d.entries[mainDoc].safe) // the body is the first part, even when empty
	order := []int{mainDoc}
	for i := range d.entries {
		if i != mainDoc && d.entries[i].xml != nil {
			order = append(order, i)
		}
	}
	for _, i := range order {
		e := d.entries[i]
		if err := s.scanEntry(i, e.safe, e.xml, e.role); err != nil {
			return nil, err
		}
	}
	for _, r := range s.rels {
		if refusedRels[relType(r.typ)] {
			return nil, fmt.Errorf("docx: %s: embedded object, control or macro (%s relationship): %w",
				d.entries[r.entry].safe, relType(r.typ), redactors.ErrUninspectable)
		}
		if r.entry == ri && relType(r.typ) == "thumbnail" && !r.external {
			s.removals = append(s.removals, r.elem)
		}
	}
	for _, ov := range s.overrides {
		if i, ok := index[ov.part]; ok && d.drop[i] {
			s.removals = append(s.removals, ov.elem)
		}
	}
	if err := d.assemble(s); err != nil {
		return nil, err
	}

	body := strings.TrimSpace(d.parts[0].Text)
	switch {
	case images > 0 && o.Images == ImagesQuarantine:
		return nil, fmt.Errorf("docx: %d images, not inspected (no OCR), and images are set to quarantine: %w", images, redactors.ErrNoText)
	case images > 0 && body == "":
		return nil, fmt.Errorf("docx: the body is only images (no OCR): %w", redactors.ErrNoText)
	}
	d.note(images, s)
	return d, nil
}

// unmarshal decodes small package XML (content types, relationships).
func unmarshal(x []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(x))
	if err := dec.Decode(v); err != nil {
		return redactors.ErrCorrupt
	}
	return nil
}

// assemble drops what lies inside removed XML and builds the parts.
func (d *Document) assemble(s *scanner) error {
	rem := mergeSpans(s.removals)
	inRemoved := func(sp span) bool {
		rs := rem[sp.entry]
		k := sort.Search(len(rs), func(k int) bool { return rs[k].end > sp.start })
		return k < len(rs) && rs[k].start <= sp.start && sp.end <= rs[k].end && (sp.start < rs[k].end)
	}
	for _, rs := range rem {
		for _, r := range rs {
			d.fixed = append(d.fixed, splice{r, ""})
		}
	}
	for _, f := range s.fixed {
		if !inRemoved(f.span) {
			d.fixed = append(d.fixed, f)
		}
	}
	for _, g := range s.all {
		occ := g.occ[:0]
		for _, o := range g.occ {
			if !inRemoved(o.raw) {
				occ = append(occ, o)
			}
		}
		g.occ = occ
		if len(occ) > 0 {
			d.groups = append(d.groups, g)
		}
	}
	d.elems = s.elems
	// Streams in order; "authors" last; the main document is first.
	streams := append([]*stream(nil), s.streams...)
	sort.SliceStable(streams, func(a, b int) bool {
		return streams[a].name != "authors" && streams[b].name == "authors"
	})
	for _, st := range streams {
		var text strings.Builder
		var pl []placed
		for _, p := range st.pieces {
			if p.kind == value {
				if len(p.group.occ) == 0 {
					continue
				}
			} else if inRemoved(p.anchor) {
				continue
			}
			start := text.Len()
			text.WriteString(p.text)
			pl = append(pl, placed{p, start, text.Len()})
			if p.kind == value && !strings.HasSuffix(st.name, ":fields") {
				// lists: one value a line
				text.WriteByte('\n')
				pl = append(pl, placed{&piece{kind: synthetic, text: "\n"}, text.Len() - 1, text.Len()})
			}
		}
		if text.Len() == 0 && len(d.parts) > 0 {
			continue
		}
		d.parts = append(d.parts, redactors.Part{Name: st.name, Text: text.String()})
		d.placed = append(d.placed, pl)
	}
	if len(d.parts) == 0 {
		d.parts = append(d.parts, redactors.Part{Name: "word/document.xml"})
		d.placed = append(d.placed, nil)
	}
	return nil
}

// mergeSpans sorts spans per entry and merges overlapping ones.
func mergeSpans(in []span) map[int][]span {
	out := map[int][]span{}
	sort.Slice(in, func(a, b int) bool {
		if in[a].entry != in[b].entry {
			return in[a].entry < in[b].entry
		}
		return in[a].start < in[b].start
	})
	for _, s := range in {
		rs := out[s.entry]
		if n := len(rs); n > 0 && s.start <= rs[n-1].end {
			if s.end > rs[n-1].end {
				rs[n-1].end = s.end
			}
			continue
		}
		out[s.entry] = append(rs, s)
	}
	return out
}

// note writes the notes for the report.
func (d *Document) note(images int, s *scanner) {
	if images > 0 {
		d.notes = append(d.notes, plural(images, "image")+" not inspected (no OCR)")
	}
	if s.revisions > 0 {
		d.notes = append(d.notes, plural(s.revisions, "tracked change")+" accepted (deleted text removed)")
	}
	authors, props, paths := 0, []string{}, 0
	for _, g := range d.groups {
		switch g.kind {
		case authorValue:
			authors += len(g.occ)
		case blankValue:
			props = append(props, g.part)
		case pathValue:
			if g.rawDiffers {
				paths += len(g.occ)
			}
		}
	}
	if authors > 0 {
		d.notes = append(d.notes, plural(authors, "author name")+" (comments, revisions, people) replaced by \"Author\" or the redaction")
	}
	if n := len(props); n > 0 {
		d.notes = append(d.notes, "identifying properties emptied unless redacted: "+strings.Join(uniq(props), ", "))
	}
	if s.initials+s.presence > 0 {
		d.notes = append(d.notes, fmt.Sprintf("comment initials and user ids emptied (%d)", s.initials+s.presence))
	}
	if s.dates > 0 {
		d.notes = append(d.notes, plural(s.dates, "exact date")+" of date pickers removed (the shown text is kept)")
	}
	if paths > 0 {
		d.notes = append(d.notes, plural(paths, "external file path")+" reduced to the file name")
	}
	if len(d.drop) > 0 {
		d.notes = append(d.notes, "thumbnail of the first page removed")
	}
	if s.xmlComments > 0 {
		d.notes = append(d.notes, plural(s.xmlComments, "XML comment")+" removed")
	}
}

func uniq(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("docx: redact: %w", err)
	}
	out := append([]splice(nil), d.fixed...)
	finals := map[*valueGroup]string{}
	preserve := map[*textElem]bool{}
	for pi := range d.parts {
		byPiece := d.pieceEdits(pi, redactors.EditsOf(edits, pi))
		keys := make([]int, 0, len(byPiece))
		for k := range byPiece {
			keys = append(keys, k)
		}
		sort.Ints(keys) // splices in text order: ties at one offset stay deterministic
		for _, k := range keys {
			pes := byPiece[k]
			p := d.placed[pi][k].p
			switch p.kind {
			case value:
				finals[p.group] = redactors.Splice(p.group.text, toEdits(pes))
			case segment:
				sp, err := d.segmentSplices(p, pes, preserve)
				if err != nil {
					return err
				}
				out = append(out, sp...)
			}
		}
	}
	for _, g := range d.groups {
		final, ok := finals[g]
		if !ok {
			final = g.neutral()
		}
		if final == g.text && !g.rawDiffers {
			continue
		}
		for _, o := range g.occ {
			out = append(out, splice{o.raw, g.encode(final, o.attr)})
		}
	}
	for el := range preserve {
		if el.space.end > 0 {
			out = append(out, splice{el.space, "preserve"})
		} else {
			out = append(out, splice{span{el.entry, el.gt, el.gt}, ` xml:space="preserve"`})
		}
	}
	return d.write(w, out)
}

// pieceEdit is an edit in the coordinates of one piece's text.
type pieceEdit struct {
	a, b int
	repl string
}

func toEdits(pes []pieceEdit) []redactors.Edit {
	out := make([]redactors.Edit, len(pes))
	for i, p := range pes {
		out[i] = redactors.Edit{Start: p.a, End: p.b, Replacement: p.repl}
	}
	return out
}

// pieceEdits distributes the edits of part pi over its pieces. An edit
// across several pieces (a name split across runs) removes its text from
// each and puts the replacement in the first, so it takes the formatting of
// the first run. Separators that are in no byte of the XML (paragraph
// ends, tabs) cannot be removed and stay.
func (d *Document) pieceEdits(pi int, edits []redactors.Edit) map[int][]pieceEdit {
	pl := d.placed[pi]
	out := map[int][]pieceEdit{}
	for _, e := range edits {
		k := sort.Search(len(pl), func(k int) bool { return pl[k].end > e.Start || (e.Start == e.End && pl[k].end >= e.Start) })
		placedRepl := false
		for ; k < len(pl) && (pl[k].start < e.End || (e.Start == e.End && pl[k].start <= e.Start)); k++ {
			p := pl[k]
			if p.p.kind == synthetic {
				continue
			}
			a, b := max(e.Start, p.start)-p.start, min(e.End, p.end)-p.start
			r := ""
			if !placedRepl {
				r, placedRepl = e.Replacement, true
			}
			out[k] = append(out[k], pieceEdit{a, b, r})
			if e.Start == e.End {
				break
			}
		}
		if placedRepl || e.Replacement == "" {
			continue
		}
		// Only separators were covered: put the replacement next to them.
		for j := len(pl) - 1; j >= 0; j-- {
			if pl[j].p.kind != synthetic && pl[j].end <= e.Start {
				n := pl[j].end - pl[j].start
				out[j] = append(out[j], pieceEdit{n, n, e.Replacement})
				placedRepl = true
				break
			}
		}
		for j := 0; j < len(pl) && !placedRepl; j++ {
			if pl[j].p.kind != synthetic && pl[j].start >= e.End {
				out[j] = append([]pieceEdit{{0, 0, e.Replacement}}, out[j]...)
				placedRepl = true
			}
		}
	}
	return out
}

// segmentSplices maps the edits of a character-data piece to its raw bytes.
func (d *Document) segmentSplices(p *piece, pes []pieceEdit, preserve map[*textElem]bool) ([]splice, error) {
	x := d.entries[p.raw.entry].xml
	raw := x[p.raw.start:p.raw.end]
	text, off, err := decodeText(raw, p.cdata, true)
	if err != nil || text != p.text {
		return nil, fmt.Errorf("docx: %s: text at byte %d: %w", d.entries[p.raw.entry].safe, p.raw.start, redactors.ErrInternal)
	}
	var out []splice
	var content bytes.Buffer
	last := 0
	for _, pe := range pes {
		ra, rb := off[pe.a], off[pe.b]
		repl := escapeText(pe.repl)
		if p.attr {
			repl = escapeAttr(pe.repl)
		}
		if p.cdata {
			repl = escapeCDATA(pe.repl)
		}
		out = append(out, splice{span{p.raw.entry, p.raw.start + ra, p.raw.start + rb}, repl})
		content.Write(raw[last:ra])
		content.WriteString(repl)
		last = rb
	}
	content.Write(raw[last:])
	if el := p.elem; el != nil && el.spaces && !el.preserve {
		c := content.Bytes()
		if len(c) > 0 && (isSpace(c[0]) || isSpace(c[len(c)-1])) {
			preserve[el] = true
		}
	}
	return out, nil
}

// write applies the splices to the XML entries and writes the zip, copying
// unchanged entries without recompressing them.
func (d *Document) write(w io.Writer, all []splice) error {
	byEntry := map[int][]splice{}
	for _, s := range all {
		byEntry[s.entry] = append(byEntry[s.entry], s)
	}
	zw := zip.NewWriter(w)
	for i, e := range d.entries {
		if d.drop[i] {
			continue
		}
		sp := byEntry[i]
		if len(sp) == 0 {
			fh := e.f.FileHeader
			fh.Comment = ""
			fw, err := zw.CreateRaw(&fh)
			if err != nil {
				return fmt.Errorf("docx: write %s: %w", e.safe, err)
			}
			r, err := e.f.OpenRaw()
			if err != nil {
				return fmt.Errorf("docx: read %s: %w", e.safe, redactors.ErrCorrupt)
			}
			if _, err := io.Copy(fw, r); err != nil {
				return fmt.Errorf("docx: write %s: %w", e.safe, err)
			}
			continue
		}
		x, err := applySplices(e.xml, sp)
		if err != nil {
			return fmt.Errorf("docx: %s: %w", e.safe, err)
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.f.Name, Method: zip.Deflate, Modified: e.f.Modified})
		if err != nil {
			return fmt.Errorf("docx: write %s: %w", e.safe, err)
		}
		if _, err := fw.Write(x); err != nil {
			return fmt.Errorf("docx: write %s: %w", e.safe, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: write: %w", err)
	}
	return nil
}

// applySplices replaces the spans of x; spans must not overlap (insertions
// at one offset are applied in order).
func applySplices(x []byte, sp []splice) ([]byte, error) {
	sort.SliceStable(sp, func(a, b int) bool {
		if sp[a].start != sp[b].start {
			return sp[a].start < sp[b].start
		}
		return sp[a].end < sp[b].end
	})
	var out bytes.Buffer
	out.Grow(len(x))
	last := 0
	for _, s := range sp {
		if s.start < last || s.end > len(x) || s.start > s.end {
			return nil, fmt.Errorf("overlapping changes at byte %d: %w", s.start, redactors.ErrInternal)
		}
		out.Write(x[last:s.start])
		out.WriteString(s.repl)
		last = s.end
	}
	out.Write(x[last:])
	return out.Bytes(), nil
}
