package chain

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// Shorthand drops the lone words that a rule guessing from context or a
// statistical model took for a name, place or organisation in the
// shorthand of clinical notes, where the word itself says what it is:
//
//   - a clinical abbreviation ("per ho", "going by NBP", "set to VVI");
//   - a medicine, or a word one typing error from a medicine or from an
//     ordinary word ("receiving Vanco", "Fetanyl", "Recievd sedated",
//     "Encouarge family"): misspellings are as common in notes as names,
//     and the lists of names decide between them (below).
//
// Only findings of one word by the guessing rules (a word after "in",
// "to", "per", "son", a lone capitalised word, the models' votes, the
// words maximum recall flags because no rule explains them) are
// looked at, and never a word in a list of given names, surnames or places
// (a surname one letter from a word, "Cole", stays a name). Findings of
// the name lists, of titles and of every identifier rule pass unchanged.
type Shorthand struct{}

var _ ner.Refiner = Shorthand{}

// Name implements ner.Refiner.
func (Shorthand) Name() string { return "shorthand" }

var medications = lexicon.MustSet("medications")

// medicationTypos is oneEdit(w, medications.Has) by an index (editIndex).
var medicationTypos = newEditIndex(medications)

// guessingRules are the rules whose lone words Shorthand looks at: what
// they find is a word in a position names take, not a word known as a name.
var guessingRules = map[string]bool{
	"names/place": true, "names/lone-name": true, "names/context": true,
	"names/max-recall": true, // words no rule explains, flagged by maximum recall
}

func guessing(rule string) bool {
	return guessingRules[rule] || strings.HasPrefix(rule, "model/") || strings.HasPrefix(rule, "prose/")
}

// Refine implements ner.Refiner.
func (Shorthand) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	return without(found, func(f ner.Finding) bool {
		return (f.Entity == ner.Person || f.Entity == ner.Location || f.Entity == ner.Organization || f.Entity == ner.Other) && guessing(f.Rule) &&
			clinicalWord(text[f.Start:f.End], !titleCase(text[f.Start:f.End]) || sentenceStart(text, f.Start) && !speaks(text, f.End) && !nameFollows(text, f.End)) &&
			!(givenName(text[f.Start:f.End]) && personCue(text, f.Start))
	}), nil
}

// givenName reports whether s, one word, is a known given name that is no
// ordinary word ("lua", "lis"; not "ho").
func givenName(s string) bool {
	fl := gazetteer.Lookup(strings.ToLower(s))
	return fl&gazetteer.First != 0 && !fl.Common()
}

// personCue reports whether the words just before byte i, on its line,
// name a person: a kin word ("daughter lua called"), "called", or "with"
// after a verb of talking ("spoke with LIS"), "by" after "seen". A given
// name there is the person, not a clinical abbreviation.
func personCue(text string, i int) bool {
	line := text[:i]
	if n := strings.LastIndexAny(line, "\n\r"); n >= 0 {
		line = line[n+1:]
	}
	ws := ner.Words(line[max(0, len(line)-40):])
	if len(ws) == 0 {
		return false
	}
	p := ws[len(ws)-1].Key
	if kin.Has(p) || p == "called" {
		return true
	}
	if len(ws) < 2 {
		return false
	}
	switch ws[len(ws)-2].Key {
	case "spoke", "spoken", "discussed", "talked", "met":
		return p == "with"
	case "seen":
		return p == "by"
	}
	return false
}

// clinicalWord reports whether s, a finding's text, is one word that is
// a clinical abbreviation or a medicine written in lower case or in
// capitals, or a misspelling of a medicine, or (when caseless: in lower
// case, in capitals or first in its sentence, where its capital says
// nothing) a misspelling of an ordinary word, and no given name. A
// surname is no misspelling of an ordinary word (names of many languages
// are one letter from an English word: "bonnet", "Koster"), nor of a
// medicine when it is shorter than five letters ("Popa"); longer, the
// medicine wins ("Vancomyicn"). A word written with diacritics is no
// misspelling at all: English words and medicines are typed in ASCII. A capitalised word inside a sentence one
// letter from a word is more often a name than a typing error ("Drs
// Quillanby and Mutter"), and stays.
func clinicalWord(s string, caseless bool) bool {
	ws := ner.Words(s)
	if len(ws) != 1 || ws[0].Start != 0 || ws[0].End != len(s) {
		return false
	}
	k := ws[0].Key
	if strings.ContainsFunc(k, unicode.IsDigit) {
		return false
	}
	fl := gazetteer.Lookup(k)
	if clinicalAbbrs.Has(k) || medications.Has(k) {
		return !titleCase(s) || fl&(gazetteer.First|gazetteer.Last) == 0
	}
	n := utf8.RuneCountInString(k)
	if fl.Common() || fl&(gazetteer.First|gazetteer.PlaceName) != 0 || n < 4 || !asciiLetters(s) {
		return false // a word written with diacritics ("päivi", "Jiří") is no English typing error
	}
	surname := fl&gazetteer.Last != 0
	return (n >= 5 || !surname) && medicationTypos.near(k) ||
		caseless && n >= 5 && !surname && commonTypo(k)
}

// asciiLetters reports whether s is written in ASCII alone.
func asciiLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sentenceStart reports whether byte i of text starts a line or a
// sentence: only spaces since the start of the text or a line break, a
// colon, an exclamation or question mark, or a full stop after a word of
// two letters or more that is no title ("M. Lark", "Dr. Lark" go on).
func sentenceStart(text string, i int) bool {
	p := strings.TrimRight(text[:i], " \t")
	if p == "" {
		return true
	}
	switch p[len(p)-1] {
	case '\n', '\r', ':', '!', '?':
		return true
	case '.':
		ws := ner.Words(p[max(0, len(p)-16) : len(p)-1])
		if len(ws) == 0 {
			return true
		}
		last := ws[len(ws)-1]
		return last.End == len(p)-1-max(0, len(p)-16) && utf8.RuneCountInString(last.Key) > 1 && !abbreviatedTitles[last.Key]
	}
	return false
}

// speaks reports whether the word after byte i is a verb of speech
// ("Lark said"): what comes first in such a sentence is its speaker.
func speaks(text string, i int) bool {
	ws := ner.Words(text[i:min(len(text), i+12)])
	return len(ws) > 0 && speechVerbs[ws[0].Key]
}

// nameFollows reports whether the word after byte i, on the same line,
// is capitalised in a line of mixed case or a number: "Tamsin Everard",
// a team and its score in a table ("Quillmoor 2"); what is first in such
// a line is more often a name than a misspelling.
func nameFollows(text string, i int) bool {
	e := strings.IndexByte(text[i:], '\n')
	if e < 0 {
		e = len(text) - i
	}
	ws := ner.Words(text[i : i+e])
	if len(ws) == 0 {
		return false
	}
	w := text[i+ws[0].Start : i+ws[0].End]
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r) || titleCase(w)
}

var speechVerbs = map[string]bool{"said": true, "says": true, "told": true, "added": true, "wrote": true, "asked": true, "replied": true, "stated": true, "states": true}

// abbreviatedTitles are titles written with a full stop, which does not
// end a sentence.
var abbreviatedTitles = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "drs": true, "st": true, "prof": true, "sr": true, "jr": true, "rev": true, "hon": true, "gen": true, "col": true, "capt": true, "sgt": true, "lt": true, "mt": true}

// titleCase reports whether s starts with a capital and has a letter in
// lower case: written as a name is.
func titleCase(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) && strings.ContainsFunc(s, unicode.IsLower)
}

// commonTypo reports whether w is one typing error (oneEdit) away from a
// common word of the gazetteer.
func commonTypo(w string) bool {
	return oneEdit(w, func(x string) bool { return gazetteer.Lookup(x).Common() })
}

// oneEdit reports whether one typing error (a letter added, left out,
// changed, or two letters swapped) turns w, in lower case, into a word
// known. known must not keep its argument, whose bytes are reused.
func oneEdit(w string, known func(string) bool) bool {
	r := []rune(w)
	buf := make([]rune, 0, len(r)+1)
	enc := make([]byte, 0, 4*(len(r)+1))
	// is asks known about buf's word, without a string per candidate:
	// known reads its argument and keeps nothing of it (a list lookup).
	is := func() bool {
		enc = enc[:0]
		for _, c := range buf {
			enc = utf8.AppendRune(enc, c)
		}
		if len(enc) == 0 {
			return known("")
		}
		return known(unsafe.String(&enc[0], len(enc)))
	}
	for i := range r { // a letter added
		buf = append(append(buf[:0], r[:i]...), r[i+1:]...)
		if is() {
			return true
		}
	}
	for i := 0; i+1 < len(r); i++ { // two letters swapped
		if r[i] == r[i+1] {
			continue
		}
		buf = append(buf[:0], r...)
		buf[i], buf[i+1] = buf[i+1], buf[i]
		if is() {
			return true
		}
	}
	for i := 0; i <= len(r); i++ { // a letter left out or changed
		for c := 'a'; c <= 'z'; c++ {
			buf = append(append(append(buf[:0], r[:i]...), c), r[i:]...)
			if is() {
				return true
			}
			if i < len(r) && c != r[i] {
				buf = append(append(append(buf[:0], r[:i]...), c), r[i+1:]...)
				if is() {
					return true
				}
			}
		}
	}
	return false
}
