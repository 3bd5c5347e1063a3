package profiles

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Action is what a rule does with a finding. The set is closed.
type Action string

// The actions.
const (
	Label     Action = "label"      // replace with a fixed label, "[PERSON]"
	Alias     Action = "alias"      // replace with a per-case alias, "Person A"
	KeepLast  Action = "keep_last"  // keep the last N digits, "XXX-XX-1234", "XXXX1234"
	Year      Action = "year"       // keep only the year of a date
	MonthYear Action = "month_year" // keep month and year of a date
	Age90     Action = "age90"      // ages over 89 become "90+", others stay
	Keep      Action = "keep"       // leave the text as it is
)

type actionSpec struct {
	needsAlias, needsDigits bool
	doc                     string
}

var actions = map[Action]actionSpec{
	Label:     {doc: "replace with label: (default [ENTITY]); never reveals the length of the value"},
	Alias:     {needsAlias: true, doc: "replace with alias: plus a letter per person of the run (Person A, Person B)"},
	KeepLast:  {needsDigits: true, doc: "mask all but the last digits: (XXX-XX-1234 for SSNs, XXXX1234 otherwise)"},
	Year:      {doc: "keep only the year of a date; a date without a year becomes the label"},
	MonthYear: {doc: "keep month and year of a date (March 2021)"},
	Age90:     {doc: "ages over 89 become 90+; younger ages stay"},
	Keep:      {doc: "leave the value in place"},
}

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

// Aliaser hands out aliases. Implementations are safe for concurrent use.
type Aliaser interface {
	// Alias returns the alias of identity under prefix, assigning the next
	// free one on first use ("Person A", then "Person B"...).
	Alias(prefix, identity string) string
}

// Aliases is an in-memory Aliaser: letters are assigned in order of first
// use, per prefix. It links partial names to full names of the same case:
// "sandoval" and "maria sandoval" share an alias when only one full name
// with that word is known, and a second full name with the same word
// ("elena sandoval", a sister) gets an alias of its own.
type Aliases struct {
	mu   sync.Mutex
	next map[string]int
	m    map[string]string // prefix\x00identity -> alias
	// claimedBy maps prefix\x00word of a one-word identity to the
	// multi-word identity that took over its alias.
	claimedBy map[string]string
	// fullByWord maps prefix\x00word to the multi-word identities with it.
	fullByWord map[string][]string
}

// NewAliases returns an empty alias table.
func NewAliases() *Aliases {
	return &Aliases{next: map[string]int{}, m: map[string]string{}, claimedBy: map[string]string{}, fullByWord: map[string][]string{}}
}

// Alias implements Aliaser.
func (a *Aliases) Alias(prefix, identity string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := prefix + "\x00" + identity
	if s, ok := a.m[key]; ok {
		return s
	}
	words := strings.Fields(identity)
	var s string
	if len(words) == 1 {
		// A lone word names the one full name known to hold it.
		wk := prefix + "\x00" + words[0]
		if fulls := a.fullByWord[wk]; len(fulls) == 1 {
			s = a.m[prefix+"\x00"+fulls[0]]
			a.claimedBy[wk] = fulls[0] // the word now means that person
		}
	} else {
		// A full name takes over the alias of a lone word it contains, if
		// no other full name has taken it.
		for _, w := range words {
			wk := prefix + "\x00" + w
			if prev, ok := a.m[wk]; ok && a.claimedBy[wk] == "" && s == "" {
				s = prev
				a.claimedBy[wk] = identity
			}
		}
		for _, w := range words {
			wk := prefix + "\x00" + w
			a.fullByWord[wk] = append(a.fullByWord[wk], identity)
		}
	}
	if s == "" {
		s = prefix + " " + Letters(a.next[prefix])
		a.next[prefix]++
	}
	a.m[key] = s
	return s
}

// Letters returns the spreadsheet-style name of n: 0 -> A, 25 -> Z, 26 -> AA.
func Letters(n int) string {
	s := ""
	for n >= 0 {
		s = string(rune('A'+n%26)) + s
		n = n/26 - 1
	}
	return s
}

// Replace returns the replacement for value under rule r, and false when the
// value stays as it is. identity groups values that name the same person (see
// Identity); a is consulted by the alias action.
func (r Rule) Replace(value, identity string, a Aliaser) (string, bool) {
	switch r.Action {
	case Keep:
		return "", false
	case Label:
		return r.label(), true
	case Alias:
		if identity == "" {
			identity = Identity(value)
		}
		return a.Alias(r.Alias, identity), true
	case KeepLast:
		return keepLast(value, r.Digits), true
	case Year:
		if d := ParseDate(value); d.Year != 0 {
			return strconv.Itoa(d.Year), true
		}
		return r.label(), true
	case MonthYear:
		d := ParseDate(value)
		switch {
		case d.Month != 0 && d.Year != 0:
			return monthNames[d.Month-1] + " " + strconv.Itoa(d.Year), true
		case d.Year != 0:
			return strconv.Itoa(d.Year), true
		case d.Month != 0:
			return monthNames[d.Month-1], true
		}
		return r.label(), true
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
// aliases.
func (r Rule) Changes(value string) bool {
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

var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true,
	"professor": true, "doctor": true, "judge": true, "justice": true, "rev": true, "sir": true,
	"dame": true, "nurse": true, "officer": true, "det": true, "detective": true, "sgt": true, "hon": true,
}

// Identity normalises a name so that spellings of one name compare equal:
// lower case, titles and possessive 's dropped, punctuation and runs of
// spaces folded ("Mr. John  Smith's" and "JOHN SMITH" give "john smith").
func Identity(value string) string {
	f := strings.FieldsFunc(strings.ToLower(value), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-')
	})
	var out []string
	for _, w := range f {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		w = strings.Trim(w, "'’-")
		if w == "" || titles[w] {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
