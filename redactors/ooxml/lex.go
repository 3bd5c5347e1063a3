package ooxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	txml "github.com/tdewolff/parse/v2/xml"

	"github.com/veilhq/veil/redactors"
)

// The lexer of Walk. github.com/tdewolff/parse/v2/xml cuts a part into
// tags, attributes, text, comments and CDATA sections in place, about
// fifteen times as fast as encoding/xml's Token, but it is lenient (an
// unquoted attribute, a bad name, an unclosed comment all lex). lexer
// holds it to what encoding/xml's strict mode accepts: names are XML
// names with at most one colon, attribute values are quoted and hold no
// '<', references are the predefined ones or character references, every
// character is an XML character, text holds no "]]>", comments no "--",
// processing instructions are read as encoding/xml reads them (the XML
// declaration's version and encoding checked), and a DOCTYPE or other
// directive is refused. A NUL byte anywhere is an error (the lexer stops
// at it; XML cannot carry it). FuzzWalkLexer compares Walk with the
// encoding/xml walker it replaced, event by event.

type lexKind uint8

const (
	lexStart lexKind = iota
	lexEnd
	lexText
	lexCDATA
	lexComment
	lexProcInst
)

// lexAttr is an attribute of a start tag: its qualified name as written,
// where the name starts and where its value is (inside the quotes), in x.
type lexAttr struct {
	name                  string
	nameStart, start, end int
}

// lexToken is one token; the lexer reuses it.
type lexToken struct {
	kind       lexKind
	start, end int    // the token's bytes in x
	name       string // start and end tags: qualified name; processing instruction: target
	attrs      []lexAttr
	empty      bool // an empty-element tag
}

var errDirective = fmt.Errorf("DTD or other directive in XML: %w", redactors.ErrUninspectable)

type lexer struct {
	x     []byte // the part
	buf   []byte // a copy of x the lexer reads (it writes into attribute values)
	l     *txml.Lexer
	pos   int // where the last lexeme ended, in x
	done  bool
	names [nameWays]string // qualified names seen, interned (direct-mapped)
	// known holds every name interned, so that a name that lost its
	// place in names comes back as the same string (the slot cache of
	// the vocabulary is keyed by where names are).
	known map[string]string
	tok   lexToken
}

// nameWays is the size of the table of names: a part uses a few hundred.
const nameWays = 512

// maxKnown bounds the names a lexer keeps between parts.
const maxKnown = 1 << 14

// lexers holds lexers, with their copies of parts up to lexPoolMax bytes.
var lexers = sync.Pool{New: func() any { return new(lexer) }}

const lexPoolMax = 4 << 20

func newLexer(x []byte) *lexer {
	lx := lexers.Get().(*lexer)
	b := lx.buf
	if cap(b) < len(x)+1 {
		b = make([]byte, len(x)+1)
	}
	b = b[:len(x)]
	copy(b, x)
	lx.x, lx.buf, lx.done = x, b, false
	lx.restart(0)
	return lx
}

// release gives the lexer back; it is not used after.
func (lx *lexer) release() {
	lx.x, lx.l = nil, nil
	if cap(lx.buf) > lexPoolMax {
		lx.buf = nil
	}
	lexers.Put(lx)
}

// restart lexes again from offset p of x.
func (lx *lexer) restart(p int) {
	if p >= len(lx.buf) {
		lx.done = true
		return
	}
	// The slice's capacity goes past its end, so parse writes its NUL
	// terminator in place instead of copying.
	lx.l = txml.NewLexer(parse.NewInputBytes(lx.buf[p:]))
	lx.pos = p
}

// place returns where lexeme starts in x. The lexer's lexemes follow
// each other but for the white space it skips before the end of a start
// tag (skipWS).
func (lx *lexer) place(lexeme []byte, skipWS bool) int {
	p := lx.pos
	if skipWS {
		for p < len(lx.x) && IsSpace(lx.x[p]) {
			p++
		}
	}
	lx.pos = p + len(lexeme)
	return p
}

// within is the offset of sub in x, sub being a slice of the lexeme that
// starts at start and is n bytes long (the lexer's lexemes are cut to
// their length, so their slices' capacity says where they start).
func within(start, n int, sub []byte) int { return start + n - cap(sub) }

func (lx *lexer) corrupt(at int, what string) error {
	return fmt.Errorf("XML syntax error (%s) at byte %d: %w", what, at, redactors.ErrCorrupt)
}

// next returns the next token, io.EOF at the end.
func (lx *lexer) next() (*lexToken, error) {
	if lx.done {
		return nil, io.EOF
	}
	t := &lx.tok
	t.attrs, t.empty, t.name = t.attrs[:0], false, ""
	tt, lexeme := lx.l.Next()
	if tt == txml.ErrorToken {
		if lx.l.Err() == io.EOF {
			lx.done = true
			return nil, io.EOF
		}
		return nil, lx.corrupt(len(lx.x), "NUL byte")
	}
	start := lx.place(lexeme, false)
	t.start, t.end = start, start+len(lexeme)
	switch tt {
	case txml.TextToken:
		t.kind = lexText
	case txml.CDATAToken:
		if len(lexeme) < len(CDATAOpen)+len(CDATAClose) || !bytes.HasSuffix(lexeme, CDATAClose) {
			return nil, lx.corrupt(start, "CDATA section")
		}
		t.kind = lexCDATA
	case txml.CommentToken:
		// encoding/xml ends a comment at its first "--", which must be
		// followed by '>'.
		if len(lexeme) < len("<!---->") || !bytes.HasSuffix(lexeme, []byte("-->")) {
			return nil, lx.corrupt(start, "comment")
		}
		body := lexeme[4 : len(lexeme)-3]
		if bytes.Contains(body, []byte("--")) || bytes.HasSuffix(body, []byte("-")) {
			return nil, lx.corrupt(start, "comment")
		}
		t.kind = lexComment
	case txml.DOCTYPEToken:
		return nil, errDirective
	case txml.StartTagPIToken:
		return lx.procInst(start)
	case txml.EndTagToken:
		if !bytes.HasSuffix(lexeme, []byte(">")) {
			return nil, lx.corrupt(start, "end tag")
		}
		name, ok := lx.qname(lx.l.Text())
		if !ok {
			return nil, lx.corrupt(start, "end tag name")
		}
		t.kind, t.name = lexEnd, name
	case txml.StartTagToken:
		raw := lx.l.Text()
		if len(raw) > 0 && raw[0] == '!' {
			if bytes.HasPrefix(raw, []byte("!-")) || bytes.HasPrefix(raw, []byte("![")) {
				return nil, lx.corrupt(start, "markup declaration")
			}
			return nil, errDirective
		}
		name, ok := lx.qname(raw)
		if !ok {
			return nil, lx.corrupt(start, "element name")
		}
		t.kind, t.name = lexStart, name
		for {
			tt, lexeme = lx.l.Next()
			switch tt {
			case txml.AttributeToken:
				as := lx.place(lexeme, false)
				n := lx.l.Text()
				an, ok := lx.qname(n)
				if !ok {
					return nil, lx.corrupt(start, "attribute name")
				}
				v := lx.l.AttrVal()
				if len(v) < 2 || (v[0] != '"' && v[0] != '\'') || v[len(v)-1] != v[0] {
					return nil, lx.corrupt(start, "attribute value")
				}
				vs := within(as, len(lexeme), v) + 1
				t.attrs = append(t.attrs, lexAttr{name: an, nameStart: within(as, len(lexeme), n), start: vs, end: vs + len(v) - 2})
			case txml.StartTagCloseVoidToken:
				t.empty = true
				fallthrough
			case txml.StartTagCloseToken:
				t.end = lx.place(lexeme, true) + len(lexeme)
				return t, nil
			default:
				return nil, lx.corrupt(start, "start tag")
			}
		}
	default:
		return nil, lx.corrupt(start, "token")
	}
	return t, nil
}

// procInst reads the processing instruction at start as encoding/xml
// does: a target name, white space, then everything up to the first "?>".
// The lexer reads its inside as attributes, which it is not, so lexing
// starts again after it.
func (lx *lexer) procInst(start int) (*lexToken, error) {
	x := lx.x
	p := start + 2
	q := p
	for q < len(x) && (x[q] >= utf8.RuneSelf || isNameByte(x[q])) {
		q++
	}
	if !isName(x[p:q]) {
		return nil, lx.corrupt(start, "processing instruction target")
	}
	target := string(x[p:q])
	for q < len(x) && IsSpace(x[q]) {
		q++
	}
	j := bytes.Index(x[q:], []byte("?>"))
	if j < 0 {
		return nil, lx.corrupt(start, "processing instruction")
	}
	if target == "xml" {
		content := string(x[q : q+j])
		if ver := procInstParam("version", content); ver != "" && ver != "1.0" {
			return nil, lx.corrupt(start, "XML version")
		}
		if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return nil, fmt.Errorf("XML in an encoding other than UTF-8: %w", redactors.ErrEncoding)
		}
	}
	end := q + j + 2
	lx.restart(end)
	t := &lx.tok
	t.kind, t.start, t.end, t.name = lexProcInst, start, end, target
	return t, nil
}

// procInstParam is encoding/xml's reading of a parameter of the XML
// declaration.
func procInstParam(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
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

// qname checks a qualified name (an XML name with at most one colon) and
// returns it interned: a name found in the table or the map was checked
// when it went in.
func (lx *lexer) qname(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", false
	}
	h := uint32(2166136261) // FNV-1a
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	h %= nameWays
	if s := lx.names[h]; s == string(b) {
		return s, true
	}
	s, ok := lx.known[string(b)]
	if !ok {
		if !isName(b) || bytes.Count(b, []byte(":")) > 1 {
			return "", false
		}
		if lx.known == nil || len(lx.known) >= maxKnown {
			lx.known = map[string]string{}
		}
		s = string(b)
		lx.known[s] = s
	}
	lx.names[h] = s
	return s, true
}

// splitName splits a qualified name as encoding/xml does: "p:l" is in
// space "p", a name with an empty prefix or local part is all local.
func splitName(q string) xml.Name {
	if space, local, ok := strings.Cut(q, ":"); ok && space != "" && local != "" {
		return xml.Name{Space: space, Local: local}
	}
	return xml.Name{Local: q}
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isName reports whether b is an XML name (encoding/xml's isName).
func isName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	c := b[0]
	if c < utf8.RuneSelf && !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return false
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return isNameSlow(b)
		}
		if !isNameByte(c) {
			return false
		}
	}
	return true
}

// isNameSlow asks encoding/xml, whose tables of name characters are not
// exported, about a name that is not ASCII (rare in OOXML). Colons become
// underscores (both are name characters anywhere) so that its one-colon
// rule for element names does not apply.
func isNameSlow(b []byte) bool {
	n := bytes.ReplaceAll(b, []byte(":"), []byte("_"))
	doc := make([]byte, 0, len(n)+3)
	doc = append(append(append(doc, '<'), n...), "/>"...)
	tok, err := xml.NewDecoder(bytes.NewReader(doc)).RawToken()
	se, ok := tok.(xml.StartElement)
	return err == nil && ok && se.Name.Space == "" && se.Name.Local == string(n)
}

// xmlChars reports whether every character of s is an XML character.
func xmlChars(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !IsXMLChar(r) {
			return false
		}
		i += n
	}
	return true
}

var errAttrValue = errors.New("attribute value")

// attrValue decodes a raw attribute value as encoding/xml does:
// references decoded, a literal CR LF or CR read as LF.
func attrValue(raw []byte) (string, error) {
	plain := true
	for _, c := range raw {
		if c == '&' || c == '<' || c < 0x20 && c != '\t' && c != '\n' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return string(raw), nil
	}
	if bytes.IndexByte(raw, '\r') >= 0 {
		raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		raw = bytes.ReplaceAll(raw, []byte("\r"), []byte("\n"))
	}
	s, _, err := DecodeText(raw, false, false)
	if err != nil || !xmlChars(s) {
		return "", errAttrValue
	}
	return s, nil
}
