package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzFindNear checks that running the age expression only around its
// keys finds exactly what a scan of the whole text finds.
func FuzzFindNear(f *testing.F) {
	for _, s := range []string{
		"a boy aged 16, a twelve-year-old girl and a 15 yo; AGE: 9; fifteen years of age",
		"İNCELEME: the child (aged sixteen) was 17 yrs old. damage language marriage 4 y/o",
		"age\n\n12 aged12 aged: 7 7-years-old seventeen year old 99 years old yo",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lower := strings.ToLower(text)
		got := findNear(ageCueRe, text, lower, ageCueKeys)
		want := ageCueRe.FindAllStringSubmatchIndex(text, -1)
		if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q: near %v, whole %v", text, got, want)
		}
	})
}
