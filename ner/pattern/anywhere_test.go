package pattern

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// anywhereWindows returns the windows Detect reads for rule r through its
// detector's anywhere index.
func anywhereWindows(d *Detector, r *Rule, text string) []window {
	lower := asciiLower(text)
	var sim simulator
	hits := d.anyKw.find(lower)
	return mergeWindows(text, r.appendKeywordHits(nil, text, hits, &sim))
}

// checkAnywhere compares, for every rule that takes its windows from the
// anywhere index, those windows with keywordWindows' search per keyword.
func checkAnywhere(t *testing.T, d *Detector, text string) {
	t.Helper()
	lower := asciiLower(text)
	for _, r := range d.Rules() {
		if r.anyIDs == nil {
			continue
		}
		var sim simulator
		want := keywordWindows(text, lower, r.keywords, r.follow, &sim)
		if got := anywhereWindows(d, r, text); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("rule %s in %q: index %v, search %v", r.ID(), text, got, want)
		}
	}
}

// TestAnywhereMatchesSearch checks the one-pass index of the keywords of
// rules that scan windows around keywords against a search per keyword:
// the default rules over their own examples, and rules with keywords that
// overlap themselves and each other (a search without follow skips an
// occurrence that overlaps the one before; with follow it does not).
func TestAnywhereMatchesSearch(t *testing.T) {
	d := Default()
	n := 0
	for _, r := range d.Rules() {
		if r.anyIDs != nil {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no default rule uses the anywhere index")
	}
	each, together := ruleExamples(t, d)
	for _, text := range append(each, together...) {
		checkAnywhere(t, d, text)
	}

	const rules = `
rules:
  - id: overlap
    entity: ID_NUMBER
    score: 0.5
    regex: '(?i)\baa+ \d{3}\b'
    keywords: [aa, aaa, "a"]
    examples:
      match: ["«aaa 123»"]
  - id: overlap-follow
    entity: ID_NUMBER
    score: 0.5
    regex: '(?i)\bab+:\d{3}\b'
    keywords: [ab, bab, abab]
    follow: ':?\d'
    examples:
      match: ["«abab:123»"]
`
	od, err := Parse([]byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range od.Rules() {
		if r.anyIDs == nil {
			t.Fatalf("rule %s does not use the anywhere index", r.ID())
		}
	}
	for _, text := range []string{"aaaa 123 aa aaaaa", "ababab:123 bab:1 abab:9 ab", "", "a", "AaAa aa\u00e9aa b", "ab:ab:abab:1"} {
		checkAnywhere(t, od, text)
	}
}

// FuzzAnywhere checks the anywhere index against the search per keyword
// on any text, for the default rules.
func FuzzAnywhere(f *testing.F) {
	f.Add("PO Box 17, postfach 9 apartado apdo. 4 casella skr. hộp thư 5 사서함 ninety-one hundred")
	f.Add("bbbox boxbox @@ x@y a@@b")
	d := Default()
	f.Fuzz(func(t *testing.T, text string) {
		checkAnywhere(t, d, text)
	})
}

// TestDetectConcurrent runs one detector from several goroutines, whose
// calls share the pooled scratch space, over texts of different sizes,
// and compares each result with a call made alone (run it with -race).
func TestDetectConcurrent(t *testing.T) {
	d := Default()
	var texts []string
	for _, r := range d.Rules() {
		for _, ex := range r.Spec.Examples.Match {
			text, _ := parseExample(t, ex)
			texts = append(texts, text)
		}
	}
	texts = append(texts, strings.Join(texts, " "), strings.Repeat("PO Box 4417, tel (617) 555-0143, MRN 48213907. ", 200))
	want := make([]string, len(texts))
	for i, text := range texts {
		fs, err := d.Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = fmt.Sprint(fs)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range texts {
				i := (k*7 + g) % len(texts)
				fs, err := d.Detect(context.Background(), texts[i])
				if err != nil || fmt.Sprint(fs) != want[i] {
					errs <- fmt.Sprintf("goroutine %d, text %d: %v %v", g, i, err, fs)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
