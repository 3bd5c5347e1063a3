package ner

import "sort"

// Entity names a kind of identifying information. The set is closed: profiles
// are validated against Entities(), so a typo in a profile fails at start.
type Entity string

// The entity types Veil detects.
const (
	Person       Entity = "PERSON"       // names of people
	Location     Entity = "LOCATION"     // cities, counties, regions, facilities
	Address      Entity = "ADDRESS"      // street addresses, PO boxes
	ZIP          Entity = "ZIP"          // postal codes
	Organization Entity = "ORGANIZATION" // employers, courts, hospitals, schools
	Date         Entity = "DATE"         // dates related to an individual or event
	BirthDate    Entity = "BIRTH_DATE"   // a date introduced as a birth date
	Age          Entity = "AGE"          // ages in years
	Phone        Entity = "PHONE"
	Fax          Entity = "FAX"
	Email        Entity = "EMAIL"
	SSN          Entity = "SSN" // US social security number
	TIN          Entity = "TIN" // taxpayer identification number (EIN, ITIN, foreign tax numbers)
	CreditCard   Entity = "CREDIT_CARD"
	IBAN         Entity = "IBAN"
	Account      Entity = "ACCOUNT_NUMBER"        // bank and other financial accounts, crypto wallets
	MRN          Entity = "MEDICAL_RECORD_NUMBER" // MRN, chart numbers
	HealthPlan   Entity = "HEALTH_PLAN_NUMBER"    // insurance member / policy numbers
	CaseNumber   Entity = "CASE_NUMBER"           // case, docket, claim, file numbers
	License      Entity = "LICENSE_NUMBER"        // certificate and licence numbers
	Vehicle      Entity = "VEHICLE_ID"            // VINs and licence plates
	Device       Entity = "DEVICE_ID"             // device identifiers and serial numbers
	NationalID   Entity = "NATIONAL_ID"           // non-US national identifiers
	Passport     Entity = "PASSPORT_NUMBER"
	URL          Entity = "URL"
	IP           Entity = "IP_ADDRESS"
	ID           Entity = "ID_NUMBER"   // any other unique identifying number or code
	Custom       Entity = "CUSTOM_TERM" // a term from the user's deny list
	// Demographic is what someone is, said in context: an occupation, a
	// nationality, ethnicity or religion, a diagnosis or condition.
	// Maximum-recall mode finds them; a profile decides (research data
	// keeps diagnoses, a judgment's anonymisation masks them).
	Demographic Entity = "DEMOGRAPHIC"
	// Other is a word or number that maximum-recall mode treats as
	// identifying without knowing what it is.
	Other Entity = "OTHER"
	// Routing is a bank routing number (ABA routing transit number): it
	// names the bank, not the account, so it is no financial-account
	// number under FRCP 5.2(a)(4).
	Routing Entity = "ROUTING_NUMBER"
)

type entityInfo struct {
	priority    int // higher wins ties between overlapping findings
	description string
}

var entities = map[Entity]entityInfo{
	Custom:       {100, "term from the user's deny list"},
	SSN:          {90, "US social security number"},
	TIN:          {89, "taxpayer identification number"},
	CreditCard:   {88, "payment card number"},
	IBAN:         {87, "international bank account number"},
	NationalID:   {86, "national identity number"},
	Passport:     {85, "passport number"},
	Account:      {84, "financial account number"},
	Routing:      {84, "bank routing number"},
	MRN:          {83, "medical record number"},
	HealthPlan:   {82, "health plan beneficiary number"},
	License:      {81, "certificate or licence number"},
	Vehicle:      {80, "vehicle identifier or licence plate"},
	Device:       {79, "device identifier or serial number"},
	CaseNumber:   {78, "case, docket or claim number"},
	Email:        {70, "e-mail address"},
	URL:          {69, "web address"},
	IP:           {68, "IP address"},
	Fax:          {61, "fax number"},
	Phone:        {60, "telephone number"},
	BirthDate:    {55, "date of birth"},
	Date:         {50, "date"},
	Age:          {45, "age"},
	Address:      {40, "street address"},
	ZIP:          {39, "postal code"},
	Person:       {30, "name of a person"},
	Organization: {20, "organisation"},
	Location:     {10, "place"},
	ID:           {35, "other identifying number or code"},
	Demographic:  {7, "occupation, nationality, religion or health condition in context"},
	Other:        {5, "word or number flagged in maximum-recall mode"},
}

// Priority orders entities for tie-breaking: more specific identifiers first.
func (e Entity) Priority() int { return entities[e].priority }

// Valid reports whether e is one of the known entity types.
func (e Entity) Valid() bool { _, ok := entities[e]; return ok }

// Description returns a short human description of e.
func (e Entity) Description() string { return entities[e].description }

// Entities returns every known entity type, in priority order.
func Entities() []Entity {
	out := make([]Entity, 0, len(entities))
	for e := range entities {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Priority() != out[j].Priority() {
			return out[i].Priority() > out[j].Priority()
		}
		return out[i] < out[j]
	})
	return out
}
