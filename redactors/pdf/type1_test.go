package pdf

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"testing"
)

// eexecEncrypt is the inverse of eexecDecrypt (four leading bytes added).
func eexecEncrypt(p []byte, r uint16) []byte {
	out := make([]byte, 0, len(p)+4)
	for _, b := range append([]byte{0, 0, 0, 0}, p...) {
		c := b ^ byte(r>>8)
		r = (uint16(c)+r)*52845 + 22719
		out = append(out, c)
	}
	return out
}

// type1Program builds a Type 1 program: clear text with encoding enc,
// then the eexec part with the given charstrings (name -> plain Type 1
// charstring), binary or hex.
func type1Program(enc string, glyphs map[string][]byte, hexed bool) []byte {
	var priv bytes.Buffer
	priv.WriteString("dup /Private 8 dict dup begin\n/lenIV 4 def\n")
	fmt.Fprintf(&priv, "2 index /CharStrings %d dict dup begin\n", len(glyphs))
	for _, n := range []string{".notdef", "A", "B", "uni0416", "g7"} {
		cs, ok := glyphs[n]
		if !ok {
			continue
		}
		e := eexecEncrypt(cs, 4330)
		fmt.Fprintf(&priv, "/%s %d RD ", n, len(e))
		priv.Write(e)
		priv.WriteString(" ND\n")
	}
	priv.WriteString("end\nend\nmark currentfile closefile\n")
	var b bytes.Buffer
	b.WriteString("%!PS-AdobeFont-1.0: TestFont 001.000\n/FontName /TestFont def\n/FontType 1 def\n")
	b.WriteString("/Encoding " + enc + "\ncurrentdict end\ncurrentfile eexec\n")
	e := eexecEncrypt(priv.Bytes(), 55665)
	if hexed {
		b.WriteString(hex.EncodeToString(e))
	} else {
		b.Write(e)
	}
	b.WriteString("\n" + string(bytes.Repeat([]byte("0"), 64)) + "\ncleartomark\n")
	return b.Bytes()
}

var (
	blankCS = []byte{139 + 0, 139 + 100, 13, 14}                       // 0 250 hsbw endchar
	boxCS   = []byte{139, 139 + 100, 13, 139 + 50, 139 + 50, 5, 9, 14} // … rlineto closepath endchar
)

func TestType1Program(t *testing.T) {
	for _, hexed := range []bool{false, true} {
		for _, c := range []struct {
			name, enc string
			notdef    []byte
			want      map[int]string
			blank     bool
		}{
			{"standard", "StandardEncoding def", blankCS, map[int]string{65: "A", 66: "B"}, true},
			{"custom", "256 array\n0 1 255 {1 index /.notdef put} for\ndup 1 /A put\ndup 2 /uni0416 put\ndup 3 /g7 put\nreadonly def", boxCS, map[int]string{1: "A", 2: "uni0416", 3: "g7", 65: ""}, false},
		} {
			t.Run(fmt.Sprintf("%s hex=%v", c.name, hexed), func(t *testing.T) {
				prog := type1Program(c.enc, map[string][]byte{".notdef": c.notdef, "A": boxCS, "B": boxCS, "uni0416": boxCS, "g7": boxCS}, hexed)
				t1 := parseType1(prog)
				if t1 == nil || t1.enc == nil {
					t.Fatal("not read")
				}
				for code, want := range c.want {
					if t1.enc[code] != want {
						t.Errorf("code %d = %q, want %q", code, t1.enc[code], want)
					}
				}
				for _, n := range []string{".notdef", "A", "B", "uni0416", "g7"} {
					if !t1.glyphs[n] {
						t.Errorf("glyph %s not read from CharStrings", n)
					}
				}
				if t1.glyphs["C"] {
					t.Error("a glyph the font lacks is read")
				}
				if t1.notdefBlank != c.blank {
					t.Errorf("notdefBlank = %v, want %v", t1.notdefBlank, c.blank)
				}
			})
		}
	}
}

// A simple font over an embedded Type 1 program: codes its encoding does
// not name draw the program's .notdef, read as a space when it paints
// nothing, and the page stays uninspectable when it paints something.
func TestType1Notdef(t *testing.T) {
	for _, c := range []struct {
		name   string
		notdef []byte
		want   string
	}{{"blank .notdef", blankCS, "AB BA"}, {"painted .notdef", boxCS, ""}} {
		t.Run(c.name, func(t *testing.T) {
			prog := type1Program("StandardEncoding def", map[string][]byte{".notdef": c.notdef, "A": boxCS, "B": boxCS}, false)
			in := pagesDoc([]string{`BT /F1 12 Tf 72 700 Td (AB\001BA) Tj ET`}, func(b *builder) string {
				ff := b.add(stream(fmt.Sprintf("/Length1 %d /Length2 0 /Length3 0", len(prog)), prog, true))
				fd := b.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /TestFont /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile %d 0 R >>", ff))
				return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /TestFont /FirstChar 1 /LastChar 66 /Widths [250 %s 600 600] /FontDescriptor %d 0 R >> >> >>",
					string(bytes.Repeat([]byte("0 "), 63)), fd)
			}, nil)
			d, err := New().Parse(in)
			if c.want == "" {
				if err == nil {
					t.Fatal("a code drawing a painted .notdef is read")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Parts()[0].Text; got != c.want {
				t.Errorf("text %q, want %q", got, c.want)
			}
		})
	}
}

// The Type 1 reader survives any bytes.
func FuzzType1(f *testing.F) {
	f.Add(type1Program("StandardEncoding def", map[string][]byte{".notdef": blankCS, "A": boxCS}, false))
	f.Add(type1Program("256 array dup 1 /A put readonly def", map[string][]byte{".notdef": boxCS, "A": boxCS}, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		t1 := parseType1(data)
		if t1 != nil && len(t1.glyphs) > maxType1Glyphs {
			t.Fatalf("%d glyphs", len(t1.glyphs))
		}
	})
}
