package pdf

import (
	"encoding/binary"
	"testing"
	"unicode/utf8"
)

// FuzzReadings: the other readings of any run of glyphs keep every glyph's
// span ordered, inside the reading's text and on UTF-8 boundaries, and a
// glyph reads as in the page text, as its evidence, or blank. An evidence
// byte of 128 or more also gives its glyph a character spacing of 0.3 em
// (a space only the spacing makes: the letter-spaced reading).
func FuzzReadings(f *testing.F) {
	f.Add([]byte("Maria Sandoval"), []byte{1, 0, 2, 0, 0, 1})
	f.Add([]byte("Tamsin Everard"), []byte{128, 129, 130, 0, 128, 128, 131})
	f.Add([]byte("a\nb-\nc"), []byte{0, 3, 0, 0})
	f.Fuzz(func(t *testing.T, text []byte, ev []byte) {
		var tb textBuilder
		x := float32(0)
		for i, r := range string(text) {
			g := glyph{ox: x, oy: 700, ex: [2]float32{10, 0}, ey: [2]float32{0, 10}, w: 0.5}
			if r == '\n' {
				g.oy -= 20
			}
			if i < len(ev) {
				switch ev[i] % 4 {
				case 1:
					g.raw = 'A' + ev[i]%26
				case 2:
					g.ev = tb.addEvidence(string(rune('a' + ev[i]%26)))
				case 3:
					g.ev = tb.addEvidence("\u00e9")
				}
				if ev[i] >= 128 {
					g.cs = 0.3
				}
			}
			x += 5 + 10*g.cs
			tb.add(g, string(r))
		}
		for _, a := range tb.readings() {
			if len(a.spans) != 2*len(tb.glyphs) {
				t.Fatalf("%d spans for %d glyphs", len(a.spans), len(tb.glyphs))
			}
			last := int32(0)
			for i := range tb.glyphs {
				s, e := a.spans[2*i], a.spans[2*i+1]
				if s < last || e < s || int(e) > len(a.text) {
					t.Fatalf("glyph %d span %d:%d after %d in %d bytes", i, s, e, last, len(a.text))
				}
				if !utf8.ValidString(a.text[s:e]) || int(s) < len(a.text) && !utf8.RuneStart(a.text[s]) {
					t.Fatalf("glyph %d span %d:%d not on rune boundaries", i, s, e)
				}
				g := &tb.glyphs[i]
				page := tb.b.String()[g.start:g.end]
				ev, _ := tb.evidence(g, a.kind, page)
				if got := a.text[s:e]; got != page && got != ev && got != "" {
					t.Fatalf("glyph %d reads %q: not its page text %q, its evidence %q or blank", i, got, page, ev)
				}
				last = e
			}
		}
	})
}

// FuzzImageMeta: the JPEG and JPEG 2000 metadata readers and the JPEG 2000
// stripper survive any bytes, and what the stripper returns it accepts
// again with no metadata left.
func FuzzImageMeta(f *testing.F) {
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 6, 'E', 'x', 'i', 'f', 0xFF, 0xDA, 0, 2, 0xFF, 0xD9})
	f.Add([]byte("\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\x00\x0cxml <a/>\x00\x00\x00\x0cjp2c\xff\x4f\xff\x90"))
	f.Add([]byte{0xFF, 0x4F, 0xFF, 0x64, 0, 5, 0, 1, 'x', 0xFF, 0x90})
	f.Fuzz(func(t *testing.T, b []byte) {
		jpegMeta(b)
		jpxMeta(b)
		utf16View(b, binary.BigEndian)
		out, err := stripJPX(b)
		if err != nil {
			return
		}
		again, err := stripJPX(out)
		if err != nil {
			t.Fatalf("stripped data refused: %v", err)
		}
		for _, m := range jpxMeta(again) {
			if len(m) > 0 {
				t.Fatalf("metadata left after stripping: %q", m)
			}
		}
	})
}
