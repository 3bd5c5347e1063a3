package ocrtest

import (
	"fmt"
	"math/rand/v2"
)

// Person is an invented person: every name, date and number comes from the
// lists and ranges below, written for these tests.
type Person struct {
	Given, Family string
	DOB           string // MM/DD/YYYY
	Phone         string // (555) 123-4567, a fictional exchange
	MRN           string // 8 digits
	Email         string
	Street, City  string
}

// Name is "Given Family".
func (p Person) Name() string { return p.Given + " " + p.Family }

// Invented name parts (composed at random, so no combination is a real
// person's on purpose).
var (
	givenNames = []string{
		"Marguerite", "Tobias", "Elena", "Desmond", "Priya", "Hollis", "Ingrid", "Rafael",
		"Colette", "Anselm", "Wilhelmina", "Bartholomew", "Odessa", "Lucian", "Fenella", "Casimir",
	}
	familyNames = []string{
		"Abernathy", "Okonkwo", "Lindqvist", "Castellano", "Pemberton", "Haverford", "Marchetti",
		"Delacroix", "Thornbury", "Nakashima", "Ravensworth", "Fairweather", "Quillanby", "Vandermeer",
	}
	streets = []string{"Larkspur Lane", "Quarry Hill Road", "Juniper Court", "Old Mill Street", "Heron Bay Drive"}
	cities  = []string{"Brookhaven", "Millbrae Falls", "Easton Ridge", "Pinecrest", "Harlow Springs"}
)

// NewPerson invents a person from seed.
func NewPerson(seed uint64) Person {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	g := givenNames[r.IntN(len(givenNames))]
	f := familyNames[r.IntN(len(familyNames))]
	return Person{
		Given: g, Family: f,
		DOB:    fmt.Sprintf("%02d/%02d/%d", 1+r.IntN(12), 1+r.IntN(28), 1940+r.IntN(60)),
		Phone:  fmt.Sprintf("(555) %03d-%04d", 200+r.IntN(700), r.IntN(10000)),
		MRN:    fmt.Sprintf("%08d", 10000000+r.IntN(89999999)),
		Email:  fmt.Sprintf("%c.%s@example.net", g[0]+('a'-'A'), lower(f)),
		Street: fmt.Sprintf("%d %s", 10+r.IntN(980), streets[r.IntN(len(streets))]),
		City:   cities[r.IntN(len(cities))],
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Identifiers are the values of p that redaction must remove, each as it
// appears on the page.
func (p Person) Identifiers() []string {
	return []string{p.Name(), p.DOB, p.Phone, p.MRN, p.Email, p.Street}
}

// Clinical text that must stay readable: invented, generic prose of a
// referral and of a declaration.
const (
	ReferralBody = "Thank you for seeing this patient, who reports low mood, poor sleep and " +
		"reduced appetite over the past three months. Symptoms began after a change of " +
		"work and have not improved with exercise or sleep hygiene. There is no history " +
		"of self harm. Current medication is sertraline fifty milligrams daily, started " +
		"six weeks ago with partial response. We would value your assessment and advice " +
		"on further treatment, including a course of cognitive behavioural therapy."
	DeclarationBody = "I make this declaration from my own knowledge. On the morning in " +
		"question I attended the clinic for a scheduled review. The receptionist confirmed " +
		"the appointment and I waited for about twenty minutes before being seen. The " +
		"notes of that visit were later sent to my representative by post."
)

// Referral draws a one-page referral letter about p at dpi on US letter
// paper: header block, a table of identifiers, a paragraph of clinical
// text, a signature line.
func Referral(p Person, dpi int) *Sheet {
	s := NewSheet(8.5, 11, dpi)
	s.Line(72, 72, Style{Size: 14, Bold: true}, "Riverside Community Clinic")
	s.Line(72, 90, Style{Size: 10}, "Outpatient Mental Health Services")
	s.Rule(72, 540, 98, 1)
	s.Line(72, 130, Style{Size: 12, Bold: true}, "Referral for specialist assessment")
	rows := [][2]string{
		{"Patient name:", p.Name()},
		{"Date of birth:", p.DOB},
		{"Record number:", p.MRN},
		{"Telephone:", p.Phone},
		{"Address:", p.Street + ", " + p.City},
		{"Email:", p.Email},
	}
	y := 160.0
	for _, r := range rows {
		s.Line(72, y, Style{Size: 11}, r[0])
		s.Line(200, y, Style{Size: 11}, r[1])
		y += 18
	}
	y += 14
	y = s.Para(72, y, 460, Style{Size: 11}, "Dear colleague,")
	y += 6
	y = s.Para(72, y, 460, Style{Size: 11}, ReferralBody)
	y += 6
	y = s.Para(72, y, 460, Style{Size: 11}, fmt.Sprintf("Please contact %s on the telephone number above to arrange the first appointment.", p.Name()))
	y += 30
	s.Line(72, y, Style{Size: 11}, "Yours sincerely,")
	s.Line(72, y+40, Style{Size: 11}, "Consultant Psychiatrist")
	return s
}

// Declaration draws a half-page signed declaration in two columns: the
// body on the left, the declarant's details on the right.
func Declaration(p Person, dpi int) *Sheet {
	s := NewSheet(8.5, 5.5, dpi)
	s.Line(72, 60, Style{Size: 13, Bold: true}, "Declaration of witness")
	y := s.Para(72, 90, 250, Style{Size: 10}, DeclarationBody)
	s.Line(72, y+20, Style{Size: 10}, "Signed: "+p.Name())
	ry := 90.0
	for _, l := range []string{"Declarant", p.Name(), p.Street, p.City, "Born " + p.DOB, "Tel. " + p.Phone} {
		s.Line(360, ry, Style{Size: 10}, l)
		ry += 14
	}
	return s
}

// Letters of the held-out scans (scripts/scan-eval -heldout): layouts,
// faces and wording that Veil's scan work was not tuned on. Their prose is
// invented, generic and holds no identifier.
const (
	LabRequestBody = "Please perform a full blood count, renal function and thyroid " +
		"function tests. The patient has reported fatigue and weight loss over the past " +
		"two months. Fasting is not required. Results to the requesting clinician."
	IntakeBody = "The client attended the first session on time and was calm and " +
		"cooperative throughout. Goals discussed were sleep, daily structure and a " +
		"gradual return to part time work. A safety plan was agreed and reviewed."
)

// LabRequest draws a laboratory request form at dpi in a typewriter face:
// two columns of labelled fields (the labels left of their values, the
// right column starting mid-page), the request as prose, and a footer
// with the address and email.
func LabRequest(p Person, dpi int) *Sheet {
	s := NewSheet(8.5, 7, dpi)
	st := Style{Size: 10, Face: "mono"}
	s.Line(72, 60, Style{Size: 13, Bold: true}, "Northgate Pathology Laboratory")
	s.Line(72, 78, st, "Request for laboratory investigation")
	s.Rule(72, 540, 86, 1)
	left := [][2]string{{"Surname:", p.Family}, {"Forename:", p.Given}, {"DOB:", p.DOB}}
	right := [][2]string{{"MRN:", p.MRN}, {"Phone:", p.Phone}, {"Ward:", "Day unit"}}
	y := 110.0
	for i := range left {
		s.Line(72, y, st, left[i][0])
		s.Line(150, y, st, left[i][1])
		s.Line(320, y, st, right[i][0])
		s.Line(370, y, st, right[i][1])
		y += 16
	}
	y = s.Para(72, y+18, 460, st, LabRequestBody)
	s.Line(72, y+24, st, "Home address: "+p.Street+", "+p.City)
	s.Line(72, y+40, st, "Results by email to "+p.Email)
	return s
}

// IntakeNote draws a therapist's intake note at dpi in an italic face,
// one column: the identifiers inside sentences rather than in a table.
func IntakeNote(p Person, dpi int) *Sheet {
	s := NewSheet(8.5, 6, dpi)
	st := Style{Size: 11, Face: "italic"}
	s.Line(72, 60, Style{Size: 13, Bold: true, Face: "medium"}, "Initial assessment note")
	y := s.Para(72, 90, 460, st, fmt.Sprintf("Seen today: %s, date of birth %s, record number %s.", p.Name(), p.DOB, p.MRN))
	y = s.Para(72, y+6, 460, st, IntakeBody)
	y = s.Para(72, y+6, 460, st, fmt.Sprintf("%s can be reached on %s or at %s, and lives at %s in %s.", p.Given, p.Phone, p.Email, p.Street, p.City))
	return s
}
