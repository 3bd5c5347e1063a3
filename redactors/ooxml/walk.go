package ooxml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"

	"github.com/veilhq/veil/redactors"
)

// MaxDepth bounds element nesting. Office documents nest a few dozen
// levels (tables in tables in text boxes); thousands is an attack on the
// parser.
const MaxDepth = 512

// Span is a byte range [Start, End) of a part's XML.
type Span struct{ Start, End int }

// Element is an open element during a walk. The walker owns it: it is
// valid from the visitor's Start until its End returns, and then reused for
// a later element, Data included (a visitor that keeps state in Data
// resets it in Start; reusing it saves an allocation per element).
type Element struct {
	Name xml.Name
	// Start is the offset of the start tag's '<', TagEnd the offset after
	// its '>'.
	Start, TagEnd int
	// Empty is true for an empty-element tag (<a/>).
	Empty bool
	// Attrs are the attributes in document order, values decoded.
	Attrs  []Attr
	Parent *Element
	Depth  int // 0 for the root
	// Data is the visitor's.
	Data any

	x        []byte
	raw      []RawAttr
	rawErr   error
	prefixes []string // namespace prefixes declared on this element
	qname    string   // the name as written, which the end tag repeats
	nsMark   int      // the namespace declarations in scope before this element
}

// Attr is an attribute, its value decoded as an XML parser reports it.
type Attr struct {
	Name  xml.Name
	Value string
	// Taken is set by the visitor (in Start) on the attributes it handles
	// itself; the walker classifies the others.
	Taken bool
}

// errNoAttr: an attribute index that is not one of the element's, a
// caller's mistake reported as an internal error (the file is quarantined
// with that reason, nothing is written).
var errNoAttr = fmt.Errorf("no such attribute: %w", redactors.ErrInternal)

func (e *Element) rawAttrs() ([]RawAttr, error) {
	if len(e.raw) == 0 && len(e.Attrs) > 0 && e.rawErr == nil {
		e.raw, e.rawErr = appendTagAttrs(e.raw[:0], e.x[e.Start:e.TagEnd])
		if e.rawErr == nil && len(e.raw) != len(e.Attrs) {
			e.rawErr = ErrXMLText
		}
		if e.rawErr != nil {
			e.rawErr = fmt.Errorf("start tag at byte %d: %w", e.Start, redactors.ErrCorrupt)
		}
	}
	return e.raw, e.rawErr
}

// AttrSpan returns where the raw value of attribute i is (inside its
// quotes). An i that is not the index of one of e's attributes (such as
// -1 for an attribute not found) is an error, never a panic.
func (e *Element) AttrSpan(i int) (Span, error) {
	raw, err := e.rawAttrs()
	if err != nil {
		return Span{}, err
	}
	if i < 0 || i >= len(raw) {
		return Span{}, fmt.Errorf("attribute %d of %d at byte %d: %w", i, len(raw), e.Start, errNoAttr)
	}
	return Span{e.Start + raw[i].Start, e.Start + raw[i].End}, nil
}

// AttrWhole returns attribute i from the space before its name to its
// closing quote: what to cut to remove the attribute. An i out of range
// is an error, as for AttrSpan.
func (e *Element) AttrWhole(i int) (Span, error) {
	raw, err := e.rawAttrs()
	if err != nil {
		return Span{}, err
	}
	if i < 0 || i >= len(raw) {
		return Span{}, fmt.Errorf("attribute %d of %d at byte %d: %w", i, len(raw), e.Start, errNoAttr)
	}
	return Span{e.Start + raw[i].NameStart - 1, e.Start + raw[i].End + 1}, nil
}

// Within reports whether an ancestor of e (not e) is named local in the
// namespace space.
func (e *Element) Within(space, local string) bool {
	for p := e.Parent; p != nil; p = p.Parent {
		if p.Name.Local == local && p.Name.Space == space {
			return true
		}
	}
	return false
}

// Declared reports whether prefix is a namespace prefix declared on e or
// an ancestor.
func (e *Element) Declared(prefix string) bool {
	for p := e; p != nil; p = p.Parent {
		for _, d := range p.prefixes {
			if d == prefix {
				return true
			}
		}
	}
	return false
}

// CharData is a run of character data: text between tags, or the inside of
// a CDATA section.
type CharData struct {
	Raw   Span // the raw bytes (for CDATA, between its delimiters)
	CDATA bool
	Text  string // decoded
}

// Text is a value the walker hands back as document text: an attribute
// value or character data that the visitor did not take and that the
// vocabulary does not call structural.
type Text struct {
	// Attr is the index of the attribute in Element.Attrs, or -1 for
	// character data.
	Attr  int
	Raw   Span // the raw value (attribute: inside the quotes)
	CDATA bool
	Value string // decoded
	Class Class  // why it is text (Unknown, KnownText, Misfit or Date)
}

// MarkupKind is the kind of markup that is not an element or text.
type MarkupKind uint8

// Kinds of markup.
const (
	Comment  MarkupKind = iota // <!-- … -->
	ProcInst                   // <?target …?>, other than the XML declaration
)

// Visitor receives the tokens of one XML part.
type Visitor interface {
	// Start is called for each start tag (an empty-element tag too, then
	// End follows at once). The visitor sets Attr.Taken on the attributes
	// it handles itself.
	Start(e *Element) error
	// CharData is called for each run of character data inside the root
	// element; it reports whether the visitor took it. Whitespace that is
	// not taken is ignored.
	CharData(e *Element, c CharData) (taken bool, err error)
	// Text is called, after Start or CharData, for every attribute value
	// or character data that the visitor did not take and the vocabulary
	// does not call structural. It is document text: the visitor must
	// expose it (or remove it), never ignore it.
	Text(e *Element, t Text) error
	// End is called for each end tag; end is its span (empty, at TagEnd,
	// for an empty-element tag).
	End(e *Element, end Span) error
	// Markup is called for comments and processing instructions, inside
	// or outside the root element.
	Markup(kind MarkupKind, s Span) error
}

// Walk reads the XML part x as encoding/xml's strict mode would (with the
// lexer of lex.go, which holds it to the same rules), and calls v for
// every token with its place in x. A DTD or other directive is refused
// (ErrUninspectable: entity expansion, external entities), so is nesting
// deeper than MaxDepth; malformed XML is ErrCorrupt, a declared encoding
// other than UTF-8 ErrEncoding. Errors of v are returned as they are.
//
// Names are resolved as encoding/xml resolves them: an element's or a
// prefixed attribute's namespace URI in Name.Space (an undeclared prefix
// stays as it is, "xml" is the XML namespace), xmlns attributes keep
// "xmlns".
//
// Walk takes time linear in len(x) and the visitor's work.
func Walk(x []byte, vocab *Vocabulary, v Visitor) error {
	lx := newLexer(x)
	defer lx.release()
	var top *Element
	var free []*Element // ended elements, for reuse
	cache := &nsCache{}
	defer cache.release()
	ns := nsScope{uris: map[string]string{}}
	rooted := false // an element has started
	for {
		tok, err := lx.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		prev, cur := tok.start, tok.end
		switch tok.kind {
		case lexStart:
			depth := 0
			if top != nil {
				depth = top.Depth + 1
			}
			if depth >= MaxDepth {
				return fmt.Errorf("XML nested deeper than %d: %w", MaxDepth, redactors.ErrUninspectable)
			}
			var e *Element
			if n := len(free); n > 0 {
				e, free = free[n-1], free[:n-1]
				*e = Element{Data: e.Data, Attrs: e.Attrs[:0], raw: e.raw[:0], prefixes: e.prefixes[:0]}
			} else {
				e = &Element{}
			}
			e.Start, e.TagEnd, e.Empty = prev, cur, tok.empty
			e.Parent, e.Depth, e.x = top, depth, x
			e.qname, e.nsMark = tok.name, ns.mark()
			for _, a := range tok.attrs {
				val, err := attrValue(x[a.start:a.end])
				if err != nil {
					return fmt.Errorf("attribute value at byte %d: %w", a.start, redactors.ErrCorrupt)
				}
				name := splitName(a.name)
				switch {
				case name.Space == "xmlns":
					val = vocab.uri(val)
					ns.bind(name.Local, val)
					e.prefixes = append(e.prefixes, name.Local)
				case name.Space == "" && name.Local == "xmlns":
					val = vocab.uri(val)
					ns.bind("", val)
				}
				e.Attrs = append(e.Attrs, Attr{Name: name, Value: val})
				e.raw = append(e.raw, RawAttr{Name: a.name, NameStart: a.nameStart - prev, Start: a.start - prev, End: a.end - prev})
			}
			e.Name = ns.translate(splitName(tok.name), true)
			for i := range e.Attrs {
				e.Attrs[i].Name = ns.translate(e.Attrs[i].Name, false)
			}
			top, rooted = e, true
			if err := v.Start(e); err != nil {
				return err
			}
			for i := range e.Attrs {
				a := &e.Attrs[i]
				if a.Taken {
					continue
				}
				c := vocab.classifyAttr(e, a.Name, a.Value, cache)
				if c == Structural {
					continue
				}
				sp, err := e.AttrSpan(i)
				if err != nil {
					return err
				}
				if err := v.Text(e, Text{Attr: i, Raw: sp, Value: a.Value, Class: c}); err != nil {
					return err
				}
			}
			if tok.empty {
				if err := end(e, Span{cur, cur}, v, &ns); err != nil {
					return err
				}
				top = e.Parent
				free = append(free, e)
			}
		case lexEnd:
			if top == nil || top.qname != tok.name {
				return fmt.Errorf("unbalanced XML at byte %d: %w", prev, redactors.ErrCorrupt)
			}
			e := top
			if err := end(e, Span{prev, cur}, v, &ns); err != nil {
				return err
			}
			top = e.Parent
			free = append(free, e)
		case lexText, lexCDATA:
			raw := Span{prev, cur}
			cdata := tok.kind == lexCDATA
			if !cdata && bytes.Contains(x[prev:cur], CDATAClose) {
				return fmt.Errorf("\"]]>\" in character data at byte %d: %w", prev, redactors.ErrCorrupt)
			}
			if top == nil {
				if len(bytes.TrimLeft(x[prev:cur], " \t\r\n\uFEFF")) > 0 {
					return fmt.Errorf("text outside the root element at byte %d: %w", prev, redactors.ErrCorrupt)
				}
				continue
			}
			if cdata {
				raw.Start += len(CDATAOpen)
				raw.End -= len(CDATAClose)
			}
			text, _, err := DecodeText(x[raw.Start:raw.End], cdata, false)
			if err != nil || !xmlChars(text) {
				return fmt.Errorf("character data at byte %d: %w", prev, redactors.ErrCorrupt)
			}
			c := CharData{Raw: raw, CDATA: cdata, Text: text}
			taken, err := v.CharData(top, c)
			if err != nil {
				return err
			}
			if taken {
				continue
			}
			cl := vocab.classifyText(top, text, cache)
			if cl == Structural {
				continue
			}
			if err := v.Text(top, Text{Attr: -1, Raw: raw, CDATA: cdata, Value: text, Class: cl}); err != nil {
				return err
			}
		case lexComment:
			if err := v.Markup(Comment, Span{prev, cur}); err != nil {
				return err
			}
		case lexProcInst:
			if tok.name == "xml" && !rooted {
				continue // the XML declaration
			}
			if err := v.Markup(ProcInst, Span{prev, cur}); err != nil {
				return err
			}
		}
	}
	if top != nil {
		return fmt.Errorf("truncated XML: %w", redactors.ErrCorrupt)
	}
	return nil
}

// end calls v.End for e and drops the namespaces e declared.
func end(e *Element, sp Span, v Visitor, ns *nsScope) error {
	if err := v.End(e, sp); err != nil {
		return err
	}
	ns.undo(e.nsMark)
	return nil
}

// nsScope is the namespace prefixes in scope: their URIs, and what each
// declaration hid, to put back when its element ends.
type nsScope struct {
	uris  map[string]string
	saved []nsSaved
}

type nsSaved struct {
	prefix, uri string
	had         bool
}

func (s *nsScope) mark() int { return len(s.saved) }

func (s *nsScope) bind(prefix, uri string) {
	old, had := s.uris[prefix]
	s.saved = append(s.saved, nsSaved{prefix, old, had})
	s.uris[prefix] = uri
}

func (s *nsScope) undo(mark int) {
	for i := len(s.saved) - 1; i >= mark; i-- {
		d := s.saved[i]
		if d.had {
			s.uris[d.prefix] = d.uri
		} else {
			delete(s.uris, d.prefix)
		}
	}
	s.saved = s.saved[:mark]
}

// xmlURL is the namespace of the "xml" prefix.
const xmlURL = "http://www.w3.org/XML/1998/namespace"

// translate resolves a name as encoding/xml's Decoder.translate does.
func (s *nsScope) translate(n xml.Name, isElementName bool) xml.Name {
	switch {
	case n.Space == "xmlns":
		return n
	case n.Space == "" && !isElementName:
		return n
	case n.Space == "xml":
		n.Space = xmlURL
	case n.Space == "" && n.Local == "xmlns":
		return n
	}
	if v, ok := s.uris[n.Space]; ok {
		n.Space = v
	}
	return n
}
