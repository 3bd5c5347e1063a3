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
	readingCell // a table cell or form value, with its field (layout.go)
	// readingSpaced: letters the character spacing alone separates
	// (glyph.lsp) read as one word (spacedReading)
	readingSpaced
	// readingHyphen: a line-end hyphen the page text drops (dehyphenate:
	// "Elli-" + "son" reads "Ellison", as pdftotext reads it) kept, with
	// the line break after it (hyphenReading)
	readingHyphen
	numReadings
)

var readingSuffix = [numReadings]string{" (codes read as bytes)", " (glyph names)", " (table cell)", " (letter-spaced)", " (line-end hyphens kept)"}

// altReading is one other reading of a page: its text and, for each glyph
// of the page text, the start and end of the glyph in it.
type altReading struct {
	kind  int
	text  string
	spans []int32 // 2 per glyph; nil for a cell
	field string  // readingCell: the header or label the layout gives it
	// cell: the glyphs i0..i1 of a readingCell, whose text starts at lo
	// in the page text (the other glyphs have empty spans before or
	// after it)
	cell *layoutCell
	lo   int32
}

// span returns glyph i's start and end in the reading's text.
func (r *altReading) span(gl []glyph, i int) (int32, int32) {
	if c := r.cell; c != nil {
		switch {
		case i < c.i0:
			return 0, 0
		case i > c.i1:
			return int32(len(r.text)), int32(len(r.text))
		}
		return gl[i].start - r.lo, gl[i].end - r.lo
	}
	return r.spans[2*i], r.spans[2*i+1]
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

// wordWindow is how many words around a word that reads otherwise an
// other reading keeps: a value of several words, one of them hidden by
// the font, is read whole; the rest of the page is left blank there, so
// that what the page text already shows is not found twice.
const wordWindow = 3

// sepBefore returns the page text between the previous glyph (ending at
// last) and glyph i, less the one space that only character spacing puts
// there (glyph.lsp): the letters of a letter-spaced word read as one.
func sepBefore(text string, last int32, i int, g *glyph) string {
	sep := text[last:g.start]
	if g.lsp && i > 0 && sep == " " {
		return ""
	}
	return sep
}

// aroundMarked returns, for each word, whether it lies within wordWindow
// words of a marked one (marked[w]); the result has marked's length.
func aroundMarked(marked []bool) []bool {
	keep := make([]bool, len(marked))
	for w, m := range marked {
		if m {
			for k := max(0, w-wordWindow); k <= min(len(marked)-1, w+wordWindow); k++ {
				keep[k] = true
			}
		}
	}
	return keep
}

// words splits the glyphs into words: runs of glyphs with no separator
// between them and no white space in them. It returns, per glyph, its
// word's index, -1 for white space.
func (t *textBuilder) words(text string) ([]int32, int) {
	idx := make([]int32, len(t.glyphs))
	n := -1
	prevWord := false
	for i := range t.glyphs {
		g := &t.glyphs[i]
		s := text[g.start:g.end]
		if strings.TrimSpace(s) == "" && g.start != g.end {
			idx[i], prevWord = -1, false
			continue
		}
		joined := prevWord && i > 0 && !g.nl && t.glyphs[i-1].end == g.start
		if !joined {
			n++
		}
		idx[i], prevWord = int32(n), true
	}
	return idx, n + 1
}

// readings returns the other readings of the page that differ from its
// text (and from each other) in a letter or digit.
//
// In the codes-as-bytes reading a word reads as its bytes only when every
// glyph of it has a one-byte printable ASCII code (a raw string a byte
// search reads as the word); a word mixing such codes with others (a
// subset font numbering its glyphs 1, 2, 3…) has no such reading. In the
// glyph-names reading each glyph reads by its name where that disagrees
// with the ToUnicode map. A word differs when its reading differs in a
// letter or digit; the words within wordWindow of one that differs are
// kept, the others left blank (their glyphs have empty spans).
func (t *textBuilder) readings() []altReading {
	text := t.b.String()
	var wordOf []int32
	nWords := 0
	var out []altReading
	for kind := 0; kind < numReadings; kind++ {
		if kind == readingNames && len(t.evs) == 0 || kind == readingCell {
			continue
		}
		if kind == readingSpaced {
			if r, ok := t.spacedReading(text, wordOf); ok {
				out = append(out, r)
			}
			continue
		}
		if kind == readingHyphen {
			if r, ok := t.hyphenReading(text, wordOf); ok {
				out = append(out, r)
			}
			continue
		}
		if kind == readingBytes && !t.anyRawDiffers(text) {
			continue
		}
		if wordOf == nil {
			wordOf, nWords = t.words(text)
		}
		// The word's reading: per glyph, alternative text or "" for
		// the page text's.
		alt := make([]string, len(t.glyphs))
		usable := make([]bool, nWords)
		for w := range usable {
			usable[w] = true
		}
		for i := range t.glyphs {
			g := &t.glyphs[i]
			w := wordOf[i]
			if w < 0 {
				continue
			}
			switch kind {
			case readingBytes:
				if g.raw == 0 {
					usable[w] = false
				} else {
					alt[i] = string(g.raw)
				}
			case readingNames:
				if g.ev > 0 {
					alt[i] = t.evs[g.ev-1]
				}
			}
		}
		// Which words differ.
		differs := make([]bool, nWords)
		var pageWord, altWord []strings.Builder
		pageWord, altWord = make([]strings.Builder, nWords), make([]strings.Builder, nWords)
		for i := range t.glyphs {
			g := &t.glyphs[i]
			w := wordOf[i]
			if w < 0 || !usable[w] {
				continue
			}
			s := text[g.start:g.end]
			pageWord[w].WriteString(s)
			if alt[i] != "" {
				altWord[w].WriteString(alt[i])
			} else {
				altWord[w].WriteString(s)
			}
		}
		anyDiffers := false
		for w := range differs {
			if usable[w] && !sameLetters(altWord[w].String(), pageWord[w].String()) {
				differs[w], anyDiffers = true, true
			}
		}
		if !anyDiffers {
			continue
		}
		keep := aroundMarked(differs)
		r := t.buildReading(kind, text, func(i int, g *glyph) string {
			switch w := wordOf[i]; {
			case w < 0:
				return text[g.start:g.end]
			case !keep[w]:
				return "" // blank: the page text reads this word
			case usable[w] && alt[i] != "":
				return alt[i]
			default:
				return text[g.start:g.end]
			}
		})
		if len(out) > 0 && foldLetters(out[0].text) == foldLetters(r.text) {
			continue // the glyph names say what the bytes say
		}
		out = append(out, r)
	}
	return out
}

// spacedReading returns the letter-spaced reading of the page: the
// spaces that only character spacing makes (glyph.lsp; the page text
// reads them as pdftotext does) taken out, so that "T a m s i n", set
// with a character spacing of a fifth of an em, reads "Tamsin". The
// words of the page text around such a space, within wordWindow, are
// kept, the others left blank. wordOf is the page text's words (nil:
// not computed yet). It reports false when no glyph has such a space.
func (t *textBuilder) spacedReading(text string, wordOf []int32) (altReading, bool) {
	// The words a removed space joins (the glyphs before and at it), and
	// the words around them.
	wordOf, keep, ok := t.keepAround(text, wordOf, func(g *glyph) bool { return g.lsp }, -1)
	if !ok {
		return altReading{}, false
	}
	return t.buildReading(readingSpaced, text, func(i int, g *glyph) string {
		if w := wordOf[i]; w < 0 || keep[w] {
			return text[g.start:g.end]
		}
		return ""
	}), true
}

// hyphenReading returns the page read with the line-end hyphens the page
// text drops (glyph.hyphen) kept, each followed by its line break: a
// hyphen at the end of a line may be a compound's ("table-" +
// "specification", "pre-" + "trial"), whose second word is a word of its
// own, which the joined reading hides ("tablespecification"); both
// readers join it in the input, but a redaction elsewhere on the line can
// move pdftotext's reading of the output so that it no longer joins, and
// the word shows. The words of the page text around such a hyphen,
// within wordWindow, are kept, the others left blank. wordOf is the page
// text's words (nil: not computed yet). It reports false when the page
// text drops no hyphen.
func (t *textBuilder) hyphenReading(text string, wordOf []int32) (altReading, bool) {
	wordOf, keep, ok := t.keepAround(text, wordOf, func(g *glyph) bool { return g.hyphen }, 0)
	if !ok {
		return altReading{}, false
	}
	return t.buildReading(readingHyphen, text, func(i int, g *glyph) string {
		switch w := wordOf[i]; {
		case w >= 0 && !keep[w]:
			return ""
		case g.hyphen:
			return hyphenKept
		}
		return text[g.start:g.end]
	}), true
}

// hyphenKept is a dropped line-end hyphen's text in readingHyphen.
const hyphenKept = "-\n"

// keepAround finds the glyphs flag marks and, for each, the words of the
// glyphs at i+from and i+from+1 (both must exist); it returns the page
// text's words (wordOf, computed when nil) and the words within
// wordWindow of those (aroundMarked). It reports false when flag marks no
// glyph.
func (t *textBuilder) keepAround(text string, wordOf []int32, flag func(*glyph) bool, from int) ([]int32, []bool, bool) {
	found := false
	for i := range t.glyphs {
		if flag(&t.glyphs[i]) {
			found = true
			break
		}
	}
	if !found {
		return wordOf, nil, false
	}
	if wordOf == nil {
		wordOf, _ = t.words(text)
	}
	nWords := 0
	for _, w := range wordOf {
		nWords = max(nWords, int(w)+1)
	}
	marked := make([]bool, nWords)
	for i := range t.glyphs {
		if !flag(&t.glyphs[i]) || i+from < 0 {
			continue
		}
		for _, j := range [2]int{i + from, i + from + 1} {
			if j < len(wordOf) && wordOf[j] >= 0 {
				marked[wordOf[j]] = true
			}
		}
	}
	return wordOf, aroundMarked(marked), true
}

// buildReading writes a reading of kind from the page text: each glyph i
// reads as glyphText(i) ("" leaves it blank), between the page text's
// separators, less the spaces character spacing alone makes (sepBefore:
// the letters of a letter-spaced word read as one in every reading,
// otherwise a name letter-spaced in a font whose map lies would be words
// of one letter in all of them).
func (t *textBuilder) buildReading(kind int, text string, glyphText func(i int, g *glyph) string) altReading {
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
		b.WriteString(sepBefore(text, last, i, g))
		start := int32(b.Len())
		b.WriteString(glyphText(i, g))
		r.spans = append(r.spans, start, int32(b.Len()))
		last = g.end
	}
	b.WriteString(text[last:])
	r.text = b.String()
	return r
}

// anyRawDiffers reports whether a glyph's one-byte code is a letter or
// digit other than its text: the cheap test before the bytes reading.
func (t *textBuilder) anyRawDiffers(text string) bool {
	for i := range t.glyphs {
		g := &t.glyphs[i]
		if asciiAlnum(g.raw) && (g.end-g.start != 1 || lowerASCII(text[g.start]) != lowerASCII(g.raw)) {
			return true
		}
	}
	return false
}

// evidence returns glyph g's text in reading kind when it differs from
// text, its page text (for the fuzz test's check).
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
	case readingHyphen:
		if g.hyphen {
			return hyphenKept, true
		}
	}
	return "", false
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
