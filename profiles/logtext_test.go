package profiles

import (
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Every rule of every built-in profile that changes text words itself for
// the redaction log (log:), in words a reader knows; the court profiles
// say it with the citation of the rule.
func TestBuiltinRulesHaveLogText(t *testing.T) {
	for _, n := range BuiltinNames() {
		p, err := Load(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rules {
			if r.Action == Keep {
				continue
			}
			if r.Log.IsZero() {
				t.Errorf("%s: rule %s has no log: wording", n, r.subject())
				continue
			}
			if err := r.Log.validate(); err != nil {
				t.Errorf("%s: rule %s: %v", n, r.subject(), err)
			}
			if strings.HasPrefix(n, "court") && !strings.Contains(r.Basis, "Fed. R.") {
				t.Errorf("%s: rule %s: basis %q is not a rule citation (Fed. R. Civ. P. …)", n, r.subject(), r.Basis)
			}
		}
	}
	court, _ := Load("court")
	for _, tc := range []struct {
		r    Rule
		want string
	}{
		{court.For(ner.SSN), "Social Security number — last four digits shown"},
		{court.For(ner.BirthDate), "Date of birth — year shown"},
		{court.For(ner.Custom), "Privileged — privileged material withheld; see the privilege log"},
	} {
		if got := tc.r.LogText().String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.r.Entity, got, tc.want)
		}
	}
	if m, _ := court.ForRole(Minor); m.LogText().String() != "Name of a minor — initials shown" {
		t.Errorf("minor: %q", m.LogText())
	}
	if !court.For(ner.Custom).Privileged {
		t.Error("court's CUSTOM_TERM rule is not marked privileged")
	}
}

// One label style per profile: the labels no rule gives are the entity's
// name in it.
func TestLabelStyle(t *testing.T) {
	sup, _ := Load("supervision")
	res, _ := Load("research")
	for _, tc := range []struct {
		p    *Profile
		e    ner.Entity
		want string
	}{
		{sup, ner.MRN, "[medical record number]"},
		{sup, ner.Location, "[place]"},
		{sup, ner.Custom, "[redacted]"},
		{res, ner.ID, "[ID NUMBER]"},
		{sup, ner.IP, "[IP address]"},
		{sup, ner.SSN, "[SSN]"},
		{res, ner.Organization, "[ORGANIZATION]"},
	} {
		if got := tc.p.For(tc.e).Label; got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.p.Name, tc.e, got, tc.want)
		}
	}
	for _, e := range ner.Entities() {
		if _, ok := labelNames[e]; !ok {
			t.Errorf("entity %s has no label name", e)
		}
	}
	// An inherited style fills labels but does not bind the child's own.
	firm, err := Load("testdata/valid/extends_court.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if firm.For(ner.Email).Label != "[email]" || firm.LabelStyle != LabelsUpper {
		t.Errorf("extends court: %+v", firm.For(ner.Email))
	}
}

// A rule without log: still gets words, never codes.
func TestLogTextFallback(t *testing.T) {
	for _, e := range ner.Entities() {
		if _, ok := entityCategories[e]; !ok {
			t.Errorf("entity %s has no log category", e)
		}
	}
	for a := range actions {
		r := Rule{Entity: ner.MRN, Action: a, Digits: 4, Alias: "Person", Basis: "b"}
		l := r.LogText()
		if err := l.validate(); err != nil || l.Category == "" || l.Reason == "" {
			t.Errorf("%s: %+v %v", a, l, err)
		}
	}
	if got := (Rule{Entity: ner.Custom, Action: Label}).LogText().String(); strings.Contains(strings.ToLower(got), "list") {
		t.Errorf("fallback for a term says how it was chosen: %q", got)
	}
}

func TestPrivilegeIn(t *testing.T) {
	for text, want := range map[string]string{
		"Attorney-client privilege":                "Attorney-client privilege",
		"FRCP 26(b)(3) (work product)":             "Attorney work product",
		"Fed. R. Civ. P. 26(b)(3)":                 "Attorney work product",
		"joint defense agreement":                  "Common-interest privilege",
		"privileged or confidential":               "",
		"Attorney-Client Communication; privilege": "Attorney-client privilege",
	} {
		p, ok := PrivilegeIn(text)
		if !ok || p.Name != want {
			t.Errorf("PrivilegeIn(%q) = %+v %v, want %q", text, p, ok, want)
		}
	}
	for _, text := range []string{"Protective order ¶ 4", "confidential business information", "unprivileged", ""} {
		if p, ok := PrivilegeIn(text); ok {
			t.Errorf("PrivilegeIn(%q) = %+v, want none", text, p)
		}
	}
}

func TestForTermList(t *testing.T) {
	court, _ := Load("court")
	base := court.For(ner.Custom)
	for _, tc := range []struct {
		name        string
		list        ner.TermList
		log         string
		privileged  bool
		privilege   string
		label, basi string
	}{
		{"silent list is the rule's", ner.TermList{},
			"Privileged — privileged material withheld; see the privilege log", true, "", "REDACTED – PRIVILEGED", "Fed. R. Civ. P. 26(b)(5)(A)"},
		{"attorney-client basis", ner.TermList{Basis: "Attorney-client privilege"},
			"Privileged — attorney-client communication", true, "Attorney-client privilege", "REDACTED – PRIVILEGED", "Attorney-client privilege"},
		{"work product with own label", ner.TermList{Label: "REDACTED – ATTORNEY WORK PRODUCT", Basis: "FRCP 26(b)(3)"},
			"Privileged — attorney work product", true, "Attorney work product", "REDACTED – ATTORNEY WORK PRODUCT", "FRCP 26(b)(3)"},
		{"confidential, not privileged", ner.TermList{Label: "REDACTED – CONFIDENTIAL", Basis: "Protective Order ¶ 7"},
			"Confidential — withheld", false, "", "REDACTED – CONFIDENTIAL", "Protective Order ¶ 7"},
		{"label alone says confidential", ner.TermList{Label: "REDACTED – CONFIDENTIAL"},
			"Confidential — withheld", false, "", "REDACTED – CONFIDENTIAL", "Fed. R. Civ. P. 26(b)(5)(A)"},
		{"explicit privilege and words", ner.TermList{Privilege: "Settlement privilege", Description: "settlement negotiations", Category: "Privileged"},
			"Privileged — settlement negotiations", true, "Settlement privilege", "REDACTED – PRIVILEGED", "Fed. R. Civ. P. 26(b)(5)(A)"},
		{"unknown privilege as written", ner.TermList{Privilege: "Bank examination"},
			"Privileged — privileged material", true, "Bank examination", "REDACTED – PRIVILEGED", "Fed. R. Civ. P. 26(b)(5)(A)"},
	} {
		r := base.ForTermList(tc.list)
		if got := r.LogText().String(); got != tc.log {
			t.Errorf("%s: log %q, want %q", tc.name, got, tc.log)
		}
		if r.Privileged != tc.privileged || r.Privilege != tc.privilege {
			t.Errorf("%s: privileged %v %q, want %v %q", tc.name, r.Privileged, r.Privilege, tc.privileged, tc.privilege)
		}
		if r.Label != tc.label || r.Basis != tc.basi {
			t.Errorf("%s: label %q basis %q", tc.name, r.Label, r.Basis)
		}
	}
}

func TestLabelCategory(t *testing.T) {
	for in, want := range map[string]string{
		"REDACTED – CONFIDENTIAL":  "Confidential",
		"[TRADE SECRET]":           "Trade secret",
		"REDACTED":                 "",
		"[REDACTED]":               "",
		"REDACTED - Highly Confid": "Highly confid",
		"[MEDICAL_RECORD_NUMBER]":  "",
	} {
		if got := labelCategory(in); got != want {
			t.Errorf("labelCategory(%q) = %q, want %q", in, got, want)
		}
	}
}
