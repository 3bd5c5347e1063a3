package docx

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// Namespaces, transitional and strict (Word can save both).
const (
	nsXML = "http://www.w3.org/XML/1998/namespace"
	nsVML = "urn:schemas-microsoft-com:vml"
	nsW15 = "http://schemas.microsoft.com/office/word/2012/wordml"
	nsVT  = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
)

type nsClass uint8

const (
	nsOther nsClass = iota
	nsW             // WordprocessingML main
	nsA             // DrawingML main
	nsM             // Office Math
	nsC             // DrawingML charts
	nsV             // VML
)

func classOf(space string) nsClass {
	switch space {
	case "http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main":
		return nsW
	case "http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main":
		return nsA
	case "http://schemas.openxmlformats.org/officeDocument/2006/math", "http://purl.oclc.org/ooxml/officeDocument/math":
		return nsM
	case "http://schemas.openxmlformats.org/drawingml/2006/chart", "http://purl.oclc.org/ooxml/drawingml/chart":
		return nsC
	case nsVML:
		return nsV
	}
	return nsOther
}

// maxDepth bounds element nesting. Word documents nest a few dozen levels
// (tables in tables in text boxes); thousands is an attack on the parser.
const maxDepth = 512

// role says what an XML entry is and so which of its text is exposed.
type role uint8

const (
	roleStory      role = iota // WordprocessingML and other XML: text elements and known attributes
	roleCore                   // docProps/core.xml
	roleApp                    // docProps/app.xml
	roleCustom                 // docProps/custom.xml
	roleCustomItem             // customXml/itemN.xml: data, all character data is text
	roleRels                   // relationships
	roleTypes                  // [Content_Types].xml
)

type pieceKind uint8

const (
	synthetic pieceKind = iota // a separator that is in no byte of the XML ("\n", "\t")
	segment                    // character data, mapped byte for byte
	value                      // a whole attribute value or element content
)

// span is a byte range of the decompressed XML of an entry.
type span struct{ entry, start, end int }

// piece is one stretch of a part's text.
type piece struct {
	kind   pieceKind
	text   string
	anchor span        // where it is; pieces inside removed XML are dropped
	raw    span        // segment: the raw character data
	cdata  bool        // segment: inside a CDATA section
	attr   bool        // segment: an attribute value
	elem   *textElem   // segment: the element holding it
	group  *valueGroup // value
}

// textElem is an element whose character data is text (w:t…); Redact may
// have to mark it xml:space="preserve" when an edit leaves edge spaces.
type textElem struct {
	entry    int
	gt       int  // offset of the '>' closing the start tag
	space    span // the xml:space value, end 0 if absent
	preserve bool // xml:space="preserve" already
	spaces   bool // Word trims edge spaces of this element unless preserved
}

type valueKind uint8

const (
	plainValue  valueKind = iota // kept unless edited
	authorValue                  // a person's name as author: "Author" unless edited
	blankValue                   // identifying metadata: emptied unless edited
	urlValue                     // a URI (percent-decoded for reading)
	pathValue                    // an external file path: reduced to its file name
)

// valueGroup is one distinct value in a list part ("authors"), with every
// place it occurs; all occurrences get the same replacement.
type valueGroup struct {
	part       string // the part it is shown in
	kind       valueKind
	text       string
	occ        []occurrence
	rawDiffers bool // some occurrence does not read as text (path directories)
}

type occurrence struct {
	raw  span
	attr bool
}

// neutral is what a value becomes when no edit touches it.
func (g *valueGroup) neutral() string {
	switch g.kind {
	case authorValue:
		return "Author"
	case blankValue:
		return ""
	}
	return g.text
}

func (g *valueGroup) encode(s string, attr bool) string {
	if g.kind == urlValue || g.kind == pathValue {
		s = percentEncode(s)
	}
	if attr {
		return escapeAttr(s)
	}
	return escapeText(s)
}

type stream struct {
	name   string
	pieces []*piece
}

type splice struct {
	span
	repl string
}

type relationship struct {
	entry    int
	id, typ  string
	target   string
	external bool
	elem     span // the whole <Relationship> element
}

// scanner collects the text, values and structural changes of all XML
// entries of one package.
type scanner struct {
	ctx       context.Context // checked every ctxEvery tokens; nil: never
	streams   []*stream
	byName    map[string]*stream
	groups    map[groupKey]*valueGroup
	all       []*valueGroup // every group, in order of creation
	removals  []span        // XML to delete: accepted revisions, XML comments
	fixed     []splice      // changes made whatever the edits (sanitised metadata)
	elems     []*textElem
	rels      []relationship
	overrides []override // [Content_Types].xml Override elements

	revisions, xmlComments, initials, presence, dates int
}

type groupKey struct {
	part string
	kind valueKind
	text string
}

// ctxEvery is how many XML tokens the scanner reads between checks of
// its context.
const ctxEvery = 4096

func newScanner() *scanner {
	return &scanner{byName: map[string]*stream{}, groups: map[groupKey]*valueGroup{}}
}

// override is an <Override> of [Content_Types].xml.
type override struct {
	part string // lower case, without the leading slash
	elem span
}

func (s *scanner) stream(name string) *stream {
	st := s.byName[name]
	if st == nil {
		st = &stream{name: name}
		s.byName[name] = st
		s.streams = append(s.streams, st)
	}
	return st
}

// addValue adds one occurrence of a value to the list part named part.
func (s *scanner) addValue(part string, kind valueKind, raw []byte, sp span, attr bool) error {
	var text string
	var err error
	if attr {
		text, err = decodeAttr(raw)
	} else {
		text, err = decodeMixed(raw)
	}
	if err != nil {
		return err
	}
	shown := text
	switch kind {
	case urlValue:
		shown = percentDecode(text)
	case pathValue:
		shown = baseName(percentDecode(text))
	}
	if strings.TrimSpace(shown) == "" && kind != pathValue {
		return nil
	}
	k := groupKey{part, kind, shown}
	g := s.groups[k]
	if g == nil {
		g = &valueGroup{part: part, kind: kind, text: shown}
		s.groups[k] = g
		s.all = append(s.all, g)
		st := s.stream(part)
		st.pieces = append(st.pieces, &piece{kind: value, text: shown, anchor: sp, group: g})
	}
	g.occ = append(g.occ, occurrence{raw: sp, attr: attr})
	if shown != text && kind == pathValue {
		g.rawDiffers = true
	}
	return nil
}

// baseName is the last element of a path written with / or \.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// open is an element on the scanner's stack.
type open struct {
	name   xml.Name
	class  nsClass
	start  int // offset of '<'
	tagEnd int // offset after the start tag
	self   bool
	remove bool // delete the whole element
	unwrap bool // delete the start and end tags only
	text   *stream
	elem   *textElem
	para   bool
	leaf   bool // no child element so far
	inStr  bool // chart string cache
}

// para collects the pieces of one paragraph, joined for detection.
type para struct {
	main, fields []*piece
}

// scanEntry reads the XML of entry i and adds what it finds.
func (s *scanner) scanEntry(i int, name string, x []byte, r role) error {
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = true
	var stack []*open
	var paras []*para
	main := name
	fields := name + ":fields"
	attrs := name + ":attributes"
	fail := func(what string) error {
		return fmt.Errorf("docx: %s: %s: %w", name, what, redactors.ErrCorrupt)
	}
	// addText puts a text piece in the current paragraph, or on a line of
	// its own outside paragraphs.
	addText := func(st string, p *piece) {
		if len(paras) > 0 {
			top := paras[len(paras)-1]
			if st == fields {
				top.fields = append(top.fields, p)
			} else {
				top.main = append(top.main, p)
			}
			return
		}
		strm := s.stream(st)
		strm.pieces = append(strm.pieces, p, &piece{kind: synthetic, text: "\n", anchor: p.anchor})
	}
	for n := 1; ; n++ {
		if n%ctxEvery == 0 && s.ctx != nil {
			if err := s.ctx.Err(); err != nil {
				return fmt.Errorf("docx: %s: %w", name, err)
			}
		}
		prev := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if strings.Contains(err.Error(), "CharsetReader") {
				return fmt.Errorf("docx: %s: XML in an encoding other than UTF-8: %w", name, redactors.ErrEncoding)
			}
			return fail(fmt.Sprintf("XML syntax error at byte %d", prev))
		}
		cur := int(dec.InputOffset())
		if cur < prev || cur > len(x) {
			return fail("XML offsets")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return fmt.Errorf("docx: %s: XML nested deeper than %d: %w", name, maxDepth, redactors.ErrUninspectable)
			}
			tag := x[prev:cur]
			o := &open{name: t.Name, class: classOf(t.Name.Space), start: prev, tagEnd: cur,
				self: bytes.HasSuffix(tag, []byte("/>")), leaf: true}
			var parent *open
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
				parent.leaf = false
				o.inStr = parent.inStr
			}
			stack = append(stack, o)
			if err := s.start(i, name, r, x, o, parent, stack, t, &paras, main, fields, attrs); err != nil {
				return err
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return fail("unbalanced XML")
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			end := cur
			if o.remove {
				s.removals = append(s.removals, span{i, o.start, end})
			}
			if o.unwrap && !o.self {
				s.removals = append(s.removals, span{i, prev, end})
			}
			if o.para && len(paras) > 0 {
				p := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				m := s.stream(main)
				m.pieces = append(m.pieces, p.main...)
				m.pieces = append(m.pieces, &piece{kind: synthetic, text: "\n", anchor: span{i, prev, prev}})
				if len(p.fields) > 0 {
					toks, err := fieldTokens(x, p.fields)
					if err != nil {
						return fail("field instruction")
					}
					f := s.stream(fields)
					f.pieces = append(f.pieces, toks...)
				}
			}
			if o.leaf && !o.self && (r == roleCore || r == roleApp || r == roleCustom) {
				if err := s.property(i, r, x, o, stack, prev); err != nil {
					return fail("property value")
				}
			}
			if r == roleTypes && o.name.Local == "Override" && len(s.overrides) > 0 && s.overrides[len(s.overrides)-1].elem.start == o.start {
				s.overrides[len(s.overrides)-1].elem.end = end
			}
			if r == roleRels && o.name.Local == "Relationship" {
				for k := len(s.rels) - 1; k >= 0 && s.rels[k].entry == i; k-- {
					if s.rels[k].elem.start == o.start {
						s.rels[k].elem.end = end
						break
					}
				}
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			raw := span{i, prev, cur}
			cdata := bytes.HasPrefix(x[prev:cur], cdataOpen)
			if cdata {
				raw.start += len(cdataOpen)
				raw.end -= len(cdataClose)
				if raw.end < raw.start {
					return fail("CDATA section")
				}
			}
			var st string
			switch {
			case top.text != nil:
				st = top.text.name
			case r == roleCustomItem && len(bytes.TrimSpace(t)) > 0:
				st = main
			default:
				continue
			}
			text, _, err := decodeText(x[raw.start:raw.end], cdata, false)
			if err != nil {
				return fail("character data")
			}
			if text == "" {
				continue
			}
			addText(st, &piece{kind: segment, text: text, anchor: raw, raw: raw, cdata: cdata, elem: top.elem})
		case xml.Comment:
			// Not part of any document model; a reader of the XML sees it.
			s.removals = append(s.removals, span{i, prev, cur})
			s.xmlComments++
		case xml.Directive:
			return fmt.Errorf("docx: %s: DTD or other directive in XML: %w", name, redactors.ErrUninspectable)
		}
	}
	if len(stack) != 0 {
		return fail("truncated XML")
	}
	return nil
}

// Revision elements of WordprocessingML. Accepting a revision deletes the
// elements in removeWhole, and unwraps insertions.
var (
	removeWhole = set("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange",
		"trPrChange", "tcPrChange", "tblGridChange", "numberingChange",
		"moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
		"customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
		"customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd",
		"cellIns", "cellDel", "cellMerge")
	markerParents = set("rPr", "trPr", "ctrlPr", "tcPr", "pPr")
	// attributes of w: elements whose value is text a reader can see
	// (w:val of form fields, content controls, document variables, mail merge).
	ffVal = set("name", "helpText", "statusText", "listEntry", "default", "format")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// start handles a start tag.
func (s *scanner) start(i int, name string, r role, x []byte, o, parent *open, stack []*open, t xml.StartElement,
	paras *[]*para, main, fields, attrs string) error {
	local := o.name.Local
	pw := parent != nil && parent.class == nsW
	switch r {
	case roleRels:
		if local == "Relationship" {
			return s.relationship(i, name, x, o, t)
		}
		return nil
	case roleTypes:
		if local == "Override" {
			for _, a := range t.Attr {
				if a.Name.Local == "PartName" {
					s.overrides = append(s.overrides, override{strings.ToLower(strings.TrimPrefix(a.Value, "/")), span{i, o.start, o.tagEnd}})
				}
			}
		}
		return nil
	}
	if o.class == nsW {
		switch {
		case local == "ins" || local == "del" || local == "moveFrom" || local == "moveTo":
			s.revisions++
			switch {
			case pw && parent.name.Local == "trPr" && local == "del":
				// A deleted table row: accepting it deletes the row.
				for k := len(stack) - 2; k >= 0; k-- {
					if stack[k].class == nsW && stack[k].name.Local == "tr" {
						stack[k].remove = true
						break
					}
				}
				o.remove = true
			case pw && markerParents[parent.name.Local]:
				o.remove = true // a revision mark on a paragraph mark, row or cell
			case local == "del" || local == "moveFrom":
				o.remove = true
			default:
				o.unwrap = true
				s.removals = append(s.removals, span{i, o.start, o.tagEnd})
			}
		case removeWhole[local]:
			if strings.HasSuffix(local, "Change") {
				s.revisions++
			}
			o.remove = true
		case local == "p":
			o.para = true
			*paras = append(*paras, &para{})
		case local == "t" || local == "delText":
			o.text = s.stream(main)
		case local == "fldChar" && len(*paras) > 0:
			for _, a := range t.Attr {
				if a.Name.Local == "fldCharType" && a.Value == "begin" {
					top := (*paras)[len(*paras)-1]
					top.fields = append(top.fields, &piece{kind: synthetic, text: "\n", anchor: span{i, o.start, o.start}})
				}
			}
		case local == "instrText" || local == "delInstrText":
			o.text = s.stream(fields)
		case (local == "tab" || local == "ptab") && pw && parent.name.Local == "r":
			s.addSynthetic(*paras, main, "\t", span{i, o.start, o.start})
		case (local == "br" || local == "cr") && pw && parent.name.Local == "r":
			s.addSynthetic(*paras, main, "\n", span{i, o.start, o.start})
		case local == "noBreakHyphen" && pw && parent.name.Local == "r":
			s.addSynthetic(*paras, main, "-", span{i, o.start, o.start})
		}
	}
	switch {
	case o.class == nsA && (local == "t" || local == "p"):
		if local == "p" {
			o.para = true
			*paras = append(*paras, &para{})
		} else {
			o.text = s.stream(main)
		}
	case o.class == nsM && local == "t":
		o.text = s.stream(main)
	case o.class == nsC && (local == "strCache" || local == "strLit"):
		o.inStr = true
	case o.class == nsC && local == "v" && o.inStr:
		o.text = s.stream(main)
	}
	if o.text != nil {
		o.elem = &textElem{entry: i, gt: o.tagEnd - 1, spaces: o.class == nsW || o.class == nsM}
		s.elems = append(s.elems, o.elem)
	}
	// Attributes: which values are text, which are sanitised.
	interesting := false
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		if attrRole(o, parent, stack, a.Name) != attrNone {
			interesting = true
			break
		}
	}
	if !interesting && o.elem == nil {
		return nil
	}
	raws, err := tagAttrs(x[o.start:o.tagEnd])
	if err != nil || len(raws) != len(t.Attr) {
		return fmt.Errorf("docx: %s: start tag at byte %d: %w", name, o.start, redactors.ErrCorrupt)
	}
	for k, a := range t.Attr {
		ra := raws[k]
		sp := span{i, o.start + ra.start, o.start + ra.end}
		if o.elem != nil && a.Name.Local == "space" && (a.Name.Space == nsXML || a.Name.Space == "xml") {
			o.elem.space = sp
			o.elem.preserve = a.Value == "preserve"
			continue
		}
		switch attrRole(o, parent, stack, a.Name) {
		case attrAuthor:
			err = s.addValue("authors", authorValue, x[sp.start:sp.end], sp, true)
		case attrText:
			err = s.addValue(attrs, plainValue, x[sp.start:sp.end], sp, true)
		case attrField:
			err = s.addField(fields, x, sp)
		case attrBlank:
			if sp.end > sp.start {
				s.fixed = append(s.fixed, splice{sp, ""})
				if a.Name.Local == "initials" {
					s.initials++
				} else {
					s.presence++
				}
			}
		case attrProvider:
			if a.Value != "None" {
				s.fixed = append(s.fixed, splice{sp, "None"})
			}
		case attrDrop:
			// the whole attribute, with the space before it and the closing quote
			s.fixed = append(s.fixed, splice{span{i, o.start + ra.nameStart - 1, sp.end + 1}, ""})
			s.dates++
		}
		if err != nil {
			return fmt.Errorf("docx: %s: attribute at byte %d: %w", name, sp.start, redactors.ErrCorrupt)
		}
	}
	return nil
}

// addField adds the arguments of a field instruction held in an attribute
// (w:fldSimple) to the fields part.
func (s *scanner) addField(fields string, x []byte, sp span) error {
	text, _, err := decodeText(x[sp.start:sp.end], false, false)
	if err != nil || strings.TrimSpace(text) == "" {
		return err
	}
	toks, err := fieldTokens(x, []*piece{{kind: segment, text: text, anchor: sp, raw: sp, attr: true}})
	if err != nil {
		return err
	}
	st := s.stream(fields)
	st.pieces = append(st.pieces, toks...)
	return nil
}

// fieldTokens turns the instruction text of the fields of a paragraph into
// pieces for their arguments only: the field type ("MERGEFIELD",
// "HYPERLINK") and switches with their formats ("\* MERGEFORMAT") are not
// text and must stay intact for the field to work; names, paths, URLs,
// quoted text and bookmark names are shown. An argument split over runs
// gives adjacent pieces, joined. Synthetic pieces in "in" separate fields.
func fieldTokens(x []byte, in []*piece) ([]*piece, error) {
	var out, field []*piece
	flush := func() error {
		toks, err := fieldArgs(x, field)
		if err != nil {
			return err
		}
		if len(toks) > 0 {
			out = append(out, toks...)
			out = append(out, &piece{kind: synthetic, text: "\n", anchor: toks[len(toks)-1].anchor})
		}
		field = nil
		return nil
	}
	for _, p := range in {
		if p.kind != segment {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		field = append(field, p)
	}
	return out, flush()
}

func fieldArgs(x []byte, pcs []*piece) ([]*piece, error) {
	var b strings.Builder
	starts := make([]int, len(pcs))
	for k, p := range pcs {
		starts[k] = b.Len()
		b.WriteString(p.text)
	}
	t := b.String()
	var args [][2]int
	first, skipNext := true, false
	for i := 0; i < len(t); {
		c := t[i]
		if isSpace(c) {
			i++
			continue
		}
		a, end, next, isSwitch := i, i, i, false
		switch c {
		case '"':
			a = i + 1
			if j := strings.IndexByte(t[a:], '"'); j >= 0 {
				end, next = a+j, a+j+1
			} else {
				end, next = len(t), len(t)
			}
		case '\\':
			for end = i + 1; end < len(t) && !isSpace(t[end]); end++ {
			}
			next, isSwitch = end, true
		default:
			for end = i; end < len(t) && !isSpace(t[end]) && t[end] != '"'; end++ {
			}
			next = end
		}
		i = next
		switch {
		case isSwitch:
			sw := t[a:end]
			skipNext = sw == `\*` || sw == `\@` || sw == `\#`
			first = false
		case first:
			first = false // the field type
		case skipNext:
			skipNext = false // a format
		case end > a:
			args = append(args, [2]int{a, end})
		}
	}
	var out []*piece
	for n, arg := range args {
		sep := len(out)
		for k, p := range pcs {
			ps, pe := starts[k], starts[k]+len(p.text)
			a, end := max(arg[0], ps), min(arg[1], pe)
			if a >= end {
				continue
			}
			sub, err := subPiece(x, p, a-ps, end-ps)
			if err != nil {
				return nil, err
			}
			out = append(out, sub)
		}
		if n > 0 && len(out) > sep {
			out = append(out[:sep+1], out[sep:]...)
			out[sep] = &piece{kind: synthetic, text: " ", anchor: out[sep+1].anchor}
		}
	}
	return out, nil
}

// subPiece is the part [a, b) of the text of a segment piece.
func subPiece(x []byte, p *piece, a, b int) (*piece, error) {
	if a == 0 && b == len(p.text) {
		return p, nil
	}
	_, off, err := decodeText(x[p.raw.start:p.raw.end], p.cdata, true)
	if err != nil || len(off) != len(p.text)+1 {
		return nil, errXMLText
	}
	np := *p
	np.text = p.text[a:b]
	np.raw = span{p.raw.entry, p.raw.start + off[a], p.raw.start + off[b]}
	np.anchor = np.raw
	return &np, nil
}

func (s *scanner) addSynthetic(paras []*para, main, text string, at span) {
	p := &piece{kind: synthetic, text: text, anchor: at}
	if len(paras) > 0 {
		top := paras[len(paras)-1]
		top.main = append(top.main, p)
		return
	}
	st := s.stream(main)
	st.pieces = append(st.pieces, p)
}

type attrKind uint8

const (
	attrNone     attrKind = iota
	attrAuthor            // a person's name: "authors" part, neutralised
	attrText              // text a reader can see: alt text, tooltips, form values
	attrField             // a field instruction
	attrBlank             // identifying, emptied always (initials, user ids)
	attrProvider          // identity provider of a user id
	attrDrop              // an exact date behind displayed text: the attribute is removed
)

// attrRole says what attribute n of element o holds.
func attrRole(o, parent *open, stack []*open, n xml.Name) attrKind {
	local, el := n.Local, o.name.Local
	switch {
	case local == "author":
		return attrAuthor
	case local == "initials":
		return attrBlank
	case o.name.Space == nsW15 && el == "presenceInfo":
		if local == "userId" {
			return attrBlank
		}
		if local == "providerId" {
			return attrProvider
		}
	case (el == "docPr" || el == "cNvPr") && (local == "descr" || local == "title" || local == "name"):
		return attrText
	case o.class == nsV && (local == "alt" || local == "title" || el == "textpath" && local == "string"):
		return attrText // VML alt text, image titles, WordArt text
	case local == "tooltip":
		return attrText
	}
	if o.class != nsW || classOf(n.Space) != nsW {
		return attrNone
	}
	switch {
	case el == "fldSimple" && local == "instr":
		return attrField
	case el == "docVar" && local == "val":
		return attrText
	case el == "alias" && local == "val":
		return attrText
	case el == "listItem" && (local == "displayText" || local == "value"):
		return attrText
	case el == "date" && local == "fullDate" && within(stack, "sdtPr"):
		return attrDrop
	case el == "attr" && local == "val" && (within(stack, "smartTagPr") || within(stack, "customXmlPr")):
		return attrText // smart tag data ("PersonName" tags hold the name)
	case (el == "name" || el == "description") && local == "val" && within(stack, "docPartPr"):
		return attrText // building block names in the glossary
	case local == "val" && ffVal[el] && within(stack, "ffData"):
		return attrText
	case local == "val" && within(stack, "mailMerge"):
		return attrText
	}
	return attrNone
}

// within reports whether a w: element named local is on the stack.
func within(stack []*open, local string) bool {
	for k := len(stack) - 2; k >= 0; k-- {
		if stack[k].class == nsW && stack[k].name.Local == local {
			return true
		}
	}
	return false
}

// property handles the end of a leaf element in the property parts.
func (s *scanner) property(i int, r role, x []byte, o *open, stack []*open, endTag int) error {
	if len(stack) < 1 {
		return nil
	}
	top := o.name.Local // child of the root element
	if len(stack) >= 2 {
		top = stack[1].name.Local
	}
	inner := span{i, o.tagEnd, endTag}
	raw := x[inner.start:inner.end]
	switch r {
	case roleCore:
		switch top {
		case "creator", "lastModifiedBy":
			return s.addValue("docProps/core.xml:"+top, blankValue, raw, inner, false)
		case "title", "subject", "description", "keywords", "category", "contentStatus", "identifier", "version", "language":
			return s.addValue("docProps/core.xml:"+top, plainValue, raw, inner, false)
		}
	case roleApp:
		switch top {
		case "Company", "Manager":
			return s.addValue("docProps/app.xml:"+top, blankValue, raw, inner, false)
		case "HyperlinkBase", "Template", "TitlesOfParts":
			return s.addValue("docProps/app.xml:"+top, plainValue, raw, inner, false)
		}
	case roleCustom:
		if len(stack) >= 2 && o.name.Space == nsVT && (o.name.Local == "lpwstr" || o.name.Local == "lpstr" || o.name.Local == "bstr") {
			return s.addValue("docProps/custom.xml", blankValue, raw, inner, false)
		}
	}
	return nil
}

// relationship records a <Relationship> and exposes external targets.
func (s *scanner) relationship(i int, name string, x []byte, o *open, t xml.StartElement) error {
	rel := relationship{entry: i, elem: span{i, o.start, o.tagEnd}}
	targetAt := -1
	for k, a := range t.Attr {
		switch a.Name.Local {
		case "Id":
			rel.id = a.Value
		case "Type":
			rel.typ = a.Value
		case "Target":
			rel.target, targetAt = a.Value, k
		case "TargetMode":
			rel.external = strings.EqualFold(a.Value, "External")
		}
	}
	s.rels = append(s.rels, rel)
	if !rel.external || targetAt < 0 {
		return nil
	}
	raws, err := tagAttrs(x[o.start:o.tagEnd])
	if err != nil || len(raws) != len(t.Attr) {
		return fmt.Errorf("docx: %s: relationship at byte %d: %w", name, o.start, redactors.ErrCorrupt)
	}
	ra := raws[targetAt]
	sp := span{i, o.start + ra.start, o.start + ra.end}
	kind := pathValue
	if strings.HasSuffix(rel.typ, "/hyperlink") {
		kind = urlValue
	}
	if err := s.addValue(name, kind, x[sp.start:sp.end], sp, true); err != nil {
		return fmt.Errorf("docx: %s: relationship target: %w", name, redactors.ErrCorrupt)
	}
	return nil
}
