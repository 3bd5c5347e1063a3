package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
)

// redactText runs one text through an engine without the statistical model
// (rules and name lists only, so the expectations are exact).
func redactText(t *testing.T, e *pipeline.Engine, text string) (string, report.File) {
	t.Helper()
	out, rec := e.Redact(context.Background(), "note.txt", []byte(text))
	if out == nil {
		t.Fatalf("not written: %s %s", rec.Reason, rec.Detail)
	}
	return string(out), rec
}

func engine(t *testing.T, profile string, o pipeline.Options) *pipeline.Engine {
	t.Helper()
	p, err := profiles.Load(profile)
	if err != nil {
		p, err = profiles.Parse([]byte(profile), "test")
		if err != nil {
			t.Fatal(err)
		}
	}
	o.Profile, o.NoNER = p, true
	if o.Secrets == nil {
		o.Secrets = testKeys(t)
	}
	if o.Year == 0 {
		o.Year = testYear
	}
	e, err := pipeline.NewEngine(o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// nerEngine is an engine of the built-in profile with its named-entity
// detection on (engine turns it off), the test keys and year.
func nerEngine(t *testing.T, profile string) *pipeline.Engine {
	t.Helper()
	p, err := profiles.Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, Secrets: testKeys(t), Year: testYear})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestPlan(t *testing.T) {
	const aliasIdentifying = `
name: t
threshold: 0.5
rules:
  - {entity: PERSON, action: alias, alias: Person, titles: identifying, basis: b}
  - {entity: EMAIL, action: drop, basis: b}
default: {action: label, basis: b}
`
	cases := []struct {
		name, profile string
		opts          pipeline.Options
		in, want      string
	}{
		{"values at start and end", "supervision", pipeline.Options{},
			"Maria Sandoval called Dr. Helen Fielding", "Person A called Dr. Person B"},
		{"client from context, titles dropped", "supervision", pipeline.Options{},
			"Client: Maria Sandoval\nMs Sandoval reports that Dr. Fielding helped.", "Client: Client A\nClient A reports that Dr. Person B helped."},
		{"client named later in the document", "supervision", pipeline.Options{},
			"Ms Sandoval called.\nI am referring Maria Sandoval for treatment.", "Client A called.\nI am referring Client A for treatment."},
		{"credentials go with the name", "supervision", pipeline.Options{},
			"From: Samuel Okafor, LCSW, intake coordinator", "From: Person A, intake coordinator"},
		{"relationship words are not titles", "supervision", pipeline.Options{},
			"Her sister Elena Sandoval visits.", "Her sister Person A visits."},
		{"identifying titles only", aliasIdentifying, pipeline.Options{},
			"Judge Helen Fielding saw Ms. Maria Sandoval.", "Person A saw Ms. Person B."},
		{"care titles stay", aliasIdentifying, pipeline.Options{},
			"Dr. Helen Fielding and Nurse Orsolya Quillanby saw Tamsin Everard.", "Dr. Person A and Nurse Person B saw Person C."},
		{"the client loses a care title", "supervision", pipeline.Options{},
			"Client: Philippa Holloway\nDr. Holloway was seen with Dr. Tamsin Everard.", "Client: Client A\nClient A was seen with Dr. Person B."},
		{"drop keeps one space", aliasIdentifying, pipeline.Options{},
			"write to m.sandoval@example.net today", "write to today"},
		{"drop at the end", aliasIdentifying, pipeline.Options{},
			"write to m.sandoval@example.net", "write to"},
		{"minor from context", "court", pipeline.Options{},
			"His daughter, Margaret Ellison, a minor aged 16, called. Thomas Ellison paid.",
			"His daughter, M.E., a minor aged 16, called. Thomas Ellison paid."},
		{"minor from a birth year", "court", pipeline.Options{},
			"Ms. Jamie Doe, born 2011, testified in 2024. Mr. John Roe, born 1980, did not.",
			"Ms. J.D., born 2011, testified in 2024. Mr. John Roe, born 1980, did not."},
		{"minor from a spelled age", "court", pipeline.Options{},
			"Ms. Jamie Doe is twelve years old.", "Ms. J.D. is twelve years old."},
		{"adjective minor is no cue", "court", pipeline.Options{},
			"Thomas Ellison had a minor injury.", "Thomas Ellison had a minor injury."},
		{"minors list, Unicode", "court", pipeline.Options{Minors: []string{"Łukasz Żółć"}},
			"Łukasz Żółć and ŁUKASZ ŻÓŁĆ came.", "Ł.Ż. and Ł.Ż. came."},
		{"court keeps the rest", "court", pipeline.Options{},
			"Thomas Ellison, SSN 234-56-7890, born June 21, 1953, lives at 87 Willow Creek Road, Beaverton, OR 97005.",
			"Thomas Ellison, SSN XXX-XX-7890, born 1953, lives at 87 Willow Creek Road, Beaverton, OR 97005."},
		{"home address to city and state", "court-criminal", pipeline.Options{},
			"I live at 87 Willow Creek Road, Beaverton, OR 97005.", "I live at Beaverton, OR."},
		{"unit and wrapped ZIP", "court-criminal", pipeline.Options{},
			"at 1420 Alder Street, Apt 3B, Portland, OR\n97214 since", "at Portland, OR since"},
		{"address without city", "court-criminal", pipeline.Options{},
			"at 1420 Alder Street since", "at [ADDRESS] since"},
		{"deny lists with their own labels", "court", pipeline.Options{DenyLists: []pipeline.DenyList{
			{Terms: []string{"Project Falcon"}}, {Terms: []string{"Halcyon"}, Label: "REDACTED – CONFIDENTIAL", Basis: "protective order"}}},
			"The Project Falcon memo named Halcyon.", "The REDACTED – PRIVILEGED memo named REDACTED – CONFIDENTIAL."},
		{"overlapping entities", "supervision", pipeline.Options{DenyList: []string{"Sandoval Trust"}},
			"Paid to the Maria Sandoval Trust.", "Paid to the [redacted]."},
		// issue 16: a paralegal's production
		{"undashed SSN and account under their column headers", "court", pipeline.Options{},
			"| Payee | SSN | Bank / Account No. | Amount |\n|---|---|---|---|\n| Ruth Okonkwo | 456789012 | First Federal 00123456789 | $400.00 |\n",
			"| Payee | SSN | Bank / Account No. | Amount |\n|---|---|---|---|\n| Ruth Okonkwo | XXX-XX-9012 | First Federal XXXX6789 | $400.00 |\n"},
		{"routing number kept, account to its last four", "court", pipeline.Options{},
			"Wire to ABA routing number 111000614, account no. 0012345678.",
			"Wire to ABA routing number 111000614, account no. XXXX5678."},
		{"birth dates in a sentence and a deposition answer", "court", pipeline.Options{},
			"His date of birth is June 5, 1970.\nQ. And your date of birth?\nA. March 3, 1987.",
			"His date of birth is 1970.\nQ. And your date of birth?\nA. 1987."},
		{"zip3, ages and birth dates over 89", "research", pipeline.Options{},
			"Portland, OR 97214; Hanover, NH 03601; age 91; age 37; DOB 03/02/1930",
			"[LOCATION], OR 972; [LOCATION], NH 000; age 90+; age 37; DOB [90 or older]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, rec := redactText(t, engine(t, c.profile, c.opts), c.in)
			if got != c.want {
				t.Fatalf("\n got %q\nwant %q", got, c.want)
			}
			for _, ch := range rec.Changes {
				if ch.Basis == "" {
					t.Errorf("change without basis: %+v", ch)
				}
				if got[ch.Start:ch.End] != ch.Replacement {
					t.Errorf("change %+v does not locate %q in the output", ch, ch.Replacement)
				}
			}
		})
	}
}

// The report rows carry the basis of the rule that made them, role and
// deny-list rules included.
func TestPlanBasis(t *testing.T) {
	e := engine(t, "court-criminal", pipeline.Options{DenyLists: []pipeline.DenyList{{Terms: []string{"Halcyon"}, Basis: "protective order ¶ 4"}}})
	_, rec := redactText(t, e, "Margaret Ellison, a minor aged 16, lives at 87 Willow Creek Road, Beaverton, OR 97005. Halcyon.")
	want := map[string]string{"initials": "Fed. R. Crim. P. 49.1(a)(3)", "city_state": "Fed. R. Crim. P. 49.1(a)(5)", "label": "protective order ¶ 4"}
	for _, ch := range rec.Changes {
		if want[ch.Action] != ch.Basis {
			t.Errorf("%s: basis %q, want %q", ch.Action, ch.Basis, want[ch.Action])
		}
		delete(want, ch.Action)
	}
	if len(want) > 0 {
		t.Errorf("no rows for %v", want)
	}
}

// One person written five ways in one document is one alias.
func TestSamePersonFiveWaysInADocument(t *testing.T) {
	e := engine(t, "supervision", pipeline.Options{})
	got, _ := redactText(t, e, "Patient: Walter J. Brennan\nMr. Brennan is well. WALTER BRENNAN signed; Brennan, Walter (walter brennan's copy).\n")
	if strings.Contains(got, "Person B") || strings.Contains(strings.ToLower(got), "brennan") || strings.Contains(strings.ToLower(got), "walter") {
		t.Fatalf("%q", got)
	}
	if n := strings.Count(got, "Client A"); n < 5 {
		t.Fatalf("%d aliases in %q", n, got)
	}
}

// Two runs of one case: with the same key and mapping file, the same
// person gets the same alias and the same pseudonym in different files;
// with another key, other pseudonyms, and the mapping does not open.
func TestMappingAcrossRuns(t *testing.T) {
	day1 := "Client: Maria Sandoval\nSeen with her sister Elena Sandoval. Dr. Helen Fielding attended.\n"
	// "Ms Sandoval" alone would fit both sisters: it would get an alias of
	// its own (nobody is merged by a shared surname).
	day2 := "Maria Sandoval returned with Dr. Fielding. New today: Greg Tomlinson. Elena Sandoval called.\n"
	keys := testKeys(t)

	run := func(profile string, k *profiles.Keys, cs *profiles.Case, text string) string {
		t.Helper()
		out, _ := redactText(t, engine(t, profile, pipeline.Options{Secrets: k, Case: cs}), text)
		return out
	}
	// Day 1, then save the mapping.
	cs := profiles.NewCase()
	out1 := run("supervision", keys, cs, day1)
	var file bytes.Buffer
	if err := cs.Save(&file, keys); err != nil {
		t.Fatal(err)
	}
	// Day 2, another file, from the mapping.
	cs2, err := profiles.LoadCase(bytes.NewReader(file.Bytes()), keys)
	if err != nil {
		t.Fatal(err)
	}
	out2 := run("supervision", keys, cs2, day2)
	if out1 != "Client: Client A\nSeen with her sister Person B. Dr. Person C attended.\n" {
		t.Fatalf("day 1: %q", out1)
	}
	if out2 != "Client A returned with Dr. Person C. New today: Person D. Person B called.\n" {
		t.Fatalf("day 2: %q", out2)
	}
	// Without the mapping, day 2 alone would start again at A.
	if fresh := run("supervision", keys, profiles.NewCase(), day2); fresh == out2 {
		t.Fatalf("the mapping made no difference: %q", fresh)
	}
	// The mapping does not open with another key.
	other, _ := profiles.NewKeys([]byte("another key for the same case file"))
	if _, err := profiles.LoadCase(bytes.NewReader(file.Bytes()), other); !errors.Is(err, profiles.ErrMappingKey) {
		t.Fatalf("other key: %v", err)
	}

	// Pseudonyms: the same in both runs and files with one key, even without
	// a mapping; different with another key.
	tok := regexp.MustCompile(`PERSON-[0-9a-f]{8}`)
	p1 := tok.FindAllString(run("research", keys, profiles.NewCase(), "Client: Maria Sandoval saw Dr. Helen Fielding."), -1)
	p2 := tok.FindAllString(run("research", keys, profiles.NewCase(), "Helen Fielding, PhD, wrote to Ms. Maria  Sandoval."), -1)
	p3 := tok.FindAllString(run("research", other, profiles.NewCase(), "Client: Maria Sandoval saw Dr. Helen Fielding."), -1)
	if len(p1) != 2 || len(p2) != 2 || len(p3) != 2 {
		t.Fatalf("tokens %v %v %v", p1, p2, p3)
	}
	if p1[0] != p2[1] || p1[1] != p2[0] || p1[0] == p1[1] {
		t.Fatalf("same key, other run: %v vs %v", p1, p2)
	}
	if p3[0] == p1[0] || p3[1] == p1[1] {
		t.Fatalf("another key gives the same tokens: %v vs %v", p3, p1)
	}
}

// Date shifting keeps intervals across the files of one client.
func TestDateShiftAcrossFiles(t *testing.T) {
	const shifted = `
name: research-shifted
extends: research
rules:
  - {entity: DATE, action: date_shift, basis: "45 CFR 164.514(b)(2)(i)(C)"}
`
	e := engine(t, shifted, pipeline.Options{})
	a, _ := redactText(t, e, "Patient: Walter J. Brennan\nAdmitted 2024-02-11.\n")
	b, _ := redactText(t, e, "Mr. Brennan was discharged 2024-02-19.\n")
	d := regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}`)
	da, db := d.FindString(a), d.FindString(b)
	if da == "" || db == "" || da == "2024-02-11" || db == "2024-02-19" {
		t.Fatalf("%q %q", a, b)
	}
	ta, tb := profiles.ParseDate(da), profiles.ParseDate(db)
	if diff := dayNumber(tb) - dayNumber(ta); diff != 8 {
		t.Fatalf("interval %d days, want 8 (%s, %s)", diff, da, db)
	}
}

func dayNumber(d profiles.Date) int {
	n := 0
	for y := 2000; y < d.Year; y++ {
		n += 365
		if y%4 == 0 {
			n++
		}
	}
	md := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if d.Year%4 == 0 {
		md[1] = 29
	}
	for m := 1; m < d.Month; m++ {
		n += md[m-1]
	}
	return n + d.Day
}

func TestNeedsKey(t *testing.T) {
	p, _ := profiles.Load("research")
	if _, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true}); !errors.Is(err, pipeline.ErrNoKey) {
		t.Fatalf("research without a key: %v", err)
	}
	c, _ := profiles.Load("supervision")
	if _, err := pipeline.NewEngine(pipeline.Options{Profile: c, NoNER: true}); err != nil {
		t.Fatal(err)
	}
}

// TestClinicalContent measures over-redaction by the supervision profile:
// the share of the clinical terms of the samples (symptoms, diagnoses,
// scales, medications, interventions) left intact.
func TestClinicalContent(t *testing.T) {
	raw, err := os.ReadFile("testdata/clinical_terms.txt")
	if err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			terms = append(terms, l)
		}
	}
	in := strings.Join(mapValues(readTree(t, samples)), "\n")
	out, _, _, _ := runFolder(t, "supervision", samples, pipeline.Options{})
	got := strings.Join(mapValues(readTree(t, out)), "\n")
	intact := 0
	for _, term := range terms {
		re := regexp.MustCompile(`(?i)(?:^|[^\pL\pN])` + regexp.QuoteMeta(term) + `(?:$|[^\pL\pN])`)
		want := len(re.FindAllStringIndex(in, -1))
		if want == 0 {
			t.Fatalf("%q is not in the samples", term)
		}
		if n := len(re.FindAllStringIndex(got, -1)); n == want {
			intact++
		} else {
			t.Logf("over-redacted: %q (%d of %d left)", term, n, want)
		}
	}
	share := float64(intact) / float64(len(terms))
	t.Logf("clinical terms intact: %d of %d (%.1f%%)", intact, len(terms), 100*share)
	if share < 0.95 {
		t.Errorf("supervision over-redacts: only %.1f%% of clinical terms intact", 100*share)
	}
}

func mapValues(m map[string][]byte) []string {
	var out []string
	for k, v := range m {
		if !strings.HasPrefix(k, "veil-report/") {
			out = append(out, string(v))
		}
	}
	return out
}

// FuzzPlan: any text through every built-in profile either comes out
// verified or is quarantined with a reason; planning never panics, and
// every change locates its replacement in the output.
func FuzzPlan(f *testing.F) {
	for _, s := range []string{
		"Client: Maria Sandoval\nMs Sandoval, a minor aged 16, lives at 87 Willow Creek Road, Beaverton, OR 97005.",
		"Dr. Helen Fielding, PsyD, LCSW saw Mr. Brennan (born 1931-11-02) on 02/26/2024.",
		"at 1 Main St, Apt 3B, Salt Lake City, Utah 84101-1234", "Ms. Ø", "", "born 2015",
	} {
		f.Add(s)
	}
	var engines []*pipeline.Engine
	keys, _ := profiles.NewKeys([]byte(testSecret))
	for _, n := range profiles.BuiltinNames() {
		p, _ := profiles.Load(n)
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Secrets: keys, Year: testYear, Minors: []string{"Jamie Doe"}})
		if err != nil {
			f.Fatal(err)
		}
		engines = append(engines, e)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, e := range engines {
			out, rec := e.Redact(context.Background(), "x.txt", []byte(text))
			if rec.Reason == "internal_error" {
				t.Fatalf("%s: internal error on %q", e.Profile().Name, text)
			}
			for _, ch := range rec.Changes {
				if out != nil && (ch.Start < 0 || ch.End > len(out) || string(out[ch.Start:ch.End]) != ch.Replacement) {
					t.Fatalf("%s: change %+v does not locate its replacement", e.Profile().Name, ch)
				}
			}
		}
	})
}

var _ = filepath.Join
