// Package tabletest writes the table fixtures of Veil's tests: an EHR-like
// CSV export with free-text notes, a TSV in Windows-1252, and the people in
// them. Every person, number and place is invented; the output is
// deterministic.
package tabletest

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Patient is an invented person of the fixtures.
type Patient struct {
	Name, DOB, SSN, Phone, MRN string
	// Relative is a family member named in the notes.
	Relative string
}

// Patients are the people of the EHR fixture. Each has several rows.
var Patients = []Patient{
	{"Orsolya Brenneke", "03/14/1961", "219-55-4410", "(503) 555-0182", "MRN-0045127", "Ilse Brenneke"},
	{"Tobiah Quenneville", "11/02/1987", "408-61-3321", "(971) 555-0139", "MRN-0045398", "Marit Quenneville"},
	{"Marisol Achterberg", "07/29/1954", "523-18-9046", "(541) 555-0177", "MRN-0046011", "Bastiaan Achterberg"},
	{"Kwabena Ostrowe", "01/05/1999", "612-40-7783", "(458) 555-0121", "MRN-0046270", "Adwoa Ostrowe"},
}

// Attendings are the clinicians of the EHR fixture.
var Attendings = []string{"Dr. Cornelius Haldane-Pryce", "Dr. Wilhelmina Stroud"}

// visit is one row of the EHR fixture.
type visit struct {
	patient          int
	admit, discharge string
	diagnosis        string
	note             string
}

var visits = []visit{
	{0, "02/03/2024", "02/06/2024", "Community-acquired pneumonia",
		"Pt {name} admitted with fever and productive cough.\nDaughter {rel} present, reachable at {phone}. Plan: IV antibiotics, recheck CXR."},
	{1, "02/11/2024", "02/12/2024", "Asthma exacerbation",
		"{first} reports using rescue inhaler 6x/day; says \"the cold air sets it off\". Spouse {rel} to bring spacer."},
	{0, "03/19/2024", "03/20/2024", "Follow-up, resolved pneumonia",
		"Seen for follow-up; {name} (DOB {dob}) feels well, lungs clear. No further imaging."},
	{2, "04/02/2024", "04/09/2024", "Hip fracture, ORIF",
		"Fall at home; son {rel} found her. SSN on file {ssn}; discuss rehab placement with {rel}, tel {phone}."},
	{3, "04/15/2024", "04/15/2024", "Laceration, left hand",
		"Kitchen knife injury, 3 cm, sutured. {first} works at Lindqvist Bakery, Harrow Street; return for suture removal."},
	{1, "05/06/2024", "05/08/2024", "Asthma exacerbation",
		"Second admission this spring. {name}, {mrn}; Dr. Stroud adjusted controller therapy."},
	{2, "06/21/2024", "06/23/2024", "Post-op wound check",
		"Wound healing well. Patient {first} {last} asks that {rel} be told results; consent recorded."},
	{3, "07/01/2024", "07/02/2024", "Migraine",
		"{name}, 25 y/o, photophobia; aunt {rel} drove him in. Reach at {phone}, or email k.ostrowe@example.net."},
}

// EHRHeader is the header row of the EHR fixture.
var EHRHeader = []string{"Patient ID", "Patient Name", "DOB", "SSN", "Phone", "Admit Date", "Discharge Date", "Attending", "Diagnosis", "Notes"}

// EHRRows returns the records of the EHR fixture, header first.
func EHRRows() [][]string {
	rows := [][]string{EHRHeader}
	for k, v := range visits {
		p := Patients[v.patient]
		first, last, _ := strings.Cut(p.Name, " ")
		note := strings.NewReplacer("{name}", p.Name, "{first}", first, "{last}", last, "{rel}", p.Relative,
			"{phone}", p.Phone, "{dob}", p.DOB, "{ssn}", p.SSN, "{mrn}", p.MRN).Replace(v.note)
		rows = append(rows, []string{p.MRN, p.Name, p.DOB, p.SSN, p.Phone, v.admit, v.discharge,
			Attendings[k%len(Attendings)], v.diagnosis, note})
	}
	return rows
}

// EHRSecrets are the identifying values of the EHR fixture.
func EHRSecrets() []string {
	var s []string
	for _, p := range Patients {
		s = append(s, p.Name, p.DOB, p.SSN, p.Phone, p.MRN, p.Relative)
	}
	return append(s, "Haldane-Pryce", "Wilhelmina Stroud", "k.ostrowe@example.net")
}

// CSV writes records as Excel writes CSV: a field is quoted when it holds
// the delimiter, a quote or a line break; lines end in CRLF (eol).
func CSV(rows [][]string, delim, eol string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(delim)
			}
			if strings.ContainsAny(c, delim+"\"\r\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString(eol)
	}
	return b.String()
}

// EHRCSV is the EHR fixture: a CSV export with a header, CRLF line ends,
// quoted notes with line breaks, commas and quotes in them.
func EHRCSV() []byte { return []byte(CSV(EHRRows(), ",", "\r\n")) }

// WesternRows are the records of the Windows-1252 fixture: names and
// notes with letters outside ASCII, and the euro sign.
var WesternRows = [][]string{
	{"Nom", "Ville", "Téléphone", "Date de visite", "Remarque"},
	{"Aurélie Vandermeersch", "Roubaix", "03 20 55 01 47", "12/02/2024", "Suivi tensionnel; 40 € réglés"},
	{"Søren Ækerlund-Brisard", "Tourcoing", "03 20 55 01 98", "19/02/2024", "Accompagné de sa sœur Maëlys"},
	{"Zoë Pellerin-Gaëtan", "Lille", "03 20 55 01 63", "26/02/2024", "Renouvellement d'ordonnance"},
}

// WesternSecrets are the identifying values of the Windows-1252 fixture.
var WesternSecrets = []string{"Aurélie Vandermeersch", "Søren Ækerlund-Brisard", "Zoë Pellerin-Gaëtan", "Maëlys", "03 20 55 01 47"}

// WesternTSV is the Windows-1252 fixture: tab-separated, LF line ends.
func WesternTSV() []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(CSV(WesternRows, "\t", "\n")))
	if err != nil {
		panic(fmt.Sprintf("tabletest: %v", err))
	}
	return b
}
