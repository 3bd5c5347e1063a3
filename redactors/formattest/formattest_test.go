package formattest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// lines is a toy format for testing the suite itself: one part per line,
// "#" lines are comments that Parts do not show (but Leaks reads). Each
// bug makes it break one rule, and the test checks that the suite notices.
type lines struct{ bug string }

type linesDoc struct {
	f     lines
	parts []redactors.Part
	notes []string
	n     *int // Redact calls, for the nondeterministic bug
}

var (
	_ redactors.Format      = lines{}
	_ redactors.LeakChecker = (*linesDoc)(nil)
	_ redactors.Noter       = (*linesDoc)(nil)
)

func (lines) Name() string         { return "lines" }
func (lines) Extensions() []string { return []string{".lines"} }

var calls int

func (f lines) Parse(data []byte) (redactors.Document, error) {
	switch {
	case len(data) == 0:
		return nil, fmt.Errorf("lines: %w", redactors.ErrEmpty)
	case !utf8.Valid(data):
		switch f.bug {
		case "text in error":
			return nil, fmt.Errorf("lines: bad bytes near %q: %w", data[:min(len(data), 40)], redactors.ErrEncoding)
		case "no sentinel":
			return nil, errors.New("lines: not UTF-8")
		}
		return nil, fmt.Errorf("lines: %w", redactors.ErrEncoding)
	case f.bug == "panic" && bytes.Contains(data, []byte{0}):
		var m map[string]int
		m["x"]++ // a nil map: panics
	}
	d := &linesDoc{f: f, n: &calls}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		name := fmt.Sprintf("line %d", len(d.parts)+1)
		if f.bug == "name holds text" {
			name += " " + l
		}
		d.parts = append(d.parts, redactors.Part{Name: name, Text: l})
	}
	if f.bug == "note holds text" {
		d.notes = []string{"first line: " + d.parts[0].Text}
	}
	return d, nil
}

func (d *linesDoc) Parts() []redactors.Part { return d.parts }
func (d *linesDoc) Notes() []string         { return d.notes }

func (d *linesDoc) Redact(w io.Writer, edits []redactors.Edit) error {
	if d.f.bug != "accepts invalid edits" {
		if err := redactors.CheckEdits(d.parts, edits); err != nil {
			return fmt.Errorf("lines: redact: %w", err)
		}
	} else {
		for _, e := range edits {
			if e.Part < 0 || e.Part >= len(d.parts) || e.Start < 0 || e.End < e.Start || e.End > len(d.parts[e.Part].Text) {
				return nil // silently writes nothing
			}
		}
	}
	if d.f.bug == "drops the last edit" && len(edits) > 0 {
		edits = edits[:len(edits)-1]
	}
	var out []string
	for i, p := range d.parts {
		t := redactors.Splice(p.Text, redactors.EditsOf(edits, i))
		if d.f.bug == "keeps a copy" && t != p.Text {
			out = append(out, "#"+p.Text)
		}
		out = append(out, t)
	}
	s := strings.Join(out, "\n")
	switch d.f.bug {
	case "round trip adds a line":
		s += "\n"
	case "nondeterministic":
		*d.n++
		s += fmt.Sprintf("\n#%d", *d.n)
	}
	_, err := io.WriteString(w, s)
	return err
}

func (d *linesDoc) Leaks(data []byte, find func(string) bool) ([]string, error) {
	if d.f.bug == "blind leaks" {
		return nil, nil
	}
	var where []string
	for i, l := range strings.Split(string(data), "\n") {
		if find(l) {
			where = append(where, fmt.Sprintf("line %d", i+1))
		}
	}
	return where, nil
}

var linesFixtures = []Fixture{
	{"note", []byte("Client: " + Marker + "\nSeen 2025-01-28 with Zoë Ærensen.\nPlan: continue weekly sessions.\n# reviewed\nNext: 2025-02-11")},
	{"short", []byte("Referral for Wendeline Abernethy\nphone 971-555-0182")},
}

func linesOptions(bug string) Options {
	return Options{Format: lines{bug}, Fixtures: linesFixtures, Seed: 7,
		Leaks: []LeakCase{{Name: "comment", File: []byte("# about Ottilie Fairweather\nOttilie Fairweather called."), Secrets: []string{"Ottilie Fairweather"}}},
		Judge: func(_ testing.TB, b []byte) string { return string(b) }}.withDefaults()
}

// TestSuiteFindsBugs runs each check on a correct toy format, where it
// must pass, and on a toy format with one bug, which it must report.
func TestSuiteFindsBugs(t *testing.T) {
	checks := map[string]func(o Options) []error{
		"mutations": func(o Options) []error {
			var errs []error
			for _, f := range o.Fixtures {
				for _, m := range Mutants(f.Data, 64, 1) {
					errs = append(errs, checkInput(o, m.Data)...)
				}
			}
			return errs
		},
		"fixtures":   func(o Options) []error { return checkFixture(o, o.Fixtures[0].Data) },
		"round trip": func(o Options) []error { return checkRoundTrip(o, o.Fixtures[0].Data) },
		"edits":      func(o Options) []error { return checkEdits(o, o.Fixtures[0]) },
		"invalid":    func(o Options) []error { return checkInvalidEdits(o, o.Fixtures[0].Data) },
		"leaks": func(o Options) []error {
			errs, _ := checkLeakChecker(o, o.Fixtures[0])
			return errs
		},
		"leak corpus": func(o Options) []error {
			errs, _ := leakCase(t, o, o.Leaks[0])
			return errs
		},
	}
	for name, check := range checks {
		if errs := check(linesOptions("")); len(errs) > 0 {
			t.Errorf("%s: the correct format fails: %v", name, errs)
		}
	}
	for bug, check := range map[string]string{
		"panic":                  "mutations",
		"no sentinel":            "mutations",
		"text in error":          "mutations",
		"name holds text":        "fixtures",
		"note holds text":        "fixtures",
		"round trip adds a line": "round trip",
		"drops the last edit":    "edits",
		"nondeterministic":       "edits",
		"accepts invalid edits":  "invalid",
		"keeps a copy":           "leaks",
		"blind leaks":            "leaks",
	} {
		if errs := checks[check](linesOptions(bug)); len(errs) == 0 {
			t.Errorf("%s: the %s check does not notice", bug, check)
		} else {
			t.Logf("%s: %v", bug, errs[0])
		}
	}
	// The leak corpus: a copy of the removed text left in the file.
	if errs := checks["leak corpus"](linesOptions("keeps a copy")); len(errs) == 0 {
		t.Error("keeps a copy: the leak corpus does not notice")
	}
}

func TestRandomEditsAreValid(t *testing.T) {
	parts := []redactors.Part{{Name: "a", Text: "Zoë Ærensen, 971-555-0182\n\tseen"}, {Name: "b"}, {Name: "c", Text: "é"}, {Name: "d", Text: "x\ny"}}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	for i := 0; i < 2000; i++ {
		edits := RandomEdits(rng, parts, EditPlan{Kept: func(p redactors.Part) string { return "\n\t" }})
		if err := redactors.CheckEdits(parts, edits); err != nil {
			t.Fatalf("%v: %+v", err, edits)
		}
		for _, e := range edits {
			if strings.ContainsAny(parts[e.Part].Text[e.Start:e.End], "\n\t") {
				t.Fatalf("edit %+v covers a kept rune", e)
			}
		}
		n += len(edits)
	}
	if n < 2000 {
		t.Errorf("%d edits in 2000 rounds", n)
	}
	a := RandomEdits(rand.New(rand.NewPCG(3, 4)), parts, EditPlan{})
	b := RandomEdits(rand.New(rand.NewPCG(3, 4)), parts, EditPlan{})
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("the same seed gives different edits")
	}
}

func TestInvalidEditsAreInvalid(t *testing.T) {
	parts := []redactors.Part{{Name: "a", Text: "abc"}, {Name: "b", Text: "Zoë"}}
	cases := invalidEdits(parts)
	if len(cases) != 11 {
		t.Errorf("%d cases", len(cases))
	}
	for name, edits := range cases {
		if redactors.CheckEdits(parts, edits) == nil {
			t.Errorf("%s: CheckEdits accepts %+v", name, edits)
		}
	}
}

func TestMutants(t *testing.T) {
	data := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	a, b := Mutants(data, 30, 5), Mutants(data, 30, 5)
	if len(a) != 30 {
		t.Fatalf("%d mutants", len(a))
	}
	kinds := map[string]bool{}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatal("the same seed gives different mutants")
		}
		if bytes.Equal(a[i].Data, data) && !strings.Contains(a[i].Name, "set to") {
			t.Errorf("%s: unchanged", a[i].Name)
		}
		kinds[strings.Fields(a[i].Name)[len(strings.Fields(a[i].Name))-1]] = true
	}
	if len(Mutants(nil, 3, 1)) != 3 {
		t.Error("no mutants of an empty file")
	}
}

func TestEditsRemoving(t *testing.T) {
	parts := []redactors.Part{
		{Name: "a", Text: "Odalys Brennick; ODALYS\nBRENNICK; Bren\u00adnick; B r e n n i c k."},
		{Name: "b", Text: "nothing here"},
	}
	edits := EditsRemoving(parts, "[R]", "Odalys Brennick", "Brennick")
	if err := redactors.CheckEdits(parts, edits); err != nil {
		t.Fatal(err)
	}
	got := redactors.Splice(parts[0].Text, redactors.EditsOf(edits, 0))
	if want := "[R]; [R]; [R]; [R]."; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if len(redactors.EditsOf(edits, 1)) != 0 {
		t.Error("edits in a part without the value")
	}
}

func TestCompare(t *testing.T) {
	in := []redactors.Part{{Name: "p1", Text: "Dear Ms. Ellison, about Okafor."}, {Name: "p2", Text: "Kate"}}
	edits := []redactors.Edit{{Part: 0, Start: 9, End: 16, Replacement: "[R1]"}, {Part: 0, Start: 24, End: 30, Replacement: "Person B"}}
	exact := []redactors.Part{{Name: "p1", Text: "Dear Ms. [R1], about Person B."}, {Name: "p2", Text: "Kate"}}
	if err := Exact(in, edits, exact); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]redactors.Part{
		{{Name: "p1", Text: "Dear Ms. [R1], about Person B"}, {Name: "p2", Text: "Kate"}},
		{{Name: "p1", Text: "Dear Ms. [R1], about Person B."}},
		{{Name: "p1", Text: "Dear Ms. [R1], about Person B."}, {Name: "p3", Text: "Kate"}},
		{exact[0], exact[1], {Name: "p3"}},
	} {
		if Exact(in, edits, bad) == nil {
			t.Errorf("Exact accepts %v", bad)
		}
	}
	for _, good := range []string{
		"Dear Ms. , about .\nR1\nPerson B",              // labels at the end
		"Dear Ms. R1, about PersonB.",                   // in place
		"Dear Ms.\n, about Per\nR1",                     // a label shortened, another cut
		"Dear Ms. , about .",                            // no labels
		"Dear R1 Ms. , about .",                         // a label among kept text
		"Dear Ms. , about . R1 R1",                      // a label on each line of a box
		"Dear Ms. [1], about [2].\n[1] R1\n[2] PersonB", // keys and the key list
	} {
		out := []redactors.Part{{Name: "p1", Text: good}, {Name: "p2", Text: "Kate"}}
		if err := Redrawn(in, edits, out); err != nil {
			t.Errorf("Redrawn refuses %q: %v", good, err)
		}
	}
	for _, bad := range []string{
		"Dear Ms. Ellison, about .",       // a value kept
		"Dear Ms. , about . [3] R1",       // a key beyond the edits
		"Dear Ms. , abut .",               // kept text lost
		"Dear Ms. , about . Person C",     // not a prefix of a label
		"Dear Ms. , about . PersonB Ok",   // a piece of the value
		"Dear Mrs. , about . R1 Person B", // kept text changed
		"Dear M. , about .",               // a letter of a word no edit touches
	} {
		out := []redactors.Part{{Name: "p1", Text: bad}, {Name: "p2", Text: "Kate"}}
		if Redrawn(in, edits, out) == nil {
			t.Errorf("Redrawn accepts %q", bad)
		}
	}
}

// A glyph is removed whole: an edit inside a ligature takes up to two
// letters of its word with it, not more, and not from another word.
func TestRedrawnGlyphs(t *testing.T) {
	in := []redactors.Part{{Name: "p", Text: "was difficult, then"}}
	edits := []redactors.Edit{{Part: 0, Start: 4, End: 7, Replacement: "X"}} // "dif"
	for out, want := range map[string]bool{
		"was X ficult, then": true,
		"was X icult, then":  true, // "f" of the "ffi" glyph
		"was X cult, then":   true, // "fi" of it
		"was X ult, then":    false,
		"wa X ficult, then":  false, // another word
		"was X ficult, the":  false,
	} {
		err := Redrawn(in, edits, []redactors.Part{{Name: "p", Text: out}})
		if (err == nil) != want {
			t.Errorf("%q: %v, want ok=%v", out, err, want)
		}
	}
}
