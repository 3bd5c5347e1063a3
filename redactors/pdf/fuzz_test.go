package pdf

import (
	"bytes"
	"testing"

	"github.com/veilhq/veil/redactors/formattest"
)

// FuzzLexer checks that no input, however malformed, makes the content
// stream lexer panic, loop or report spans outside the data.
func FuzzLexer(f *testing.F) {
	for _, s := range []string{
		"BT /F1 12 Tf (Hello \\(world\\)) Tj [(A) -20 (B)] TJ ET",
		"q 1 0 0 1 0 0 cm BI /W 1 /H 1 ID \x00\xff EI Q",
		"<< /Tag <</ActualText (x)>> >> BDC <0041 00> Tj",
		"(unterminated", "<unterminated", "/Na#41me", "%comment\n1.2.3 --5 ]>>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l := &lexer{data: data}
		last := -1
		for n := 0; ; n++ {
			tk := l.next()
			if tk.start < 0 || tk.end > len(data) || tk.start > tk.end {
				t.Fatalf("token %+v outside %d bytes", tk, len(data))
			}
			if tk.kind == tEOF {
				break
			}
			if l.pos <= last {
				t.Fatalf("no progress at %d", l.pos)
			}
			last = l.pos
			switch tk.kind {
			case tStr:
				literalBytes(data[tk.start:tk.end])
			case tHex:
				hexBytes(data[tk.start:tk.end])
			case tName:
				nameString(data[tk.start:tk.end])
			case tArrOpen, tDictOpen:
				if _, err := l.parseOperand(tk, 0); err == nil && l.pos > len(data) {
					t.Fatal("operand past the end")
				}
			case tOp:
				if bytes.Equal(data[tk.start:tk.end], []byte("ID")) {
					l.skipInlineImage()
				}
			}
		}
		// The leak check's reading of the same bytes, with a span
		// masked wherever a string may start.
		var spans []int32
		for i := 0; i+1 < len(data) && len(spans) < 8; i++ {
			if data[i] == '(' || data[i] == '<' {
				spans = append(spans, int32(i), int32(min(len(data), i+3)))
			}
		}
		contentView(data, spans)
	})
}

// FuzzCMap checks the CMap parser and lookups on arbitrary input.
func FuzzCMap(f *testing.F) {
	for _, s := range []string{
		"1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <01> <0041> <02> /fi endbfchar",
		"begincodespacerange<0000><FFFF>endcodespacerange beginbfrange<0000><00FF><0020><0100><0102>[<0041><0042>]endbfrange",
		"begincidrange <0000> <FFFF> 0 endcidrange /Identity-H usecmap",
		"beginbfrange <FFFFFFFF> <00000000> <D800> endbfrange",
	} {
		f.Add([]byte(s), []byte{0x00, 0x41, 0x01, 0x02})
	}
	f.Fuzz(func(t *testing.T, data, codes []byte) {
		m := parseCMap(data)
		for i := 0; i < len(codes); {
			n := m.codeLen(codes[i:])
			if n < 1 || n > len(codes)-i {
				t.Fatalf("code length %d at %d of %d", n, i, len(codes))
			}
			m.unicode(codes[i : i+n])
			m.cid(codes[i : i+n])
			i += n
		}
	})
}

// FuzzParse runs the whole reader on damaged variants of the fixtures:
// every input must pass the conformance suite's per-file contract
// (formattest.Check): refused with a sentinel other than ErrInternal, or
// parsed into valid parts that random edits redact (or refuse with a
// declared reason) into an output that parses again and reads as the
// kept text with the labels.
func FuzzParse(f *testing.F) {
	formattest.Fuzz(f, options(f))
}
