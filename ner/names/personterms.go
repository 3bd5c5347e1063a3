package names

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// PersonTerms detects the people a term list names (a deny list, a list of
// minors) in every form a reader recognises, not only as listed. A term
// names a person when it has two to four words, no digits, its first word
// (after a title) is a known given name and no word is a company form
// ("LLC"). For "Jane Q. Roe" it finds, case-insensitively:
//
//   - the given name and the surname with up to two middle names or
//     initials between them: "Jane Roe", "Jane Quinn Roe", "Jane Q Roe";
//   - the inverted form: "Roe, Jane", "ROE, JANE Q.";
//   - the initial of the given name and the surname: "J. Roe";
//   - the surname alone, capitalised ("Ms. Roe", "Roe's"), except right
//     after a different known given name (her husband "Paul Roe" is not
//     her);
//   - the given name alone, capitalised, where it is unambiguous in the
//     text: no other listed person has it, it is not an ordinary word, and
//     the text names no one else with it ("Jane Smith").
//
// Each match is one finding of the detector's entity and rule with score
// ner.TermScore, as ner.Terms reports the listed form itself. Matches cover
// the name words only: a title or a possessive "'s" stays outside.
type PersonTerms struct {
	people []personTerm
	// byWord lists, per folded word, the people whose given name or
	// surname it is.
	byWord map[string][]int
	// givenShared holds given names that several listed people have.
	givenShared map[string]bool
	entity      ner.Entity
	rule        string
}

var _ ner.Detector = (*PersonTerms)(nil)

type personTerm struct {
	given, surname string          // folded
	middles        map[string]bool // folded middle names of the term
}

var (
	termTitles       = lexicon.MustSet("titles")
	termCompanyForms = lexicon.MustSet("company-forms")
)

// NewPersonTerms returns a detector of the people among terms (read by
// ner.CleanTerms); terms that do not name a person are left to ner.Terms.
func NewPersonTerms(terms []string, e ner.Entity, rule string) *PersonTerms {
	d := &PersonTerms{byWord: map[string][]int{}, givenShared: map[string]bool{}, entity: e, rule: rule}
	givens := map[string]int{}
	seen := map[string]bool{}
	for _, t := range ner.CleanTerms(terms) {
		p, ok := personOf(t)
		if !ok {
			continue
		}
		key := p.given + " " + p.surname
		if seen[key] {
			continue
		}
		seen[key] = true
		id := len(d.people)
		d.people = append(d.people, p)
		d.byWord[p.given] = append(d.byWord[p.given], id)
		if p.surname != p.given {
			d.byWord[p.surname] = append(d.byWord[p.surname], id)
		}
		if givens[p.given]++; givens[p.given] > 1 {
			d.givenShared[p.given] = true
		}
	}
	return d
}

// personOf reads a term as a person's name.
func personOf(term string) (personTerm, bool) {
	ws := ner.Words(term)
	for len(ws) > 0 && termTitles.Has(ws[0].Key) {
		ws = ws[1:]
	}
	if len(ws) < 2 || len(ws) > 4 {
		return personTerm{}, false
	}
	for _, w := range ws {
		if termCompanyForms.Has(w.Key) || strings.ContainsAny(w.Key, "0123456789") {
			return personTerm{}, false
		}
	}
	given, surname := ws[0].Key, ws[len(ws)-1].Key
	if utf8.RuneCountInString(given) < 2 || utf8.RuneCountInString(surname) < 2 || !gazetteer.FirstNames().Has(given) {
		return personTerm{}, false
	}
	p := personTerm{given: given, surname: surname, middles: map[string]bool{}}
	for _, w := range ws[1 : len(ws)-1] {
		p.middles[w.Key] = true
	}
	return p, true
}

// Len returns the number of people the detector looks for.
func (d *PersonTerms) Len() int { return len(d.people) }

// Name implements ner.Detector: the rule id.
func (d *PersonTerms) Name() string { return d.rule }

// Detect implements ner.Detector.
func (d *PersonTerms) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	if len(d.people) == 0 {
		return nil, ctx.Err()
	}
	ws := ner.Words(text)
	var out []ner.Finding
	add := func(s, e int) {
		out = append(out, ner.Finding{Start: s, End: e, Entity: d.entity, Score: ner.TermScore, Rule: d.rule})
	}
	ambiguous := d.ambiguousGivens(text, ws)
	for i, w := range ws {
		if i&1023 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, id := range d.byWord[w.Key] {
			p := d.people[id]
			if w.Key == p.given {
				if j := d.fullEnd(text, ws, i, p); j > i {
					add(w.Start, ws[j].End)
					continue
				}
				if w.Capital && !d.givenShared[p.given] && !ambiguous[p.given] && !gazetteer.IsCommonWord(p.given) {
					add(w.Start, w.End)
				}
			}
			if w.Key == p.surname && w.Capital {
				start, end := w.Start, w.End
				if i+1 < len(ws) && ws[i+1].Key == p.given && commaGap(text[w.End:ws[i+1].Start]) {
					end = ws[i+1].End // "Roe, Jane"
					if k := i + 2; k < len(ws) && isInitialOrMiddle(ws[k], p) && spaceGap(text[ws[i+1].End:ws[k].Start]) {
						end = ws[k].End // "Roe, Jane Q."
					}
				} else if i > 0 && initialOf(ws[i-1], p.given) && initialGap(text[ws[i-1].End:w.Start]) {
					start = ws[i-1].Start // "J. Roe"
				} else if i > 0 && ws[i-1].Key != p.given && !p.middles[ws[i-1].Key] && ws[i-1].Capital &&
					gazetteer.FirstNames().Has(ws[i-1].Key) && spaceGap(text[ws[i-1].End:w.Start]) {
					continue // another person of the family: "Paul Roe"
				}
				add(start, end)
			}
		}
	}
	return out, ctx.Err()
}

// fullEnd returns the index of the surname that ends a full name starting
// with the given name at i ("Jane Roe", "Jane Q. Roe", "Jane Quinn Roe"), or
// -1.
func (d *PersonTerms) fullEnd(text string, ws []ner.Word, i int, p personTerm) int {
	for j := i + 1; j < len(ws) && j <= i+3; j++ {
		gap := text[ws[j-1].End:ws[j].Start]
		if !initialGap(gap) {
			return -1
		}
		if ws[j].Key == p.surname {
			return j
		}
		if !isInitialOrMiddle(ws[j], p) {
			return -1
		}
	}
	return -1
}

// ambiguousGivens returns the listed given names that the text also uses
// for someone else: followed by a capitalised word that is neither the
// person's surname nor a middle name, an initial or an ordinary word, and
// does not start the person's full name ("Jane Quinn Roe").
func (d *PersonTerms) ambiguousGivens(text string, ws []ner.Word) map[string]bool {
	var out map[string]bool
	for i := 0; i+1 < len(ws); i++ {
		ids := d.byWord[ws[i].Key]
		if len(ids) == 0 || !ws[i].Capital {
			continue
		}
		next := ws[i+1]
		if !next.Capital || utf8.RuneCountInString(next.Key) < 2 || !spaceGap(text[ws[i].End:next.Start]) || gazetteer.IsCommonWord(next.Key) {
			continue
		}
		for _, id := range ids {
			p := d.people[id]
			if p.given == ws[i].Key && next.Key != p.surname && !p.middles[next.Key] && d.fullEnd(text, ws, i, p) < 0 {
				if out == nil {
					out = map[string]bool{}
				}
				out[p.given] = true
			}
		}
	}
	return out
}

// isInitialOrMiddle reports whether w may stand between the given name and
// the surname of p: one of its middle names, or a capitalised word or
// initial.
func isInitialOrMiddle(w ner.Word, p personTerm) bool {
	return p.middles[w.Key] || w.Capital
}

// initialOf reports whether w is the capital initial of given.
func initialOf(w ner.Word, given string) bool {
	r, _ := utf8.DecodeRuneInString(given)
	return w.Capital && utf8.RuneCountInString(w.Key) == 1 && strings.HasPrefix(w.Key, string(r))
}

// spaceGap reports whether gap is white space on one line.
func spaceGap(gap string) bool {
	return gap != "" && len(gap) <= 3 && strings.Trim(gap, " \t\u00a0") == ""
}

// initialGap reports whether gap separates the words of one name: white
// space, after an optional full stop.
func initialGap(gap string) bool {
	return spaceGap(strings.TrimPrefix(gap, "."))
}

// commaGap reports whether gap is a comma with white space: "Roe, Jane".
func commaGap(gap string) bool {
	g, ok := strings.CutPrefix(strings.TrimLeft(gap, " \t"), ",")
	return ok && (g == "" || spaceGap(g))
}

// Listed detects a term list: its terms as listed (ner.Terms) and the
// people among them in every form of their names (PersonTerms), as one
// detector under the list's rule id.
type Listed struct {
	terms  *ner.Terms
	people *PersonTerms
}

var _ ner.Detector = (*Listed)(nil)

// NewListed returns the detector of a term list (read by ner.CleanTerms):
// entity e, rule id rule.
func NewListed(terms []string, e ner.Entity, rule string) *Listed {
	return &Listed{terms: ner.NewTermsAs(terms, e, rule), people: NewPersonTerms(terms, e, rule)}
}

// Name implements ner.Detector: the rule id.
func (l *Listed) Name() string { return l.terms.Name() }

// Detect implements ner.Detector.
func (l *Listed) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	fs, err := l.terms.Detect(ctx, text)
	if err != nil {
		return nil, err
	}
	more, err := l.people.Detect(ctx, text)
	return append(fs, more...), err
}
