// Package docx reads and redacts Word documents (.docx, .dotx) in place.
//
// A DOCX is a zip of XML parts. Parse walks every XML part with
// ooxml.Walk, remembering where each piece of text sits in the original
// bytes; Redact splices the replacements into those bytes, so formatting,
// namespace prefixes and parts Veil does not understand are kept byte for
// byte. Nothing is ever re-encoded with encoding/xml.
//
// What is text (Document.Parts) is every attribute value and character
// data of every XML part that the vocabulary of structural values
// (redactors/ooxml) does not call structure. WordprocessingML's own text
// is read with its meaning:
//   - the body, tables, text boxes, headers, footers, footnotes, endnotes,
//     comments, the glossary document and SmartArt/chart text, one part per
//     XML part, paragraphs on lines of their own and the runs of a
//     paragraph joined, so that a name split across runs is found;
//   - the arguments of field instructions (w:instrText, w:fldSimple:
//     mail-merge field names, HYPERLINK targets; not the field type or its
//     switches, which must stay for the field to work) in "<part>:fields";
//   - external relationship targets (hyperlinks; file paths reduced to the
//     file name) in "<rels part>";
//   - document properties ("docProps/core.xml:creator", …:title,
//     "docProps/app.xml:Company", "docProps/custom.xml");
//   - the names of comment and revision authors and of people.xml in
//     "authors".
//
// Every other value is text where it is: attribute values (alt text,
// numbering text, custom XML data, chart and style names, anything an
// unknown producer wrote) one distinct value a line in "<part>:attributes";
// character data outside paragraphs (chart literals and caches, custom XML
// items, unknown elements) on lines of "<part>"; dates in typed slots
// (comment and revision dates, document dates) in "<part>:dates", removed
// when an edit would change them; part names and relationships that are
// not Office's own in "<rels part>:attributes", "[Content_Types].xml:…"
// and "zip entry names", where an edit refuses the file (parts cannot be
// renamed safely).
//
// What is done whatever the edits (the report gets a note for each):
// tracked changes are accepted (deleted text, w:delText, is removed, never
// kept); authors become "Author", and creator, last-modified-by, company,
// manager and custom string properties become empty, unless an edit gives
// them a replacement; custom properties that are not strings (dates,
// numbers, flags) are removed; comment initials and people.xml user ids are
// emptied; the exact date behind a date picker (w:fullDate), content-control
// tags, editing permissions and their editors, mail-merge settings and data
// sources, charts' embedded workbooks and links to workbooks (the charts
// keep their cached values), VML shapes' copies of themselves (o:gfxdata),
// the thumbnail of the first page, XML comments and processing
// instructions are removed; font, style, theme and building block names
// that are not widely shipped or built in are replaced by neutral ones, and custom XML
// and smart tag values emptied (typography.go). Images are read by OCR and redacted on their
// pixels (Options.Images ImagesOCR, ocr.go), or replaced by blank images of
// the same format and size, unread (ImagesDrop).
//
// What is refused: encrypted files (ErrEncrypted), Word 97–2003 files,
// macros (.docm, vbaProject.bin), embedded objects other than chart
// workbooks, ActiveX controls and parts of unknown type (ErrUninspectable),
// images that cannot be blanked (JPEG XR, JPEG 2000, unknown formats;
// ErrUninspectable), any image when Options.Images is ImagesQuarantine
// (ErrNoText), images OCR cannot read when Options.Unread is
// ImagesQuarantine, corrupt zips and XML (ErrCorrupt), zips over Limits
// (ErrTooLarge), DTDs and XML nested over 512 levels (ErrUninspectable),
// and documents whose body is only images of which some were dropped
// unread (ErrNoText).
//
// Leaks reads the output again with redactors/zipview, which shares no code
// with the scanner.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strings"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ooxml"
)

// ImagePolicy says what to do with the images of a document. An image is
// never passed through unread: it is read by OCR, dropped, or the file is
// quarantined.
type ImagePolicy string

const (
	// ImagesDrop replaces each image with a blank image of the same format
	// and pixel size, so the document keeps its layout and stays valid;
	// the report notes "N images removed (not inspected: no OCR)". It is
	// the default (the zero value).
	ImagesDrop ImagePolicy = "drop"
	// ImagesQuarantine refuses documents that hold images (ErrNoText), for
	// releases where no image may be lost without a person deciding.
	ImagesQuarantine ImagePolicy = "quarantine"
	// ImagesOCR reads each image by OCR (redactors/images): its text is
	// parts of the document and its edits are blanked on the pixels; an
	// image it cannot read is Options.Unread's (ocr.go).
	ImagesOCR ImagePolicy = "ocr"
)

// Limits bound what a DOCX may expand to (ooxml.Limits).
type Limits = ooxml.Limits

// DefaultLimits are the limits of a zero Options.
func DefaultLimits() Limits { return ooxml.DefaultLimits() }

// Options configure the DOCX format.
type Options struct {
	// Limits bound decompression; zero fields take DefaultLimits.
	Limits Limits
	// Images is the policy for images: ImagesDrop ("" too),
	// ImagesQuarantine or ImagesOCR; any other value quarantines (fail
	// closed).
	Images ImagePolicy
	// Unread is, under ImagesOCR, what happens to an image that cannot be
	// read (a picture without text, a format Veil does not decode, any
	// image without OCR): ImagesDrop ("" too) or ImagesQuarantine.
	Unread ImagePolicy
	// OCR configures the reading of images under ImagesOCR (engine,
	// languages, margins); its NoText, KeepPlain, KeepEncoding and NoOCR
	// are set here from Unread.
	OCR images.Options
}

// Format implements redactors.Format for Word documents.
type Format struct {
	opts  Options
	macro bool
}

var (
	_ redactors.Format       = Format{}
	_ redactors.Document     = (*Document)(nil)
	_ redactors.LeakChecker  = (*Document)(nil)
	_ redactors.Noter        = (*Document)(nil)
	_ redactors.PixelChecker = (*Document)(nil)
)

// New returns the format for .docx and .dotx files.
func New(o Options) Format {
	o.Limits = o.Limits.OrDefault()
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
		f.opts.Limits = f.opts.Limits.OrDefault()
	}
	d, err := parse(ctx, data, f.opts, nil)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Reparse parses out, a file written by d.Redact, as the format that
// parsed d would (Format.ParseContext: the same document, the same
// errors), taking the inflated XML of an entry out stores byte for byte as
// d's file does (the same name, method, sizes, CRC-32 and compressed
// bytes, as Redact copies the entries it does not change) from d instead
// of inflating it again: inflating the same compressed bytes gives the
// same bytes, and the limits are applied to it as to an entry inflated
// (ooxml.Budget.Take). Every entry is still scanned. Verify reads the
// output so (pipeline/verify.go).
func (d *Document) Reparse(ctx context.Context, out []byte) (doc redactors.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("docx: %w (recovered panic)", redactors.ErrInternal)
		}
	}()
	o, err := parse(ctx, out, d.opts, d)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// copied returns the inflated XML of d's entry that f, an entry of the
// archive data, stores byte for byte, if d read one.
func (d *Document) copied(f *zip.File, data []byte, byName map[string]*entry) ([]byte, bool) {
	e := byName[f.Name]
	if e == nil || e.xml == nil || e.f.Method != f.Method || e.f.CRC32 != f.CRC32 ||
		e.f.CompressedSize64 != f.CompressedSize64 || e.f.UncompressedSize64 != f.UncompressedSize64 ||
		uint64(len(e.xml)) != f.UncompressedSize64 {
		return nil, false
	}
	a, err := e.f.DataOffset()
	if err != nil {
		return nil, false
	}
	b, err := f.DataOffset()
	if err != nil {
		return nil, false
	}
	n := f.CompressedSize64
	if a < 0 || b < 0 || uint64(a)+n > uint64(len(d.data)) || uint64(b)+n > uint64(len(data)) {
		return nil, false
	}
	if !bytes.Equal(d.data[a:uint64(a)+n], data[b:uint64(b)+n]) {
		return nil, false
	}
	return e.xml, true
}

// Document is a parsed DOCX. It is not safe for concurrent use.
type Document struct {
	opts    Options
	data    []byte // the file
	zr      *zip.Reader
	entries []*entry
	parts   []redactors.Part
	placed  [][]placed // pieces of each part, with their place in its text
	// paraEnds: where the paragraphs of a story with tables and of its
	// cells end in the XML, by the story's part name (Paragraph)
	paraEnds map[string][]int
	groups   []*valueGroup
	fixed    []splice // removals and sanitising, made whatever the edits
	elems    []*textElem
	drop     map[int]bool // entries not written (thumbnail, chart workbooks)
	notes    []string
	// names are the zip entry names that are not Office's own (a part
	// named after a client): shown as text; a file whose part names need
	// an edit is refused, since parts cannot be renamed safely
	names       int // index of their part, -1 if none
	thumbnail   bool
	redactNotes []string // notes of the last Redact
	// images read through OCR (ocr.go), notes on those that could not
	// be, and how many images are written blank
	images     []*docImage
	imageNotes []string
	dropped    int
	// entries the last independent reading inflated, for Leaks
	shared sharedEntries
	// local are the entries whose parts a Reparse of an output may take
	// (reuse.go); reused is set on such an output, which cannot be
	// redacted (it holds parts, not what Redact needs of those entries)
	local  map[int]*localScan
	reused bool
	// types and pkgRels are [Content_Types].xml and _rels/.rels as
	// encoding/xml read them (entries typesAt and pkgRelsAt): a Reparse of
	// an output that copies such an entry byte for byte (Document.copied)
	// takes the reading (unmarshal is a function of the bytes alone) and
	// reads the entry again otherwise
	types              *contentTypes
	pkgRels            *rootRels
	typesAt, pkgRelsAt int
}

type entry struct {
	f          *zip.File
	copiedFrom int // Reparse: the input entry whose bytes these are, -1 for none
	safe       string
	xml        []byte // decompressed, for XML entries
	// stream is the compressed bytes xml's deflate stream took, as
	// zipview.Streams.Last counts them (ooxml.Budget.ReadStream; -1: not
	// deflated, or not known)
	stream int64
	role   role
	blank  []byte // for an image: what replaces it
	embed  bool   // under word/embeddings: dropped with its chart, or refused
}

type placed struct {
	p          *piece
	start, end int
}

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

var _ redactors.Paragraphed = (*Document)(nil)

// Paragraph implements redactors.Paragraphed: the paragraphs that end
// before off, plus one; 0 for a part without paragraphs (properties,
// field codes, attributes). The paragraphs of a story and of the cells of
// its tables (parts of their own, cells.go) are counted together, where
// they are in the XML: a cell's paragraph has the number it has in the
// story.
func (d *Document) Paragraph(part, off int) int {
	if part < 0 || part >= len(d.placed) {
		return 0
	}
	story := d.parts[part].Name
	if i := strings.Index(story, ":table "); i >= 0 && d.parts[part].Cell.Table > 0 {
		story = story[:i]
	}
	ends, ok := d.paraEnds[story]
	if !ok {
		// a part of no story with tables: its own paragraphs
		n, any := 0, false
		for _, pl := range d.placed[part] {
			if pl.p.paraEnd {
				any = true
				if pl.start < off {
					n++
				}
			}
		}
		if !any {
			return 0
		}
		return n + 1
	}
	// where off is in the XML: the first piece that ends after it
	for _, pl := range d.placed[part] {
		if pl.end > off {
			return sort.SearchInts(ends, pl.p.anchor.start) + 1
		}
	}
	return sort.SearchInts(ends, math.MaxInt) + 1
}

// hasText reports whether the main document has text: in its part, or in
// the cells of its tables.
func (d *Document) hasText() bool {
	prefix := d.parts[0].Name + ":table "
	for _, p := range d.parts {
		if (p.Name == d.parts[0].Name || strings.HasPrefix(p.Name, prefix)) && strings.TrimSpace(p.Text) != "" {
			return true
		}
	}
	return false
}

// Notes implements redactors.Noter. After Redact, they include what Redact
// removed.
func (d *Document) Notes() []string {
	return append(append(append([]string(nil), d.notes...), d.ocrNotes()...), d.redactNotes...)
}

// Content types and relationship types that decide how a part is handled.
const (
	ctChart  = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
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

// relSource returns the part whose relationships a .rels entry holds
// ("word/charts/_rels/chart1.xml.rels" → "word/charts/chart1.xml").
func relSource(rels string) string {
	dir, file := path.Split(rels)
	return path.Join(path.Dir(strings.TrimSuffix(dir, "/")), strings.TrimSuffix(file, ".rels"))
}

// relType is the last element of a relationship type URI.
func relType(t string) string { return t[strings.LastIndex(t, "/")+1:] }

// parse reads data; prev, if not nil, is the document data was written
// from (Reparse), whose entries data copies are taken from it.
func parse(ctx context.Context, data []byte, o Options, prev *Document) (*Document, error) {
	if err := ooxml.CheckContainer(data, "Word 97–2003 .doc, not DOCX"); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	zr, err := ooxml.OpenZip(data, o.Limits)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	d := &Document{opts: o, data: data, zr: zr, drop: map[int]bool{}}
	b := &ooxml.Budget{Lim: o.Limits}
	index := map[string]int{}
	for i, f := range zr.File {
		d.entries = append(d.entries, &entry{f: f, safe: safeName(f.Name, i), copiedFrom: -1, stream: -1})
		index[strings.ToLower(f.Name)] = i
	}
	var prevByName map[string]*entry
	var prevAt func(*entry) int
	if prev != nil {
		prevByName = make(map[string]*entry, len(prev.entries))
		prevIndex := make(map[*entry]int, len(prev.entries))
		for k, e := range prev.entries {
			prevByName[e.f.Name] = e
			prevIndex[e] = k
		}
		prevAt = func(e *entry) int { return prevIndex[e] }
	}
	readXML := func(i int) ([]byte, error) {
		e := d.entries[i]
		if e.xml == nil && prev != nil {
			if x, ok := prev.copied(e.f, data, prevByName); ok {
				if err := b.Take(i, e.f); err != nil {
					return nil, fmt.Errorf("docx: %w", err)
				}
				from := prevByName[e.f.Name]
				e.xml, e.stream = x, from.stream
				e.copiedFrom = prevAt(from)
			}
		}
		if e.xml == nil {
			var buf bytes.Buffer
			buf.Grow(presize(e.f))
			stream, err := b.ReadStream(i, e.f, &buf)
			if err != nil {
				return nil, fmt.Errorf("docx: %w", err)
			}
			e.xml, e.stream = buf.Bytes(), stream
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
	if prev != nil && prev.types != nil && d.entries[ti].copiedFrom == prev.typesAt {
		ct = *prev.types // the same bytes (Document.copied), read as they were
	} else if err := unmarshal(x, &ct); err != nil {
		return nil, fmt.Errorf("docx: [Content_Types].xml: %w", err)
	}
	d.types, d.typesAt = &ct, ti
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
	if prev != nil && prev.pkgRels != nil && d.entries[ri].copiedFrom == prev.pkgRelsAt {
		rr = *prev.pkgRels // the same bytes, read as they were
	} else if err := unmarshal(x, &rr); err != nil {
		return nil, fmt.Errorf("docx: _rels/.rels: %w", err)
	}
	d.pkgRels, d.pkgRelsAt = &rr, ri
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
	images, fonts, printers := 0, 0, 0
	var pixels int64           // of the blank images made or images read, bounded like the zip
	var pending []pendingImage // images to read through OCR
	for i, e := range d.entries {
		name := strings.ToLower(e.f.Name)
		t := typeOf(name)
		base := path.Base(name)
		switch {
		case strings.HasSuffix(name, "/"):
			continue // folder entry
		case thumbs[i]:
			d.drop[i] = true
			d.thumbnail = true
			continue
		case strings.Contains(t, "vbaproject") || strings.Contains(t, "vbadata") || strings.HasPrefix(base, "vbaproject") || strings.HasPrefix(base, "vbadata"):
			return nil, fmt.Errorf("docx: macros (VBA project): %w", redactors.ErrUninspectable)
		case strings.HasPrefix(name, "word/embeddings/") && !strings.Contains(t, "oleobject"):
			// A chart's workbook is dropped with its data link (below);
			// anything else embedded is refused then.
			e.embed = true
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
			if o.Images == ImagesOCR {
				var buf bytes.Buffer
				buf.Grow(presize(e.f))
				if err := b.Read(i, e.f, &buf); err != nil {
					return nil, fmt.Errorf("docx: %w", err)
				}
				if w, h, err := imagemeta.Size(buf.Bytes()); err == nil && readable[imagemeta.Sniff(buf.Bytes())] {
					if pixels += int64(w) * int64(h); pixels > maxBlankPixels {
						return nil, fmt.Errorf("docx: images of more than %d pixels in all: %w", maxBlankPixels, redactors.ErrTooLarge)
					}
				}
				pending = append(pending, pendingImage{n: images, entry: i, data: buf.Bytes()})
				continue
			}
			if o.Images != ImagesDrop && o.Images != "" {
				return nil, fmt.Errorf("docx: images are not inspected (no OCR) and the profile quarantines files with images: %w", redactors.ErrNoText)
			}
			var buf bytes.Buffer
			buf.Grow(presize(e.f))
			if err := b.Read(i, e.f, &buf); err != nil {
				return nil, fmt.Errorf("docx: %w", err)
			}
			blank, n, err := blankImage(buf.Bytes())
			if err != nil {
				return nil, fmt.Errorf("docx: %s: %w", e.safe, err)
			}
			if pixels += n; pixels > maxBlankPixels {
				return nil, fmt.Errorf("docx: images of more than %d pixels in all: %w", maxBlankPixels, redactors.ErrTooLarge)
			}
			e.blank = blank
			continue
		case strings.Contains(t, "font") || strings.HasSuffix(name, ".odttf") || strings.HasSuffix(name, ".ttf"):
			// An embedded font's name table and a printer's settings (its
			// name, in UTF-16) are binary Veil does not read: removed.
			d.drop[i] = true
			fonts++
		case strings.Contains(t, "printersettings"):
			d.drop[i] = true
			printers++
		default:
			return nil, fmt.Errorf("docx: %s: part of unknown type: %w", e.safe, redactors.ErrUninspectable)
		}
		if err := b.Read(i, e.f, nil); err != nil { // checks the CRC and the limits
			return nil, fmt.Errorf("docx: %w", err)
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
		if i != mainDoc && prev.reuse(s, i, e) {
			d.reused = true
			continue
		}
		if err := s.scanEntry(i, e.safe, e.xml, e.role); err != nil {
			return nil, err
		}
	}
	var workbooks, links int
	for _, r := range s.rels {
		rt := relType(r.typ)
		source := relSource(d.entries[r.entry].f.Name)
		switch {
		case (rt == "package" || rt == "oleObject") && typeOf(source) == ctChart:
			// A chart's data: its embedded workbook (or a link to one) is
			// removed with the link; the chart keeps its cached values.
			s.removals = append(s.removals, r.elem)
			if r.external {
				links++
				continue
			}
			target := strings.ToLower(strings.TrimPrefix(path.Clean("/"+path.Dir(source)+"/"+r.target), "/"))
			if k, ok := index[target]; ok && d.entries[k].embed && !d.drop[k] {
				d.drop[k] = true
				workbooks++
			}
			continue
		case rt == "font" || rt == "printerSettings":
			// the part is removed (above), and so is the link to it
			s.removals = append(s.removals, r.elem)
			continue
		case rt == "mailMergeSource" || rt == "mailMergeHeaderSource" || rt == "recipientData":
			// the data source of the mail merge removed with its settings
			s.removals = append(s.removals, r.elem)
			continue
		case refusedRels[rt]:
			return nil, fmt.Errorf("docx: %s: embedded object, control or macro (%s relationship): %w",
				d.entries[r.entry].safe, rt, redactors.ErrUninspectable)
		}
		if r.entry == ri && rt == "thumbnail" && !r.external {
			s.removals = append(s.removals, r.elem)
		}
	}
	for i, e := range d.entries {
		if e.embed && !d.drop[i] {
			return nil, fmt.Errorf("docx: %s: embedded object that cannot be inspected: %w", e.safe, redactors.ErrUninspectable)
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
	if prev == nil {
		d.keepLocal(s, mainDoc)
	}
	if err := d.readImages(pending); err != nil {
		return nil, err
	}

	// Entry names that are not Office's own are text too.
	d.names = -1
	var names []string
	for i, e := range d.entries {
		if e.safe != e.f.Name && !strings.HasSuffix(e.f.Name, "/") && !d.drop[i] {
			names = append(names, strings.ToValidUTF8(e.f.Name, "\uFFFD"))
		}
	}
	if len(names) > 0 {
		d.names = len(d.parts)
		d.parts = append(d.parts, redactors.Part{Name: "zip entry names", Text: strings.Join(names, "\n") + "\n"})
		d.placed = append(d.placed, nil)
	}
	switch {
	case o.Images == ImagesOCR && d.dropped > 0 && !d.hasText():
		return nil, fmt.Errorf("docx: the body is only images, and %s could not be read: %w", plural(d.dropped, "image"), redactors.ErrNoText)
	case o.Images != ImagesOCR && images > 0 && !d.hasText():
		return nil, fmt.Errorf("docx: the body is only images (no OCR): %w", redactors.ErrNoText)
	}
	if o.Images == ImagesOCR {
		images = 0 // noted per image (ocrNotes)
	}
	d.note(images, workbooks, links, s)
	if fonts > 0 {
		d.notes = append(d.notes, plural(fonts, "embedded font")+" removed (not inspected)")
	}
	if printers > 0 {
		d.notes = append(d.notes, "printer settings removed (they name the printer)")
	}
	return d, nil
}

// presize is how much to allocate before inflating an entry: its size,
// when its directory entry is believable (a bomb's directory may claim
// anything: growing past this is paid as it comes).
func presize(f *zip.File) int {
	return int(min(f.UncompressedSize64, 4*f.CompressedSize64+1<<16, 8<<20))
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
		if r := st.reused; r != nil {
			if r.ok {
				d.parts = append(d.parts, r.part)
				d.placed = append(d.placed, r.placed)
			}
			continue
		}
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
			if p.kind == value && p.label != "" {
				n := text.Len()
				text.WriteString(p.label)
				pl = append(pl, placed{&piece{kind: synthetic, text: p.label, isLabel: true, drop: p.drop}, n, text.Len()})
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
		if text.Len() == 0 && len(d.parts) > 0 || st.cell != nil && strings.TrimSpace(text.String()) == "" {
			continue
		}
		part := redactors.Part{Name: st.name, Text: text.String()}
		if c := st.cell; c != nil {
			c.part = len(d.parts)
			part.Cell = redactors.Cell{Table: c.tbl.id, Row: c.row, Col: c.col}
		}
		d.parts = append(d.parts, part)
		d.placed = append(d.placed, pl)
	}
	d.setFields(s.tables)
	// where the paragraphs of the stories with tables and of their cells
	// end, by story (Paragraph)
	d.paraEnds = map[string][]int{}
	for _, st := range streams {
		if st.cell != nil {
			d.paraEnds[st.name[:strings.LastIndex(st.name, ":table ")]] = nil
		}
	}
	for _, st := range streams {
		story := st.name
		if st.cell != nil {
			story = st.name[:strings.LastIndex(st.name, ":table ")]
		}
		if _, ok := d.paraEnds[story]; !ok {
			continue
		}
		for _, p := range st.pieces {
			if p.paraEnd && !inRemoved(p.anchor) {
				d.paraEnds[story] = append(d.paraEnds[story], p.anchor.start)
			}
		}
	}
	for _, ends := range d.paraEnds {
		sort.Ints(ends)
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
func (d *Document) note(images, workbooks, links int, s *scanner) {
	if images > 0 {
		d.notes = append(d.notes, plural(images, "image")+" removed (not inspected: no OCR)")
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
	if s.customProps > 0 {
		d.notes = append(d.notes, plural(s.customProps, "custom property")+" that is not text (a date, number or flag) removed")
	}
	if s.initials+s.presence > 0 {
		d.notes = append(d.notes, fmt.Sprintf("comment initials and user ids emptied (%d)", s.initials+s.presence))
	}
	if s.dates > 0 {
		d.notes = append(d.notes, plural(s.dates, "exact date")+" of date pickers removed (the shown text is kept)")
	}
	if s.tags > 0 {
		d.notes = append(d.notes, plural(s.tags, "content-control tag")+" removed")
	}
	if s.perms > 0 {
		d.notes = append(d.notes, plural(s.perms, "editing permission")+" (with its editor) removed")
	}
	if s.mailMerge > 0 {
		d.notes = append(d.notes, "mail-merge settings and data source removed (merge fields kept)")
	}
	if workbooks > 0 {
		d.notes = append(d.notes, plural(workbooks, "embedded chart workbook")+" removed (charts keep their cached values)")
	}
	if links > 0 {
		d.notes = append(d.notes, plural(links, "link")+" of charts to external workbooks removed")
	}
	if s.opaque > 0 {
		d.notes = append(d.notes, plural(s.opaque, "encoded attribute value")+" (base64: document variables, smart tags) emptied")
	}
	if s.fontNames > 0 {
		d.notes = append(d.notes, plural(s.fontNames, "font name")+" not widely shipped replaced by "+genericFont+" (font table entries removed)")
	}
	if s.styleNames+s.styleIDs > 0 {
		d.notes = append(d.notes, fmt.Sprintf("custom styles renamed \"%sN\" (%s, %s)", ooxml.NeutralStyleName,
			plural(s.styleNames, "name"), plural(s.styleIDs, "id")))
	}
	if s.styleOther > 0 {
		d.notes = append(d.notes, fmt.Sprintf("style aliases and latent styles not built in removed (%d)", s.styleOther))
	}
	if s.themeNames > 0 {
		d.notes = append(d.notes, plural(s.themeNames, "theme or scheme name")+" replaced by \"Office\"")
	}
	if s.partNames > 0 {
		d.notes = append(d.notes, fmt.Sprintf("building blocks renamed \"%sN\" (%s)", ooxml.NeutralDocPartName, plural(s.partNames, "name")))
	}
	if s.catNames > 0 {
		d.notes = append(d.notes, fmt.Sprintf("building block categories renamed \"%sN\", galleries not of the schema \"%s\" or content controls' galleries \"%s\" (%d)", ooxml.NeutralCategoryName, neutralGallery, neutralGalleryName, s.catNames))
	}
	if s.xmlValues > 0 {
		d.notes = append(d.notes, plural(s.xmlValues, "custom XML or smart tag attribute value")+" emptied")
	}
	if s.fldData > 0 {
		d.notes = append(d.notes, plural(s.fldData, "field data block")+" (w:fldData) removed")
	}
	if s.gfxdata > 0 {
		d.notes = append(d.notes, plural(s.gfxdata, "legacy shape copy")+" (o:gfxdata) removed")
	}
	if paths > 0 {
		d.notes = append(d.notes, plural(paths, "external file path")+" reduced to the file name")
	}
	if d.thumbnail {
		d.notes = append(d.notes, "thumbnail of the first page removed")
	}
	if s.xmlComments > 0 {
		d.notes = append(d.notes, plural(s.xmlComments, "XML comment")+" removed")
	}
	if s.procInsts > 0 {
		d.notes = append(d.notes, plural(s.procInsts, "XML processing instruction")+" removed")
	}
	if s.strayText > 0 {
		d.notes = append(d.notes, plural(s.strayText, "piece")+" of text outside the document's text elements removed")
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
	if d.reused {
		return fmt.Errorf("docx: redact: a document read by Reparse is read only: %w", redactors.ErrInternal)
	}
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("docx: redact: %w", err)
	}
	if d.names >= 0 && len(redactors.EditsOf(edits, d.names)) > 0 {
		return fmt.Errorf("docx: redact: a zip entry's name would need a change, which cannot be made safely: %w", redactors.ErrUninspectable)
	}
	out := append([]splice(nil), d.fixed...)
	datesRemoved := 0
	defer func() {
		d.redactNotes = nil
		if datesRemoved > 0 {
			d.redactNotes = append(d.redactNotes, plural(datesRemoved, "date")+" of comments, revisions or properties removed (the slot cannot take the redaction)")
		}
	}()
	finals := map[*valueGroup]string{}
	preserve := map[*textElem]bool{}
	labels := map[*labelDrop]bool{}
	if err := d.redactImages(edits); err != nil {
		return err
	}
	for pi := range d.parts {
		if d.imageOf(pi) != nil {
			continue // redactImages
		}
		byPiece := d.pieceEdits(pi, redactors.EditsOf(edits, pi), labels)
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
		switch g.kind {
		case fixedValue:
			return fmt.Errorf("docx: redact: %s: a part name or relationship would need a change, which cannot be made safely: %w", g.part, redactors.ErrUninspectable)
		case dateValue:
			// a typed slot cannot take the replacement: the date goes
			for _, o := range g.occ {
				out = append(out, splice{o.drop, ""})
			}
			datesRemoved += len(g.occ)
			continue
		}
		for _, o := range g.occ {
			out = append(out, splice{o.raw, g.encode(final, o.attr)})
		}
	}
	if len(labels) > 0 {
		out = dropLabels(out, labels)
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

// dropLabels removes the attributes and elements whose labels an edit
// touched (names cannot be rewritten), and the splices inside them. A cut
// inside a larger change (an element removed anyway) is that change's.
func dropLabels(out []splice, labels map[*labelDrop]bool) []splice {
	var cuts []span
	for l := range labels {
		cuts = append(cuts, l.sp)
	}
	// within reports whether s lies inside one of the sorted, disjoint
	// spans rs.
	within := func(rs []span, s span) bool {
		k := sort.Search(len(rs), func(k int) bool { return rs[k].start > s.start }) - 1
		return k >= 0 && s.end <= rs[k].end
	}
	var big []span
	for _, s := range out {
		if s.end > s.start {
			big = append(big, s.span)
		}
	}
	bigs := mergeSpans(big)
	var keep []span
	for _, c := range cuts {
		if !containedStrictly(bigs[c.entry], c) {
			keep = append(keep, c)
		}
	}
	merged := mergeSpans(keep)
	kept := out[:0]
	for _, s := range out {
		if !within(merged[s.entry], s.span) {
			kept = append(kept, s)
		}
	}
	for _, rs := range merged {
		for _, r := range rs {
			kept = append(kept, splice{r, ""})
		}
	}
	return kept
}

// containedStrictly reports whether c lies inside one of the sorted,
// disjoint spans rs that is larger than c (a change that removes c
// anyway; the changes inside c, smaller, go with c).
func containedStrictly(rs []span, c span) bool {
	k := sort.Search(len(rs), func(k int) bool { return rs[k].start > c.start }) - 1
	return k >= 0 && c.end <= rs[k].end && rs[k].end-rs[k].start > c.end-c.start
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
func (d *Document) pieceEdits(pi int, edits []redactors.Edit, labels map[*labelDrop]bool) map[int][]pieceEdit {
	pl := d.placed[pi]
	out := map[int][]pieceEdit{}
	for _, e := range edits {
		k := sort.Search(len(pl), func(k int) bool { return pl[k].end > e.Start || (e.Start == e.End && pl[k].end >= e.Start) })
		placedRepl, covered, onlyLabels := false, false, true
		for ; k < len(pl) && (pl[k].start < e.End || (e.Start == e.End && pl[k].start <= e.Start)); k++ {
			p := pl[k]
			covered = true
			if p.p.kind == synthetic {
				onlyLabels = onlyLabels && p.p.isLabel
				if p.p.drop != nil && p.p.drop.sp.end > p.p.drop.sp.start {
					labels[p.p.drop] = true
				}
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
		if placedRepl || e.Replacement == "" || covered && onlyLabels {
			// a label is in no byte: its attribute or element goes instead
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
	text, off, err := ooxml.DecodeText(raw, p.cdata, true)
	if err != nil || text != p.text {
		return nil, fmt.Errorf("docx: %s: text at byte %d: %w", d.entries[p.raw.entry].safe, p.raw.start, redactors.ErrInternal)
	}
	var out []splice
	var content bytes.Buffer
	last := 0
	for _, pe := range pes {
		ra, rb := off[pe.a], off[pe.b]
		repl := ooxml.EscapeText(pe.repl)
		if p.attr {
			repl = ooxml.EscapeAttr(pe.repl)
		}
		if p.cdata {
			repl = ooxml.EscapeCDATA(pe.repl)
		}
		out = append(out, splice{span{p.raw.entry, p.raw.start + ra, p.raw.start + rb}, repl})
		content.Write(raw[last:ra])
		content.WriteString(repl)
		last = rb
	}
	content.Write(raw[last:])
	if el := p.elem; el != nil && el.spaces && !el.preserve {
		c := content.Bytes()
		if len(c) > 0 && (ooxml.IsSpace(c[0]) || ooxml.IsSpace(c[len(c)-1])) {
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
	written := map[int][]byte{}
	for _, img := range d.images {
		written[img.entry] = img.out
	}
	zw := zip.NewWriter(w)
	for i, e := range d.entries {
		if d.drop[i] {
			continue
		}
		sp := byEntry[i]
		if out, ok := written[i]; ok {
			if out == nil {
				return fmt.Errorf("docx: write %s: image not redacted: %w", e.safe, redactors.ErrInternal)
			}
			if err := ooxml.WriteEntry(zw, e.f, out); err != nil {
				return fmt.Errorf("docx: write %s: %w", e.safe, err)
			}
			continue
		}
		if e.blank != nil {
			if err := ooxml.WriteEntry(zw, e.f, e.blank); err != nil {
				return fmt.Errorf("docx: write %s: %w", e.safe, err)
			}
			continue
		}
		if len(sp) == 0 {
			if err := ooxml.CopyEntry(zw, e.f); err != nil {
				return fmt.Errorf("docx: write %s: %w", e.safe, err)
			}
			continue
		}
		x, err := applySplices(e.xml, sp)
		if err != nil {
			return fmt.Errorf("docx: %s: %w", e.safe, err)
		}
		if err := ooxml.WriteEntry(zw, e.f, x); err != nil {
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
