package pdf

import (
	"bytes"
)

// The Type 1 reader (Adobe Type 1 Font Format, chapters 7 and 8): what an
// embedded FontFile program says its codes draw. The clear-text part gives
// the built-in encoding (StandardEncoding, or "dup code /name put"
// entries); the eexec-encrypted part gives the glyphs the font has (the
// /CharStrings names) and the .notdef glyph's charstring. A code whose
// glyph the font lacks draws .notdef; when that charstring paints nothing
// (only its width and endchar, as font tools write it), the code shows
// nothing legible. Everything is bounded: 1 MiB of program decrypted,
// 64 Ki glyph names.

const (
	maxType1Decrypt = 1 << 20
	maxType1Glyphs  = 1 << 16
)

// type1Font is what Veil reads from a Type 1 program.
type type1Font struct {
	enc    *[256]string    // built-in encoding; nil: none found
	glyphs map[string]bool // CharStrings names; nil: not read
	// notdefBlank: the .notdef charstring paints nothing.
	notdefBlank bool
}

// parseType1 reads a Type 1 program (clear text, then eexec-encrypted
// binary or hex); nil if it is not one.
func parseType1(prog []byte) *type1Font {
	if len(prog) < 2 || !(bytes.HasPrefix(prog, []byte("%!")) || bytes.Contains(prog[:min(len(prog), 1024)], []byte("FontType"))) {
		return nil
	}
	t := &type1Font{}
	clear := prog
	var enc []byte
	if i := bytes.Index(prog, []byte("eexec")); i >= 0 {
		clear, enc = prog[:i], prog[i+len("eexec"):]
	}
	t.enc = type1Encoding(clear)
	if len(enc) > 0 {
		t.readPrivate(eexecDecrypt(enc, 55665, 4, maxType1Decrypt))
	}
	return t
}

// eexecDecrypt decrypts eexec or charstring data (key r), dropping the
// first skip plain bytes. Data whose first four bytes are hex digits is
// hex (white space ignored).
func eexecDecrypt(b []byte, r uint16, skip, limit int) []byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) >= 4 && isHex(b[0]) && isHex(b[1]) && isHex(b[2]) && isHex(b[3]) {
		h := make([]byte, 0, min(len(b)/2, limit))
		var hi byte
		half := false
		for _, c := range b {
			if len(h) >= limit {
				break
			}
			if !isHex(c) {
				if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
					continue
				}
				break
			}
			v, _ := hexVal(c)
			if half {
				h = append(h, hi<<4|v)
			} else {
				hi = v
			}
			half = !half
		}
		b = h
	}
	if len(b) > limit {
		b = b[:limit]
	}
	out := make([]byte, 0, len(b))
	for i, c := range b {
		p := c ^ byte(r>>8)
		r = (uint16(c)+r)*52845 + 22719
		if i >= skip {
			out = append(out, p)
		}
	}
	return out
}

func isHex(c byte) bool {
	_, ok := hexVal(c)
	return ok
}

// readPrivate reads the decrypted part: lenIV, then the CharStrings
// entries "/name len RD <len bytes> ND" (RD and ND may be spelt -| and |-).
func (t *type1Font) readPrivate(p []byte) {
	lenIV := 4
	if i := bytes.Index(p, []byte("/lenIV")); i >= 0 {
		l := &lexer{data: p[i+len("/lenIV"):]}
		if tk := l.next(); tk.kind == tNum {
			if v, ok := number(l.data[tk.start:tk.end]); ok && v >= -1 && v <= 16 {
				lenIV = int(v)
			}
		}
	}
	i := bytes.Index(p, []byte("/CharStrings"))
	if i < 0 {
		return
	}
	t.glyphs = map[string]bool{}
	for pos := i + len("/CharStrings"); pos < len(p) && len(t.glyphs) < maxType1Glyphs; {
		// The next glyph name.
		k := bytes.IndexByte(p[pos:], '/')
		if k < 0 {
			return
		}
		pos += k + 1
		end := pos
		for end < len(p) && !isDelimOrSpace(p[end]) {
			end++
		}
		name := string(p[pos:end])
		// "len RD " then the binary charstring.
		l := &lexer{data: p[end:min(len(p), end+64)]}
		tn := l.next()
		if tn.kind != tNum {
			if tn.kind == tOp && string(l.data[tn.start:tn.end]) == "end" {
				return
			}
			pos = end
			continue
		}
		n, ok := number(l.data[tn.start:tn.end])
		rd := l.next()
		if !ok || n < 0 || rd.kind != tOp {
			pos = end
			continue
		}
		start := end + rd.end + 1 // one space after RD
		if int(n) > len(p)-start {
			return
		}
		t.glyphs[name] = true
		if name == ".notdef" {
			cs := eexecDecrypt(p[start:start+int(n)], 4330, max(lenIV, 0), 1<<16)
			if lenIV < 0 {
				cs = p[start : start+int(n)]
			}
			t.notdefBlank = type1CharstringBlank(cs)
		}
		pos = start + int(n)
	}
}

func isDelimOrSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '/', '[', ']', '(', ')', '<', '>', '{', '}', '%':
		return true
	}
	return false
}

// type1CharstringBlank reports a Type 1 charstring that only sets the
// width (hsbw, sbw) and ends (endchar): it paints nothing.
func type1CharstringBlank(cs []byte) bool {
	ended := false
	for i := 0; i < len(cs) && !ended; {
		v := cs[i]
		switch {
		case v >= 32 && v <= 246:
			i++
		case v >= 247 && v <= 254:
			i += 2
		case v == 255:
			i += 5
		case v == 13: // hsbw
			i++
		case v == 14: // endchar
			ended = true
		case v == 12 && i+1 < len(cs) && cs[i+1] == 7: // sbw
			i += 2
		default:
			return false
		}
	}
	return ended
}

// type2CharstringBlank is the same for a CFF (Type 2) charstring: numbers
// (the width) and endchar.
func type2CharstringBlank(cs []byte) bool {
	for i := 0; i < len(cs); {
		v := cs[i]
		switch {
		case v == 28:
			i += 3
		case v >= 32 && v <= 246:
			i++
		case v >= 247 && v <= 254:
			i += 2
		case v == 255:
			i += 5
		case v == 14:
			return true
		default:
			return false
		}
	}
	return false
}

// hasGlyph reports whether the program has a glyph of that name; true
// when its glyphs were not read.
func (t *type1Font) hasGlyph(name string) bool {
	if t == nil || t.glyphs == nil {
		return true
	}
	return t.glyphs[name]
}

// type1Encoding reads the built-in encoding from the clear-text part of a
// Type 1 font program ("/Encoding 256 array … dup 65 /A put … def").
func type1Encoding(prog []byte) *[256]string {
	i := bytes.Index(prog, []byte("/Encoding"))
	if i < 0 {
		return nil
	}
	rest := prog[i+len("/Encoding"):]
	if len(rest) > 64<<10 {
		rest = rest[:64<<10]
	}
	if bytes.HasPrefix(bytes.TrimSpace(rest), []byte("StandardEncoding")) {
		return &standardEncoding
	}
	var enc [256]string
	l := &lexer{data: rest}
	var prev [3]token
	found := false
	for n := 0; n < 5000; n++ {
		t := l.next()
		if t.kind == tEOF {
			break
		}
		if t.kind == tOp {
			op := string(rest[t.start:t.end])
			if op == "def" || op == "readonly" {
				break
			}
			if op == "put" && prev[0].kind == tOp && string(rest[prev[0].start:prev[0].end]) == "dup" &&
				prev[1].kind == tNum && prev[2].kind == tName {
				c, _ := number(rest[prev[1].start:prev[1].end])
				if c >= 0 && c < 256 {
					enc[int(c)] = nameString(rest[prev[2].start:prev[2].end])
					found = true
				}
			}
		}
		prev[0], prev[1], prev[2] = prev[1], prev[2], t
	}
	if !found {
		return nil
	}
	return &enc
}
