package names

import (
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// rateWords follow "per" in a rate ("per annum", "per share").
var rateWords = lex("rate-words")

// lex returns the folded words of the lexicon's lists of the concepts, in
// every language.
func lex(concepts ...string) map[string]bool { return set(lexicon.MustSet(concepts...).Words()...) }

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		for _, k := range ner.Fold(w) {
			m[k] = true
		}
	}
	return m
}

// abbrevTitles are titles that may precede a lower-case or ALL-CAPS name
// ("dr. aldous fenwright", "MRS VOSK").
var abbrevTitles = lex("strong-titles")

// lowerTitles are titles that only count before a capitalised word: they
// are ordinary words too ("sister", "pan") or lower case in their language
// ("ông Nguyễn").
var lowerTitles = without(lex("titles"), abbrevTitles)

// accentTitles are the titles written with diacritics (Vietnamese "ông",
// "bà"): they are lower case mid-sentence, but their folded forms are
// ordinary words, so they count only where the diacritics are written.
var accentTitles = func() map[string]bool {
	var ws []string
	for _, w := range lexicon.MustSet("titles").Words() {
		if !ner.IsASCII(w) {
			ws = append(ws, w)
		}
	}
	return set(ws...)
}()

// without returns the keys of a that are not in b.
func without(a, b map[string]bool) map[string]bool {
	m := make(map[string]bool, len(a))
	for k := range a {
		if !b[k] {
			m[k] = true
		}
	}
	return m
}

func isTitleKey(k string) bool { return abbrevTitles[k] || lowerTitles[k] }

// isTitle reports whether t is a title word where it stands: the long and
// foreign titles must be capitalised unless they are Vietnamese.
func isTitle(text string, t *tok) bool {
	if t.is(cAbbrevTitle) || t.is(cRoleTitle) {
		return true
	}
	if !t.is(cLowerTitle) {
		return false
	}
	if t.is(cAccentTitle) {
		return !t.ascii
	}
	return t.Capital
}

// credentials follow a name ("Delacourte, RRT").
var credentials = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range lexicon.MustSet("credentials").Words() {
		m[strings.ToUpper(c)] = true
	}
	return m
}()

// personContext are words after which a name often follows ("daughter
// hestia", "patient Natalie").
var personContext = func() map[string]bool {
	var ws []string
	for _, w := range lexicon.MustSet("person-cues", "kin").Words() {
		if len(ner.Fold(w)) == 1 {
			ws = append(ws, w)
		}
	}
	return set(ws...)
}()

// litigants are the parties and participants of a case ("the applicant",
// "the defendant"): in judgments a verb follows them in lower case, a name
// in capitals.
var litigants = lex("litigants")

// personContext2 are two-word contexts ("met with Ellison").
var personContext2 = set2(lexicon.MustSet("person-cues").Words()...)

func set2(pairs ...string) map[string]bool {
	m := map[string]bool{}
	for _, p := range pairs {
		ks := ner.Fold(p)
		if len(ks) == 2 {
			m[ks[0]+" "+ks[1]] = true
		}
	}
	return m
}

// stopWords never start or continue a name, although some are given names
// too ("Will", "May").
var stopWords = lex("stop-words", "months", "weekdays")

// particles are lower-case name words between given name and surname.
var particles = lex("particles")

// orgHeads end (or start, before "of") organisation names.
var orgHeads = lex("org-heads", "place-heads", "company-forms")

// placeHeads make a head-word name a place rather than an organisation.
var placeHeads = lex("place-heads")

// connectors may stand inside an organisation name.
var connectors = lex("name-connectors")

// saints make an ordinary word specific in a hospital's name ("Sacred
// Heart", "St Mary").
var saints = lex("saints")

// strongHeads are the organisation heads trusted in ALL-CAPS text, where
// capitals tell nothing.
var strongHeads = lex("strong-org-heads")

// titleStop are words that follow a title without being a name ("DR
// ORDERS", "per MD note").
var titleStop = lex("title-stop")

// placeVerbs and placePreps introduce places ("transferred to", "lives in");
// placeAdverbs may stand between them ("lives alone in").
var (
	placeVerbs   = lex("place-verbs")
	placeAdverbs = lex("place-adverbs")
	placePreps   = lex("place-prepositions")
	placeStop    = lex("place-stop")
)

// koreanSurnames are the first syllables of the most frequent Korean
// family names.
var koreanSurnames = func() map[rune]bool {
	m := map[rune]bool{}
	for _, w := range lexicon.MustSet("surname-syllables").Words() {
		if r, n := utf8.DecodeRuneInString(w); n == len(w) {
			m[r] = true
		}
	}
	return m
}()

// institutional is the vocabulary of the names of public bodies: names made
// of these and a head word ("Supreme Administrative Court", "Social
// Insurance Authority") name an institution, not a party.
var institutional = lex("institutional")

// koreanStop are words before 님/씨 that are roles, not names ("선생님").
var koreanStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range lexicon.MustSet("honorific-roles").Words() {
		m[w] = true // compared as written: folding would decompose Hangul
	}
	return m
}()

// usStates are the postal abbreviations and names of US states.
var usStates = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range lexicon.MustSet("us-states").Words() {
		m[strings.ToUpper(s)] = true
	}
	return m
}()

// awareWords follow a clinician's name in notes ("md wyman aware").
var awareWords = lex("aware-words")

// roleWords stand before a clinician's name in notes ("md wyman", "np
// grace").
var roleWords = lex("clinical-roles")

// relations are family words ("SON ROB").
var relations = lex("kin")

// hospitalHeads make one capitalised word before them a hospital's name.
var hospitalHeads = lex("hospital-heads")

// statusFindings state a finding or its degree after a clinical
// abbreviation that is also a title ("MS BASELINE", "MR MILD").
var statusFindings = lex("status-findings")

// careKinds name a kind of care or unit before a head ("cardiac rehab",
// "neuro ICU"), not a facility.
var careKinds = lex("unit-qualifiers")

// homeKinds make "Home" an organisation ("Care Home").
var homeKinds = lex("home-kinds")

// roleTitles are clinical roles that notes write before a name like a
// title ("HO SCHWARZ", "np grace", "W/MD SPEARS").
var roleTitles = lex("clinical-role-titles")

// companyForms are the legal forms after a company's name, written in
// capitals ("Norrvik Television AB", "Velmoraz Motoren AG").
var companyForms = lex("company-forms")

// hasUpper reports whether m holds strings.ToUpper(s), without making the
// string for an ASCII s: the rules ask it for every word of a text.
func hasUpper(m map[string]bool, s string) bool {
	var buf [32]byte
	if len(s) > len(buf) {
		return m[strings.ToUpper(s)]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return m[strings.ToUpper(s)]
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return m[string(buf[:len(s)])]
}
