package names

import (
	"context"
	"fmt"
	"testing"
	"unicode/utf8"
)

func spans(t *testing.T, text string) []string {
	t.Helper()
	fs, err := New().Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s=%s", f.Rule, text[f.Start:f.End]))
	}
	return out
}

func TestDetect(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		{"Seen by Dr. Fielding today.", "[names/title=Fielding]"},
		{"Ms Sandoval and Mr. Brian O'Neill arrived.", "[names/title=Sandoval names/title=Brian O'Neill]"},
		{"Judge Whitfield-Barrett presided.", "[names/title=Whitfield-Barrett]"},
		{"Dr. José García called.", "[names/title=José García]"},
		{"Dr. Fielding Reports show", "[names/title=Fielding]"},
		{"Margaret Ellison signed the form.", "[names/first-last=Margaret Ellison]"},
		{"The patient was calm.", "[]"},
		{"MARGARET ELLISON", "[]"},
		{"Will Power is a phrase", "[]"}, // "Will" is an ordinary word
		{"drive to the store", "[]"},
		{"Patient Walter J. Brennan was seen.", "[names/first-last=Walter J. Brennan]"},
		{"Mr. Ellison's card", "[names/title=Ellison]"},
		{"referred to Riverside Counseling Group today", "[names/org-suffix=Riverside Counseling Group]"},
		{"money at First Cascade Bank.", "[names/org-suffix=First Cascade Bank]"},
		{"Northwind Logistics, Inc. said", "[names/org-suffix=Northwind Logistics]"},
		{"history of Mental Health treatment", "[]"},
		{"The Oregon Clinic called", "[names/org-suffix=Oregon Clinic]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(spans(t, c.text)); got != c.want && !(got == "[]" && c.want == "[]") {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("Dr. José García and Margaret Ellison")
	f.Add("Mr \xff\xfe O'")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // the Detector contract: text is valid UTF-8
		}
		fs, err := New().Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Start < 0 || f.Start >= f.End || f.End > len(text) ||
				!utf8.RuneStart(text[f.Start]) || (f.End < len(text) && !utf8.RuneStart(text[f.End])) {
				t.Fatalf("bad finding %v in %q", f, text)
			}
		}
	})
}
