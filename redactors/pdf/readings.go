package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Readings: the same glyphs read more than one way. The page text reads
// every code through its font, ToUnicode map first, as copy and paste and
// pdftotext do. A font can lie there: its ToUnicode map can say "xkqz"
// while the glyphs the page paints, named by the encoding or the font
// program, spell a name, and while the string in the content stream holds
// that name as plain bytes (a byte search of the file finds it). So a page
// whose glyphs read otherwise gets more parts, one per other reading, each
// the page text with those glyphs replaced:
//
//   - codes read as bytes: every one-byte code that is an ASCII letter or
//     digit read as itself, whatever the font maps it to (the naive
//     reading of the raw string);
//   - glyph names: every glyph whose name (in the font's encoding, or in the
//     embedded program's cmap or post table) says another letter than the
//     ToUnicode map does, read by that name.
//
// A reading is a part only when it differs from the page text (and the
// second from the first) in a letter or digit. Every reading keeps the
// page text's separators, and each glyph's span in it is recorded, so an
// edit on any reading removes the same glyphs as the same edit on the page
// text: whichever reading a detector finds a value in, the glyphs go.

// reading kinds; readingNames gives their part-name suffixes.
const (
	readingBytes = iota
	readingNames
	numReadings
)

var readingSuffix = [numReadings]string{" (codes read as bytes)", " (glyph names)"}

// altReading is one other reading of a page: its text and, for each glyph
// of the page text, the start and end of the glyph in it.
type altReading struct {
	kind  int
	text  string
	spans []int32 // 2 per glyph
}

// sameLetters reports whether two readings of one glyph agree: equal
// letters and digits after compatibility normalisation (ligatures, small
// capitals, old-style figures), case ignored; a reading without any letter
// or digit agrees with anything (a quote's style is no disagreement).
func sameLetters(a, b string) bool {
	if a == b {
		return true
	}
	fa, fb := foldLetters(a), foldLetters(b)
	return fa == "" || fb == "" || fa == fb
}

func foldLetters(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// evidence returns glyph g's text in reading kind, and whether it
// differs from text, its text in the page reading.
func (t *textBuilder) evidence(g *glyph, kind int, text string) (string, bool) {
	switch kind {
	case readingBytes:
		if g.raw != 0 && (len(text) != 1 || lowerASCII(text[0]) != lowerASCII(g.raw)) {
			return string(g.raw), true
		}
	case readingNames:
		if g.ev > 0 {
			return t.evs[g.ev-1], true
		}
	}
	return "", false
}

// readings returns the other readings of the page that differ from its
// text (and from each other) in a letter or digit.
func (t *textBuilder) readings() []altReading {
	text := t.b.String()
	var out []altReading
	for kind := 0; kind < numReadings; kind++ {
		differs := false
		for i := range t.glyphs {
			g := &t.glyphs[i]
			if _, ok := t.evidence(g, kind, text[g.start:g.end]); ok {
				differs = true
				break
			}
		}
		if !differs {
			continue
		}
		r := altReading{kind: kind, spans: make([]int32, 0, 2*len(t.glyphs))}
		var b strings.Builder
		b.Grow(len(text))
		last := int32(0)
		for i := range t.glyphs {
			g := &t.glyphs[i]
			if g.start < last { // cannot happen; keep the spans ordered
				r.spans = append(r.spans, int32(b.Len()), int32(b.Len()))
				continue
			}
			b.WriteString(text[last:g.start])
			start := int32(b.Len())
			if s, ok := t.evidence(g, kind, text[g.start:g.end]); ok {
				b.WriteString(s)
			} else {
				b.WriteString(text[g.start:g.end])
			}
			r.spans = append(r.spans, start, int32(b.Len()))
			last = g.end
		}
		b.WriteString(text[last:])
		r.text = b.String()
		if len(out) > 0 && foldLetters(out[0].text) == foldLetters(r.text) {
			continue // the glyph names say what the bytes say
		}
		out = append(out, r)
	}
	return out
}

// addEvidence records the glyph evidence s of the glyph about to be added
// and returns its index for glyph.ev (0: none).
func (t *textBuilder) addEvidence(s string) int32 {
	if s == "" || !utf8.ValidString(s) {
		return 0
	}
	if i, ok := t.evIdx[s]; ok {
		return i
	}
	if t.evIdx == nil {
		t.evIdx = map[string]int32{}
	}
	t.evs = append(t.evs, s)
	t.evIdx[s] = int32(len(t.evs))
	return int32(len(t.evs))
}
