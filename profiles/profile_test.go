package profiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestBuiltinsLoad(t *testing.T) {
	names := BuiltinNames()
	if strings.Join(names, ",") != "court,research,supervision" {
		t.Fatalf("built-ins: %v", names)
	}
	for _, n := range names {
		p, err := Load(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		// Every entity resolves to a rule with a basis or keep.
		for _, e := range ner.Entities() {
			r := p.For(e)
			if r.Action != Keep && r.Basis == "" {
				t.Errorf("%s: %s has no basis", n, e)
			}
		}
		// The effective YAML loads back to the same profile.
		y, err := p.YAML()
		if err != nil {
			t.Fatal(err)
		}
		q, err := Parse(y, "roundtrip")
		if err != nil {
			t.Fatalf("%s: effective YAML does not load: %v\n%s", n, err, y)
		}
		for _, e := range ner.Entities() {
			a, b := p.For(e), q.For(e)
			a.line, b.line = 0, 0
			if a != b {
				t.Errorf("%s: %s round trip: %+v vs %+v", n, e, a, b)
			}
		}
	}
}

// The built-ins follow RULES.md where the detectors allow.
func TestBuiltinPolicies(t *testing.T) {
	court, _ := Load("court")
	for e, want := range map[ner.Entity]Action{
		ner.SSN: KeepLast, ner.TIN: KeepLast, ner.Account: KeepLast, ner.CreditCard: KeepLast,
		ner.BirthDate: Year, ner.Person: Keep, ner.Date: Keep, ner.Custom: Label,
	} {
		if got := court.For(e).Action; got != want {
			t.Errorf("court %s: %s, want %s", e, got, want)
		}
	}
	research, _ := Load("research")
	for _, e := range ner.Entities() {
		if !research.Redacts(e) {
			t.Errorf("research keeps %s", e)
		}
	}
	sup, _ := Load("supervision")
	if sup.For(ner.Person).Action != Alias || sup.For(ner.Date).Action != MonthYear {
		t.Errorf("supervision: %+v %+v", sup.For(ner.Person), sup.For(ner.Date))
	}
}

func TestValidProfiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		if _, err := Load(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// Each invalid profile states the error it must produce on its first line:
// "# want: <substring>".
func TestInvalidProfiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(files) < 10 {
		t.Fatal("missing testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(raw), "\n")
			want := strings.TrimPrefix(first, "# want: ")
			if want == first {
				t.Fatalf("first line must be '# want: ...'")
			}
			_, err = Load(f)
			if err == nil {
				t.Fatalf("loaded without error, want %q", want)
			}
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), f) {
				t.Fatalf("error %q\nwant it to name the file and contain %q", err, want)
			}
		})
	}
}

func TestLoadUnknownName(t *testing.T) {
	_, err := Load("surgery")
	if err == nil || !strings.Contains(err.Error(), "court, research, supervision") {
		t.Fatalf("error %v should list the built-ins", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range BuiltinNames() {
		b, _ := BuiltinSource(n)
		f.Add(b)
	}
	files, _ := filepath.Glob("testdata/*/*.yaml")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz")
		if err != nil {
			return
		}
		// A profile that loads answers for every entity with a valid action.
		for _, e := range ner.Entities() {
			if _, ok := actions[p.For(e).Action]; !ok {
				t.Fatalf("entity %s resolves to invalid action %q", e, p.For(e).Action)
			}
		}
	})
}
