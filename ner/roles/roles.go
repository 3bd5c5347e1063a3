// Package roles reads the roles of the people a text names (client,
// minor) from the words around their names.
package roles

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// Roles are read from the words around a name, within one part of a
// document. The detectors do not know roles; the plan asks Cues about the
// person findings the detectors made (see profiles.Role):
//
//   - client: a role word right before the name on its line ("Client:
//     Maria Sandoval", "| Patient | Walter J. Brennan |", "I am referring
//     **Maria Sandoval**") or right after it ("Maria Sandoval (the client)").
//   - minor: in the same sentence as the name, a role word ("a minor",
//     "minor child"), an age under 18 ("aged 16", "a 12-year-old",
//     "twelve years old"), or a birth year less than 19 years before the
//     document's year (the latest year it mentions that is not a birth year
//     and not after the reference year).

// Cues reads roles with one set of role words. It is immutable and safe
// for concurrent use.
type Cues struct {
	clientWords, minorWords []string
	maxClient               int // bytes of the longest client word
	isTitle                 func(word string) bool
}

// New returns the cues of the words that mark a client and a minor (any
// case; runs of white space count as one space). isTitle reports whether
// a word (any case, with or without a full stop) is a title such as "Mr"
// or "Dr": a full stop after one does not end a sentence.
func New(clientWords, minorWords []string, isTitle func(word string) bool) *Cues {
	c := &Cues{clientWords: lowerWords(clientWords), minorWords: lowerWords(minorWords), isTitle: isTitle}
	for _, w := range c.clientWords {
		// upper case may take more bytes than lower ("ſ", "ı"): room for that
		c.maxClient = max(c.maxClient, 2*len(w))
	}
	return c
}

func lowerWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if w = strings.ToLower(strings.Join(strings.Fields(w), " ")); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// Client reports whether the person finding f of text is introduced as the
// client. It reads a bounded window around f, so asking about every
// finding of a long line costs time linear in the findings.
func (c *Cues) Client(text string, f ner.Finding) bool {
	return clientCue(text, f, c.clientWords, c.maxClient)
}

// Minors returns, for each cue in text that marks someone as a minor, the
// index in fs of the person finding it refers to (see nearestPerson), in
// the order of the cues; an index may repeat. fs are the resolved findings
// of text. refYear is the reference year for birth years. Its time is
// linear in the text and in fs.
func (c *Cues) Minors(text string, fs []ner.Finding, refYear int) []int {
	var out []int
	near := newPersonIndex(fs)
	for _, cue := range minorCues(text, c.minorWords, refYear) {
		if j := c.nearestPerson(text, fs, near, cue); j >= 0 {
			out = append(out, j)
		}
	}
	return out
}

// cueSlack is how many bytes of separators (white space, ":|*_-–—(#>")
// may stand between a role word and the name it introduces.
const cueSlack = 32

// clientCue reports whether the name at f is introduced as the client:
// a role word (of maxLen bytes at most) right before it on its line, or
// right after it.
func clientCue(text string, f ner.Finding, words []string, maxLen int) bool {
	// Only the end of the line before the name can hold the cue: look at
	// a window, not at the whole line (a long line has many names).
	from := max(0, f.Start-maxLen-cueSlack)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	lineStart := from
	if nl := strings.LastIndexByte(text[from:f.Start], '\n'); nl >= 0 {
		lineStart = from + nl + 1
	} else if from > 0 {
		// The window starts inside the line: keep the rune before it, so
		// that a word cut by the window does not pass for a whole one.
		_, n := utf8.DecodeLastRuneInString(text[:from])
		lineStart = from - n
	}
	before := strings.ToLower(strings.TrimRightFunc(text[lineStart:f.Start], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(":|*_-–—(#>", r)
	}))
	for _, w := range words {
		if strings.HasSuffix(before, w) && wordStart(before, len(before)-len(w)) && (len(before) > len(w) || lineStart == 0 || text[lineStart-1] == '\n') {
			return true
		}
	}
	// A label line of its own right above ("Client" / the name: a
	// two-column table flattened to one cell a line).
	if lineStart > 0 && strings.TrimSpace(text[lineStart:f.Start]) == "" && labelLineAbove(text, lineStart, words, maxLen) {
		return true
	}
	after := strings.ToLower(text[f.End:min(len(text), f.End+40)])
	// on the name's line: "(the client)", ", our patient"; a role word
	// that starts the next line labels what follows it
	after = strings.TrimLeftFunc(after, func(r rune) bool { return r != '\n' && unicode.IsSpace(r) || r == ',' || r == '(' })
	for _, art := range []string{"the ", "our ", "my ", "a "} {
		after = strings.TrimPrefix(after, art)
	}
	for _, w := range words {
		if strings.HasPrefix(after, w) && wordEnd(after, len(w)) {
			return true
		}
	}
	return false
}

// labelLineAbove reports whether the line that ends at lineStart-1 (a
// newline) holds nothing but one of words, with an optional colon: it
// reads at most maxLen+cueSlack bytes back.
func labelLineAbove(text string, lineStart int, words []string, maxLen int) bool {
	end := lineStart - 1
	from := max(0, end-maxLen-cueSlack)
	prev := text[from:end]
	nl := strings.LastIndexByte(prev, '\n')
	if nl < 0 && from > 0 {
		return false // the line above is longer than any label
	}
	prev = strings.ToLower(strings.TrimSpace(strings.TrimRight(strings.TrimSpace(prev[nl+1:]), ":")))
	for _, w := range words {
		if prev == w {
			return true
		}
	}
	return false
}

func wordStart(s string, i int) bool {
	if i <= 0 {
		return i == 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func wordEnd(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

const spelledAges = `one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen`

var (
	ageCueRe    = regexp.MustCompile(`(?i)\b(?:aged?[:\s]\s*([0-9]{1,2}|` + spelledAges + `)\b|([0-9]{1,2}|` + spelledAges + `)[- ](?:years?|yrs?)[- ]old\b|([0-9]{1,2}|` + spelledAges + `) years of age\b|([0-9]{1,2}) ?(?:yo|y/o)\b)`)
	birthCueRe  = regexp.MustCompile(`(?i)\b(?:born|DOB|D\.O\.B\.?|date of birth|birth ?date)\b`)
	yearRe      = regexp.MustCompile(`\b(1[89][0-9]{2}|20[0-9]{2})\b`)
	sentenceEnd = regexp.MustCompile(`[.!?]["')\]]*\s+["'(\[]?\p{Lu}|\n[ \t]*\n`)
)

// nearKey is a word that every match of an expression holds (lower
// case), with what must stand around it there: ok, when not nil, is
// given the lower-cased text and the key's offset, and false means that
// no match of the expression holds the key there.
type nearKey struct {
	key string
	ok  func(lower string, p int) bool
}

// ageCueKeys are the words every match of ageCueRe holds, each with what
// the match has around it: "aged 16" / "age: 16" (age, then d?[:\s]),
// "16-year-old" / "16 yrs old" / "16 years of age" (year or yr, then
// s?[- ]old or "s of age"), "16 yo" / "16y/o" (yo or y/o after a digit
// and a space at most). A key elsewhere opens no window.
var ageCueKeys = []nearKey{
	{"age", func(l string, p int) bool {
		q := p + len("age")
		if q < len(l) && l[q] == 'd' {
			q++
		}
		return q < len(l) && (l[q] == ':' || l[q] == ' ' || l[q] == '\t' || l[q] == '\n' || l[q] == '\f' || l[q] == '\r')
	}},
	{"yr", func(l string, p int) bool { return yearsOld(l, p+len("yr")) }},
	{"year", func(l string, p int) bool {
		q := p + len("year")
		return yearsOld(l, q) || strings.HasPrefix(l[q+longS(l, q):], " of age") && longS(l, q) > 0
	}},
	{"yo", afterAge},
	{"y/o", afterAge},
}

// yearsOld reports whether l continues at q with s?[- ]old.
func yearsOld(l string, q int) bool {
	q += longS(l, q)
	return q < len(l) && (l[q] == ' ' || l[q] == '-') && strings.HasPrefix(l[q+1:], "old")
}

// longS returns the length of an s at q of l: 1, or 2 for the long s
// (ſ), which the expressions' (?i) also takes for one; 0 for no s.
func longS(l string, q int) int {
	switch {
	case q < len(l) && l[q] == 's':
		return 1
	case strings.HasPrefix(l[q:], "ſ"):
		return len("ſ")
	}
	return 0
}

// afterAge reports whether a digit, and a space at most, stands before p.
func afterAge(l string, p int) bool {
	if p > 0 && l[p-1] == ' ' {
		p--
	}
	return p > 0 && l[p-1] >= '0' && l[p-1] <= '9'
}

// birthCueKeys are the words every match of birthCueRe holds.
var birthCueKeys = []nearKey{{key: "born"}, {key: "dob"}, {key: "d.o.b"}, {key: "birth"}}

// nearMargin is how far from a key a match of findNear's expressions can
// reach: their matches are a few words long.
const nearMargin = 48

// findNear returns what re.FindAllStringSubmatchIndex(text, -1) returns,
// for an expression whose every match holds one of keys (lower case,
// found in lower, the lower-cased text of the same length) within
// nearMargin bytes of the match's ends, not after a letter. It runs re only on windows around
// the keys, snapped to white space so that  means what it means in the
// whole text: scanning all of a long text with a case-insensitive
// alternation costs more than the rest of planning.
func findNear(re *regexp.Regexp, text, lower string, keys []nearKey) [][]int {
	if len(lower) != len(text) {
		return re.FindAllStringSubmatchIndex(text, -1)
	}
	var wins []span
	for _, nk := range keys {
		k := nk.key
		for i := 0; ; {
			j := strings.Index(lower[i:], k)
			if j < 0 {
				break
			}
			p := i + j
			i = p + 1
			if p > 0 && lower[p-1] >= 'a' && lower[p-1] <= 'z' {
				continue // inside a word ("damage"): no \b before the key
			}
			if nk.ok != nil && !nk.ok(lower, p) {
				continue // no match holds the key here
			}
			wins = append(wins, span{max(0, p-nearMargin), min(len(text), p+len(k)+nearMargin)})
		}
	}
	if len(wins) == 0 {
		return nil
	}
	sort.Slice(wins, func(a, b int) bool { return wins[a].start < wins[b].start })
	var merged []span
	for _, w := range wins {
		// Snap to white space, but not back past the last window (they
		// merge) nor forward within it: in a text without white space,
		// snapping every window to the ends would read the text once per
		// key.
		floor := 0
		if n := len(merged); n > 0 {
			floor = merged[n-1].end
		}
		for w.start > floor && !asciiSpace(text[w.start-1]) {
			w.start--
		}
		if n := len(merged); n > 0 && w.start <= merged[n-1].end {
			if w.end > merged[n-1].end {
				for w.end < len(text) && !asciiSpace(text[w.end]) {
					w.end++
				}
				merged[n-1].end = w.end
			}
			continue
		}
		for w.end < len(text) && !asciiSpace(text[w.end]) {
			w.end++
		}
		merged = append(merged, w)
	}
	var out [][]int
	for _, w := range merged {
		for _, m := range re.FindAllStringSubmatchIndex(text[w.start:w.end], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += w.start
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// years returns the offsets of what yearRe.FindAllStringIndex(text, -1)
// finds (four bytes each), without running the expression over the whole
// text: a year of 1800-2099 between ASCII word boundaries.
func years(text string) []int {
	var out []int
	for i := 0; i+4 <= len(text); i++ {
		c := text[i]
		if c != '1' && c != '2' || i > 0 && isASCIIWord(text[i-1]) {
			continue
		}
		c1 := text[i+1]
		if !(c == '1' && (c1 == '8' || c1 == '9') || c == '2' && c1 == '0') ||
			!isDigit(text[i+2]) || !isDigit(text[i+3]) || i+4 < len(text) && isASCIIWord(text[i+4]) {
			continue
		}
		out = append(out, i)
		i += 3
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isASCIIWord reports whether b is a word byte of the regexp package's \b.
func isASCIIWord(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

// nearLower returns lower (strings.ToLower(text)) when it is as long as
// text, else text with its ASCII letters lower-cased: findNear needs
// offsets that agree with text's, and its keys are ASCII words whose
// letters no other rune folds to (no k, no s), so ASCII lower-casing
// finds them where ToLower does. Without it, a text with one rune that
// lower-cases to another length ("İ") was scanned whole.
func nearLower(text, lower string) string {
	if len(lower) == len(text) {
		return lower
	}
	b := []byte(text)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func asciiSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

var spelled = func() map[string]int {
	m := map[string]int{}
	for i, w := range strings.Split(spelledAges, "|") {
		m[w] = i + 1
	}
	return m
}()

// minorWordFollowers are the words after "minor" that make it a noun or
// mark a minor ("a minor aged 16", "minor child"), unlike "a minor injury".
var minorWordFollowers = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range lexicon.MustSet("minor-followers").Words() {
		m[w] = true
	}
	return m
}()

type span struct{ start, end int }

// minorCues returns the spans of the text that mark someone as a minor.
func minorCues(text string, words []string, refYear int) []span {
	var out []span
	lower := strings.ToLower(text)
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(lower[i:], w)
			if j < 0 {
				break
			}
			s, e := i+j, i+j+len(w)
			i = e
			if !wordStart(lower, s) || !wordEnd(lower, e) {
				continue
			}
			if strings.HasSuffix(w, "minor") || w == "juvenile" || w == "infant" {
				next := strings.TrimLeft(lower[e:min(len(lower), e+20)], " \t")
				nw := strings.FieldsFunc(next, func(r rune) bool { return !unicode.IsLetter(r) })
				if next != "" && unicode.IsLetter(rune(next[0])) && len(nw) > 0 && !minorWordFollowers[nw[0]] {
					continue // "a minor injury"
				}
			}
			out = append(out, span{s, e})
		}
	}
	near := nearLower(text, lower)
	for _, m := range findNear(ageCueRe, text, near, ageCueKeys) {
		for g := 1; g <= 4; g++ {
			if m[2*g] < 0 {
				continue
			}
			v := strings.ToLower(text[m[2*g]:m[2*g+1]])
			n, err := strconv.Atoi(v)
			if err != nil {
				n = spelled[v]
			}
			if n < 18 {
				out = append(out, span{m[0], m[1]})
			}
		}
	}
	// Birth years, against the document's year.
	var cues, birthYears []span // the cue ("born") and its year
	for _, b := range findNear(birthCueRe, text, near, birthCueKeys) {
		if y := yearRe.FindStringIndex(text[b[1]:min(len(text), b[1]+30)]); y != nil {
			cues = append(cues, span{b[0], b[1]})
			birthYears = append(birthYears, span{b[1] + y[0], b[1] + y[1]})
		}
	}
	if len(birthYears) == 0 {
		return out
	}
	isBirth := make(map[int]bool, len(birthYears))
	for _, b := range birthYears {
		isBirth[b.start] = true
	}
	docYear := 0
	for _, y := range years(text) {
		if n, _ := strconv.Atoi(text[y : y+4]); !isBirth[y] && n <= refYear && n > docYear {
			docYear = n
		}
	}
	if docYear == 0 {
		docYear = refYear
	}
	for i, b := range birthYears {
		n, _ := strconv.Atoi(text[b.start:b.end])
		if age := docYear - n; age >= 0 && age <= 18 { // 18: may still be 17
			out = append(out, span{cues[i].start, b.end})
		}
	}
	return out
}

// Bounds of nearestPerson: how far before and after a cue the person it
// refers to may be.
const (
	personBefore = 80
	personAfter  = 60
)

// personIndex orders the findings of a text for nearestPerson's look-ups:
// by end and by start, so that the findings near a cue are found by binary
// search, not by reading them all.
type personIndex struct {
	byEnd, byStart []int // indices into the findings
}

func newPersonIndex(fs []ner.Finding) personIndex {
	var x personIndex
	for i, f := range fs {
		if f.Entity == ner.Person {
			x.byEnd = append(x.byEnd, i)
		}
	}
	x.byStart = append([]int(nil), x.byEnd...)
	sort.SliceStable(x.byEnd, func(a, b int) bool { return fs[x.byEnd[a]].End < fs[x.byEnd[b]].End })
	sort.SliceStable(x.byStart, func(a, b int) bool { return fs[x.byStart[a]].Start < fs[x.byStart[b]].Start })
	return x
}

// nearestPerson returns the index of the person finding in fs that a cue at
// c refers to: the closest one before it in the same sentence (within 80
// bytes), else the closest after it (within 60 bytes); -1 if none. Of
// several at the same distance (overlapping findings), the one that comes
// last in fs before the cue, first after it.
func (cs *Cues) nearestPerson(text string, fs []ner.Finding, x personIndex, c span) int {
	best := -1
	// Findings that end in [c.start-personBefore, c.start].
	k := sort.Search(len(x.byEnd), func(k int) bool { return fs[x.byEnd[k]].End >= c.start-personBefore })
	for ; k < len(x.byEnd) && fs[x.byEnd[k]].End <= c.start; k++ {
		i := x.byEnd[k]
		if i > best && !cs.crossesSentence(text, fs[i].End, c.start) {
			best = i
		}
	}
	if best >= 0 {
		return best
	}
	// Findings that start in [c.end, c.end+personAfter].
	k = sort.Search(len(x.byStart), func(k int) bool { return fs[x.byStart[k]].Start >= c.end })
	for ; k < len(x.byStart) && fs[x.byStart[k]].Start-c.end <= personAfter; k++ {
		i := x.byStart[k]
		if (best < 0 || i < best) && !cs.crossesSentence(text, c.end, fs[i].Start) {
			best = i
		}
	}
	return best
}

// crossesSentence reports whether a sentence ends between a and b. A full
// stop after a title or an initial ("Mr. Ellison", "J. Smith") does not
// end a sentence.
func (cs *Cues) crossesSentence(text string, a, b int) bool {
	for _, m := range sentenceEnd.FindAllStringIndex(text[a:b], -1) {
		if text[a+m[0]] != '.' {
			return true
		}
		ws := strings.Fields(text[max(0, a+m[0]-12) : a+m[0]])
		if len(ws) == 0 {
			return true
		}
		last := ws[len(ws)-1]
		if cs.isTitle(last) || utf8.RuneCountInString(last) == 1 {
			continue
		}
		return true
	}
	return false
}

// ClientLabel reports whether label, the header of a table column or the
// label of a form field (redactors.Part.Field), marks its value as the
// client: a client word alone, in any case, with any surrounding white
// space and a trailing colon ("Client", "Patient name:").
func (c *Cues) ClientLabel(label string) bool {
	l := strings.ToLower(strings.Join(strings.Fields(strings.TrimRight(strings.TrimSpace(label), ":")), " "))
	if l == "" {
		return false
	}
	for _, w := range c.clientWords {
		if l == w {
			return true
		}
	}
	return false
}
