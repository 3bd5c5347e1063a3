package ner

import (
	"fmt"
	"strings"
	"testing"
)

// EmailLocalForms: the local part as words, and its pieces of four letters
// or more that are not ordinary words; nothing for role mailboxes.
func TestEmailLocalForms(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"oquillanby@example.net", "[[oquillanby]]"},
		{"Orsolya.Quillanby@example.net", "[[orsolya quillanby] [orsolya] [quillanby]]"},
		{"t_everard-park@example.org", "[[t everard park] [everard]]"}, // "t" short, "park" ordinary
		{"rose.park@example.org", "[[rose park]]"},
		{"park@example.org", "[]"}, // an ordinary word alone
		{"tq@example.org", "[]"},   // too short alone
		{"info@example.org", "[]"}, // role mailboxes
		{"No-Reply@example.org", "[]"},
		{"noreply@example.org", "[]"},
		{"support.team@example.org", "[]"},
		{"info.quillanby@example.org", "[[info quillanby] [quillanby]]"},
		{"not an address", "[]"},
		{"@example.org", "[]"},
	} {
		got := EmailLocalForms(c.value, common)
		if s := fmt.Sprint(got); s != c.want && !(c.want == "[]" && got == nil) {
			t.Errorf("%s: got %s, want %s", c.value, s, c.want)
		}
	}
}

// Propagate finds the login of a redacted address where it is glued to
// punctuation, as a whole word only, and never the word of a role mailbox.
func TestPropagateEmailLocal(t *testing.T) {
	text := "Mail oquillanby@example.net or info@example.net.\n" +
		"Received: from oquillanby-laptop\nC:\\Users\\oquillanby\\Pictures\\x.png\n" +
		"oquillanbyx stays; the info desk stays; OQUILLANBY_old goes."
	a, b := strings.Index(text, "oquillanby@"), strings.Index(text, "info@")
	found := [][]Finding{{{a, a + len("oquillanby@example.net"), Email, 0.95, "contact/email"},
		{b, b + len("info@example.net"), Email, 0.95, "contact/email"}}}
	got := Propagate([]string{text}, found, common)
	var words []string
	for _, f := range got[0] {
		if f.Entity != Email || !strings.HasPrefix(f.Rule, PropagatedPrefix) {
			t.Errorf("finding %v", f)
		}
		words = append(words, text[f.Start:f.End])
	}
	// the addresses themselves, the login three times glued, never "info"
	if s := fmt.Sprint(words); s != "[oquillanby@example.net info@example.net oquillanby oquillanby OQUILLANBY]" {
		t.Errorf("got %s", s)
	}
}

// A name found as such keeps its entity where an address's local part says
// the same: the login's phrases come after every other value's.
func TestPropagateEmailLocalAfterNames(t *testing.T) {
	text := "tamsin.everard@example.net wrote. Tamsin Everard signed; everard-pc logged."
	n := strings.Index(text, "Tamsin Everard")
	found := [][]Finding{{{0, len("tamsin.everard@example.net"), Email, 0.99, "contact/email"},
		{n, n + len("Tamsin Everard"), Person, 0.6, "names/first-last"}}}
	got := Propagate([]string{text}, found, common)
	var s []string
	for _, f := range got[0] {
		s = append(s, fmt.Sprintf("%s=%s", text[f.Start:f.End], f.Entity))
	}
	if g := fmt.Sprint(s); g != "[tamsin.everard@example.net=EMAIL Tamsin Everard=PERSON everard=PERSON]" {
		t.Errorf("got %s", g)
	}
}
