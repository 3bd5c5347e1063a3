package pdf

import (
	"bytes"
	"errors"
	"strconv"
)

// Content stream lexing (PDF 32000-1 7.2, 7.8.2). The lexer works on the
// decoded bytes of a content stream and reports byte spans, so that the
// rewriter can copy everything it does not change verbatim.

type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tName
	tStr // literal string (...)
	tHex // hex string <...>
	tArrOpen
	tArrClose
	tDictOpen
	tDictClose
	tOp   // operator, or true/false/null
	tJunk // a byte that starts no token; skipped
)

// token is one lexical token: its kind and its span in the data.
type token struct {
	kind       tokKind
	start, end int
}

// lexer splits content stream data into tokens. It never fails: malformed
// input yields tJunk tokens or a string that runs to the end of the data
// (and sets open).
type lexer struct {
	data []byte
	pos  int
	// open is set when a string, hex string or inline image ran to the
	// end of the data unterminated: whatever follows the data (the boxes
	// and stamps Redact appends) would be read as part of it.
	open bool
	// Array and dictionary elements live in arena, built on stack: parsed
	// operands are valid until release.
	arena, stack []operand
}

// release lets the lexer reuse the memory of the operands parsed so far;
// they must not be used after it.
func (l *lexer) release() { l.arena = l.arena[:0] }

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

// next returns the next token.
func (l *lexer) next() token {
	d := l.data
	for l.pos < len(d) {
		c := d[l.pos]
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' { // comment to end of line
			for l.pos < len(d) && d[l.pos] != '\n' && d[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		break
	}
	if l.pos >= len(d) {
		return token{tEOF, len(d), len(d)}
	}
	start := l.pos
	c := d[l.pos]
	switch {
	case c == '(':
		var closed bool
		l.pos, closed = skipLiteral(d, l.pos)
		l.open = l.open || !closed
		return token{tStr, start, l.pos}
	case c == '<':
		if l.pos+1 < len(d) && d[l.pos+1] == '<' {
			l.pos += 2
			return token{tDictOpen, start, l.pos}
		}
		e := bytes.IndexByte(d[l.pos:], '>')
		if e < 0 {
			l.pos, l.open = len(d), true
		} else {
			l.pos += e + 1
		}
		return token{tHex, start, l.pos}
	case c == '>':
		l.pos++
		if l.pos < len(d) && d[l.pos] == '>' {
			l.pos++
			return token{tDictClose, start, l.pos}
		}
		return token{tJunk, start, l.pos}
	case c == '[':
		l.pos++
		return token{tArrOpen, start, l.pos}
	case c == ']':
		l.pos++
		return token{tArrClose, start, l.pos}
	case c == '/':
		l.pos++
		for l.pos < len(d) && isRegular(d[l.pos]) {
			l.pos++
		}
		return token{tName, start, l.pos}
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		l.pos++
		for l.pos < len(d) && isRegular(d[l.pos]) {
			l.pos++
		}
		return token{tNum, start, l.pos}
	case isDelim(c):
		l.pos++
		return token{tJunk, start, l.pos}
	}
	for l.pos < len(d) && isRegular(d[l.pos]) {
		l.pos++
	}
	return token{tOp, start, l.pos}
}

// skipLiteral returns the index after the literal string starting at i,
// and whether the string is closed (else the index is len(d)).
func skipLiteral(d []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(d); i++ {
		switch d[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
	}
	return len(d), false
}

// skipInlineImage moves past the data of an inline image, called right
// after the ID operator. It returns false when no EI follows.
func (l *lexer) skipInlineImage() bool {
	d := l.data
	i := l.pos
	if i < len(d) && isWhite(d[i]) {
		i++
	}
	for {
		k := bytes.Index(d[i:], []byte("EI"))
		if k < 0 {
			l.pos, l.open = len(d), true
			return false
		}
		j := i + k
		if j > 0 && isWhite(d[j-1]) && (j+2 == len(d) || isWhite(d[j+2])) {
			l.pos = j + 2
			return true
		}
		i = j + 2
	}
}

var errSyntax = errors.New("syntax error")

// number parses a numeric token. Malformed numbers ("--5", "1.2.3") read
// as 0 like most viewers do; ok is false then.
func number(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		// Tolerate forms like "-.5" (valid) handled above, and "5." etc.
		return 0, false
	}
	return f, true
}

// literalBytes decodes a literal string token "(...)" (7.3.4.2).
func literalBytes(b []byte) []byte {
	if len(b) >= 1 && b[0] == '(' {
		b = b[1:]
	}
	if len(b) >= 1 && b[len(b)-1] == ')' {
		b = b[:len(b)-1]
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			if c == '\r' { // EOL in a string reads as \n
				if i+1 < len(b) && b[i+1] == '\n' {
					i++
				}
				c = '\n'
			}
			out = append(out, c)
			continue
		}
		i++
		if i >= len(b) {
			break
		}
		switch c = b[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case '\n':
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for k := 0; k < 2 && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(b[i]-'0')
			}
			out = append(out, byte(v))
		default:
			out = append(out, c)
		}
	}
	return out
}

// hexBytes decodes a hex string token "<...>"; an odd final digit is
// followed by 0 (7.3.4.3). Non-hex bytes other than white space are skipped.
func hexBytes(b []byte) []byte {
	out := make([]byte, 0, len(b)/2)
	hi, have := byte(0), false
	for _, c := range b {
		v, ok := hexVal(c)
		if !ok {
			continue
		}
		if have {
			out = append(out, hi<<4|v)
			have = false
		} else {
			hi, have = v, true
		}
	}
	if have {
		out = append(out, hi<<4)
	}
	return out
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// nameString decodes a name token "/Na#20me" to its characters.
func nameString(b []byte) string {
	if len(b) > 0 && b[0] == '/' {
		b = b[1:]
	}
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			h, ok1 := hexVal(b[i+1])
			l, ok2 := hexVal(b[i+2])
			if ok1 && ok2 {
				out = append(out, h<<4|l)
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// operand is a parsed operand of a content stream operator.
type operand struct {
	tok  token
	num  float64
	arr  []operand // for arrays
	dict []operand // for dicts: key, value, key, value…
}

func (o *operand) isNum() bool { return o.tok.kind == tNum }
func (o *operand) isStr() bool { return o.tok.kind == tStr || o.tok.kind == tHex }

// maxNesting bounds array and dictionary nesting in content streams.
const maxNesting = 32

// parseOperand reads one operand whose first token is t. Arrays and
// dictionaries are read whole; nesting is bounded. Their elements stay
// valid until release.
func (l *lexer) parseOperand(t token, depth int) (operand, error) {
	o := operand{tok: t}
	switch t.kind {
	case tNum:
		o.num, _ = number(l.data[t.start:t.end])
	case tArrOpen, tDictOpen:
		if depth >= maxNesting {
			return o, errSyntax
		}
		closer := tArrClose
		if t.kind == tDictOpen {
			closer = tDictClose
		}
		mark := len(l.stack)
		defer func() { l.stack = l.stack[:mark] }()
		for {
			u := l.next()
			if u.kind == closer {
				o.tok.end = u.end
				// Elements move from the stack to the arena; slices into
				// an older arena array stay valid when it grows.
				start := len(l.arena)
				l.arena = append(l.arena, l.stack[mark:]...)
				elems := l.arena[start:len(l.arena):len(l.arena)]
				if t.kind == tArrOpen {
					o.arr = elems
				} else {
					o.dict = elems
				}
				return o, nil
			}
			if u.kind == tEOF || u.kind == tArrClose || u.kind == tDictClose {
				return o, errSyntax
			}
			if u.kind == tOp || u.kind == tJunk {
				// true/false/null inside arrays and dicts are operands.
				if !isKeywordObject(l.data[u.start:u.end]) {
					return o, errSyntax
				}
			}
			e, err := l.parseOperand(u, depth+1)
			if err != nil {
				return o, err
			}
			l.stack = append(l.stack, e)
		}
	}
	return o, nil
}

func isKeywordObject(b []byte) bool {
	s := string(b)
	return s == "true" || s == "false" || s == "null"
}

// dictGet returns the value for key in a parsed inline dictionary.
func dictGet(data []byte, o *operand, key string) *operand {
	for i := 0; i+1 < len(o.dict); i += 2 {
		k := o.dict[i]
		if k.tok.kind == tName && nameString(data[k.tok.start:k.tok.end]) == key {
			return &o.dict[i+1]
		}
	}
	return nil
}
