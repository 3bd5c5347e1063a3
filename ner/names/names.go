// Package names detects names of people, organisations and places with
// rules that need no statistical model. It splits the text into words once
// and applies, in one linear pass each:
//
//   - titles before names, in English and in the customer's other languages
//     ("Dr. Fielding", "MRS VOSK", "dr. aldous fenwright", "Pan Kowalski",
//     "ông Nguyễn", and Korean "김철수 씨");
//   - credentials after names ("Herman W. Delacourte, RRT");
//   - context words before names ("daughter hestia", "met with Ellison",
//     "the applicant, Amara Velmoraz");
//   - the gazetteers: a known given name followed by a known surname, in any
//     case, with initials and particles ("Walter J. Brennan", "van der
//     Berg"), an initial and a known surname ("J. Starling"), and a lone
//     capitalised known name inside a sentence;
//   - organisations and places by their head word ("Tartu Administrative
//     Court", "Borough of Hallowmere", "marrowdale hospital") and places
//     after movement and residence words ("transferred to Quillmoor").
//
// Scores say how much each rule is worth on its own; the profile threshold
// decides. MaxRecall adds the Philter-style fallback of the research
// profile.
package names

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// Scores of the rules.
const (
	TitleScore      = 0.9
	CredentialScore = 0.85
	ContextScore    = 0.8
	FirstLastScore  = 0.75
	InitialScore    = 0.7
	OrgScore        = 0.7
	PlaceScore      = 0.6
	CapsNameScore   = 0.6
	LoneNameScore   = 0.5
	LowerNameScore  = 0.55
	PairScore       = 0.45
)

// Detector implements ner.Detector.
type Detector struct{}

var _ ner.Detector = Detector{}

// New returns the name detector.
func New() Detector { return Detector{} }

// Name implements ner.Detector.
func (Detector) Name() string { return "names" }

// Detect implements ner.Detector.
func (Detector) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	toks := tokenize(ctx, text)
	d := &run{text: text, toks: toks, claimed: make([]bool, len(toks))}
	// Stronger rules first: a word one rule claims is not looked at again.
	d.titles()
	d.inverted()
	d.nameLines()
	d.credentials()
	d.contexts()
	d.aware()
	d.weakCueNames()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.orgs()
	d.employers()
	d.placeNames()
	d.places()
	d.holidayNames()
	d.gazetteer()
	d.lowerNames()
	d.subjects()
	d.capitalPairs()
	d.korean()
	return DropEponyms(text, d.out), ctx.Err()
}

type run struct {
	text    string
	toks    []tok
	claimed []bool // words inside a finding already
	// country marks words claimed only as a country or region: no rule
	// starts on them, but a town may take them ("Warsaw, Poland")
	country []bool
	out     []ner.Finding
}

// free reports whether no rule has claimed words i..j.
func (d *run) free(i, j int) bool {
	if d.country != nil && d.country[i] {
		return false // a country starts no finding; it may end a town's
	}
	for k := i; k <= j; k++ {
		if d.claimed[k] && !(d.country != nil && d.country[k]) {
			return false
		}
	}
	return true
}

func (d *run) add(i, j int, e ner.Entity, score float64, rule string) {
	if !d.free(i, j) {
		return
	}
	for k := i; k <= j; k++ {
		d.claimed[k] = true
	}
	f := ner.Finding{Start: d.toks[i].Start, End: d.toks[j].End, Entity: e, Score: score, Rule: "names/" + rule}
	if f, ok := ner.TrimName(d.text, f); ok {
		d.out = append(d.out, f)
	}
}

// nameRun returns the index of the last word of a name that starts at word
// i (or i-1 when none does), taking at most max words. A name word is an
// initial or a word the lists allow as a name; particles ("van der") count
// when a name word follows; words joined by an apostrophe or hyphen belong
// together. loose allows known names that are also ordinary words ("Rose")
// and lower-case words for the first word.
func (d *run) nameRun(i, max int, loose bool) int {
	end := i - 1
	n := 0
	for j := i; j < len(d.toks) && n < max; j++ {
		t := &d.toks[j]
		if j > i && !gapOK(d.text, &d.toks[j-1], t) && !d.toks[j-1].joined {
			// "Elena\nSandoval": a name wrapped at the end of a line
			if !(n == 1 && lineGap(d.text, &d.toks[j-1], t) && d.toks[j-1].first && t.Capital && !t.allCaps && (t.last || !t.common)) {
				break
			}
		}
		// "Mr de Vries", "Ms de la Roncière": after a title (loose) a
		// surname may begin with its particles
		if t.is(cParticle) && !t.Capital && j+1 < len(d.toks) && (j > i || loose && d.particleSurname(j)) {
			continue // decided by the word after it
		}
		ok := t.initial || d.nameWord(t, loose && j == i)
		// "Tamsin Over-Quillanby": a capitalised stop word joined by a
		// hyphen to a name word begins a double surname
		if !ok && j > i && t.Capital && !t.allCaps && t.joined && t.is(cStop) && j+1 < len(d.toks) && d.toks[j+1].Capital &&
			!d.toks[j+1].is(cStop) && d.nameWord(&d.toks[j+1], false) {
			ok = true
		}
		// "o'connell", "d'Arcy", "McX": a short prefix joined to a name
		if !ok && t.joined && len(t.Key) <= 2 && j+1 < len(d.toks) && d.nameWord(&d.toks[j+1], true) {
			ok = true
		}
		// after a given name, a capitalised word is the surname ("Janet
		// Gateman"), even if it is an ordinary word
		// gazetteer, or after a title a given name that is also an ordinary
		// word ("Nurse Mark Sing")
		if !ok && j > i && t.Capital && !t.allCaps && !t.is(cStop) && !t.digits && d.toks[j-1].first && (!d.toks[j-1].common || loose && j == i+1 && d.toks[j-1].Capital && !d.toks[j-1].allCaps) &&
			!t.is(cOrgHead) && !t.is(cInstitutional) && !t.is(cSaint) {
			ok = true
		}
		// "Mr de Vries", "Mr De Vries": after a particle that follows a
		// title or a name word, a capitalised word is the surname, even
		// if it is an ordinary word
		if !ok && j > i && d.toks[j-1].is(cParticle) && (loose || j-1 > i) && t.Capital && !t.allCaps && !t.digits &&
			!t.is(cStop) && !t.is(cOrgHead) && !t.is(cInstitutional) && !t.is(cSaint) {
			ok = true
		}
		// "MS EUN-MI PARK": in capitals after a title, a known surname that
		// is also an ordinary word follows a hyphenated given name
		if !ok && loose && j >= i+2 && t.allCaps && t.last && d.toks[j-2].joined && d.toks[j-1].allCaps &&
			!t.is(cStop|cClinicalAbbrev|cTitleStop) && !t.titleKey() {
			ok = true
		}
		// Later words follow the case of the first: "Nguyễn Văn Minh tại"
		// stops before "tại"; "aldous fenwright" may go on in lower case only
		// with known names.
		if ok && j > i && !t.Capital && !t.initial {
			// "leslie vandermolt": a surname in no list after a known given name
			// "mr des quillanby": after a title, a particle read as a name
			// takes a word in no list too
			ok = !d.toks[i].Capital && (t.first || t.last || j == i+1 && (d.toks[i].first && !d.toks[i].common || loose && d.toks[i].is(cParticle)) && !t.common && len(t.Key) >= 3)
		}
		if !ok {
			break
		}
		end = j
		n++
		for end+1 < len(d.toks) && d.toks[end].joined && !d.toks[end+1].digits && d.toks[end+1].Key != "s" && !d.hyphenEnds(end) {
			end++ // O'Neill, Delacourte-Vogel, JI-AN; not "Tamsin-who", "QUILLBY-PT TOLERATING"
		}
		j = end
	}
	return end
}

// hyphenEnds reports whether the word joined after word j is no part of
// the name that word j ends: a stop word, clinical abbreviation or word
// that follows a title, written in lower case after a name in mixed case
// ("Tamsin-who"), or in ALL-CAPS text followed on the same line by a word
// that is no name ("QUILLBY-PT TOLERATING"). A word that could be part of
// a name follows "JI-AN" in "JI-AN EVERARD", so it stays whole; at the end
// of a line nothing tells, and the name keeps it.
func (d *run) hyphenEnds(j int) bool {
	w := &d.toks[j+1]
	if !w.is(cStop | cClinicalAbbrev | cTitleStop) {
		return false
	}
	if !d.toks[j].allCaps {
		return !w.Capital
	}
	if !w.allCaps || j+2 >= len(d.toks) || !gapOK(d.text, w, &d.toks[j+2]) {
		return false
	}
	x := &d.toks[j+2]
	return !x.initial && !(x.name() && !x.is(cStop|cClinicalAbbrev|cTitleStop) && !x.titleKey())
}

// nameWord reports whether t can be part of a name.
func (d *run) nameWord(t *tok, loose bool) bool {
	if t.numeric || t.is(cStop) || t.titleKey() {
		return false
	}
	if loose {
		// after a title any capitalised word is a name ("Dr. Tyro")
		return t.name() || (t.Capital && !t.allCaps)
	}
	if t.common {
		return t.Capital && !t.allCaps && (t.first || t.last)
	}
	return true
}

// titles finds names after a title.
func (d *run) titles() {
	for i := 0; i+1 < len(d.toks); i++ {
		t := &d.toks[i]
		if !isTitle(d.text, t) {
			continue
		}
		next := &d.toks[i+1]
		if !gapOK(d.text, t, next) || next.numeric {
			continue
		}
		if next.is(cStop) && !next.initial {
			// "Dr Will Cole": a capitalised ordinary given name before a surname
			// "MR WILL EVERARD": in capitals, after an abbreviated title
			// in capitals, before a word in no list or a known surname
			if !((next.Capital && !next.allCaps || t.allCaps && next.allCaps && t.is(cAbbrevTitle)) && next.first && i+2 < len(d.toks) && d.toks[i+2].Capital &&
				(d.toks[i+2].strongName() || !d.toks[i+2].common) && gapOK(d.text, next, &d.toks[i+2])) {
				continue
			}
			end := d.nameRun(i+2, 3, false)
			d.add(i+1, max(i+2, end), ner.Person, TitleScore, "title")
			i = max(i+2, end)
			continue
		}
		// "DR TYRO", "per DR.GATEMAN": after an abbreviated title any word
		// that is not a word of the trade is taken
		// a title that is also a clinical abbreviation ("MS": mental
		// status, "MR": mitral regurgitation), written in capitals, before
		// an ordinary word that is no name describes it ("MS BASELINE",
		// "check MS. Continue")
		// ("MS BASELINE", "check MS. Continue"); only a word of the trade
		// (a clinical abbreviation, a finding) is no surname, and none
		// that a name-shaped word follows ("MS FIELDS BASELINE", "MS
		// STABLE QUILLANBY" keep the title)
		if t.allCaps && t.is(cClinicalAbbrev) && !next.first && !next.last && !next.initial &&
			(next.allCaps && (next.is(cClinicalAbbrev) || statusFindings[next.Key]) || next.Capital && next.sentence && next.common) &&
			!d.nameAfter(i+1) {
			continue
		}
		if (t.is(cAbbrevTitle) || (t.is(cRoleTitle) && !next.common)) && !next.is(cTitleStop) && !next.initial && next.allCaps {
			end := d.nameRun(i+1, 3, true)
			if end < i+1 {
				end = i + 1
				// "MS STABLE QUILLANBY": an ordinary word taken as the
				// given name, a name-shaped word after it as the surname
				if d.nameAfter(i + 1) {
					end = max(i+2, d.nameRun(i+2, 2, false))
				}
			}
			d.add(i+1, end, ner.Person, TitleScore, "title")
			i = end
			continue
		}
		// "dr green", "dr. o'connell": in lower-case notes a title takes a
		// known name or a word that is not ordinary vocabulary.
		if !(next.Capital || next.initial || t.is(cLowerTitle) || t.allCaps || !next.common || next.first || next.last || (next.joined && len(next.Key) <= 2) || d.particleSurname(i+1)) {
			continue
		}
		if t.is(cLowerTitle) && !next.Capital {
			continue
		}
		// "RN gave update", "md notified": a lower-case word that follows
		// a title without being a name, or an ordinary word in a verb's
		// past form, is what the clinician did
		if !next.Capital && (next.is(cTitleStop) || pastForm(next)) {
			continue
		}
		end := d.nameRun(i+1, 4, true)
		if end < i+1 {
			continue
		}
		d.add(i+1, end, ner.Person, TitleScore, "title")
		i = end
	}
}

// particleSurname reports whether word j begins a surname with its lower-case
// particles ("de Vries", "de la Roncière"): one or two particles, then a
// capitalised word, on the same line.
func (d *run) particleSurname(j int) bool {
	for k := j; k < len(d.toks) && k < j+3; k++ {
		t := &d.toks[k]
		if k > j && !gapOK(d.text, &d.toks[k-1], t) {
			return false
		}
		if t.is(cParticle) && !t.Capital {
			continue
		}
		return k > j && t.Capital && !t.allCaps && !t.is(cStop)
	}
	return false
}

// nameAfter reports whether the word after word j, on the same line, is
// capitalised and shaped like a name: in a list of names or in no list.
func (d *run) nameAfter(j int) bool {
	if j+1 >= len(d.toks) || !gapOK(d.text, &d.toks[j], &d.toks[j+1]) {
		return false
	}
	x := &d.toks[j+1]
	return x.Capital && !x.initial && !x.numeric && !x.is(cStop|cClinicalAbbrev|cTitleStop) && !x.titleKey() && (x.first || x.last || !x.common)
}

// pastForm reports whether t is an ordinary word of five letters or more
// ending in "-ed" that no list gives as a given name ("updated",
// "notified"; not "Alfred").
func pastForm(t *tok) bool {
	return t.common && !t.first && len(t.Key) >= 5 && strings.HasSuffix(t.Key, "ed")
}

// credentials finds names before a professional credential ("Herman W.
// Delacourte, RRT").
func (d *run) credentials() {
	for i := 1; i < len(d.toks); i++ {
		t := &d.toks[i]
		if !t.upperIn(cCredential, credentials, d.text) {
			continue
		}
		// "quenby bsn/rn": step back over other credentials
		k := i
		for k > 0 && d.text[d.toks[k-1].End:d.toks[k].Start] == "/" && d.toks[k-1].upperIn(cCredential, credentials, d.text) {
			k--
		}
		if k == 0 {
			continue
		}
		gap := d.text[d.toks[k-1].End:d.toks[k].Start]
		lowerOK := strings.Contains(gap, ",") || d.lowerSignature(k)
		if !(t.allCaps || t.Capital || lowerOK) {
			continue // "quenby, rn" and "odile fenwright rn" but not "the rn"
		}
		if strings.TrimLeft(gap, " ,") != "" || len(gap) > 3 {
			continue
		}
		// "on pneumoboots, sc enoxaparin": a route before a medicine; not after
		// a listed name or a person cue ("called quillanby, sc heparin")
		if strings.Contains(gap, ",") && !t.Capital && d.clauseGoesOn(i) && !d.lowerSignature(k) && d.medicineAfter(i) &&
			!d.toks[k-1].first && !d.toks[k-1].last && !d.personCueBefore(k-1) {
			continue
		}
		c := k // the first credential
		// walk back over up to three name words
		start := -1
		for j := c - 1; j >= 0 && c-j <= 3; j-- {
			w := &d.toks[j]
			if !(w.initial || (len(w.Key) == 1 && w.dot) || (w.joined && len(w.Key) <= 2) || (d.nameWord(w, true) && (w.Capital || !w.common || w.first && j < c-1))) {
				break
			}
			if j < c-1 && !gapOK(d.text, w, &d.toks[j+1]) && !w.joined && !(len(w.Key) == 1 && w.dot) {
				break
			}
			start = j
		}
		if start < 0 {
			continue
		}
		// at least one word must be a real name, not just initials
		real := false
		for j := start; j < c; j++ {
			real = real || (!d.toks[j].initial && (d.toks[j].strongName() || !d.toks[j].common))
		}
		if real {
			d.add(start, c-1, ner.Person, CredentialScore, "credential")
		}
	}
}

// personCueBefore reports whether the words just before word j, on its
// line, say that word j is a person: "called", "per", "with" after spoke,
// discussed, talked or met, "by" after "seen".
func (d *run) personCueBefore(j int) bool {
	if j == 0 || !gapOK(d.text, &d.toks[j-1], &d.toks[j]) {
		return false
	}
	switch p := d.toks[j-1].Key; p {
	case "called", "per":
		return true
	case "with", "by":
		if j < 2 || !gapOK(d.text, &d.toks[j-2], &d.toks[j-1]) {
			return false
		}
		switch d.toks[j-2].Key {
		case "spoke", "spoken", "discussed", "talked", "met":
			return p == "with"
		case "seen":
			return p == "by"
		}
	}
	return false
}

// inMedicineList reports whether word i is an item of a comma-separated
// list of medicines: a comma right after it, and one of the next three
// items, each one word, a medicine of the lexicon ("sedated on
// Fenta,Versed,Ativan", "receiving Vanko, Zosyn, Lasix"). A name ends such a
// list or stands apart from it ("Tylenol given, Everard aware").
//
// A name can stand before one medicine ("called Tamsin, Tylenol given"),
// so a word is read as a medicine only with a medicine item right before
// it, or, when it is no known given name, with two medicine items among
// the three after it.
func (d *run) inMedicineList(i int) bool {
	comma := func(a, b int) bool {
		g := d.text[d.toks[a].End:d.toks[b].Start]
		return strings.TrimSpace(g) == "," && !strings.ContainsAny(g, "\n\r")
	}
	if i > 0 && comma(i-1, i) && medicines[d.toks[i-1].Key] {
		return true
	}
	if d.toks[i].first {
		return false
	}
	n := 0
	for j := i; j+1 < len(d.toks) && j-i < 3 && comma(j, j+1); j++ {
		if medicines[d.toks[j+1].Key] {
			n++
		}
	}
	return n >= 2
}

// medicineAfter reports whether the word after word i, on the same line,
// is a medicine ("sc heparin").
func (d *run) medicineAfter(i int) bool {
	return i+1 < len(d.toks) && d.text[d.toks[i].End:d.toks[i+1].Start] == " " && medicines[d.toks[i+1].Key]
}

// ordinaryWord reports whether word j is an ordinary word that no list
// gives as a given name or surname, or a medicine: what a comma and a
// lower-case "md aware" follow in a sentence ("a wrist splint, md
// aware"), not a surname in no list ("quillanby, md aware").
func (d *run) ordinaryWord(j int) bool {
	w := &d.toks[j]
	return w.common && !w.first && !w.last || medicines[w.Key]
}

// unitKind reports whether key, one word in no list, is the kind of an
// intensive care unit written in one word: letters for the speciality
// before "icu" or "ccu" ("nsicu", "cvicu", "tsicu"). A unit's kind names
// no hospital; a hospital's name goes before it as a word of its own
// ("transferred to Quillmoor ICU", ner/chain CareUnits).
func unitKind(key string) bool {
	return len(key) >= 4 && len(key) <= 7 && (strings.HasSuffix(key, "icu") || strings.HasSuffix(key, "ccu")) && gazetteer.Lookup(key) == 0
}

// clinicalPrefixes begin medical words ("hyper", "cardi").
var clinicalPrefixes = lexicon.MustSet("clinical-prefixes").Words()

// clinicalShaped reports whether t is a clinical word: a clinical
// abbreviation, a medicine, the name of a condition, or a word in no list
// of ordinary words or names that begins with a medical prefix
// ("hyperlipid").
func clinicalShaped(t *tok) bool {
	if t.is(cClinicalAbbrev) || medicines[t.Key] || conditionWord(t.Key) {
		return true
	}
	if t.common || t.first || t.last {
		return false
	}
	for _, p := range clinicalPrefixes {
		if len(t.Key) > len(p)+1 && strings.HasPrefix(t.Key, p) {
			return true
		}
	}
	return false
}

// clinicalItem reports whether word j exists and is clinical
// (clinicalShaped).
func (d *run) clinicalItem(j int) bool {
	return j >= 0 && j < len(d.toks) && clinicalShaped(&d.toks[j])
}

// listItem reports whether word i stands between commas with the word
// after it ("DM, hyperlip, MI, PCI"): a comma before word i and one
// after word i+1, and no number next (an address goes on with its ZIP
// code: "Oak St, brackenfold, MI, 48213").
func (d *run) listItem(i int) bool {
	if i == 0 || i+2 >= len(d.toks) || d.toks[i+2].numeric {
		return false
	}
	return strings.TrimSpace(d.text[d.toks[i-1].End:d.toks[i].Start]) == "," &&
		strings.TrimSpace(d.text[d.toks[i+1].End:d.toks[i+2].Start]) == ","
}

// clauseGoesOn reports whether the lower-case credential at word i goes
// on into its sentence instead of closing a signature: the word after it,
// on the same line, is a word notes use after a clinician ("md aware",
// "rn notified") or a medicine the credential, also a route, gives ("sc
// heparin"). A signature's credential ends its line or is followed by
// another name, a date or a time.
func (d *run) clauseGoesOn(i int) bool {
	if i+1 >= len(d.toks) {
		return false
	}
	n := &d.toks[i+1]
	gap := d.text[d.toks[i].End:n.Start]
	if gap != " " || n.Capital {
		return false
	}
	return n.is(cAware) || medicines[n.Key]
}

// medicines are the medicines of the lexicon's medications list.
var medicines = lex("medications")

// aware finds names before the words notes use after a clinician's name
// ("md wyman aware", "E. WELSH AWARE", "B. DELACOURTE PA AWARE").
func (d *run) aware() {
	for i := 1; i < len(d.toks); i++ {
		if !d.toks[i].is(cAware) {
			continue
		}
		k := i
		if k >= 2 && (d.toks[k-1].upperIn(cCredential, credentials, d.text) || d.toks[k-1].is(cRoleWord)) {
			k-- // "DELACOURTE PA AWARE"
			if !d.toks[k].Capital && strings.Contains(d.text[d.toks[k-1].End:d.toks[k].Start], ",") && !d.lowerSignature(k) && d.ordinaryWord(k-1) {
				continue // "needs a wrist splint, md aware": the comma ends what went before
			}
		}
		end := k - 1
		start := -1
		real := false
		for j := end; j >= 0 && end-j < 3; j-- {
			w := &d.toks[j]
			if j < end && !gapOK(d.text, w, &d.toks[j+1]) && !w.joined {
				break
			}
			if w.numeric || w.is(cStop) || w.is(cTitleStop) || w.titleKey() || w.is(cRoleWord) {
				break
			}
			if w.initial || (len(w.Key) == 1 && w.dot) || (w.joined && len(w.Key) <= 2 && j < end) {
				start = j // "o'hara"
				continue
			}
			afterInitial := j > 0 && (d.toks[j-1].initial || (len(d.toks[j-1].Key) == 1 && d.toks[j-1].dot))
			if !(w.strongName() || (!w.common && !w.extra) || afterInitial || (w.last && !w.extra && j > 0 && d.toks[j-1].is(cRoleWord))) {
				break
			}
			real = true
			start = j
		}
		if start >= 0 && real && (start == 0 || d.toks[start-1].is(cRoleWord) || d.toks[start].initial || d.toks[start].strongName() || d.toks[start-1].titleKey()) {
			d.add(start, end, ner.Person, ContextScore, "aware")
		}
	}
}

// lowerSignature reports whether the words before word k look like a name
// in a lower-case signature ("odile k. quenby bsn/rn"): up to three
// name words or initials, one of them a known given name.
func (d *run) lowerSignature(k int) bool {
	first := false
	for j := k - 1; j >= 0 && k-j <= 3; j-- {
		w := &d.toks[j]
		if j < k-1 && !gapOK(d.text, w, &d.toks[j+1]) && !(len(w.Key) == 1 && w.dot) && !w.joined {
			break
		}
		if !(len(w.Key) == 1 || w.name()) || w.is(cStop) {
			return false
		}
		first = first || (w.first && !w.common)
	}
	return first
}

// contexts finds names after words that introduce a person.
func (d *run) contexts() {
	for i := 0; i+1 < len(d.toks); i++ {
		c := &d.toks[i]
		n := 0
		switch {
		case c.is(cPersonContext):
			n = 1
		case i+2 < len(d.toks) && c.is(cContext2) && personContext2[c.Key+" "+d.toks[i+1].Key]:
			n = 2
		default:
			continue
		}
		j := i + n
		if j >= len(d.toks) {
			continue
		}
		gap := d.text[d.toks[j-1].End:d.toks[j].Start]
		if len(gap) > 4 || strings.Trim(gap, " ,:\t\"“(_") != "" {
			continue
		}
		t := &d.toks[j]
		if n == 1 && c.Key == "per" && !t.Capital && !t.allCaps && (rateWords[t.Key] || durationUnits[t.Key] || t.is(cMeasureUnit)) {
			continue // "per annum", "per share", "per month": a rate, not "according to" a person
		}
		if n == 1 && litigants[c.Key] && !t.Capital && !t.allCaps {
			continue // "the claimant rose to speak", "neither the claimant nor": a party is named in capitals
		}
		if (t.allCaps || !t.Capital && d.caseless(j)) && unknownAfterCue(d.text, c, n, t) {
			end := d.unknownRun(j)
			d.add(j, end, ner.Person, UnknownCueScore, "context") // "wife orsolya", "SON JÓZSEF" (caseforms.go)
			i = end
			continue
		}
		if t.allCaps && !((t.first || t.last) && !t.common) && !(t.first && n == 1 && c.is(cRelation)) {
			continue // in ALL-CAPS text only the name lists count ("SON ROB")
		}
		if len(t.Key) == 1 && t.Key != "a" && !t.digits && j+1 < len(d.toks) && !t.Capital {
			// "per d ross": a lower-case initial before a surname
			if u := &d.toks[j+1]; u.name() && !u.common && gapOK(d.text, t, u) || (t.dot && u.name() && !u.common) {
				d.add(j, j+1, ner.Person, ContextScore, "context")
				i = j + 1
				continue
			}
		}
		// The first word must look like a name: a known name, or a
		// capitalised word that is not ordinary vocabulary.
		if !(t.first || t.last || t.initial || (t.Capital && !t.common)) || t.is(cStop) || t.digits {
			continue
		}
		if t.common && !t.first && !t.initial {
			continue // "son Will..." is too weak, "wife, rose," is not
		}
		end := d.nameRun(j, 3, false)
		if end < j {
			end = j
		}
		if d.toks[end].initial {
			continue // "by P.T." names no one
		}
		d.add(j, end, ner.Person, ContextScore, "context")
		// lists: "daughters helen and margaret"
		for end+2 < len(d.toks) && (d.toks[end+1].Key == "and" || d.toks[end+1].Key == "or") {
			u := &d.toks[end+2]
			if !(u.first && !u.is(cStop)) {
				break
			}
			e2 := d.nameRun(end+2, 3, false)
			if e2 < end+2 {
				e2 = end + 2
			}
			d.add(end+2, e2, ner.Person, ContextScore, "context")
			end = e2
		}
		i = end
	}
}

// gazetteer finds given name + surname pairs and longer names, initials
// before surnames, and lone known names inside sentences.
func (d *run) gazetteer() {
	for i := 0; i < len(d.toks); i++ {
		t := &d.toks[i]
		if t.digits || !(t.Capital || t.allCaps) {
			continue
		}
		// Initial(s) + surname: "J. Starling", "Z.M. Korvalainen".
		if t.initial {
			j := i
			for j+1 < len(d.toks) && d.toks[j+1].initial && gapOK(d.text, &d.toks[j], &d.toks[j+1]) {
				j++
			}
			// "W BRISK BLEEDING", "C CP": with, written short in capitals,
			// before an ordinary word or a clinical abbreviation; not
			// before a word in no list or a known surname ("W EVERARD")
			if j == i && j+1 < len(d.toks) && !t.dot && t.Capital && (t.Key == "w" || t.Key == "c") && d.toks[j+1].allCaps &&
				(d.toks[j+1].common && !d.toks[j+1].strongName() || d.toks[j+1].is(cClinicalAbbrev)) {
				continue
			}
			// "C QUILLANBY": in capitals an initial with no dot before a word
			// in no list of four letters or more; not a side or a clinical
			// letter ("L SUBCLAVIAN")
			capsInitial := j == i && j+1 < len(d.toks) && !t.dot && t.Capital && !t.is(cStop|cClinicalAbbrev) && d.toks[j+1].allCaps &&
				!d.toks[j+1].common && len(d.toks[j+1].Key) >= 4 && !d.toks[j+1].is(cStop|cClinicalAbbrev|cTitleStop) && !d.toks[j+1].titleKey()
			if j+1 < len(d.toks) && (d.toks[j].dot || j > i || d.toks[j+1].strongName() || capsInitial) && gapOK(d.text, &d.toks[j], &d.toks[j+1]) {
				s := &d.toks[j+1]
				nameOK := (s.first || s.last || (!s.common && (!s.allCaps || capsInitial))) && !s.extra
				if s.Capital && !s.initial && !s.numeric && nameOK && !s.is(cStop) && !s.titleKey() {
					end := max(j+1, d.nameRun(j+1, 3, false))
					d.add(i, end, ner.Person, InitialScore, "initial")
					i = end
				}
			}
			continue
		}
		if t.titleKey() {
			continue
		}
		if !t.first || t.common || t.is(cStop) {
			if t.Capital && !t.allCaps && !t.sentence && t.strongName() && !t.is(cStop) {
				end := max(i, d.nameRun(i, 4, false))
				start := d.givenBefore(i)
				rule, score := "lone-name", LoneNameScore
				if start < i || end > i {
					rule, score = "first-last", FirstLastScore
				} else if d.inMedicineList(i) {
					continue // "receiving Vanko, Zosyn, Lasix": a medicine, short or misspelt, among medicines
				}
				d.add(start, end, ner.Person, score, rule)
				i = end
			}
			continue
		}
		// A known given name that is not an ordinary word, followed by more
		// name words.
		end := d.nameRun(i, 4, false)
		if end <= i {
			if start := d.givenBefore(i); start < i && !t.allCaps {
				d.add(start, i, ner.Person, FirstLastScore, "first-last") // "Bill Carver"
			} else if t.Capital && !t.allCaps && !t.sentence && !d.inMedicineList(i) {
				d.add(i, i, ner.Person, LoneNameScore, "lone-name")
			}
			continue
		}
		score := FirstLastScore
		lastOK := false
		for j := i + 1; j <= end; j++ {
			lastOK = lastOK || d.toks[j].last || !d.toks[j].common
		}
		if !lastOK {
			continue
		}
		if t.allCaps {
			score = CapsNameScore
			if !d.toks[end].last || d.toks[end].common {
				continue
			}
		}
		d.add(i, end, ner.Person, score, "first-last")
		i = end
	}
}

// givenBefore returns the word before i when it is a capitalised given
// name that is also an ordinary word ("Grace Fielding", "Bill Carver"),
// else i.
func (d *run) givenBefore(i int) int {
	p := i - 1
	if p >= 0 && d.toks[p].joined && len(d.toks[p].Key) <= 2 && d.toks[p].Capital && !d.claimed[p] {
		// "O'Meara": the prefix, and a given name before it
		if q := d.givenBefore(p); q < p {
			return q
		}
		return p
	}
	if p >= 0 && !d.claimed[p] && d.toks[p].Capital && !d.toks[p].allCaps && d.toks[p].first &&
		!d.toks[p].is(cStop) && !d.toks[p].titleKey() && gapOK(d.text, &d.toks[p], &d.toks[i]) && !d.toks[p].extra {
		return p
	}
	return i
}

// capitalPairs finds two or three adjacent capitalised words inside a
// sentence that are in no word list ("Pyotr Velmoraz", "Amara Korvalainen"):
// the name of someone or something.
func (d *run) capitalPairs() {
	for i := 0; i+1 < len(d.toks); i++ {
		a := &d.toks[i]
		if a.sentence || !a.Capital || a.allCaps || a.numeric || d.claimed[i] || a.is(cStop) || a.titleKey() || (a.common && !a.first) {
			continue
		}
		end := i
		unknown := !a.common && !a.first && !a.last
		for j := i + 1; j < len(d.toks) && j-i < 3; j++ {
			w := &d.toks[j]
			if !gapOK(d.text, &d.toks[j-1], w) || !w.Capital || w.allCaps || w.numeric || d.claimed[j] || w.is(cStop) || (w.common && !w.last) || w.initial {
				break
			}
			unknown = unknown || (!w.common && !w.first && !w.last)
			end = j
		}
		if end > i && unknown {
			d.add(i, end, ner.Person, PairScore, "capitalised-pair")
			i = end
		}
	}
}

// lowerNames finds lower-case given name + surname pairs that the lists
// agree on ("tamsin everard, 58 y/o, seen today"): notes written in lower case.
func (d *run) lowerNames() {
	for i := 0; i+1 < len(d.toks); i++ {
		a, b := &d.toks[i], &d.toks[i+1]
		if a.Capital != b.Capital || a.allCaps != b.allCaps || a.Capital && !a.allCaps || !a.first || a.common || a.numeric || b.numeric ||
			a.is(cStop) || b.is(cStop) || !caseGapOK(d.text, a, b) || len(a.Key) < 3 || len(b.Key) < 3 {
			continue
		}
		if !(b.last && !b.common && !a.Capital) && !d.unknownSurname(i) {
			continue
		}
		d.add(i, i+1, ner.Person, LowerNameScore, "first-last")
		i++
	}
}

// orgs finds organisation names by their head word: capitalised words
// before it ("Tartu Administrative Court") or "of" and capitalised words
// after it ("University of Tartu"). At least one word must be more than
// ordinary vocabulary: "Supreme Administrative Court" alone identifies no
// one.
func (d *run) orgs() {
	for i := 0; i < len(d.toks); i++ {
		t := &d.toks[i]
		if !t.is(cOrgHead) || !(t.Capital || (t.Key == "hospital" || t.Key == "hosp")) || (t.allCaps && !t.is(cStrongHead) &&
			!(t.is(cCompanyForm) && i > 0 && d.toks[i-1].Capital && !d.toks[i-1].allCaps)) {
			continue
		}
		if t.Key == "home" && (i == 0 || !d.toks[i-1].is(cHomeKind)) {
			continue // "Care Home", "Nursing Home", not "Home Address"
		}
		if d.laterHead(i) {
			continue // "Tartu District Court": the last head word names it
		}
		start := i
		// In ALL-CAPS or lower-case notes case tells nothing: "and", "for",
		// a clinical abbreviation or a word that follows a title without
		// being a name ends the name ("MAY WALK AND START REHAB", "TO BE
		// ASSESSED FOR REHAB"); a kind of care just before a hospital's
		// head ("CARDIAC REHAB") names the kind, and the words before it
		// name a facility only if one is not ordinary vocabulary.
		flat := t.allCaps || !t.Capital
		kind := flat && t.is(cHospitalHead) && i > 0 && careKinds[d.toks[i-1].Key]
		for j := i - 1; j >= 0 && i-j <= 6; j-- {
			w := &d.toks[j]
			if w.Key == "s" && j > 0 && d.toks[j-1].joined {
				start = j // the possessive of "St. Brigid's Care Home"
				continue
			}
			if d.claimed[j] || !gapOK(d.text, w, &d.toks[j+1]) && !w.joined && !(j == i-1 && lineGap(d.text, w, &d.toks[j+1])) {
				break
			}
			if flat && (w.Key == "and" || w.Key == "for" || pastForm(w) || w.is(cClinicalAbbrev|cTitleStop) && !w.is(cConnector|cSaint|cUSState)) {
				break
			}
			// "Norrvik Velmo9 AB": before a company form, a word of letters and
			// digits that begins with a capital is part of the name
			if w.numeric && !w.digits && w.Capital && t.is(cCompanyForm) {
				start = j
				continue
			}
			if w.numeric || w.is(cStop) && !w.is(cConnector) || !(w.Capital || w.is(cConnector) || (!t.Capital && (!w.common || w.is(cOrgHead) || w.is(cSaint)))) {
				break
			}
			if w.is(cConnector) && j == start-1 && !w.Capital {
				// a connector must have a capitalised word before it, or an
				// organisation word in lower-case notes ("university of
				// maryland hospital")
				if j == 0 || !(d.toks[j-1].Capital || (!t.Capital && d.toks[j-1].is(cOrgHead))) {
					break
				}
			}
			start = j
		}
		for start < i && (d.toks[start].is(cConnector) || d.toks[start].Key == "the") {
			start++
		}
		end := i
		// "of" + capitalised words after the head ("Board for Physicians")
		if i+2 < len(d.toks) && (d.toks[i+1].Key == "of" || d.toks[i+1].Key == "for") && gapOK(d.text, t, &d.toks[i+1]) {
			j := i + 2
			if d.toks[j].Key == "the" && j+1 < len(d.toks) {
				j++
			}
			for j < len(d.toks) && j-i <= 5 && d.toks[j].Capital && gapOK(d.text, &d.toks[j-1], &d.toks[j]) {
				if w := &d.toks[j]; flat && w.is(cStop|cClinicalAbbrev|cTitleStop) && !w.is(cConnector|cSaint|cUSState) {
					break // "HOSPITAL FOR ECHO", "MEDICAL TODAY WITH"
				}
				end = j
				j++
			}
			for end+1 < len(d.toks) && d.toks[end].joined && !d.toks[end+1].numeric && end > i {
				end++ // "Court of First-instance"
			}
		}
		// Specific: a word that is not ordinary vocabulary, a saint's name,
		// or two or more words of which one is not the vocabulary of public
		// bodies ("Riverside Counseling Group", not "Supreme Administrative
		// Court").
		specific, words, private := false, 0, false
		for j := start; j <= end; j++ {
			w := &d.toks[j]
			if j == i || w.is(cConnector) || w.Key == "the" || w.digits {
				continue
			}
			words++
			// a place names a local body ("Istanbul Municipality")
			if !w.common || w.is(cSaint) || (w.placeName && w.Capital) {
				specific = true
			}
			if !w.is(cInstitutional) && !w.is(cOrgHead) {
				private = true
			}
		}
		// in ALL-CAPS text every word is capitalised: only a word that is
		// not ordinary vocabulary makes the name specific
		specific = specific || (words >= 2 && private && !d.allCapsRun(start, end))
		// "UNIVERSITY OF QUORVATH MEDICAL CENTER": in ALL-CAPS notes a hospital
		// named with two or more words
		specific = specific || (t.allCaps && t.is(cHospitalHead) && words >= 2) || (t.allCaps && t.Key == "center" && words >= 3)
		// "Harbor Hospital", "Mercy Hosp": one capitalised word names a hospital
		specific = specific || (t.is(cHospitalHead) && words >= 1 && d.toks[start].Capital && !d.toks[start].sentence)
		if kind {
			// "QUORVATH CARDIAC REHAB", "SUNRISE CARDIAC REHAB": in capitals a
			// word before the kind of care names the facility unless it is
			// a descriptor of public bodies or of care ("REGIONAL", "ADULT")
			// or a verb after "and" ("AND START CARDIAC REHAB")
			specific = false
			for j := start; j < i-1; j++ {
				w := &d.toks[j]
				if w.is(cConnector) || w.Key == "the" {
					continue
				}
				descriptor := w.is(cInstitutional|cLowerModifier) || careKinds[w.Key] || j == start && j > 0 && d.toks[j-1].Key == "and"
				if !w.common || w.is(cSaint) || w.placeName || t.allCaps && w.allCaps && !descriptor {
					specific = true
				}
			}
		}
		if !specific || (start == i && end == i) || d.allCapsRun(start, end) && !t.allCaps {
			continue
		}
		e := ner.Organization
		if t.is(cPlaceHead) {
			e = ner.Location
		}
		d.add(start, end, e, OrgScore, "org-suffix")
		i = end
	}
}

// laterHead reports whether the organisation head at word i is followed,
// within the same name, by another head ("District Court", "District
// Administrative Authority", "University Hospital"): capitalised words of
// the vocabulary of institutions up to a head.
func (d *run) laterHead(i int) bool {
	for j := i + 1; j < len(d.toks) && j-i <= 3; j++ {
		w := &d.toks[j]
		if !w.Capital || w.allCaps != d.toks[i].allCaps || !gapOK(d.text, &d.toks[j-1], w) {
			return false
		}
		if w.is(cOrgHead) {
			return true
		}
		if !w.is(cInstitutional) {
			return false
		}
	}
	return false
}

func (d *run) allCapsRun(i, j int) bool {
	for k := i; k <= j; k++ {
		if !d.toks[k].allCaps && !d.toks[k].is(cConnector) {
			return false
		}
	}
	return true
}

// placeNames finds the names of countries, regions and cities of the
// place list ("Istanbul", "United Kingdom"), capitalised, unless they are
// part of a person's name ("Mr Washington", "Georgia Smith").
func (d *run) placeNames() {
	for i := 0; i < len(d.toks); i++ {
		t := &d.toks[i]
		if !t.place || !t.Capital || d.claimed[i] || t.allCaps && len(t.Key) <= 4 {
			continue // short ALL-CAPS words are acronyms ("LIMA", "OSH")
		}
		if i > 0 && isTitle(d.text, &d.toks[i-1]) {
			continue
		}
		end, city := d.placeAt(i)
		if end < 0 {
			continue
		}
		if n := end + 1; n < len(d.toks) && d.toks[n].Capital && !d.toks[n].allCaps && d.toks[n].last && !d.toks[n].common &&
			!d.toks[n].place && gapOK(d.text, &d.toks[end], &d.toks[n]) && t.first {
			continue // "Georgia Smith"
		}
		if !city {
			// countries, regions and states identify no one: claim the
			// words so that no rule takes them for a name
			if d.country == nil {
				d.country = make([]bool, len(d.toks))
			}
			for k := i; k <= end; k++ {
				d.claimed[k], d.country[k] = true, true
			}
			i = end
			continue
		}
		end = d.withCountry(end)
		d.add(i, end, ner.Location, PlaceScore, "place-name")
		i = end
	}
}

// withCountry extends a town ending at word end over a country or region
// after it ("Reykjavík, Iceland", "Niederbrunnstadt (Germany)"): together they are one
// address-level place.
func (d *run) withCountry(end int) int {
	n := end + 1
	if n >= len(d.toks) || d.claimed[n] && !d.toks[n].place {
		return end
	}
	gap := strings.TrimSpace(d.text[d.toks[end].End:d.toks[n].Start])
	if gap != "," && gap != "(" {
		return end
	}
	if e, city := d.placeAt(n); e >= 0 && !city {
		return e
	}
	return end
}

// callOut reports whether word i is the "o" of "c/o" before "to": called
// out of intensive care to a ward ("c/o to quillmoor"); "c/o" before
// anything else is "complains of".
func (d *run) callOut(i int) bool {
	return i > 0 && d.toks[i].Key == "o" && d.toks[i-1].Key == "c" && d.text[d.toks[i-1].End:d.toks[i].Start] == "/" &&
		d.toks[i+1].Key == "to"
}

// beforeState reports whether word i is followed by a comma and a US
// state ("Portland, Oregon").
func (d *run) beforeState(i int) bool {
	if i+1 >= len(d.toks) {
		return false
	}
	st := &d.toks[i+1]
	return strings.TrimSpace(d.text[d.toks[i].End:st.Start]) == "," && st.upperIn(cUSState, usStates, d.text)
}

// placeAt returns the last word of the longest listed place name that
// starts at word i (-1 if none) and whether it is a town or city.
func (d *run) placeAt(i int) (int, bool) {
	end, city := -1, false
	key := ""
	for j := i; j < len(d.toks) && j-i < 4; j++ {
		if j > i && (!gapOK(d.text, &d.toks[j-1], &d.toks[j]) || !d.toks[j].Capital) && !(j > i && d.toks[j].Key == "and") {
			break
		}
		if j > i {
			key += " "
		}
		key += d.toks[j].Key
		if j == i && !d.toks[i].placeName && !d.toks[i].digits {
			continue // one word is in Places exactly when it has the flag
		}
		if c, ok := gazetteer.PlaceOf(key); ok {
			end, city = j, c
		}
	}
	return end, city
}

// places finds places after words of movement and residence ("transferred
// to Quillmoor", "lives in elmsbrook", "from Fenwick Hollow, MD").
func (d *run) places() {
	for i := 0; i+2 < len(d.toks); i++ {
		if !d.toks[i].is(cPlaceVerb) && !d.toks[i].is(cPersonContext) && !d.callOut(i) {
			continue
		}
		j := i + 1
		if d.toks[j].is(cPlaceAdverb) && j+1 < len(d.toks) {
			j++ // "moved back to", "lives alone in"
		}
		if !d.toks[j].is(cPlacePrep) || (d.toks[i].is(cPersonContext) && !d.toks[i].is(cPlaceVerb) && d.toks[j].Key != "in" && d.toks[j].Key != "from") {
			continue
		}
		j++
		if j < len(d.toks) && d.toks[j].Key == "the" {
			j++
		}
		// "moved to 4417 quillmoor": a room number before the ward
		if j+1 < len(d.toks) && d.toks[j].digits && len(d.toks[j].Key) <= 4 && !d.toks[j+1].common && !d.toks[j+1].numeric &&
			!d.toks[j+1].is(cStop) && gapOK(d.text, &d.toks[j], &d.toks[j+1]) {
			j++
		}
		if j >= len(d.toks) {
			continue
		}
		start := j
		end := j - 1
		for k := j; k < len(d.toks) && k-j < 3; k++ {
			w := &d.toks[k]
			if k > j && !gapOK(d.text, &d.toks[k-1], w) {
				break
			}
			acronym := w.allCaps && (len(w.Key) <= 2 || !w.common) && d.toks[i].is(cPlaceVerb)         // "transferred to GH", not "GOING TO NAP"
			saintNext := k+1 < len(d.toks) && d.toks[k+1].is(cSaint) && gapOK(d.text, w, &d.toks[k+1]) // "Holy Wendeline"
			if w.digits || w.hasASCIIDigit(d.text) || (w.common && !acronym && !w.is(cSaint) && !saintNext && !(k > j && d.toks[k-1].is(cSaint))) || w.is(cStop) || w.is(cPlaceStop) ||
				len(w.Key) == 1 && !w.Capital || unitKind(w.Key) {
				break
			}
			end = k
		}
		if e := d.toponym(j); e > end {
			end = e // "transferred from Cedar Ridge": ordinary words, which the words above stop at
		}
		if end < start {
			continue
		}
		d.add(start, d.withCountry(end), ner.Location, PlaceScore, "place")
		i = end
	}
	for i := 0; i+1 < len(d.toks); i++ {
		p, w := &d.toks[i], &d.toks[i+1]
		if !(p.Key == "in" || p.Key == "at" || p.Key == "to" || p.Key == "from" || p.Key == "near" || p.is(cPlaceVerb) && w.allCaps) || !gapOK(d.text, p, w) {
			continue
		}
		if w.Key == "the" && i+2 < len(d.toks) && d.toks[i+2].allCaps && acronymOK(&d.toks[i+2]) &&
			(hospitalAcronym(d.text[d.toks[i+2].Start:d.toks[i+2].End]) || hospitalInitials(d.text[d.toks[i+2].Start:d.toks[i+2].End])) {
			d.add(i+2, i+2, ner.Location, PlaceScore, "place") // "from the NWMC"
			continue
		}
		switch {
		case (w.allCaps || !w.Capital && !w.numeric && !w.is(cStop)) && acronymOK(w) &&
			(hospitalAcronym(strings.ToUpper(d.text[w.Start:w.End])) || w.allCaps && hospitalInitials(d.text[w.Start:w.End])):
			// "in GH", "from VAMC", "leave GH", "sent on to gh er": hospital acronyms
			d.add(i+1, i+1, ner.Location, PlaceScore, "place")
		case w.Capital && !w.allCaps && !w.common && !w.numeric && p.Key != "to" && d.withCountry(i+1) > i+1 &&
			!d.toks[i+2].upperIn(cUSState, usStates, d.text):
			// "detained in Niederbrunnstadt, Germany": a town before its country,
			// even if it is somebody's name too
			d.add(i+1, d.withCountry(i+1), ner.Location, PlaceScore, "place")
		case (w.allCaps || !w.Capital) && w.placeName && !w.common && !w.numeric && len(w.Key) >= 4 && p.Key != "to" && !w.is(cStop):
			// "ARRIVING FROM QUILLMOOR", "lives in marrowdale": a known
			// town where case says nothing
			d.add(i+1, i+1, ner.Location, PlaceScore, "place")
		case p.is(cPlaceVerb):
		case w.Capital && !w.allCaps && !w.common && !w.first && !w.last && !w.numeric && !w.sentence && p.Key != "to" && !w.is(cStop):
			// "a bakery in Marrowdale": an unknown capitalised word after
			// in/at/from/near
			d.add(i+1, d.withCountry(i+1), ner.Location, LoneNameScore, "place")
		case w.Capital && !w.allCaps && !w.sentence && p.Key != "to" && d.toponym(i+1) >= 0 && !d.beforeState(d.toponym(i+1)):
			// "was at Bay View", "seen at Fairview": a place named with
			// ordinary words, capitalised inside a sentence. Before a
			// state ("at Portland, Oregon") the town is the town-before-
			// a-state rule's to find: taken here, withCountry would carry
			// the state into the place, and profiles that keep states
			// would lose it.
			e := d.toponym(i + 1)
			if d.toks[e].Capital {
				d.add(i+1, d.withCountry(e), ner.Location, LoneNameScore, "place")
			}
		}
	}
	// a word in no list written in capitals after in, at ("@"), from or
	// near: "DAUGHTER FROM QUORVATH", "she is now in QUORVATH", "works
	// @ QUORVATH MEMORIAL"; with a second such word after it
	for i := 0; i+1 < len(d.toks); i++ {
		p, w := &d.toks[i], &d.toks[i+1]
		gap := d.text[p.End:w.Start]
		at := strings.TrimSpace(gap) == "@" && len(gap) <= 3
		if !(at || (p.Key == "in" || p.Key == "at" || p.Key == "from" || p.Key == "near") && gapOK(d.text, p, w)) ||
			!d.unknownCaps(i+1) || d.claimed[i+1] {
			continue
		}
		end := i + 1
		if end+1 < len(d.toks) && gapOK(d.text, w, &d.toks[end+1]) && d.unknownCaps(end+1) {
			end++
		}
		d.add(i+1, end, ner.Location, LoneNameScore, "place")
		i = end
	}
	// "Fenwick Hollow, MD", "brackenfold,ma": a town before a state
	for i := 0; i+1 < len(d.toks); i++ {
		st := &d.toks[i+1]
		gap := d.text[d.toks[i].End:st.Start]
		if strings.TrimSpace(gap) != "," || !st.upperIn(cUSState, usStates, d.text) || d.claimed[i] {
			continue
		}
		if len(st.Key) == 2 && !(st.allCaps || (!d.toks[i].Capital && st.Key == strings.ToLower(d.text[st.Start:st.End]))) {
			continue
		}
		if st.End < len(d.text) && isLetterByte(d.text[st.End]) {
			continue
		}
		// "a wrist splint, md aware", "on pneumoboots, sc enoxaparin": a
		// clinician or a route, no state; before a clinician, a word in
		// no list ("pt from brenzholt, pa notified") or a capitalised
		// one a place word introduces stays a finding
		if !st.Capital && d.clauseGoesOn(i+1) && (medicines[d.toks[i+2].Key] ||
			d.ordinaryWord(i) && !(d.toks[i].Capital && i > 0 && d.toks[i-1].is(cPlacePrep|cPlaceVerb))) {
			continue
		}
		start := i
		for start > 0 && i-start < 2 && gapOK(d.text, &d.toks[start-1], &d.toks[start]) && d.toks[start-1].Capital == d.toks[i].Capital &&
			!d.toks[start-1].numeric && !d.toks[start-1].is(cStop) && !d.toks[start-1].is(cPlacePrep) && !d.toks[start-1].sentence {
			start--
		}
		w := &d.toks[i]
		if w.numeric || w.is(cStop) || (w.common && !w.Capital) || (w.allCaps && w.common) || len(w.Key) < 2 {
			continue // one letter names no town: "K, CA, AND PHOS GIVEN" (potassium, calcium)
		}
		// "DM, hyperlip, MI, PCI": an item of a list of findings, MI no
		// state, when the word is itself clinical, or an ordinary word
		// between clinical items; a word in no list stays a town
		// ("widowed, brackenfold, MI, retired"; "HTN, DM, brackenfold, MI")
		if !w.Capital && st.allCaps && st.is(cClinicalAbbrev) && d.listItem(i) &&
			(clinicalShaped(w) || d.ordinaryWord(i) && d.clinicalItem(i-1) && d.clinicalItem(i+2)) {
			continue
		}
		d.add(start, i, ner.Location, PlaceScore, "place")
	}
	// "tolvane campus", "the Everard Pavilion": a name before the word for
	// part of a hospital
	for i := 0; i+1 < len(d.toks); i++ {
		w, h := &d.toks[i], &d.toks[i+1]
		if !h.is(cCampus) || w.common || w.numeric || w.is(cStop) || !gapOK(d.text, w, h) {
			continue
		}
		d.add(i, i+1, ner.Location, PlaceScore, "place")
	}
	// a place named with ordinary words, in lower case or capitals,
	// before the word for a hospital in its case ("quillmoor vale hosp",
	// "fairview rehab"); capitalised names before a head are orgs' (orgs)
	for i := 0; i+1 < len(d.toks); i++ {
		w, h := &d.toks[i], &d.toks[i+1]
		if !d.facilityHead(i+1) && !(i+2 < len(d.toks) && d.facilityHead(i+2)) {
			continue // cheap test first: every word passes here
		}
		if e := d.toponym(i); e > i && e+1 < len(d.toks) && !(w.Capital && !w.allCaps) && d.toks[e+1].allCaps == w.allCaps &&
			!(d.toks[e+1].Capital && !d.toks[e+1].allCaps) && gapOK(d.text, &d.toks[e], &d.toks[e+1]) && d.facilityHead(e+1) {
			d.add(i, e, ner.Location, PlaceScore, "place") // "quillmoor vale hosp", "CEDAR RIDGE NURSING HOME"
			i = e
			continue
		}
		if w.Capital && !w.allCaps || h.allCaps != w.allCaps || h.Capital && !h.allCaps || !gapOK(d.text, w, h) || !d.facilityHead(i+1) {
			continue
		}
		if placeCompound(w.Key) && !w.is(cStop|cPlaceStop|cClinicalAbbrev|cUSState) {
			d.add(i, i, ner.Location, PlaceScore, "place") // "fairview rehab"
			continue
		}
		if w.common || w.extra || w.numeric || len(w.Key) < 5 || w.is(cStop|cPlaceStop|cClinicalAbbrev|cHospitalHead|cHomeKind|cTitleKey|cRoleWord|cRelation|cPlaceVerb|cPlacePrep) ||
			strings.ContainsAny(d.text[w.Start:w.End], "_/'") {
			continue
		}
		d.add(i, i, ner.Location, PlaceScore, "place") // "d/c to quorvath rehab"
	}
	// a word in no list glued to a unit number: "QUILLMOOR3"
	for i := range d.toks {
		w := &d.toks[i]
		if !w.numeric || w.digits {
			continue
		}
		word := d.text[w.Start:w.End]
		k := strings.IndexAny(word, "0123456789")
		if k < 7 || len(word)-k > 2 || strings.IndexFunc(word[k:], func(r rune) bool { return r < '0' || r > '9' }) >= 0 ||
			word[k-1] == 'x' || word[k-1] == 'X' {
			continue
		}
		if f := gazetteer.Lookup(strings.ToLower(word[:k])); f != 0 {
			continue
		}
		d.out = append(d.out, ner.Finding{Start: w.Start, End: w.Start + k, Entity: ner.Location, Score: PlaceScore, Rule: "names/place"})
	}
	// a word in no list before a unit number: "PLAN: QUILLMOOR 2"
	for i := 0; i+1 < len(d.toks); i++ {
		w, n := &d.toks[i], &d.toks[i+1]
		if w.common || w.first || w.last || w.numeric || len(w.Key) < 7 || !n.digits || len(n.Key) > 2 ||
			d.text[w.End:n.Start] != " " || (n.End < len(d.text) && strings.ContainsRune("./-:%", rune(d.text[n.End]))) {
			continue
		}
		if i+2 < len(d.toks) && d.text[n.End:d.toks[i+2].Start] == " " && d.toks[i+2].is(cUnitWord) {
			continue // "neutraphos 1 pkt"
		}
		d.add(i, i, ner.Location, PlaceScore, "place")
	}
	// wards and units: "on QUILLMOOR 6", "to quillmoor 2"
	for i := 0; i+2 < len(d.toks); i++ {
		p, w, n := &d.toks[i], &d.toks[i+1], &d.toks[i+2]
		if !(p.Key == "on" || p.Key == "to" || p.Key == "from" || p.Key == "at") || w.common || w.numeric ||
			(n.End < len(d.text) && d.text[n.End] == '/') ||
			w.is(cStop|cPlaceStop|cClinicalAbbrev) || !n.digits || len(n.Key) > 2 ||
			d.text[w.End:n.Start] != " " || !gapOK(d.text, p, w) {
			continue
		}
		d.add(i+1, i+1, ner.Location, PlaceScore, "place")
	}
}

// placeGenerics end a place's name of two ordinary words ("Cedar
// Ridge"); placeSuffixes end a one-word name of two elements ("Fairview").
var (
	placeGenerics = lex("place-generics")
	placeSuffixes = lexicon.MustSet("place-suffixes").Words()
	notCompounds  = lex("not-place-compounds")
)

// toponym returns the last word of a place named with ordinary words that
// starts at word j, or -1: a word and a geographic generic after it in
// the same case ("Cedar Ridge", "PINE VALLEY", "bay view"), or one word
// of two elements ("Fairview", "LAKESIDE"). Only where a sentence
// already speaks of a place: the words themselves prove nothing.
func (d *run) toponym(j int) int {
	w := &d.toks[j]
	if w.numeric || len(w.Key) < 3 || w.is(cStop|cPlaceStop|cClinicalAbbrev|cPlacePrep|cPlaceVerb|cTitleKey|cRoleWord|cRelation|cUSState|cHospitalHead) ||
		strings.ContainsAny(d.text[w.Start:w.End], "_/'-.") {
		return -1
	}
	if j+1 < len(d.toks) {
		n := &d.toks[j+1]
		if placeGenerics[n.Key] && !n.numeric && gapOK(d.text, w, n) && n.allCaps == w.allCaps && n.Capital == w.Capital &&
			!(j+2 < len(d.toks) && d.toks[j+2].digits && gapOK(d.text, n, &d.toks[j+2])) {
			return j + 1 // not "the north bay 4", a bed
		}
	}
	if placeCompound(w.Key) {
		return j
	}
	return -1
}

// placeCompound reports whether key is a one-word place name of two
// elements: seven letters or more, ending in a place suffix after a
// known word of three letters or more that is no function word and no
// word for a room or a home, and no ordinary word of that shape
// (not-place-compounds: "fairview", not "outside", "interview").
func placeCompound(key string) bool {
	if len(key) < 7 || notCompounds[key] {
		return false
	}
	for _, suf := range placeSuffixes {
		p, ok := strings.CutSuffix(key, suf)
		if !ok || len(p) < 3 || stopWords[p] || placeStop[p] || gazetteer.Lookup(p) == 0 {
			continue
		}
		return true
	}
	return false
}

// unknownCaps reports whether word i is written in capitals, is five
// letters or more and is in no list: no ordinary word, name, abbreviation,
// title, role, unit or word of the trade ("QUORVATH", not "LASIX", "NSR",
// "MAREK").
func (d *run) unknownCaps(i int) bool {
	w := &d.toks[i]
	if !w.allCaps || w.numeric || w.common || w.extra || w.first || len(w.Key) < 5 {
		return false
	}
	if w.is(cStop|cPlaceStop|cClinicalAbbrev|cHospitalHead|cTitleKey|cTitleStop|cRoleWord|cRoleTitle|cRelation|cPersonContext|cAware|
		cPlaceVerb|cPlacePrep|cMeasureUnit|cUSState|cOrgHead|cInstitutional|cCompanion) || w.upperIn(cCredential, credentials, d.text) {
		return false
	}
	return !strings.ContainsAny(d.text[w.Start:w.End], "_/'-.") && !compound(w.Key)
}

// compound reports whether key is two words written as one, each of
// three letters or more and an ordinary word or a clinical abbreviation
// ("catscan", "midshift"): shorthand, not a name.
func compound(key string) bool {
	known := func(s string) bool { return clinicalAbbreviations[s] || gazetteer.Lookup(s).Common() }
	for k := 3; k+3 <= len(key); k++ {
		if known(key[:k]) && known(key[k:]) {
			return true
		}
	}
	return false
}

// facilityHead reports whether word i starts the head of a care
// facility's name: a hospital head ("rehab", "hospital"), or "nursing"
// before "home", "facility", "center" or "and"/"&" ("nursing & rehab").
func (d *run) facilityHead(i int) bool {
	h := &d.toks[i]
	if h.is(cHospitalHead) {
		return true
	}
	if h.Key != "nursing" || i+1 >= len(d.toks) {
		return false
	}
	switch n := d.toks[i+1].Key; n {
	case "home", "facility", "center", "centre", "and":
		return true
	}
	return strings.TrimSpace(d.text[h.End:d.toks[i+1].Start]) == "&"
}

// employers finds the organisation after "works for" and "employed by"
// ("she works for quorlane health"): up to three words ending in an
// organisation head, in any case, one of them more than the head.
func (d *run) employers() {
	for i := 0; i+2 < len(d.toks); i++ {
		if !(d.toks[i].is(cEmployVerb) && (d.toks[i+1].Key == "for" || d.toks[i+1].Key == "by" || d.toks[i+1].Key == "at")) {
			continue
		}
		j := i + 2
		end := -1
		for k := j; k < len(d.toks) && k-j < 3; k++ {
			w := &d.toks[k]
			if (k > j && !gapOK(d.text, &d.toks[k-1], w)) || w.numeric || w.is(cStop) {
				break
			}
			if w.is(cOrgHead) && k > j {
				end = k
				break
			}
		}
		if end > j {
			d.add(j, end, ner.Organization, OrgScore, "employer")
			i = end
		}
	}
}

var employVerbs = lex("employ-verbs")

// campusWords name a part of a hospital after its name.
var campusWords = lex("campus-words")

// unitWords after a number make it a dose, not a unit of a hospital.
var unitWords = lex("dose-units")

// korean finds Hangul names before the honorifics 씨 and 님: a known
// family name syllable and one to three more syllables ("김철수 씨").
func (d *run) korean() {
	for i := range d.toks {
		t := &d.toks[i]
		w := d.text[t.Start:t.End]
		if r, _ := utf8.DecodeRuneInString(w); !isHangul(r) {
			continue // the runes of every word were made for this test alone
		}
		rs := []rune(w)
		if len(rs) < 2 {
			continue
		}
		name := rs
		switch {
		case strings.ContainsRune(w, '씨') || strings.ContainsRune(w, '님'):
			// the honorific, then perhaps a particle: "김철수씨와"
			k := strings.IndexAny(w, "씨님")
			name = []rune(w[:k])
		case i+1 < len(d.toks) && strings.TrimSpace(d.text[t.End:d.toks[i+1].Start]) == "" &&
			(strings.HasPrefix(d.text[d.toks[i+1].Start:], "씨") || strings.HasPrefix(d.text[d.toks[i+1].Start:], "님")):
		default:
			continue
		}
		if len(name) < 2 || len(name) > 4 || !koreanSurnames[name[0]] || koreanStop[string(name)] {
			continue
		}
		for _, r := range name {
			if !isHangul(r) {
				name = nil
				break
			}
		}
		if name == nil {
			continue
		}
		end := t.Start + len(string(name))
		d.out = append(d.out, ner.Finding{Start: t.Start, End: end, Entity: ner.Person, Score: TitleScore, Rule: "names/title-ko"})
	}
}

func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func isLetterByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// acronymOK rejects ordinary words shaped like hospital acronyms ("HIGH",
// "COUGH", "java"): only the short ones and those ending in MC or HH may
// be ordinary words too ("gh", "VAMC" are in the medical word list).
func acronymOK(t *tok) bool {
	k := t.Key
	return !t.common || len(k) <= 3 || strings.HasSuffix(k, "mc") || strings.HasSuffix(k, "hh")
}

// hospitalAcronym reports the usual shapes of hospital abbreviations:
// ...MC (medical center), ...GH (general hospital), ...HH, VA, VAMC.
func hospitalAcronym(w string) bool {
	if len(w) < 2 || len(w) > 6 {
		return false
	}
	for _, suf := range []string{"MC", "GH", "HH", "VA", "VAMC"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// hospitalInitials reports the initials of a hospital written in
// capitals: three to five letters ending in those of a memorial, women's,
// regional, university or children's hospital ("NWH", "SRMH"), that spell
// no clinical abbreviation ("ICH"). Only for a word written in capitals:
// in lower case these are words ("pitch", "much").
func hospitalInitials(w string) bool {
	if len(w) < 3 || len(w) > 5 || clinicalAbbreviations[strings.ToLower(w)] {
		return false
	}
	for _, suf := range []string{"MH", "WH", "RH", "UH", "CH"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}
