package pipeline_test

import (
	"strings"
	"testing"
)

// TestNegativeRulesLeaveNoIdentifier: the rules that keep clinical words,
// counted ordinals, credentials and list items out of findings (deid37,
// tabqi37) leave no name, date or place of these invented notes in the
// supervision output.
func TestNegativeRulesLeaveNoIdentifier(t *testing.T) {
	cases := []struct {
		line  string
		leaks []string // words that must not stay, compared in lower case
	}{
		// a clinical abbreviation that is also a given name or a place
		{"IN RE THE MARRIAGE OF QUILLANBY. MINOR CHILD: AMI QUILLANBY, AGE 9.", []string{"ami", "quillanby"}},
		{"the minor child ami quillanby, age 7", []string{"ami", "quillanby"}},
		{"AMI QUILLANBY SEEN TODAY.", []string{"ami", "quillanby"}},
		{"PT: AMI QUILLANBY, 7 YO", []string{"ami", "quillanby"}},
		{"SPOKE WITH AMI, DAUGHTER", []string{"ami"}},
		{"daughter ami called", []string{"ami"}},
		{"moved to ami 4 west", []string{"ami"}},
		{"sent to Nsb 5", []string{"nsb"}},
		{"PT: LUA QUILLANBY, 7 YO", []string{"lua", "quillanby"}},
		{"MINOR CHILD: SANG QUILLANBY, AGE 9.", []string{"sang", "quillanby"}},
		{"daughter lua called", []string{"lua"}},
		{"SPOKE WITH LIS, DAUGHTER", []string{"lis"}},
		{"the minor child ota everard, age 7", []string{"ota", "everard"}},
		// a name before ", sc <medicine>" after a person cue
		{"discussed with everard, sc heparin held tonight.", []string{"everard"}},
		{"called quillanby, sc heparin held tonight.", []string{"quillanby"}},
		// a word in no list before ", pa notified" stays a finding
		{"pt from brenzholt, pa notified family", []string{"brenzholt"}},
		{"pain controlled, quillanby, pa aware and agrees.", []string{"quillanby"}},
		// a town before MI among list items that are not clinical
		{"retired teacher, brackenfold, MI, widowed, lives alone", []string{"brackenfold"}},
		{"social: widowed, brackenfold, MI, retired", []string{"brackenfold"}},
		{"Hx: HTN, DM, brackenfold, MI, CABG x3", []string{"brackenfold"}},
		// a particle after a title that begins no surname is the surname
		{"ms dei testified", []string{"dei"}},
		{"mrs degli appeared", []string{"degli"}},
		{"mr des quillanby appeared", []string{"des", "quillanby"}},
	}
	lines := make([]string, len(cases))
	for i, c := range cases {
		lines[i] = c.line
	}
	got := redactLines(t, lines)
	for i, c := range cases {
		if got[i] == "" {
			t.Errorf("%q: no output", c.line)
			continue
		}
		words := strings.FieldsFunc(strings.ToLower(got[i]), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		})
		for _, leak := range c.leaks {
			for _, w := range words {
				if w == leak {
					t.Errorf("%q: %q stays in %q", c.line, leak, got[i])
				}
			}
		}
	}
}
