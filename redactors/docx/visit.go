package docx

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ooxml"
)

// The scanner reads each XML part through ooxml.Walk. What WordprocessingML
// gives a meaning (a paragraph's runs, field instructions, revisions,
// authors, alt text…) is taken here; every other attribute value and
// character data comes back through Text unless the vocabulary calls it
// structural, and is exposed as text too: attribute values in
// "<part>:attributes" (one distinct value a line), character data on lines
// of the part's own text, dates in "<part>:dates". Nothing is read by a list
// of places.

// open is the scanner's state of an open element (ooxml.Element.Data).
type open struct {
	el     *ooxml.Element
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
	inStr  bool // chart string cache
	// dates in this element's character data, whose drop span is the
	// element: set when it ends
	dates []occRef
	// drop: character data of an element that is removed whatever the edits
	drop bool
	// labels of its character data, whose drop span is the element
	labels []*labelDrop
	// tbl: a w:tbl (the visitor counts their depth); cell: a cell of a
	// top-level table, whose paragraphs are a part of their own (cells.go)
	tbl, cell bool
}

func openOf(e *ooxml.Element) *open {
	if e == nil {
		return nil
	}
	return e.Data.(*open)
}

// occRef is an occurrence of a group, by index (the slice may grow).
type occRef struct {
	g *valueGroup
	k int
}

// para collects the pieces of one paragraph, joined for detection.
type para struct {
	main, fields []*piece
}

// visitor scans one XML entry.
type visitor struct {
	s                   *scanner
	i                   int
	name                string
	x                   []byte
	r                   role
	paras               []*para
	main, fields, attrs string
	n                   int        // elements started, for the checks of s.ctx
	tables              tableState // cells.go
	cssFont             string     // a VML style with its font names replaced (takeTypography)
	cssText             bool       // cssFont is not structure: it is text (takeTypography)
}

var _ ooxml.Visitor = (*visitor)(nil)

// scanEntry reads the XML of entry i and adds what it finds.
func (s *scanner) scanEntry(i int, name string, x []byte, r role) error {
	v := &visitor{s: s, i: i, name: name, x: x, r: r, main: name, fields: name + ":fields", attrs: name + ":attributes"}
	sc := &entryScan{counts: s.counts(), rels: len(s.rels), overrides: len(s.overrides), tables: len(s.tables)}
	s.cur, s.scans[i] = i, sc
	defer func() { s.cur = noOwner }()
	if err := ooxml.Walk(x, s.vocab, v); err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	sc.done(s)
	return nil
}

func (v *visitor) fail(what string) error {
	return fmt.Errorf("%s: %w", what, redactors.ErrCorrupt)
}

// addText puts a text piece in the current paragraph, or on a line of its
// own outside paragraphs.
func (v *visitor) addText(st string, p *piece) {
	if len(v.paras) > 0 {
		top := v.paras[len(v.paras)-1]
		if st == v.fields {
			top.fields = append(top.fields, p)
		} else {
			top.main = append(top.main, p)
		}
		return
	}
	v.addLine(st, p)
}

// addLine puts a text piece on a line of its own in stream st, outside any
// paragraph, after its label if it has one.
func (v *visitor) addLine(st string, p *piece) {
	strm := v.s.stream(st)
	if p.label != "" {
		strm.pieces = append(strm.pieces, &piece{kind: synthetic, text: p.label, anchor: p.anchor, isLabel: true, drop: p.drop})
	}
	strm.pieces = append(strm.pieces, p, &piece{kind: synthetic, text: "\n", anchor: p.anchor})
}

// label is the context shown before a value of a slot the vocabulary does
// not know: the local name of its attribute or element. Known slots get
// none (their names are the schema's, and a detector in maximum-recall
// mode would take them for unknown words).
func label(e *ooxml.Element, t ooxml.Text) string {
	if t.Class != ooxml.Unknown {
		return ""
	}
	n := e.Name.Local
	if t.Attr >= 0 {
		a := e.Attrs[t.Attr].Name
		if a.Space == "xmlns" || a.Local == "xmlns" {
			return "" // a prefix is no context, and its declaration must stay
		}
		n = a.Local
	}
	return n + ": "
}

// Start implements ooxml.Visitor.
func (v *visitor) Start(e *ooxml.Element) error {
	if v.n++; v.n%ctxEvery == 0 && v.s.ctx != nil {
		if err := v.s.ctx.Err(); err != nil {
			return err
		}
	}
	o, _ := e.Data.(*open) // the walker reuses ended elements, with their Data
	if o == nil {
		o = &open{}
	}
	*o = open{el: e, name: e.Name, class: classOf(e.Name.Space), start: e.Start, tagEnd: e.TagEnd, self: e.Empty,
		dates: o.dates[:0], labels: o.labels[:0]}
	parent := openOf(e.Parent)
	if parent != nil {
		o.inStr = parent.inStr
	}
	e.Data = o
	return v.start(o, parent)
}

// CharData implements ooxml.Visitor.
func (v *visitor) CharData(e *ooxml.Element, c ooxml.CharData) (bool, error) {
	o := openOf(e)
	raw := span{v.i, c.Raw.Start, c.Raw.End}
	switch {
	case o.drop:
		return true, nil
	case o.text != nil:
		if c.Text != "" {
			v.addText(o.text.name, &piece{kind: segment, text: c.Text, anchor: raw, raw: raw, cdata: c.CDATA, elem: o.elem})
		}
		return true, nil
	}
	if kind, part, ok := v.propertySlot(o); ok {
		whole := raw
		if c.CDATA {
			whole = span{v.i, raw.start - len(ooxml.CDATAOpen), raw.end + len(ooxml.CDATAClose)}
		}
		if err := v.s.addValue(part, kind, v.x[whole.start:whole.end], whole, false); err != nil {
			return true, v.fail("property value")
		}
		return true, nil
	}
	return false, nil
}

// Text implements ooxml.Visitor: a value nobody took and the vocabulary
// does not call structural is document text.
func (v *visitor) Text(e *ooxml.Element, t ooxml.Text) error {
	o := openOf(e)
	raw := span{v.i, t.Raw.Start, t.Raw.End}
	kind := plainValue
	switch {
	case v.r == roleRels || v.r == roleTypes:
		kind = fixedValue // part names and relationships cannot be rewritten
	case t.Class == ooxml.Date:
		kind = dateValue
	}
	if t.Attr >= 0 {
		part := v.attrs
		if kind == dateValue {
			part = v.name + ":dates"
		}
		whole, err := e.AttrWhole(t.Attr)
		if err != nil {
			return err
		}
		drop := &labelDrop{span{v.i, whole.Start, whole.End}}
		g, err := v.s.addLabeled(part, kind, v.x[raw.start:raw.end], raw, true, label(e, t), drop)
		if err != nil {
			return v.fail("attribute value")
		}
		if g != nil && kind == dateValue {
			g.occ[len(g.occ)-1].drop = drop.sp
		}
		return nil
	}
	whole := raw
	if t.CDATA {
		whole = span{v.i, raw.start - len(ooxml.CDATAOpen), raw.end + len(ooxml.CDATAClose)}
	}
	if o.class == nsW && t.Class == ooxml.Unknown {
		// Character data directly in a WordprocessingML element that is
		// not a text element (w:t and the others take theirs in CharData)
		// nor a slot the vocabulary knows: text in w:body, w:comment,
		// w:p, which the schema gives element content only and Word does
		// not show. It goes whatever the edits, as XML comments do. Shown
		// with a label instead, an edit touching the label would remove
		// the whole element it stands in: the document's body, a comment
		// with its paragraphs.
		v.s.removals = append(v.s.removals, whole)
		v.s.strayText++
		return nil
	}
	drop := &labelDrop{}
	o.labels = append(o.labels, drop) // the element's span, when it ends
	if kind == plainValue {
		v.addLine(v.main, &piece{kind: segment, text: t.Value, anchor: raw, raw: raw, cdata: t.CDATA, label: label(e, t), drop: drop})
		return nil
	}
	part := v.attrs
	if kind == dateValue {
		part = v.name + ":dates"
	}
	g, err := v.s.addLabeled(part, kind, v.x[whole.start:whole.end], whole, false, label(e, t), drop)
	if err != nil {
		return v.fail("element value")
	}
	if g != nil && kind == dateValue {
		o.dates = append(o.dates, occRef{g, len(g.occ) - 1})
	}
	return nil
}

// Markup implements ooxml.Visitor: comments and processing instructions
// are in no document model; a reader of the XML sees them, so they go.
func (v *visitor) Markup(k ooxml.MarkupKind, sp ooxml.Span) error {
	v.s.removals = append(v.s.removals, span{v.i, sp.Start, sp.End})
	if k == ooxml.Comment {
		v.s.xmlComments++
	} else {
		v.s.procInsts++
	}
	return nil
}

// End implements ooxml.Visitor.
func (v *visitor) End(e *ooxml.Element, endTag ooxml.Span) error {
	o := openOf(e)
	s, i := v.s, v.i
	end := endTag.End
	if o.remove {
		s.removals = append(s.removals, span{i, o.start, end})
	}
	if o.unwrap && !o.self {
		s.removals = append(s.removals, span{i, endTag.Start, end})
	}
	for _, r := range o.dates {
		r.g.occ[r.k].drop = span{i, o.start, end}
	}
	for _, l := range o.labels {
		l.sp = span{i, o.start, end}
	}
	v.endTable(o)
	if o.para && len(v.paras) > 0 {
		p := v.paras[len(v.paras)-1]
		v.paras = v.paras[:len(v.paras)-1]
		m := s.stream(v.target())
		m.pieces = append(m.pieces, p.main...)
		m.pieces = append(m.pieces, &piece{kind: synthetic, text: "\n", anchor: span{i, endTag.Start, endTag.Start}, paraEnd: true})
		if len(p.fields) > 0 {
			toks, err := fieldTokens(v.x, p.fields)
			if err != nil {
				return v.fail("field instruction")
			}
			f := s.stream(v.fields)
			f.pieces = append(f.pieces, toks...)
		}
	}
	if v.r == roleTypes && o.name.Local == "Override" && len(s.overrides) > 0 && s.overrides[len(s.overrides)-1].elem.start == o.start {
		s.overrides[len(s.overrides)-1].elem.end = end
	}
	if v.r == roleRels && o.name.Local == "Relationship" {
		for k := len(s.rels) - 1; k >= 0 && s.rels[k].entry == i; k-- {
			if s.rels[k].elem.start == o.start {
				s.rels[k].elem.end = end
				break
			}
		}
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
	// custom property values that are text (the others are removed)
	stringProps = set("lpwstr", "lpstr", "bstr")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// start handles a start tag.
func (v *visitor) start(o, parent *open) error {
	s, i, x, e := v.s, v.i, v.x, o.el
	local := o.name.Local
	pw := parent != nil && parent.class == nsW
	switch v.r {
	case roleRels:
		if local == "Relationship" {
			return v.relationship(o)
		}
		return nil
	case roleTypes:
		if local == "Override" {
			for _, a := range e.Attrs {
				if a.Name.Local == "PartName" {
					s.overrides = append(s.overrides, override{strings.ToLower(strings.TrimPrefix(a.Value, "/")), span{i, o.start, o.tagEnd}})
				}
			}
		}
		return nil
	case roleCustom:
		// A property whose value is not a string (a date, a number, a
		// flag) cannot take a replacement: the property is removed.
		if o.name.Space == nsVT && parent != nil && parent.name.Local == "property" && !stringProps[local] {
			if !parent.remove {
				parent.remove = true
				s.customProps++
			}
			o.drop = true
		}
		if parent != nil && parent.drop {
			o.drop = true
		}
	}
	if o.class == nsW {
		switch {
		case local == "ins" || local == "del" || local == "moveFrom" || local == "moveTo":
			s.revisions++
			switch {
			case pw && parent.name.Local == "trPr" && local == "del":
				// A deleted table row: accepting it deletes the row.
				for p := parent; p != nil; p = openOf(p.el.Parent) {
					if p.class == nsW && p.name.Local == "tr" {
						p.remove = true
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
		case local == "tag" && parent != nil && parent.name.Local == "sdtPr":
			// A content control's tag is for programs, not readers, and
			// holds what its author chose (often the field's value):
			// removed.
			o.remove = true
			s.tags++
		case local == "permStart" || local == "permEnd":
			// Editing permissions name their editors (w:ed): removed.
			o.remove = true
			if local == "permStart" {
				s.perms++
			}
		case local == "embedRegular" || local == "embedBold" || local == "embedItalic" || local == "embedBoldItalic" || local == "printerSettings":
			// links to embedded fonts and printer settings, which are
			// removed (parse)
			o.remove = true
		case local == "fldData":
			// A field's private data (a reference manager's record of its
			// citations: authors, titles, notes), base64 that the
			// vocabulary calls structure and no reader shows, but any
			// program decodes: removed, the field and its result stay.
			o.remove = true
			s.fldData++
		case local == "mailMerge":
			// Mail-merge settings hold the data source's path, connection
			// and query: removed (the merge fields stay, as text).
			o.remove = true
			s.mailMerge++
		case local == "p":
			o.para = true
			v.paras = append(v.paras, &para{})
		case local == "tbl" || local == "tr" || local == "tc" || local == "gridSpan" || local == "vMerge" || local == "tblHeader":
			v.startTable(o, parent)
		case local == "t" || local == "delText":
			o.text = s.stream(v.main)
		case local == "fldChar" && len(v.paras) > 0:
			for _, a := range e.Attrs {
				if a.Name.Local == "fldCharType" && a.Value == "begin" {
					top := v.paras[len(v.paras)-1]
					top.fields = append(top.fields, &piece{kind: synthetic, text: "\n", anchor: span{i, o.start, o.start}})
				}
			}
		case local == "instrText" || local == "delInstrText":
			o.text = s.stream(v.fields)
		case (local == "tab" || local == "ptab") && pw && parent.name.Local == "r":
			s.addSynthetic(v.paras, v.main, "\t", span{i, o.start, o.start})
		case (local == "br" || local == "cr") && pw && parent.name.Local == "r":
			s.addSynthetic(v.paras, v.main, "\n", span{i, o.start, o.start})
		case local == "noBreakHyphen" && pw && parent.name.Local == "r":
			s.addSynthetic(v.paras, v.main, "-", span{i, o.start, o.start})
		}
	}
	switch {
	case o.class == nsA && (local == "t" || local == "p"):
		if local == "p" {
			o.para = true
			v.paras = append(v.paras, &para{})
		} else {
			o.text = s.stream(v.main)
		}
	case o.class == nsM && local == "t":
		o.text = s.stream(v.main)
	case o.class == nsC && (local == "strCache" || local == "strLit"):
		o.inStr = true
	case o.class == nsC && local == "v" && o.inStr:
		o.text = s.stream(v.main)
	case o.class == nsC && local == "externalData":
		// the chart's data source: its workbook is removed (parse)
		o.remove = true
	}
	if o.text != nil {
		o.elem = &textElem{entry: i, gt: o.tagEnd - 1, spaces: o.class == nsW || o.class == nsM}
		s.elems = append(s.elems, o.elem)
	}
	// Attributes: which values are text, which are sanitised. The rest is
	// left to the walker and the vocabulary.
	for k := range e.Attrs {
		a := &e.Attrs[k]
		if o.elem != nil && a.Name.Local == "space" && (a.Name.Space == nsXML || a.Name.Space == "xml") {
			sp, err := e.AttrSpan(k)
			if err != nil {
				return err
			}
			o.elem.space = span{i, sp.Start, sp.End}
			o.elem.preserve = a.Value == "preserve"
			a.Taken = true
			continue
		}
		role := attrRole(o, parent, a.Name)
		if role == attrText && encodedValue(a.Value) {
			role = attrOpaque
		}
		if role == attrNone {
			if t := typographic(o, parent, a.Name); v.takeTypography(e, t, a) {
				a.Taken = true
				sp0, err := e.AttrSpan(k)
				if err != nil {
					return err
				}
				if err := v.typography(o, t, a, span{i, sp0.Start, sp0.End}); err != nil {
					return fmt.Errorf("attribute at byte %d: %w", sp0.Start, redactors.ErrCorrupt)
				}
			}
			continue
		}
		a.Taken = true
		sp0, err := e.AttrSpan(k)
		if err != nil {
			return err
		}
		sp := span{i, sp0.Start, sp0.End}
		switch role {
		case attrAuthor:
			err = s.addValue("authors", authorValue, x[sp.start:sp.end], sp, true)
		case attrText:
			err = s.addValue(v.attrs, plainValue, x[sp.start:sp.end], sp, true)
		case attrField:
			err = s.addField(v.fields, x, sp)
		case attrBlank:
			if sp.end > sp.start {
				s.fixed = append(s.fixed, splice{sp, ""})
				if a.Name.Local == "initials" {
					s.initials++
				} else {
					s.presence++
				}
			}
		case attrOpaque:
			s.fixed = append(s.fixed, splice{sp, ""})
			s.opaque++
		case attrEmpty:
			if sp.end > sp.start {
				s.fixed = append(s.fixed, splice{sp, ""})
				s.xmlValues++
			}
		case attrProvider:
			if a.Value != "None" {
				s.fixed = append(s.fixed, splice{sp, "None"})
			}
		case attrDrop, attrGfx:
			// the whole attribute, with the space before it and the closing quote
			whole, werr := e.AttrWhole(k)
			if werr != nil {
				return werr
			}
			s.fixed = append(s.fixed, splice{span{i, whole.Start, whole.End}, ""})
			if role == attrDrop {
				s.dates++
			} else {
				s.gfxdata++
			}
		}
		if err != nil {
			return fmt.Errorf("attribute at byte %d: %w", sp.start, redactors.ErrCorrupt)
		}
	}
	return nil
}

type attrKind uint8

const (
	attrNone     attrKind = iota
	attrAuthor            // a person's name as author: "authors" part, neutralised
	attrText              // text a reader can see: alt text, tooltips, form values
	attrField             // a field instruction
	attrBlank             // identifying, emptied always (initials, user ids)
	attrProvider          // identity provider of a user id
	attrDrop              // an exact date behind displayed text: the attribute is removed
	attrGfx               // a legacy shape's copy of itself (o:gfxdata): removed
	attrOpaque            // a text attribute whose value is encoded (base64): emptied
	attrEmpty             // custom XML and smart tag values: emptied
)

// encodedValue reports a value that is base64, not words: 24 characters
// or more of the base64 alphabets alone, capitals, small letters and
// digits all among them, that decode. A document variable or smart-tag
// value so encoded (a macro's or add-in's record: names, numbers, dates)
// is read by any program and by no detector; it is emptied, not passed.
func encodedValue(v string) bool {
	if len(v) < 24 {
		return false
	}
	var upper, lower, digit bool
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case 'A' <= c && c <= 'Z':
			upper = true
		case 'a' <= c && c <= 'z':
			lower = true
		case '0' <= c && c <= '9':
			digit = true
		case c == '+' || c == '/' || c == '-' || c == '_' || c == '=':
		default:
			return false
		}
	}
	if !upper || !lower || !digit {
		return false
	}
	t := strings.TrimRight(v, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if _, err := enc.DecodeString(t); err == nil {
			return true
		}
	}
	return false
}

const nsO = "urn:schemas-microsoft-com:office:office"

// attrRole says what attribute n of element o holds.
func attrRole(o, parent *open, n xml.Name) attrKind {
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
	case local == "gfxdata" && n.Space == nsO:
		// base64 of a zip holding the shape again, text and all, as
		// DrawingML: Word rebuilds it; Veil cannot read it safely
		return attrGfx
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
	case el == "date" && local == "fullDate" && within(o, "sdtPr"):
		return attrDrop
	case el == "attr" && local == "val" && (within(o, "smartTagPr") || within(o, "customXmlPr")):
		// smart tag and custom XML data ("PersonName" tags hold the
		// name, a record's tag its number or birth date, with no context
		// a detector could use): emptied
		return attrEmpty
	case el == "name" && local == "val" && parent != nil && parent.class == nsW && parent.name.Local == "docPartPr":
		// a building block's name: renamed by construction unless Word
		// generated it (typography.go), then it is structure
		return attrNone
	case el == "name" && local == "val" && parent != nil && parent.class == nsW && parent.name.Local == "category":
		// a building block category's name: renamed by construction unless
		// Word wrote it (typography.go)
		return attrNone
	case el == "description" && local == "val" && within(o, "docPartPr"):
		return attrText // building block descriptions
	case local == "val" && ffVal[el] && within(o, "ffData"):
		return attrText
	}
	return attrNone
}

// within reports whether a w: element named local is an ancestor of o.
func within(o *open, local string) bool {
	for p := o.el.Parent; p != nil; p = p.Parent {
		if po := openOf(p); po.class == nsW && po.name.Local == local {
			return true
		}
	}
	return false
}

// propertySlot says whether the character data of element o of a property
// part is a property value, and of what kind and part.
func (v *visitor) propertySlot(o *open) (valueKind, string, bool) {
	if v.r != roleCore && v.r != roleApp && v.r != roleCustom {
		return 0, "", false
	}
	e := o.el
	if e.Depth < 1 {
		return 0, "", false
	}
	top := e
	for top.Depth > 1 {
		top = top.Parent
	}
	name := top.Name.Local
	switch v.r {
	case roleCore:
		switch name {
		case "creator", "lastModifiedBy":
			return blankValue, "docProps/core.xml:" + name, true
		case "title", "subject", "description", "keywords", "category", "contentStatus", "identifier", "version", "language":
			return plainValue, "docProps/core.xml:" + name, true
		}
	case roleApp:
		switch name {
		case "Company", "Manager", "HyperlinkBase":
			// HyperlinkBase is a folder or address (file:///C:/Users/<login>/…)
			// with no file name to keep: emptied like a company.
			return blankValue, "docProps/app.xml:" + name, true
		case "Template", "TitlesOfParts":
			return plainValue, "docProps/app.xml:" + name, true
		}
	case roleCustom:
		if e.Depth >= 2 && o.name.Space == nsVT && stringProps[o.name.Local] {
			return blankValue, "docProps/custom.xml", true
		}
	}
	return 0, "", false
}

// relationship records a <Relationship> and exposes external targets.
func (v *visitor) relationship(o *open) error {
	s, i, x, e := v.s, v.i, v.x, o.el
	rel := relationship{entry: i, elem: span{i, o.start, o.tagEnd}}
	targetAt := -1
	for k, a := range e.Attrs {
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
	e.Attrs[targetAt].Taken = true
	sp0, err := e.AttrSpan(targetAt)
	if err != nil {
		return err
	}
	sp := span{i, sp0.Start, sp0.End}
	kind := pathValue
	if strings.HasSuffix(rel.typ, "/hyperlink") {
		kind = urlValue
	}
	if err := s.addValue(v.name, kind, x[sp.start:sp.end], sp, true); err != nil {
		return fmt.Errorf("relationship target: %w", redactors.ErrCorrupt)
	}
	return nil
}
