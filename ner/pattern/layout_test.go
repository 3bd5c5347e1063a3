package pattern

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// TestLabelExamples runs every label's examples through the classifier.
func TestLabelExamples(t *testing.T) {
	l, err := embeddedLabels()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range l.rules {
		for _, ex := range r.spec.Examples.Match {
			if !hasEntity(Classify(ex), r.entity) {
				t.Errorf("label %q: got %v, want %s", ex, Classify(ex), r.entity)
			}
		}
		for _, ex := range r.spec.Examples.NoMatch {
			if hasEntity(Classify(ex), r.entity) {
				t.Errorf("label %q names %s, want not", ex, r.entity)
			}
		}
	}
}

func hasEntity(es []ner.Entity, e ner.Entity) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}

func TestParseLabelsErrors(t *testing.T) {
	for yaml, want := range map[string]string{
		"labels:\n- entity: NOPE\n  value: number\n  words: [x]\n  examples: {match: [x]}\n":                    "unknown entity",
		"labels:\n- entity: SSN\n  value: blob\n  words: [x]\n  examples: {match: [x]}\n":                       "unknown value kind",
		"labels:\n- entity: SSN\n  value: number\n  validate: [nope]\n  words: [x]\n  examples: {match: [x]}\n": "unknown validator",
		"labels:\n- entity: SSN\n  value: number\n  words: [x]\n":                                               "examples are required",
		"labels:\n- entity: SSN\n  value: number\n  colour: red\n":                                              "field colour not found",
	} {
		if _, err := parseLabels([]byte(yaml)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseLabels: error %v, want %q", err, want)
		}
	}
}

// found runs the default detector (through DetectField when field is not
// empty) and returns "ENTITY value" for each finding of a label rule or
// of the listed entities, sorted.
func found(t *testing.T, field, text string, entities ...ner.Entity) []string {
	t.Helper()
	d := Default()
	fs, err := ner.DetectField(context.Background(), d, field, text)
	if err != nil {
		t.Fatal(err)
	}
	checkOffsets(t, text, fs)
	seen := map[string]bool{}
	var out []string
	for _, f := range ner.Resolve(ner.Filter(fs, 0.5)) {
		if !hasEntity(entities, f.Entity) {
			continue
		}
		s := fmt.Sprintf("%s %s", f.Entity, text[f.Start:f.End])
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func TestLayout(t *testing.T) {
	ids := []ner.Entity{ner.SSN, ner.TIN, ner.Account, ner.Routing, ner.BirthDate, ner.MRN, ner.Person, ner.Address, ner.ZIP, ner.Phone}
	cases := []struct {
		name, field, text string
		want              []string
	}{
		{"field ssn", "SSN", "456789012", []string{"SSN 456789012"}},
		{"field account after bank name", "Bank / Account No.", "First Federal 0012 3456 789", []string{"ACCOUNT_NUMBER 0012 3456 789"}},
		{"field account wrapped", "Account No.", "0012 3456\n789", []string{"ACCOUNT_NUMBER 0012 3456\n789"}},
		{"field routing", "ABA Routing", "111000614", []string{"ROUTING_NUMBER 111000614"}},
		{"field dob", "Date of birth", "March 3, 1987", []string{"BIRTH_DATE March 3, 1987"}},
		{"field mrn", "MRN", "A-2231-77", []string{"MEDICAL_RECORD_NUMBER A-2231-77"}},
		// a date typed as a spreadsheet number under a date label is that
		// date (session sheetdoor); other numbers are not
		{"field dob as a date serial", "DOB", "31118", []string{"BIRTH_DATE 31118"}},
		{"field dob as a serial with a time", "Date of birth", "29000.25", []string{"BIRTH_DATE 29000.25"}},
		{"field dob, a number too large for a serial", "DOB", "512447", nil},
		{"field dob, a number too small for a serial", "DOB", "812", nil},
		{"a serial under no date label", "Amount", "31118", nil},
		{"field author, a login", "Author", "oquillanby", []string{"PERSON oquillanby"}},
		{"field reviewers, a name in lower case", "reviewers", "tamsin everard", []string{"PERSON tamsin everard"}},
		{"field owner, an amount", "Owner", "$ 1,250", nil},
		{"label owner, an amount", "", "Paid to the owner: $ 1,250\n", nil},
		{"field address", "Home address", "14 Tavistock Road\nLeeds LS6 2QT", []string{"ADDRESS 14 Tavistock Road\nLeeds LS6 2QT"}},
		{"field name", "Patient name", "Ilse Marchetti", []string{"PERSON Ilse Marchetti"}},
		{"field name with credentials", "Therapist", "Dr. Ilse Marchetti, LPC, PhD", []string{"PERSON Ilse Marchetti"}},
		{"label colon name with credentials", "", "Presenting clinician: Ilse Marchetti, LCSW\n", []string{"PERSON Ilse Marchetti"}},
		{"a title is no name", "", "Presenting clinician: Dr.            , LCSW\n", nil},
		{"field postcode of two groups", "Postcode", "m1 1ae", []string{"ZIP m1 1ae"}},
		{"field postal codes", "Postal code", "K1A 0B1", []string{"ZIP K1A 0B1"}},
		{"label postcode then town", "", "Postcode: 1012 AB Amsterdam\nZIP: 97201 Portland\n", []string{"ZIP 1012 AB", "ZIP 97201"}},
		{"field that names nothing", "Amount", "456789012", nil},
		{"field ssn keeps redacted value", "SSN", "XXX-XX-9012", nil},
		{"markdown table",
			"", "| Payee | SSN | Amount |\n|---|---|---|\n| Dana Whitcombe | 456789012 | $1,200.00 |\n| Omar Lindqvist | 567-89-0123 | $80.00 |\n",
			[]string{"PERSON Dana Whitcombe", "PERSON Omar Lindqvist", "SSN 456789012", "SSN 567-89-0123"}},
		{"rows flattened to cell | cell",
			"", "Name | SSN | Bank / Account No.\nDana Whitcombe | 456789012 | First Federal 0012 3456 789\n",
			[]string{"ACCOUNT_NUMBER 0012 3456 789", "PERSON Dana Whitcombe", "SSN 456789012"}},
		{"aligned columns with a wrapped value",
			"", "Payee             SSN          Bank / Account No.      Amount\nDana Whitcombe    456789012    First Federal 0012      $400.00\n                               3456 789\nOmar Lindqvist    567890123    Coastal 0098 7654 321   $75.10\n",
			[]string{"ACCOUNT_NUMBER 0012", "ACCOUNT_NUMBER 0098 7654 321", "ACCOUNT_NUMBER 3456 789", "PERSON Dana Whitcombe", "PERSON Omar Lindqvist", "SSN 456789012", "SSN 567890123"}},
		{"tab separated",
			"", "Name\tDOB\tMRN\nIlse Marchetti\t03/17/1962\t00482913\n",
			[]string{"BIRTH_DATE 03/17/1962", "MEDICAL_RECORD_NUMBER 00482913", "PERSON Ilse Marchetti"}},
		{"table flattened one cell a line",
			"", "Name\nSSN\nAccount No.\nDana Whitcombe\n456789012\n00123456789\nOmar Lindqvist\n567890123\n00987654321\n",
			[]string{"ACCOUNT_NUMBER 00123456789", "ACCOUNT_NUMBER 00987654321", "SSN 456789012", "SSN 567890123"}},
		{"table flattened one cell a line, last header names no identifier",
			"", "Payee\nSSN\nBank / Account No.\nRouting\nAmount\nDana Whitcombe\n456789012\nFirst Federal 0012 3456 789\n021000021\n$400.00\nOmar Lindqvist\n567-89-0123\nCoastal 0098 7654 321\n011000015\n$75.10\n",
			[]string{"ACCOUNT_NUMBER 0012 3456 789", "ACCOUNT_NUMBER 0098 7654 321", "ROUTING_NUMBER 011000015", "ROUTING_NUMBER 021000021", "SSN 456789012", "SSN 567-89-0123"}},
		{"flattened table with a cell of two lines",
			"", "Payee\nSSN\nBank / Account No.\nRouting\nAmount\nDana Whitcombe\n456789012\nFirst Federal 0012 3456\n789\n021000021\n$400.00\nOmar Lindqvist\n567890123\nCoastal 0098 7654 321\n011000015\n$75.10\n",
			[]string{"ACCOUNT_NUMBER 0012", "ACCOUNT_NUMBER 0098 7654 321", "ACCOUNT_NUMBER 3456", "ACCOUNT_NUMBER 789", "ROUTING_NUMBER 011000015", "ROUTING_NUMBER 021000021", "SSN 456789012", "SSN 567890123"}},
		{"flattened table ends at a sentence",
			"", "Payee\nSSN\nAmount\nDana Whitcombe\n456789012\n$400.00\nThe first wire went out later that week to the same bank.\nThe wire of March went through the bank under number 322274938 as agreed.\n",
			[]string{"SSN 456789012"}},
		{"label line then value", "", "Social Security Number\n456789012\n", []string{"SSN 456789012"}},
		{"form flattened to label and value lines",
			"", "Client\nOrsolya Quillanby\nDate of birth\n03/11/1987\nSSN\n456789012\nShe came to the first session alone and on time, and spoke freely.\n",
			[]string{"BIRTH_DATE 03/11/1987", "PERSON Orsolya Quillanby", "SSN 456789012"}},
		{"form under a title",
			"", "Intake summary\nClient\nOrsolya Quillanby\nDate of birth\n03/11/1987\n",
			[]string{"BIRTH_DATE 03/11/1987", "PERSON Orsolya Quillanby"}},
		{"table whose header has a column of no known name is not a form",
			"", "Payee\nMemo\nSSN\nDana Whitcombe\nfirst wire\n456789012\n",
			[]string{"SSN 456789012"}},
		{"label colon value", "", "Bank / Account No.: Coastal Savings 0098 7654 321\nHome address: 14 Tavistock Road, Leeds LS6 2QT\n",
			[]string{"ACCOUNT_NUMBER 0098 7654 321", "ADDRESS 14 Tavistock Road, Leeds LS6 2QT"}},
		{"headers that name nothing", "", "| Account Holder | Amount |\n|---|---|\n| Dana Whitcombe | 456789012 |\n", nil},
		{"date column is no birth date", "", "Date\tAmount\n03/17/2020\t456789012\n", nil},
		{"prose is no table", "", "The account was opened in 2019.  It held 456789012 shares.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := found(t, c.field, c.text, ids...)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func FuzzLayout(f *testing.F) {
	f.Add("SSN", "| a | SSN |\n|---|---|\n| x | 456789012 |\n")
	f.Add("", "Name    SSN\nDana    456789012\n        7\n")
	f.Add("Account", "0012\n3456 789")
	d := Default()
	f.Fuzz(func(t *testing.T, field, text string) {
		fs, err := d.DetectField(context.Background(), field, text)
		if err != nil {
			t.Fatal(err)
		}
		checkOffsets(t, text, fs)
	})
}

func TestAddressBlocks(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Hauptstraße 12, 10115 Berlin", []string{"ADDRESS Hauptstraße 12", "ZIP 10115"}},
		{"14 Tavistock Road\nLeeds LS6 2QT", []string{"ADDRESS 14 Tavistock Road", "ZIP LS6 2QT"}},
		{"Calle Mayor 5, 28013 Madrid", []string{"ADDRESS Calle Mayor 5", "ZIP 28013"}},
		{"ul. Długa 5\n00-950 Toruń", []string{"ADDRESS ul. Długa 5", "ZIP 00-950"}},
		{"(06236) 서울특별시 강남구 테헤란로 123", []string{"ADDRESS 서울특별시 강남구 테헤란로 123", "ZIP 06236"}},
		{"12 rue de la Paix, 75002 Paris, France", []string{"ADDRESS 12 rue de la Paix", "ZIP 75002"}},
		{"1200 N 5th Ave, Suite 300, Phoenix, AZ 85004", []string{"ADDRESS 1200 N 5th Ave, Suite 300", "ZIP 85004"}},
		{"Keizersgracht 123, 1015 CJ Amsterdam", []string{"ADDRESS Keizersgracht 123", "ZIP 1015 CJ"}},
	}
	for _, c := range cases {
		got := found(t, "", c.text, ner.Address, ner.ZIP)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

// FuzzLabelCounts checks the counting helpers against what they count.
func FuzzLabelCounts(f *testing.F) {
	for _, s := range []string{"", "Date of birth:", "SSN #", "O'Neill’s #12 no.", "x##y", "a\u00a0b\u2003c  d\te", "\xff\xfe '#", "ﬁ̀ 名前 번호"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := labelTokenCount(s), len(labelTokens(s)); got != want {
			t.Fatalf("labelTokenCount(%q) = %d, labelTokens has %d", s, got, want)
		}
		n := len(strings.Fields(s))
		for k := 0; k <= n+1; k++ {
			if got := fieldsAtLeast(s, k); got != (n >= k) {
				t.Fatalf("fieldsAtLeast(%q, %d) = %v with %d fields", s, k, got, n)
			}
		}
	})
}
