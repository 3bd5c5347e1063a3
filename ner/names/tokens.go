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
	return out
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
