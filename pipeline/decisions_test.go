package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/text"
)

// Every person, number and place below is invented.
const decisionsNote = `Client: Odile Brannigan
Call (503) 555-0183 to reschedule.
Her neighbour Piet Vandersloot drives her; Piet waits outside.
At the allotment she is the marrow queen.
`

func sum(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

func decisionsEngine(t *testing.T, ds *Decisions) *Engine {
	t.Helper()
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Options{Profile: p, NoNER: true, Decisions: ds})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func redactOne(t *testing.T, e *Engine, key, in string) (string, report.File) {
	t.Helper()
	out, rec := e.Redact(context.Background(), key, []byte(in))
	if out == nil {
		t.Fatalf("%s not written: %s %s", key, rec.Reason, rec.Detail)
	}
	return string(out), rec
}

func noteDecisions(content string) *Decisions {
	return &Decisions{Profile: "supervision", Reviewer: "R. Tester", Documents: []DocumentDecisions{{
		Key: "note.txt", SHA256: sum(content), Reviewed: true,
		Decisions: []Decision{
			// A number the reviewer knows is the clinic's switchboard.
			{Verdict: Reject, Entity: "PHONE", Value: "(503) 555-0183", Rule: "pattern/us-phone"},
			// A nickname only the reviewer recognises.
			{Verdict: Add, Entity: "PERSON", Value: "marrow queen"},
			{Verdict: Accept, Entity: "PERSON", Value: "Odile Brannigan"},
		},
	}}}
}

// Without decisions the plan redacts the number and keeps the nickname;
// with them the number stays, the nickname goes, the run's own
// verification passes (although its rules find the number again), and the
// report counts what the decisions did.
func TestDecisionsApplied(t *testing.T) {
	plain, _ := redactOne(t, decisionsEngine(t, nil), "note.txt", decisionsNote)
	if strings.Contains(plain, "555-0183") || !strings.Contains(plain, "marrow queen") {
		t.Fatalf("the test needs a plan that redacts the number and misses the nickname:\n%s", plain)
	}
	// The verifier's rules find the number: keeping it is a real test.
	ls, err := decisionsEngine(t, nil).Check(context.Background(), "note.txt", []byte(decisionsNote))
	if err != nil || !hasEntity(ls, ner.Phone) {
		t.Fatalf("veil verify does not find the number in the input: %v %v", ls, err)
	}

	e := decisionsEngine(t, noteDecisions(decisionsNote))
	out, rec := redactOne(t, e, "note.txt", decisionsNote)
	if !strings.Contains(out, "Call (503) 555-0183 to") {
		t.Errorf("the rejected number was redacted:\n%s", out)
	}
	if strings.Contains(out, "marrow") || strings.Contains(out, "Brannigan") {
		t.Errorf("an added or accepted value survives:\n%s", out)
	}
	if rec.Review == nil || *rec.Review != (report.FileReview{Reviewed: true, Accepted: 1, Rejected: 1, Added: 1}) {
		t.Errorf("file review %+v", rec.Review)
	}
	added := 0
	for _, c := range rec.Changes {
		if c.Rule == AddedRule {
			added++
			if c.Entity != "PERSON" {
				t.Errorf("added change %+v", c)
			}
		}
	}
	if added != 1 {
		t.Logf("changes: %+v", rec.Changes)
		t.Errorf("%d changes with rule %s, want 1", added, AddedRule)
	}
	s := e.ReviewSummary("")
	if *s != (report.Review{Reviewer: "R. Tester", Accepted: 1, Rejected: 1, Added: 1, Documents: 1, Reviewed: 1}) {
		t.Errorf("summary %+v", s)
	}
	if s := e.ReviewSummary("Someone Else"); s.Reviewer != "Someone Else" {
		t.Errorf("--reviewer does not name the reviewer: %+v", s)
	}
	// Deterministic: the same decisions give the same bytes.
	again, _ := redactOne(t, decisionsEngine(t, noteDecisions(decisionsNote)), "note.txt", decisionsNote)
	if again != out {
		t.Errorf("two runs differ:\n%s\n---\n%s", out, again)
	}
}

// Rejecting one word of a name keeps that word wherever it stands alone,
// while the full name is still redacted: the removed-value search does not
// take the kept word for a leak of the removed name.
func TestDecisionsKeepAWordOfARemovedName(t *testing.T) {
	ds := &Decisions{Profile: "supervision", Documents: []DocumentDecisions{{
		Key: "note.txt", SHA256: sum(decisionsNote),
		Decisions: []Decision{{Verdict: Reject, Entity: "PERSON", Value: "Piet"}},
	}}}
	out, rec := redactOne(t, decisionsEngine(t, ds), "note.txt", decisionsNote)
	if !strings.Contains(out, "; Piet waits") || strings.Contains(out, "Vandersloot") {
		t.Errorf("output:\n%s", out)
	}
	if rec.Review.Rejected != 1 {
		t.Errorf("review %+v", rec.Review)
	}
}

// Verification honours a kept value, and only that value: another number
// the rules find, or the kept one with more around it, still fails.
func TestVerifyHonoursOnlyTheKeptValue(t *testing.T) {
	e := decisionsEngine(t, noteDecisions(decisionsNote))
	d := e.Analyze(context.Background(), "note.txt", []byte(decisionsNote))
	e.Plan(d)
	out, rec := e.Apply(context.Background(), d)
	if out == nil {
		t.Fatalf("not written: %s", rec.Detail)
	}
	v := e.verifier
	if err := v.verifyOutput(context.Background(), text.Plain(), out, d.verifyInput()); err != nil {
		t.Fatalf("the output itself: %v", err)
	}
	for _, extra := range []string{
		"Also (503) 555-0199.\n",  // another number
		"Or +1 (503) 555-0183.\n", // the kept value with more
	} {
		bad := append(append([]byte(nil), out...), extra...)
		err := v.verifyOutput(context.Background(), text.Plain(), bad, d.verifyInput())
		if !errors.Is(err, redactors.ErrVerify) {
			t.Errorf("%q passed verification: %v", extra, err)
		}
	}
	// Without the decision to keep it, the number is a leftover (and not
	// a context artefact: the input had it flagged).
	in := d.verifyInput()
	o := *in.decided
	o.honoured = map[string]bool{}
	in.decided = &o
	if err := v.verifyOutput(context.Background(), text.Plain(), out, in); err == nil {
		t.Error("the kept number passes verification without the decision")
	}
}

// A file that changed since the review keeps only the reviewer's
// additions: its rejections are not applied (fail closed), and the report
// says so.
func TestDecisionsStaleFile(t *testing.T) {
	changed := decisionsNote + "Seen again on Tuesday.\n"
	e := decisionsEngine(t, noteDecisions(decisionsNote))
	out, rec := redactOne(t, e, "note.txt", changed)
	if strings.Contains(out, "555-0183") || strings.Contains(out, "marrow") {
		t.Errorf("output:\n%s", out)
	}
	if !rec.Review.Changed || rec.Review.Reviewed || rec.Review.Rejected != 0 || rec.Review.Added != 1 {
		t.Errorf("review %+v", rec.Review)
	}
	if s := e.ReviewSummary(""); s.Stale != 2 || s.Added != 1 {
		t.Errorf("summary %+v", s)
	}
}

// A decision for the whole case applies in every file.
func TestDecisionsCaseScope(t *testing.T) {
	ds := &Decisions{Profile: "supervision", Documents: []DocumentDecisions{{
		Key: "a.txt", SHA256: sum("x"),
		Decisions: []Decision{{Verdict: Add, Scope: ScopeCase, Entity: "PERSON", Value: "Bunny"}},
	}}}
	e := decisionsEngine(t, ds)
	for _, key := range []string{"a.txt", "b.txt"} {
		if out, _ := redactOne(t, e, key, "Bunny phoned twice.\n"); strings.Contains(out, "Bunny") {
			t.Errorf("%s: %q", key, out)
		}
	}
}

// The plaintext is deterministic, and a sealed file round-trips.
func TestDecisionsEncoding(t *testing.T) {
	a := noteDecisions(decisionsNote)
	b := noteDecisions(decisionsNote)
	ds := b.Documents[0].Decisions
	ds[0], ds[2] = ds[2], ds[0]
	b.Documents[0].Decisions = append(ds, ds[1]) // a repeat
	b.Documents = append(b.Documents, DocumentDecisions{Key: "empty.txt", SHA256: sum("")})
	ea, err := a.Encode()
	if err != nil {
		t.Fatal(err)
	}
	eb, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ea, eb) {
		t.Errorf("the same decisions encode differently:\n%s\n%s", ea, eb)
	}
	got, err := DecodeDecisions(ea)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := got.Encode(); !bytes.Equal(again, ea) {
		t.Errorf("decode and encode changes the file")
	}

	k, err := profiles.NewKeys([]byte("a key for the decisions test, long enough"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "case.veildec")
	if err := a.SaveFile(path, k); err != nil {
		t.Fatal(err)
	}
	back, err := LoadDecisionsFile(path, k)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := back.Encode(); !bytes.Equal(again, ea) {
		t.Errorf("sealed round trip differs")
	}
	other, _ := profiles.NewKeys([]byte("another key for the decisions test"))
	if _, err := LoadDecisionsFile(path, other); !errors.Is(err, profiles.ErrWrongKey) {
		t.Errorf("wrong key: %v", err)
	}
}

// Bad decisions are refused with an error that names the document and the
// decision by number, never a value or a key.
func TestDecisionsInvalid(t *testing.T) {
	for name, c := range map[string]struct {
		json, want string
	}{
		"unknown field": {`{"version":1,"profile":"supervision","documents":[],"extra":"Odile"}`, "not valid JSON"},
		"version":       {`{"version":9,"profile":"supervision","documents":[]}`, "version 9"},
		"verdict":       {`{"version":1,"profile":"supervision","documents":[{"key":"odile.txt","sha256":"` + sum("") + `","decisions":[{"verdict":"maybe","entity":"PERSON","value":"Odile"}]}]}`, "document 1, decision 1: verdict"},
		"entity":        {`{"version":1,"profile":"supervision","documents":[{"key":"odile.txt","sha256":"` + sum("") + `","decisions":[{"verdict":"add","entity":"NAME","value":"Odile"}]}]}`, "is not an entity"},
		"contradiction": {`{"version":1,"profile":"supervision","documents":[{"key":"odile.txt","sha256":"` + sum("") + `","decisions":[{"verdict":"add","entity":"PERSON","value":"Odile"},{"verdict":"reject","entity":"PERSON","value":"ODILE"}]}]}`, "contradicts"},
		"sum":           {`{"version":1,"profile":"supervision","documents":[{"key":"odile.txt","sha256":"x"}]}`, "sha256"},
	} {
		_, err := DecodeDecisions([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
			continue
		}
		if strings.Contains(strings.ToLower(err.Error()), "odile") {
			t.Errorf("%s: the error holds a value or key: %v", name, err)
		}
	}
	// Another profile's decisions, or an addition the profile would keep.
	p, _ := profiles.Load("court")
	if _, err := NewEngine(Options{Profile: p, NoNER: true, Decisions: noteDecisions(decisionsNote)}); err == nil || !strings.Contains(err.Error(), "--profile supervision") {
		t.Errorf("profile mismatch: %v", err)
	}
	ds := &Decisions{Profile: "court", Documents: []DocumentDecisions{{Key: "a.txt", SHA256: sum(""),
		Decisions: []Decision{{Verdict: Add, Entity: "PERSON", Value: "Bunny"}}}}}
	if _, err := NewEngine(Options{Profile: p, NoNER: true, Decisions: ds}); err == nil || !strings.Contains(err.Error(), "keeps PERSON") {
		t.Errorf("an addition the profile keeps: %v", err)
	}
}

func hasEntity(ls []Leftover, e ner.Entity) bool {
	for _, l := range ls {
		if l.Entity == e {
			return true
		}
	}
	return false
}

// No input makes the decoder panic, and what it accepts encodes to a file
// it reads back the same.
func FuzzDecodeDecisions(f *testing.F) {
	enc, _ := noteDecisions(decisionsNote).Encode()
	f.Add(enc)
	f.Add([]byte(`{"version":1,"profile":"p","documents":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := DecodeDecisions(b)
		if err != nil {
			return
		}
		once, err := ds.Encode()
		if err != nil {
			t.Fatalf("a decoded file does not encode: %v", err)
		}
		back, err := DecodeDecisions(once)
		if err != nil {
			t.Fatalf("an encoded file does not decode: %v", err)
		}
		twice, _ := back.Encode()
		if !bytes.Equal(once, twice) {
			t.Fatalf("encoding is not stable:\n%s\n%s", once, twice)
		}
	})
}

// A proposal the reviewer accepted and then covered with a longer
// addition ("Stables" inside "Ridgeback Stables") was applied (redacted
// inside the addition): it is not stale.
func TestDecisionsAcceptInsideAddition(t *testing.T) {
	note := "Client: Odile Brannigan works at the Quillfeather yard.\n"
	ds := &Decisions{Profile: "supervision", Documents: []DocumentDecisions{{
		Key: "note.txt", SHA256: sum(note), Reviewed: true,
		Decisions: []Decision{
			{Verdict: Accept, Entity: "PERSON", Value: "Odile Brannigan"},
			{Verdict: Add, Entity: "ORGANIZATION", Value: "Brannigan works at the Quillfeather"},
		},
	}}}
	e := decisionsEngine(t, ds)
	out, _ := redactOne(t, e, "note.txt", note)
	if strings.Contains(out, "Brannigan") || strings.Contains(out, "Quillfeather") {
		t.Errorf("output:\n%s", out)
	}
	if s := e.ReviewSummary(""); s.Stale != 0 || s.Accepted != 1 || s.Added != 1 {
		t.Errorf("summary %+v", s)
	}
}
