package profiles

import (
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestReplace(t *testing.T) {
	cases := []struct {
		name  string
		rule  Rule
		value string
		want  string
		keep  bool
	}{
		{"label default", Rule{Entity: ner.Person, Action: Label}, "Maria", "[PERSON]", false},
		{"label custom, no length", Rule{Entity: ner.Email, Action: Label, Label: "[email]"}, "a.very.long.address@example.org", "[email]", false},
		{"keep", Rule{Action: Keep}, "anything", "", true},
		{"ssn last four", Rule{Action: KeepLast, Digits: 4}, "123-45-6789", "XXX-XX-6789", false},
		{"ssn spaced", Rule{Action: KeepLast, Digits: 4}, "123 45 6789", "XXX-XX-6789", false},
		{"card last four hides length", Rule{Action: KeepLast, Digits: 4}, "4111 1111 1111 1111", "XXXX1111", false},
		{"iban", Rule{Action: KeepLast, Digits: 4}, "GB82 WEST 1234 5698 7654 32", "XXXX5432", false},
		{"too short to keep", Rule{Action: KeepLast, Digits: 4}, "1234", "XXXX", false},
		{"year numeric", Rule{Action: Year}, "02/17/1951", "1951", false},
		{"year two digits", Rule{Action: Year}, "3/4/98", "1998", false},
		{"year text", Rule{Action: Year}, "March 3, 1987", "1987", false},
		{"year iso", Rule{Action: Year}, "1953-06-21", "1953", false},
		{"year missing", Rule{Entity: ner.Date, Action: Year}, "5/13", "[DATE]", false},
		{"month year numeric", Rule{Action: MonthYear}, "02/17/2021", "February 2021", false},
		{"month year day first", Rule{Action: MonthYear}, "31.12.2020", "December 2020", false},
		{"month year text", Rule{Action: MonthYear}, "Sept. 14th 2021", "September 2021", false},
		{"month only", Rule{Action: MonthYear}, "March 3rd", "March", false},
		{"month year slash no year", Rule{Action: MonthYear}, "5/13", "May", false},
		{"age 93", Rule{Action: Age90}, "93", "90+", false},
		{"age 89 stays", Rule{Action: Age90}, "89", "", true},
		{"age unreadable", Rule{Entity: ner.Age, Action: Age90}, "x", "[AGE]", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.rule.Changes(c.value) == c.keep {
				t.Fatalf("Changes(%q) = %v", c.value, !c.keep)
			}
			got, changed := c.rule.Replace(c.value, "", NewAliases())
			if changed == c.keep || got != c.want {
				t.Fatalf("Replace(%q) = %q, %v; want %q, changed=%v", c.value, got, changed, c.want, !c.keep)
			}
		})
	}
}

func TestAliasConsistency(t *testing.T) {
	a := NewAliases()
	r := Rule{Entity: ner.Person, Action: Alias, Alias: "Person"}
	// The same person written five ways gets one alias.
	var got []string
	for _, v := range []string{"John Smith", "Mr. John Smith", "JOHN SMITH", "john  smith", "John Smith's"} {
		s, _ := r.Replace(v, "", a)
		got = append(got, s)
	}
	for _, s := range got {
		if s != "Person A" {
			t.Fatalf("aliases %v", got)
		}
	}
	if s, _ := r.Replace("José García", "", a); s != "Person B" {
		t.Fatalf("second person: %s", s)
	}
	// A different prefix has its own letters.
	c := Rule{Entity: ner.Person, Action: Alias, Alias: "Client"}
	if s, _ := c.Replace("Ana Ruiz", "", a); s != "Client A" {
		t.Fatalf("client: %s", s)
	}
	// An explicit identity overrides the value.
	if s, _ := r.Replace("Smith", "john smith", a); s != "Person A" {
		t.Fatalf("identity: %s", s)
	}
}

func TestAliasLinksPartialNames(t *testing.T) {
	a := NewAliases()
	r := Rule{Entity: ner.Person, Action: Alias, Alias: "Person"}
	seq := []struct{ value, want string }{
		{"Ms Sandoval", "Person A"},    // surname first
		{"Maria Sandoval", "Person A"}, // the full name takes it over
		{"Elena Sandoval", "Person B"}, // a sister: her own alias
		{"Sandoval", "Person A"},       // known already
		{"Elena", "Person B"},          // the one full name with "elena"
		{"Dr. Lee", "Person C"},
	}
	for _, c := range seq {
		if got, _ := r.Replace(c.value, "", a); got != c.want {
			t.Fatalf("%q: %s, want %s", c.value, got, c.want)
		}
	}
	// Full name first, then the surname alone, then a relative: the
	// relative must not inherit the alias through the surname.
	a = NewAliases()
	seq = []struct{ value, want string }{
		{"Thomas Ellison", "Person A"},
		{"Mr. Ellison", "Person A"},
		{"Margaret Ellison", "Person B"},
		{"Thomas", "Person A"},
	}
	for _, c := range seq {
		if got, _ := r.Replace(c.value, "", a); got != c.want {
			t.Fatalf("%q: %s, want %s", c.value, got, c.want)
		}
	}
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
	} {
		if got := Identity(in); got != want {
			t.Errorf("Identity(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"02/17/1951", "March 3, 1987", "5/13", "1953-06-21", "31.12.2020", "99/99/9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseDate(s)
		if d.Month < 0 || d.Month > 12 {
			t.Fatalf("ParseDate(%q) month %d", s, d.Month)
		}
		r := Rule{Entity: ner.Date, Action: MonthYear}
		r.Replace(s, "", NewAliases())
	})
}
