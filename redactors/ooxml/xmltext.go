package ooxml

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrXMLText is returned for raw XML text the decoder cannot map. The
// streaming decoder has already validated the input, so this only happens
// on inputs it accepts and this file does not (a bug, or a fuzzer).
var ErrXMLText = errors.New("undecodable XML text")

var CDATAOpen, CDATAClose = []byte("<![CDATA["), []byte("]]>")

// DecodeText decodes the raw bytes of one run of XML character data: entity
// and character references for ordinary text, nothing for the inside of a
// CDATA section. With wantMap it also returns, for each byte offset i of the
// text (0 ≤ i ≤ len(text)), the raw offset where that byte starts; for bytes
// inside a character decoded from a reference, the offset of the reference.
// Offsets at UTF-8 boundaries of the text therefore fall on reference
// boundaries of raw, and text[i:j] comes from exactly raw[off[i]:off[j]].
func DecodeText(raw []byte, cdata, wantMap bool) (string, []int, error) {
	if cdata {
		if !utf8.Valid(raw) {
			return "", nil, ErrXMLText
		}
		var off []int
		if wantMap {
			off = make([]int, len(raw)+1)
			for i := range off {
				off[i] = i
			}
		}
		return string(raw), off, nil
	}
	var b strings.Builder
	b.Grow(len(raw))
	var off []int
	if wantMap {
		off = make([]int, 0, len(raw)+1)
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '&' {
			if c == '<' {
				return "", nil, ErrXMLText
			}
			b.WriteByte(c)
			if wantMap {
				off = append(off, i)
			}
			i++
			continue
		}
		semi := bytes.IndexByte(raw[i:], ';')
		if semi < 2 || semi > 12 {
			return "", nil, ErrXMLText
		}
		r, ok := entityRune(string(raw[i+1 : i+semi]))
		if !ok {
			return "", nil, ErrXMLText
		}
		n := b.Len()
		b.WriteRune(r)
		if wantMap {
			for k := n; k < b.Len(); k++ {
				off = append(off, i)
			}
		}
		i += semi + 1
	}
	if wantMap {
		off = append(off, len(raw))
	}
	s := b.String()
	if !utf8.ValidString(s) {
		return "", nil, ErrXMLText
	}
	return s, off, nil
}

// entityRune decodes the name of a predefined entity or a character
// reference ("amp", "#233", "#xE9").
func entityRune(name string) (rune, bool) {
	switch name {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if name[1] == 'x' {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || !IsXMLChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// IsXMLChar reports whether r may appear in an XML 1.0 document.
func IsXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// DecodeMixed decodes element content made of text and CDATA sections (no
// child elements), as found in document properties.
func DecodeMixed(raw []byte) (string, error) {
	var b strings.Builder
	for len(raw) > 0 {
		i := bytes.Index(raw, CDATAOpen)
		if i < 0 {
			i = len(raw)
		}
		s, _, err := DecodeText(raw[:i], false, false)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
		raw = raw[i:]
		if len(raw) == 0 {
			break
		}
		raw = raw[len(CDATAOpen):]
		j := bytes.Index(raw, CDATAClose)
		if j < 0 {
			return "", ErrXMLText
		}
		s, _, err = DecodeText(raw[:j], true, false)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
		raw = raw[j+len(CDATAClose):]
	}
	return b.String(), nil
}

// DecodeAttr decodes a raw attribute value as an XML parser reports it:
// references decoded, literal tabs and line breaks normalised to spaces.
func DecodeAttr(raw []byte) (string, error) {
	s, _, err := DecodeText(raw, false, false)
	if err != nil {
		return "", err
	}
	if strings.ContainsAny(s, "\t\n\r") {
		// Only literal whitespace is normalised, but character references
		// for it are rare enough in OOXML attributes to treat alike.
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, s)
	}
	return s, nil
}

// EscapeText encodes s as element content. Characters XML cannot carry are
// dropped; a carriage return is written as a reference so that it survives
// line-end normalisation.
func EscapeText(s string) string {
	return escape(s, false)
}

// EscapeAttr encodes s as an attribute value in either kind of quotes.
func EscapeAttr(s string) string {
	return escape(s, true)
}

func escape(s string, attr bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\'' && attr:
			b.WriteString("&apos;")
		case r == '\r', attr && (r == '\n' || r == '\t'):
			b.WriteString("&#" + strconv.Itoa(int(r)) + ";")
		case r == utf8.RuneError || !IsXMLChar(r):
			// dropped: not representable in XML 1.0
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// EscapeCDATA encodes s for the inside of a CDATA section.
func EscapeCDATA(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !IsXMLChar(r) {
			return -1
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>")
}

// RawAttr is one attribute of a raw start tag: its qualified name as
// written and the span of its value (inside the quotes), relative to the tag.
type RawAttr struct {
	Name       string
	NameStart  int // offset of the name; the value is in quotes at [Start, End)
	Start, End int
}

// TagAttrs lists the attributes of a raw start tag ("<a:b x='1' y=\"2\">"
// or "…/>") in document order.
func TagAttrs(tag []byte) ([]RawAttr, error) {
	return appendTagAttrs(nil, tag)
}

// appendTagAttrs is TagAttrs appending to out.
func appendTagAttrs(out []RawAttr, tag []byte) ([]RawAttr, error) {
	if len(tag) < 2 || tag[0] != '<' {
		return nil, ErrXMLText
	}
	i := 1
	for i < len(tag) && !IsSpace(tag[i]) && tag[i] != '>' && tag[i] != '/' {
		i++
	}
	for {
		for i < len(tag) && IsSpace(tag[i]) {
			i++
		}
		if i >= len(tag) {
			return nil, ErrXMLText
		}
		if tag[i] == '>' || tag[i] == '/' {
			return out, nil
		}
		ns := i
		for i < len(tag) && !IsSpace(tag[i]) && tag[i] != '=' && tag[i] != '>' {
			i++
		}
		name := string(tag[ns:i])
		for i < len(tag) && IsSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] != '=' {
			return nil, ErrXMLText
		}
		i++
		for i < len(tag) && IsSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || (tag[i] != '"' && tag[i] != '\'') {
			return nil, ErrXMLText
		}
		q := tag[i]
		i++
		vs := i
		j := bytes.IndexByte(tag[i:], q)
		if j < 0 {
			return nil, ErrXMLText
		}
		i += j
		out = append(out, RawAttr{Name: name, NameStart: ns, Start: vs, End: i})
		i++
	}
}

func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// PercentDecode decodes %XX escapes of a URI for reading. It returns s
// unchanged when an escape is malformed or the result is not UTF-8.
func PercentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
				return s
			}
			b = append(b, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	if !utf8.Valid(b) {
		return s
	}
	return string(b)
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// PercentEncode writes s back as a URI: characters a URI cannot hold
// literally (space, quotes, brackets, '%'…) are escaped; other non-ASCII
// characters are kept, as Word writes them.
func PercentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("\"%<>[]\\^`{|}", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
