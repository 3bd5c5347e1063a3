package litfilter

import (
	"fmt"
	"regexp"
	"testing"
)

func TestFor(t *testing.T) {
	for src, want := range map[string]string{
		`(?i)\b(?:village|hamlet)s? of (\d+)`:      "[village hamlet] fold=true",
		`\b(?:Hurricane|Typhoon) [A-Z][a-z]+`:      "[hurricane  typhoon ] fold=false",
		`[A-Z][a-z]+ (?:Fire|[Ff]lood)\b`:          "[ fire  flood] fold=true", // the parser reads [Ff] as a folded f
		`(?:profiled|featured) (?:in|by) [A-Z]\w+`: "[profiled in  profiled by  featured in  featured by ] fold=false",
		`\d{3}-\d{4}`:  "none",
		`(?:abc|x)`:    "none", // a literal too short to filter
		`(?:abc)?def`:  "[def] fold=false",
		`(?:abc){0,2}`: "none",
		`(?i)straße`:   "none", // non-ASCII folded
		`Straße`:       "[straße] fold=false",
	} {
		f := For(regexp.MustCompile(src))
		got := "none"
		if f != nil {
			got = fmt.Sprintf("%v fold=%v", f.any, f.fold)
		}
		if got != want {
			t.Errorf("For(%q) = %s, want %s", src, got, want)
		}
	}
}

func TestForCase(t *testing.T) {
	for src, want := range map[string]string{
		`(?i)\b(?:village|hamlet)s? of (\d+)`:      "none", // folds case
		`\b(?:MV|SS|HMS) [A-Z][A-Za-z]+`:           "[MV  SS  HMS ]",
		`\b(?:Hurricane|Typhoon) [A-Z][a-z]+`:      "[Hurricane  Typhoon ]",
		`[A-Z][a-z]+ (?:Fire|[Ff]lood)\b`:          "[Fire lood]", // [Ff] is a folded f: its run is left out
		`(?:MV|the boat) [A-Z]`:                    "[MV  the boat ]",
		`(?:profiled|featured) (?:in|by) [A-Z]\w+`: "[profiled in  profiled by  featured in  featured by ]",
		`\d{3}-\d{4}`: "none",
	} {
		f := ForCase(regexp.MustCompile(src))
		got := "none"
		if f != nil {
			got = fmt.Sprintf("%v", f.any)
		}
		if got != want {
			t.Errorf("ForCase(%q) = %s, want %s", src, got, want)
		}
	}
	f := ForCase(regexp.MustCompile(`\b(?:MV|SS) [A-Z][a-z]+`))
	for text, want := range map[string]bool{"the MV Kestrel": true, "my Kestrel": false, "CLASS Kestrel": true, "class kestrel": false} {
		if got := f.MayMatch(text); got != want {
			t.Errorf("MayMatch(%q) = %v, want %v", text, got, want)
		}
	}
}

// FuzzNecessary checks the contract: a text an expression matches is
// never filtered out.
func FuzzNecessary(f *testing.F) {
	exprs := []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b(?:village|hamlet|town|island)s? of (?:about |some )?(\d{1,3}(?:,\d{3})*|\d+)(?: (?:people|souls))?\b`),
		regexp.MustCompile(`\b(?:(?:Hurricane|Tropical Storm) [A-Z][a-z]+|(?:(?:19|20)\d\d |[A-Z][a-z]+ ){1,3}(?:Fire|Flood|[Cc]rash))\b`),
		regexp.MustCompile(`(?i)\b(?:triplets|(?:eight|nine|[1-9]\d) (?:children|sisters))\b`),
		regexp.MustCompile(`(?i)kiosk|ask`),
		regexp.MustCompile(`\b(?:(?:MV|M/V|SS|HMS) [A-Z][A-Za-z]+|(?:fishing vessel|ferry|the boat) (?:the )?[A-Z][a-z]+)\b`),
	}
	for _, s := range []string{
		"a village of 300 people", "the HAMLET OF SOME 1,200 souls", "Hurricane Ida", "the 1998 Main Street Fire",
		"Tropical Storm Bea", "nine children", "TRIPLETS", "the K\u212aIOSK", "a\u017fk", "Bay Crash", "nothing here",
		"the MV Kestrel", "M/V Odessa Star", "a ferry the Marigold", "CLASS Kestrel",
	} {
		f.Add(s)
	}
	filters := make([]*Filter, len(exprs))
	for i, re := range exprs {
		filters[i] = For(re)
		if filters[i] == nil {
			f.Fatalf("expression %d: no filter", i)
		}
	}
	cased := make([]*Filter, len(exprs))
	for i, re := range exprs {
		cased[i] = ForCase(re) // nil (no condition) for those that fold case
	}
	if cased[len(exprs)-1] == nil {
		f.Fatal("the expression of abbreviations has no case-kept filter")
	}
	f.Fuzz(func(t *testing.T, text string) {
		for i, re := range exprs {
			if re.MatchString(text) && !cased[i].MayMatch(text) {
				t.Fatalf("expression %d matches %q, the case-kept filter says it cannot", i, text)
			}
		}
		lower := Lower(text)
		if len(lower) != len(text) {
			t.Fatalf("Lower changed the length of %q", text)
		}
		for i, re := range exprs {
			if re.MatchString(text) && !filters[i].MayMatch(lower) {
				t.Fatalf("expression %d matches %q, the filter says it cannot", i, text)
			}
		}
	})
}
