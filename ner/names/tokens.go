package names

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// tok is one word of a text with what the rules need to know about it.
type tok struct {
	ner.Word
	allCaps  bool // two or more letters, none lower case
	initial  bool // one letter, upper case ("J" of "J. Starling")
	dot      bool // followed directly by '.'
	sentence bool // first word of a sentence, line or quotation
	digits   bool // only digits
	numeric  bool // holds a digit ("4L", "60s")
	common   bool // an ordinary word (safe-word list)
	extra    bool // in Veil's own list of ordinary words (never a name here)
	first    bool // a known given name
	last     bool // a known surname
	place    bool // the first word of a known place name
	// placeName is set for a word that is a known place name on its own.
	placeName bool
	// joined is set when the next word continues this one without a space
	// across an apostrophe or hyphen ("O'Neill", "Delacourte-Vogel").
	joined bool
	// ascii is set when the word is written in ASCII alone.
	ascii bool
	// cls is the set of this package's lists the key is in (classOf).
	cls class
	// on and off are the classes the word's context adds to cls and
	// takes from it (contextClasses).
	on, off class
}

// name reports whether the word can be a name by the lists: a known name,
// or a word that is not ordinary vocabulary (unknown surnames).
func (t *tok) name() bool { return !t.numeric && (t.first || t.last || (!t.common && !t.digits)) }

// strongName reports whether the word is a name the lists agree on: a known
// given name or surname that is not an ordinary word.
func (t *tok) strongName() bool { return (t.first || t.last) && !t.common }

// tokenize returns the words of text with what the rules need to know.
// The tokens are split and looked up once per text of a chain, shared by
// the rules and maximum recall (ner.Shared): read them, do not modify
// them.
func tokenize(ctx context.Context, text string) []tok {
	return ner.Shared(ctx, text, tokensKey{}, func() []tok {
		ws, flags, marks := gazetteer.MarksOf(ctx, text)
		return tokenizeWords(text, ws, flags, marks)
	})
}

// A word's classes (classOf of its key) are the gazetteer's marks
// (gazetteer.MarksOf): looked up with its flags, in the same cache of
// words seen, not in classes a second time for every word of a text.
func init() { gazetteer.SetMarker(func(key string) uint64 { return uint64(classOf(key)) }) }

type tokensKey struct{}

// tokenizeWords makes the tokens of text from its words ws, their flags
// and their marks (marks[i] is classOf(ws[i].Key), see init).
func tokenizeWords(text string, ws []ner.Word, flags []gazetteer.Flags, marks []uint64) []tok {
	out := make([]tok, len(ws))
	for i, w := range ws {
		t := tok{Word: w}
		letters, lower, digits := 0, 0, 0
		word := text[w.Start:w.End]
		ascii := true
		for i := 0; i < len(word); i++ {
			c := word[i]
			switch {
			case c >= utf8.RuneSelf:
				ascii = false
			case 'a' <= c && c <= 'z':
				letters++
				lower++
			case 'A' <= c && c <= 'Z':
				letters++
			case '0' <= c && c <= '9':
				digits++
			}
			if !ascii {
				break
			}
		}
		if !ascii {
			letters, lower, digits = 0, 0, 0
			for _, r := range word {
				switch {
				case unicode.IsLetter(r):
					letters++
					if unicode.IsLower(r) {
						lower++
					}
				case unicode.IsDigit(r):
					digits++
				}
			}
		}
		t.ascii = ascii
		t.cls = class(marks[i])
		t.allCaps = letters > 1 && lower == 0 && digits == 0
		t.initial = letters == 1 && digits == 0 && w.Capital && utf8.RuneCountInString(word) == 1
		t.dot = w.End < len(text) && text[w.End] == '.'
		t.digits = letters == 0
		t.numeric = digits > 0
		if !t.digits {
			f := flags[i]
			t.common, t.extra = f.Common(), f&gazetteer.Extra != 0
			t.first, t.last = f&gazetteer.First != 0, f&gazetteer.Last != 0
			t.place, t.placeName = f&gazetteer.Place != 0, f&gazetteer.PlaceName != 0
		}
		t.sentence = sentenceStart(text, w.Start)
		// "50'S." is no initial
		if t.initial && i > 0 && out[i-1].joined {
			t.initial = false
		}
		if t.initial && (w.Key == "i" || w.Key == "a") && !t.dot {
			t.initial = false
		}
		if i+1 < len(ws) {
			gap := text[w.End:ws[i+1].Start]
			t.joined = gap == "'" || gap == "’" || gap == "-" || gap == "‐" || gap == "\u2011" // U+2011: non-breaking hyphen
		}
		out[i] = t
	}
	contextClasses(text, out)
	return out
}

// capsReach is how many words on either side of a word of capsClinical
// another clinical abbreviation may stand to make it one too.
const capsReach = 3

// contextClasses sets the classes that a word's neighbours give or take:
//   - a word of capsClinical ("AMI") is a clinical abbreviation
//     when written in capitals and either no neighbour on its line is in
//     capitals ("to AMI 2 then") or a clinical abbreviation stands within
//     capsReach words on its line ("C AMI, HX C CABG"); "Ami", "ami" and
//     "MINOR CHILD: AMI" are names or places;
//   - a clinical abbreviation that is a known given name is none when a
//     word shaped like a name follows it on its line in the same case
//     ("PT: LUA QUILLANBY", "child ota everard") or a person cue comes
//     before it ("daughter lua called", "spoke with lis").
func contextClasses(text string, ts []tok) {
	sameLine := func(a, b int) bool { return !strings.ContainsAny(text[ts[a].End:ts[b].Start], "\n\r") }
	for i := range ts {
		t := &ts[i]
		if t.cls&cCapsClinical == 0 || !t.allCaps {
			continue
		}
		capsNext := i > 0 && sameLine(i-1, i) && ts[i-1].allCaps || i+1 < len(ts) && sameLine(i, i+1) && ts[i+1].allCaps
		near := false
		for k := max(0, i-capsReach); k <= min(len(ts)-1, i+capsReach) && !near; k++ {
			lo, hi := min(k, i), max(k, i)
			near = k != i && ts[k].cls&cClinicalAbbrev != 0 && sameLine(lo, hi)
		}
		if !capsNext || near {
			t.on |= cClinicalAbbrev
		}
	}
	for i := range ts {
		t := &ts[i]
		if !t.first || !t.is(cClinicalAbbrev) {
			continue
		}
		if i+1 < len(ts) && gapOK(text, t, &ts[i+1]) && nameShaped(t, &ts[i+1]) || personCueBefore(ts, i, sameLine) {
			t.off |= cClinicalAbbrev
		}
	}
}

// nameShaped reports whether x, the word after t, looks like a surname
// after it: in t's case, no digit, in a list of names or in no list,
// and no stop word, clinical abbreviation, title or role.
func nameShaped(t, x *tok) bool {
	if x.numeric || x.digits || x.allCaps != t.allCaps || x.Capital != t.Capital ||
		x.cls&(cStop|cClinicalAbbrev|cCapsClinical|cTitleStop|cTitleKey|cRoleWord|cRoleTitle|cRelation|cMeasureUnit) != 0 {
		return false
	}
	return x.first || x.last || !x.common
}

// personCueBefore reports whether a word that names a person comes just
// before word i on its line: a relation or person context ("daughter",
// "guardian"), "called" or "per", or "with" after spoke, discussed, talked
// or met, "by" after seen.
func personCueBefore(ts []tok, i int, sameLine func(a, b int) bool) bool {
	if i == 0 || !sameLine(i-1, i) {
		return false
	}
	p := &ts[i-1]
	if p.cls&(cRelation|cPersonContext) != 0 {
		return true
	}
	switch p.Key {
	case "called", "per":
		return true
	case "with", "by":
		if i < 2 || !sameLine(i-2, i-1) {
			return false
		}
		switch ts[i-2].Key {
		case "spoke", "discussed", "talked", "met", "spoken":
			return p.Key == "with"
		case "seen":
			return p.Key == "by"
		}
	}
	return false
}

// sentenceStart reports whether the word at i starts a sentence, a line, a
// list item or a quotation: the previous non-space character is one of
// . ! ? : ; “ " ( or there is none, or a line break comes first.
func sentenceStart(text string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:i])
		switch {
		case r == '\n':
			return true
		case r == ' ' || r == '\t' || r == '\r':
			i -= n
			continue
		case r == '.' || r == '!' || r == '?' || r == ':' || r == ';' || r == '"' || r == '“' || r == '(' || r == '[' || r == '-' || r == '*' || r == '#' || r == '>' || r == '|' || r == '•':
			return true
		}
		return false
	}
	return true
}

// gapOK reports whether two words of one name are separated only by
// spaces (or underscores, as in file names), or by the dot of an initial
// and spaces, on one line.
func gapOK(text string, a, b *tok) bool {
	return nameGap(text[a.End:b.Start], a)
}

// nameGap is gapOK of the gap after word a.
func nameGap(gap string, a *tok) bool {
	if len(gap) > 4 {
		return false
	}
	dots := 0
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case ' ', '\t', '_': // "Client_Maria_Sandoval" in file names and tags
		case '.':
			dots++
		default:
			return false
		}
	}
	return dots == 0 || (dots == 1 && gap[0] == '.' && (a.initial || a.titleKey() || a.is(cSaint)))
}

// lineGap reports whether two words are separated by white space holding
// one line break (a name wrapped at the end of a line).
func lineGap(text string, a, b *tok) bool {
	gap := text[a.End:b.Start]
	return len(gap) <= 12 && strings.Count(gap, "\n") == 1 && strings.TrimSpace(gap) == ""
}

// hasASCIIDigit is hasDigit(the word as written) without reading it again
// where the token already tells: a word written in ASCII holds an ASCII
// digit exactly when it holds a digit.
func (t *tok) hasASCIIDigit(text string) bool {
	if !t.numeric {
		return false // no digit of any script
	}
	return t.ascii || hasDigit(text[t.Start:t.End])
}
