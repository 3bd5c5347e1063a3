package ner

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner/lexicon"
)

// PropagatedPrefix starts the Rule of a finding added by Propagate; the
// original rule follows it.
const PropagatedPrefix = "propagated:"

// particles are name words that never identify on their own (folded).
var particles = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range lexicon.MustSet("particles").Words() {
		m[strings.Join(Fold(w), "")] = true
	}
	return m
}()

// nameSuffixes are the generational suffixes written after a name ("jr",
// "iii"), folded.
var nameSuffixes = lexicon.MustSet("name-suffixes")

// NameSuffix reports whether the folded word w is a generational suffix
// written after a name ("jr", "iii": the name-suffixes lexicon). It is
// part of the name and identifies no one alone.
func NameSuffix(w string) bool { return nameSuffixes.Has(w) }

// ValuePhrases returns the phrases to search for the values that the
// findings cover, and for each the finding it came from: the folded words of
// each value, and for person names each word that identifies on its own
// (surname, given names that are not ordinary words), its last word where
// capitalised when that is an ordinary word and the name is written as one
// (WrittenAsName: "Brook" of "Tamsin Brook"), its last word with the
// particles before it when that word is searched for alone ("de Quillan"
// of "Tamsin de Quillan"), and the other forms of its first word as a given name ("Bob" for "Robert Hale", capitalised
// only: ner.GivenNameVariants). Values too short or
// generic to search (ages, numbers under four digits) are left out.
// Person-name values that are ordinary words match only when capitalised.
// E-mail addresses also give the login their local part names
// (EmailLocalForms: "oquillanby" of "oquillanby@example.net" in
// "oquillanby-laptop" or "C:\Users\oquillanby").
// found[i] holds the findings for texts[i]; better findings come first.
//
// Propagate finds every other occurrence, in any of texts, of a value that a
// finding in found covers, and of the identifying parts of person names
// (surname, and given names that are not ordinary words). found[i] holds the
// findings for texts[i]. isCommon reports whether a lower-case word is an
// ordinary word; person-name words that are ordinary match only where they
// are capitalised.
//
// Matching is by word sequence, case-insensitive, ignoring punctuation and
// line breaks between words. The result holds only new findings, per text,
// with the entity and score of the source finding and Rule
// PropagatedPrefix+source rule; callers append it and Resolve again.
func ValuePhrases(texts []string, found [][]Finding, isCommon func(string) bool) ([]Phrase, []Finding) {
	var phrases []Phrase
	var from []Finding
	seen := map[string]bool{}
	add := func(keys []string, f Finding, capitalOnly bool) {
		key := strings.Join(keys, " ")
		if seen[key] || !worthPropagating(keys, f.Entity) {
			return
		}
		seen[key] = true
		phrases = append(phrases, Phrase{Keys: keys, CapitalOnly: capitalOnly})
		from = append(from, f)
	}
	// Better findings first, so that they own values they share with others.
	type src struct {
		f    Finding
		text int
	}
	var all []src
	for i, fs := range found {
		for _, f := range fs {
			all = append(all, src{f, i})
		}
	}
	sort.SliceStable(all, func(a, b int) bool { return better(all[a].f, all[b].f) })
	for _, s := range all {
		keys := Fold(texts[s.text][s.f.Start:s.f.End])
		if len(keys) == 0 {
			continue
		}
		if s.f.Entity != Person {
			add(keys, s.f, false)
			continue
		}
		add(keys, s.f, len(keys) == 1 && isCommon(keys[0]))
		// "Tamsin Brook Jr": the parts are those of "Tamsin Brook"
		if len(keys) > 2 && NameSuffix(keys[len(keys)-1]) {
			keys = keys[:len(keys)-1]
		}
		if len(keys) > 1 {
			for _, w := range keys {
				if nameWordIdentifies(w, isCommon) {
					add([]string{w}, s.f, false)
				}
			}
			// A surname that is also a word ("Tamsin Brook"): "Brook"
			// where capitalised is that person.
			if last := keys[len(keys)-1]; !nameWordIdentifies(last, isCommon) &&
				surnameWord(last) && WrittenAsName(Words(texts[s.text][s.f.Start:s.f.End])) {
				add([]string{last}, s.f, true)
			}
			// The surname with the particles before it ("de Quillan"
			// of "Tamsin de Quillan"): the particles go with it where
			// the surname is searched for alone anyway.
			if p := particlesBefore(keys); p > 0 && nameWordIdentifies(keys[len(keys)-1], isCommon) {
				add(keys[p:], s.f, false)
			}
			// The given name's other forms: "Bob" for "Robert Hale",
			// where capitalised.
			for _, v := range GivenNameVariants(keys[0]) {
				if utf8.RuneCountInString(v) >= 2 {
					add([]string{v}, s.f, true)
				}
			}
		}
	}
	// The logins addresses name, last: a name or value found as such
	// keeps its entity where a local part says the same ("tamsin
	// everard" of "tamsin.everard@").
	for _, s := range all {
		if s.f.Entity == Email {
			for _, ph := range EmailLocalForms(texts[s.text][s.f.Start:s.f.End], isCommon) {
				add(ph, s.f, false)
			}
		}
	}
	return phrases, from
}

func Propagate(texts []string, found [][]Finding, isCommon func(string) bool) [][]Finding {
	phrases, from := ValuePhrases(texts, found, isCommon)
	out := make([][]Finding, len(texts))
	if len(phrases) == 0 {
		return out
	}
	m := NewPhraseMatcher(phrases)
	for i, text := range texts {
		for _, mt := range m.FindAll(text) {
			f := from[mt.Index]
			f.Start, f.End = mt.Start, mt.End
			// "van der Quillan", "K. Quillan" where "Quillan" is
			// searched for: the particles and initials before a
			// surname are that name's
			if f.Entity == Person && len(phrases[mt.Index].Keys) == 1 {
				f.Start = SkipNameArticles(text, nameLeadStart(text, f.Start), f.Start)
			}
			if !strings.HasPrefix(f.Rule, PropagatedPrefix) {
				f.Rule = PropagatedPrefix + f.Rule
			}
			out[i] = append(out[i], f)
		}
	}
	return out
}

// roleMailboxes holds the local parts of generic role mailboxes ("info",
// "no-reply"), folded and glued ("noreply").
var roleMailboxes = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range lexicon.MustSet("role-mailboxes").Words() {
		m[strings.Join(Fold(w), "")] = true
	}
	return m
}()

// EmailLocalForms returns the phrases (folded words, as Fold gives them)
// that find elsewhere the login an e-mail address's local part names: the
// local part as words ("orsolya quillanby" of
// "orsolya.quillanby@example.net"), and each of its pieces split at
// punctuation (. _ - +) that has four letters or more and is not an
// ordinary word ("quillanby"). A local part of one word is a phrase when it
// has three characters or more and is not an ordinary word. A generic role
// mailbox ("info@", "no-reply@", "support.team@": the role-mailboxes
// lexicon list, glued or word by word) gives nothing, nor do pieces that
// are role words. The phrases match whole
// words, so "oquillanby" finds "oquillanby-laptop" and
// "\oquillanby\" but not "oquillanbyx". isCommon reports whether a
// lower-case word is an ordinary word. value without "@" gives nothing.
func EmailLocalForms(value string, isCommon func(string) bool) [][]string {
	at := strings.LastIndexByte(value, '@')
	if at <= 0 {
		return nil
	}
	keys := Fold(value[:at])
	if len(keys) == 0 || roleMailboxes[strings.Join(keys, "")] {
		return nil
	}
	roles := 0
	for _, k := range keys {
		if roleMailboxes[k] {
			roles++
		}
	}
	if roles == len(keys) { // "support.team"
		return nil
	}
	if len(keys) == 1 {
		if utf8.RuneCountInString(keys[0]) < 3 || isCommon(keys[0]) {
			return nil
		}
		return [][]string{keys}
	}
	out := [][]string{keys}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] || utf8.RuneCountInString(k) < 4 || !allLetters(k) || isCommon(k) || roleMailboxes[k] {
			continue
		}
		seen[k] = true
		out = append(out, []string{k})
	}
	return out
}

func allLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// nameWordIdentifies reports whether one word of a multi-word name is worth
// redacting on its own.
func nameWordIdentifies(w string, isCommon func(string) bool) bool {
	return utf8.RuneCountInString(w) >= 2 && !particles[w] && !isCommon(w) && !isDigits(w)
}

// surnameWord reports whether w, the last word of a multi-word name and an
// ordinary word, may be searched for alone where it is capitalised: three
// letters or more, not a particle, not digits.
func surnameWord(w string) bool {
	return utf8.RuneCountInString(w) >= 3 && !particles[w] && !isDigits(w)
}

// WrittenAsName reports whether the words ws of a name are written as a
// person's full name is: two words or more, every one capitalised but for
// particles between them ("Tamsin van Everard"; not "Court of Appeal").
func WrittenAsName(ws []Word) bool {
	for i, w := range ws {
		if !w.Capital && !(i > 0 && i < len(ws)-1 && particles[w.Key]) {
			return false
		}
	}
	return len(ws) > 1
}

// worthPropagating rejects values too short or too generic to search for.
func worthPropagating(ws []string, e Entity) bool {
	if e == Age {
		return false
	}
	letters, digits := 0, 0
	for _, w := range ws {
		for _, r := range w {
			if unicode.IsDigit(r) {
				digits++
			} else {
				letters++
			}
		}
	}
	if letters == 0 {
		return digits >= 4
	}
	return letters+digits >= 2
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// particlesBefore returns the index of the first of the particles right
// before the last word of keys ("de" of "tamsin de quillan", "van" of
// "tamsin van der everard"), when a word that is not a particle comes
// before them; 0 otherwise.
func particlesBefore(keys []string) int {
	last := len(keys) - 1
	i := last
	for i > 0 && particles[keys[i-1]] && len(keys[i-1]) >= 2 {
		i--
	}
	if i == last || i == 0 {
		return 0
	}
	return i
}

// maxLeadSteps bounds how many initials and particles nameLeadStart
// moves over, maxLeadWord the bytes of each (longer words are neither),
// so that the work per match is constant.
const (
	maxLeadSteps = 4
	maxLeadWord  = 12
)

// nameLeadStart returns the start of the name whose surname starts at
// byte i of text: i moved back over the particles ("de ", "van der ") and
// initials ("K. ", "F.W. ") right before it, each one space before the
// next, at most maxLeadSteps of them. Otherwise i.
func nameLeadStart(text string, i int) int {
	for range maxLeadSteps {
		if i < 2 || text[i-1] != ' ' {
			return i
		}
		e := i - 1
		j := e
		for j > 0 && e-j <= maxLeadWord {
			r, n := utf8.DecodeLastRuneInString(text[:j])
			if !unicode.IsLetter(r) && r != '.' {
				break
			}
			j -= n
		}
		if e-j > maxLeadWord {
			return i
		}
		w := text[j:e]
		switch {
		case initials(w):
		case particles[strings.ToLower(w)] && utf8.RuneCountInString(w) >= 2:
		default:
			return i
		}
		i = j
	}
	return i
}

// initials reports whether w is one or more initials: a capital letter
// and a full stop, repeated ("K.", "F.W.").
func initials(w string) bool {
	if w == "" {
		return false
	}
	for w != "" {
		r, n := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || len(w) == n || w[n] != '.' {
			return false
		}
		w = w[n+1:]
	}
	return true
}

// nameArticles are the particles of names that are also articles or
// conjunctions ("der", "la", "y"): lower case, they begin no name.
var nameArticles = lexicon.MustSet("name-articles")

// SkipNameArticles returns start moved on past the lower-case words at the
// front of text[start:end) that are articles among the particles of names
// ("der" of "der Quillan": a German article; "van der Quillan" keeps
// it), with the space after each. start and end are byte offsets of
// text, start <= end; the result is in [start, end].
func SkipNameArticles(text string, start, end int) int {
	for start < end {
		sp := strings.IndexByte(text[start:end], ' ')
		if sp <= 0 {
			return start
		}
		if w := text[start : start+sp]; w[0] < 'a' || w[0] > 'z' || !nameArticles.Has(w) {
			return start
		}
		start += sp + 1
	}
	return start
}
