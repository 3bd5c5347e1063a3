package profiles

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/veilhq/veil/ner"
)

// LabelStyle is the one style of a profile's labels: a reader of the
// output sees "[place]" beside "[medical record number]", never beside
// "[MEDICAL_RECORD_NUMBER]".
type LabelStyle string

// The label styles.
const (
	LabelsUpper LabelStyle = "upper"
	LabelsLower LabelStyle = "lower"
)

// checkStyle refuses a rule whose label is not in the profile's own style.
func (p *Profile) checkStyle(where string, r Rule) error {
	if !p.ownStyle {
		if err := p.LabelStyle.check(where, Rule{}); err != nil {
			return err // an unknown style, inherited or not
		}
		return nil
	}
	return p.LabelStyle.check(where, r)
}

// check refuses a rule whose label is not in style s: upper, no lower-case
// letter; lower, lower-case words with acronyms of up to five capitals
// ("[IP address]"), or an acronym label ("[SSN]").
func (s LabelStyle) check(where string, r Rule) error {
	switch s {
	case "":
		return nil
	case LabelsUpper:
		if r.Label != strings.ToUpper(r.Label) {
			return fmt.Errorf("%s: label %q is not upper case, the profile's label_style", where, r.Label)
		}
	case LabelsLower:
		lower := false
		for _, w := range strings.FieldsFunc(r.Label, func(c rune) bool { return !unicode.IsLetter(c) }) {
			switch {
			case w == strings.ToLower(w):
				lower = true
			case w != strings.ToUpper(w) || len([]rune(w)) > 5:
				return fmt.Errorf("%s: label %q is not lower case, the profile's label_style", where, r.Label)
			}
		}
		if !lower && r.Label != "" && !acronymLabel(r.Label) {
			return fmt.Errorf("%s: label %q is not lower case, the profile's label_style", where, r.Label)
		}
	default:
		return fmt.Errorf("label_style: %q is not upper or lower", string(s))
	}
	return nil
}

// acronymLabel reports whether label is the made label of an entity whose
// name is an acronym ("[SSN]"), the same in both styles.
func acronymLabel(label string) bool {
	for _, n := range labelNames {
		if label == "["+n+"]" && n == strings.ToUpper(n) {
			return true
		}
	}
	return false
}

// labelNames are the words of the labels a styled profile makes for
// entities whose rule gives none: short, acronyms in capitals.
var labelNames = map[ner.Entity]string{
	ner.Person: "name", ner.Location: "place", ner.Address: "address", ner.ZIP: "ZIP code",
	ner.Organization: "organization", ner.Date: "date", ner.BirthDate: "date of birth", ner.Age: "age",
	ner.Phone: "phone", ner.Fax: "fax", ner.Email: "email", ner.SSN: "SSN", ner.TIN: "tax ID",
	ner.CreditCard: "card number", ner.IBAN: "IBAN", ner.Account: "account number", ner.Routing: "routing number",
	ner.MRN: "medical record number", ner.HealthPlan: "health plan number", ner.CaseNumber: "case number",
	ner.License: "license number", ner.Vehicle: "vehicle ID", ner.Device: "device ID",
	ner.NationalID: "national ID", ner.Passport: "passport number", ner.URL: "URL", ner.IP: "IP address",
	ner.ID: "ID number", ner.Custom: "redacted", ner.Demographic: "characteristic", ner.Other: "redacted",
}

// fill gives a rule without a label the label of its entity in style s:
// "[SSN]", "[MEDICAL RECORD NUMBER]", "[medical record number]". Rules
// that keep or drop write no label.
func (s LabelStyle) fill(r *Rule) {
	if s == "" || r.Label != "" || r.Action == Keep || r.Action == Drop || r.Entity == "" {
		return
	}
	name, ok := labelNames[r.Entity]
	if !ok {
		name = "redacted"
	}
	if s == LabelsUpper {
		name = strings.ToUpper(name)
	}
	r.Label = "[" + name + "]"
}
