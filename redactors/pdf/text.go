package pdf

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page text in reading order. Glyphs come in content-stream order, which is
// the order producers write text in; the separators between them come from
// geometry: a glyph that continues the baseline of the one before it joins
// it (kerning, glyph-by-glyph placement), a gap of more than a tenth of an
// em, the character spacing counted as pdftotext counts it, is a space
// (separator), anything else starts a new line. A line that ends with a
// hyphen inside a word joins the next (see dehyphenate), so "Elli-" + "son"
// reads "Ellison" and "234-56-" + "7890" reads "234-56-7890".

// glyph is one shown glyph: where it came from and where it is on the page.
type glyph struct {
	inst, op, idx int32 // instance, operator index, glyph index in the operator
	ox, oy        float32
	ex, ey        [2]float32 // one em along the baseline and up, in page space
	w             float32    // advance in ems (horizontal) or w1 (vertical)
	asc, desc     float32
	// cs is the character (and word) spacing added after the glyph, as a
	// fraction of the font size: letter-spaced text is not read as
	// separate letters.
	cs         float32
	vert       bool
	nl         bool  // a line break precedes the glyph in the text
	lsp        bool  // the space before the glyph is the letter spacing's alone (separator)
	invisible  bool  // text rendering mode 3 or 7: an OCR layer over a scan
	hyphen     bool  // a line-end hyphen the page text drops (dehyphenate; readingHyphen reads it)
	raw        byte  // the code's byte when it is one printable ASCII byte other than space
	raw2       byte  // the low byte of a two-byte code 00xx whose xx is an ASCII letter or digit
	paint      uint8 // how it is painted (undrawn.go): bit 7 outside the clip; bits 0–6 1 + its fill's grey in 126 steps, 0 unknown
	ev         int32 // 1 + index of the glyph's own name in textBuilder.evs (readings.go); 0: none
	start, end int32
}

// meets reports whether the glyph's text lies in the bytes [start, end)
// of the page text: it overlaps them, or, when it has no bytes of its own
// (a mark at one offset), that offset is strictly inside them.
func (g *glyph) meets(start, end int) bool {
	s, en := int(g.start), int(g.end)
	if s == en {
		return s > start && s < end
	}
	return en > start && s < end
}

// makeGlyph places code c, shown with font f at text rendering matrix trm;
// sp is the character and word spacing applied after it (text space).
func makeGlyph(id, op, idx int, trm matrix, f *font, c *code, sp, tfs float64, tr int) glyph {
	g := glyph{
		inst: int32(id), op: int32(op), idx: int32(idx),
		ox: float32(trm[4]), oy: float32(trm[5]),
		ex: [2]float32{float32(trm[0]), float32(trm[1])},
		ey: [2]float32{float32(trm[2]), float32(trm[3])},
		w:  float32(c.w0), asc: float32(f.ascent), desc: float32(f.descent),
		vert: f.vertical, invisible: tr == 3 || tr == 7,
	}
	if f.vertical {
		g.w = float32(c.w1)
	}
	if math.Abs(tfs) > 1e-9 {
		g.cs = float32(sp / tfs) // along the baseline vector, whatever its sign
	}
	if len(c.b) == 1 && c.b[0] > 0x20 && c.b[0] < 0x7f {
		g.raw = c.b[0]
	}
	if len(c.b) == 2 && c.b[0] == 0 && asciiAlnum(c.b[1]) {
		g.raw2 = c.b[1]
	}
	return g
}

func asciiAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// corners returns the glyph's box in page space.
func (g *glyph) corners() [4][2]float64 {
	s0, s1 := 0.0, float64(g.w)
	t0, t1 := float64(g.desc), float64(g.asc)
	if g.vert {
		s0, s1 = -0.5, 0.5
		t0, t1 = float64(g.w), 0
	}
	if math.Abs(s1-s0) < 0.05 {
		s1 = s0 + 0.3 // zero-width glyphs still get a visible box
	}
	var out [4][2]float64
	for i, st := range [4][2]float64{{s0, t0}, {s1, t0}, {s1, t1}, {s0, t1}} {
		out[i][0] = float64(g.ox) + st[0]*float64(g.ex[0]) + st[1]*float64(g.ey[0])
		out[i][1] = float64(g.oy) + st[0]*float64(g.ex[1]) + st[1]*float64(g.ey[1])
	}
	return out
}

func hypot32(v [2]float32) float64 { return math.Hypot(float64(v[0]), float64(v[1])) }

// textBuilder builds a page's text and the glyph of every byte.
type textBuilder struct {
	b      strings.Builder
	glyphs []glyph
	prev   string // text of the previous glyph
	hint   int    // expected number of glyphs (the previous page's)
	// evs are the glyph names that disagree with the ToUnicode text, by
	// glyph.ev (readings.go).
	evs   []string
	evIdx map[string]int32
}

// add appends a glyph and its text, with the separator geometry calls for.
// A space glyph that leaves a gap of less than spaceGap between the glyph
// before it and the next (the spacing after the glyph before, and the
// space's own width and spacing, which a negative word spacing can take
// to nothing: a producer that sets "Pro g" + "ramming" as one word)
// separates nothing a reader sees: it reads as nothing, as pdftotext
// reads it.
func (t *textBuilder) add(g glyph, s string) {
	if n := len(t.glyphs); s == " " && !g.vert && n > 0 && joins(&t.glyphs[n-1], &g) {
		gap := float64(g.w) + float64(g.cs)
		if p := t.glyphs[n-1]; p.cs <= maxLetterSpacing {
			gap += float64(p.cs)
		}
		if gap < spaceGap {
			s = ""
		}
	}
	if n := len(t.glyphs); n > 0 {
		p := &t.glyphs[n-1]
		sep, spaced := separator(p, &g)
		switch sep {
		case ' ':
			if !endsSpace(t.prev) && !startsSpace(s) {
				t.b.WriteByte(' ')
				g.lsp = spaced
			}
		case '\n':
			g.nl = true
			if t.dehyphenate(s) {
				break
			}
			if !strings.HasSuffix(t.prev, "\n") {
				t.b.WriteByte('\n')
			}
		}
	}
	g.start = int32(t.b.Len())
	t.b.WriteString(s)
	g.end = int32(t.b.Len())
	if t.glyphs == nil && t.hint > 0 {
		t.glyphs = make([]glyph, 0, t.hint)
		t.b.Grow(t.hint * 5 / 4)
	}
	t.glyphs = append(t.glyphs, g)
	t.prev = s
}

// dehyphenate handles a line that ends with a hyphen after a letter or
// digit, continued by a letter or digit: the lines join, and the hyphen is
// dropped from the text when a lower-case letter continues a plain word
// ("Elli-" + "son"). It reports whether it joined the lines.
func (t *textBuilder) dehyphenate(next string) bool {
	n := len(t.glyphs)
	if n < 2 {
		return false
	}
	if t.prev != "-" && t.prev != "\u00ad" && t.prev != "\u2010" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	h := &t.glyphs[n-1]
	before := t.glyphs[n-2]
	text := t.b.String()
	br, _ := utf8.DecodeLastRuneInString(text[before.start:before.end])
	if !(unicode.IsLetter(br) || unicode.IsDigit(br)) || int(h.end) != len(text) {
		return false
	}
	if !unicode.IsLower(r) || !unicode.IsLetter(br) {
		return true // "234-56-" + "7890", "Whitfield-" + "Barrett": one line
	}
	// In an address, number or identifier the hyphen is part of the
	// value ("northwind-" + "legal.example.com"): keep it, join the lines.
	word := text[strings.LastIndexAny(text[:h.start], " \n\t")+1 : h.start]
	if strings.ContainsAny(word, "@./:_0123456789") {
		return true
	}
	t.b.Reset()
	t.b.WriteString(text[:h.start])
	h.end, h.hyphen = h.start, true
	return true
}

func endsSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && unicode.IsSpace(r)
}

func startsSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && unicode.IsSpace(r)
}

// joins reports whether nothing separates glyph p and the next glyph g
// when letter spacing is read as letter spacing.
func joins(p, g *glyph) bool {
	sep, spaced := separator(p, g)
	return sep == 0 || spaced
}

// separator decides what lies between glyph p and the next glyph g: 0
// (nothing), ' ' or '\n'. spaced reports a ' ' that only p's character
// spacing makes: the gap is a word gap with the spacing counted, as
// pdftotext counts it, and none without (letter-spaced text, or a
// producer that sets a word space as character spacing: "n" 0.27 em
// "o" for the "n o" of "an open"). The page text reads it as a space,
// as pdftotext does, so that the two readings verify compares agree;
// the letter-spaced reading (readings.go) joins such letters again, so
// that a letter-spaced value is still found whole.
func separator(p, g *glyph) (sep byte, spaced bool) {
	em := hypot32(p.ey)
	if p.vert {
		em = hypot32(p.ex)
	}
	if em < 1e-6 {
		return '\n', false
	}
	// Unit vector along p's line, and the end of p.
	var ux, uy, endX, endY float64
	if p.vert {
		l := hypot32(p.ey)
		ux, uy = float64(p.ey[0])/l, float64(p.ey[1])/l
		endX = float64(p.ox) + float64(p.w)*float64(p.ey[0])
		endY = float64(p.oy) + float64(p.w)*float64(p.ey[1])
		ux, uy = -ux, -uy // vertical text runs down
	} else {
		l := hypot32(p.ex)
		if l < 1e-9 {
			return '\n', false
		}
		ux, uy = float64(p.ex[0])/l, float64(p.ex[1])/l
		endX = float64(p.ox) + float64(p.w)*float64(p.ex[0])
		endY = float64(p.oy) + float64(p.w)*float64(p.ex[1])
	}
	dx, dy := float64(g.ox)-endX, float64(g.oy)-endY
	along := (dx*ux + dy*uy) / em
	across := (dx*uy - dy*ux) / em
	// Same direction?
	var gx, gy float64
	if g.vert != p.vert {
		return '\n', false
	}
	if g.vert {
		l := hypot32(g.ey)
		if l < 1e-9 {
			return '\n', false
		}
		gx, gy = -float64(g.ey[0])/l, -float64(g.ey[1])/l
	} else {
		l := hypot32(g.ex)
		if l < 1e-9 {
			return '\n', false
		}
		gx, gy = float64(g.ex[0])/l, float64(g.ex[1])/l
	}
	if gx*ux+gy*uy < 0.9 || math.Abs(across) > 0.5 {
		return '\n', false
	}
	// Character spacing widens every gap of letter-spaced text alike; it
	// does not separate words. Spacing of more than maxLetterSpacing is
	// no letter spacing but a way of placing the next glyph (a page
	// number set at the right margin by one glyph's spacing: "g" then
	// "3" 24 em on): the gap it leaves is a gap, and a glyph after it
	// placed by a move (Td) back to where the spaced glyph's own width
	// ends follows on the same line.
	withSpacing := along
	if p.cs <= maxLetterSpacing {
		if p.vert {
			along -= float64(p.cs) * hypot32(p.ey) / em
		} else {
			along -= float64(p.cs) * hypot32(p.ex) / em
		}
	}
	switch {
	case along < -0.5:
		return '\n', false
	case along > wordGap:
		return ' ', false
	case math.Abs(across) > baselineShift:
		// A superscript or subscript (a footnote mark after a word, "x²")
		// starts a word of its own, as pdftotext reads it: "Artifacts¹"
		// is the word "Artifacts" and a "1".
		return ' ', false
	case withSpacing > wordGap && !p.vert:
		return ' ', true
	}
	return 0, false
}

// spaceGap is the gap, in ems, under which a space glyph separates
// nothing (add). pdftotext (poppler 22.12) joins the letters around a
// space character that leaves 0.03 em and breaks the word at 0.035 em
// (measured on Helvetica at 10 and 20 pt): its rule for a space
// character is not the 0.1 em of wordGap.
const spaceGap = 0.03

// maxLetterSpacing is the widest character spacing, in ems, read as
// letter spacing (separator): typographic letter spacing stays well under
// half an em.
const maxLetterSpacing = 1

// baselineShift is the rise or drop, in ems of the glyph before, beyond
// which a glyph on the same line is a superscript or subscript.
const baselineShift = 0.2

// wordGap is the gap, in ems, beyond which two glyphs on a line belong to
// different words: a tenth of an em, as poppler's pdftotext reads it
// (minWordBreakSpace). Producers that space words with TJ numbers use
// 0.15-0.35 em; kerning stays well under 0.1 em.
const wordGap = 0.1
