package profiles

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func testKeys(t testing.TB, secret string) *Keys {
	t.Helper()
	k, err := NewKeys([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestReplace(t *testing.T) {
	keys := testKeys(t, "0123456789abcdef0123456789abcdef")
	cases := []struct {
		name  string
		rule  Rule
		value string
		want  string
		keep  bool
	}{
		{"label default", Rule{Entity: ner.Person, Action: Label}, "Maria", "[PERSON]", false},
		{"label custom, no length", Rule{Entity: ner.Email, Action: Label, Label: "[email]"}, "a.very.long.address@example.org", "[email]", false},
		{"label one letter", Rule{Entity: ner.Person, Action: Label}, "J", "[PERSON]", false},
		{"keep", Rule{Action: Keep}, "anything", "", true},
		{"drop", Rule{Entity: ner.Email, Action: Drop}, "x@example.org", "", false},
		{"ssn last four", Rule{Action: KeepLast, Digits: 4}, "123-45-6789", "XXX-XX-6789", false},
		{"ssn spaced", Rule{Action: KeepLast, Digits: 4}, "123 45 6789", "XXX-XX-6789", false},
		{"card last four hides length", Rule{Action: KeepLast, Digits: 4}, "4111 1111 1111 1111", "XXXX1111", false},
		{"iban", Rule{Action: KeepLast, Digits: 4}, "GB82 WEST 1234 5698 7654 32", "XXXX5432", false},
		{"ein", Rule{Action: KeepLast, Digits: 4}, "93-1234567", "XXXX4567", false},
		{"too short to keep", Rule{Action: KeepLast, Digits: 4}, "1234", "XXXX", false},
		{"last two", Rule{Action: KeepLast, Digits: 2}, "00482913", "XXXX13", false},
		{"year numeric", Rule{Action: Year}, "02/17/1951", "1951", false},
		{"year two digits", Rule{Action: Year}, "3/4/98", "1998", false},
		{"year text", Rule{Action: Year}, "March 3, 1987", "1987", false},
		{"year iso", Rule{Action: Year}, "1953-06-21", "1953", false},
		{"year missing", Rule{Entity: ner.Date, Action: Year}, "5/13", "[DATE]", false},
		{"birth year over 89", Rule{Entity: ner.BirthDate, Action: Year, AggregateOver89: true}, "1931-11-02", Over89, false},
		{"birth year 89 at most", Rule{Entity: ner.BirthDate, Action: Year, AggregateOver89: true}, "1936-01-01", "1936", false},
		{"birth year over 89, not aggregated", Rule{Entity: ner.BirthDate, Action: Year}, "1931-11-02", "1931", false},
		{"other dates never aggregated", Rule{Entity: ner.Date, Action: Year, AggregateOver89: true}, "1931-11-02", "1931", false},
		{"month year over 89", Rule{Entity: ner.BirthDate, Action: MonthYear, AggregateOver89: true}, "June 1, 1930", Over89, false},
		{"month year numeric", Rule{Action: MonthYear}, "02/17/2021", "February 2021", false},
		{"month year day first", Rule{Action: MonthYear}, "31.12.2020", "December 2020", false},
		{"month year text", Rule{Action: MonthYear}, "Sept. 14th 2021", "September 2021", false},
		{"month only", Rule{Action: MonthYear}, "March 3rd", "March", false},
		{"month year slash no year", Rule{Action: MonthYear}, "5/13", "May", false},
		{"age 93", Rule{Action: Age90}, "93", "90+", false},
		{"age 90", Rule{Action: Age90}, "90", "90+", false},
		{"age 89 stays", Rule{Action: Age90}, "89", "", true},
		{"age 0 stays", Rule{Action: Age90}, "0", "", true},
		{"age unreadable", Rule{Entity: ner.Age, Action: Age90}, "x", "[AGE]", false},
		{"zip3", Rule{Entity: ner.ZIP, Action: ZIP3, Restricted: RestrictedZIP3}, "97214", "972", false},
		{"zip3 plus four", Rule{Entity: ner.ZIP, Action: ZIP3, Restricted: RestrictedZIP3}, "97214-1234", "972", false},
		{"zip3 restricted", Rule{Entity: ner.ZIP, Action: ZIP3, Restricted: RestrictedZIP3}, "03601", "000", false},
		{"zip3 user list", Rule{Entity: ner.ZIP, Action: ZIP3, Restricted: []string{"972"}}, "97214", "000", false},
		{"zip3 empty list", Rule{Entity: ner.ZIP, Action: ZIP3}, "03601", "036", false},
		{"zip3 not a zip", Rule{Entity: ner.ZIP, Action: ZIP3}, "9721", "[ZIP]", false},
		{"zip3 letters", Rule{Entity: ner.ZIP, Action: ZIP3}, "SW1A 1AA", "[ZIP]", false},
		{"city_state alone is the label", Rule{Entity: ner.Address, Action: CityState}, "87 Willow Creek Road", "[ADDRESS]", false},
		{"state kept", Rule{Entity: ner.Location, Action: Label, KeepStates: true}, "Oregon", "", true},
		{"state abbreviation kept", Rule{Entity: ner.Location, Action: Label, KeepStates: true}, "OR", "", true},
		{"city not kept", Rule{Entity: ner.Location, Action: Label, KeepStates: true}, "Portland", "[LOCATION]", false},
		{"initials", Rule{Entity: ner.Person, Action: Initials}, "Margaret Ellison", "M.E.", false},
		{"initials unicode", Rule{Entity: ner.Person, Action: Initials}, "Łukasz Żółć", "Ł.Ż.", false},
		{"initials hyphen and apostrophe", Rule{Entity: ner.Person, Action: Initials}, "Anne-Marie O'Neill", "A.-M.O.", false},
		{"initials title dropped", Rule{Entity: ner.Person, Action: Initials}, "Dr. Walter J. Brennan", "W.J.B.", false},
		{"initials one letter", Rule{Entity: ner.Person, Action: Initials}, "J", "J.", false},
		{"initials only a title", Rule{Entity: ner.Person, Action: Initials}, "Mr.", "[PERSON]", false},
		{"pseudonym", Rule{Entity: ner.Person, Action: Pseudonym, Prefix: "PERSON"}, "John Smith", keys.Pseudonym("PERSON", "PERSON", "john smith"), false},
		{"pseudonym default prefix", Rule{Entity: ner.MRN, Action: Pseudonym}, "00482913", keys.Pseudonym("MEDICAL_RECORD_NUMBER", "MEDICAL_RECORD_NUMBER", "00482913"), false},
		{"date shift needs a full date", Rule{Entity: ner.Date, Action: DateShift}, "March 2024", "[DATE]", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.rule.Changes(c.value) == c.keep {
				t.Fatalf("Changes(%q) = %v", c.value, !c.keep)
			}
			got, changed := c.rule.Replace(c.value, "", &Env{Case: NewCase(), Keys: keys, Year: 2025})
			if changed == c.keep || got != c.want {
				t.Fatalf("Replace(%q) = %q, %v; want %q, changed=%v", c.value, got, changed, c.want, !c.keep)
			}
		})
	}
}

// Labels and keyed tokens never reveal the length of the value.
func TestReplacementHidesLength(t *testing.T) {
	keys := testKeys(t, "0123456789abcdef0123456789abcdef")
	for _, r := range []Rule{
		{Entity: ner.Person, Action: Label},
		{Entity: ner.Person, Action: Pseudonym},
		{Entity: ner.Account, Action: KeepLast, Digits: 4},
	} {
		a, _ := r.Replace("Al Li 123456", "", &Env{Keys: keys})
		b, _ := r.Replace("Bartholomew Wolfeschlegelsteinhausen 12345678901234", "", &Env{Keys: keys})
		if len(a) != len(b) {
			t.Errorf("%s: %q and %q differ in length", r.Action, a, b)
		}
	}
}

func TestPseudonymWithoutKeyIsTheLabel(t *testing.T) {
	r := Rule{Entity: ner.Person, Action: Pseudonym}
	for _, env := range []*Env{nil, {}} {
		if got, _ := r.Replace("John Smith", "", env); got != "[PERSON]" {
			t.Fatalf("got %q", got)
		}
	}
}

// One person written five ways, with and without titles, case, spacing,
// possessive and word order, gets one alias, one pseudonym and one set of
// initials.
func TestSamePersonFiveWays(t *testing.T) {
	keys := testKeys(t, "0123456789abcdef0123456789abcdef")
	spellings := []string{"Walter J. Brennan", "Mr. Brennan", "WALTER BRENNAN", "Brennan, Walter", "walter  brennan's"}
	for _, r := range []Rule{
		{Entity: ner.Person, Action: Alias, Alias: "Person"},
		{Entity: ner.Person, Action: Pseudonym, Prefix: "PERSON"},
		{Entity: ner.Person, Action: Initials},
	} {
		env := &Env{Case: NewCase(), Keys: keys}
		var got []string
		for _, v := range spellings {
			s, _ := r.Replace(v, "", env)
			got = append(got, s)
		}
		for _, s := range got {
			if s != got[0] {
				t.Errorf("%s: %v", r.Action, got)
				break
			}
		}
		if r.Action == Initials && got[0] != "W.J.B." {
			t.Errorf("initials %v", got)
		}
	}
	// A pseudonym does not depend on the order the case saw the spellings.
	r := Rule{Entity: ner.Person, Action: Pseudonym, Prefix: "PERSON"}
	a, _ := r.Replace("Brennan, Walter", "", &Env{Case: NewCase(), Keys: keys})
	b, _ := r.Replace("Walter Brennan", "", &Env{Case: NewCase(), Keys: keys})
	if a != b || !strings.HasPrefix(a, "PERSON-") || len(a) != len("PERSON-")+PseudonymLen {
		t.Fatalf("%q vs %q", a, b)
	}
	// A different key, a different token; a different person, too.
	c, _ := r.Replace("Walter Brennan", "", &Env{Keys: testKeys(t, "another key, at least 16 bytes")})
	d, _ := r.Replace("Anne Kowalczyk", "", &Env{Keys: keys})
	if c == a || d == a {
		t.Fatalf("tokens collide: %s %s %s", a, c, d)
	}
}

func TestAliasLetters(t *testing.T) {
	env := &Env{Case: NewCase()}
	person := Rule{Entity: ner.Person, Action: Alias, Alias: "Person"}
	client := Rule{Entity: ner.Person, Action: Alias, Alias: "Client"}
	seq := []struct {
		rule        Rule
		value, want string
	}{
		{client, "Ana Ruiz", "Client A"},
		{person, "José García", "Person B"}, // letters are shared: B, not A
		{person, "Ana Ruiz", "Client A"},    // an alias, once given, stays
		{client, "José García", "Person B"},
		{person, "Jose Garcia", "Person B"}, // accents folded
	}
	for _, c := range seq {
		if got, _ := c.rule.Replace(c.value, "", env); got != c.want {
			t.Fatalf("%q: %s, want %s", c.value, got, c.want)
		}
	}
	// An explicit identity overrides the value.
	if s, _ := person.Replace("Smith", "ana ruiz", env); s != "Client A" {
		t.Fatalf("identity: %s", s)
	}
}

func TestAliasLinksPartialNames(t *testing.T) {
	r := Rule{Entity: ner.Person, Action: Alias, Alias: "Person"}
	run := func(seq [][2]string) {
		t.Helper()
		env := &Env{Case: NewCase()}
		for _, c := range seq {
			if got, _ := r.Replace(c[0], "", env); got != c[1] {
				t.Fatalf("%q: %s, want %s", c[0], got, c[1])
			}
		}
	}
	run([][2]string{
		{"Ms Sandoval", "Person A"},    // surname first
		{"Maria Sandoval", "Person A"}, // the full name takes it over
		{"Elena Sandoval", "Person B"}, // a sister: her own alias
		{"Sandoval", "Person A"},       // known already
		{"Elena", "Person B"},          // the one person with "elena"
		{"Dr. Lee", "Person C"},
		{"Maria Elena Sandoval", "Person D"}, // fits neither sister alone: nobody is merged
	})
	// Full name first, then the surname alone, then a relative: the
	// relative must not inherit the alias through the surname.
	run([][2]string{
		{"Thomas Ellison", "Person A"},
		{"Mr. Ellison", "Person A"},
		{"Margaret Ellison", "Person B"},
		{"Thomas", "Person A"},
		{"Margaret", "Person B"},
	})
	// A surname shared by two people seen before it is ambiguous: it links
	// to neither.
	run([][2]string{
		{"Thomas Ellison", "Person A"},
		{"Margaret Ellison", "Person B"},
		{"Ellison", "Person C"},
	})
	// Hyphenated and particle names.
	run([][2]string{
		{"Karen Whitfield-Barrett", "Person A"},
		{"Ms. Whitfield-Barrett", "Person A"},
		{"Ludwig van Beethoven", "Person B"},
		{"Van Beethoven", "Person B"},
	})
}

func TestLetters(t *testing.T) {
	for n, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := Letters(n); got != want {
			t.Errorf("Letters(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestIdentity(t *testing.T) {
	for in, want := range map[string]string{
		"Mr. John Smith":  "john smith",
		"JOHN SMITH":      "john smith",
		"Smith’s":         "smith",
		"Dr José García":  "josé garcía",
		"O'Neill, Brian":  "o'neill brian",
		"  Ms   Sandoval": "sandoval",
		"Mr.":             "",
		"Ｊｏｈｎ　Ｓｍｉｔｈ":      "ｊｏｈｎ ｓｍｉｔｈ",
	} {
		if got := Identity(in); got != want {
			t.Errorf("Identity(%q) = %q, want %q", in, got, want)
		}
	}
	if SubjectKey(Identity("Ｊｏｈｎ　Ｓｍｉｔｈ")) != SubjectKey(Identity("Smith, John")) {
		t.Error("full-width letters do not fold")
	}
}

func TestDateShift(t *testing.T) {
	keys := testKeys(t, "0123456789abcdef0123456789abcdef")
	r := Rule{Entity: ner.Date, Action: DateShift, MaxDays: 30}
	env := &Env{Keys: keys, Subject: "maria sandoval"}
	shift := func(v string) string {
		t.Helper()
		s, ok := r.Replace(v, "", env)
		if !ok || s == v || s == "[DATE]" {
			t.Fatalf("Replace(%q) = %q", v, s)
		}
		return s
	}
	// Intervals are kept: the same offset for every date of the subject.
	a := ParseDate(shift("02/11/2024"))
	b := ParseDate(shift("2024-02-19"))
	if days(b)-days(a) != 8 {
		t.Fatalf("interval %d, want 8", days(b)-days(a))
	}
	// Layouts are kept.
	for in, re := range map[string]string{
		"02/26/2024":     `^[0-9]{2}/[0-9]{2}/[0-9]{4}$`,
		"2/6/24":         `^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}$`,
		"2024-02-11":     `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
		"26.02.2024":     `^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$`,
		"March 14, 2024": `^[A-Z][a-z]+ [0-9]{1,2}, [0-9]{4}$`,
		"14 March 2024":  `^[0-9]{1,2} [A-Z][a-z]+ [0-9]{4}$`,
	} {
		if got := shift(in); !matches(re, got) {
			t.Errorf("%q -> %q, want layout %s", in, got, re)
		}
	}
	// The offset is in range and not zero, depends on the subject and the key.
	seen := map[int]bool{}
	for _, s := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		d := keys.ShiftDays(s, 30)
		if d == 0 || d < -30 || d > 30 {
			t.Fatalf("shift %d", d)
		}
		seen[d] = true
	}
	if len(seen) < 4 {
		t.Fatalf("offsets barely vary: %v", seen)
	}
	if keys.ShiftDays("x", 365) == testKeys(t, "some other key of enough length").ShiftDays("x", 365) &&
		keys.ShiftDays("y", 365) == testKeys(t, "some other key of enough length").ShiftDays("y", 365) {
		t.Fatal("offsets do not depend on the key")
	}
	// Invalid dates are not shifted.
	for _, v := range []string{"02/30/2024", "5/13", "March 2024"} {
		if _, ok := ShiftDate(v, 3); ok {
			t.Errorf("%q shifted", v)
		}
	}
}

func days(d Date) int {
	return d.Year*372 + d.Month*31 + d.Day // monotonic within the test's range only
}

func TestKeys(t *testing.T) {
	if _, err := NewKeys([]byte("short\n")); !errors.Is(err, ErrKeyTooShort) {
		t.Fatalf("short key: %v", err)
	}
	a := testKeys(t, "  0123456789abcdef0123456789abcdef\n")
	b := testKeys(t, "0123456789abcdef0123456789abcdef")
	if a.ID() != b.ID() || a.Pseudonym("P", "PERSON", "x") != b.Pseudonym("P", "PERSON", "x") {
		t.Fatal("white space around the key changes it")
	}
	if kf := NewKeyFile(); len(bytes.TrimSpace(kf)) != 64 || bytes.Equal(kf, NewKeyFile()) {
		t.Fatalf("key file %q", kf)
	}
}

func TestCaseSaveLoad(t *testing.T) {
	keys := testKeys(t, "0123456789abcdef0123456789abcdef")
	c := NewCase()
	alias := Rule{Entity: ner.Person, Action: Alias, Alias: "Person"}
	pseudo := Rule{Entity: ner.Person, Action: Pseudonym}
	env := &Env{Case: c, Keys: keys}
	a1, _ := alias.Replace("Maria Sandoval", "", env)
	p1, _ := pseudo.Replace("Maria Sandoval", "", env)
	alias.Replace("Thomas Ellison", "", env)
	c.AddRole(c.Link("PERSON", "thomas ellison"), Minor)
	if !c.Changed() {
		t.Fatal("not changed")
	}
	var buf bytes.Buffer
	if err := c.Save(&buf, keys); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("sandoval")) || bytes.Contains(buf.Bytes(), []byte("Person A")) {
		t.Fatal("mapping file is not encrypted")
	}
	if _, err := LoadCase(bytes.NewReader(buf.Bytes()), testKeys(t, "the wrong key, long enough")); !errors.Is(err, ErrMappingKey) {
		t.Fatalf("wrong key: %v", err)
	}
	bad := append([]byte(nil), buf.Bytes()...)
	bad[len(bad)-1] ^= 1
	if _, err := LoadCase(bytes.NewReader(bad), keys); !errors.Is(err, ErrMappingKey) {
		t.Fatalf("tampered file: %v", err)
	}
	d, err := LoadCase(bytes.NewReader(buf.Bytes()), keys)
	if err != nil {
		t.Fatal(err)
	}
	if d.Changed() {
		t.Fatal("a loaded case is unchanged")
	}
	env = &Env{Case: d, Keys: keys}
	// The same person, written otherwise, tomorrow: the same alias.
	if a, _ := alias.Replace("Ms Sandoval", "", env); a != a1 {
		t.Fatalf("alias after load %q, want %q", a, a1)
	}
	if p, _ := pseudo.Replace("SANDOVAL, MARIA", "", env); p != p1 {
		t.Fatalf("pseudonym after load %q, want %q", p, p1)
	}
	// Letters continue; roles are kept.
	if a, _ := alias.Replace("Raj Patel", "", env); a != "Person C" {
		t.Fatalf("next alias %q", a)
	}
	if !d.HasRole(d.Link("PERSON", "ellison"), Minor) {
		t.Fatal("role lost")
	}
	es := d.Entries()
	if len(es) != 3 || es[0].Alias != a1 || len(es[0].Tokens) != 1 || es[0].Tokens[0] != p1 {
		t.Fatalf("entries %+v", es)
	}
}

func TestCityStateAfter(t *testing.T) {
	cases := []struct {
		text       string // the address ends at «
		city, tail string
		ok         bool
	}{
		{"I live at 87 Willow Creek Road«, Beaverton, OR 97005.", "Beaverton", ", Beaverton, OR 97005", true},
		{"at 1420 Alder Street«, Apt 3B, Portland, OR\n97214 since", "Portland", ", Apt 3B, Portland, OR\n97214", true},
		{"1 Main St« Salt Lake City, Utah 84101", "Salt Lake City", " Salt Lake City, Utah 84101", true},
		{"1 Main St«, Boise, Idaho", "Boise", ", Boise, Idaho", true},
		{"1 Main St«, Suite 300, Boston MA 02110-1234", "Boston", ", Suite 300, Boston MA 02110-1234", true},
		{"1 Main St« and then", "", "", false},
		{"1 Main St«", "", "", false},
		{"1 Main St«, Portland", "", "", false},
	}
	for _, c := range cases {
		i := strings.Index(c.text, "«")
		text := strings.Replace(c.text, "«", "", 1)
		city, state, tail, ok := CityStateAfter(text, i)
		if ok != c.ok {
			t.Errorf("%q: ok %v", c.text, ok)
			continue
		}
		if !ok {
			continue
		}
		if text[city[0]:city[1]] != c.city || text[i:tail] != c.tail || !IsState(text[state[0]:state[1]]) {
			t.Errorf("%q: city %q state %q tail %q", c.text, text[city[0]:city[1]], text[state[0]:state[1]], text[i:tail])
		}
	}
}

func matches(re, s string) bool {
	return regexp.MustCompile(re).MatchString(s)
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"02/17/1951", "March 3, 1987", "5/13", "1953-06-21", "31.12.2020", "99/99/9999", "14 March 2024"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, days int) {
		d := ParseDate(s)
		if d.Month < 0 || d.Month > 12 {
			t.Fatalf("ParseDate(%q) month %d", s, d.Month)
		}
		r := Rule{Entity: ner.Date, Action: MonthYear}
		r.Replace(s, "", nil)
		days %= 4000
		if out, ok := ShiftDate(s, days); ok {
			// A shifted date reads back as a full date.
			if e := ParseDate(out); e.Year == 0 || e.Month == 0 || e.Day == 0 {
				t.Fatalf("ShiftDate(%q, %d) = %q does not read back", s, days, out)
			}
		}
	})
}

func FuzzCityStateAfter(f *testing.F) {
	f.Add("87 Willow Creek Road, Beaverton, OR 97005.", 20)
	f.Add("x, Apt 3B, Portland, OR\n97214", 1)
	f.Fuzz(func(t *testing.T, text string, end int) {
		city, state, tail, ok := CityStateAfter(text, end)
		if !ok {
			return
		}
		if !(end <= city[0] && city[0] < city[1] && city[1] <= state[0] && state[0] < state[1] && state[1] <= tail && tail <= len(text)) {
			t.Fatalf("spans %v %v %d for end %d in %d bytes", city, state, tail, end, len(text))
		}
	})
}
