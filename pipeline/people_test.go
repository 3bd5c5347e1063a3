package pipeline_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
)

// A deny-listed person is gone in every form a reader recognises, under
// the deny list's label; her husband, who shares her surname and is a party
// the court profile keeps, stays.
func TestDenyListedPersonEveryForm(t *testing.T) {
	p, err := profiles.Load("court")
	if err != nil {
		t.Fatal(err)
	}
	in := "DUNMORE, CORINNE A. v. Northgate Storage\n\n" +
		"Corinne Alys Dunmore rented unit 12. Ms. Dunmore paid in cash; C. Dunmore signed.\n" +
		"Dunmore's receipt was lost. Corinne said so twice.\n" +
		"Gregory Dunmore, her husband, testified.\n"
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, DenyList: []string{"Corinne Dunmore"}, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	out, rec := e.Redact(context.Background(), "filing.txt", []byte(in))
	if rec.Status != "redacted" {
		t.Fatalf("status %s (%s %s)", rec.Status, rec.Reason, rec.Detail)
	}
	got := string(out)
	rest := strings.ReplaceAll(got, "Gregory Dunmore", "")
	if strings.Contains(rest, "Dunmore") || strings.Contains(strings.ToLower(rest), "corinne") {
		t.Errorf("a form of the listed name is left:\n%s", got)
	}
	if !strings.Contains(got, "Gregory Dunmore") {
		t.Errorf("the husband's name was taken for hers:\n%s", got)
	}
	if n := strings.Count(got, "REDACTED – PRIVILEGED"); n != 6 {
		t.Errorf("%d labels, want 6 (one per mention):\n%s", n, got)
	}
}

// A person the chain finds gets one alias in every form of her name.
func TestOnePersonOneAliasEveryForm(t *testing.T) {
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	in := "Session note for Corinne Dunmore.\n\n" +
		"Ms. Dunmore arrived late. Corinne A. Dunmore was tearful; Dunmore's sleep is poor.\n" +
		"Referral form: DUNMORE, CORINNE. Signed C. Dunmore.\n"
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	out, rec := e.Redact(context.Background(), "note.txt", []byte(in))
	if rec.Status != "redacted" {
		t.Fatalf("status %s (%s %s)", rec.Status, rec.Reason, rec.Detail)
	}
	got := string(out)
	if strings.Contains(strings.ToLower(got), "dunmore") || strings.Contains(strings.ToLower(got), "corinne") {
		t.Errorf("a form of the name is left:\n%s", got)
	}
	aliases := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:Client|Person) [A-Z]+\b`).FindAllString(got, -1) {
		aliases[m] = true
	}
	if len(aliases) != 1 {
		t.Errorf("aliases %v, want one:\n%s", aliases, got)
	}
}

// A brother written once by his given name and once by its short form is
// one person, not two, and not his sister.
func TestDiminutiveIsOnePerson(t *testing.T) {
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	in := "Corinne Dunmore came with her brother Thomas Dunmore.\n" +
		"Tom drove her home. Later Tom called; Corinne was calm.\n"
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	out, rec := e.Redact(context.Background(), "note.txt", []byte(in))
	if rec.Status != "redacted" {
		t.Fatalf("status %s (%s %s)", rec.Status, rec.Reason, rec.Detail)
	}
	got := string(out)
	for _, w := range []string{"Tom", "Thomas", "Corinne", "Dunmore"} {
		if strings.Contains(got, w) {
			t.Errorf("%s is left:\n%s", w, got)
		}
	}
	aliases := regexp.MustCompile(`(?:Client|Person) [A-Z]+\b`).FindAllString(got, -1)
	if len(aliases) != 5 {
		t.Fatalf("aliases %q, want 5:\n%s", aliases, got)
	}
	// Corinne Dunmore, Thomas Dunmore, Tom, Tom, Corinne.
	her, him := aliases[0], aliases[1]
	if her == him || aliases[2] != him || aliases[3] != him || aliases[4] != her {
		t.Errorf("aliases %q: want her, him, him, him, her", aliases)
	}
}

// Diseases, scales and signs named after people are not people.
func TestEponymsStayInSupervision(t *testing.T) {
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	in := "Walter Brennan, 58, has Parkinson's disease and Hashimoto's thyroiditis. Dr. Parkinson saw him.\n" +
		"Beck Depression Inventory: 22. Glasgow Coma Scale 15 on admission.\n"
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	out, rec := e.Redact(context.Background(), "note.txt", []byte(in))
	if rec.Status != "redacted" {
		t.Fatalf("status %s (%s %s)", rec.Status, rec.Reason, rec.Detail)
	}
	got := string(out)
	for _, w := range []string{"Parkinson's disease", "Hashimoto's thyroiditis", "Beck Depression Inventory", "Glasgow Coma Scale"} {
		if !strings.Contains(got, w) {
			t.Errorf("%q was changed:\n%s", w, got)
		}
	}
	if strings.Contains(got, "Brennan") || strings.Contains(got, "Dr. Parkinson") {
		t.Errorf("the patient is left:\n%s", got)
	}
}
