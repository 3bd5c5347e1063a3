package names

import (
	"context"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// MaxRecallScore is the score of a maximum-recall finding: enough for the
// research profile's threshold, less than any rule with evidence.
const MaxRecallScore = 0.45

// MaxRecall is the fallback of maximum-recall mode, in the style of
// Philter: every word that is capitalised and not an ordinary word, every
// lower-case word that is in no word list, and every number that is not a
// reference to a provision ("Article 6 § 1", "section 189") is treated as
// identifying, unless a finding in found already covers it (found holds the
// findings of every other detector, before the profile filters them, so
// that a value the profile keeps is kept). A flagged capitalised word takes
// the capitalised phrase around it ("Quenby Tolvane Solicitors"), a number
// the number and currency or unit words around it ("EUR 4,000", "14
// years").
//
// Findings are PERSON when a title or the name lists say so, ORGANIZATION
// or LOCATION by their head word, and OTHER otherwise.
func MaxRecall(text string, found []ner.Finding) []ner.Finding {
	return MaxRecallJudged(text, found, nil)
}

// MaxRecallJudged is MaxRecall where likely, if not nil, decides the
// fallback for words no rule explains where their case says nothing: a
// word in capitals (clinical notes are half ALL CAPS) or a lower-case word
// in no list is flagged only when likely reports it (byte offsets of the
// word) as likely identifying: the statistical model's judgement instead
// of the word lists alone. A capitalised word in mixed-case text is still
// flagged as in MaxRecall (capitals say much there).
// Numbers, institutions and the other quasi-identifiers in context are
// flagged as in MaxRecall.
func MaxRecallJudged(text string, found []ner.Finding, likely func(start, end int) bool) []ner.Finding {
	return MaxRecallWith(text, found, Judgement{Likely: likely})
}

// Judgement says how maximum-recall mode decides about the words and
// numbers no rule explains.
type Judgement struct {
	// Likely, if not nil, is the judgement of MaxRecallJudged.
	Likely func(start, end int) bool
	// KeepMeasurements leaves alone the numbers that measure something
	// (a dose, a vital sign, a laboratory value, a time of day: see
	// measurement) where MaxRecall would flag every number of three
	// digits or more. HIPAA's Safe Harbor removes identifying numbers,
	// not readings; what identifies (record, telephone and pager numbers,
	// dates, years, ages over 89) is a rule's, or still flagged here.
	KeepMeasurements bool
}

// MaxRecallWith is MaxRecall with the judgement j.
func MaxRecallWith(text string, found []ner.Finding, j Judgement) []ner.Finding {
	return MaxRecallIn(context.Background(), text, found, j)
}

// MaxRecallIn is MaxRecallWith in a pass of a chain: it reads the words of
// text the chain's other passes split and looked up (ner.Shared).
func MaxRecallIn(ctx context.Context, text string, found []ner.Finding, j Judgement) []ner.Finding {
	likely := j.Likely
	toks := tokenize(ctx, text)
	covered := make([]bool, len(toks))
	named := make([]bool, len(toks)) // covered by a name of a person, place or organisation
	if len(found) > 0 {
		fs := append([]ner.Finding(nil), found...)
		ner.Sort(fs)
		k := 0
		for i := range toks {
			for k < len(fs) && fs[k].End <= toks[i].Start {
				k++
			}
			for m := k; m < len(fs) && fs[m].Start < toks[i].End; m++ {
				if fs[m].End > toks[i].Start {
					covered[i] = true
					switch fs[m].Entity {
					case ner.Person, ner.Location, ner.Organization, ner.Other:
						named[i] = true
					}
				}
			}
		}
	}
	d := &run{text: text, toks: toks, claimed: covered}
	d.institutions(named)
	// countries, regions and states identify no one, unless they say
	// where someone lives or went ("lives in Poland", "deported to Turkey")
	for i := range toks {
		if toks[i].place && toks[i].Capital && !covered[i] {
			if end, city := d.placeAt(i); end >= 0 && !city {
				if s := d.region(i); s < i {
					// "northern Ruritania", "the south-east of Ruritania":
					// a region of a country narrows down where
					d.add(s, end, ner.Location, MaxRecallScore, "max-recall")
					continue
				}
				if d.whereSomeone(i) || end+1 < len(toks) && toks[end+1].is(cNationalityNoun) && gapOK(text, &toks[end], &toks[end+1]) {
					d.add(i, end, ner.Location, MaxRecallScore, "max-recall")
					continue
				}
				if d.country == nil {
					d.country = make([]bool, len(toks))
				}
				for k := i; k <= end; k++ {
					covered[k], d.country[k] = true, true
				}
			}
		}
	}
	d.occupations()
	d.diagnoses()
	d.conditions()
	d.injuries()
	d.sentences()
	d.workTitles()
	gloss := d.glosses() // translations in brackets of ordinary words
	structural := false  // the previous number referred to a provision
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		hasDigit := t.hasASCIIDigit(text)
		if hasDigit {
			structural = d.provision(i, structural)
		}
		if covered[i] {
			continue
		}
		switch {
		case t.is(cSpelledNumber) && !covered[i]:
			// "five hundred euros": a spelled amount of money. Durations
			// ("six hours", "eighteen years of age") identify no one.
			s, e := d.numberPhrase(i)
			if e > s && (d.toks[e].is(cCurrency) || d.penalty(s, e)) {
				d.addNumber(s, e)
				i = e
			} else if c := d.others(e); c > e {
				d.add(s, c, ner.Other, MaxRecallScore, "max-recall")
				i = c
			} else if c := d.counted(s, e); c > e {
				d.add(s, c, ner.Other, MaxRecallScore, "max-recall")
				i = c
			}
		case hasDigit:
			if structural {
				continue
			}
			s, e := d.numberPhrase(i)
			if j.KeepMeasurements && d.measurement(s, e) {
				i = e
				continue
			}
			if c := max(d.others(e), d.counted(s, e)); c > e {
				d.add(s, c, ner.Other, MaxRecallScore, "max-recall")
				i = c
				continue
			}
			if s == e && d.codeName(i) && (likely == nil || likely(t.Start, t.End)) {
				d.add(i, i, ner.Other, MaxRecallScore, "max-recall")
				continue
			}
			if !d.identifyingNumber(s, e) && !d.penalty(s, e) {
				i = e
				continue
			}
			ent := ner.Other
			if s == e && isYear(text[t.Start:t.End]) {
				if d.statuteYear(e) {
					continue
				}
				ent = ner.Date // a year: the profile's date rule applies
			}
			if ent == ner.Date {
				d.add(s, e, ent, MaxRecallScore, "max-recall")
			} else {
				d.addNumber(d.rangeStart(s, e), e)
			}
			i = e
		case t.Capital && (t.extra || t.is(cDemonym)) && i+1 < len(toks) && toks[i+1].is(cNationalityNoun) && !covered[i+1]:
			// "a Turkish national", "of Kurdish origin": a nationality that
			// describes someone. The noun after it ("national", "citizen",
			// "origin") is the same for everyone and stays.
			d.add(i, i, ner.Demographic, MaxRecallScore, "max-recall")
			i++
		case t.Capital && t.is(cDemonym) && !(i+1 < len(toks) && toks[i+1].is(cStateWord) && gapOK(text, t, &toks[i+1])) && !d.statuteAfter(i):
			// "he was Catholic", "of Armenian origin", "the Swedish
			// company": nationality, ethnicity and religion describe
			// someone, unless they name a state ("the Turkish Government")
			e := i
			for e+1 < len(toks) && toks[e].joined && toks[e+1].is(cDemonym) && !covered[e+1] {
				e++
			}
			d.add(i, e, ner.Demographic, MaxRecallScore, "max-recall")
			i = e
		case t.initial && t.dot && i+1 < len(toks) && toks[i+1].initial && text[t.End:toks[i+1].Start] == "." && !covered[i+1]:
			// "J.P.", "F.E.": the initials judgments name parties by
			e := i + 1
			for e+1 < len(toks) && toks[e].dot && toks[e+1].initial && text[toks[e].End:toks[e+1].Start] == "." && !covered[e+1] {
				e++
			}
			if !d.clinicalAbbreviation(i, e) { // "S.P", "H.O", "G.I": a note's shorthand
				d.add(i, e, ner.Person, MaxRecallScore, "max-recall")
			}
			i = e
		case t.Capital || t.allCaps:
			if gloss != nil && gloss[i] {
				continue
			}
			// a capitalised word spelt with letters English does not use
			// ("Hoş", "Sąd") is no English word, whatever its folded form
			// ("hos", "sad") is
			common := t.common && (t.allCaps || ner.IsASCII(text[t.Start:t.End]))
			if common || d.listMarker(i) || isRoman(text[t.Start:t.End]) || t.titleKey() || t.allCaps && t.is(cClinicalAbbrev) ||
				t.upperIn(cCredential, credentials, text) {
				continue
			}
			// Where its case says nothing (a word in capitals) the model
			// judges it, and a word one typing error from an ordinary one
			// is that word misspelt. Not so at the start of a sentence in
			// mixed case: there both cost news PER recall on the tune
			// part (foreign given names one letter from an English word).
			if likely != nil && t.allCaps && (!likely(t.Start, t.End) || misspelt(t)) {
				continue
			}
			// "Paralyzed, sedated", "Arousing to pain": the first word of a
			// sentence, a verb form of an ordinary word and in no list of
			// names, is that word
			if likely != nil && t.sentence && !t.first && !t.last && verbForm(t.Key) {
				continue
			}
			s, e := d.capPhrase(i)
			ent := d.phraseEntity(s, e)
			if c := d.withCountry(e); c > e {
				e, ent = c, ner.Location
			}
			d.add(s, e, ent, MaxRecallScore, "max-recall")
			i = e
		default:
			if gloss != nil && gloss[i] {
				continue
			}
			if t.common || len(t.Key) < 3 || t.digits || inflected(t.Key) || (t.last && !t.first) {
				continue // lower-case surnames are English words: "world", "price"
			}
			if likely != nil && (!likely(t.Start, t.End) || misspelt(t)) {
				continue
			}
			// a lower-case word in no list: a misspelling, a rare word or a
			// name written in lower case; what it is nobody knows
			d.add(i, i, ner.Other, MaxRecallScore, "max-recall")
		}
	}
	d.listedNumbers()
	// again, for the names this mode found itself
	d.institutions(d.maskedBy(true, found, d.out))
	all, other := d.maskedBy(true, found, d.out), d.maskedBy(false, found, d.out)
	persons := make([]bool, len(all))
	for i := range all {
		persons[i] = all[i] && !other[i]
	}
	d.brackets(all, persons)
	d.definedNames(all)
	d.placeCompounds(found)
	return d.out
}

// placeCompounds widens a place that ends where a hyphen joins a
// lower-case word to it to the whole word ("a Harwick-based firm", a
// "Velmora-born director"): the compound is one word, and a redaction
// that leaves half of it says what the other half was. Nationalities are
// left as they are: "Spanish-speaking" in a note tells a language, which
// notes do not count as identifying.
func (d *run) placeCompounds(found []ner.Finding) {
	var fs []ner.Finding
	for _, f := range found {
		if f.Entity == ner.Location {
			fs = append(fs, f)
		}
	}
	for _, f := range d.out {
		if f.Entity == ner.Location {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return
	}
	ner.Sort(fs)
	toks := d.toks
	k := 0
	for _, f := range fs {
		for k < len(toks) && toks[k].End < f.End {
			k++
		}
		if k+1 >= len(toks) || toks[k].End != f.End || !toks[k].joined || d.text[toks[k].End:toks[k+1].Start] == "'" ||
			d.text[toks[k].End:toks[k+1].Start] == "’" {
			continue
		}
		e := k + 1
		if toks[e].Capital || toks[e].numeric || toks[e].allCaps || d.claimed[e] {
			continue
		}
		for e+1 < len(toks) && toks[e].joined && !toks[e+1].Capital && !toks[e+1].numeric && !d.claimed[e+1] {
			e++
		}
		d.out = append(d.out, ner.Finding{Start: f.Start, End: toks[e].End, Entity: f.Entity, Score: MaxRecallScore, Rule: "names/max-recall"})
	}
}

// definedNames extends a masked alias to the name it is defined for: an
// abbreviation in capitals in quotation marks and brackets ("the regional
// planning board (“the RPB”)", "the water authority (\"WTA\")") stands for
// the words before it, back to their article, and where the alias
// identifies, so does what it abbreviates. masked holds, per word, whether a
// finding covers it. Up to twelve words, on one line, without numbers.
func (d *run) definedNames(masked []bool) {
	toks := d.toks
	for i := 0; i+1 < len(toks); i++ {
		g := strings.TrimLeft(d.text[toks[i].End:toks[i+1].Start], " ")
		if g != "(“" && g != "(\"" {
			continue
		}
		a := i + 1
		if toks[a].Key == "the" && a+1 < len(toks) && d.text[toks[a].End:toks[a+1].Start] == " " {
			a++
		}
		if !toks[a].allCaps || !masked[a] {
			continue
		}
		if rest := d.text[toks[a].End:]; !strings.HasPrefix(rest, "”)") && !strings.HasPrefix(rest, "\")") {
			continue
		}
		s := -1
		for k := i; k >= 0 && i-k <= 12; k-- {
			if k < i && !gapOK(d.text, &toks[k], &toks[k+1]) && !toks[k].joined {
				break
			}
			if toks[k].Key == "the" || toks[k].Key == "a" || toks[k].Key == "an" {
				s = k + 1
				break
			}
			if toks[k].numeric {
				break
			}
		}
		if s < 0 || s > i {
			continue
		}
		all := true
		for k := s; k <= i; k++ {
			all = all && masked[k]
		}
		if all {
			continue
		}
		d.out = append(d.out, ner.Finding{Start: toks[s].Start, End: toks[i].End, Entity: ner.Organization,
			Score: MaxRecallScore, Rule: "names/max-recall"})
	}
}

// maskedBy reports, per word, whether a finding in fs of a place, an
// organisation or an other word covers it, or of a person if persons is
// set (brackets after a person's name say who they are: "Dana Whitfield
// (intake coordinator)").
func (d *run) maskedBy(persons bool, fss ...[]ner.Finding) []bool {
	toks := d.toks
	masked := make([]bool, len(toks))
	for _, fs := range fss {
		k := 0
		sorted := append([]ner.Finding(nil), fs...)
		ner.Sort(sorted)
		for i := range toks {
			for k < len(sorted) && sorted[k].End <= toks[i].Start {
				k++
			}
			for m := k; m < len(sorted) && sorted[m].Start < toks[i].End; m++ {
				switch sorted[m].Entity {
				case ner.Person:
					masked[i] = masked[i] || persons && sorted[m].End > toks[i].Start
				case ner.Location, ner.Organization, ner.Other:
					if sorted[m].End > toks[i].Start {
						masked[i] = true
					}
				}
			}
		}
	}
	return masked
}

// brackets extends a redacted name over the words in brackets after it:
// its name in the language of the country or its expansion ("Warsaw
// Regional Court (Tribunal régional)", "WFP (the Workers' Freedom Party)",
// "Quellbrunn (Germany)"). Brackets that refer elsewhere ("see paragraph 5",
// "“the Court”") or hold numbers are left alone.
func (d *run) brackets(masked, persons []bool) {
	toks := d.toks
	for i := 0; i+1 < len(toks); i++ {
		if !masked[i] || strings.TrimSpace(d.text[toks[i].End:toks[i+1].Start]) != "(" || refWords[toks[i+1].Key] {
			continue
		}
		last := -1
		for j := i + 1; j < len(toks) && j-i <= 8; j++ {
			if toks[j].numeric {
				break
			}
			gap := d.text[toks[j].End:min(len(d.text), toks[j].End+2)]
			if strings.HasPrefix(gap, ")") {
				last = j
				break
			}
			if j+1 < len(toks) && strings.ContainsAny(d.text[toks[j].End:toks[j+1].Start], "()\n\"“”;:") {
				break
			}
		}
		all, capital := true, false
		for j := i + 1; j <= last; j++ {
			all = all && masked[j]
			capital = capital || toks[j].Capital
		}
		// after a person's name, only names or acronyms ("(EWE)"), not
		// what the person is ("Dana Whitfield (intake coordinator)")
		if last < 0 || all || persons[i] && !capital {
			continue
		}
		// a finding of its own: the name keeps its value (and alias)
		d.out = append(d.out, ner.Finding{Start: toks[i+1].Start, End: toks[last].End, Entity: ner.Organization,
			Score: MaxRecallScore, Rule: "names/max-recall"})
		i = last
	}
}

// refWords start brackets that refer to something else.
var refWords = lex("reference-words")

// provision reports whether the number at word i refers to a provision
// (an article, section, rule or paragraph), given whether the number
// before it did.
func (d *run) provision(i int, prev bool) bool {
	if i == 0 {
		return false
	}
	gap := d.text[d.toks[i-1].End:d.toks[i].Start]
	if strings.ContainsRune(gap, '§') {
		return true
	}
	p := d.toks[i-1].Key
	if provisionWords[p] {
		return true
	}
	if (p == "no" || p == "nos" || p == "number") && i >= 2 && d.toks[i-2].is(cProvision) {
		return true
	}
	// a code's part letter: "Article L. 212-4", "Articles R. 12 and R. 14"
	if d.toks[i-1].initial && i >= 2 && (provisionWords[d.toks[i-2].Key] || prev && (d.toks[i-2].Key == "and" || d.toks[i-2].Key == "or")) {
		return true
	}
	// chains: "Articles 3 and 8", "§§ 1 and 3", "6-8", "5(1)"
	if prev && (p == "and" || p == "or" || p == "to") {
		return true
	}
	if g := strings.TrimSpace(gap); prev && (g == "," || g == "-" || g == "–" || g == "(" || g == ")(") {
		return true
	}
	// list numbering at the start of a line: "12. The applicant"
	if i+1 < len(d.toks) && d.toks[i].dot && lineStart(d.text, d.toks[i].Start) {
		return true
	}
	return false
}

func lineStart(text string, i int) bool {
	for i > 0 {
		c := text[i-1]
		if c == '\n' {
			return true
		}
		if c != ' ' && c != '\t' {
			return false
		}
		i--
	}
	return true
}

// listMarker reports a single capital letter used as a list marker or
// heading number ("A. The facts").
func (d *run) listMarker(i int) bool {
	t := &d.toks[i]
	return t.initial && lineStart(d.text, t.Start)
}

func isRoman(w string) bool {
	if len(w) > 6 {
		return false
	}
	for _, c := range w {
		if !strings.ContainsRune("IVXLC", c) {
			return false
		}
	}
	return true
}

// numberPhrase returns the words of the number at i with its separators,
// and currency and unit words on either side.
func (d *run) numberPhrase(i int) (int, int) {
	s, e := i, i
	for e+1 < len(d.toks) && !d.claimed[e+1] {
		gap := d.text[d.toks[e].End:d.toks[e+1].Start]
		n := &d.toks[e+1]
		isNum := strings.ContainsAny(d.text[n.Start:n.End], "0123456789")
		if isNum && (gap == "," || gap == "." || gap == "/" || gap == ":" || gap == " " && len(n.Key) == 3 && n.digits) {
			e++
			continue
		}
		if (gap == " " || gap == "% " || gap == "-") && n.is(cNumberUnit) {
			if n.Key == "per" && !(e+2 < len(d.toks) && d.toks[e+2].Key == "cent") {
				break // "5 per cent" is a number; "7% per annum", "90 per month" a rate, whose unit of time identifies nothing
			}
			e++
			continue
		}
		// "623,117,480 Hungarian forints (HUF)", "340,000 Swedish kronor"
		if gap == " " && n.Capital && e+2 < len(d.toks) && d.toks[e+2].is(cCurrency) && !d.claimed[e+2] {
			e += 2
			continue
		}
		// "1,214 New Romanian lei"
		if gap == " " && n.Capital && e+3 < len(d.toks) && d.toks[e+2].Capital && d.toks[e+3].is(cCurrency) && !d.claimed[e+2] && !d.claimed[e+3] &&
			gapOK(d.text, n, &d.toks[e+2]) && gapOK(d.text, &d.toks[e+2], &d.toks[e+3]) {
			e += 3
			continue
		}
		// "(HUF)", "EUR 80 (euros)"
		if (gap == " (" || gap == "(") && n.is(cCurrency) && (n.allCaps || d.hasCurrency(s, e)) {
			e++
			continue
		}
		// "37 km/h", "50 metres", "12 x 8 mm"
		if (gap == " " || gap == "") && n.is(cMeasureUnit) {
			e++
			if e+1 < len(d.toks) && d.text[d.toks[e].End:d.toks[e+1].Start] == "/" && d.toks[e+1].is(cMeasureUnit) {
				e++
			}
			continue
		}
		if gap == " " && (n.Key == "x" || n.Key == "by") && e+2 < len(d.toks) && d.toks[e+2].digits && !d.claimed[e+2] {
			e += 2
			continue
		}
		// "four years and six months"
		if gap == " " && n.Key == "and" && e+2 < len(d.toks) && !d.claimed[e+2] && d.toks[e+2].is(cSpelledNumber) && d.toks[s].is(cSpelledNumber) {
			e++
			continue
		}
		if gap == " " && n.is(cSpelledNumber) && e > s && d.toks[e].Key == "and" {
			e++
			continue
		}
		// "twenty-four", "five hundred", "one year and six months", "two and a half years"
		if (gap == "-" || gap == " ") && n.is(cSpelledNumber) && d.toks[e].is(cSpelledNumber) {
			e++
			continue
		}
		if gap == " " && n.Key == "and" && e+2 < len(d.toks) && !d.claimed[e+2] && durationUnits[d.toks[e].Key] &&
			(d.toks[e+2].is(cSpelledNumber) || d.toks[e+2].digits) {
			e++
			continue
		}
		if gap == " " && n.Key == "and" && e+3 < len(d.toks) && d.toks[e+2].Key == "a" && d.toks[e+3].Key == "half" && !d.claimed[e+3] {
			e += 3
			continue
		}
		break
	}
	if s > 0 && !d.claimed[s-1] && d.text[d.toks[s-1].End:d.toks[s].Start] == " " && d.toks[s-1].is(cNumberUnit) && d.toks[s-1].allCaps {
		s-- // "EUR 4,000"
	}
	// "approximately EUR 2,650", "[approx. EUR 164]", "over 22,000"
	if s > 0 && !d.claimed[s-1] && d.toks[s-1].is(cApproximately) {
		if g := d.text[d.toks[s-1].End:d.toks[s].Start]; g == " " || g == ". " {
			s--
		}
	}
	return s, e
}

// capPhrase returns the capitalised phrase around the word at i: adjacent
// capitalised words and the connectors between them, without a leading
// article or ordinary sentence-initial word.
func (d *run) capPhrase(i int) (int, int) {
	s, e := i, i
	// In capitals every word looks capitalised ("THICK RUSTY SPUTUM"): an
	// ordinary word there joins the phrase only as its head ("… HOSPITAL").
	caps := d.toks[i].allCaps
	plain := func(w *tok) bool {
		return caps && w.allCaps && w.common && !w.is(cOrgHead) && !w.is(cPlaceHead) && !w.is(cInstitutional)
	}
	for s > 0 && !d.claimed[s-1] {
		w := &d.toks[s-1]
		if !gapOK(d.text, w, &d.toks[s]) && !w.joined {
			break
		}
		if !(w.Capital || w.allCaps) || w.digits || (w.sentence && w.common && !w.is(cOrgHead) && !w.is(cInstitutional)) || w.titleKey() || w.is(cStop) || plain(w) {
			break
		}
		s--
	}
	for e+1 < len(d.toks) && !d.claimed[e+1] {
		w := &d.toks[e+1]
		if !gapOK(d.text, &d.toks[e], w) && !d.toks[e].joined {
			break
		}
		if w.Capital && !w.digits && !w.is(cStop) && !plain(w) {
			e++
			continue
		}
		// "Saint-Quenby-du-Val-d’Orsel": lower-case words inside a
		// hyphenated name
		if d.toks[e].joined && !w.digits && e+2 < len(d.toks) && w.joined && d.toks[e+2].Capital && !d.claimed[e+2] {
			e += 2
			continue
		}
		// a connector with a capitalised word after it: "Borough of Hallowmere"
		if w.is(cConnector) && !w.Capital && e+2 < len(d.toks) && d.toks[e+2].Capital && !d.claimed[e+2] &&
			gapOK(d.text, w, &d.toks[e+2]) {
			e += 2
			continue
		}
		break
	}
	return s, e
}

// phraseEntity guesses what a capitalised phrase names.
func (d *run) phraseEntity(s, e int) ner.Entity {
	if s > 0 && isTitle(d.text, &d.toks[s-1]) {
		return ner.Person
	}
	for k := e; k >= s; k-- {
		if d.toks[k].is(cPlaceHead) {
			return ner.Location
		}
		if d.toks[k].is(cOrgHead) {
			return ner.Organization
		}
	}
	names := true
	for k := s; k <= e; k++ {
		t := &d.toks[k]
		names = names && (t.initial || t.strongName()) && !(t.allCaps && len(t.Key) <= 4)
	}
	if names {
		return ner.Person
	}
	return ner.Other
}

// statuteYear reports whether the year at word e is part of the name of a
// law ("the 1968 Act", "the 2004 Aliens Act", "the 1979 Ordinance"): up to
// two capitalised words and a capitalised word of statute-words follow it.
// A law's year is public and dates no one's case.
func (d *run) statuteYear(e int) bool {
	for k := e + 1; k < len(d.toks) && k-e <= 3; k++ {
		w := &d.toks[k]
		if !w.Capital || d.claimed[k] && !statuteWords[w.Key] || !gapOK(d.text, &d.toks[k-1], w) {
			return false
		}
		if statuteWords[w.Key] {
			return true
		}
	}
	return false
}

// statuteAfter reports whether the nationality at word i names the state
// of a law ("the Ruritanian Aliens Act", "the Ruritanian Accession
// Treaty"): up to two capitalised words and a capitalised word of
// statute-words follow it.
func (d *run) statuteAfter(i int) bool {
	for k := i + 1; k < len(d.toks) && k-i <= 3; k++ {
		w := &d.toks[k]
		if !w.Capital || !gapOK(d.text, &d.toks[k-1], w) {
			return false
		}
		if statuteWords[w.Key] {
			return true
		}
	}
	return false
}

// statuteWords are the head words of the names of laws ("the Road Traffic
// Code", "the Aliens Act", "the Accession Treaty").
var statuteWords = lex("statute-words")

// provisionWords introduce numbers that refer to a provision, not to a
// person or event.
var provisionWords = lex("provision-words")

// numberUnits are currency and time words that belong to the number they
// stand beside.
var numberUnits = lex("currencies", "duration-units", "number-units")

// identifyingNumber reports whether the number phrase s..e can identify:
// three digits or more ("1,250", "1998", "56328/07"), or an amount or a
// percentage. Counts and scores ("day 5", "PHQ-9 = 9", "12 of 16") cannot.
func (d *run) identifyingNumber(s, e int) bool {
	digits := 0
	for _, c := range d.text[d.toks[s].Start:d.toks[e].End] {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if digits >= 3 {
		return true
	}
	if d.hasCurrency(s, e) || d.toks[e].is(cMeasureUnit) {
		return true
	}
	for k := s; k <= e; k++ {
		if end := d.toks[k].End; d.toks[k].numeric && end < len(d.text) && d.text[end] == '%' {
			return true
		}
	}
	return false
}

// measurement reports whether the number phrase s..e reads as a
// measurement rather than as an identifier: no group of digits has more
// than four and none is a year; no hyphen joins it to another number but
// in an ascending range ("212-555" is a telephone number, "90-124" a
// range, "ABG-119/36" a label), and no parenthesis or '#' holds it
// ("(201)", "#12345": how telephone, pager and record numbers are
// written); no word that introduces an identifier
// comes right before it ("room 412", "pager 2234", "no. 1187"); and no
// currency makes it an amount. "131/27/6.48", "700X15/5/40%", "1000U",
// "250cc", "0600" and "103.4" are measurements.
func (d *run) measurement(s, e int) bool {
	start, end := d.toks[s].Start, d.toks[e].End
	if d.hasCurrency(s, e) {
		return false
	}
	if d.reading(s, e) {
		return true
	}
	digitAt := func(i int) bool { return i >= 0 && i < len(d.text) && d.text[i] >= '0' && d.text[i] <= '9' }
	if start > 0 && (d.text[start-1] == '#' || d.text[start-1] == '(' || d.text[start-1] == '-' && digitAt(start-2) && !d.rangeEnd(start-1, start, end)) ||
		end < len(d.text) && (d.text[end] == ')' || d.text[end] == '-' && digitAt(end+1) && !d.rangeEnd(end, start, end)) {
		return false // joined to another number: "212-555", "(617)"
	}
	if s > 0 && idCues[d.toks[s-1].Key] {
		return false
	}
	run := 0
	phrase := d.text[start:end]
	for k := 0; k <= len(phrase); k++ {
		if k < len(phrase) && phrase[k] >= '0' && phrase[k] <= '9' {
			run++
			continue
		}
		if run > 4 || run == 4 && isYear(phrase[k-4:k]) {
			return false
		}
		if k < len(phrase) && (phrase[k] == '-' || phrase[k] == '(' || phrase[k] == ')' || phrase[k] == '#') {
			return false
		}
		run = 0
	}
	return true
}

// reading reports whether the number s..e is part of a clinical reading
// written as a chain of numbers ("7.41-36-118-24", "TV 250-1000",
// "500-1000CC", "SVR 1050-1250's", "100.6-99.1"): the chain of digits and
// . - / : ' % around it holds no run of more than four digits nor a year
// nor a # or bracket (how record and telephone numbers are written), at
// most one hyphen unless it holds a decimal point, and it has a decimal
// point, a dose unit glued to its end, a per cent sign, or a clinical
// abbreviation (a vital sign, a ventilator setting: vital-words) just
// before it.
func (d *run) reading(s, e int) bool {
	t := d.text
	chainChar := func(c byte) bool {
		return c >= '0' && c <= '9' || c == '.' || c == '-' || c == '/' || c == ':' || c == '\'' || c == '%'
	}
	cs, ce := d.toks[s].Start, d.toks[e].End
	for cs > 0 && chainChar(t[cs-1]) {
		cs--
	}
	for ce < len(t) && chainChar(t[ce]) {
		ce++
	}
	ue := ce // a unit glued to the end: "1000CC", "160's"
	for ue < len(t) && (t[ue] >= 'a' && t[ue] <= 'z' || t[ue] >= 'A' && t[ue] <= 'Z') {
		ue++
	}
	if cs > 0 && (t[cs-1] == '#' || t[cs-1] == '(') || ce < len(t) && t[ce] == ')' {
		return false
	}
	chain := strings.TrimRight(t[cs:ce], ".-/:'")
	decimal, hyphens, run := false, 0, 0
	for k := 0; k <= len(chain); k++ {
		if k < len(chain) && chain[k] >= '0' && chain[k] <= '9' {
			run++
			continue
		}
		if run > 4 || run == 4 && isYear(chain[k-4:k]) {
			return false
		}
		if k < len(chain) {
			switch chain[k] {
			case '.':
				decimal = decimal || run > 0 && k+1 < len(chain) && chain[k+1] >= '0' && chain[k+1] <= '9'
			case '-':
				hyphens++
			}
		}
		run = 0
	}
	if hyphens > 1 && !decimal {
		return false // "212-555-0199"
	}
	unit := strings.ToLower(t[ce:ue])
	if decimal || strings.Contains(chain, "%") || unit != "" && (doseUnits[unit] || unit == "s" && strings.HasSuffix(t[cs:ce], "'")) {
		return true
	}
	// the word before the chain, across a hyphen, colon or equals sign
	b := cs
	for b > 0 && (t[b-1] == ' ' || t[b-1] == '-' || t[b-1] == ':' || t[b-1] == '=') && cs-b < 3 {
		b--
	}
	a := b
	for a > 0 && (t[a-1] >= 'a' && t[a-1] <= 'z' || t[a-1] >= 'A' && t[a-1] <= 'Z' || t[a-1] >= '0' && t[a-1] <= '9') {
		a--
	}
	w := strings.ToLower(t[a:b])
	return w != "" && vitalWords[w] && !idCues[w]
}

// doseUnits are units glued to a dose or a volume ("500cc", "2mg").
var doseUnits = lex("dose-units")

// vitalWords name vital signs, laboratory values and ventilator settings
// that a number follows ("ph 7.32", "SVR 1100").
var vitalWords = lex("vital-words")

// rangeEnd reports whether the hyphen at h, before or after the number
// phrase text[start:end], makes it one end of an ascending range of small
// numbers ("90-124", "BP 105-132/58", "3.5-4", "4:30-5:30"): a number of
// at most three digits before any '.' or ':' on each side of the hyphen,
// the first less than the second, and no further hyphen beyond (three
// groups are a telephone number).
func (d *run) rangeEnd(h, start, end int) bool {
	t := d.text
	numChar := func(c byte) bool { return c >= '0' && c <= '9' || c == '.' || c == ':' }
	back := func(i int) (float64, bool) { // the number ending before i
		j := i
		for j > 0 && numChar(t[j-1]) {
			j--
		}
		for j < i && (t[j] == '.' || t[j] == ':') {
			j++ // "Frame:4:30"
		}
		v, ok := smallNumber(t[j:i])
		return v, ok && (j == 0 || t[j-1] != '-' && t[j-1] != '#')
	}
	fwd := func(i int) (float64, bool) { // the number starting at i
		j := i
		for j < len(t) && numChar(t[j]) {
			j++
		}
		v, ok := smallNumber(t[i:j])
		return v, ok && (j == len(t) || t[j] != '-')
	}
	var lo, hi float64
	var ok, ok2 bool
	if h < start { // "90-" before the phrase
		lo, ok = back(h)
		hi, ok2 = fwd(start)
	} else { // "-124" after it
		lo, ok = back(end)
		hi, ok2 = fwd(h + 1)
	}
	return ok && ok2 && lo < hi
}

// smallNumber reads "124", "7.45" or "4:30" (as minutes) with at most
// three digits before the first '.' or ':'.
func smallNumber(s string) (float64, bool) {
	s = strings.TrimRight(s, ".:")
	whole, frac, colon := s, "", false
	if k := strings.IndexAny(s, ".:"); k >= 0 {
		whole, frac, colon = s[:k], s[k+1:], s[k] == ':'
	}
	if whole == "" || len(whole) > 3 || strings.ContainsAny(frac, ".:") {
		return 0, false
	}
	w, err := strconv.Atoi(whole)
	if err != nil {
		return 0, false
	}
	if frac == "" {
		return float64(w), true
	}
	f, err := strconv.Atoi(frac)
	if err != nil || len(frac) > 3 {
		return 0, false
	}
	if colon {
		return float64(w*60 + f), true
	}
	return float64(w) + float64(f)/math.Pow10(len(frac)), true
}

// clinicalAbbreviations are the shorthand of clinical notes
// ("S.P", "H.O", "UOP", "KVO"), by their letters.
var clinicalAbbreviations = lex("clinical-abbreviations")

// capsClinical are clinical abbreviations that are also names, read as
// abbreviations only in context (contextClasses).
var capsClinical = lex("caps-clinical-abbreviations")

// clinicalAbbreviation reports whether the initials s..e ("S.P", "G.I")
// spell a clinical abbreviation.
func (d *run) clinicalAbbreviation(s, e int) bool {
	var b strings.Builder
	for k := s; k <= e; k++ {
		b.WriteString(d.toks[k].Key)
	}
	return clinicalAbbreviations[b.String()]
}

// idCues are words that introduce an identifier's number.
var idCues = lex("id-cues")

func (d *run) hasCurrency(s, e int) bool {
	for k := s; k <= e; k++ {
		if d.toks[k].is(cCurrency) {
			return true
		}
	}
	return false
}

// measureUnits make a number a measurement of something ("37 km/h").
var measureUnits = lex("measure-units")

// approximately belongs to the amount after it.
var approximately = lex("approximately")

// others returns the end of "other persons" after the number ending at
// word e ("the accused and nine other persons"), or e: how many were
// accused with someone narrows down the case.
func (d *run) others(e int) int {
	if e+2 < len(d.toks) && (d.toks[e+1].Key == "other" || d.toks[e+1].Key == "co") && coPersons[d.toks[e+2].Key] &&
		!d.claimed[e+1] && !d.claimed[e+2] && gapOK(d.text, &d.toks[e], &d.toks[e+1]) {
		return e + 2
	}
	return e
}

// counted returns the end of the things counted by the number s..e when
// there are five or more of them ("fifty-five hearings", "79 packages", "20
// market stalls"), or e: a count that large is a fact of one case. Two
// houses or three hearings are not.
func (d *run) counted(s, e int) int {
	for k := s; k <= e; k++ {
		if !d.toks[k].digits && spelledValue[d.toks[k].Key] == 0 {
			return e // "EUR 4,000", "14 years"
		}
	}
	if countValue(d.toks[s:e+1]) < 5 {
		return e
	}
	for k := e + 1; k < len(d.toks) && k-e <= 2; k++ {
		w := &d.toks[k]
		if d.claimed[k] || w.Capital || w.numeric || w.is(cStop) || !gapOK(d.text, &d.toks[k-1], w) ||
			w.is(cNumberUnit) || w.is(cCurrency) || w.is(cProvision) || w.is(cApproximately) {
			return e
		}
		if w.is(cUnitWord) {
			return e // "20 units", "10 tabs": doses
		}
		if len(w.Key) > 3 && strings.HasSuffix(w.Key, "s") && !strings.HasSuffix(w.Key, "ss") {
			return k
		}
	}
	return e
}

// countValue returns the value of a number written in digits or words
// ("55", "fifty-five"), or 0.
func countValue(ws []tok) int {
	n := 0
	for _, w := range ws {
		if w.digits {
			for _, c := range w.Key {
				n = n*10 + int(c-'0')
				if n > 1e6 {
					return n
				}
			}
			continue
		}
		n += spelledValue[w.Key]
	}
	return n
}

var spelledValue = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

var coPersons = lex("co-persons")

// addNumber adds the number phrase s..e with a percent sign or the
// possessive after it ("33%", "one month's imprisonment").
func (d *run) addNumber(s, e int) {
	if !d.free(s, e) {
		return
	}
	if e+1 < len(d.toks) && d.toks[e].joined && d.toks[e+1].Key == "s" && !d.claimed[e+1] {
		e++
	}
	// "11.20 p.m.", "12 noon"
	if e+2 < len(d.toks) && (d.toks[e+1].Key == "a" || d.toks[e+1].Key == "p") && d.toks[e+2].Key == "m" &&
		d.text[d.toks[e+1].End:d.toks[e+2].Start] == "." && !d.claimed[e+1] && !d.claimed[e+2] {
		e += 2
	} else if e+1 < len(d.toks) && (d.toks[e+1].Key == "noon" || d.toks[e+1].Key == "midnight") && !d.claimed[e+1] {
		e++
	}
	for k := s; k <= e; k++ {
		d.claimed[k] = true
	}
	f := ner.Finding{Start: d.toks[s].Start, End: d.toks[e].End, Entity: ner.Other, Score: MaxRecallScore, Rule: "names/max-recall"}
	if f.End < len(d.text) && (d.text[f.End] == '%' || d.text[f.End] == '.' && e > s && d.toks[e].Key == "m") {
		f.End++
	}
	d.out = append(d.out, f)
}

// penalty reports whether the number phrase s..e is the length of a
// sentence or of a detention ("sentenced to seven years’ imprisonment", "a
// sentence of 13 years", "detention lasted nine days"): it identifies a
// case as a date does. Other durations ("within 7 days") do not.
func (d *run) penalty(s, e int) bool {
	if !durationUnits[d.toks[e].Key] {
		return false
	}
	// after: "’ imprisonment", "'s imprisonment", " in prison"
	if n := e + 1; n < len(d.toks) {
		if d.toks[n].Key == "s" && d.toks[e].joined || strings.HasPrefix(d.text[d.toks[e].End:d.toks[n].Start], "’") {
			if d.toks[n].Key == "s" {
				n++
			}
		}
		if n < len(d.toks) && penaltyWords[d.toks[n].Key] {
			return true
		}
		if n+1 < len(d.toks) && (d.toks[n].Key == "in" || d.toks[n].Key == "of") && penaltyWords[d.toks[n+1].Key] {
			return true
		}
	}
	// before: "sentenced (him) to", "sentence of", "lasted", "served"
	return d.penaltyVerbBefore(s)
}

var (
	durationUnits = lex("duration-units")
	penaltyWords  = lex("penalty-words")
	penaltyVerbs  = lex("penalty-verbs")
)

// spelledNumbers are the number words that can count something identifying.
var spelledNumbers = lex("number-words")

func isYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	return (w[0] == '1' && (w[1] == '8' || w[1] == '9')) || (w[0] == '2' && w[1] == '0')
}

// verbForm reports whether w is an ordinary word with -ing, -ed or -ied.
func verbForm(w string) bool {
	return (strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed")) && inflected(w)
}

// inflected reports whether a lower-case word is an inflection of an
// ordinary word ("wages", "quashed", "landowners", "alleging").
func inflected(w string) bool {
	common := gazetteer.IsCommonWord
	for _, suf := range []string{"s", "es", "ed", "d", "ing", "ly", "er", "ers", "ies", "ied"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 {
			if common(stem) || common(stem+"e") || (suf == "ies" || suf == "ied") && common(stem+"y") {
				return true
			}
			// doubled consonant: "annulled", "admitted"
			if n := len(stem); (suf == "ed" || suf == "ing") && n >= 4 && stem[n-1] == stem[n-2] && common(stem[:n-1]) {
				return true
			}
		}
	}
	return false
}

// currencies make a number an amount.
var currencies = lex("currencies")

// nationalityNouns make the adjective before them describe a person.
var nationalityNouns = lex("nationality-nouns")

// whereSomeone reports whether the country at word i is where someone
// lives, went or was held: after a verb of residence or movement and a
// preposition, perhaps with a town between ("lives in Brzeskowice in Poland",
// "was detained in Spain", "deported to Turkey"), or after "national of".
func (d *run) whereSomeone(i int) bool {
	toks := d.toks
	p := i - 1
	if p > 0 && toks[p].Key == "the" {
		p--
	}
	if p < 1 || !toks[p].is(cPlacePrep) && toks[p].Key != "of" {
		return false
	}
	k := p - 1
	if toks[p].Key == "of" {
		return toks[k].is(cNationalityNoun)
	}
	if (d.claimed[k] || toks[k].Capital) && k >= 2 && toks[k-1].is(cPlacePrep) { // "in Brzeskowice in Poland"
		k -= 2
	}
	for ; k >= 0 && i-k <= 5; k-- {
		if toks[k].is(cPlaceVerb) || toks[k].is(cCustodyVerb) {
			return true
		}
		if !(toks[k].Key == "currently" || toks[k].Key == "now" || toks[k].Key == "then" || toks[k].Key == "later" ||
			toks[k].Key == "subsequently" || toks[k].Key == "eventually" || toks[k].Key == "back" || toks[k].Key == "him" ||
			toks[k].Key == "her" || toks[k].Key == "them" || toks[k].Key == "it" || toks[k].Key == "on" || toks[k].Key == "remand" ||
			toks[k].Key == "a" || toks[k].Key == "sentence" || toks[k].Key == "his" || toks[k].Key == "their") {
			return false
		}
	}
	return false
}

// region returns the first word of the compass point that makes the
// country at word i a region of it ("northern Ruritania", "south-east
// Ruritania", "the north of Ruritania"), or i.
func (d *run) region(i int) int {
	toks := d.toks
	k := i - 1
	of := k >= 0 && toks[k].Key == "of" // "the north of"
	if of {
		k--
	}
	if k < 0 || !compassWords[toks[k].Key] || !gapOK(d.text, &toks[k], &toks[k+1]) || of && toks[k].Capital {
		return i
	}
	for k > 0 && toks[k-1].joined && compassWords[toks[k-1].Key] { // "south-east"
		k--
	}
	if d.claimed[k] || of && (k == 0 || toks[k-1].Key != "the") {
		return i
	}
	return k
}

// compassWords make a country a region of it ("northern", "south-east").
var compassWords = lex("compass-words")

// custodyVerbs say where someone was held or sent.
var custodyVerbs = lex("custody-verbs")

// institutions extends names of places and parties over the words of the
// institution they name, which identify as much as the name does: a
// local court, office or prison tells where someone lives or was tried.
// After the name: capitalised words of the vocabulary of public bodies up
// to a head word ("Tartu Public Prosecutor", "Tartu District Court",
// "Tartu Magistrates' Court", "Quenby Tolvane Solicitors"), or lower-case
// ones ("Tallinn court", "Tromsø municipal cemetery"). Before the
// name: a part of the institution ("Twelfth Chamber of the Vostrava
// Criminal Court").
func (d *run) institutions(named []bool) {
	toks := d.toks
	for i := 0; i+1 < len(toks); i++ {
		if !named[i] || d.claimed[i+1] {
			continue
		}
		last := -1
		lower := !toks[i+1].Capital
		for j := i + 1; j < len(toks) && j-i <= 4; j++ {
			w := &toks[j]
			if d.claimed[j] || w.Capital == lower || w.numeric || !institutionGap(d.text, &toks[j-1], w) {
				break
			}
			if (lower && w.is(cLowerInstitution)) || (!lower && (w.is(cOrgHead) || w.is(cOfficeHead))) {
				last = j
				continue
			}
			if !w.is(cInstitutional) && !(lower && w.is(cLowerModifier)) {
				break
			}
		}
		start := i
		e := ner.Organization
		if last < 0 {
			// "Niederbrunnstadt, Germany", "Cincinnati, Ohio": a town and its country
			// or state, which says where the town is. The country or state
			// is a finding of its own, which a profile may keep.
			if c := d.withCountry(i); c > i {
				start, last, e = i+1, c, ner.Location
				for start < c && strings.TrimSpace(d.text[toks[start-1].End:toks[start].Start]) == "" {
					start++ // the first word after the comma or bracket
				}
			} else if g := strings.TrimSpace(d.text[toks[i].End:toks[i+1].Start]); g == "," && toks[i+1].upperIn(cUSState, usStates, d.text) &&
				len(toks[i+1].Key) > 2 && toks[i+1].Capital && !d.claimed[i+1] {
				start, last, e = i+1, i+1, ner.Location
			} else {
				continue
			}
		}
		d.out = append(d.out, ner.Finding{Start: toks[start].Start, End: toks[last].End, Entity: e,
			Score: MaxRecallScore, Rule: "names/max-recall"})
		for k := i + 1; k <= last; k++ {
			d.claimed[k], named[k] = true, true
		}
		i = last - 1
	}
	for i := 3; i < len(toks); i++ {
		if !named[i] || named[i-1] {
			continue
		}
		k := i - 1
		if toks[k].Key == "the" {
			k--
		}
		// "the District Court in Velmoraz", "the Magistrates' Court
		// of Tartu", "the municipality of Hallowmere", "plot no. 937"
		if k >= 1 && (toks[k].Key == "in" || toks[k].Key == "of") && toks[k-1].is(cOrgHead) && (toks[k-1].Capital || toks[k-1].is(cPlaceHead)) && !d.claimed[k-1] ||
			k >= 1 && (toks[k].Key == "no" || toks[k].Key == "nos") && toks[k-1].is(cPropertyWord) && !d.claimed[k-1] {
			s := k - 1
			for s > 0 && k-1-s < 3 && toks[s-1].Capital && !d.claimed[s-1] && (toks[s-1].is(cInstitutional) || toks[s-1].is(cOrgHead)) &&
				institutionGap(d.text, &toks[s-1], &toks[s]) {
				s--
			}
			d.out = append(d.out, ner.Finding{Start: toks[s].Start, End: toks[i].End, Entity: ner.Organization,
				Score: MaxRecallScore, Rule: "names/max-recall"})
			for m := s; m < i; m++ {
				d.claimed[m] = true
			}
			continue
		}
		if k < 1 || toks[k].Key != "of" || !toks[k-1].is(cSubunit) || !toks[k-1].Capital || d.claimed[k-1] {
			continue
		}
		s := k - 1
		for s > 0 && k-1-s < 2 && toks[s-1].Capital && !d.claimed[s-1] && !toks[s-1].is(cStop) &&
			!toks[s-1].sentence && gapOK(d.text, &toks[s-1], &toks[s]) {
			s--
		}
		d.out = append(d.out, ner.Finding{Start: toks[s].Start, End: toks[i].End, Entity: ner.Organization,
			Score: MaxRecallScore, Rule: "names/max-recall"})
		for m := s; m < i; m++ {
			d.claimed[m] = true
		}
	}
}

// institutionGap reports whether b continues the name a ends: spaces, or
// the apostrophe of a plural possessive ("Magistrates' Court").
func institutionGap(text string, a, b *tok) bool {
	if gapOK(text, a, b) {
		return true
	}
	gap := text[a.End:b.Start]
	return (gap == "' " || gap == "’ ") && strings.HasSuffix(a.Key, "s")
}

// officeHeads end the names of offices that are not organisations by
// their head word alone ("Public Prosecutor", "Istanbul Bar").
var officeHeads = lex("office-heads")

// propertyWords are numbered pieces of land and buildings ("plot no. 937").
var propertyWords = lex("property-words")

// lowerInstitutions are lower-case words that name a local institution
// after a place ("the Tallinn court", "Tartu prison").
var lowerInstitutions = lex("lower-institutions")

// lowerModifiers may stand between a place and a lower-case institution
// word ("the Tartu municipal cemetery").
var lowerModifiers = lex("lower-modifiers")

// subunits are the parts of an institution named before it ("Twelfth
// Chamber of the Vostrava Criminal Court").
var subunits = lex("subunits")

// occupations marks what someone does for a living after the words that
// introduce it ("the applicant, a bus driver,", "worked as a secondary
// school teacher", "she is a university lecturer", "took the job of a
// private security guard"): an occupation narrows down who someone is.
// The phrase ends with a word of the trades.
func (d *run) occupations() {
	toks := d.toks
	for i := 0; i+1 < len(toks); i++ {
		j := d.occupationContext(i)
		if j < 0 {
			continue
		}
		last := -1
		for k := j; k < len(toks) && k-j < 4; k++ {
			w := &toks[k]
			if k > j && !gapOK(d.text, &toks[k-1], w) && !toks[k-1].joined {
				break
			}
			if w.numeric || d.claimed[k] || (w.is(cStop) && !w.is(cTrade)) || w.allCaps {
				break
			}
			if w.is(cTrade) {
				last = k
			}
		}
		if last >= j {
			d.add(j, last, ner.Demographic, MaxRecallScore, "max-recall")
			i = last
		}
	}
}

// occupationContext returns the first word of an occupation introduced at
// word i, or -1.
func (d *run) occupationContext(i int) int {
	toks := d.toks
	k := toks[i].Key
	next := i + 1
	article := func(j int) int {
		if j < len(toks) && (toks[j].Key == "a" || toks[j].Key == "an") {
			return j + 1
		}
		return j
	}
	switch {
	case k == "as" && i > 0 && benchVerbs[toks[i-1].Key]:
		return -1 // "she sat as a deputy judge": a seat on the bench of the case, not a trade
	case k == "as" && i > 0 && occupationVerbs[toks[i-1].Key]:
		return article(next)
	case k == "is" || k == "was" || k == "as" || k == "became" || k == "becoming":
		if next < len(toks) && toks[next].Key == "then" {
			next++
		}
		if j := article(next); j > next {
			return j
		}
	case (k == "applicant" || k == "plaintiff" || k == "defendant" || k == "victim" || k == "father" || k == "mother" ||
		k == "husband" || k == "wife" || k == "son" || k == "daughter" || k == "brother" || k == "sister") &&
		strings.TrimSpace(d.text[toks[i].End:toks[next].Start]) == ",":
		if j := article(next); j > next {
			return j
		}
	case (k == "post" || k == "position" || k == "profession" || k == "career" || k == "job") && toks[next].Key == "of":
		return article(next + 1)
	case k == "former" || k == "retired" || k == "trainee" || k == "qualified":
		return next
	}
	return -1
}

// diagnoses marks the condition after "diagnosed with" and "suffering
// from" ("diagnosed with bipolar disorder"): a diagnosis narrows
// down who someone is.
func (d *run) diagnoses() {
	toks := d.toks
	for i := 0; i+2 < len(toks); i++ {
		k := toks[i].Key
		if !((k == "diagnosed" || k == "diagnosis") && (toks[i+1].Key == "with" || toks[i+1].Key == "of") ||
			(k == "suffering" || k == "suffered" || k == "suffers") && toks[i+1].Key == "from") {
			continue
		}
		j := i + 2
		if toks[j].Key == "a" || toks[j].Key == "an" || toks[j].Key == "the" {
			j++
		}
		end := -1
		for m := j; m < len(toks) && m-j < 4; m++ {
			w := &toks[m]
			if m > j && !gapOK(d.text, &toks[m-1], w) && !toks[m-1].joined {
				break
			}
			if d.claimed[m] || w.numeric || w.is(cStop) || w.Key == "by" {
				break
			}
			end = m
		}
		if end >= j {
			d.add(j, end, ner.Demographic, MaxRecallScore, "max-recall")
			i = end
		}
	}
}

// conditions marks the names of medical conditions by their endings
// ("coxarthrosis", "degenerative spondylosis", "bipolar disorder",
// "intercostal neuralgia"), with the adjectives before them: health
// data narrows down who someone is, in a judgment as in a note.
func (d *run) conditions() {
	toks := d.toks
	for i := range toks {
		t := &toks[i]
		if d.claimed[i] || t.numeric || t.Capital || len(t.Key) < 7 || !conditionWord(t.Key) {
			continue
		}
		s := i
		for s > 0 && i-s < 2 && !d.claimed[s-1] && !toks[s-1].numeric && !toks[s-1].Capital &&
			(gapOK(d.text, &toks[s-1], &toks[s]) && medicalAdjective(toks[s-1].Key) || toks[s-1].joined) {
			s--
		}
		d.add(s, i, ner.Demographic, MaxRecallScore, "max-recall")
	}
}

// injuries marks an injury with the part of the body it names ("a fracture
// of the right wrist", "dislocation of his right shoulder"): health data,
// as a condition is. The part is up to four words after "of" and an
// article or possessive, on one line, ending before punctuation or a
// function word ("… of the left tibia in 1994").
func (d *run) injuries() {
	toks := d.toks
	for i := 0; i+2 < len(toks); i++ {
		if !injuryWords[toks[i].Key] || d.claimed[i] || toks[i+1].Key != "of" || !gapOK(d.text, &toks[i], &toks[i+1]) {
			continue
		}
		j := i + 2
		if j < len(toks) && (toks[j].Key == "the" || toks[j].Key == "his" || toks[j].Key == "her" || toks[j].Key == "their" || toks[j].Key == "a") {
			j++
		}
		end := -1
		for m := j; m < len(toks) && m-j < 4; m++ {
			w := &toks[m]
			if !gapOK(d.text, &toks[m-1], w) && !toks[m-1].joined || d.claimed[m] && !w.numeric || stopWords[w.Key] || w.Capital || w.digits {
				break
			}
			end = m
		}
		if end < j {
			continue
		}
		d.addUnclaimed(i, end, ner.Demographic) // "the 4th" may be a date's
		i = end
	}
}

// workTitles marks the title in quotation marks of a work after the word
// that introduces it ("an article entitled “Notes from the Valley”", "a
// programme titled 'Insiders'"): the article, book, leaflet or programme a
// case is about identifies the case, and its title is often ordinary
// words that nothing else would flag. The title is what lies between the
// quotation marks, at most maxTitle words on one line; the words another
// finding covers are left to it.
func (d *run) workTitles() {
	toks := d.toks
	for i := 0; i+1 < len(toks); i++ {
		if !titleCues[toks[i].Key] {
			continue
		}
		gap := strings.TrimLeft(d.text[toks[i].End:toks[i+1].Start], " :")
		open, n := utf8.DecodeRuneInString(gap)
		close := closingQuote(open)
		if close == 0 || strings.TrimSpace(gap[n:]) != "" {
			continue
		}
		last := -1
		for k := i + 1; k < len(toks) && k-i <= maxTitle; k++ {
			if k > i+1 && strings.ContainsRune(d.text[toks[k-1].End:toks[k].Start], '\n') {
				break
			}
			if after := d.text[toks[k].End:]; strings.HasPrefix(strings.TrimLeft(after, ".,!?"), string(close)) {
				last = k
				break
			}
		}
		if last < 0 {
			continue
		}
		d.addUnclaimed(i+1, last, ner.Other)
		i = last
	}
}

// maxTitle is the most words of a title workTitles takes.
const maxTitle = 20

// closingQuote returns the quotation mark that closes open, or 0.
func closingQuote(open rune) rune {
	switch open {
	case '“':
		return '”'
	case '"':
		return '"'
	case '‘':
		return '’'
	case '\'':
		return '\''
	case '«':
		return '»'
	case '„':
		return '“'
	}
	return 0
}

// titleCues introduce the title of a work ("entitled").
var titleCues = lex("title-cues")

// injuryWords name injuries that a part of the body follows ("fracture of").
var injuryWords = lex("injury-words")

// conditionWord reports the endings of the names of diseases and
// disorders.
func conditionWord(k string) bool {
	if k == "" || !conditionLast[k[len(k)-1]] {
		return k == "hypertension" || k == "hypotension"
	}
	for _, suf := range conditionEndings {
		if strings.HasSuffix(k, suf) {
			return !notConditions[k]
		}
	}
	return k == "hypertension" || k == "hypotension"
}

// conditionEndings end the names of diseases and disorders.
var conditionEndings = lexicon.MustSet("condition-endings").Words()

// conditionLast marks the last bytes of conditionEndings: a word ending
// in no other byte has none of them (conditions asks it of most words of
// a text). An empty ending, which every word has, marks them all.
var conditionLast = func() (m [256]bool) {
	for _, suf := range conditionEndings {
		if suf == "" {
			for c := range m {
				m[c] = true
			}
			continue
		}
		m[suf[len(suf)-1]] = true
	}
	return m
}()

// notConditions end like a condition without being one.
var notConditions = lex("not-conditions")

// medicalAdjective reports an adjective that may qualify a condition
// ("degenerative", "calcifying", "paranoid", "brachial").
func medicalAdjective(k string) bool {
	if stopWords[k] || len(k) < 4 {
		return false
	}
	for _, suf := range adjectiveEndings {
		if strings.HasSuffix(k, suf) {
			return true
		}
	}
	return false
}

// adjectiveEndings end adjectives that may qualify a condition.
var adjectiveEndings = lexicon.MustSet("adjective-endings").Words()

// sentences marks the sentences that have no length after a verb of
// sentencing ("sentenced her to life imprisonment", "demanded the death
// penalty"), which identify a case as a term of imprisonment does
// (penalty). The death penalty in general ("abolished the death penalty")
// identifies no one.
func (d *run) sentences() {
	toks := d.toks
	for i := 0; i+1 < len(toks); i++ {
		if !severePenalties[toks[i].Key+" "+toks[i+1].Key] || d.claimed[i] || d.claimed[i+1] || !gapOK(d.text, &toks[i], &toks[i+1]) || !d.penaltyVerbBefore(i) {
			continue
		}
		d.add(i, i+1, ner.Other, MaxRecallScore, "max-recall")
		i++
	}
}

// penaltyVerbBefore reports whether a verb of sentencing comes before word
// s, across a few words ("sentenced him to the", "sought a"): the sentence
// of a case, not the death penalty in general.
func (d *run) penaltyVerbBefore(s int) bool {
	for k := s - 1; k >= 0 && s-k <= 4; k-- {
		w := d.toks[k].Key
		if penaltyVerbs[w] {
			return true
		}
		if !(w == "to" || w == "of" || w == "for" || w == "him" || w == "her" || w == "them" || w == "the" || w == "applicant" || w == "applicants" || w == "a" || w == "further") {
			return false
		}
	}
	return false
}

// severePenalties are the sentences without a length, as "word word".
var severePenalties = set2(lexicon.MustSet("severe-penalties").Words()...)

// benchVerbs introduce the seat a judge takes in a case ("appointed to sit
// as a deputy judge"), which is no one's trade.
var benchVerbs = lex("bench-verbs")

// occupationVerbs introduce an occupation with "as" ("worked as a").
var occupationVerbs = lex("occupation-verbs")

// trades are the head words of occupations.
var trades = lex("trades")

// demonyms are nationalities, ethnicities and religions.
var demonyms = lex("demonyms")

// stateWords after a nationality name a state, not a person ("the Turkish
// Government", "the Polish Civil Code").
var stateWords = lex("state-words", "nationality-nouns")

// misspelt reports whether the word t, in no list of names, is one typing
// error (a letter left out, added, changed, or two letters swapped) from an
// ordinary word of at least five letters: "recieved", "fentanil",
// "amiodorone". Notes are typed in haste; a name in no list that happens to
// be one letter from a word is rare, and the rules' context (titles, role
// words, "Label:" fields) still finds it.
func misspelt(t *tok) bool {
	if t.common || t.first || t.last || t.numeric {
		return false
	}
	w := []rune(t.Key)
	if len(w) < 5 || len(w) > 24 {
		return false
	}
	common := func(r []rune) bool { return gazetteer.Lookup(string(r)).Common() }
	buf := make([]rune, 0, len(w)+1)
	for i := range w { // a letter added
		buf = append(append(buf[:0], w[:i]...), w[i+1:]...)
		if common(buf) {
			return true
		}
	}
	for i := 0; i+1 < len(w); i++ { // two letters swapped
		buf = append(buf[:0], w...)
		buf[i], buf[i+1] = buf[i+1], buf[i]
		if buf[i] != buf[i+1] && common(buf) {
			return true
		}
	}
	for i := 0; i <= len(w); i++ { // a letter left out or changed
		for c := 'a'; c <= 'z'; c++ {
			buf = append(append(append(buf[:0], w[:i]...), c), w[i:]...)
			if common(buf) {
				return true
			}
			if i < len(w) && c != w[i] {
				buf = append(append(append(buf[:0], w[:i]...), c), w[i+1:]...)
				if common(buf) {
					return true
				}
			}
		}
	}
	return false
}

// addUnclaimed adds a maximum-recall finding of label for each run of
// words from toks[from] to toks[to] (inclusive) that no finding claims.
func (d *run) addUnclaimed(from, to int, label ner.Entity) {
	for s := from; s <= to; s++ {
		if d.claimed[s] {
			continue
		}
		e := s
		for e < to && !d.claimed[e+1] {
			e++
		}
		d.add(s, e, label, MaxRecallScore, "max-recall")
		s = e
	}
}

// codeName reports whether the word at i is a name or code written with
// letters and digits ("the QT40 model", "a Harwick RZ9 drill", "the
// Velmor MkII4"): a capital letter, another letter, then digits, with or
// without more letters. Such a word is no number of anything and no
// ordinary word; it names one thing, as a capitalised word does. A
// clinical abbreviation or a vital sign ("PaO2", "FiO2") is none. Like a word in capitals,
// it is flagged only where the model (MaxRecallJudged) judges it likely.
func (d *run) codeName(i int) bool {
	t := &d.toks[i]
	w := d.text[t.Start:t.End]
	if len(w) < 3 || w[0] < 'A' || w[0] > 'Z' || t.is(cClinicalAbbrev) || vitalWords[t.Key] {
		return false
	}
	k := 1
	for k < len(w) && (w[k] >= 'A' && w[k] <= 'Z' || w[k] >= 'a' && w[k] <= 'z') {
		k++
	}
	if k < 2 || k == len(w) || w[k] < '0' || w[k] > '9' {
		return false
	}
	for ; k < len(w); k++ {
		c := w[k]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// rangeStart returns the first word of a range whose upper bound is the
// identifying amount or percentage s..e ("30 to 55%", "between 20 and
// 30 euros"): the lower bound has the same unit and says as much. It
// returns s when no bare number and "to" or "and" (after "between") come
// right before, or after a vital sign or "from".
func (d *run) rangeStart(s, e int) int {
	if s < 2 || d.claimed[s-1] || d.claimed[s-2] || !d.toks[s-2].digits {
		return s
	}
	lo, link := &d.toks[s-2], &d.toks[s-1]
	if !gapOK(d.text, lo, link) || !gapOK(d.text, link, &d.toks[s]) {
		return s
	}
	// "sats 91 to 96%", "lowered from 60 to 35%": a reading after a vital
	// sign, or a change from one value to another, not a range
	if s >= 3 && (vitalWords[d.toks[s-3].Key] || d.toks[s-3].Key == "from") {
		return s
	}
	if !(link.Key == "to" || link.Key == "and" && s >= 3 && d.toks[s-3].Key == "between") ||
		!d.hasCurrency(s, e) && !(d.toks[e].End < len(d.text) && d.text[d.toks[e].End] == '%') {
		return s
	}
	return s - 2
}

// listedNumbers flags a bare number listed between two numbers of three
// digits or more that this mode flagged ("entries 712, 804, 36, 915/2 of
// the register"): the items of one list are of one kind, and a short one
// identifies as much as the longer ones. A list of readings ("131/62, 84,
// 97%") has short numbers beside it and is left alone.
func (d *run) listedNumbers() {
	toks := d.toks
	var mine []bool // flagged by this mode
	flagged := func(k int) bool {
		if !toks[k].digits || len(toks[k].Key) < 3 || !d.claimed[k] {
			return false
		}
		if mine == nil {
			mine = d.maskedBy(false, d.out)
		}
		return mine[k]
	}
	for k := 1; k+1 < len(toks); k++ {
		if !toks[k].digits || d.claimed[k] || d.text[toks[k-1].End:toks[k].Start] != ", " {
			continue
		}
		next := k + 1
		switch d.text[toks[k].End:toks[next].Start] {
		case ", ":
		case " ":
			if toks[next].Key != "and" || next+1 >= len(toks) {
				continue
			}
			next++
		default:
			continue
		}
		if flagged(k-1) && flagged(next) {
			d.addNumber(k, k)
		}
	}
}
