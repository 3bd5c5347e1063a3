package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// sfntFile builds a font program with the given tables (only what Veil
// reads: no outlines).
func sfntFile(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, []uint32{0x00010000})
	binary.Write(&b, binary.BigEndian, []uint16{uint16(len(tags)), 0, 0, 0})
	off := 12 + 16*len(tags)
	for _, t := range tags {
		b.WriteString(t)
		binary.Write(&b, binary.BigEndian, []uint32{0, uint32(off), uint32(len(tables[t]))})
		off += (len(tables[t]) + 3) &^ 3
	}
	for _, t := range tags {
		b.Write(tables[t])
		b.Write(make([]byte, ((len(tables[t])+3)&^3)-len(tables[t])))
	}
	return b.Bytes()
}

// cmapFormat4 encodes code -> glyph mappings as a format 4 subtable, one
// segment a code.
func cmapFormat4(m map[uint16]uint16) []byte {
	codes := make([]int, 0, len(m))
	for c := range m {
		codes = append(codes, int(c))
	}
	sort.Ints(codes)
	codes = append(codes, 0xFFFF)
	seg := len(codes)
	var ends, starts, deltas, ranges []uint16
	for _, c := range codes {
		g := m[uint16(c)]
		if c == 0xFFFF {
			g = 0
		}
		ends, starts = append(ends, uint16(c)), append(starts, uint16(c))
		deltas, ranges = append(deltas, uint16(int(g)-c)), append(ranges, 0)
		if c == 0xFFFF {
			deltas[len(deltas)-1] = 1
		}
	}
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, []uint16{4, uint16(16 + 8*seg), 0, uint16(2 * seg), 0, 0, 0})
	binary.Write(&b, binary.BigEndian, ends)
	binary.Write(&b, binary.BigEndian, uint16(0))
	binary.Write(&b, binary.BigEndian, starts)
	binary.Write(&b, binary.BigEndian, deltas)
	binary.Write(&b, binary.BigEndian, ranges)
	return b.Bytes()
}

// cmapTable puts subtables ((platform, encoding) -> bytes) together.
func cmapTable(subs map[[2]uint16][]byte) []byte {
	keys := make([][2]uint16, 0, len(subs))
	for k := range subs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]*100+keys[i][1] < keys[j][0]*100+keys[j][1] })
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, []uint16{0, uint16(len(keys))})
	off := 4 + 8*len(keys)
	for _, k := range keys {
		binary.Write(&b, binary.BigEndian, []uint16{k[0], k[1]})
		binary.Write(&b, binary.BigEndian, uint32(off))
		off += len(subs[k])
	}
	for _, k := range keys {
		b.Write(subs[k])
	}
	return b.Bytes()
}

// postTable is a format 2.0 post table: glyph i has names[i] (standard
// Macintosh names by index, others as custom names).
func postTable(names []string) []byte {
	mac := map[string]int{}
	for i, n := range macGlyphNames {
		mac[n] = i
	}
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, []uint32{0x00020000, 0, 0, 0, 0, 0, 0, 0})
	binary.Write(&b, binary.BigEndian, uint16(len(names)))
	var custom []string
	for _, n := range names {
		if k, ok := mac[n]; ok {
			binary.Write(&b, binary.BigEndian, uint16(k))
			continue
		}
		binary.Write(&b, binary.BigEndian, uint16(258+len(custom)))
		custom = append(custom, n)
	}
	for _, n := range custom {
		b.WriteByte(byte(len(n)))
		b.WriteString(n)
	}
	return b.Bytes()
}

// testProgram is a font program for A-Z (glyphs 1-26), é (27, in the
// Unicode cmap only) and ∑ (28, named uni2211 in post only), with a (3,0)
// symbol cmap from 0xF041 ("A") on for simple fonts.
func testProgram(withTables bool) []byte {
	if !withTables {
		return sfntFile(map[string][]byte{"head": make([]byte, 54)})
	}
	uni, sym := map[uint16]uint16{0xE9: 27}, map[uint16]uint16{}
	names := []string{".notdef"}
	for i := 0; i < 26; i++ {
		uni[uint16('A'+i)] = uint16(1 + i)
		sym[uint16(0xF041+i)] = uint16(1 + i)
		names = append(names, "g"+fmt.Sprint(i)) // generated names: the cmap must win
	}
	sym[0xF05B], sym[0xF05C] = 27, 28
	names = append(names, "glyph27", "uni2211")
	return sfntFile(map[string][]byte{
		"cmap": cmapTable(map[[2]uint16][]byte{{3, 1}: cmapFormat4(uni), {3, 0}: cmapFormat4(sym)}),
		"post": postTable(names),
	})
}

// A CID font whose ToUnicode map lacks two glyphs: the program's cmap and
// post table name them.
func TestTrueTypeFallbackCID(t *testing.T) {
	for _, c := range []struct {
		name   string
		tables bool
		want   string
	}{{"named by the program", true, "ELLISONé∑"}, {"program without cmap or post", false, ""}} {
		t.Run(c.name, func(t *testing.T) {
			in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td <0005000C000C00090013000F000E 0064 0065> Tj ET"}, func(b *builder) string {
				tu := b.add(stream("", []byte("begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0001> <001A> <0041> endbfrange endcmap"), true))
				prog := b.add(stream(fmt.Sprintf("/Length1 %d", len(testProgram(c.tables))), testProgram(c.tables), true))
				// CIDToGIDMap: CID i is glyph i, except 100 -> 27 and 101 -> 28.
				m := make([]byte, 2*102)
				for i := 0; i < 100; i++ {
					m[2*i+1] = byte(i)
				}
				m[201], m[203] = 27, 28
				c2g := b.add(stream("", m, true))
				fd := b.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /TestTT /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", prog))
				cf := b.add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestTT /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 600 /CIDToGIDMap %d 0 R >>", fd, c2g))
				f := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /TestTT /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cf, tu))
				return fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", f)
			}, nil)
			d, err := New().Parse(in)
			if c.want == "" {
				if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "no cmap or post table") {
					t.Errorf("error %v, want uninspectable for lack of cmap and post", err)
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

// A symbolic TrueType font without ToUnicode or encoding: codes reach
// glyphs through the (3,0) cmap.
func TestTrueTypeFallbackSimple(t *testing.T) {
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (ELLISON[\\\\) Tj ET"}, func(b *builder) string {
		prog := b.add(stream("", testProgram(true), true))
		fd := b.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /TestTT /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", prog))
		return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /TrueType /BaseFont /TestTT /FirstChar 65 /LastChar 92 /Widths [%s] /FontDescriptor %d 0 R >> >> >>",
			strings.TrimSpace(strings.Repeat("600 ", 28)), fd)
	}, nil)
	if got := parse(t, in).Parts()[0].Text; got != "ELLISONé∑" {
		t.Errorf("text %q", got)
	}
}

// The cmap and post readers survive any bytes.
func FuzzTrueType(f *testing.F) {
	f.Add(testProgram(true))
	f.Add(testProgram(false))
	f.Fuzz(func(t *testing.T, data []byte) {
		tt := parseTrueType(data)
		for g := 0; g < 40; g++ {
			tt.glyphText(uint16(g))
		}
		for c := 0; c < 256; c++ {
			tt.codeGlyph(byte(c))
		}
	})
}

// Embedded fonts get neutral names (a font named after a person or a
// company is metadata); fonts that are not embedded keep theirs.
func TestEmbeddedFontNames(t *testing.T) {
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (ELLISON) Tj /F2 12 Tf 72 680 Td (Plain) Tj ET"}, func(b *builder) string {
		prog := b.add(stream("", testProgram(true), true))
		fd := b.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /ABCDEF+EllisonHand /FontFamily (Ellison Hand) /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", prog))
		return fmt.Sprintf("<< /Font << /F1 << /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+EllisonHand /FirstChar 65 /LastChar 92 /Widths [%s] /FontDescriptor %d 0 R >> /F2 %s >> >>",
			strings.TrimSpace(strings.Repeat("600 ", 28)), fd, helvFont)
	}, nil)
	out, _ := redact(t, in, func(redactors.Document) []redactors.Edit { return nil })
	q := qdfText(t, out)
	if strings.Contains(q, "Ellison") {
		t.Error("the embedded font's name survives")
	}
	if !strings.Contains(q, "/BaseFont /Helvetica") {
		t.Error("the standard font lost its name")
	}
	if got := parse(t, out).Parts()[0].Text; got != "ELLISON\nPlain" {
		t.Errorf("text %q", got)
	}
}
