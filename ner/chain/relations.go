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

// Relations finds the names that notes explain in parentheses after
// them: a family tie or a clinical role ("TAMSIN (WIFE) CALLED", "spoke
// to declan (son)", "Quillanby (HO) aware", "Rowena (pt's niece/HCP)").
// Inside the parentheses stand only kin words, clinical roles,
// credentials and the words of "health care proxy", with "pt's", "his",
// "her" and the like, and one kin word, role or credential at least. The
// one or two words right before the parenthesis on its line are the name
// (PERSON) when each is written as a name: in no list of ordinary words
// and of three letters or more or in a list of given names or surnames;
// or capitalised and in such a list ("Rose"); and no stop word, clinical abbreviation, medicine or unit; a
// first word that is not is left out. Words a finding holds are left to
// it. Every other finding passes unchanged.
type Relations struct{}

var _ ner.Refiner = Relations{}

// Name implements ner.Refiner.
func (Relations) Name() string { return "relations" }

// RelationRule is the rule id of the names Relations adds.
const RelationRule = "chain/relation"

var (
	clinicalRoles = lexicon.MustSet("clinical-roles")
	// relationFiller may stand in the parentheses besides kin and roles.
	relationFiller = map[string]bool{"pt": true, "pts": true, "patient": true, "patients": true, "s": true, "his": true, "her": true, "their": true, "hcp": true, "health": true, "care": true, "proxy": true, "and": true, "primary": true, "contact": true}
)

// Refine implements ner.Refiner.
func (Relations) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	for i := 0; i < len(text); {
		p := strings.IndexByte(text[i:], '(')
		if p < 0 {
			break
		}
		p += i
		i = p + 1
		q := strings.IndexByte(text[p:], ')')
		if q < 0 || q > 48 {
			continue
		}
		if !relationWords(text[p+1 : p+q]) {
			continue
		}
		// the one or two words before the parenthesis, on its line
		b := p
		for b > 0 && (text[b-1] == ' ' || text[b-1] == '\t') {
			b--
		}
		ls := strings.LastIndexByte(text[:b], '\n') + 1
		ws := ner.Words(text[max(ls, b-64):b])
		off := max(ls, b-64)
		if len(ws) == 0 || off+ws[len(ws)-1].End != b {
			continue
		}
		last := ws[len(ws)-1]
		if !personWord(text[off+last.Start:off+last.End], last.Key) {
			continue
		}
		s, e := off+last.Start, off+last.End
		if len(ws) >= 2 {
			w := ws[len(ws)-2]
			if spaced(text, off+w.End, s) && personWord(text[off+w.Start:off+w.End], w.Key) {
				s = off + w.Start
			}
		}
		if overlaps(found, s, e) {
			continue
		}
		out = append(out, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: 0.8, Rule: RelationRule})
	}
	return out, nil
}

// relationWords reports whether s, the text in parentheses, says only
// how someone is related to the patient or what their role is.
func relationWords(s string) bool {
	ws := ner.Words(s)
	if len(ws) == 0 || len(ws) > 5 {
		return false
	}
	tie := false
	for _, w := range ws {
		switch {
		case w.Key == "per" || w.Key == "team": // "(per MD)" says who ordered, "(team)" is no one
			return false
		case kin.Has(w.Key) || clinicalRoles.Has(w.Key) || credentialSet.Has(w.Key):
			tie = true
		case relationFiller[w.Key], w.Key == "in" || w.Key == "law":
		default:
			return false
		}
	}
	return tie && strings.Trim(s, " \t,/&'’-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// personWord reports whether word s (key k) is written as a name (see
// Relations).
func personWord(s, k string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' {
			return false
		}
	}
	if shorthandWord(k) || credentialSet.Has(k) || kin.Has(k) || clinicalRoles.Has(k) {
		return false
	}
	fl := gazetteer.Lookup(k)
	if fl.Common() {
		return fl&(gazetteer.First|gazetteer.Last) != 0 && titleCase(s) // "Rose (sister)", not "back (NP)"
	}
	return fl&(gazetteer.First|gazetteer.Last) != 0 || utf8.RuneCountInString(k) >= 3
}
