package chain

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// Coordination reads a word joined by "and", "&" or "or" to a name as a
// name of the same kind: "screened by Quillanby Rehab and HOLLOWAY",
// "Drs Everard and Quillanby", "orsolya and tamsin visited", when the
// word is written in the same case as the name (capitalised, ALL CAPS or
// lower case), is in no list of ordinary words, clinical abbreviations or
// medicines, has three letters or more and no digit, is in a list of
// names or places or else (not in lower case) no typing error away from an
// ordinary word or a medicine ("aproximately"), and is the last word of
// its phrase (a punctuation mark, a line break or a word in another case
// follows). The name must score at least CoordinationFloor; the word
// scores CoordinationScore. Both directions count ("HOLLOWAY AND
// QUILLANBY REHAB"). A person's name and a word glued to it by a slash
// ("marchbanks/hadleigh aware", "Drs Everard/Quillanby") are two persons
// by the same test, where a lower-case word in no list counts too when
// it has four letters or more and is no typing error of an ordinary word
// or medicine: a slash joins no looser phrase. Every finding passes
// unchanged.
type Coordination struct{}

var _ ner.Refiner = Coordination{}

// Name implements ner.Refiner.
func (Coordination) Name() string { return "coordination" }

// CoordinationRule is the rule id of what Coordination adds.
const CoordinationRule = "chain/coordination"

// CoordinationFloor is the least score of a name whose partner is read;
// CoordinationScore the score of the partner.
const (
	CoordinationFloor = 0.6
	CoordinationScore = 0.55
)

var stopWords = lexicon.MustSet("stop-words")

// Refine implements ner.Refiner.
func (Coordination) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	var added []ner.Finding
	for _, f := range found {
		if f.Score < CoordinationFloor || f.Entity != ner.Person && f.Entity != ner.Location && f.Entity != ner.Organization {
			continue
		}
		ws := ner.Words(text[f.Start:f.End])
		if len(ws) == 0 {
			continue
		}
		// after: "<name> and <word>"
		lw := text[f.Start+ws[len(ws)-1].Start : f.Start+ws[len(ws)-1].End]
		if c := wordCase(lw); c != 0 {
			if s, e, ok := partnerAfter(text, f.End, c); ok && !overlaps(found, s, e) && !overlaps(added, s, e) {
				added = append(added, ner.Finding{Start: s, End: e, Entity: f.Entity, Score: CoordinationScore, Rule: CoordinationRule})
			}
		}
		// before: "<word> and <name>"
		fw := text[f.Start+ws[0].Start : f.Start+ws[0].End]
		if c := wordCase(fw); c != 0 {
			if s, e, ok := partnerBefore(text, f.Start, c); ok && !overlaps(found, s, e) && !overlaps(added, s, e) {
				added = append(added, ner.Finding{Start: s, End: e, Entity: f.Entity, Score: CoordinationScore, Rule: CoordinationRule})
			}
		}
		if f.Entity == ner.Person {
			for _, sp := range slashPartners(text, f.Start, f.End, wordCase(lw), wordCase(fw)) {
				if !overlaps(found, sp[0], sp[1]) && !overlaps(added, sp[0], sp[1]) {
					added = append(added, ner.Finding{Start: sp[0], End: sp[1], Entity: ner.Person, Score: CoordinationScore, Rule: CoordinationRule})
				}
			}
		}
	}
	return append(out, added...), nil
}

// slashPartners returns the words glued by a slash after byte e (in case
// ca) and before byte s (in case cb) of a person's name.
func slashPartners(text string, s, e int, ca, cb byte) [][2]int {
	var out [][2]int
	if ca != 0 && e+1 < len(text) && text[e] == '/' {
		k := e + 1
		for k < len(text) {
			r, n := utf8.DecodeRuneInString(text[k:])
			if !unicode.IsLetter(r) {
				break
			}
			k += n
		}
		if k > e+1 && (k == len(text) || text[k] != '/') && slashWord(text[e+1:k], ca) {
			out = append(out, [2]int{e + 1, k})
		}
	}
	if cb != 0 && s >= 2 && text[s-1] == '/' {
		b := s - 1
		for b > 0 {
			r, n := utf8.DecodeLastRuneInString(text[:b])
			if !unicode.IsLetter(r) {
				break
			}
			b -= n
		}
		if b < s-1 && (b == 0 || text[b-1] != '/') && slashWord(text[b:s-1], cb) {
			out = append(out, [2]int{b, s - 1})
		}
	}
	return out
}

// slashWord is partnerWord for a word glued by a slash (see Coordination).
func slashWord(w string, c byte) bool {
	if partnerWord(w, c) {
		return true
	}
	k := strings.ToLower(w)
	if c != 'l' || utf8.RuneCountInString(k) < 4 || stopWords.Has(k) || clinicalAbbrs.Has(k) || medications.Has(k) || unitQualifiers.Has(k) || careUnits.Has(k) || kin.Has(k) || clinicalRoles.Has(k) {
		return false
	}
	return gazetteer.Lookup(k) == 0 && !commonTypo(k) && !medicationTypos.near(k)
}

// conjunction reports whether w joins two names.
func conjunction(w string) bool {
	return w == "&" || strings.EqualFold(w, "and") || strings.EqualFold(w, "or")
}

// partnerAfter returns the word after "<name> and" at byte i.
func partnerAfter(text string, i int, c byte) (int, int, bool) {
	j := skipBlanks(text, i)
	if j == i || j >= len(text) {
		return 0, 0, false
	}
	k := j
	for k < len(text) && text[k] != ' ' && text[k] != '\t' && text[k] != '\n' && text[k] != '\r' {
		k++
	}
	if !conjunction(text[j:k]) {
		return 0, 0, false
	}
	w, s, e := nextOnLine(text, k)
	if w == "" || !partnerWord(w, c) {
		return 0, 0, false
	}
	// the last word of its phrase
	if n, _, _ := nextOnLine(text, e); n != "" && wordCase(n) == c && (c != 'C' || !sentenceStart(text, e)) {
		return 0, 0, false
	}
	if e < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[e:]); r == '-' || r == '/' || r == '@' {
			return 0, 0, false
		}
	}
	return s, e, true
}

// partnerBefore returns the word before "and <name>" that ends at byte i.
func partnerBefore(text string, i int, c byte) (int, int, bool) {
	j := i
	for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
		j--
	}
	if j == i {
		return 0, 0, false
	}
	k := j
	for k > 0 && text[k-1] != ' ' && text[k-1] != '\t' && text[k-1] != '\n' && text[k-1] != '\r' {
		k--
	}
	if !conjunction(text[k:j]) {
		return 0, 0, false
	}
	e := k
	for e > 0 && (text[e-1] == ' ' || text[e-1] == '\t') {
		e--
	}
	if e == k {
		return 0, 0, false
	}
	s := e
	for s > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:s])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		s -= n
	}
	if s == e || !partnerWord(text[s:e], c) {
		return 0, 0, false
	}
	// the first word of its phrase
	if s > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:s]); r == '-' || r == '/' || r == '@' || r == '\'' {
			return 0, 0, false
		}
		p := s
		for p > 0 && (text[p-1] == ' ' || text[p-1] == '\t') {
			p--
		}
		if p < s && p > 0 {
			b := p
			for b > 0 {
				r, n := utf8.DecodeLastRuneInString(text[:b])
				if !unicode.IsLetter(r) {
					break
				}
				b -= n
			}
			if b < p && wordCase(text[b:p]) == c && (c != 'C' || !sentenceStart(text, b)) {
				return 0, 0, false
			}
		}
	}
	return s, e, true
}

// partnerWord reports whether w, in case c, can be a name joined to one.
func partnerWord(w string, c byte) bool {
	if wordCase(w) != c || utf8.RuneCountInString(w) < 3 || strings.ContainsFunc(w, unicode.IsDigit) {
		return false
	}
	k := strings.ToLower(w)
	if stopWords.Has(k) || clinicalAbbrs.Has(k) || medications.Has(k) {
		return false
	}
	fl := gazetteer.Lookup(k)
	if fl.Common() {
		return false
	}
	if fl&(gazetteer.First|gazetteer.Last|gazetteer.Place|gazetteer.PlaceName) != 0 {
		return true
	}
	// In no list: a typing error of an ordinary word or a medicine is as
	// likely as a name, and in lower-case notes more likely.
	return c != 'l' && !commonTypo(k) && !medicationTypos.near(k)
}

func skipBlanks(text string, i int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	return i
}
