package profiles

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
)

// LogText is how the redaction log words a rule: the kind of information
// redacted ("Social Security number", "Name of a minor", "Privileged") and
// what was done with it ("last four digits shown", "initials shown",
// "attorney-client communication"). The log prints them with the rule's
// basis: "Social Security number — last four digits shown (Fed. R. Civ.
// P. 5.2(a)(1))". The other side reads it: it speaks the reader's
// language, not Veil's (no entity or action codes), and it never says how
// a term came to be redacted (no "deny list").
type LogText struct {
	Category string `yaml:"category"`
	Reason   string `yaml:"reason"`
}

// IsZero reports whether neither field is set (yaml omitempty).
func (l LogText) IsZero() bool { return l.Category == "" && l.Reason == "" }

// String joins the two as the log shows them: "Category — reason".
func (l LogText) String() string {
	if l.Reason == "" {
		return l.Category
	}
	return l.Category + " — " + l.Reason
}

// maxLogText bounds each field: a log cell, not a paragraph.
const maxLogText = 120

// internalCode matches the words of Veil's own vocabulary that a log must
// not show: entity codes (CUSTOM_TERM, SSN written as a code is fine as an
// abbreviation, but MEDICAL_RECORD_NUMBER is not) and action codes
// (keep_last, city_state).
var internalCode = regexp.MustCompile(`\b[A-Za-z]+_[A-Za-z_]+\b`)

func (l LogText) validate() error {
	if l.IsZero() {
		return nil
	}
	if l.Category == "" || l.Reason == "" {
		return errors.New("log: needs category: and reason: (what was redacted, what was done)")
	}
	if err := checkLogWords("log: category", l.Category); err != nil {
		return err
	}
	return checkLogWords("log: reason", l.Reason)
}

// checkLogWords checks a text meant for the redaction or privilege log.
func checkLogWords(field, s string) error {
	if s == "" {
		return nil
	}
	switch {
	case len(s) > maxLogText:
		return fmt.Errorf("%s: longer than %d bytes", field, maxLogText)
	case !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n\t"):
		return fmt.Errorf("%s: one line of text", field)
	case internalCode.MatchString(s):
		return fmt.Errorf("%s: %q is a code, not words a reader knows", field, internalCode.FindString(s))
	case strings.Contains(strings.ToLower(s), "deny list") || strings.Contains(strings.ToLower(s), "deny-list"):
		return fmt.Errorf("%s: must not say how terms were chosen (deny list)", field)
	}
	return nil
}

// LogText returns the rule's wording for the redaction log: its log:
// fields, or words made from the entity (or role) and the action.
func (r Rule) LogText() LogText {
	if !r.Log.IsZero() {
		return r.Log
	}
	cat := EntityCategory(r.Entity)
	switch r.Role {
	case Minor:
		cat = "Name of a minor"
	case Client:
		cat = "Name of the client"
	}
	return LogText{Category: cat, Reason: r.actionWords()}
}

// actionWords says what the rule's action leaves in the text.
func (r Rule) actionWords() string {
	switch r.Action {
	case Label:
		return "withheld"
	case Drop:
		return "removed"
	case Alias:
		return "replaced by an alias"
	case Pseudonym:
		return "replaced by a pseudonym"
	case KeepLast:
		if r.Digits == 4 {
			return "last four digits shown"
		}
		return "last " + strconv.Itoa(r.Digits) + " digits shown"
	case Initials:
		return "initials shown"
	case Year:
		return "year shown"
	case MonthYear:
		return "month and year shown"
	case DateShift:
		return "date shifted"
	case ZIP3:
		return "first three digits shown"
	case Age90:
		return "ages over 89 shown as 90+"
	case CityState:
		return "city and state shown"
	}
	return "kept"
}

// entityCategories names each entity in the words of a log.
var entityCategories = map[ner.Entity]string{
	ner.Person:       "Name",
	ner.Location:     "Place",
	ner.Address:      "Street address",
	ner.ZIP:          "Postal code",
	ner.Organization: "Organization",
	ner.Date:         "Date",
	ner.BirthDate:    "Date of birth",
	ner.Age:          "Age",
	ner.Phone:        "Telephone number",
	ner.Fax:          "Fax number",
	ner.Email:        "Email address",
	ner.SSN:          "Social Security number",
	ner.TIN:          "Taxpayer identification number",
	ner.CreditCard:   "Payment card number",
	ner.IBAN:         "Bank account number (IBAN)",
	ner.Account:      "Financial account number",
	ner.Routing:      "Bank routing number",
	ner.MRN:          "Medical record number",
	ner.HealthPlan:   "Health plan number",
	ner.CaseNumber:   "Case or claim number",
	ner.License:      "Certificate or license number",
	ner.Vehicle:      "Vehicle identifier",
	ner.Device:       "Device identifier",
	ner.NationalID:   "National identity number",
	ner.Passport:     "Passport number",
	ner.URL:          "Web address",
	ner.IP:           "IP address",
	ner.ID:           "Identifying number",
	ner.Custom:       "Withheld information",
	ner.Demographic:  "Personal characteristic",
	ner.Other:        "Identifying word or number",
}

// EntityCategory names entity e in the words of a log ("Social Security
// number").
func EntityCategory(e ner.Entity) string {
	if c, ok := entityCategories[e]; ok {
		return c
	}
	return "Identifying information"
}

// Privilege is a privilege or protection that a list's basis can name.
type Privilege struct {
	// Name is what the privilege log writes under "privilege asserted".
	Name string `yaml:"name"`
	// Reason is what the redaction log writes after "Privileged —".
	Reason string `yaml:"reason"`
	// Words, any of which in a basis names this privilege (case-folded).
	Words []string `yaml:"words,flow"`
}

//go:embed privileges.yaml
var privilegesYAML []byte

// privileges are the privileges Veil recognises in a basis, most specific
// first; the last one, with the bare word "privilege", is the catch-all.
var privileges = mustPrivileges(privilegesYAML)

func mustPrivileges(b []byte) []Privilege {
	var ps []Privilege
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&ps); err != nil {
		panic("profiles: privileges.yaml: " + err.Error())
	}
	for _, p := range ps {
		if p.Reason == "" || len(p.Words) == 0 {
			panic("profiles: privileges.yaml: every entry needs reason and words")
		}
		if checkLogWords("name", p.Name) != nil || checkLogWords("reason", p.Reason) != nil {
			panic("profiles: privileges.yaml: " + p.Reason + ": not log text")
		}
	}
	return ps
}

// PrivilegeIn returns the privilege that text (a basis, a label) names, if
// it names one. A text that says "privilege" without naming which gives
// the catch-all, whose Name is empty: the privilege log leaves it for the
// paralegal to complete.
func PrivilegeIn(text string) (Privilege, bool) {
	t := strings.ToLower(text)
	for _, p := range privileges {
		for _, w := range p.Words {
			if containsWord(t, w) {
				return p, true
			}
		}
	}
	return Privilege{}, false
}

// containsWord reports whether w occurs in t not inside a longer word.
func containsWord(t, w string) bool {
	for i := 0; ; {
		k := strings.Index(t[i:], w)
		if k < 0 {
			return false
		}
		s, e := i+k, i+k+len(w)
		before, _ := utf8.DecodeLastRuneInString(t[:s])
		after, _ := utf8.DecodeRuneInString(t[e:])
		if (s == 0 || !unicode.IsLetter(before)) && (e == len(t) || !unicode.IsLetter(after)) {
			return true
		}
		i = s + 1
	}
}

// ForTermList returns the rule for the terms of list l (a deny list with
// its own directives; ner.TermList): l's label replaces a label rule's,
// l's basis the rule's, and the log wording and privilege follow what the
// list says of itself:
//
//   - a list that names a privilege (# privilege:, or a basis or label
//     that names one: "Attorney-client privilege", "work product") is
//     privileged: category "Privileged", the privilege's plain reason;
//   - a list with a basis of its own that names none is not privileged,
//     whatever the rule says: its category comes from its label
//     ("REDACTED – CONFIDENTIAL" gives "Confidential");
//   - # category: and # description: set the log's words outright;
//   - a list that says nothing of itself is the rule's.
//
// The log never learns that the terms came from a list.
func (r Rule) ForTermList(l ner.TermList) Rule {
	if l.Label != "" && r.Action == Label {
		r.Label = l.Label
	}
	if l.Basis != "" {
		r.Basis = l.Basis
	}
	own := l.Basis != "" || l.Privilege != "" || l.Category != "" || l.Description != "" || l.Label != ""
	if !own {
		return r
	}
	log := r.LogText()
	priv, named := Privilege{}, false
	for _, t := range []string{l.Privilege, l.Basis, l.Label} {
		if p, ok := PrivilegeIn(t); ok {
			priv, named = p, true
			break
		}
	}
	switch {
	case named:
		r.Privileged, r.Privilege = true, priv.Name
		if r.Privilege == "" {
			r.Privilege = l.Privilege // "" when only the basis says "privileged"
		}
		log = LogText{Category: "Privileged", Reason: priv.Reason}
	case l.Privilege != "":
		// A privilege Veil does not know by name: asserted as written.
		r.Privileged, r.Privilege = true, l.Privilege
		log = LogText{Category: "Privileged", Reason: "privileged material"}
	case l.Basis != "" || labelCategory(l.Label) != "":
		// The list gives its own ground, and it is not a privilege.
		r.Privileged, r.Privilege = false, ""
		log = LogText{Category: labelCategory(l.Label), Reason: "withheld"}
	}
	if log.Category == "" {
		log.Category = r.LogText().Category
	}
	if l.Category != "" {
		log.Category = l.Category
	}
	if l.Description != "" {
		log.Reason = l.Description
	}
	r.Log = log
	return r
}

// labelCategory makes a log category of a label: "REDACTED – CONFIDENTIAL"
// gives "Confidential", "[TRADE SECRET]" "Trade secret"; "" when the label
// says nothing but "redacted".
func labelCategory(label string) string {
	s := strings.Trim(label, "[]() ")
	for _, sep := range []string{"–", "—", "-", ":"} {
		if head, tail, ok := strings.Cut(s, sep); ok && strings.EqualFold(strings.TrimSpace(head), "redacted") {
			s = tail
			break
		}
	}
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "redacted") || internalCode.MatchString(s) || len(s) > maxLogText {
		return ""
	}
	s = strings.ToLower(s)
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
