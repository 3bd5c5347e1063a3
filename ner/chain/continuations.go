package chain

import (
	"context"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
	"github.com/veilhq/veil/ner/pattern"
)

// Continuations extends a person's name over the rest of the name a
// detector left beside it: "Seen Orsolya Quillanby" where only the given
// name was read as a person would otherwise keep the surname, and verify,
// which reads the output where the surname stands alone, could not see it.
//
// A PERSON finding followed on the same line by one space or a hyphen and
// a capitalised word (a capital and a lower-case letter, then letters,
// three letters or more: "Quillanby", "McQuillan") that is in no
// ordinary-word list (gazetteer.Lookup(w).Common()), not a place on its
// own, and no stop word, month, weekday, title, credential, medicine,
// clinical abbreviation, kin word or head of a place, organisation,
// facility, hospital or care unit, and is not itself
// followed by such a head ("Orsolya Quillanby Oakvale Hospital" names
// the hospital), is extended over that word. Likewise a PERSON finding of
// one capitalised word preceded by such a word and one space ("Orsolya
// Quillanby" where only "Quillanby" was read) is extended back over it.
// A word that another finding of another entity covers is left to it.
// One word is added on each side at most. The finding keeps its entity,
// score and rule.
//
// Before that, a name of two words or more that the name rules read as a
// person ("names/..." findings) wins over a one-word organisation or place
// inside it that only a statistical pass (prose, the model) or propagation
// gave: prose reading "Dribaerard" as an organisation in "with Miaback
// Dribaerard" would otherwise leave the pair to a threshold the pair's own
// score may not reach, and "Miaback" in the output. That finding becomes
// a PERSON finding over the whole name, with its score, under
// NamePairRule. Every other finding passes unchanged.
type Continuations struct{}

// NamePairRule is the rule id of a statistical pass's one-word finding
// inside a person's name that Continuations reads as that name.
const NamePairRule = "chain/name-pair"

var _ ner.Refiner = Continuations{}

// Name implements ner.Refiner.
func (Continuations) Name() string { return "continuations" }

var continuationStop = lexicon.MustSet("stop-words", "months", "weekdays", "titles", "credentials",
	"medications", "clinical-abbreviations", "kin", "org-heads", "strong-org-heads", "place-heads",
	"facility-heads", "facility-kinds", "hospital-heads", "care-units", "company-forms", "street-types",
	"particles", "countries", "us-states", "demonyms")

// Refine implements ner.Refiner.
func (Continuations) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out, copied := namePairs(text, found)
	var others *spans // findings of other entities, built on first need
	for k, f := range out {
		if f.Entity != ner.Person {
			if g, ok := nameRun(text, f); ok {
				if others == nil {
					others = newSpans(out)
				}
				if !others.overlap(f.End, g.End) && (g.Start >= f.Start || !others.overlap(g.Start, f.Start)) {
					if !copied {
						out, copied = append([]ner.Finding(nil), out...), true
					}
					out[k] = g
				}
			}
			continue
		}
		s, e := f.Start, f.End
		if ws, we, ok := continuationAfter(text, e); ok {
			if others == nil {
				others = newSpans(out)
			}
			if !others.overlap(ws, we) {
				e = we
			}
		}
		if ws, ok := continuationBefore(text, s, f.End); ok {
			if others == nil {
				others = newSpans(out)
			}
			if !others.overlap(ws, s) {
				s = ws
			}
		}
		if s == f.Start && e == f.End {
			continue
		}
		if !copied {
			out, copied = append([]ner.Finding(nil), out...), true
		}
		out[k].Start, out[k].End = s, e
	}
	return out, nil
}

// namePairs returns found with each one-word organisation or place that
// a statistical pass or propagation found inside a name rule's person of
// two words or more read as that person (see Continuations): found
// itself when there is none, else a copy (copied).
func namePairs(text string, found []ner.Finding) (out []ner.Finding, copied bool) {
	var byStart []int // indices of the candidates, by start
	for k, f := range found {
		if (f.Entity == ner.Organization || f.Entity == ner.Location) && statistical(f.Rule) && len(ner.Words(text[f.Start:f.End])) == 1 {
			byStart = append(byStart, k)
		}
	}
	if len(byStart) == 0 {
		return found, false
	}
	sort.SliceStable(byStart, func(i, j int) bool { return found[byStart[i]].Start < found[byStart[j]].Start })
	starts := make([]int, len(byStart))
	for i, k := range byStart {
		starts[i] = found[k].Start
	}
	out = found
	for _, p := range found {
		if p.Entity != ner.Person || !strings.HasPrefix(p.Rule, "names/") || strings.IndexByte(text[p.Start:p.End], '\n') >= 0 || len(ner.Words(text[p.Start:p.End])) < 2 {
			continue
		}
		for i := sort.SearchInts(starts, p.Start); i < len(starts) && starts[i] < p.End; i++ {
			k := byStart[i]
			if f := found[k]; f.End <= p.End && f.Len() < p.Len() {
				if !copied {
					out, copied = append([]ner.Finding(nil), found...), true
				}
				out[k] = ner.Finding{Start: p.Start, End: p.End, Entity: ner.Person, Score: f.Score, Rule: NamePairRule}
			}
		}
	}
	return out, copied
}

// NameRunRule is the rule id of a statistical pass's one-word organisation
// or place that Continuations reads, with the unknown capitalised words
// beside it, as a person's name; NameRunScore its score.
const (
	NameRunRule  = "chain/name-run"
	NameRunScore = 0.6
)

// nameRun returns what a statistical pass's organisation or place f
// becomes when it stops inside a run of capitalised words in no list (see
// continuationWord): prose reading "Orsolya" as an organisation in
// "Orsolya Quillanby" would otherwise leave "Quillanby" in the output.
// When f holds one word (glued punctuation aside: a tokenizer's
// `title="Orsolya`), the run of two or three such words it stops in is a
// person's name (NameRunRule), unless a head of a place or organisation
// follows it (continuationAfter). When f holds more words, it is extended
// over the next word of the run and keeps its entity. ok is false when f
// ends at no such word.
func nameRun(text string, f ner.Finding) (g ner.Finding, ok bool) {
	if f.Entity != ner.Organization && f.Entity != ner.Location || !statistical(f.Rule) {
		return f, false
	}
	// the word f ends with
	a := f.End
	for a > f.Start {
		r, n := utf8.DecodeLastRuneInString(text[:a])
		if !unicode.IsLetter(r) {
			break
		}
		a -= n
	}
	if a == f.End || !continuationWord(text[a:f.End]) {
		return f, false
	}
	_, we, ok := continuationAfter(text, f.End)
	if !ok || text[f.End] != ' ' {
		return f, false
	}
	if strings.ContainsAny(text[f.Start:a], " \t\n") {
		// a name of more words: it takes the rest of the run
		g = f
		g.End = we
		return g, true
	}
	if a > f.Start {
		if r, _ := utf8.DecodeLastRuneInString(text[:a]); unicode.IsDigit(r) {
			return f, false
		}
	}
	s, e, n := a, we, 2
	if _, we2, ok := continuationAfter(text, e); ok && text[e] == ' ' {
		e, n = we2, 3
	}
	if b, ok := continuationBefore(text, s, f.End); ok && n < 3 && a == f.Start {
		s, n = b, n+1
	}
	return ner.Finding{Start: s, End: e, Entity: ner.Person, Score: max(f.Score, NameRunScore), Rule: NameRunRule}, true
}

// statistical reports whether rule is a statistical pass's (prose, the
// model) or propagation's.
func statistical(rule string) bool {
	rule = strings.TrimPrefix(rule, ner.PropagatedPrefix)
	return strings.HasPrefix(rule, "prose/") || strings.HasPrefix(rule, "model/")
}

// continuationAfter returns the word that continues a name ending at
// byte i.
func continuationAfter(text string, i int) (int, int, bool) {
	if i >= len(text) || text[i] != ' ' && text[i] != '-' {
		return 0, 0, false
	}
	s := i + 1
	e := letterRun(text, s)
	if e == s || !continuationWord(text[s:e]) {
		return 0, 0, false
	}
	if e < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[e:]); unicode.IsDigit(r) || r == '@' || r == '/' {
			return 0, 0, false
		}
	}
	// "Orsolya Quillanby Oakvale Hospital": the word names what follows.
	if e+1 < len(text) && text[e] == ' ' {
		if n := letterRun(text, e+1); n > e+1 && wordCase(text[e+1:n]) == 'C' && headWord(text[e+1:n]) {
			return 0, 0, false
		}
	}
	return s, e, true
}

// continuationBefore returns the start of the word before a one-word
// name at bytes [s, e).
func continuationBefore(text string, s, e int) (int, bool) {
	if s < 2 || text[s-1] != ' ' || letterRun(text, s) != e || !nameCase(text[s:e]) {
		return 0, false
	}
	b := s - 1
	for b > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:b])
		if !unicode.IsLetter(r) {
			break
		}
		b -= n
	}
	if b == s-1 || !continuationWord(text[b:s-1]) {
		return 0, false
	}
	if b > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:b]); unicode.IsDigit(r) || r == '-' || r == '/' || r == '@' || r == '\'' || r == '.' && b > 1 && text[b-2] != ' ' {
			return 0, false
		}
	}
	return b, true
}

// headWord reports whether w heads the name of a place, an organisation
// or a facility.
func headWord(w string) bool {
	return continuationHeads.Has(strings.ToLower(w))
}

var continuationHeads = lexicon.MustSet("org-heads", "strong-org-heads", "place-heads", "facility-heads",
	"facility-kinds", "hospital-heads", "care-units", "company-forms", "street-types")

// continuationWord reports whether w can be the rest of a name (see
// Continuations).
func continuationWord(w string) bool {
	if !nameCase(w) || utf8.RuneCountInString(w) < 3 {
		return false
	}
	k := strings.ToLower(w)
	if continuationStop.Has(k) {
		return false
	}
	fl := gazetteer.Lookup(k)
	return !fl.Common() && fl&gazetteer.PlaceName == 0
}

// nameCase reports whether w is written as a name: a capital, then
// letters of which the second is lower case ("Quillanby", "McQuillan",
// "DeWitt"; not "QUILLANBY", "QUillanby").
func nameCase(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	r2, _ := utf8.DecodeRuneInString(w[n:])
	return unicode.IsLower(r2)
}

// letterRun returns the end of the letters that start at byte i.
func letterRun(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	return i
}

// spans answers whether a span overlaps a finding of an entity other
// than PERSON in O(log n): the findings sorted by start, with the
// greatest end of each prefix.
type spans struct {
	start, maxEnd []int
}

func newSpans(found []ner.Finding) *spans {
	var fs []ner.Finding
	for _, f := range found {
		if f.Entity != ner.Person {
			fs = append(fs, f)
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Start < fs[j].Start })
	sp := &spans{start: make([]int, len(fs)), maxEnd: make([]int, len(fs))}
	m := 0
	for i, f := range fs {
		m = max(m, f.End)
		sp.start[i], sp.maxEnd[i] = f.Start, m
	}
	return sp
}

// overlap reports whether [s, e) overlaps one of the findings.
func (sp *spans) overlap(s, e int) bool {
	n := sort.SearchInts(sp.start, e) // findings starting before e
	return n > 0 && sp.maxEnd[n-1] > s
}

// LabelNames reads a line "Label: Xxxx Yyyy", a label of one to three
// words, a colon and two capitalised words that end the line, as a
// person's name when both words pass the test of Continuations (in no
// ordinary-word list, not a place on its own, no month, weekday, title,
// credential, medicine or head of a place, organisation or facility):
// "Intake: Orsolya Quillanby". The name rules read no pair at a line's
// start or after a colon, where any capitalised word may begin a
// sentence; two unknown words that are the whole value of a label are a
// name. After a label that names a person (pattern.Classify, labels.yaml:
// "Patient name", "Client", "Therapist"), two or three words that end the
// line are a name whatever their case ("patient name: orsolya
// quillanby", "Client: ORSOLYA QUILLANBY") when none is an ordinary word,
// a place or in the lists above. A line a finding of another entity
// touches is left to it; what another PERSON finding covers is extended to the pair (Resolve). Every
// finding passes unchanged; the pair scores LabelNameScore under
// LabelNameRule.
type LabelNames struct{}

var _ ner.Refiner = LabelNames{}

// Name implements ner.Refiner.
func (LabelNames) Name() string { return "label-names" }

// LabelNameRule is the rule id of what LabelNames adds, LabelNameScore its
// score.
const (
	LabelNameRule  = "chain/label-name"
	LabelNameScore = 0.6
)

// Refine implements ner.Refiner.
func (LabelNames) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	var added []ner.Finding
	var others *spans
	eachLine(text, func(ls, le int) {
		s, e, ok := labelName(text, ls, le)
		if !ok {
			s, e, ok = loneName(text, ls, le)
		}
		if ok {
			if others == nil {
				others = newSpans(found)
			}
			if !others.overlap(s, e) {
				added = append(added, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: LabelNameScore, Rule: LabelNameRule})
			}
		}
	})
	if len(added) == 0 {
		return found, nil
	}
	return append(found[:len(found):len(found)], added...), nil
}

// labelName returns the name of a line "Label: Xxxx Yyyy" at bytes
// [ls, le) of text.
func labelName(text string, ls, le int) (int, int, bool) {
	line := text[ls:le]
	c := strings.IndexByte(line, ':')
	if c <= 0 || c+2 >= len(line) || line[c+1] != ' ' {
		return 0, 0, false
	}
	label := strings.TrimLeft(line[:c], " \t")
	n := 0
	for _, w := range strings.Split(label, " ") {
		if w == "" || letterRun(w, 0) != len(w) {
			return 0, 0, false
		}
		n++
	}
	if n == 0 || n > 3 {
		return 0, 0, false
	}
	s := c + 1
	for s < len(line) && line[s] == ' ' {
		s++
	}
	if e, ok := capitalisedPair(line, s); ok {
		return ls + s, ls + e, true
	}
	if e, ok := labelledWords(line, s); ok && slices.Contains(pattern.Classify(label), ner.Person) {
		return ls + s, ls + e, true
	}
	return 0, 0, false
}

// loneName returns the name that is the whole line [ls, le) of text:
// two or three capitalised words apart by one space, each passing
// continuationWord, with nothing else on the line but spaces
// ("Orsolya Quillanby" on a line of its own, or as the whole value of an
// attribute, a cell, a field). A head of a place or organisation in the
// line ("Quillanby Hospital") fails continuationWord.
func loneName(text string, ls, le int) (int, int, bool) {
	line := text[ls:le]
	s := 0
	for s < len(line) && (line[s] == ' ' || line[s] == '\t') {
		s++
	}
	e, n := s, 0
	for n < 3 {
		m := letterRun(line, e)
		if m == e || !continuationWord(line[e:m]) {
			return 0, 0, false
		}
		n++
		e = m
		if e+1 >= len(line) || line[e] != ' ' || letterRun(line, e+1) == e+1 {
			break
		}
		e++
	}
	if n < 2 || strings.TrimRight(line[e:], " \t\r") != "" {
		return 0, 0, false
	}
	return ls + s, ls + e, true
}

// capitalisedPair returns the end of two capitalised words at byte s of
// line, apart by one space, that end the line and pass continuationWord.
func capitalisedPair(line string, s int) (int, bool) {
	m := letterRun(line, s)
	if m == s || m >= len(line) || line[m] != ' ' || !continuationWord(line[s:m]) {
		return 0, false
	}
	e := letterRun(line, m+1)
	if e == m+1 || !continuationWord(line[m+1:e]) || strings.TrimRight(line[e:], " \t\r") != "" {
		return 0, false
	}
	return e, true
}

// labelledWords returns the end of two or three words of letters at byte
// s of line, in any case, apart by one space, that end the line: each of
// two letters or more, in no ordinary-word list, not a place on its own
// and in none of continuationStop's lists (the value of a label that
// names a person: "patient name: orsolya quillanby").
func labelledWords(line string, s int) (int, bool) {
	e, n := s, 0
	for {
		m := letterRun(line, e)
		if m == e || utf8.RuneCountInString(line[e:m]) < 2 {
			return 0, false
		}
		k := strings.ToLower(line[e:m])
		if continuationStop.Has(k) {
			return 0, false
		}
		if fl := gazetteer.Lookup(k); fl.Common() || fl&gazetteer.PlaceName != 0 {
			return 0, false
		}
		n++
		e = m
		if n == 3 || e >= len(line) || line[e] != ' ' || letterRun(line, e+1) == e+1 {
			break
		}
		e++
	}
	if n < 2 || strings.TrimRight(line[e:], " \t\r") != "" {
		return 0, false
	}
	return e, true
}
