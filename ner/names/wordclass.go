package names

import (
	"strings"

	"github.com/veilhq/veil/ner"
)

// class is the set of this package's word lists a word's key is in: one
// bit a list. tokenize looks a word up once (classOf) and every rule and
// maximum recall test the bits, where each used to look the key up in
// each list it asked about (five or more map reads a word a pass).
type class uint64

// The lists with a bit. The maps stay the lists' definition (words.go,
// maxrecall.go) and answer the questions about strings that are no
// token's key; TestClassesMatchLists checks the bits against them.
const (
	cStop class = 1 << iota
	cParticle
	cOrgHead
	cPlaceHead
	cConnector
	cSaint
	cStrongHead
	cTitleStop
	cPlaceVerb
	cPlacePrep
	cPlaceStop
	cInstitutional
	cAware
	cRoleWord
	cRelation
	cHospitalHead
	cHomeKind
	cRoleTitle
	cCompanyForm
	cAbbrevTitle
	cLowerTitle
	cAccentTitle
	cPersonContext
	cEmployVerb
	cCampus
	cUnitWord
	cWeakCue
	cSubjectVerb
	cPlaceAdverb
	cCompanion
	// cContext2 marks the first word of a two-word person context
	// (personContext2).
	cContext2
	// cCredential and cUSState mark the keys k whose ASCII upper case is
	// in credentials or usStates: for a word written in ASCII, its key is
	// its lower case, so hasUpper(credentials, word) is the bit. Other
	// words ask the map (tok.upperIn).
	cCredential
	cUSState

	// maximum recall's lists
	cSpelledNumber
	cTrade
	cNumberUnit
	cCurrency
	cProvision
	cOfficeHead
	cMeasureUnit
	cLowerModifier
	cLowerInstitution
	cDemonym
	cClinicalAbbrev
	cApproximately
	cStateWord
	cNationalityNoun
	cCustodyVerb
	cPropertyWord
	cSubunit
	// cCapsClinical marks a clinical abbreviation that is also a name,
	// an abbreviation only in capitals among clinical words (capsClinical).
	cCapsClinical

	cTitleKey = cAbbrevTitle | cLowerTitle // isTitleKey
)

// classLists pairs every bit with its list, keyed by folded words.
var classLists = []struct {
	c class
	m map[string]bool
}{
	{cStop, stopWords}, {cParticle, particles}, {cOrgHead, orgHeads}, {cPlaceHead, placeHeads},
	{cConnector, connectors}, {cSaint, saints}, {cStrongHead, strongHeads}, {cTitleStop, titleStop},
	{cPlaceVerb, placeVerbs}, {cPlacePrep, placePreps}, {cPlaceStop, placeStop}, {cInstitutional, institutional},
	{cAware, awareWords}, {cRoleWord, roleWords}, {cRelation, relations}, {cHospitalHead, hospitalHeads},
	{cHomeKind, homeKinds}, {cRoleTitle, roleTitles}, {cCompanyForm, companyForms}, {cAbbrevTitle, abbrevTitles},
	{cLowerTitle, lowerTitles}, {cAccentTitle, accentTitles}, {cPersonContext, personContext},
	{cEmployVerb, employVerbs}, {cCampus, campusWords}, {cUnitWord, unitWords}, {cWeakCue, weakCues}, {cSubjectVerb, subjectVerbs}, {cPlaceAdverb, placeAdverbs},
	{cCompanion, companions},
	{cSpelledNumber, spelledNumbers}, {cTrade, trades}, {cNumberUnit, numberUnits}, {cCurrency, currencies},
	{cProvision, provisionWords}, {cOfficeHead, officeHeads}, {cMeasureUnit, measureUnits},
	{cLowerModifier, lowerModifiers}, {cLowerInstitution, lowerInstitutions}, {cDemonym, demonyms},
	{cClinicalAbbrev, clinicalAbbreviations}, {cApproximately, approximately}, {cStateWord, stateWords},
	{cNationalityNoun, nationalityNouns}, {cCustodyVerb, custodyVerbs}, {cPropertyWord, propertyWords},
	{cSubunit, subunits}, {cCapsClinical, capsClinical},
}

// classes maps every key that is in at least one list to its bits.
var classes = func() map[string]class {
	m := map[string]class{}
	for _, l := range classLists {
		for k := range l.m {
			m[k] |= l.c
		}
	}
	for k := range personContext2 {
		first, _, _ := strings.Cut(k, " ")
		m[first] |= cContext2
	}
	for _, u := range []struct {
		c class
		m map[string]bool
	}{{cCredential, credentials}, {cUSState, usStates}} {
		for k := range u.m {
			if ner.IsASCII(k) {
				m[strings.ToLower(k)] |= u.c
			}
		}
	}
	return m
}()

// classOf returns the lists key is in.
func classOf(key string) class { return classes[key] }

// is reports whether the word's key is in any of the lists of c.
// A word's context may add or take away a class (contextClasses): a
// given name that is a clinical abbreviation is no abbreviation before a
// surname.
func (t *tok) is(c class) bool { return (t.cls|t.on)&^t.off&c != 0 }

// titleKey is isTitleKey(t.Key).
func (t *tok) titleKey() bool { return t.cls&cTitleKey != 0 }

// upperIn is hasUpper(m, the word as written) for m = credentials (c =
// cCredential) or usStates (c = cUSState): the bit for a word written in
// ASCII, the map for any other.
func (t *tok) upperIn(c class, m map[string]bool, text string) bool {
	if t.ascii {
		return t.cls&c != 0
	}
	return hasUpper(m, text[t.Start:t.End])
}
