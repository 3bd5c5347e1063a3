package profiles

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// Action is what a rule does with a finding. The set is closed.
type Action string

// The actions.
const (
	Label     Action = "label"      // replace with a fixed label, "[PERSON]"
	Alias     Action = "alias"      // replace with a per-case alias, "Client A", "Person B"
	Pseudonym Action = "pseudonym"  // replace with a keyed token, "PERSON-7f3a9c01"
	KeepLast  Action = "keep_last"  // keep the last N digits, "XXX-XX-1234", "XXXX1234"
	Initials  Action = "initials"   // the person's initials, "J.K."
	Year      Action = "year"       // keep only the year of a date
	MonthYear Action = "month_year" // keep month and year of a date
	DateShift Action = "date_shift" // move the date by a keyed per-person offset
	ZIP3      Action = "zip3"       // first three digits of a ZIP code, or 000
	Age90     Action = "age90"      // ages over 89 become "90+", others stay
	CityState Action = "city_state" // of an address, keep only city and state
	Drop      Action = "drop"       // remove the value
	Keep      Action = "keep"       // leave the text as it is
)

// Role is a part a person plays in a document that a profile may treat
// differently from other people.
type Role string

// The roles.
const (
	// Client is the person the document is about: "Client: …", "Patient |
	// …", "I am referring …". Dates of a document shift by its client's
	// offset (date_shift).
	Client Role = "client"
	// Minor is a person known to be a minor: "a minor", "aged 16", "a
	// 12-year-old", "born 2015" (relative to the reference year), or named
	// in a --minors list.
	Minor Role = "minor"
)

// Roles lists the roles, in the order a profile's role rules are checked
// when it does not say otherwise.
func Roles() []Role { return []Role{Minor, Client} }

type actionSpec struct {
	needsAlias, needsDigits, usesKey, person bool
	entities                                 []ner.Entity // nil: any
	doc                                      string
}

var actions = map[Action]actionSpec{
	Label:     {doc: "replace with label: (default [ENTITY]); never reveals the length of the value"},
	Alias:     {needsAlias: true, person: true, doc: "replace with alias: plus a letter per person of the case (Client A, Person B); kept across runs with --mapping"},
	Pseudonym: {usesKey: true, person: true, doc: "replace with a keyed token, prefix: plus 8 hex digits (PERSON-7f3a9c01); the same in every run with the same --key-file"},
	KeepLast:  {needsDigits: true, doc: "mask all but the last digits: (XXX-XX-1234 for SSNs, XXXX1234 otherwise)"},
	Initials:  {person: true, entities: []ner.Entity{ner.Person}, doc: "the person's initials (J.K.), the same for every spelling of the name"},
	Year:      {entities: dateEntities, doc: "keep only the year of a date; a date without a year becomes the label"},
	MonthYear: {entities: dateEntities, doc: "keep month and year of a date (March 2021)"},
	DateShift: {usesKey: true, entities: dateEntities, doc: "move the date by a per-person number of days (up to max_days:, default 365) derived from --key-file; intervals are kept"},
	ZIP3:      {entities: []ner.Entity{ner.ZIP}, doc: "keep the first three digits of a ZIP code; 000 for the prefixes in restricted:"},
	Age90:     {entities: []ner.Entity{ner.Age}, doc: "ages over 89 become 90+; younger ages stay"},
	CityState: {entities: []ner.Entity{ner.Address}, doc: "of a street address keep only the city and state that follow it (Fed. R. Crim. P. 49.1(a)(5)); street, unit and ZIP go"},
	Drop:      {doc: "remove the value"},
	Keep:      {doc: "leave the value in place"},
}

var dateEntities = []ner.Entity{ner.Date, ner.BirthDate}

// Actions lists every action with a one-line description.
func Actions() map[Action]string {
	out := map[Action]string{}
	for a, s := range actions {
		out[a] = s.doc
	}
	return out
}

func actionList() string {
	var s []string
	for a := range actions {
		s = append(s, string(a))
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// UsesKey reports whether the action needs a key (--key-file).
func (a Action) UsesKey() bool { return actions[a].usesKey }

// Env is what actions need beyond the value itself. One Env serves one
// document; its Case is shared by every document of the run.
type Env struct {
	// Case links spellings to people and holds aliases; nil means a table
	// for this call only.
	Case *Case
	// Keys are needed by pseudonym and date_shift; without them those
	// actions fall back to the label (the engine refuses to start a profile
	// that needs a key without one).
	Keys *Keys
	// Year is the reference year for ages implied by birth dates and for
	// minors; 0 means the current year.
	Year int
	// Subject is the canonical identity whose offset date_shift applies
	// (the document's client); "" uses one offset for the whole case.
	Subject string
}

// RefYear returns the reference year.
func (e *Env) RefYear() int {
	if e != nil && e.Year != 0 {
		return e.Year
	}
	return time.Now().Year()
}

func (e *Env) table() *Case {
	if e == nil || e.Case == nil {
		return NewCase()
	}
	return e.Case
}

// Over89 is the replacement of a birth date that implies an age over 89
// (45 CFR 164.514(b)(2)(i)(C): such dates, year included, are aggregated).
const Over89 = "[90 or older]"

// Replace returns the replacement for value under rule r, and false when the
// value stays as it is. identity is the normalised value that links it to a
// person (Identity(value) when empty).
func (r Rule) Replace(value, identity string, env *Env) (string, bool) {
	spec := actions[r.Action]
	if spec.person {
		if identity == "" {
			identity = Identity(value)
		}
		if identity == "" {
			return r.label(), true
		}
	}
	switch r.Action {
	case Keep:
		return "", false
	}
	if r.KeepStates && IsState(value) {
		return "", false
	}
	switch r.Action {
	case Label, CityState: // city_state without the text around it (file names)
		return r.label(), true
	case Drop:
		return "", true
	case Alias:
		c := env.table()
		return c.Alias(c.Link(string(r.Entity), identity), r.Alias), true
	case Pseudonym:
		if env == nil || env.Keys == nil {
			return r.label(), true
		}
		c := env.table()
		return c.Pseudonym(c.Link(string(r.Entity), identity), r.prefix(), env.Keys), true
	case Initials:
		c := env.table()
		if s := c.NameInitials(c.Link(string(r.Entity), identity)); s != "" {
			return s, true
		}
		return r.label(), true
	case KeepLast:
		return keepLast(value, r.Digits), true
	case Year, MonthYear, DateShift:
		d := ParseDate(value)
		if r.AggregateOver89 && r.Entity == ner.BirthDate && d.Year != 0 && env.RefYear()-d.Year > 89 {
			return Over89, true
		}
		switch r.Action {
		case Year:
			if d.Year != 0 {
				return strconv.Itoa(d.Year), true
			}
		case MonthYear:
			switch {
			case d.Month != 0 && d.Year != 0:
				return monthNames[d.Month-1] + " " + strconv.Itoa(d.Year), true
			case d.Year != 0:
				return strconv.Itoa(d.Year), true
			case d.Month != 0:
				return monthNames[d.Month-1], true
			}
		case DateShift:
			if env != nil && env.Keys != nil {
				if s, ok := ShiftDate(value, env.Keys.ShiftDays(env.Subject, r.maxDays())); ok {
					return s, true
				}
			}
		}
		return r.label(), true
	case ZIP3:
		return zip3(value, r.Restricted, r.label()), true
	case Age90:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return r.label(), true
		}
		if n > 89 {
			return "90+", true
		}
		return "", false
	}
	panic(fmt.Sprintf("profiles: unvalidated action %q", r.Action)) // validate() rejects unknown actions
}

// Changes reports whether Replace would change value, without handing out
// aliases or tokens.
func (r Rule) Changes(value string) bool {
	if r.KeepStates && IsState(value) {
		return false
	}
	switch r.Action {
	case Keep:
		return false
	case Age90:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		return err != nil || n > 89
	}
	return true
}

func (r Rule) label() string {
	if r.Label != "" {
		return r.Label
	}
	return "[" + string(r.Entity) + "]"
}

func (r Rule) prefix() string {
	if r.Prefix != "" {
		return r.Prefix
	}
	return string(r.Entity)
}

// DefaultMaxDays is the largest date shift when a rule does not set max_days.
const DefaultMaxDays = 365

func (r Rule) maxDays() int {
	if r.MaxDays > 0 {
		return r.MaxDays
	}
	return DefaultMaxDays
}

// RestrictedZIP3 are the three-digit ZIP prefixes whose areas held 20,000
// people or fewer in the 2000 census, as published with the HIPAA Safe
// Harbor guidance; profiles may hold a newer list (restricted:).
var RestrictedZIP3 = []string{"036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893"}

// zip3 keeps the first three digits of a ZIP code, or 000 when they are in
// restricted. A value that is not a ZIP code becomes label.
func zip3(value string, restricted []string, label string) string {
	v := strings.TrimSpace(value)
	if len(v) < 5 || !isDigits(v[:5]) || (len(v) > 5 && !(len(v) == 10 && v[5] == '-' && isDigits(v[6:]))) {
		return label
	}
	p := v[:3]
	for _, r := range restricted {
		if r == p {
			return "000"
		}
	}
	return p
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var ssnShape = regexp.MustCompile(`^[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}$`)

// keepLast masks a number but its last n digits. SSN-shaped values keep the
// SSN layout (XXX-XX-1234, as FRCP 5.2 shows it); anything else becomes
// XXXX plus the kept digits, so the length of the original is not revealed.
func keepLast(value string, n int) string {
	var ds []rune
	for _, r := range value {
		if unicode.IsDigit(r) || unicode.IsLetter(r) {
			ds = append(ds, r)
		}
	}
	if len(ds) <= n {
		return strings.Repeat("X", 4) // too short to keep anything safely
	}
	tail := string(ds[len(ds)-n:])
	if ssnShape.MatchString(strings.TrimSpace(value)) && n == 4 {
		return "XXX-XX-" + tail
	}
	return "XXXX" + tail
}

// Titles are words that may precede a name. The courtesy titles (Mr, Mrs,
// Ms, Miss, Mx, and their kin in other languages) do not identify, nor do
// the care titles (Dr, Nurse), held by so many of the people a clinical
// record names that they say no more than the role; the others name a
// rank or office (Judge, Rev, Senator), which in a small case can point to
// one person.
var titles = func() map[string]bool {
	plain := lexicon.MustSet("courtesy-titles", "care-titles")
	m := map[string]bool{}
	for _, w := range lexicon.MustSet("titles").Words() {
		m[strings.ToLower(w)] = !plain.Has(w)
	}
	return m
}()

// IsTitle reports whether w (any case, with or without a full stop) is a
// title, and whether it identifies (anything but the courtesy titles Mr,
// Mrs, Ms, Miss, Mx and the care titles Dr, Doctor, Nurse).
func IsTitle(w string) (title, identifies bool) {
	identifies, title = titles[strings.TrimSuffix(strings.ToLower(w), ".")]
	return title, identifies
}

// Identity normalises a name so that spellings of one name compare equal:
// lower case, titles and possessive 's dropped, punctuation and runs of
// spaces folded ("Mr. John  Smith's" and "JOHN SMITH" give "john smith").
func Identity(value string) string {
	f := strings.FieldsFunc(strings.ToLower(value), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' || r == '-')
	})
	var out []string
	for _, w := range f {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		w = strings.Trim(w, "'’-")
		if _, isTitle := titles[w]; w == "" || isTitle {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
