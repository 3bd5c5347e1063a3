package names

import (
	"strings"
	"unicode"

	"github.com/veilhq/veil/ner"
)

// Names written where case tells nothing: notes typed in lower case or in
// capitals, and the register's "SURNAME, GIVEN" order. The rules of this
// file lean on the word before a name or on the shape of its line, never
// on the name being capitalised.

// Scores of the rules of this file.
const (
	// InvertedScore is the score of a "SURNAME, GIVEN" name.
	InvertedScore = 0.75
	// UnknownCueScore is the score of a word in no list after a strong
	// person cue ("wife orsolya").
	UnknownCueScore = 0.7
)

// weakCues are words after which a name often follows but so do other
// words ("pt tolerating", "called pharmacy"): after them only a known
// name is taken, in any case ("pt marek", "called eszter").
var weakCues = lex("weak-person-cues")

// companions are the people around a patient who are neither kin nor
// staff ("visitor", "sitter", "neighbour"): like a family word, a name in
// no list after them is taken in any case ("visitor: orsolya quillanby").
var companions = lex("companion-roles")

// unknownAfterCue reports whether t, the first word after the person cue
// c (n words long), is a name although no list knows it and case does
// not mark it: after a family word ("wife orsolya", "SON JÓZSEF"), a
// companion ("sitter tamsin", "VISITOR: ORSOLYA") or a
// two-word cue ("spoke with šárka"), a word of at least four letters that
// is no ordinary word, abbreviation, title or role. After "patient" a
// verb in no list is as likely ("PATIENT DIURESING").
// A misspelt ordinary word after such a cue is left to the refiners that
// judge guesses (ner/chain's Shorthand reads rule names/context).
func unknownAfterCue(text string, c *tok, n int, t *tok) bool {
	if !(c.is(cRelation|cCompanion) || n == 2) {
		return false
	}
	return unknownName(text, t)
}

// unknownName reports whether t can be a name no list holds: letters
// only, four or more, in no list of ordinary words, and no title,
// credential, role, clinical abbreviation or word of the trade.
func unknownName(text string, t *tok) bool {
	if t.numeric || t.common || t.extra || t.first || t.last || t.initial || len(t.Key) < 4 {
		return false
	}
	if t.is(cStop|cTitleKey|cTitleStop|cRoleWord|cRoleTitle|cRelation|cPersonContext|cClinicalAbbrev|cAware|cMeasureUnit|cUSState) ||
		t.upperIn(cCredential, credentials, text) {
		return false
	}
	return !strings.ContainsAny(text[t.Start:t.End], "_/")
}

// unknownRun returns the last word of a name in no list that starts at
// word j: j, or the word after it when it is in the same case and is a
// name too ("wife orsolya quillanby").
func (d *run) unknownRun(j int) int {
	if j+1 >= len(d.toks) {
		return j
	}
	t, u := &d.toks[j], &d.toks[j+1]
	if !caseGapOK(d.text, t, u) || t.joined || u.allCaps != t.allCaps || u.Capital != t.Capital {
		return j
	}
	if unknownName(d.text, u) || u.strongName() && !u.is(cStop|cTitleKey|cTitleStop|cRoleWord|cRelation|cClinicalAbbrev) {
		return j + 1
	}
	return j
}

// subjectVerbs follow a person who does something in a note ("declan
// called"): a known given name before them is a name in any case.
var subjectVerbs = lex("subject-verbs")

// subjects finds a known given name first in its sentence, in lower case
// among words that capitalise nothing or in capitals, before a verb
// whose subject is a person ("declan updated by phone", "MAREK CALLED"):
// where case says nothing, the verb says person.
func (d *run) subjects() {
	for i := 0; i+1 < len(d.toks); i++ {
		t, v := &d.toks[i], &d.toks[i+1]
		if i+2 < len(d.toks) && d.unknownSubject(i) {
			d.add(i, i+1, ner.Person, LowerNameScore, "subject")
			i += 2
			continue
		}
		if !t.sentence || !v.is(cSubjectVerb) || d.claimed[i] || t.Capital && !t.allCaps || t.allCaps != v.allCaps {
			continue
		}
		if !t.first || t.common || t.extra || t.place || t.placeName || t.is(cStop|cTitleKey|cTitleStop|cRoleWord|cRelation|cClinicalAbbrev) ||
			t.upperIn(cCredential, credentials, d.text) || inflected(t.Key) || len(t.Key) < 3 || !caseGapOK(d.text, t, v) {
			continue
		}
		if !t.allCaps && !d.caseless(i) {
			continue
		}
		d.add(i, i, ner.Person, LowerNameScore, "subject")
		i++
	}
}

// unknownSubject reports whether words i and i+1, first in their
// sentence, are a name in no list before a verb whose subject is a person
// ("orsolya quillanby called re: plan", "ORSOLYA QUILLANBY VISITED"):
// both words as on a name line (unknownLine), all three in one case,
// among words that capitalise nothing when in lower case.
func (d *run) unknownSubject(i int) bool {
	a, b, v := &d.toks[i], &d.toks[i+1], &d.toks[i+2]
	if !a.sentence || !v.is(cSubjectVerb) || d.claimed[i] || d.claimed[i+1] || a.Capital && !a.allCaps ||
		a.allCaps != b.allCaps || b.Capital != a.Capital || a.allCaps != v.allCaps || a.joined || b.joined {
		return false
	}
	if !caseGapOK(d.text, a, b) || !caseGapOK(d.text, b, v) || !d.unknownLine(i, i+1) {
		return false
	}
	return a.allCaps || d.caseless(i)
}

// weakCueNames finds a known name after a weak cue, in any case ("pt
// marek admitted", "CALLED ESZTER AT HOME"): a given name or surname of
// the lists that is no ordinary word nor a place, in lower case a given
// name among words that capitalise nothing mid-sentence (caseless). A
// capitalised word is left to the other rules, which read case.
func (d *run) weakCueNames() {
	for i := 0; i+1 < len(d.toks); i++ {
		c := &d.toks[i]
		if !c.is(cWeakCue) {
			continue
		}
		j := i + 1
		t := &d.toks[j]
		gap := unhyphenated(d.text[c.End:t.Start])
		if len(gap) > 3 || strings.Trim(gap, " ,:") != "" || d.claimed[j] {
			continue
		}
		if t.Capital && !t.allCaps || t.place || t.placeName {
			continue // capitalised, the other rules judge it; "a town called Velmora"
		}
		if !t.Capital && (!t.first || inflected(t.Key) || !d.caseless(j)) {
			continue // in lower case a name of the lists may be a word in none ("pt calmer")
		}
		if c.joined || !t.strongName() || t.extra || t.initial || t.is(cStop|cTitleKey|cTitleStop|cRoleWord|cRelation|cClinicalAbbrev) ||
			t.upperIn(cCredential, credentials, d.text) {
			continue
		}
		end := max(j, d.nameRun(j, 3, false))
		d.add(j, end, ner.Person, ContextScore, "context")
		i = end
	}
}

// inverted finds names in the register's order, surname first, comma,
// given name ("KOWALSKI, MAREK", "Halvorsen, Ingrid J.", "O'VARDLEY, MAREK
// JAN": a joined surname, a middle initial or given name), both words in
// the same case (capitals or capitalised): either both are names of the
// lists that are no ordinary words, or the second is a given name and
// the line is a name line (the name starts it, after at most a label,
// and nothing but an initial, a credential or a number follows it). In
// lower case both must be names of the lists, on a name line, among
// words that capitalise nothing (caseless).
func (d *run) inverted() {
	for i := 0; i+1 < len(d.toks); i++ {
		a, b := &d.toks[i], &d.toks[i+1]
		lower := !a.Capital && !b.Capital
		if !(a.allCaps && b.allCaps || a.Capital && b.Capital && !a.allCaps && !b.allCaps || lower) {
			continue
		}
		gap := unhyphenated(d.text[a.End:b.Start])
		if gap != ", " && gap != "," {
			continue
		}
		if !d.free(i, i+1) || a.numeric || b.numeric || a.initial || b.initial || a.joined || len(a.Key) < 2 || len(b.Key) < 2 {
			continue
		}
		if notName(d.text, a) || notName(d.text, b) || !b.first || b.is(cUSState) || b.placeName && !b.strongName() {
			continue
		}
		start := i
		for start > 0 && i-start < 2 && d.toks[start-1].joined && d.toks[start-1].Capital && !d.claimed[start-1] {
			start-- // "O'VARDLEY", "QUILLANBY-EVERARD"
		}
		end := i + 1
		if end+1 < len(d.toks) && gapOK(d.text, b, &d.toks[end+1]) {
			m := &d.toks[end+1]
			if m.initial || m.first && !m.common && m.allCaps == b.allCaps && m.Capital && !notName(d.text, m) {
				end++ // a middle initial or given name
			}
		}
		strong := a.strongName() && b.strongName() && !lower
		if !strong && !(d.nameLineBefore(start) && d.nameLineAfter(end) && (a.last || !a.common) && !b.is(cStop)) {
			continue
		}
		if lower && (!a.strongName() || !b.strongName() || !d.caseless(i)) {
			continue // "kowalski, marek" on its own line of a text in lower case
		}
		d.add(start, end, ner.Person, InvertedScore, "inverted")
		i = end
	}
}

// notName reports whether a word is one no name is made of: a stop word,
// title, role, credential, clinical abbreviation or word of the trade.
func notName(text string, t *tok) bool {
	return t.extra || t.is(cStop|cTitleKey|cTitleStop|cRoleWord|cRoleTitle|cRelation|cClinicalAbbrev|cAware|cOrgHead) ||
		t.upperIn(cCredential, credentials, text)
}

// nameLineBefore reports whether word i starts its line, after white
// space, a list mark or a label ending in a colon. It reads at most
// maxLead bytes back, so a long line costs no more than a short one.
func (d *run) nameLineBefore(i int) bool {
	const maxLead = 32
	start := d.toks[i].Start
	lo := max(0, start-maxLead)
	if nl := strings.LastIndexByte(d.text[lo:start], '\n'); nl >= 0 {
		lo += nl + 1
	} else if lo > 0 {
		return false
	}
	p := strings.TrimSpace(d.text[lo:start])
	p = strings.TrimLeft(p, "-*•#>")
	return strings.TrimSpace(p) == "" || strings.HasSuffix(p, ":") && len(p) <= 24
}

// nameLineAfter reports whether nothing but credentials, numbers and
// punctuation follow word end on its line.
func (d *run) nameLineAfter(end int) bool {
	for k := end + 1; k < len(d.toks); k++ {
		gap := d.text[d.toks[k-1].End:d.toks[k].Start]
		if strings.ContainsRune(gap, '\n') {
			return true
		}
		t := &d.toks[k]
		if !(t.numeric || t.upperIn(cCredential, credentials, d.text)) {
			return false
		}
	}
	return true
}

// unknownSurname reports whether word i+1 (b), after the given name i (a) in the same
// case (lower case or capitals), is a surname in no list ("marek
// quillanby", "INGRID QUILLANBY"): a is no abbreviation or word of the
// trade, b passes unknownName and reads as no adjective or inflected word
// ("AMBER CLOUDY URINE" where a list lacks the adjective), the pair is not
// glued to a word, and in lower case the words around it capitalise
// nothing mid-sentence (caseless).
func (d *run) unknownSurname(i int) bool {
	a, b := &d.toks[i], &d.toks[i+1]
	if a.joined || b.joined || a.initial || a.is(cClinicalAbbrev|cTitleKey|cRoleWord|cRelation|cAware) || a.upperIn(cCredential, credentials, d.text) {
		return false
	}
	if !unknownName(d.text, b) || medicalAdjective(b.Key) || inflected(b.Key) {
		return false
	}
	return a.allCaps || d.caseless(i)
}

// caseless reports whether the words around word i are written without
// capitals where a writer who capitalises would put them: none of the
// caselessReach words on either side is capitalised inside a sentence.
// In a text that capitalises names, a lower-case pair of words is a
// phrase of another language ("in der alten Weise"), not a name.
func (d *run) caseless(i int) bool {
	const caselessReach = 12
	for k := max(0, i-caselessReach); k < min(len(d.toks), i+caselessReach); k++ {
		w := &d.toks[k]
		if w.Capital && !w.allCaps && !w.sentence && !w.initial {
			return false
		}
	}
	return true
}

// caseGapOK is gapOK for the rules of this file, which read no case: it
// judges the gap without its hyphens (unhyphenated).
func caseGapOK(text string, a, b *tok) bool {
	return nameGap(unhyphenated(text[a.End:b.Start]), a)
}

// unhyphenated returns the gap between two words without its hyphens
// when something else is left ("marek -quillanby" reads as "marek
// quillanby"), else the gap itself. A hyphen can be a mark of its own
// that one reading of a document shows and another does not (a DOCX's
// non-breaking hyphen is an element, w:noBreakHyphen, that the parse
// shows as "-" and verify's independent reading of character data
// leaves out), so the rules of this file, which lean on the words around
// a name and not on its case, read the gap as every reading shows it:
// what verify finds in either reading, analysis finds too. A hyphen that
// is the whole gap joins the two words into one word in the other
// reading, where no rule of two words fires.
func unhyphenated(gap string) string {
	if strings.IndexByte(gap, '-') < 0 {
		return gap
	}
	if g := strings.ReplaceAll(gap, "-", ""); g != "" {
		return g
	}
	return gap
}

// nameLines finds a line that is nothing but a name in lower case or in
// capitals ("ingrid glass", "INGRID GLASS" alone on their line, or after a
// weak cue: "SEEN INGRID GLASS"): two or three words, the first a given
// name of the lists that is no ordinary word, the last a surname of the
// lists that is an ordinary word too ("glass", "mills": one that is not
// the gazetteer's pairs find in any case), one between them a given
// name, surname or initial; or two words that are
// both names no list holds (unknownLine: "orsolya quillanby"). A line of a note or a form that holds only such words is a
// signature, a visitor or a name field; ordinary phrases have a word
// that is no name ("white sputum", "mark site"). In lower case it holds
// only among words that capitalise nothing mid-sentence (caseless): a
// text that capitalises names writes a lower-case line for another
// reason.
func (d *run) nameLines() {
	for i := 0; i+1 < len(d.toks); i++ {
		if !d.lineStart(i) {
			continue
		}
		s := i
		if d.toks[i].is(cWeakCue) && i+1 < len(d.toks) && caseGapOK(d.text, &d.toks[i], &d.toks[i+1]) &&
			d.toks[i].allCaps == d.toks[i+1].allCaps {
			s = i + 1 // "SEEN ORSOLYA QUILLANBY", "called ingrid glass"
		}
		e := s
		for e+1 < len(d.toks) && e-s < 2 && caseGapOK(d.text, &d.toks[e], &d.toks[e+1]) && !d.toks[e].joined {
			e++
		}
		if e == s {
			continue
		}
		// the line must end at e (or, for three words, may end at the second)
		if !d.lineEnd(e) {
			if e-s == 2 && d.lineEnd(e-1) {
				e--
			} else {
				continue
			}
		}
		if d.nameLine(s, e) {
			d.add(s, e, ner.Person, LowerNameScore, "name-line")
		}
		i = e
	}
}

// nameLine reports whether words s..e (two or three) are a name by the
// lists and in one case (see nameLines).
func (d *run) nameLine(s, e int) bool {
	a, z := &d.toks[s], &d.toks[e]
	for k := s; k <= e; k++ {
		t := &d.toks[k]
		if d.claimed[k] || t.numeric || !t.initial && (t.Capital != a.Capital || t.allCaps != a.allCaps) ||
			t.is(cStop|cTitleKey|cTitleStop|cRoleWord|cRoleTitle|cRelation|cPersonContext|cClinicalAbbrev|cAware|cMeasureUnit|cUSState) ||
			t.upperIn(cCredential, credentials, d.text) {
			return false
		}
	}
	if a.Capital && !a.allCaps {
		return false
	}
	if e-s == 1 && d.unknownLine(s, e) {
		return a.allCaps || d.caseless(s)
	}
	if !a.first || a.common || a.extra || a.place || a.placeName || len(a.Key) < 3 || inflected(a.Key) {
		return false
	}
	if !z.last || !z.common || z.initial || z.extra || len(z.Key) < 2 {
		return false // a surname that is no ordinary word: the gazetteer's pairs take it
	}
	if e-s == 2 {
		if m := &d.toks[s+1]; !(m.initial || (m.first || m.last) && !m.common && !m.extra) {
			return false
		}
	}
	return a.allCaps || d.caseless(s)
}

// lineStart reports whether word i is the first of its line (only spaces
// or tabs before it back to a line break or the start of the text).
func (d *run) lineStart(i int) bool {
	from := 0
	if i > 0 {
		from = d.toks[i-1].End
	}
	for k := d.toks[i].Start - 1; k >= from; k-- {
		switch d.text[k] {
		case ' ', '\t', '\r':
		case '\n':
			return true
		default:
			return false
		}
	}
	return from == 0 && i == 0
}

// lineEnd reports whether word i is the last of its line (only spaces or
// tabs after it up to a line break or the end of the text).
func (d *run) lineEnd(i int) bool {
	to := len(d.text)
	if i+1 < len(d.toks) {
		to = d.toks[i+1].Start
	}
	for k := d.toks[i].End; k < to; k++ {
		switch d.text[k] {
		case ' ', '\t', '\r':
		case '\n':
			return true
		default:
			return false
		}
	}
	return i+1 == len(d.toks)
}

// unknownLine reports whether the two words s and e of a line are both
// names no list holds (unknownName; no adjective of medicine, no
// inflected form or typing error of an ordinary word: misspelt) and
// no place: a line of two such words is a name written alone ("orsolya
// quillanby"), not a note's hasty line ("secreations thik").
func (d *run) unknownLine(s, e int) bool {
	for _, t := range []*tok{&d.toks[s], &d.toks[e]} {
		if !unknownName(d.text, t) || !cased(d.text[t.Start:t.End]) || medicalAdjective(t.Key) || inflected(t.Key) || misspelt(t) || t.place || t.placeName {
			return false
		}
	}
	return true
}

// cased reports whether word w is written in a script with capitals
// (Latin, Greek, Cyrillic, …): where a script has none (Hangul), a line
// of words in no list says nothing about names.
func cased(w string) bool {
	for _, r := range w {
		if unicode.IsUpper(r) || unicode.IsLower(r) {
			return true
		}
	}
	return false
}
