package pdf

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
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

// FuzzParse runs the whole reader on damaged variants of the fixture. Parse
// returns a document or an error that names a reason other than
// internal_error (a recovered panic in Veil's own code, or an error no
// reason classifies); a document's parts are valid UTF-8 (the detectors'
// contract); Redact with no edits either fails with such a reason or writes
// a PDF that parses again with the same number of pages, as the engine's
// verify step requires.
func FuzzParse(f *testing.F) {
	f.Add(letter(), uint16(0xffff), byte(0)) // the fixture unchanged
	f.Add(letter(), uint16(0), byte(0))
	f.Add(letter(), uint16(900), byte('['))
	f.Fuzz(func(t *testing.T, data []byte, at uint16, c byte) {
		if len(data) > 1<<20 {
			return
		}
		if int(at) < len(data) {
			data = append([]byte(nil), data...)
			data[at] = c
		}
		d, err := New().Parse(data)
		if err != nil {
			if r := redactors.ReasonOf(err); r == redactors.ErrInternal || bytes.Equal(data, letter()) {
				t.Fatalf("Parse: %v", err)
			}
			return
		}
		for _, p := range d.Parts() {
			if !utf8.ValidString(p.Text) {
				t.Fatalf("part %s is not valid UTF-8", p.Name)
			}
		}
		pages := d.(*Document).PageCount()
		var out bytes.Buffer
		if err := d.Redact(&out, nil); err != nil {
			if r := redactors.ReasonOf(err); r == redactors.ErrInternal {
				t.Fatalf("Redact without edits: %v", err)
			}
			return
		}
		again, err := New().Parse(out.Bytes())
		if err != nil {
			t.Fatalf("the output of Redact without edits does not parse: %v", err)
		}
		if n := again.(*Document).PageCount(); n != pages {
			t.Fatalf("the output has %d pages, the input %d", n, pages)
		}
	})
}
