// Package textform sees through the forms a text can give a word without
// changing what a reader reads (issue 13): a soft hyphen or a zero-width
// character inside a name ("San\u00ADdoval"), a word hyphenated at a line
// break ("San-\ndoval"), a letter of another script that looks like a
// Latin one (a Cyrillic "а" in "Mаria", Unicode TR39 confusables), and a
// name spelled with its letters spaced out ("M A R I A   S A N D O V A L",
// "S-A-N-D-O-V-A-L").
//
// Of returns a View: the text as a reader reads it, with a map from the
// view's offsets back to the text's, so that a finding in the view covers
// the whole obfuscated form in the text, hidden characters included.
// Detection runs over the text and, where the view differs, over the view
// too (ner.SeeThrough): a view can lose a form the text had ("well-\nknown"
// becomes "wellknown"), so it adds findings and never replaces them.
package textform

import (
	"bufio"
	"bytes"
	_ "embed"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// View is a text as detection reads it. Text is the view; when the text
// had nothing to see through, Text is the text itself and the map is the
// identity. A View is immutable.
type View struct {
	// Text is the text with invisible characters inside and between
	// words removed, line-break hyphenation joined, look-alike letters
	// of other scripts in Latin words made Latin, and letter-spaced
	// words closed up.
	Text string
	// edits are the differences between the text and the view, in text
	// order: each replaces text[os:oe] by view[vs:ve]; a removal has
	// vs == ve, a replacement is one rune for one rune. Between edits the
	// two are byte for byte the same.
	edits []edit
}

// edit offsets are int32 (a detection chunk, a part's text, is far
// smaller than 2 GiB; Of panics on a text that is not), to keep the map of
// a letter-spaced text, an edit per letter, small.
type edit struct{ vs, ve, os, oe int32 }

// Changed reports whether the view differs from the text.
func (v View) Changed() bool { return len(v.edits) > 0 }

// Span maps the span [start, end) of the view back to the text: the
// smallest span of the text that holds everything the view's span was
// read from, characters the view removed from inside it included. A
// span on rune boundaries of the view maps to one on rune boundaries of
// the text; Span is monotone in start and in end. Offsets outside the
// view are clamped; an empty span maps to an empty span.
func (v View) Span(start, end int) (int, int) {
	start, end = max(0, min(start, len(v.Text))), max(0, min(end, len(v.Text)))
	if len(v.edits) == 0 {
		return start, end
	}
	s := v.start(start)
	if end <= start {
		return s, s
	}
	return s, v.end(end)
}

// start maps a start offset: characters the view removed right before it
// are not part of the span.
func (v View) start(p int) int {
	k := sort.Search(len(v.edits), func(i int) bool { return int(v.edits[i].vs) > p }) - 1
	if k < 0 {
		return p
	}
	e := v.edits[k]
	if p < int(e.ve) {
		return int(e.os)
	}
	return p + int(e.oe) - int(e.ve)
}

// end maps an end offset: characters the view removed right after it are
// not part of the span, those before it are.
func (v View) end(p int) int {
	k := sort.Search(len(v.edits), func(i int) bool { return int(v.edits[i].vs) >= p }) - 1
	if k < 0 {
		return p
	}
	e := v.edits[k]
	if p < int(e.ve) {
		return int(e.oe)
	}
	return p + int(e.oe) - int(e.ve)
}

// Trim narrows the span [start, end) of text (the text v is the view of)
// where an edge falls in a run of bare formatting tags the view removed
// ("<b>", "</i>", "<span>": elements of HTML named in lower case, with no
// attribute, no comment): a span that starts in or at such a run and goes
// on past it starts after it, one that ends in one, having started before
// it, ends before it. A detector that reads the text itself can take a
// tag's bytes for part of a word ("<b>Orsolya" tokenised "<" "b>Orsolya");
// trimmed, its finding covers the value and not half a tag, so that an
// edit on it keeps the markup whole. Nothing else is trimmed: a removed
// run with an attribute value, a comment or a name that is no formatting
// element may hold readable text, and a span inside a run is left whole,
// so a value is never left out. Trim never widens a span, keeps rune
// boundaries, and an empty span stays empty.
func (v View) Trim(text string, start, end int) (int, int) {
	start, end = max(0, start), max(0, end)
	if len(v.edits) == 0 || end <= start {
		return start, end
	}
	// the removal holding start: the last edit with os <= start
	k := sort.Search(len(v.edits), func(i int) bool { return int(v.edits[i].os) > start }) - 1
	if k >= 0 {
		if e := v.edits[k]; e.vs == e.ve && start < int(e.oe) && end > int(e.oe) && bareTags(text[e.os:e.oe]) {
			start = int(e.oe)
		}
	}
	// the removal holding end: the first edit with oe >= end
	k = sort.Search(len(v.edits), func(i int) bool { return int(v.edits[i].oe) >= end })
	if k < len(v.edits) {
		if e := v.edits[k]; e.vs == e.ve && int(e.os) < end && start < int(e.os) && bareTags(text[e.os:e.oe]) {
			end = int(e.os)
		}
	}
	return start, end
}

// bareTags reports whether s is a run of one or more start or end tags
// of formatting elements with no attribute ("<b>", "</span >", "<br/>").
func bareTags(s string) bool {
	if s == "" {
		return false
	}
	for s != "" {
		if s[0] != '<' {
			return false
		}
		s = strings.TrimPrefix(s[1:], "/")
		n := 0
		for n < len(s) && ('a' <= s[n] && s[n] <= 'z' || n > 0 && '1' <= s[n] && s[n] <= '6') {
			n++
		}
		if !formatting[s[:n]] {
			return false
		}
		s = strings.TrimLeft(s[n:], " \t")
		s = strings.TrimPrefix(s, "/")
		if s == "" || s[0] != '>' {
			return false
		}
		s = s[1:]
	}
	return true
}

// formatting are the HTML elements (WHATWG HTML, text-level and grouping
// elements) that wrap a name in Markdown or a pasted fragment.
var formatting = map[string]bool{
	"a": true, "abbr": true, "b": true, "big": true, "blockquote": true, "br": true, "center": true, "cite": true,
	"code": true, "del": true, "dfn": true, "div": true, "em": true, "font": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "i": true, "ins": true, "kbd": true, "li": true, "mark": true, "ol": true,
	"p": true, "pre": true, "q": true, "s": true, "samp": true, "small": true, "span": true, "strike": true,
	"strong": true, "sub": true, "sup": true, "td": true, "th": true, "tr": true, "tt": true, "u": true, "ul": true, "var": true,
}

// Invisible reports whether r is a character a reader does not see
// between or inside words: the soft hyphen, the zero-width space,
// non-joiner and joiner, the word joiner and invisible operators, the
// byte-order mark (zero-width no-break space), the Mongolian vowel
// separator.
func Invisible(r rune) bool {
	switch r {
	case '\u00AD', '\u180E', '\u200B', '\u200C', '\u200D', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\uFEFF',
		// bidirectional marks, embeddings, overrides and isolates: they
		// order what a reader sees, and are no letter of it
		'\u200E', '\u200F', '\u061C', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069':
		return true
	}
	return false
}

// asciiForm returns the ASCII character a reader reads r as, for the
// forms of digits, spaces and hyphens that detectors written for ASCII do
// not match: decimal digits of every script and the fullwidth ones
// ("４８２１", "٤٨٢١" read "4821"), fullwidth punctuation ("（", "／"),
// no-break and fixed-width spaces (U+00A0, U+2000–U+200A, U+202F, U+205F,
// U+3000) and the hyphen, no-break hyphen and minus sign.
func asciiForm(r rune) (rune, bool) {
	switch {
	case r < utf8.RuneSelf:
		return r, false
	case 0xFF01 <= r && r <= 0xFF5E && !unicode.IsLetter(r):
		return r - 0xFEE0, true
	case unicode.IsDigit(r):
		// Decimal digits (Nd) come in runs of whole sets, zero to nine.
		z := r
		for z > 0 && r-z < 60 && unicode.IsDigit(z-1) {
			z--
		}
		return '0' + (r-z)%10, true
	case r == '\u00A0' || '\u2000' <= r && r <= '\u200A' || r == '\u202F' || r == '\u205F' || r == '\u3000':
		return ' ', true
	case r == '\u2010' || r == '\u2011' || r == '\u2212' || r == '\uFE63':
		return '-', true
	}
	return r, false
}

// override writes to the view the run of a right-to-left override that
// starts at i (U+202E, up to its U+202C or the end of the line) as a
// reader sees it: its characters in reverse order ("\u202Eybnall\u202C"
// reads "llanby"), bidirectional controls left out. The run is one edit:
// a finding inside it covers the whole run.
func (b *builder) override(i int) int {
	t := b.text
	j := i + len("\u202E")
	end := len(t)
	for k := j; k < len(t); {
		r, n := utf8.DecodeRuneInString(t[k:])
		if r == '\u202C' {
			end = k + n
			break
		}
		if r == '\n' || r == '\r' || r == '\u2029' {
			end = k
			break
		}
		k += n
	}
	inner := t[j:end]
	inner = strings.TrimSuffix(inner, "\u202C")
	rs := []rune(inner)
	b.flush(i)
	v := int32(b.out.Len())
	for k := len(rs) - 1; k >= 0; k-- {
		if !Invisible(rs[k]) {
			b.out.WriteRune(rs[k])
		}
	}
	b.edits = append(b.edits, edit{vs: v, ve: int32(b.out.Len()), os: int32(i), oe: int32(end)})
	b.copied = end
	return end
}

//go:generate sh -c "go run ./internal/confgen > data/latin.txt"
//go:embed data/latin.txt
var latinData []byte

var latin = parseLatin(latinData)

func parseLatin(data []byte) map[rune]rune {
	m := map[rune]rune{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		a, b, ok := strings.Cut(line, " ")
		x, err1 := strconv.ParseUint(a, 16, 32)
		y, err2 := strconv.ParseUint(b, 16, 32)
		if !ok || err1 != nil || err2 != nil {
			panic("textform: data/latin.txt: bad line " + strconv.Quote(line))
		}
		m[rune(x)] = rune(y)
	}
	return m
}

// Latin returns the Latin letter that r looks like, when r is a letter
// that is not itself Latin (or a Latin form such as dotless "ı" or
// fullwidth "Ｓ") and Unicode's confusables (TR39) map it to one: "а"
// (Cyrillic) gives "a", "Ο" (Greek) gives "O". The table is
// data/latin.txt.
func Latin(r rune) (rune, bool) {
	if r < utf8.RuneSelf {
		return r, false
	}
	l, ok := latin[r]
	return l, ok
}

// isWord reports whether r is part of a word: a letter, digit or mark.
func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Of returns the view of text. It reads text once; when there is nothing
// to see through (the common case) it allocates nothing and the view is
// the text.
func Of(text string) View {
	if len(text) > math.MaxInt32 {
		panic("textform: text longer than 2 GiB")
	}
	if plainASCII(text) {
		return View{Text: text}
	}
	b := builder{text: text}
	b.run()
	if len(b.edits) == 0 {
		return View{Text: text}
	}
	b.flush(len(text))
	return View{Text: b.out.String(), edits: b.edits}
}

type builder struct {
	text   string
	out    strings.Builder
	copied int // text[:copied] is in out (or replaced by edits)
	edits  []edit
	// latinText: 0 not known yet, 1 no, 2 the text is mostly Latin.
	latinText int
}

// flush copies text[copied:to] to the view.
func (b *builder) flush(to int) {
	if to > b.copied {
		if len(b.edits) == 0 {
			b.out.Grow(len(b.text))
		}
		b.out.WriteString(b.text[b.copied:to])
		b.copied = to
	}
}

// remove drops text[s:e] from the view.
func (b *builder) remove(s, e int) {
	b.flush(s)
	v := int32(b.out.Len())
	if n := len(b.edits); n > 0 && b.edits[n-1].oe == int32(s) && b.edits[n-1].vs == b.edits[n-1].ve && b.edits[n-1].ve == v {
		b.edits[n-1].oe = int32(e) // extend the removal before
	} else {
		b.edits = append(b.edits, edit{vs: v, ve: v, os: int32(s), oe: int32(e)})
	}
	b.copied = e
}

// replace writes r in place of the rune text[s:e].
func (b *builder) replace(s, e int, r rune) {
	b.flush(s)
	v := int32(b.out.Len())
	b.out.WriteRune(r)
	b.edits = append(b.edits, edit{vs: v, ve: int32(b.out.Len()), os: int32(s), oe: int32(e)})
	b.copied = e
}

func (b *builder) run() {
	t := b.text
	var st tagState
	prevWord := false // the rune before i is part of a word
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			if c == '&' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<' {
				if j, r, ok := markup(t, i, prevWord, &st); ok {
					if r < 0 || Invisible(r) {
						b.remove(i, j) // the word goes on: prevWord unchanged
					} else {
						b.replace(i, j, r)
						prevWord = isWord(r)
					}
					i = j
					continue
				}
			}
			switch {
			case c == '-' && prevWord:
				if j, ok := lineBreakHyphen(t, i); ok {
					b.remove(i, j)
					i = j
					continue
				}
			case !prevWord && isASCIILetter(c):
				if j, ok := b.letterSpaced(i); ok {
					i, prevWord = j, true
					continue
				}
			}
			prevWord = isASCIILetter(c) || '0' <= c && c <= '9'
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		switch {
		case r == '\u202E':
			i, prevWord = b.override(i), false
			continue
		case Invisible(r):
			b.remove(i, i+n)
			i += n
			continue // prevWord unchanged: the word goes on
		case unicode.Is(unicode.Mn, r) && afterDigit(t, i):
			// a combining mark on a digit ("4̅8̅2̅", an overline or a
			// strike): no digit has one, a reader reads the digit
			b.remove(i, i+n)
			i += n
			continue
		case r == '\u2010' && prevWord:
			if j, ok := lineBreakHyphen(t, i); ok {
				b.remove(i, j)
				i = j
				continue
			}
		case !prevWord && unicode.IsLetter(r):
			if j, ok := b.letterSpaced(i); ok {
				i, prevWord = j, true
				continue
			}
		}
		if a, ok := asciiForm(r); ok {
			b.replace(i, i+n, a)
			i, prevWord = i+n, isWord(a)
			continue
		}
		if isLookAlike(r) {
			ws, j := wordBack(t, i), wordEnd(t, i)
			b.word(ws, max(ws, b.copied), j)
			i, prevWord = j, true
			continue
		}
		prevWord = isWord(r)
		i += n
	}
}

// afterDigit reports whether the rune before t[i], past combining marks,
// is a decimal digit.
func afterDigit(t string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(t[:i])
		if !unicode.Is(unicode.Mn, r) {
			return unicode.IsDigit(r)
		}
		i -= n
	}
	return false
}

// letterSpaced reads a letter-spaced name at i, the start of a word:
// three letters or more, each alone, separated by one space or one hyphen
// (isSpacing: "M A R I A", "S-A-N-D-O-V-A-L"), and after it, across a wider gap of
// blanks, more such groups of two letters or more ("M A R I A   S A N D O
// V A L"). It writes the groups closed up, one space between them, and
// returns the end of the last group.
func (b *builder) letterSpaced(i int) (int, bool) {
	t := b.text
	end, ok := spacedGroup(t, i, 3)
	if !ok {
		return 0, false
	}
	for {
		// Between letters alone, every byte that is not a letter's is a
		// separator.
		for k := i; k < end; {
			r, n := utf8.DecodeRuneInString(t[k:])
			if !unicode.IsLetter(r) {
				b.remove(k, k+n)
			}
			k += n
		}
		// The gap to the next group: two to six blanks (more is a
		// column or a blanked-out word, not a space between words).
		j := end
		for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
			j++
		}
		if j-end < 2 || j-end > 6 {
			return end, true
		}
		next, ok := spacedGroup(t, j, 2)
		if !ok {
			return end, true
		}
		b.remove(end+1, j) // keep one blank
		i, end = j, next
	}
}

// spacedGroup reads letters separated by single spaces or hyphens
// (isSpacing, the same throughout) from i: at least min letters, each a single rune with
// no word rune before or after it. It returns the end of the group.
func spacedGroup(t string, i, min int) (end int, ok bool) {
	var sep rune
	letters := 0
	for {
		r, n := utf8.DecodeRuneInString(t[i:])
		if !unicode.IsLetter(r) {
			break
		}
		after, _ := utf8.DecodeRuneInString(t[i+n:])
		if i+n < len(t) && (isWord(after) || Invisible(after)) {
			break // not a letter alone
		}
		letters++
		end = i + n
		s, sn := utf8.DecodeRuneInString(t[end:])
		if !isSpacing(s) || sep != 0 && s != sep {
			break
		}
		next, _ := utf8.DecodeRuneInString(t[end+sn:])
		if !unicode.IsLetter(next) {
			break
		}
		sep = s
		i = end + sn
	}
	if letters < min {
		return 0, false
	}
	return end, true
}

// isSpacing reports whether r separates the letters of a letter-spaced
// word: a space (also no-break and thin) or a hyphen.
func isSpacing(r rune) bool {
	switch r {
	case ' ', '-', '\u00A0', '\u2009', '\u200A', '\u202F', '\u2010', '\u2011':
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// lineBreakHyphen reports whether the hyphen at i ends a line inside a
// word: a letter before it (the caller checks), then at most two blanks
// (a line's trailing space; more is a gap, not hyphenation), a line
// break, optional indentation and a letter. It returns the offset of
// that letter.
func lineBreakHyphen(t string, i int) (int, bool) {
	_, n := utf8.DecodeRuneInString(t[i:])
	j := skipBlanks(t, i+n)
	if j-(i+n) > 2 {
		return 0, false
	}
	switch {
	case strings.HasPrefix(t[j:], "\r\n"):
		j += 2
	case j < len(t) && t[j] == '\n':
		j++
	default:
		return 0, false
	}
	j = skipBlanks(t, j)
	r, _ := utf8.DecodeRuneInString(t[j:])
	return j, j < len(t) && unicode.IsLetter(r)
}

func skipBlanks(t string, j int) int {
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	return j
}

// wordBack returns the start of the word (word runes and invisible
// characters between them) that goes on at i.
func wordBack(t string, i int) int {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(t[:i])
		if !isWord(r) && !Invisible(r) {
			break
		}
		i -= n
	}
	return i
}

// wordEnd returns the end of the word (word runes and invisible
// characters between them) that starts at i.
func wordEnd(t string, i int) int {
	for i < len(t) {
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isWord(r) && !Invisible(r) {
			break
		}
		i += n
	}
	return i
}

// word writes text[from:e] of the word text[s:e] to the view: invisible
// characters removed, and where the word is Latin, or made only of
// letters that look Latin in a mostly Latin text, its look-alike letters
// made Latin.
func (b *builder) word(s, from, e int) {
	t := b.text
	latinLetters, lookAlikes, others := 0, 0, 0
	for _, r := range t[s:e] {
		switch {
		case !unicode.IsLetter(r):
		case r < utf8.RuneSelf || unicode.Is(unicode.Latin, r) && !isLookAlike(r):
			latinLetters++
		case isLookAlike(r):
			lookAlikes++
		default:
			others++
		}
	}
	mapLetters := lookAlikes > 0 && (latinLetters > 0 || others == 0 && b.mostlyLatin())
	for i := from; i < e; {
		r, n := utf8.DecodeRuneInString(t[i:])
		switch {
		case Invisible(r):
			b.remove(i, i+n)
		case mapLetters && isLookAlike(r):
			l, _ := Latin(r)
			b.replace(i, i+n, l)
		}
		i += n
	}
}

// isLookAlike reports whether the view makes r Latin: a letter of
// another script that looks like a Latin one, or a fullwidth Latin
// letter. Latin letters of the table that are letters of some language
// ("ı" in Turkish, "ɑ") stay as they are: they hide nothing (Fold, which
// compares, still reads them as their look-alike).
func isLookAlike(r rune) bool {
	if _, ok := Latin(r); !ok {
		return false
	}
	return !unicode.Is(unicode.Latin, r) || 0xFF21 <= r && r <= 0xFF5A
}

// mostlyLatin reports whether most letters of the text are Latin; it
// reads the text the first time only.
func (b *builder) mostlyLatin() bool {
	if b.latinText == 0 {
		lat, other := 0, 0
		for _, r := range b.text {
			switch {
			case r < utf8.RuneSelf:
				if isASCIILetter(byte(r)) {
					lat++
				}
			case unicode.Is(unicode.Latin, r):
				lat++
			case unicode.IsLetter(r):
				other++
			}
		}
		b.latinText = 1
		if lat > other {
			b.latinText = 2
		}
	}
	return b.latinText == 2
}

// Byte classes of plainASCII.
const (
	asciiLetter = 1 << iota // A-Z, a-z
	asciiWord               // a letter or a digit
	asciiStop               // a byte where the view may start to differ
)

var asciiClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case isASCIILetter(byte(c)):
			t[c] = asciiLetter | asciiWord
		case '0' <= c && c <= '9':
			t[c] = asciiWord
		case c == ' ' || c == '-' || c >= utf8.RuneSelf || c == '&' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<':
			t[c] = asciiStop
		}
	}
	return t
}()

// markup reads, at i, markup that a reader of Markdown or HTML does not
// see as characters: a character reference ("&#79;", "&#x61;", "&amp;",
// "&nbsp;" read as a space), a backslash before ASCII punctuation ("\\@"
// reads "@"), a run of emphasis asterisks inside a word or closing one
// ("Or**solya**": prevWord, and no digit after the run), or underscores
// between two words ("Orsolya_Quillanby" reads "Orsolya Quillanby"). It
// returns the end
// of the markup and the rune it reads as (-1: nothing, the markup is
// left out).
func markup(t string, i int, prevWord bool, st *tagState) (end int, r rune, ok bool) {
	switch t[i] {
	case '&':
		j := i + 1
		if j < len(t) && t[j] == '#' {
			j++
			base := 10
			if j < len(t) && (t[j] == 'x' || t[j] == 'X') {
				base, j = 16, j+1
			}
			v, k := 0, j
			for k < len(t) && k-j < 7 {
				d := hexValue(t[k])
				if d < 0 || d >= base {
					break
				}
				v = v*base + d
				k++
			}
			if k == j || k >= len(t) || t[k] != ';' || v == 0 || !utf8.ValidRune(rune(v)) {
				return 0, 0, false
			}
			return k + 1, rune(v), true
		}
		for name, r := range namedRefs {
			if strings.HasPrefix(t[j:], name) {
				return j + len(name), r, true
			}
		}
	case '\\':
		if i+1 < len(t) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", t[i+1]) >= 0 {
			return i + 1, -1, true
		}
	case '_':
		// Underscores join the words of identifiers, paths and file
		// names ("Orsolya_Quillanby", "DOB_1961-03-11"), where a
		// pattern's \b sees no boundary; Markdown does not emphasise
		// inside a word with them. Read as a space, as file names are
		// read (filename.Text).
		j := i
		for j < len(t) && t[j] == '_' {
			j++
		}
		if r, _ := utf8.DecodeRuneInString(t[j:]); prevWord && j < len(t) && isWord(r) {
			return j, ' ', true
		}
	case '<':
		// HTML tags or comments, which a reader of Markdown or HTML does
		// not see: a run of well-formed ones, any number, any length,
		// glued inside a word ("Qu<b></b>illanby", "Quill<!-- -->anby",
		// "4821<i></i>3907") or at a word's edge ("<b title=\"x\">Orsolya
		// Quillanby</b>", "<i>Quill</i>anby"): a letter or digit before
		// or after the run. Left in, they glue to the word for a
		// tokenizer ("b>Orsolya"), and a name wrapped in them is not read
		// as it is in plain text (safety review, session 34). A run with
		// no word next to it changes nothing a detector reads and is
		// left as is, and so is a "<" that starts no well-formed tag.
		j := st.run(t, i)
		if j == i {
			return 0, 0, false
		}
		if r, _ := utf8.DecodeRuneInString(t[min(j, len(t)):]); prevWord || j < len(t) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return j, -1, true
		}
	case '*', '`':
		// emphasis, or a code span's backticks ("`Quill`anby")
		if !prevWord {
			return 0, 0, false
		}
		j := i
		for j < len(t) && t[j] == t[i] && j-i < 3 {
			j++
		}
		// inside a word ("Or**solya"), or closing one ("solya** ",
		// "lanby*,"): not before a digit ("2*3")
		if r, _ := utf8.DecodeRuneInString(t[j:]); j == len(t) || unicode.IsLetter(r) || !isWord(r) {
			return j, -1, true
		}
	}
	return 0, 0, false
}

// tagState keeps what markup learnt of the HTML of one text, so that it
// reads each byte a bounded number of times whatever the text: the last
// run of tags it read, and the last search for the end of a comment.
type tagState struct {
	// The last run of tags read from its start ended at runEnd; ends
	// holds the ends of its comments, in order. A run that starts inside
	// it (at a "<" in one of its comments) and reaches one of those
	// ends goes on as it did: it ends at runEnd.
	runEnd int
	ends   []int
	// t[from:at] holds no "-->" and one starts at at (at < 0: none
	// after from); valid once a comment was read.
	from, at int
	valid    bool
	// quotes[k] is the same for the quote character quoteChars[k]: the
	// last search for the end of a quoted attribute value.
	quotes [2]struct {
		from, at int
		valid    bool
	}
}

// quoteChars are the quotes of HTML attribute values.
const quoteChars = "\"'"

// closeQuote returns the index of the first quote c (a quoteChars
// character) at or after from, -1 if there is none, through the kept
// search: a search that starts inside the last one's stretch costs
// nothing.
func (st *tagState) closeQuote(t string, from int, c byte) int {
	q := &st.quotes[strings.IndexByte(quoteChars, c)]
	if !q.valid || from < q.from || q.at >= 0 && from > q.at {
		q.from, q.at, q.valid = from, -1, true
		if k := strings.IndexByte(t[from:], c); k >= 0 {
			q.at = from + k
		}
	}
	return q.at
}

// run reads the run of well-formed tags and comments at i (a "<") and
// returns its end (i: none). Runs start in order along the text.
func (st *tagState) run(t string, i int) int {
	own := i >= st.runEnd
	if own {
		st.ends = st.ends[:0]
	}
	j := i
	for j < len(t) && t[j] == '<' {
		if !own {
			if _, seen := slices.BinarySearch(st.ends, j); seen {
				return st.runEnd
			}
		}
		k, ok := st.tag(t, j)
		if !ok {
			break
		}
		if own && t[j+1] == '!' {
			st.ends = append(st.ends, k)
		}
		j = k
	}
	if own {
		st.runEnd = j
	}
	return j
}

// tag reads an HTML start or end tag ("<b>", "</span>", "<span
// class=x title=\"a>b\">") or comment ("<!-- x -->") at i and returns
// its end. A quoted attribute value may hold ">" and "<" (HTML's
// attribute value states, WHATWG HTML 13.2.5.36-37: only the quote ends
// it), so `<span title="a<b">` is one tag, not a tag "<b"> inside a
// value; a tag or comment may hold line breaks. Outside quoted values a
// tag holds no "<" (it would not be well formed: it is left as text).
// Reading a tag costs the bytes up to the next "<" outside its quoted
// values; the searches for the end of a comment and of a quoted value
// are kept, and a "<" inside a quoted value whose own reading reaches
// past the value's end is the last "<" before it, so a byte is read by a
// bounded number of tags.
func (st *tagState) tag(t string, i int) (int, bool) {
	if strings.HasPrefix(t[i:], "<!--") {
		from := i + 4
		if !st.valid || from < st.from || st.at >= 0 && from > st.at {
			st.from, st.at, st.valid = from, -1, true
			if k := strings.Index(t[from:], "-->"); k >= 0 {
				st.at = from + k
			}
		}
		if st.at < 0 {
			return 0, false
		}
		return st.at + 3, true
	}
	j := i + 1
	if j < len(t) && t[j] == '/' {
		j++
	}
	n := j
	for j < len(t) && (isASCIILetter(t[j]) || j > n && ('0' <= t[j] && t[j] <= '9' || t[j] == '-' || t[j] == ':')) {
		j++
	}
	if j == n {
		return 0, false
	}
	for j < len(t) {
		switch c := t[j]; c {
		case '>':
			return j + 1, true
		case '<':
			return 0, false
		case '"', '\'':
			if j = st.closeQuote(t, j+1, c); j < 0 {
				return 0, false
			}
		}
		j++
	}
	return 0, false
}

// namedRefs are the character references of HTML that prose uses, with
// their terminating semicolon.
var namedRefs = map[string]rune{"amp;": '&', "lt;": '<', "gt;": '>', "quot;": '"', "apos;": '\'', "nbsp;": ' '}

func hexValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// plainASCII reports, in one pass over the bytes of text, that Of has
// nothing to see through in it: text is ASCII (so holds no invisible
// character, look-alike letter or Unicode hyphen), no hyphen is followed
// by a line break (after at most two blanks, as lineBreakHyphen asks),
// and no letter alone is followed by a space or hyphen, a letter, the
// same separator and a letter (the least a letter-spaced word is,
// spacedGroup). False only means that run must read the text: most texts
// pass (prose, markup, identifiers), and for them the view is the text.
func plainASCII(t string) bool {
	var st tagState
	for i := 0; i < len(t); i++ {
		c := t[i]
		if asciiClass[c]&asciiStop == 0 {
			continue
		}
		if c >= utf8.RuneSelf {
			return false
		}
		if c == '&' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<' {
			if _, _, ok := markup(t, i, i > 0 && asciiClass[t[i-1]]&asciiWord != 0, &st); ok {
				return false
			}
			continue
		}
		if c == '-' {
			j := i + 1
			for j < len(t) && j-(i+1) <= 2 && (t[j] == ' ' || t[j] == '\t') {
				j++
			}
			if j < len(t) && (t[j] == '\n' || t[j] == '\r') {
				return false
			}
		}
		// c is a space or a hyphen: t[i-1] a letter alone, then a letter,
		// the same separator and a letter.
		if i >= 1 && i+3 < len(t) && asciiClass[t[i-1]]&asciiLetter != 0 && asciiClass[t[i+1]]&asciiLetter != 0 &&
			t[i+2] == c && asciiClass[t[i+3]]&asciiLetter != 0 && (i < 2 || asciiClass[t[i-2]]&asciiWord == 0) {
			return false
		}
	}
	return true
}
