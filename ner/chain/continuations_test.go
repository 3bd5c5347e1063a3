package chain

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/ner"
)

// at returns a finding over the n-th (0-based) occurrence of sub in text.
func at(text, sub string, n int, e ner.Entity, score float64, rule string) ner.Finding {
	i := -1
	for k := 0; k <= n; k++ {
		j := strings.Index(text[i+1:], sub)
		if j < 0 {
			panic("no " + sub)
		}
		i += 1 + j
	}
	return ner.Finding{Start: i, End: i + len(sub), Entity: e, Score: score, Rule: rule}
}

func TestContinuations(t *testing.T) {
	cases := []struct {
		name, text, person string // person: the PERSON finding given
		other              string // a one-word ORGANIZATION finding of a rule, if any
		want               string // the person's text after the pass
	}{
		{"surname after", "Seen Orsolya Quillanby today.", "Orsolya", "", "Orsolya Quillanby"},
		{"line end", "Intake Orsolya Quillanby", "Orsolya", "", "Orsolya Quillanby"},
		{"hyphen", "Seen Orsolya Quillanby-Everard today.", "Orsolya Quillanby", "", "Orsolya Quillanby-Everard"},
		{"given name before", "Seen Orsolya Quillanby today.", "Quillanby", "", "Orsolya Quillanby"},
		{"both sides", "with Dr Orsolya Quillanby Everard.", "Quillanby", "", "Orsolya Quillanby Everard"},
		{"ordinary word", "Asked Orsolya Today about it.", "Orsolya", "", "Orsolya"},
		{"weekday", "Saw Orsolya Monday.", "Orsolya", "", "Orsolya"},
		{"month", "Saw Orsolya January.", "Orsolya", "", "Orsolya"},
		{"a head", "Orsolya Hospital", "Orsolya", "", "Orsolya"},
		{"names what a head follows", "Met Orsolya Quillanby Clinic staff.", "Orsolya", "", "Orsolya"},
		{"title before", "Seen by Nurse Quillanby today.", "Quillanby", "", "Quillanby"},
		{"two spaces", "Seen Orsolya  Quillanby today.", "Orsolya", "", "Orsolya"},
		{"line break", "Seen Orsolya\nQuillanby today.", "Orsolya", "", "Orsolya"},
		{"lower case", "Seen Orsolya quillanby today.", "Orsolya", "", "Orsolya"},
		{"all caps", "Seen Orsolya QUILLANBY today.", "Orsolya", "", "Orsolya"},
		{"a capital inside", "Seen Orsolya McQuillanby today.", "Orsolya", "", "Orsolya McQuillanby"},
		{"a capital inside, before", "Seen DeOrsolya Quillanby today.", "Quillanby", "", "DeOrsolya Quillanby"},
		{"two capitals first", "Seen Orsolya QUillanby today.", "Orsolya", "", "Orsolya"},
		{"short", "Seen Orsolya Qu today.", "Orsolya", "", "Orsolya"},
		{"a code", "Seen Orsolya Quillanby7 today.", "Orsolya", "", "Orsolya"},
		{"another entity's word", "Seen Orsolya Quillanby today.", "Orsolya", "Quillanby", "Orsolya"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			found := []ner.Finding{at(c.text, c.person, 0, ner.Person, 0.6, "prose/person")}
			if c.other != "" {
				found = append(found, at(c.text, c.other, 0, ner.Organization, 0.8, "names/org"))
			}
			before := append([]ner.Finding(nil), found...)
			got, err := Continuations{}.Refine(context.Background(), c.text, found)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(found) {
				t.Fatalf("got %v", got)
			}
			p := got[0]
			if s := c.text[p.Start:p.End]; s != c.want || p.Entity != ner.Person || p.Score != 0.6 || p.Rule != "prose/person" {
				t.Errorf("got %v %q, want %q", p, s, c.want)
			}
			if c.other != "" && got[1] != found[1] {
				t.Errorf("other finding changed: %v", got[1])
			}
			for k := range found {
				if found[k] != before[k] {
					t.Errorf("input changed: %v", found[k])
				}
			}
		})
	}
}

// A person's name of two words found by the name rules wins over a
// one-word organisation or place inside it that only a statistical pass
// gave; a rule's organisation stays.
func TestContinuationsNamePair(t *testing.T) {
	text := "Seen at Dribaerard today.\nwith Miaback Dribaerard, 45"
	pair := at(text, "Miaback Dribaerard", 0, ner.Person, 0.45, "names/capitalised-pair")
	for _, c := range []struct {
		rule string
		e    ner.Entity
		wins bool
	}{
		{"prose/organization", ner.Organization, true},
		{"model/location", ner.Location, true},
		{"names/org", ner.Organization, false},
	} {
		inner := at(text, "Dribaerard", 1, c.e, 0.55, c.rule)
		elsewhere := at(text, "Dribaerard", 0, c.e, 0.55, c.rule)
		got, err := Continuations{}.Refine(context.Background(), text, []ner.Finding{pair, inner, elsewhere})
		if err != nil {
			t.Fatal(err)
		}
		want := inner
		if c.wins {
			want = ner.Finding{Start: pair.Start, End: pair.End, Entity: ner.Person, Score: 0.55, Rule: NamePairRule}
		}
		if got[0] != pair || got[1] != want || got[2] != elsewhere {
			t.Errorf("%s: got %v, want %v", c.rule, got, want)
		}
	}
	// a one-word person holds no pair
	one := at(text, "Miaback", 0, ner.Person, 0.45, "names/context")
	inner := at(text, "Dribaerard", 1, ner.Organization, 0.55, "prose/organization")
	got, _ := Continuations{}.Refine(context.Background(), text, []ner.Finding{one, inner})
	if got[1] != inner {
		t.Errorf("one word: got %v", got)
	}
}

func TestLabelNames(t *testing.T) {
	cases := []struct {
		name, text string
		org        string // an ORGANIZATION finding given, if any
		want       string // the name added, if any
	}{
		{"label line", "Intake: Orsolya Quillanby\nSeen today.", "", "Orsolya Quillanby"},
		{"end of text, CRLF", "Notes\r\nIntake:  Orsolya Quillanby\r", "", "Orsolya Quillanby"},
		{"two-word label", "Seen by: Orsolya Quillanby", "", "Orsolya Quillanby"},
		{"more follows", "Intake: Orsolya Quillanby today", "", ""},
		{"one word", "Intake: Orsolya", "", ""},
		{"three words", "Intake: Orsolya Quillanby Everard", "", ""},
		{"a head", "Intake: Orsolya Hospital", "", ""},
		{"a weekday", "Intake: Monday Quillanby", "", ""},
		{"an ordinary word", "Intake: Orsolya Today", "", ""},
		{"label with a digit", "Intake 2: Orsolya Quillanby", "", ""},
		{"long label", "Seen by the whole team: Orsolya Quillanby", "", ""},
		{"no space after the colon", "Intake:Orsolya Quillanby", "", ""},
		{"another entity's", "Intake: Orsolya Quillanby", "Quillanby", ""},
		// a label that names a person (labels.yaml): its value is a name
		// in any case, two or three words none of which is ordinary
		{"a person's label, lower case", "Notes\npatient name: orsolya quillanby\n", "", "orsolya quillanby"},
		{"a person's label, capitals", "Client: ORSOLYA QUILLANBY", "", "ORSOLYA QUILLANBY"},
		{"a person's label, three words", "Therapist: tamsin orsolya everard", "", "tamsin orsolya everard"},
		{"a person's label, ordinary words", "patient name: not given", "", ""},
		{"a person's label, one ordinary word", "client: orsolya today", "", ""},
		{"a person's label, one word", "patient name: orsolya", "", ""},
		{"a person's label, four words", "client: orsolya tamsin quillanby everard", "", ""},
		{"a person's label, a digit", "client: orsolya quillanby2", "", ""},
		{"no person's label, lower case", "intake: orsolya quillanby", "", ""},
		{"a bank's name", "bank name: orsolya quillanby", "", ""},
		// a line that is only two or three unknown capitalised words (or
		// an attribute's or a cell's whole value) is a name
		{"lone line", "Orsolya Quillanby\n", "", "Orsolya Quillanby"},
		{"lone line, three words, indented", "Notes\n  Tamsin Orsolya Everard \r\nSeen.", "", "Tamsin Orsolya Everard"},
		{"lone line, four words", "Tamsin Orsolya Quillanby Everard", "", ""},
		{"lone line, one word", "Quillanby\n", "", ""},
		{"lone line, an ordinary word", "Orsolya Today\n", "", ""},
		{"lone line, a head", "Quillanby Hospital\n", "", ""},
		{"lone line, a month", "Quillanby January\n", "", ""},
		{"lone line, lower case", "orsolya quillanby\n", "", ""},
		{"lone line, capitals", "ORSOLYA QUILLANBY\n", "", ""},
		{"lone line, punctuation", "Orsolya Quillanby.\n", "", ""},
		{"lone line, two spaces", "Orsolya  Quillanby\n", "", ""},
		{"lone line, another entity's", "Orsolya Quillanby\n", "Quillanby", ""},
		{"a person's label, another entity's", "client: orsolya quillanby", "quillanby", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var found []ner.Finding
			if c.org != "" {
				found = append(found, at(c.text, c.org, 0, ner.Organization, 0.8, "names/org"))
			}
			got, err := LabelNames{}.Refine(context.Background(), c.text, found)
			if err != nil {
				t.Fatal(err)
			}
			var added []string
			for _, f := range got[len(found):] {
				added = append(added, c.text[f.Start:f.End])
				if f.Entity != ner.Person || f.Rule != LabelNameRule || f.Score != LabelNameScore {
					t.Errorf("added %v", f)
				}
			}
			if strings.Join(added, "|") != c.want {
				t.Errorf("added %q, want %q", added, c.want)
			}
		})
	}
}

// A statistical pass's organisation or place that stops inside a run of
// unknown capitalised words does not leave the rest of the run: one word
// is read with the run as a person, a longer name takes the next word.
func TestContinuationsNameRun(t *testing.T) {
	cases := []struct {
		name, text, org string // org: the statistical ORGANIZATION finding given
		rule            string // its rule
		other           string // a finding of a rule over another word, if any
		want            string // the finding's text after the pass
		person          bool   // whether it became a PERSON
	}{
		{"a pair", "Notes: Orsolya Quillanby joined.", "Orsolya", "prose/organization", "", "Orsolya Quillanby", true},
		{"glued to an attribute", `<abbr title="Orsolya Quillanby">`, `title="Orsolya`, "prose/organization", "", "Orsolya Quillanby", true},
		{"three words", "with Orsolya Quillanby Everard today", "Orsolya", "model/organization", "", "Orsolya Quillanby Everard", true},
		{"a word before", "with Tamsin Orsolya Quillanby today", "Orsolya", "prose/organization", "", "Tamsin Orsolya Quillanby", true},
		{"longer name takes the word", "at Quillanby Everard Tamsin today", "Quillanby Everard", "prose/organization", "", "Quillanby Everard Tamsin", false},
		{"a head follows", "at Orsolya Quillanby Hospital", "Orsolya", "prose/organization", "", "Orsolya", false},
		{"ordinary word after", "Orsolya Today joined.", "Orsolya", "prose/organization", "", "Orsolya", false},
		{"a state after", "Orsolya Vermont joined.", "Orsolya", "prose/organization", "", "Orsolya", false},
		{"a rule's organisation", "Notes: Orsolya Quillanby joined.", "Orsolya", "names/org", "", "Orsolya", false},
		{"ends the run", "Notes: Orsolya Quillanby joined.", "Orsolya Quillanby", "prose/organization", "", "Orsolya Quillanby", false},
		{"lower case after", "Notes: Orsolya quillanby joined.", "Orsolya", "prose/organization", "", "Orsolya", false},
		{"another entity's word", "Notes: Orsolya Quillanby joined.", "Orsolya", "prose/organization", "Quillanby", "Orsolya", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			found := []ner.Finding{at(c.text, c.org, 0, ner.Organization, 0.55, c.rule)}
			if c.other != "" {
				found = append(found, at(c.text, c.other, 0, ner.Location, 0.8, "names/place"))
			}
			got, err := Continuations{}.Refine(context.Background(), c.text, found)
			if err != nil {
				t.Fatal(err)
			}
			f := got[0]
			if s := c.text[f.Start:f.End]; s != c.want {
				t.Errorf("finding %q, want %q", s, c.want)
			}
			if (f.Entity == ner.Person) != c.person {
				t.Errorf("entity %s", f.Entity)
			}
			if c.person && (f.Rule != NameRunRule || f.Score != NameRunScore) {
				t.Errorf("finding %v", f)
			}
			if !c.person && f.Entity != ner.Organization {
				t.Errorf("entity %s, want ORGANIZATION", f.Entity)
			}
		})
	}
}

// The passes cost linear time in the text and its findings: every
// overlap is looked up by binary search, never by a scan of all findings.
func TestContinuationsLinear(t *testing.T) {
	const unit = "Seen Orsolya Quillanby today.\nIntake: Orsolya Quillanby\nwith Miaback Dribaerard, 45\nTamsin Everard\nat Quillmoor Tamsin Everard Orsolya\n"
	type input struct {
		text  string
		found []ner.Finding
	}
	build := func(n int) input {
		reps := n/len(unit) + 1
		text := strings.Repeat(unit, reps)
		var found []ner.Finding
		for k := 0; k < reps; k++ {
			found = append(found,
				at(text, "Orsolya", 2*k, ner.Person, 0.6, "prose/person"),
				at(text, "Miaback Dribaerard", k, ner.Person, 0.45, "names/capitalised-pair"),
				at(text, "Dribaerard", k, ner.Organization, 0.55, "prose/organization"),
				at(text, "today", k, ner.Date, 0.6, "pattern/date"),
				at(text, "Quillmoor", k, ner.Organization, 0.55, "prose/organization"))
		}
		return input{text, found}
	}
	complexity.Assert(t, 4<<10, build, func(in input) {
		fs, _ := LabelNames{}.Refine(context.Background(), in.text, in.found)
		if _, err := (Continuations{}).Refine(context.Background(), in.text, fs); err != nil {
			t.Fatal(err)
		}
	})
}

// The whole text chain of a profile that redacts names (prose and the
// model on, supervision's threshold) covers both words of an unknown name
// alone on a line or as an attribute's value: no finding stops inside it.
func TestChainNameRun(t *testing.T) {
	s := Build(Config{Tagger: true, Model: true, Threshold: 0.5})
	for _, text := range []string{
		"Orsolya Quillanby\n",
		"Notes: <abbr title=\"Orsolya Quillanby\">OQ</abbr> joined the group.\n",
		"Tamsin Everard\n",
	} {
		fs, err := s.Text.Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSpace(text)
		if i := strings.IndexByte(name, '"'); i >= 0 {
			name = name[i+1 : i+1+strings.IndexByte(name[i+1:], '"')]
		}
		s, e := strings.Index(text, name), strings.Index(text, name)+len(name)
		covered := false
		for _, f := range fs {
			if f.Start < e && f.End > s && f.Entity != ner.Person && f.Score >= 0.5 {
				t.Errorf("%q: %q read as %s", text, text[f.Start:f.End], f.Entity)
			}
			if f.Entity == ner.Person && f.Score >= 0.5 && f.Start <= s && f.End >= e {
				covered = true
			}
		}
		if !covered {
			t.Errorf("%q: no person over %q in %v", text, name, fs)
		}
	}
}

// FuzzContinuations: whatever the text and a statistical finding in it,
// LabelNames and Continuations return findings inside the text, on rune
// boundaries, that start before they end.
func FuzzContinuations(f *testing.F) {
	f.Add(`<abbr title="Orsolya Quillanby">`, 12, 20, true)
	f.Add("Notes: Orsolya Quillanby Tamsin\nOrsolya Quillanby\n", 7, 14, false)
	f.Add("x\"Ö Quillanby", 0, 4, true)
	f.Fuzz(func(t *testing.T, text string, s, e int, org bool) {
		if !utf8.ValidString(text) {
			return
		}
		var found []ner.Finding
		if 0 <= s && s < e && e <= len(text) && utf8.RuneStart(text[s]) && (e == len(text) || utf8.RuneStart(text[e])) {
			ent := ner.Location
			if org {
				ent = ner.Organization
			}
			found = append(found, ner.Finding{Start: s, End: e, Entity: ent, Score: 0.55, Rule: "prose/organization"})
		}
		fs, err := LabelNames{}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Continuations{}.Refine(context.Background(), text, fs)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			if g.Start < 0 || g.End > len(text) || g.Start >= g.End || !utf8.RuneStart(text[g.Start]) || g.End < len(text) && !utf8.RuneStart(text[g.End]) {
				t.Fatalf("bad finding %v of %d bytes", g, len(text))
			}
		}
	})
}
