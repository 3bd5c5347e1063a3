package names

import (
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
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
// the capitalised phrase around it ("Pierce Glynn Solicitors"), a number
// the number and currency or unit words around it ("EUR 4,000", "14
// years").
//
// Findings are PERSON when a title or the name lists say so, ORGANIZATION
// or LOCATION by their head word, and OTHER otherwise.
func MaxRecall(text string, found []ner.Finding) []ner.Finding {
	toks := tokenize(text)
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
				if i >= 2 && placePreps[toks[i-1].Key] && placeVerbs[toks[i-2].Key] {
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
	structural := false // the previous number referred to a provision
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		hasDigit := strings.ContainsAny(text[t.Start:t.End], "0123456789")
		if hasDigit {
			structural = d.provision(i, structural)
		}
		if covered[i] {
			continue
		}
		switch {
		case spelledNumbers[t.Key] && !covered[i]:
			// "five hundred euros": a spelled amount of money. Durations
			// ("six hours", "eighteen years of age") identify no one.
			s, e := d.numberPhrase(i)
			if e > s && (currencies[d.toks[e].Key] || d.penalty(s, e)) {
				d.add(s, e, ner.Other, MaxRecallScore, "max-recall")
				i = e
			}
		case hasDigit:
			if structural {
				continue
			}
			s, e := d.numberPhrase(i)
			if !d.identifyingNumber(s, e) && !d.penalty(s, e) {
				i = e
				continue
			}
			ent := ner.Other
			if s == e && isYear(text[t.Start:t.End]) {
				ent = ner.Date // a year: the profile's date rule applies
			}
			d.add(s, e, ent, MaxRecallScore, "max-recall")
			if n := len(d.out); n > 0 && d.out[n-1].End < len(text) && text[d.out[n-1].End] == '%' {
				d.out[n-1].End++ // "33%"
			}
			i = e
		case t.Capital && t.extra && i+1 < len(toks) && nationalityNouns[toks[i+1].Key] && !covered[i+1]:
			// "a Turkish national", "of Kurdish origin": a nationality that
			// describes someone
			d.add(i, i+1, ner.Other, MaxRecallScore, "max-recall")
			i++
		case t.Capital || t.allCaps:
			if t.common || d.listMarker(i) || isRoman(text[t.Start:t.End]) || isTitleKey(t.Key) ||
				credentials[strings.ToUpper(text[t.Start:t.End])] {
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
			if t.common || len(t.Key) < 3 || t.digits || inflected(t.Key) || (t.last && !t.first) {
				continue // lower-case surnames are English words: "world", "price"
			}
			// a lower-case word in no list: a misspelling, a rare word or a
			// name written in lower case; what it is nobody knows
			d.add(i, i, ner.Other, MaxRecallScore, "max-recall")
		}
	}
	return d.out
}

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
	if (p == "no" || p == "nos" || p == "number") && i >= 2 && provisionWords[d.toks[i-2].Key] {
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
		if isNum && (gap == "," || gap == "." || gap == " " && len(n.Key) == 3 && n.digits) {
			e++
			continue
		}
		if (gap == " " || gap == "% " || gap == "-") && numberUnits[n.Key] {
			e++
			continue
		}
		// "962,996,880 Turkish liras (TRL)", "250,000 Swedish kronor"
		if gap == " " && n.Capital && e+2 < len(d.toks) && currencies[d.toks[e+2].Key] && !d.claimed[e+2] {
			e += 2
			continue
		}
		if (gap == " (" || gap == "(") && currencies[n.Key] && n.allCaps {
			e++
			continue
		}
		// "four years and six months"
		if gap == " " && n.Key == "and" && e+2 < len(d.toks) && !d.claimed[e+2] && spelledNumbers[d.toks[e+2].Key] && spelledNumbers[d.toks[s].Key] {
			e++
			continue
		}
		if gap == " " && spelledNumbers[n.Key] && e > s && d.toks[e].Key == "and" {
			e++
			continue
		}
		// "twenty-four", "one year and six months", "two and a half years"
		if gap == "-" && spelledNumbers[n.Key] && spelledNumbers[d.toks[e].Key] {
			e++
			continue
		}
		if gap == " " && n.Key == "and" && e+2 < len(d.toks) && !d.claimed[e+2] && durationUnits[d.toks[e].Key] &&
			(spelledNumbers[d.toks[e+2].Key] || d.toks[e+2].digits) {
			e++
			continue
		}
		if gap == " " && n.Key == "and" && e+3 < len(d.toks) && d.toks[e+2].Key == "a" && d.toks[e+3].Key == "half" && !d.claimed[e+3] {
			e += 3
			continue
		}
		break
	}
	if s > 0 && !d.claimed[s-1] && d.text[d.toks[s-1].End:d.toks[s].Start] == " " && numberUnits[d.toks[s-1].Key] && d.toks[s-1].allCaps {
		s-- // "EUR 4,000"
	}
	return s, e
}

// capPhrase returns the capitalised phrase around the word at i: adjacent
// capitalised words and the connectors between them, without a leading
// article or ordinary sentence-initial word.
func (d *run) capPhrase(i int) (int, int) {
	s, e := i, i
	for s > 0 && !d.claimed[s-1] {
		w := &d.toks[s-1]
		if !gapOK(d.text, w, &d.toks[s]) && !w.joined {
			break
		}
		if !(w.Capital || w.allCaps) || w.digits || (w.sentence && w.common && !orgHeads[w.Key] && !institutional[w.Key]) || isTitleKey(w.Key) || stopWords[w.Key] {
			break
		}
		s--
	}
	for e+1 < len(d.toks) && !d.claimed[e+1] {
		w := &d.toks[e+1]
		if !gapOK(d.text, &d.toks[e], w) && !d.toks[e].joined {
			break
		}
		if w.Capital && !w.digits && !stopWords[w.Key] {
			e++
			continue
		}
		// a connector with a capitalised word after it: "Borough of Southwark"
		if connectors[w.Key] && !w.Capital && e+2 < len(d.toks) && d.toks[e+2].Capital && !d.claimed[e+2] &&
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
		if placeHeads[d.toks[k].Key] {
			return ner.Location
		}
		if orgHeads[d.toks[k].Key] {
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

// provisionWords introduce numbers that refer to a provision, not to a
// person or event.
var provisionWords = set("article", "articles", "art", "arts", "paragraph", "paragraphs", "para", "paras",
	"section", "sections", "sec", "rule", "rules", "protocol", "protocols", "chapter", "chapters",
	"regulation", "regulations", "directive", "page", "pages", "p", "pp", "footnote", "annex", "appendix",
	"item", "items", "point", "points", "clause", "clauses", "subsection", "subparagraph", "act", "code",
	"schedule", "part", "title", "volume", "vol", "table", "figure", "fig", "step", "stage", "level",
	"grade", "class", "question", "questions", "option", "sub")

// numberUnits are currency and time words that belong to the number they
// stand beside.
var numberUnits = set("eur", "euro", "euros", "gbp", "pounds", "pound", "sterling", "usd", "dollars",
	"dollar", "sek", "kronor", "krona", "nok", "dkk", "kroner", "krone", "chf", "francs", "franc", "frf",
	"trl", "try", "lira", "liras", "lire", "pln", "zlotys", "zloty", "zł", "czk", "korunas", "huf",
	"forints", "ron", "lei", "bgn", "levs", "hrk", "kunas", "uah", "hryvnias", "rub", "roubles", "rubles",
	"ats", "schillings", "dem", "marks", "vnd", "dong", "krw", "won", "jpy", "yen", "percent", "per",
	"cent", "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour",
	"minutes", "minute", "million", "millions", "billion", "billions", "thousand", "old")

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
	for k := s; k <= e; k++ {
		if currencies[d.toks[k].Key] {
			return true
		}
	}
	end := d.toks[e].End
	return end < len(d.text) && d.text[end] == '%'
}

// penalty reports whether the number phrase s..e is the length of a
// sentence or of a detention ("sentenced to five years’ imprisonment", "a
// sentence of 18 years", "custody lasted eight days"): it identifies a
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

var (
	durationUnits = set("years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour")
	penaltyWords  = set("imprisonment", "prison", "detention", "custody", "jail", "probation", "incarceration",
		"confinement", "arrest", "remand")
	penaltyVerbs = set("sentenced", "sentence", "sentences", "lasted", "served", "serving", "imprisoned",
		"detained", "jailed", "reduced", "increased", "commuted")
)

// spelledNumbers are the number words that can count something identifying.
var spelledNumbers = set("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
	"twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
	"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand")

func isYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	return (w[0] == '1' && (w[1] == '8' || w[1] == '9')) || (w[0] == '2' && w[1] == '0')
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
var currencies = set("eur", "euro", "euros", "gbp", "pounds", "pound", "sterling", "usd", "dollars",
	"dollar", "sek", "kronor", "krona", "nok", "dkk", "kroner", "krone", "chf", "francs", "franc", "frf",
	"trl", "try", "lira", "liras", "lire", "pln", "zlotys", "zloty", "zł", "czk", "korunas", "huf",
	"forints", "ron", "lei", "bgn", "levs", "hrk", "kunas", "uah", "hryvnias", "rub", "roubles", "rubles",
	"ats", "schillings", "dem", "marks", "vnd", "dong", "krw", "won", "jpy", "yen")

// nationalityNouns make the adjective before them describe a person.
var nationalityNouns = set("national", "nationals", "citizen", "citizens", "nationality", "origin", "descent",
	"ethnicity", "extraction", "born")

// institutions extends names of places and parties over the words of the
// institution they name, which identify as much as the name does: a
// local court, office or prison tells where someone lives or was tried.
// After the name: capitalised words of the vocabulary of public bodies up
// to a head word ("İzmir Public Prosecutor", "Kielce District Court",
// "Söke Magistrates' Court", "Pierce Glynn Solicitors"), or lower-case
// ones ("Beyoğlu court", "Salzburg municipal cemetery"). Before the
// name: a part of the institution ("Fourteenth Chamber of the Istanbul
// Assize Court").
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
			if (lower && lowerInstitutions[w.Key]) || (!lower && (orgHeads[w.Key] || officeHeads[w.Key])) {
				last = j
				continue
			}
			if !institutional[w.Key] && !(lower && lowerModifiers[w.Key]) {
				break
			}
		}
		if last < 0 {
			continue
		}
		d.out = append(d.out, ner.Finding{Start: toks[i].Start, End: toks[last].End, Entity: ner.Organization,
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
		if k < 1 || toks[k].Key != "of" || !subunits[toks[k-1].Key] || !toks[k-1].Capital || d.claimed[k-1] {
			continue
		}
		s := k - 1
		for s > 0 && k-1-s < 2 && toks[s-1].Capital && !d.claimed[s-1] && !stopWords[toks[s-1].Key] &&
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
var officeHeads = set("prosecutor", "prosecutors", "bar", "governor", "governorship", "mayor", "committee",
	"commissioner", "registry", "hospitals", "courts", "prisons", "councils", "authorities", "municipalities",
	"fund", "army", "forces", "consulate", "embassy", "directorate", "administration", "division", "section",
	"chamber", "unit", "station", "headquarters", "barracks", "garrison")

// lowerInstitutions are lower-case words that name a local institution
// after a place ("the Beyoğlu court", "Edirne prison").
var lowerInstitutions = set("court", "courts", "prosecutor", "prosecutors", "prison", "prisons", "hospital",
	"police", "municipality", "council", "cemetery", "school", "university", "gendarmerie", "governor",
	"governorship", "mayor", "bar", "registry", "office", "prefecture")

// lowerModifiers may stand between a place and a lower-case institution
// word ("the Salzburg municipal cemetery").
var lowerModifiers = set("municipal", "public", "civil", "criminal", "administrative", "regional", "district",
	"state", "security", "assize", "magistrates", "labour", "family", "juvenile", "city", "town", "village",
	"provincial", "local", "central")

// subunits are the parts of an institution named before it ("Ninth
// Chamber of the Istanbul Assize Court").
var subunits = set("chamber", "section", "division", "department", "branch", "committee", "office", "bureau",
	"unit", "service", "directorate", "panel", "board")
