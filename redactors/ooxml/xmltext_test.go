package ooxml

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeText checks the offset map of character data: every span of
// the text between rune boundaries comes from exactly the raw bytes the map
// names, and escaped text decodes back to itself.
func FuzzDecodeText(f *testing.F) {
	f.Add("O&apos;Brien &amp; Sons &#233;&#x1F600; x", false)
	f.Add("a]]b", true)
	f.Add("&lt;&gt;&quot;", false)
	f.Fuzz(func(t *testing.T, raw string, cdata bool) {
		text, off, err := DecodeText([]byte(raw), cdata, true)
		if err != nil {
			return
		}
		if len(off) != len(text)+1 || off[0] != 0 && len(text) > 0 || off[len(text)] != len(raw) {
			t.Fatalf("map %v for %q -> %q", off, raw, text)
		}
		var bounds []int
		for i := range text {
			bounds = append(bounds, i)
		}
		bounds = append(bounds, len(text))
		for a := 0; a < len(bounds); a++ {
			for b := a; b < len(bounds) && b < a+4; b++ {
				i, j := bounds[a], bounds[b]
				sub, _, err := DecodeText([]byte(raw[off[i]:off[j]]), cdata, false)
				if err != nil || sub != text[i:j] {
					t.Fatalf("raw[%d:%d]=%q decodes to %q, want %q (%v)", off[i], off[j], raw[off[i]:off[j]], sub, text[i:j], err)
				}
			}
		}
		enc := EscapeText(text)
		if cdata {
			enc = EscapeCDATA(text)
		}
		back, _, err := DecodeText([]byte(enc), cdata && !strings.Contains(text, "]]>"), false)
		if err == nil && !strings.Contains(text, "]]>") && back != strings.Map(dropNonXML, text) {
			t.Fatalf("escape round trip: %q -> %q -> %q", text, enc, back)
		}
	})
}

func dropNonXML(r rune) rune {
	if r == utf8.RuneError || !IsXMLChar(r) {
		return -1
	}
	return r
}
