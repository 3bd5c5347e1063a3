package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/chain"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/text"
)

func leftoverSpans(text string, ls []Leftover) []string {
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s %s %s %d", text[l.Start:l.End], l.Entity, l.Rule, l.Kind))
	}
	return out
}

// The verifier's chain is a parameter: the same verifier code, given a
// chain that knows a term, finds the term in a released file; and a run
// verifying its own output counts it only if the input showed it too (a
// finding in untouched text that the input did not have is an artefact of
// the replacements around it).
func TestVerifierChain(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	term := ner.NewTermsAs([]string{"bluebell protocol"}, ner.Custom, "test-list")
	withTerm := newVerifier(p, ner.NewChain("verify+list", []ner.Detector{chain.Build(chainConfig(Options{Profile: p})).Verify, term}), e.analyzer.filter, 0)
	in := "Odile Brannigan joined the bluebell protocol in June.\n"
	d := e.Analyze(context.Background(), "n.txt", []byte(in))
	e.Plan(d)
	out, rec := e.Apply(context.Background(), d)
	if out == nil {
		t.Fatalf("not written: %s", rec.Detail)
	}
	released := string(out)
	if !strings.HasPrefix(released, "Person A joined the bluebell protocol") {
		t.Fatalf("output %q", released)
	}
	// veil verify: the engine's verifier finds nothing, the one with the
	// list finds the term.
	if ls, err := e.verifier.checkOutput(context.Background(), text.Plain(), out); err != nil || len(ls) != 0 {
		t.Errorf("engine verifier: %v %v", ls, err)
	}
	ls, err := withTerm.checkOutput(context.Background(), text.Plain(), out)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := leftoverSpans(released, ls), []string{"bluebell protocol CUSTOM_TERM test-list 0"}; !slices.Equal(got, want) {
		t.Errorf("check with the list: %q, want %q", got, want)
	}
	if ls[0].Kind != Redetected || ls[0].Part != "body" {
		t.Errorf("leftover %+v", ls[0])
	}
	// veil run: the input did not show the term to the analyzer, and the
	// redaction left it alone: a context artefact, not a leak.
	if err := withTerm.verifyOutput(context.Background(), text.Plain(), out, d.verifyInput()); err != nil {
		t.Errorf("run verification with the list: %v", err)
	}
}

// A run's verification fails on the first leftover, with an error that
// names the part and the kind, never the value.
func TestVerifyOutputFails(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	input := func(t *testing.T, s string) *verifyInput {
		t.Helper()
		d := e.analyzer.analyze(context.Background(), "n.txt", []byte(s))
		if d.Failed() != nil {
			t.Fatal(d.Failed())
		}
		return d.verifyInput()
	}
	ctx := context.Background()

	// A removed value found again.
	in := input(t, "Call Odile Brannigan.\n")
	in.removed = ner.TermPhrases([]string{"Brannigan"})
	err = e.verifier.verifyOutput(ctx, text.Plain(), []byte("Call Person A; Brannigan agreed.\n"), in)
	if !errors.Is(err, redactors.ErrVerify) || !strings.HasSuffix(err.Error(), ": a redacted value survives in body") || strings.Contains(err.Error(), "Brannigan") {
		t.Errorf("removed value: %v", err)
	}

	// An identifier the input showed and the plan did not replace.
	in = input(t, "SSN 123-45-6789\n")
	err = e.verifier.verifyOutput(ctx, text.Plain(), []byte("SSN 123-45-6789\n"), in)
	if !errors.Is(err, redactors.ErrVerify) || !strings.HasSuffix(err.Error(), "re-detection finds SSN in body") {
		t.Errorf("re-detection: %v", err)
	}

	// An output that does not parse again, unless everything was redacted.
	in = input(t, "Odile Brannigan\n")
	if err := e.verifier.verifyOutput(ctx, text.Plain(), nil, in); !errors.Is(err, redactors.ErrVerify) {
		t.Errorf("empty output without edits: %v", err)
	}
	in.edits = []redactors.Edit{{Part: 0, Start: 0, End: 15}}
	if err := e.verifier.verifyOutput(ctx, text.Plain(), nil, in); err != nil {
		t.Errorf("everything redacted away: %v", err)
	}
}

// An output seen alone: the shapes of the profile's replacements are not
// identifiers, nor is what an idempotent action leaves as it is; every
// other finding is reported, with its location only.
func TestCheckOutput(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true, CheckOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	out := "Client A, aged 45, met Person B in [date] [place].\nPerson B's number is 555-201-7788, seen on 12 March 2019.\n"
	ls, err := e.Check(context.Background(), "n.txt", []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	got := leftoverSpans(out, ls)
	if len(got) != 2 || !strings.HasPrefix(got[0], "555-201-7788 PHONE") || !strings.HasPrefix(got[1], "12 March 2019 DATE") {
		t.Errorf("leftovers %q", got)
	}
	// The age above is detected (age-context) and left because the
	// profile keeps ages under 90; an age it changes (90+) is reported.
	over := "Client A, aged 95, met Person B.\n"
	if ls, err = e.Check(context.Background(), "n.txt", []byte(over)); err != nil {
		t.Fatal(err)
	}
	if got := leftoverSpans(over, ls); len(got) != 1 || !strings.HasPrefix(got[0], "95 AGE") {
		t.Errorf("age over 89: leftovers %q", got)
	}
	if _, err := e.Check(context.Background(), "n.xyz", []byte(out)); !errors.Is(err, redactors.ErrUnsupported) {
		t.Errorf("unsupported: %v", err)
	}
}

// veil verify runs the profile's whole chain, refiners included, over an
// output seen alone: a word that only a refiner flags right next to a
// replacement (maximum recall reads "OR" after a city as a state, alone
// as a word) is an artefact of the replacement; the same refiner's
// finding away from any replacement, and a rule's finding anywhere, are
// reported.
func TestCheckOutputRefiners(t *testing.T) {
	p, _ := profiles.Load("research")
	e, err := NewEngine(Options{Profile: p, NoNER: true, CheckOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		out  string
		want int
	}{
		{"She lives at [ADDRESS], [LOCATION], OR 972 and works nights.\n", 0},
		{"She works nights.\nThe Zorblatt Quintaro group met weekly.\n", 1},
		{"She lives at [ADDRESS]. Call 503-555-0147 today.\n", 1},
	} {
		ls, err := e.Check(context.Background(), "n.txt", []byte(c.out))
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != c.want {
			t.Errorf("%q: leftovers %q, want %d", c.out, leftoverSpans(c.out, ls), c.want)
		}
	}
}

// A run's verification reads again the sentences around each replacement
// and judges the rest of a part by what analysis found there: an
// identifier the plan left, near a replacement or far from any, is a
// leftover either way; text the plan left alone costs no detection.
func TestVerifyChangedWindows(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	filler := strings.Repeat("The session covered sleep, work and the weekly plan in some detail. ", 12)
	in := "Call Odile Brannigan at home. " + filler + "\nHer number is (503) 555-0147 now.\n"
	d := e.analyzer.analyze(context.Background(), "n.txt", []byte(in))
	if d.Failed() != nil {
		t.Fatal(d.Failed())
	}
	name := strings.Index(in, "Odile Brannigan")
	phone := strings.Index(in, "(503) 555-0147")
	for _, c := range []struct {
		what  string
		edits []redactors.Edit
		want  string
	}{
		{"phone replaced, name far away left", []redactors.Edit{{Part: 0, Start: phone, End: phone + 14, Replacement: "[phone]"}}, "PERSON"},
		{"name replaced, phone far away left", []redactors.Edit{{Part: 0, Start: name, End: name + 15, Replacement: "Client A"}}, "PHONE"},
		{"first name only replaced, surname next to it left", []redactors.Edit{{Part: 0, Start: name, End: name + 5, Replacement: "Client A"},
			{Part: 0, Start: phone, End: phone + 14, Replacement: "[phone]"}}, "PERSON"},
		{"both replaced", []redactors.Edit{{Part: 0, Start: name, End: name + 15, Replacement: "Client A"},
			{Part: 0, Start: phone, End: phone + 14, Replacement: "[phone]"}}, ""},
	} {
		vi := d.verifyInput()
		vi.edits = c.edits
		vi.replacements = nil
		for _, ed := range c.edits {
			vi.replacements = append(vi.replacements, ed.Replacement)
		}
		vi.removed = nil
		out := redactors.Splice(in, c.edits)
		err := e.verifier.verifyOutput(context.Background(), text.Plain(), []byte(out), vi)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.what, err)
		case c.want != "" && (!errors.Is(err, redactors.ErrVerify) || !strings.Contains(err.Error(), "finds "+c.want)):
			t.Errorf("%s: %v, want re-detection of %s", c.what, err, c.want)
		}
	}
}

// A removed value of several words is not found again where a replacement
// the redactor wrote stands between its words ("3 [REDACTED] boxes" does
// not show "3 boxes"); it is where its words stand together (a space, a
// soft hyphen, a zero-width space, a deletion or punctuation-only
// replacement between them), where the replacement's text was in the
// input already (the redactor did not write it), where the replacement
// took the place of no word, and where a shorter
// removed value stands on one side of the replacement.
func TestVerifyRemovedValueAcrossReplacement(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// edit verifies the output of input with input[start:end] replaced
	// by repl (no edit when start < 0), removed holding values.
	edit := func(input string, start, end int, repl string, values ...string) error {
		t.Helper()
		d := e.analyzer.analyze(ctx, "n.txt", []byte(input))
		if d.Failed() != nil {
			t.Fatal(d.Failed())
		}
		in := d.verifyInput()
		in.edits, in.replacements = nil, []string{"[REDACTED]"}
		if start >= 0 {
			in.edits = []redactors.Edit{{Part: 0, Start: start, End: end, Replacement: repl}}
			in.replacements = append(in.replacements, repl)
		}
		in.removed = ner.TermPhrases(values)
		out := redactors.Splice(input, in.edits)
		return e.verifier.verifyOutput(ctx, text.Plain(), []byte(out), in)
	}
	// check replaces word (no edit when it is "").
	check := func(input, word, repl string, values ...string) error {
		t.Helper()
		if word == "" {
			return edit(input, -1, -1, repl, values...)
		}
		k := strings.Index(input, word)
		return edit(input, k, k+len(word), repl, values...)
	}
	survives := func(err error) bool {
		return errors.Is(err, redactors.ErrVerify) && strings.HasSuffix(err.Error(), ": a redacted value survives in body")
	}
	if err := check("We counted 3 Zorvex boxes on the quay.\n", "Zorvex", "[REDACTED]", "3 boxes"); err != nil {
		t.Errorf("value split by a replacement: %v", err)
	}
	if err := check("Orsolya Zed Quillanby signed.\n", "Zed", "PERSON-1a2b3c4d", "Orsolya Quillanby"); err != nil {
		t.Errorf("name split by a pseudonym: %v", err)
	}
	for _, c := range []struct{ name, input, word, repl string }{
		{"together", "We counted 3 boxes on the quay.\n", "", ""},
		{"soft hyphen", "We counted 3\u00ad boxes on the quay.\n", "", ""},
		{"zero-width", "We counted 3 \u200bboxes on the quay.\n", "", ""},
		{"deleted between", "We counted 3 Zorvex boxes on the quay.\n", "Zorvex", ""},
		{"punctuation between", "We counted 3 Zorvex boxes on the quay.\n", "Zorvex", "--"},
		{"replacement text in the input", "We counted 3 [REDACTED] boxes on the quay.\n", "quay", "[REDACTED]"},
	} {
		if err := check(c.input, c.word, c.repl, "3 boxes"); !survives(err) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := check("We counted 3 Zorvex boxes on the quay.\n", "Zorvex", "[REDACTED]", "3 boxes", "boxes"); !survives(err) {
		t.Errorf("shorter value after the replacement: %v", err)
	}
	if err := check("Orsolya Zed Quillanby signed.\n", "Zed", "[REDACTED]", "Orsolya Quillanby", "Orsolya"); !survives(err) {
		t.Errorf("shorter value before the replacement: %v", err)
	}
	// A replacement written where no word was removed splits nothing.
	if err := edit("We counted 3 boxes on the quay.\n", 13, 13, "[REDACTED] ", "3 boxes"); !survives(err) {
		t.Errorf("replacement inserted between: %v", err)
	}
	if err := edit("We counted 3 ;; boxes on the quay.\n", 13, 15, "[REDACTED]", "3 boxes"); !survives(err) {
		t.Errorf("replacement of punctuation between: %v", err)
	}
}
