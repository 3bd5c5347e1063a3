package ooxml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// walkStd is Walk as it was before it read with the lexer (lex.go): it
// reads the XML part x with encoding/xml (strict), and calls v for
// every token with its place in x. A DTD or other directive is refused
// (ErrUninspectable: entity expansion, external entities), so is nesting
// deeper than MaxDepth; malformed XML is ErrCorrupt, a declared encoding
// other than UTF-8 ErrEncoding. Errors of v are returned as they are.
//
// Walk takes time linear in len(x) and the visitor's work.
func walkStd(x []byte, vocab *Vocabulary, v Visitor) error {
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = true
	var top *Element
	var free []*Element // ended elements, for reuse
	cache := &nsCache{}
	rooted := false // an element has started
	for {
		prev := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if strings.Contains(err.Error(), "CharsetReader") {
				return fmt.Errorf("XML in an encoding other than UTF-8: %w", redactors.ErrEncoding)
			}
			return fmt.Errorf("XML syntax error at byte %d: %w", prev, redactors.ErrCorrupt)
		}
		cur := int(dec.InputOffset())
		if cur < prev || cur > len(x) {
			return fmt.Errorf("XML offsets: %w", redactors.ErrCorrupt)
		}
		switch t := tok.(type) {
		case xml.StartElement:
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
			e.Name, e.Start, e.TagEnd, e.Empty = t.Name, prev, cur, bytes.HasSuffix(x[prev:cur], []byte("/>"))
			e.Parent, e.Depth, e.x = top, depth, x
			for _, a := range t.Attr {
				e.Attrs = append(e.Attrs, Attr{Name: a.Name, Value: a.Value})
				if a.Name.Space == "xmlns" {
					e.prefixes = append(e.prefixes, a.Name.Local)
				}
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
		case xml.EndElement:
			if top == nil {
				return fmt.Errorf("unbalanced XML: %w", redactors.ErrCorrupt)
			}
			e := top
			top = e.Parent
			if err := v.End(e, Span{prev, cur}); err != nil {
				return err
			}
			free = append(free, e)
		case xml.CharData:
			if top == nil {
				if len(bytes.TrimLeft(t, " \t\r\n\uFEFF")) > 0 {
					return fmt.Errorf("text outside the root element at byte %d: %w", prev, redactors.ErrCorrupt)
				}
				continue
			}
			raw := Span{prev, cur}
			cdata := bytes.HasPrefix(x[prev:cur], CDATAOpen)
			if cdata {
				raw.Start += len(CDATAOpen)
				raw.End -= len(CDATAClose)
				if raw.End < raw.Start {
					return fmt.Errorf("CDATA section at byte %d: %w", prev, redactors.ErrCorrupt)
				}
			}
			text, _, err := DecodeText(x[raw.Start:raw.End], cdata, false)
			if err != nil {
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
		case xml.Comment:
			if err := v.Markup(Comment, Span{prev, cur}); err != nil {
				return err
			}
		case xml.ProcInst:
			if t.Target == "xml" && !rooted {
				continue // the XML declaration
			}
			if err := v.Markup(ProcInst, Span{prev, cur}); err != nil {
				return err
			}
		case xml.Directive:
			return fmt.Errorf("DTD or other directive in XML: %w", redactors.ErrUninspectable)
		}
	}
	if top != nil {
		return fmt.Errorf("truncated XML: %w", redactors.ErrCorrupt)
	}
	return nil
}
