package model

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
	"github.com/veilhq/veil/ner/names"
)

// RulePrefix starts the rule ids of the model's findings ("model/person").
const RulePrefix = "model"

// MinScore is the lowest probability of a finding the model reports: below
// it a profile's threshold could not mean anything anyway.
const MinScore = 0.1

// Detector is the shipped model as a ner.Detector: its entities (PERSON,
// LOCATION, ORGANIZATION), each scored with the calibrated probability of
// its words, over all of the text (no window, no gating). Dates are left
// to the rules.
type Detector struct{}

var _ ner.Detector = Detector{}

// Name implements ner.Detector.
func (Detector) Name() string { return "model" }

// Detect implements ner.Detector.
func (Detector) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	m, err := Shipped()
	if err != nil {
		return nil, fmt.Errorf("model: load: %w", err)
	}
	tagged, err := m.Tag(ctx, text)
	if err != nil {
		return nil, err
	}
	return findings(text, tagged), nil
}

// findings are the model's entities of at least MinScore, without dates and
// without spans made only of digits.
func findings(text string, tagged []Tagged) []ner.Finding {
	var out []ner.Finding
	for _, f := range Spans(tagged, RulePrefix) {
		if f.Entity == ner.Date || f.Score < MinScore || !hasLetter(text[f.Start:f.End]) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if r > '9' {
			return true
		}
	}
	return false
}

// Refiner adds the model's names of people to the findings of the passes
// before it: PERSON findings of at least NameScore whose words are not all
// ordinary vocabulary; and its places of at least PlaceScore where no
// finding lies (confidentPlaces). Organisations, and places it is less
// sure of, are reported only in maximum-recall mode (MaxRecall): on
// clinical notes, where the weights saw no real text, they cost more
// precision than they add recall (docs/QUALITY.md).
type Refiner struct{}

// NameScore is the lowest probability of a name Refiner reports.
const NameScore = 0.9

// PlainNameScore is the lowest probability of a name Refiner reports
// when written as a full name (writtenAsName) with a listed word, or from
// UnlistedNameScore without one, and its first word is no ordinary word or
// a listed given name (givenFirst); the same floor as maximum recall's
// (DefaultMaxRecallNameScore). On the tune part of the development sets
// (docs/QUALITY.md, conll37) it took names of results tables and sports
// reports the model gives 0.6-0.9, and changed nothing on notes; without
// givenFirst it masked two capitalised clinical terms of notes.
const PlainNameScore = 0.6

// PlaceScore is the lowest probability of a place Refiner reports. With
// the weights of session 34 (docs/QUALITY.md, modelrecall), on the tune
// part of the development sets, 0.9 instead of 0.95 found one more
// quasi-identifier of judgments and more places in news (mention recall
// +0.009) and changed nothing on notes; with the weights before them 0.9
// had cost judgments' precision (modelv3).
const PlaceScore = 0.9

var _ ner.Refiner = Refiner{}

// Name implements ner.Refiner.
func (Refiner) Name() string { return "model" }

// Refine implements ner.Refiner: found plus the model's names.
func (Refiner) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	m, err := Shipped()
	if err != nil {
		return nil, fmt.Errorf("model: load: %w", err)
	}
	// Every name and place the model gives lies in a line of mixed case
	// (confidentNamesIn, confidentPlaces): a text with no such line (a
	// note all in capitals or all in lower case) gets nothing from the
	// model, which is not run; the names found are still widened
	// (nameParts reads no tag).
	if !anyMixedCaseLine(text) {
		out := found[:len(found):len(found)]
		return append(out, nameParts(text, out)...), nil
	}
	tagged, release, err := m.tagPooled(ctx, text)
	defer release()
	if err != nil {
		return nil, err
	}
	return refineTags(text, tagged, found), nil
}

// refineTags is Refine's findings given the model's tags of text: found,
// then the model's confident names and places, then the names of all
// those widened (nameParts). It does not keep tagged.
func refineTags(text string, tagged []Tagged, found []ner.Finding) []ner.Finding {
	fs := findings(text, tagged)
	out := append(found[:len(found):len(found)], confidentNamesIn(text, fs, found, PlainNameScore, true)...)
	out = append(out, confidentPlaces(text, fs, out, PlaceScore)...)
	return append(out, nameParts(text, out)...)
}

// confidentNames are the model's PERSON findings of at least floor
// where no finding of another entity lies (the rules' entity and score
// stand), without a leading title,
// not a lone word in capitals (an acronym) nor a lone demonym (doubtful),
// not all ordinary vocabulary, in lines of mixed case; those under
// NameScore only when written as a full name with a listed word
// (writtenAsName, listedName). Under floor, from ExtendScore, those written
// as a full name that widen a name of people in found (cover.extends).
// Time O((n+m) log m) for n names of the model and m findings of found,
// besides the lines of the names (mixedCaseLine).
func confidentNames(text string, tagged []Tagged, found []ner.Finding, floor float64) []ner.Finding {
	return confidentNamesIn(text, findings(text, tagged), found, floor, false)
}

// confidentNamesIn is confidentNames over the model's findings fs.
func confidentNamesIn(text string, fs, found []ner.Finding, floor float64, plain bool) []ner.Finding {
	var out []ner.Finding
	var others, people *cover // built when first needed
	for _, f := range fs {
		if f.Entity != ner.Person || f.Score < min(floor, ExtendScore) || !mixedCaseLine(text, f.Start) {
			continue
		}
		if others == nil {
			o := newCover(entityNot(found, ner.Person))
			others = &o
		}
		if others.overlaps(f.Start, f.End) {
			continue
		}
		f = dropTitle(text, f)
		ws := ner.Words(text[f.Start:f.End])
		if len(ws) == 0 || len(ws) == 1 && !strings.ContainsFunc(text[f.Start:f.End], unicode.IsLower) || ordinary(text[f.Start:f.End]) {
			continue
		}
		if doubtful(ws) {
			continue
		}
		written := writtenAsName(text[f.Start:f.End], ws)
		if plain && f.Score < NameScore && !givenFirst(ws) {
			continue
		}
		if f.Score >= floor && (f.Score >= NameScore || written && (f.Score >= UnlistedNameScore || listedName(ws))) {
			out = append(out, f)
			continue
		}
		if !written || f.Score < ExtendScore {
			continue
		}
		if people == nil {
			p := newCover(entityIs(found, ner.Person))
			people = &p
		}
		// a name of the rules the model widens: a given name beside the
		// surname the rules found, in a results table
		if !people.extends(f.Start, f.End) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// givenFirst reports whether the first of the words ws reads as a given
// name by the word lists: in no list of ordinary words, or in the lists of
// given names ("Sage Quillanby", "Orsk Quillanby"; not a capitalised
// abbreviation or term of a note that the model reads as a given name).
func givenFirst(ws []ner.Word) bool {
	f := gazetteer.Lookup(ws[0].Key)
	return !f.Common() || f&gazetteer.First != 0
}

// doubtful reports whether the model's name of words ws is a lone word
// that names a nationality, an ethnicity or a faith (lexicon
// demonyms: "Norwegian"): retrained weights named such words of notes with
// P of 0.9 and more (docs/QUALITY.md, conllper2). A name of the rules is
// not touched. (Leaving out as well the model's names in lower case with
// an unlisted word, and its lone unlisted words at the start of a
// sentence, cost the international records 0.015 of PERSON recall for two
// false-positive words on the notes' tune part: not done.)
func doubtful(ws []ner.Word) bool {
	return len(ws) == 1 && demonyms.Has(ws[0].Key)
}

// demonyms are the words for nationalities, ethnicities and faiths.
var demonyms = lexicon.MustSet("demonyms")

// UnlistedNameScore is the lowest probability of a name of the model
// under NameScore, from floor, that is added when written as a full name
// (writtenAsName) with no word in the lists of given names or surnames
// ("1. Orsk Quillanby ( Norway )": names from countries the lists barely
// cover). Only maximum recall has a floor under NameScore.
const UnlistedNameScore = 0.7

// ExtendScore is the lowest probability of a name of the model that
// widens a name another pass found (extends): the rules' name stands for
// the part they found, the model's words beside it join it when written
// as a full name (writtenAsName). Tuned on the tune part of the
// development sets (docs/QUALITY.md, conllper2).
const ExtendScore = 0.5

// extends reports whether [start, end) overlaps a span of c and is not
// within one of them.
func (c cover) extends(start, end int) bool {
	if !c.overlaps(start, end) {
		return false
	}
	n, _ := slices.BinarySearch(c.starts, start+1) // spans with Start <= start
	return n == 0 || c.maxEnd[n-1] < end
}

// entityIs returns the findings of fs of entity e; entityNot the others.
func entityIs(fs []ner.Finding, e ner.Entity) []ner.Finding {
	return slices.DeleteFunc(slices.Clone(fs), func(f ner.Finding) bool { return f.Entity != e })
}

func entityNot(fs []ner.Finding, e ner.Entity) []ner.Finding {
	return slices.DeleteFunc(slices.Clone(fs), func(f ner.Finding) bool { return f.Entity == e })
}

// confidentPlaces are the model's LOCATION findings (of fs) of at least min where
// no finding of found lies (the rules' and the model's names stand), in
// lines of mixed case, not a lone word in capitals (an acronym), not all
// ordinary vocabulary: a place maximum recall's word lists keep (a country,
// a town that is also a word) is masked when the model is sure of it.
// Time O((n+m) log m) for n findings of the model and m of found.
func confidentPlaces(text string, fs, found []ner.Finding, min float64) []ner.Finding {
	var out []ner.Finding
	var busy *cover // built for the first place sure enough
	for _, f := range fs {
		if f.Entity != ner.Location || f.Score < min || !mixedCaseLine(text, f.Start) {
			continue
		}
		if busy == nil {
			c := newCover(found)
			busy = &c
		}
		if busy.overlaps(f.Start, f.End) {
			continue
		}
		ws := ner.Words(text[f.Start:f.End])
		if len(ws) == 0 || len(ws) == 1 && !strings.ContainsFunc(text[f.Start:f.End], unicode.IsLower) || ordinary(text[f.Start:f.End]) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// cover answers whether any of a set of spans overlaps [start, end): the
// spans sorted by start, with the furthest end of each prefix.
type cover struct{ starts, maxEnd []int }

func newCover(fs []ner.Finding) cover {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return fs[a].Start - fs[b].Start })
	c := cover{starts: make([]int, len(fs)), maxEnd: make([]int, len(fs))}
	end := -1
	for i, j := range idx {
		end = max(end, fs[j].End)
		c.starts[i], c.maxEnd[i] = fs[j].Start, end
	}
	return c
}

// overlaps reports whether a span starting before end reaches past start.
func (c cover) overlaps(start, end int) bool {
	n, _ := slices.BinarySearch(c.starts, end) // spans with Start < end
	return n > 0 && c.maxEnd[n-1] > start
}

// writtenAsName reports whether s, of words ws, is written as the full
// name of a person in running text (ner.WrittenAsName: "Mara Quillanby",
// "Tamsin van Everard"), no word all in capitals, and holds no digit.
func writtenAsName(s string, ws []ner.Word) bool {
	ws = withoutJoinedParts(s, ws)
	if !ner.WrittenAsName(ws) || strings.ContainsFunc(s, unicode.IsDigit) {
		return false
	}
	for _, w := range ws {
		if w.Capital && !strings.ContainsFunc(s[w.Start:w.End], unicode.IsLower) {
			return false
		}
	}
	return true
}

// withoutJoinedParts returns ws, the words of s, without those in lower
// case joined by a hyphen to the word before them ("so" of "Tamsin
// Hae-so": a given name in two parts whose second is written in lower
// case), which belong to that word's case. ws itself is returned when no word is left out.
func withoutJoinedParts(s string, ws []ner.Word) []ner.Word {
	var out []ner.Word
	for k, w := range ws {
		if k > 0 && !w.Capital && w.Start == ws[k-1].End+1 && s[ws[k-1].End] == '-' {
			if out == nil {
				out = slices.Clone(ws[:k])
			}
			continue
		}
		if out != nil {
			out = append(out, w)
		}
	}
	if out == nil {
		return ws
	}
	return out
}

// listedName reports whether a word of ws is in a list of given names or
// surnames.
func listedName(ws []ner.Word) bool {
	for _, w := range ws {
		if gazetteer.Lookup(w.Key)&(gazetteer.First|gazetteer.Last) != 0 {
			return true
		}
	}
	return false
}

// titles are dropped from the front of a name: the profile decides about
// them ("Mr" stays where a title does not identify).
var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true, "sir": true, "madam": true}

func dropTitle(text string, f ner.Finding) ner.Finding {
	ws := ner.Words(text[f.Start:f.End])
	if len(ws) > 1 && titles[ws[0].Key] {
		f.Start += ws[1].Start
	}
	return f
}

// ordinary reports whether every word of s is ordinary vocabulary and in
// no list of names.
func ordinary(s string) bool {
	for _, w := range ner.Words(s) {
		if f := gazetteer.Lookup(w.Key); !f.Common() || f&(gazetteer.First|gazetteer.Last) != 0 {
			return false
		}
	}
	return true
}

// MaxRecall is maximum-recall mode led by the model: the model's
// confident names (as Refiner) and places (from PlaceScore), then
// names.MaxRecallJudged, whose fallback
// for words no rule explains flags a word in capitals or a lower-case word
// in no list only when the model gives it a probability of at least
// Uncertain of being part of a name, place or organisation. The word lists
// alone no longer decide there: drug names, misspellings and shorthand of
// clinical notes stay readable. (Masking every word the model is unsure
// of, its organisations, and its places under 0.8 (0.7 cost research
// precision on notes), was tried: the shipped weights are too often wrong
// for it, docs/QUALITY.md.) Last, names of people are widened over the
// words that belong to them (wholeCompounds: joined parts, initials,
// particles, a listed given name) and over a nickname between two of
// them (nicknames), and the capitalised words before a place in
// parentheses on a results line are a name (resultNames).
type MaxRecall struct {
	// Uncertain is the probability from which a word is masked in this
	// mode; 0 means DefaultUncertain.
	Uncertain float64
	// UncertainLower is the probability from which a word in lower case,
	// or in a line all in capitals, is masked (a name typed so; more
	// often shorthand or a misspelling); 0 means DefaultUncertainLower.
	UncertainLower float64
	// NameScore is the lowest probability of a name of a person the
	// model adds in this mode; 0 means DefaultMaxRecallNameScore.
	NameScore float64
	// PlaceScore is the lowest probability of a place the model adds in
	// this mode (confidentPlaces); 0 means DefaultMaxRecallPlaceScore,
	// above 1 adds none.
	PlaceScore float64
	// KeepMeasurements is names.Judgement.KeepMeasurements.
	KeepMeasurements bool
}

// DefaultUncertain is MaxRecall's default: tuned on the tune part of the
// development sets (docs/QUALITY.md).
const DefaultUncertain = 0.5

// DefaultMaxRecallNameScore is MaxRecall's default NameScore. A name the
// model is less sure of than NameScore is added only when written as the
// full name of a person in running text (two words or more, capitalised,
// not in capitals, no digit) with a word in the lists of given names or
// surnames: its lone words, lower-case words and words in capitals are
// mostly shorthand or misspellings on notes. Tuned on the tune part of the
// development sets (docs/QUALITY.md, 2026-12-07): on news, names in
// results tables and in sports reports have probabilities of 0.6-0.9.
const DefaultMaxRecallNameScore = 0.6

// DefaultMaxRecallPlaceScore is MaxRecall's default PlaceScore. On the
// tune part of the development sets (docs/QUALITY.md, modelv3) the
// model's places from 0.8 added countries, towns and regions that
// maximum recall's word lists keep (judgments and news) and nothing on
// clinical notes; 0.9 added fewer, and the model's organisations cost
// precision on notes. With the weights of session 34 (modelrecall), 0.7
// found one more quasi-identifier of judgments and more places in news
// (mention recall +0.005), at 0.002 of the research profile's precision
// on notes, which those weights and DefaultUncertainLower raised by 0.02.
const DefaultMaxRecallPlaceScore = 0.7

// DefaultUncertainLower is MaxRecall's default for words in lower case and
// in lines all in capitals, where case says nothing: on the tune part of
// the nursing notes, 0.7 instead of 0.5 raised the research profile's
// token precision at the same recall, and with the weights of session 34
// (modelrecall) 0.9 instead of 0.7 raised it again (0.707 → 0.732, and
// one mention more: a lower-case name whose first word the fallback had
// masked alone is now the model's name whole); words
// in capitals in mixed-case lines ("CASE OF … v. …") keep
// DefaultUncertain, which TAB needs (docs/QUALITY.md).
const DefaultUncertainLower = 0.9

var _ ner.Refiner = MaxRecall{}

// Name implements ner.Refiner.
func (MaxRecall) Name() string { return "model-max-recall" }

// Refine implements ner.Refiner.
func (r MaxRecall) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	m, err := Shipped()
	if err != nil {
		return nil, fmt.Errorf("model: load: %w", err)
	}
	tagged, release, err := m.tagPooled(ctx, text)
	defer release()
	if err != nil {
		return nil, err
	}
	u := r.Uncertain
	if u == 0 {
		u = DefaultUncertain
	}
	lower := r.UncertainLower
	if lower == 0 {
		lower = DefaultUncertainLower
	}
	ns := r.NameScore
	if ns == 0 {
		ns = DefaultMaxRecallNameScore
	}
	ps := r.PlaceScore
	if ps == 0 {
		ps = DefaultMaxRecallPlaceScore
	}
	fs := findings(text, tagged)
	out := append(found[:len(found):len(found)], confidentNamesIn(text, fs, found, ns, false)...)
	out = append(out, confidentPlaces(text, fs, out, ps)...)
	likely := func(start, end int) bool {
		u := u
		if !strings.ContainsFunc(text[start:end], unicode.IsUpper) || !mixedCaseLine(text, start) {
			u = max(u, lower)
		}
		// tagged is sorted by Start
		lo, hi := 0, len(tagged)
		for lo < hi {
			mid := (lo + hi) / 2
			if tagged[mid].End <= start {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		for i := lo; i < len(tagged) && tagged[i].Start < end; i++ {
			if tagged[i].P >= u {
				return true
			}
		}
		return false
	}
	out = append(out, names.MaxRecallIn(ctx, text, out, names.Judgement{Likely: likely, KeepMeasurements: r.KeepMeasurements})...)
	out = append(out, wholeCompounds(text, out)...)
	out = append(out, modelContinuations(text, tagged, out)...)
	out = append(out, resultNames(text, out)...)
	return append(out, nicknames(text, out)...), nil
}

// wholeCompounds returns the names of people in fs widened over what
// belongs to the name around them (nameStart, nameEnd): the rest of a word
// joined by hyphens or apostrophes ("Quillanby" of "Tamsin
// Ab-ul-Quillanby", "Brannock" of "O'Brannock", "Kerhoa" of "Kerhoa'h"),
// initials right before it ("K. Everard", "F.W. Everard",
// "T.O'Brannock") and particles right before it ("de Quillan", "van der
// Everard"). (Widening the other words maximum recall flags too cost the
// research profile precision on notes, docs/QUALITY.md.) The findings
// returned overlap those of fs, and resolution joins them. A finding of
// another entity, capitalised, with initials right before it is a name
// from the initials on ("K. Zelvorin", whatever a rule took it for).
func wholeCompounds(text string, fs []ner.Finding) []ner.Finding {
	var out []ner.Finding
	var others *cover // findings of places and organisations, when first needed
	for _, f := range fs {
		g := f
		if f.Entity != ner.Person {
			// A capitalised word after initials is a name whatever a
			// rule took it for ("K. Zelvorin" is no place).
			if r, _ := utf8.DecodeRuneInString(text[f.Start:]); !unicode.IsUpper(r) {
				continue
			}
			if g.Start = initialStart(text, f.Start); g.Start != f.Start {
				g.Entity, g.Rule = ner.Person, RulePrefix+"/initials"
				out = append(out, g)
				continue
			}
			// A capitalised word maximum recall flagged after a listed
			// given name, or a short form of one, is that person's
			// surname ("Len Quillanby": the lists hold "Len" as a word).
			if f.Entity == ner.Other {
				if ws := ner.Words(text[f.Start:f.End]); len(ws) == 1 && capitalisedWord(text[f.Start:f.End]) {
					if g.Start = shortGivenStart(text, f.Start); g.Start != f.Start {
						g.Entity, g.Rule = ner.Person, RulePrefix+"/given"
						out = append(out, g)
						continue
					}
				}
			}
			// A one-word place after a listed given name inside a
			// sentence is a surname ("the biologist Tamsin Oakvale").
			if f.Entity == ner.Location && len(ner.Words(text[f.Start:f.End])) == 1 {
				if g.Start = givenStart(text, f.Start); g.Start != f.Start && inSentence(text, g.Start) {
					g.Entity, g.Rule = ner.Person, RulePrefix+"/given"
					out = append(out, g)
				}
			}
			continue
		}
		g.Start, g.End = nameStart(text, f.Start), initialEnd(text, f.Start, suffixEnd(text, compoundEnd(text, f.End)))
		if lone := len(ner.Words(text[f.Start:f.End])) == 1; lone && (g.Start == f.Start || g.End == f.End) {
			if g.Start == f.Start {
				g.Start = shortGivenStart(text, f.Start)
			}
			if others == nil {
				c := newCover(slices.DeleteFunc(slices.Clone(fs), func(f ner.Finding) bool { return f.Entity == ner.Person || f.Entity == ner.Other }))
				others = &c
			}
			if g.Start == f.Start {
				g.Start = midGivenStart(text, f.Start, others)
			}
			if g.End == f.End {
				g.End = surnameEnd(text, f.Start, f.End, others)
			}
		}
		if g.Start != f.Start || g.End != f.End {
			out = append(out, g)
		}
	}
	return out
}

// initialEnd returns the end of a name [start, i) that ends in an initial
// ("Tamsin Q" of "Tamsin Q. , 36"): i moved over the full stop right
// after one capital letter that follows a space, when the name holds
// another word before it. Otherwise i.
func initialEnd(text string, start, i int) int {
	if i >= len(text) || text[i] != '.' || i-start < 4 || text[i-2] != ' ' || text[i-1] < 'A' || text[i-1] > 'Z' {
		return i
	}
	return i + 1
}

// suffixEnd returns i moved on over a generational suffix right after a
// name ending at byte i ("Tamsin Quillanby Jr", "Jr.", "III": the
// name-suffixes lexicon, capitalised): one space, the suffix, a full stop
// if one follows, and no letter or digit right after it. Otherwise i.
func suffixEnd(text string, i int) int {
	if i+3 > len(text) || text[i] != ' ' {
		return i
	}
	j := i + 1
	for j < len(text) && j-i <= 4 {
		r, n := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += n
	}
	w := text[i+1 : j]
	if r, _ := utf8.DecodeRuneInString(w); w == "" || !unicode.IsUpper(r) || !ner.NameSuffix(strings.ToLower(w)) {
		return i
	}
	if j < len(text) && text[j] == '.' {
		j++
	}
	if j < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return i
		}
	}
	return j
}

// ContinueScore is the lowest probability from which MaxRecall widens a
// name of a person over the capitalised word right after it that the model
// reads as the inside of a name (modelContinuations). Tuned on the tune
// part of the development sets (docs/QUALITY.md, conllper).
const ContinueScore = 0.3

// modelContinuations returns the names of people in fs that begin with a
// listed given name that is no ordinary word (givenNotWord) widened over the
// capitalised word right after them (one space, a capital and then only
// lower-case letters, no word of notBeside, no word of the English
// dictionary that is not a listed surname: a drug class capitalised in a
// list, "Loop Diuretics") whose best tag in tagged is the
// inside of a person's name with a probability of at least ContinueScore,
// where no finding of another entity lies ("Tamsin Orsk Quillanby" where
// the model's name stopped at "Orsk"). Time O(m log n) for the m findings
// of fs and the n tokens of tagged.
func modelContinuations(text string, tagged []Tagged, fs []ner.Finding) []ner.Finding {
	var out []ner.Finding
	var others *cover
	for _, f := range fs {
		if f.Entity != ner.Person || f.End+3 > len(text) || text[f.End] != ' ' {
			continue
		}
		k, ok := slices.BinarySearchFunc(tagged, f.End+1, func(t Tagged, at int) int { return t.Start - at })
		if !ok {
			continue
		}
		// the name begins with a listed given name that is no
		// ordinary word (an abbreviated drug class in capitals does not)
		if w, ok := ner.FirstWord(text[f.Start:f.End]); !ok || !givenNotWord(w.Key) {
			continue
		}
		t := tagged[k]
		if t.Best != IPer || t.P < ContinueScore || t.End < len(text) && !continuationAfter(text, t.End) || !capitalisedWord(text[t.Start:t.End]) {
			continue
		}
		if others == nil {
			c := newCover(slices.DeleteFunc(slices.Clone(fs), func(f ner.Finding) bool { return f.Entity == ner.Person || f.Entity == ner.Other }))
			others = &c
		}
		if w := text[t.Start:t.End]; others.overlaps(t.Start, t.End) || gazetteer.IsDictionaryWord(w) && gazetteer.Lookup(strings.ToLower(w))&gazetteer.Last == 0 {
			continue
		}
		g := f
		g.End = t.End
		out = append(out, g)
	}
	return out
}

// givenNotWord reports whether the folded word w is in the lists of given
// names and in no list of ordinary words.
func givenNotWord(w string) bool {
	f := gazetteer.Lookup(w)
	return f&gazetteer.First != 0 && !f.Common()
}

// continuationAfter reports whether the word that ends at byte i of text
// ends there: no letter, digit, hyphen or apostrophe after it.
func continuationAfter(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '’'
}

// resultNames returns the names of a results table that no pass found
// whole: the one to three capitalised words right before a place in
// parentheses, on a line with a number after it ("7. Tamsin Quillanby (
// Norway ) 5.65"), as a name of a person, where a word of them is not
// covered yet; within resultWindow bytes of the parentheses. Time O(m log m) for the m findings of fs, besides the lines.
func resultNames(text string, fs []ner.Finding) []ner.Finding {
	var out []ner.Finding
	var busy *cover
	for _, f := range fs {
		if f.Entity != ner.Location {
			continue
		}
		open := strings.TrimRight(text[:f.Start], " \t")
		if !strings.HasSuffix(open, "(") {
			continue
		}
		rest := text[f.End:min(len(text), f.End+resultWindow)]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[:nl]
		}
		if after := strings.TrimLeft(rest, " \t"); !strings.HasPrefix(after, ")") || !strings.ContainsAny(after, "0123456789") {
			continue
		}
		from := max(0, len(open)-resultWindow)
		line := from + strings.LastIndexByte(open[from:], '\n') + 1
		seg := strings.TrimRight(open[line:len(open)-1], " \t")
		ws := ner.Words(seg)
		n := 0
		for k := len(ws) - 1; k >= 0 && n < 3; k-- {
			w := seg[ws[k].Start:ws[k].End]
			if !ws[k].Capital || !strings.ContainsFunc(w, unicode.IsLower) {
				break
			}
			if k == len(ws)-1 && ws[k].End != len(seg) || k < len(ws)-1 && seg[ws[k].End:ws[k+1].Start] != " " {
				break
			}
			n++
		}
		if n == 0 {
			continue
		}
		start, end := line+ws[len(ws)-n].Start, line+ws[len(ws)-1].End
		if busy == nil {
			c := newCover(fs)
			busy = &c
		}
		if covered(busy, text, start, end) {
			continue
		}
		out = append(out, ner.Finding{Start: start, End: end, Entity: ner.Person, Score: f.Score, Rule: RulePrefix + "/results"})
	}
	return out
}

// resultWindow bounds how far resultNames reads around a place (bytes
// before the parenthesis for the words of the name, after it for the
// number), so that the pass stays linear in the text however many places
// a line holds.
const resultWindow = 96

// covered reports whether every word of text[start:end) overlaps a span
// of c.
func covered(c *cover, text string, start, end int) bool {
	for _, w := range ner.Words(text[start:end]) {
		if !c.overlaps(start+w.Start, start+w.End) {
			return false
		}
	}
	return true
}

// nicknames returns, for two names of people in fs (or a name and a word
// maximum recall flagged) with only a nickname
// between them, in quotes or parentheses ("Tamsin \"Tam the Bold\"
// Everard", "Tamsin ( Tam ) Everard"), the name from the first to the
// last: the nickname is part of it. The nickname is one to four words
// on the same line, one of them capitalised, where no finding but a
// person's name lies (a country in parentheses between two names of a
// results table is no nickname). Time O(m log m) for the m
// findings of fs.
func nicknames(text string, fs []ner.Finding) []ner.Finding {
	people := slices.DeleteFunc(slices.Clone(fs), func(f ner.Finding) bool { return f.Entity != ner.Person && f.Entity != ner.Other })
	if len(people) < 2 {
		return nil
	}
	slices.SortFunc(people, func(a, b ner.Finding) int { return a.Start - b.Start })
	var out []ner.Finding
	var others *cover // findings that are no names of people, when first needed
	for k := 0; k+1 < len(people); k++ {
		a, b := people[k], people[k+1]
		if b.Start <= a.End || b.Start-a.End > 48 || !nickname(text[a.End:b.Start]) {
			continue
		}
		if others == nil {
			c := newCover(entityNot(fs, ner.Person))
			others = &c
		}
		// "Tamsin ( Norway ) Everard" is two people of a results table
		if !others.overlaps(a.End, b.Start) {
			g := a
			g.Entity, g.End = ner.Person, b.End
			out = append(out, g)
		}
	}
	return out
}

// nickname reports whether gap, the text between two names, is a
// nickname in quotes or parentheses: spaces, an opening quote or
// parenthesis, one to four words with a capitalised one and no digit or
// line break, its closing quote or parenthesis, spaces.
func nickname(gap string) bool {
	g := strings.TrimSpace(gap)
	if len(g) < 3 || strings.ContainsAny(g, "\n0123456789") {
		return false
	}
	open, n := utf8.DecodeRuneInString(g)
	end, m := utf8.DecodeLastRuneInString(g)
	if closing, ok := nicknameQuotes[open]; !ok || end != closing {
		return false
	}
	inner := g[n : len(g)-m]
	if strings.ContainsAny(inner, "\"()“”") {
		return false
	}
	ws := ner.Words(inner)
	if len(ws) == 0 || len(ws) > 4 {
		return false
	}
	for _, w := range ws {
		if w.Capital {
			return true
		}
	}
	return false
}

// nicknameQuotes are the quotes and parentheses a nickname is written in,
// with their closing ones.
var nicknameQuotes = map[rune]rune{'"': '"', '\u201c': '\u201d', '(': ')', '\'': '\''}

// maxNameSteps bounds how far nameStart widens a name (each step an
// initial, a particle or a joined part), so that widening every name of a
// text stays linear in it.
const maxNameSteps = 4

// nameStart returns the start of the name a name of a person starting at
// byte i belongs to: i moved back over hyphen- and apostrophe-joined parts
// (compoundStart), initials ("K. ", "F.W.", glued "T.") and particles of
// two letters or more ("de ", "van der ") right before it, at most
// maxNameSteps times.
func nameStart(text string, i int) int {
	for range maxNameSteps {
		j := compoundStart(text, i)
		j = initialsStart(text, j)
		j = particleStart(text, j)
		if j == i {
			break
		}
		i = j
	}
	return i
}

// initialsStart returns i moved back over initials right before it: one
// capital letter and a full stop, repeated ("F.W."), glued to the name or
// one space or tab before it; the first initial follows no letter or
// digit. Otherwise i.
func initialsStart(text string, i int) int {
	j := i
	if j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
		j--
	}
	start := i
	for j >= 2 && text[j-1] == '.' {
		r, n := utf8.DecodeLastRuneInString(text[:j-1])
		if !unicode.IsUpper(r) {
			break
		}
		k := j - 1 - n
		if k > 0 {
			if b, _ := utf8.DecodeLastRuneInString(text[:k]); unicode.IsLetter(b) || unicode.IsDigit(b) {
				break
			}
		}
		start, j = k, k
	}
	return start
}

// givenStart returns the start of a given name right before a lone
// surname starting at byte i ("Rose" of "Rose Quillanby": a given name that
// is also a word, which maximum recall leaves): one word, one space
// or line break (nameGap) before i, written with a capital and then lower case, in the lists of
// given names, and not a title, a month, a day of the week or a demonym
// ("Judge", "June", "Norwegian"). Otherwise i.
func givenStart(text string, i int) int {
	if i < 3 || !nameGap(text[i-1]) {
		return i
	}
	e := i - 1
	j := lettersBefore(text, e)
	if e-j < 2 {
		return i
	}
	if j > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:j]); r != ' ' && r != '\t' && r != '(' && r != '"' && r != '\n' {
			return i
		}
	}
	w := text[j:e]
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || strings.ContainsFunc(w[n:], unicode.IsUpper) {
		return i
	}
	ws := ner.Words(w)
	if len(ws) != 1 {
		return i
	}
	key := ws[0].Key
	if gazetteer.Lookup(key)&gazetteer.First == 0 || notGiven.Has(key) || demonyms.Has(key) {
		return i
	}
	return j
}

// midGivenStart returns the start of a capitalised word right before a
// lone surname starting at byte i, inside a sentence ("striker Tamsin
// Quillanby", "in Oakvale , Tam Quillanby": a given name the lists take for
// an ordinary word or do not hold, which maximum recall leaves): one space
// before i, a capital and then only lower-case letters, two letters or
// more, after a word ending in a lower-case letter (not a determiner:
// "the Project Quillanby memorandum") or after a comma, in
// no list of words that stand before a name without being one (titles,
// offices, trades, kin, months, demonyms, stop words: notBeside), and no
// finding of others (a place, an organisation) over it. Otherwise i.
func midGivenStart(text string, i int, others *cover) int {
	j, ok := capitalisedBefore(text, i)
	if !ok || others.overlaps(j, i-1) {
		return i
	}
	// the word before: one space, then a lower-case letter or a comma
	if j < 3 || text[j-1] != ' ' {
		return i
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:j-1]); r != ',' && !unicode.IsLower(r) {
		return i
	}
	// "the Project Quillanby memorandum": after a determiner a
	// capitalised word begins the name of a thing
	if p := lettersBefore(text, j-1); determiners.Has(strings.ToLower(text[p : j-1])) {
		return i
	}
	return j
}

// nameGap reports whether b may stand between the given name and the
// surname of one name: a space. (A line break too, for text wrapped
// inside names, found more names on CoNLL's training split and cost
// token precision on the measured part: a sentence that ends with a
// given name and one that begins with a capitalised word; not kept,
// docs/QUALITY.md, conllper.)
func nameGap(b byte) bool { return b == ' ' }

// inSentence reports whether the word starting at byte j stands inside a
// sentence: one space before it, after a word ending in a lower-case
// letter that is no determiner, or after a comma.
func inSentence(text string, j int) bool {
	if j < 3 || text[j-1] != ' ' {
		return false
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:j-1]); r != ',' && !unicode.IsLower(r) {
		return false
	}
	p := lettersBefore(text, j-1)
	return !determiners.Has(strings.ToLower(text[p : j-1]))
}

// determiners are the words after which a capitalised word begins the
// name of a thing, not a person's given name.
var determiners = lexicon.MustSet("determiners")

// capitalisedBefore returns the start of the word that ends one space or
// line break (nameGap) before byte i when it is written with a capital and then only lower-case
// letters, two letters or more, and is in no list of notBeside.
func capitalisedBefore(text string, i int) (int, bool) {
	if i < 3 || !nameGap(text[i-1]) {
		return i, false
	}
	e := i - 1
	j := lettersBefore(text, e)
	if e-j < 2 || !capitalisedWord(text[j:e]) {
		return i, false
	}
	return j, true
}

// capitalisedWord reports whether w is a capital and then only lower-case
// letters, in no list of notBeside.
func capitalisedWord(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || n == len(w) || strings.ContainsFunc(w[n:], func(r rune) bool { return !unicode.IsLower(r) }) {
		return false
	}
	return !notBeside.Has(strings.ToLower(w))
}

// surnameEnd returns the end of a capitalised word right after a lone given
// name [start, end) ("Hideko Quillanby" where only the given name was
// read, "Tamsin Major": a surname the lists take for an ordinary word): the
// name's word is in the lists of given names, one space or line break
// (nameGap) after it, a
// capital and then only lower-case letters, two letters or more, in no
// list of notBeside, and no finding of others over it; a letter,
// digit, hyphen, apostrophe or colon right after the word leaves it
// ("Tamsin\nPlan: ..." ends a line with a name and begins a label).
// Otherwise end.
func surnameEnd(text string, start, end int, others *cover) int {
	ws := ner.Words(text[start:end])
	if len(ws) != 1 || gazetteer.Lookup(ws[0].Key)&gazetteer.First == 0 || notGiven.Has(ws[0].Key) || end+3 > len(text) || !nameGap(text[end]) {
		return end
	}
	j := end + 1
	k := j
	for k < len(text) {
		r, n := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsLetter(r) {
			if unicode.IsDigit(r) || r == '-' || r == '\'' || r == '’' || r == ':' {
				return end
			}
			break
		}
		k += n
	}
	w := text[j:k]
	if k-j < 2 || !capitalisedWord(w) || others.overlaps(j, k) {
		return end
	}
	return k
}

// notBeside are the words that stand beside a name in a sentence without
// being part of it: titles and offices ("Senator", "Minister"), trades
// ("striker"), kin, the words of institutions, months, days of the week,
// nationalities, countries, particles, heads of places, streets and
// organisations, stop words.
var notBeside = lexicon.MustSet("titles", "strong-titles", "public-offices", "state-words", "trades", "rare-occupations",
	"institutional", "kin", "saints", "stop-words", "months", "weekdays", "demonyms", "nationality-nouns", "countries",
	"particles", "person-cues", "credentials", "org-heads", "strong-org-heads", "place-heads", "street-types", "company-forms", "holidays")

// notGiven are the words of the lists of given names that stand before a
// name without being one: titles, months, days of the week.
var notGiven = lexicon.MustSet("titles", "months", "weekdays")

// initialStart is initialsStart for one initial only ("K. ", not
// "Q.X. "), with a space or a tab after it.
func initialStart(text string, i int) int {
	j := initialsStart(text, i)
	if j == i || i-j != 3 || text[i-1] != ' ' && text[i-1] != '\t' {
		return i
	}
	if j > 0 && text[j-1] == '.' {
		return i
	}
	return j
}

// lettersBefore returns where the run of letters that ends at byte e of
// text starts (e itself when the rune before e is no letter).
func lettersBefore(text string, e int) int {
	j := e
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if !unicode.IsLetter(r) {
			break
		}
		j -= n
	}
	return j
}

// particleStart returns i moved back over one name particle of two letters
// or more ("de", "van", "Della": the particles lexicon) and the one space
// or tab between it and i; otherwise i.
func particleStart(text string, i int) int {
	if i < 2 || (text[i-1] != ' ' && text[i-1] != '\t') {
		return i
	}
	e := i - 1
	j := lettersBefore(text, e)
	if e-j < 2 || e-j > 8 || !particles.Has(strings.ToLower(text[j:e])) {
		return i
	}
	return j
}

// particles are the words inside a name that never identify alone ("van
// der", "de", "dos").
var particles = lexicon.MustSet("particles")

// apostrophe reports whether text holds an apostrophe (' or ’) at byte
// i, and its length.
func apostrophe(text string, i int) (int, bool) {
	if i < 0 || i >= len(text) {
		return 0, false
	}
	if text[i] == '\'' {
		return 1, true
	}
	if strings.HasPrefix(text[i:], "’") {
		return len("’"), true
	}
	return 0, false
}

// joinerBefore reports the length of a hyphen or an apostrophe that ends
// at byte i, or 0.
func joinerBefore(text string, i int) int {
	if i >= 1 && (text[i-1] == '-' || text[i-1] == '\'') {
		return 1
	}
	if a := len("’"); i >= a && text[i-a:i] == "’" {
		return a
	}
	return 0
}

// compoundStart returns the start of the word joined by hyphens or
// apostrophes that byte i starts a part of: i moved back over "letters-"
// and "letters'" while the joiner is between two letters.
func compoundStart(text string, i int) int {
	for {
		a := joinerBefore(text, i)
		if a == 0 || i-a < 1 {
			return i
		}
		if r, _ := utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) {
			return i
		}
		j := i - a
		for j > 0 {
			r, n := utf8.DecodeLastRuneInString(text[:j])
			if !unicode.IsLetter(r) {
				break
			}
			j -= n
		}
		if j == i-a {
			return i
		}
		i = j
	}
}

// clitics are what follows an apostrophe without being part of a name
// ("Everard's", "don't").
var clitics = map[string]bool{"s": true, "t": true, "d": true, "ll": true, "re": true, "ve": true, "m": true}

// compoundEnd returns the end of the word joined by hyphens or
// apostrophes that byte i ends a part of: i moved on over "-letters" and
// "'letters" while the joiner is between two letters, and the letters
// after an apostrophe are not a clitic ("'s").
func compoundEnd(text string, i int) int {
	for i > 0 && i+1 < len(text) {
		a := 0
		if text[i] == '-' {
			a = 1
		} else if n, ok := apostrophe(text, i); ok {
			a = n
		}
		if a == 0 {
			return i
		}
		if r, _ := utf8.DecodeLastRuneInString(text[:i]); !unicode.IsLetter(r) {
			return i
		}
		j := i + a
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += n
		}
		if j == i+a || text[i] != '-' && clitics[strings.ToLower(text[i+a:j])] {
			return i
		}
		i = j
	}
	return i
}

// anyMixedCaseLine reports whether a line of text has both upper- and
// lower-case letters: whether mixedCaseLine holds at some byte of text.
// Linear in len(text), a byte at a time where text is ASCII.
func anyMixedCaseLine(text string) bool {
	up, lo := false, false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				up, lo = false, false
			case 'A' <= c && c <= 'Z':
				up = true
			case 'a' <= c && c <= 'z':
				lo = true
			}
			i++
		} else {
			// a line's runes decode as mixedCaseLine's: a newline is
			// never inside a rune's bytes
			r, n := utf8.DecodeRuneInString(text[i:])
			up = up || unicode.IsUpper(r)
			lo = lo || unicode.IsLower(r)
			i += n
		}
		if up && lo {
			return true
		}
	}
	return false
}

// mixedCaseLine reports whether the line around byte i has both upper- and
// lower-case letters: in lines all in capitals or all in lower case (half
// of a nurse's notes) the shipped weights' names are mostly false
// positives (docs/QUALITY.md), and the rules decide alone.
func mixedCaseLine(text string, i int) bool {
	s := strings.LastIndexByte(text[:i], '\n') + 1
	e := strings.IndexByte(text[i:], '\n')
	if e < 0 {
		e = len(text)
	} else {
		e += i
	}
	up, lo := false, false
	for _, r := range text[s:e] {
		up = up || unicode.IsUpper(r)
		lo = lo || unicode.IsLower(r)
		if up && lo {
			return true
		}
	}
	return false
}

// shortGivenStart is givenStart that also takes a capitalised given name
// of the diminutives lexicon, short form or full ("Len" of "Len Quillanby",
// which the lists of given names hold only as an ordinary word), in no
// list of notBeside. Otherwise i.
func shortGivenStart(text string, i int) int {
	if j := givenStart(text, i); j != i {
		return j
	}
	if i < 3 || !nameGap(text[i-1]) {
		return i
	}
	e := i - 1
	j := lettersBefore(text, e)
	if e-j < 2 || !capitalisedWord(text[j:e]) {
		return i
	}
	if len(ner.GivenNameVariants(strings.ToLower(text[j:e]))) == 0 {
		return i
	}
	return j
}

// nameParts returns the names of people in fs, not in capitals, widened
// over the parts of a name no word list holds: initials and particles
// right before them ("K. Quillanby", "F.W. van der Everard"; not a
// lower-case article alone, ner.SkipNameArticles: "der Quillan"), or else
// for a lone surname the listed given name right before it (givenStart:
// "Tamsin Quillanby"), a generational suffix and an initial after them
// (suffixEnd, initialEnd).
// Unlike MaxRecall's wholeCompounds it does not join words across a
// hyphen (notes write a hyphen for a dash). Time O(m) for the m findings
// of fs.
func nameParts(text string, fs []ner.Finding) []ner.Finding {
	var out []ner.Finding
	for _, f := range fs {
		if f.Entity != ner.Person || !strings.ContainsFunc(text[f.Start:f.End], unicode.IsLower) {
			continue
		}
		g := f
		for range maxNameSteps {
			j := particleStart(text, initialsStart(text, g.Start))
			if j == g.Start {
				break
			}
			g.Start = j
		}
		g.Start = ner.SkipNameArticles(text, g.Start, f.Start)
		// a lone surname: the listed given name right before it
		if g.Start == f.Start && len(ner.Words(text[f.Start:f.End])) == 1 {
			g.Start = givenStart(text, f.Start)
		}
		g.End = initialEnd(text, f.Start, suffixEnd(text, f.End))
		if g.Start != f.Start || g.End != f.End {
			out = append(out, g)
		}
	}
	return out
}
