package zipview

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind is the kind of an XML token.
type TokenKind uint8

// Kinds of tokens, as encoding/xml names them.
const (
	TokStart TokenKind = iota + 1 // a start tag (an empty element gives TokEnd next)
	TokEnd
	TokText // character data
	TokComment
	TokProcInst
	TokDirective
)

// XMLName is an XML name; the same fields as encoding/xml's, to which it
// converts.
type XMLName struct {
	Space, Local string
}

// XMLAttr is an attribute; the same fields as encoding/xml's.
type XMLAttr struct {
	Name  XMLName
	Value string
}

// Token is one token of an XML entry. Its slices are valid until the
// next call of Next.
type Token struct {
	Kind TokenKind
	// Name is an element's name, its prefix resolved to the namespace
	// URI in scope (a prefix without a declaration stays as it is); a
	// processing instruction's target is Name.Local.
	Name XMLName
	// Attr are a start element's attributes, their prefixes resolved as
	// the element's (an attribute without a prefix has no namespace;
	// namespace declarations keep the prefix "xmlns").
	Attr []XMLAttr
	// Data is the text of character data (a CDATA section is a token of
	// its own), a comment, a directive, or a processing instruction's
	// instruction; references decoded in character data.
	Data []byte
}

// Tokenizer reads XML into tokens as encoding/xml's Decoder.Token does
// with Strict false and Entity the same map: the same tokens, names,
// attribute values and decoded text for every entry that Decoder reads in
// strict mode (FuzzTokenizer checks this against encoding/xml), at a
// fraction of its cost: it reads the bytes in place, and copies only text
// that holds a reference or a carriage return. Of the lenient readings it
// keeps unknown references as they stand, an attribute without a value
// (its value is its name) and unquoted values; an end tag that does not
// close the innermost open element is an error (Decoder would close the
// elements between). It shares no code with the readers that find text
// for redaction (redactors/ooxml).
type Tokenizer struct {
	x     []byte
	i     int
	err   error
	buf   []byte    // decoded text
	attrs []XMLAttr // the last start element's
	open  []openElem
	ns    map[string]string // prefix -> URI in scope ("" the default)
	saved []nsSave          // bindings an open element replaced
	names map[string]string // interned names
	close bool              // the last start element was empty: its end is next
	// entity maps the names of references other than XML's five to their
	// text (as Decoder.Entity: xml.HTMLEntity).
	entity map[string]string
}

type openElem struct {
	raw   XMLName // as written: Space is the prefix
	saved int     // len(saved) before the element's declarations
}

type nsSave struct {
	prefix, uri string
	had         bool
}

// NewTokenizer returns a tokenizer of x; entity maps the names of
// references other than XML's five to their text (nil for none).
func NewTokenizer(x []byte, entity map[string]string) *Tokenizer {
	return &Tokenizer{x: x, ns: map[string]string{}, names: map[string]string{}, entity: entity}
}

// ErrSyntax is the error of a malformed XML entry.
var ErrSyntax = errors.New("zipview: XML syntax error")

func (t *Tokenizer) fail() (Token, error) {
	t.err = ErrSyntax
	return Token{}, t.err
}

// Next returns the next token, io.EOF after the last, or an error wrapping
// ErrSyntax where the XML is malformed (then always that error).
func (t *Tokenizer) Next() (Token, error) {
	if t.err != nil {
		return Token{}, t.err
	}
	if t.close {
		t.close = false
		return t.end(t.open[len(t.open)-1].raw)
	}
	x := t.x
	if t.i >= len(x) {
		if len(t.open) > 0 {
			return t.fail() // unexpected EOF
		}
		t.err = io.EOF
		return Token{}, io.EOF
	}
	if x[t.i] != '<' {
		data, ok := t.text(-1)
		if !ok {
			return t.fail()
		}
		return Token{Kind: TokText, Data: data}, nil
	}
	t.i++
	b, ok := t.getc()
	if !ok {
		return t.fail()
	}
	switch b {
	case '/':
		name, ok := t.nsname()
		if !ok {
			return t.fail()
		}
		t.space()
		if b, ok := t.getc(); !ok || b != '>' {
			return t.fail()
		}
		return t.end(name)
	case '?':
		target, ok := t.name()
		if !ok {
			return t.fail()
		}
		t.space()
		start := t.i
		var b0 byte
		for {
			b, ok := t.getc()
			if !ok {
				return t.fail()
			}
			if b0 == '?' && b == '>' {
				break
			}
			b0 = b
		}
		data := x[start : t.i-2]
		if target == "xml" {
			content := string(data)
			if ver := procInst("version", content); ver != "" && ver != "1.0" {
				return t.fail()
			}
			if enc := procInst("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
				return t.fail() // Decoder has no CharsetReader either
			}
		}
		return Token{Kind: TokProcInst, Name: XMLName{Local: target}, Data: data}, nil
	case '!':
		return t.bang()
	}
	t.i-- // the name's first byte
	return t.start()
}

// getc returns the next byte.
func (t *Tokenizer) getc() (byte, bool) {
	if t.i >= len(t.x) {
		return 0, false
	}
	t.i++
	return t.x[t.i-1], true
}

func (t *Tokenizer) space() {
	for t.i < len(t.x) {
		switch t.x[t.i] {
		case ' ', '\r', '\n', '\t':
			t.i++
		default:
			return
		}
	}
}

// bang reads what follows "<!": a comment, a CDATA section or a directive.
func (t *Tokenizer) bang() (Token, error) {
	x := t.x
	b, ok := t.getc()
	if !ok {
		return t.fail()
	}
	switch b {
	case '-':
		if b, ok := t.getc(); !ok || b != '-' {
			return t.fail()
		}
		start := t.i
		var b0, b1 byte
		for {
			b, ok := t.getc()
			if !ok {
				return t.fail()
			}
			if b0 == '-' && b1 == '-' {
				if b != '>' {
					return t.fail() // "--" inside a comment
				}
				break
			}
			b0, b1 = b1, b
		}
		return Token{Kind: TokComment, Data: x[start : t.i-3]}, nil
	case '[':
		for i := 0; i < 6; i++ {
			if b, ok := t.getc(); !ok || b != "CDATA["[i] {
				return t.fail()
			}
		}
		data, ok := t.cdata()
		if !ok {
			return t.fail()
		}
		return Token{Kind: TokText, Data: data}, nil
	}
	// A directive; quoted brackets do not nest, and a comment inside is
	// a space.
	t.buf = append(t.buf[:0], b)
	var inquote byte
	depth := 0
	for {
		b, ok := t.getc()
		if !ok {
			return t.fail()
		}
		if inquote == 0 && b == '>' && depth == 0 {
			break
		}
	handle:
		t.buf = append(t.buf, b)
		switch {
		case b == inquote:
			inquote = 0
		case inquote != 0:
		case b == '\'' || b == '"':
			inquote = b
		case b == '>':
			depth--
		case b == '<':
			const s = "!--"
			for i := 0; i < len(s); i++ {
				if b, ok = t.getc(); !ok {
					return t.fail()
				}
				if b != s[i] {
					t.buf = append(t.buf, s[:i]...)
					depth++
					goto handle
				}
			}
			t.buf = t.buf[:len(t.buf)-1] // the '<'
			var b0, b1 byte
			for {
				if b, ok = t.getc(); !ok {
					return t.fail()
				}
				if b0 == '-' && b1 == '-' && b == '>' {
					break
				}
				b0, b1 = b1, b
			}
			t.buf = append(t.buf, ' ')
		}
	}
	return Token{Kind: TokDirective, Data: t.buf}, nil
}

// start reads a start tag after its '<'.
func (t *Tokenizer) start() (Token, error) {
	name, ok := t.nsname()
	if !ok {
		return t.fail()
	}
	t.attrs = t.attrs[:0]
	for {
		t.space()
		b, ok := t.getc()
		if !ok {
			return t.fail()
		}
		if b == '/' {
			if b, ok := t.getc(); !ok || b != '>' {
				return t.fail()
			}
			t.close = true
			break
		}
		if b == '>' {
			break
		}
		t.i--
		var a XMLAttr
		if a.Name, ok = t.nsname(); !ok {
			return t.fail()
		}
		t.space()
		if t.i < len(t.x) && t.x[t.i] == '=' {
			t.i++
			t.space()
			v, ok := t.attrval()
			if !ok {
				return t.fail()
			}
			a.Value = string(v)
		} else {
			if t.i >= len(t.x) {
				return t.fail()
			}
			a.Value = a.Name.Local // an attribute without a value
		}
		t.attrs = append(t.attrs, a)
	}
	// Declarations first: they apply to the element's name and to its
	// other attributes.
	saved := len(t.saved)
	for _, a := range t.attrs {
		switch {
		case a.Name.Space == "xmlns":
			t.bind(a.Name.Local, a.Value)
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			t.bind("", a.Value)
		}
	}
	t.open = append(t.open, openElem{raw: name, saved: saved})
	t.translate(&name, true)
	for i := range t.attrs {
		t.translate(&t.attrs[i].Name, false)
	}
	return Token{Kind: TokStart, Name: name, Attr: t.attrs}, nil
}

func (t *Tokenizer) bind(prefix, uri string) {
	old, had := t.ns[prefix]
	t.saved = append(t.saved, nsSave{prefix, old, had})
	t.ns[prefix] = uri
}

// end closes the innermost open element with name (as written).
func (t *Tokenizer) end(name XMLName) (Token, error) {
	n := len(t.open)
	if n == 0 || t.open[n-1].raw != name {
		return t.fail()
	}
	t.translate(&name, true)
	top := t.open[n-1]
	t.open = t.open[:n-1]
	for len(t.saved) > top.saved {
		s := t.saved[len(t.saved)-1]
		t.saved = t.saved[:len(t.saved)-1]
		if s.had {
			t.ns[s.prefix] = s.uri
		} else {
			delete(t.ns, s.prefix)
		}
	}
	return Token{Kind: TokEnd, Name: name}, nil
}

const xmlURL = "http://www.w3.org/XML/1998/namespace"

// translate resolves the prefix of n as encoding/xml does: the default
// namespace applies to element names only.
func (t *Tokenizer) translate(n *XMLName, element bool) {
	switch {
	case n.Space == "xmlns":
		return
	case n.Space == "" && !element:
		return
	case n.Space == "xml":
		n.Space = xmlURL
	case n.Space == "" && n.Local == "xmlns":
		return
	}
	if v, ok := t.ns[n.Space]; ok {
		n.Space = v
	}
}

// nameBytes reads a name's bytes: ASCII name characters and any byte of
// a multi-byte character.
func (t *Tokenizer) nameBytes() []byte {
	start := t.i
	for t.i < len(t.x) {
		if c := t.x[t.i]; c < utf8.RuneSelf && !isNameByte(c) {
			break
		}
		t.i++
	}
	return t.x[start:t.i]
}

// name reads a name; false if there is none, it is malformed or the
// entry ends in it.
func (t *Tokenizer) name() (string, bool) {
	b := t.nameBytes()
	if len(b) == 0 || t.i >= len(t.x) || !isName(b) {
		return "", false
	}
	return t.intern(b), true
}

// nsname reads a name and splits it at its colon into a prefix (Space)
// and a local name.
func (t *Tokenizer) nsname() (XMLName, bool) {
	b := t.nameBytes()
	if len(b) == 0 || t.i >= len(t.x) || !isName(b) {
		return XMLName{}, false
	}
	switch i := indexColon(b); {
	case i == -2:
		return XMLName{}, false
	case i <= 0 || i == len(b)-1:
		return XMLName{Local: t.intern(b)}, true
	default:
		return XMLName{Space: t.intern(b[:i]), Local: t.intern(b[i+1:])}, true
	}
}

// indexColon returns the offset of the one colon in b, -1 if none, -2 if
// more than one.
func indexColon(b []byte) int {
	at := -1
	for i, c := range b {
		if c == ':' {
			if at >= 0 {
				return -2
			}
			at = i
		}
	}
	return at
}

// intern returns b as a string, made once per tokenizer.
func (t *Tokenizer) intern(b []byte) string {
	if s, ok := t.names[string(b)]; ok {
		return s
	}
	s := string(b)
	t.names[s] = s
	return s
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isName reports whether b is an XML name: an ASCII name starts with a
// letter, '_' or ':'. Characters outside ASCII are taken as name
// characters when they are valid UTF-8 (encoding/xml checks them against
// the XML tables: a little more lenient, never less).
func isName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if c := b[0]; c < utf8.RuneSelf && !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return false
	}
	return utf8.Valid(b)
}

// attrval reads an attribute's value after its '='.
func (t *Tokenizer) attrval() ([]byte, bool) {
	b, ok := t.getc()
	if !ok {
		return nil, false
	}
	if b == '"' || b == '\'' {
		return t.text(int(b))
	}
	// Unquoted (HTML): letters, digits, '_', ':', '-'.
	t.i--
	start := t.i
	for t.i < len(t.x) {
		c := t.x[t.i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '-') {
			return t.x[start:t.i], true
		}
		t.i++
	}
	return nil, false
}

// text reads character data up to a '<' (quote < 0) or an attribute value
// up to its closing quote, decoding references and carriage returns;
// false where encoding/xml reports an error.
func (t *Tokenizer) text(quote int) ([]byte, bool) {
	x := t.x
	start := t.i
	// In place, when there is nothing to decode.
	end := len(x)
	if quote < 0 {
		if j := bytes.IndexByte(x[start:], '<'); j >= 0 {
			end = start + j
		}
	} else if j := bytes.IndexByte(x[start:], byte(quote)); j >= 0 {
		end = start + j
	} else {
		return nil, false
	}
	seg := x[start:end]
	if bytes.IndexByte(seg, '&') < 0 && bytes.IndexByte(seg, '\r') < 0 {
		if quote >= 0 {
			if bytes.IndexByte(seg, '<') >= 0 {
				return nil, false
			}
			t.i = end + 1
		} else {
			if bytes.Contains(seg, []byte("]]>")) {
				return nil, false
			}
			t.i = end
		}
		if !inRange(seg) {
			return nil, false
		}
		return seg, true
	}
	return t.decode(quote)
}

// decode is text with references or carriage returns, byte by byte as
// encoding/xml reads it.
func (t *Tokenizer) decode(quote int) ([]byte, bool) {
	buf := t.buf[:0]
	var b0, b1 byte
	for {
		b, ok := t.getc()
		if !ok {
			if quote >= 0 {
				return nil, false
			}
			break
		}
		if quote < 0 && b0 == ']' && b1 == ']' && b == '>' {
			return nil, false
		}
		if b == '<' {
			if quote >= 0 {
				return nil, false
			}
			t.i--
			break
		}
		if quote >= 0 && b == byte(quote) {
			break
		}
		if b == '&' {
			before := len(buf)
			buf = append(buf, '&')
			var text string
			var have bool
			if b, ok = t.getc(); !ok {
				return nil, false
			}
			if b == '#' {
				buf = append(buf, b)
				if b, ok = t.getc(); !ok {
					return nil, false
				}
				base := 10
				if b == 'x' {
					base = 16
					buf = append(buf, b)
					if b, ok = t.getc(); !ok {
						return nil, false
					}
				}
				digits := len(buf)
				for '0' <= b && b <= '9' || base == 16 && ('a' <= b && b <= 'f' || 'A' <= b && b <= 'F') {
					buf = append(buf, b)
					if b, ok = t.getc(); !ok {
						return nil, false
					}
				}
				if b != ';' {
					t.i--
				} else {
					s := string(buf[digits:])
					buf = append(buf, ';')
					if n, err := strconv.ParseUint(s, base, 64); err == nil && n <= unicode.MaxRune {
						text, have = string(rune(n)), true
					}
				}
			} else {
				t.i--
				name := t.nameBytes()
				if t.i >= len(t.x) {
					return nil, false
				}
				buf = append(buf, name...)
				if b, ok = t.getc(); !ok {
					return nil, false
				}
				if b != ';' {
					t.i--
				} else {
					buf = append(buf, ';')
					if len(name) > 0 {
						text, have = t.entityText(name)
					}
				}
			}
			if have {
				buf = append(buf[:before], text...)
			}
			b0, b1 = 0, 0
			continue
		}
		switch {
		case b == '\r':
			buf = append(buf, '\n')
		case b1 == '\r' && b == '\n':
		default:
			buf = append(buf, b)
		}
		b0, b1 = b1, b
	}
	t.buf = buf
	if !utf8.Valid(buf) || !inRange(buf) {
		return nil, false
	}
	return buf, true
}

// entityText returns the text of a named reference: the five of XML and
// those of t.entity.
func (t *Tokenizer) entityText(name []byte) (string, bool) {
	switch string(name) {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "apos":
		return "'", true
	case "quot":
		return `"`, true
	}
	s, ok := t.entity[string(name)]
	return s, ok
}

// inRange reports whether b is valid UTF-8 of characters XML allows.
func inRange(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		if !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
		i += n
	}
	return true
}

// cdata reads a CDATA section's text after "<![CDATA[", up to "]]>",
// carriage returns decoded.
func (t *Tokenizer) cdata() ([]byte, bool) {
	x := t.x
	j := bytes.Index(x[t.i:], []byte("]]>"))
	if j < 0 {
		return nil, false
	}
	seg := x[t.i : t.i+j]
	t.i += j + 3
	if bytes.IndexByte(seg, '\r') >= 0 {
		buf := t.buf[:0]
		var b1 byte
		for _, b := range seg {
			switch {
			case b == '\r':
				buf = append(buf, '\n')
			case b1 == '\r' && b == '\n':
			default:
				buf = append(buf, b)
			}
			b1 = b
		}
		t.buf, seg = buf, buf
	}
	if !inRange(seg) {
		return nil, false
	}
	return seg, true
}

// procInst returns the value of param in a processing instruction's
// content (version="1.0"), as encoding/xml reads it.
func procInst(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
