package chain

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
)

// The identifier quality measurement of docs/QUALITY.md: invented
// fixtures (testdata/identifiers.yaml, testdata/records.txt) run through
// the text chain of the rules (no statistical model), at the threshold of
// court and supervision (0.5). VEIL_QUALITY_OUT=FILE writes the tables.
//
//	go test ./ner/chain -run 'Quality' -v

const qualityThreshold = 0.5

type idFixture struct {
	Type     string   `yaml:"type"`
	Region   string   `yaml:"region"`
	Entity   string   `yaml:"entity"`
	Positive []string `yaml:"positive"`
	Negative []string `yaml:"negative"`
}

// marked strips the «» of s and returns the text and the marked span.
func marked(t *testing.T, s string) (string, int, int) {
	t.Helper()
	i := strings.Index(s, "«")
	j := strings.Index(s, "»")
	if i < 0 && j < 0 {
		return s, 0, len(s) // a negative with no value: nothing in it may be masked
	}
	if i < 0 || j < i {
		t.Fatalf("fixture with a lone « or »: %q", s)
	}
	text := s[:i] + s[i+len("«"):j] + s[j+len("»"):]
	return text, i, j - len("«")
}

func detectAll(t *testing.T, d ner.Detector, text string) []ner.Finding {
	t.Helper()
	fs, err := d.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	return ner.Filter(fs, qualityThreshold)
}

// covered reports whether findings of entity e (any entity when e is "")
// cover [lo,hi) wholly, or for negatives, touch it at all.
func covered(fs []ner.Finding, lo, hi int, e ner.Entity, whole bool) bool {
	var spans [][2]int
	for _, f := range fs {
		if (e == "" || f.Entity == e) && f.Start < hi && f.End > lo {
			if !whole {
				return true
			}
			spans = append(spans, [2]int{f.Start, f.End})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	p := lo
	for _, s := range spans {
		if s[0] > p {
			return false
		}
		p = max(p, s[1])
	}
	return p >= hi
}

func TestIdentifierQuality(t *testing.T) {
	raw, err := os.ReadFile("testdata/identifiers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var fx []idFixture
	if err := yaml.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	d := Build(Config{}).Text
	type tally struct{ pos, found, neg, masked int }
	byRegion := map[string]*tally{}
	all := &tally{}
	var rows []string
	rows = append(rows, "| type | region | entity | positives | recall | negatives | masked |", "|---|---|---|---|---|---|---|")
	for _, f := range fx {
		e := ner.Entity(f.Entity)
		if !e.Valid() {
			t.Fatalf("%s: unknown entity %s", f.Type, f.Entity)
		}
		var tl tally
		for _, p := range f.Positive {
			text, lo, hi := marked(t, p)
			tl.pos++
			if covered(detectAll(t, d, text), lo, hi, e, true) {
				tl.found++
			} else if testing.Verbose() {
				t.Logf("missed %s: %q", f.Type, p)
			}
		}
		for _, n := range f.Negative {
			text, lo, hi := marked(t, n)
			tl.neg++
			if covered(detectAll(t, d, text), lo, hi, "", false) {
				tl.masked++
				if testing.Verbose() {
					t.Logf("masked negative %s: %q %v", f.Type, n, detectAll(t, d, text))
				}
			}
		}
		r := byRegion[f.Region]
		if r == nil {
			r = &tally{}
			byRegion[f.Region] = r
		}
		for _, x := range []*tally{r, all} {
			x.pos += tl.pos
			x.found += tl.found
			x.neg += tl.neg
			x.masked += tl.masked
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | `%s` | %d | %.2f | %d | %.2f |", f.Type, f.Region, f.Entity, tl.pos, ratio(tl.found, tl.pos), tl.neg, ratio(tl.masked, tl.neg)))
	}
	regions := make([]string, 0, len(byRegion))
	for r := range byRegion {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	rows = append(rows, "", "| region | positives | recall | target | negatives | masked |", "|---|---|---|---|---|---|")
	for _, r := range regions {
		x := byRegion[r]
		target := "0.90 (overall)"
		if r != "other" {
			target = "0.97"
			if ratio(x.found, x.pos) < 0.97 {
				t.Errorf("region %s: recall %.3f < 0.97", r, ratio(x.found, x.pos))
			}
		}
		rows = append(rows, fmt.Sprintf("| %s | %d | %.3f | %s | %d | %.3f |", r, x.pos, ratio(x.found, x.pos), target, x.neg, ratio(x.masked, x.neg)))
	}
	rows = append(rows, fmt.Sprintf("| all | %d | %.3f | 0.90 | %d | %.3f |", all.pos, ratio(all.found, all.pos), all.neg, ratio(all.masked, all.neg)))
	if ratio(all.found, all.pos) < 0.90 {
		t.Errorf("overall recall %.3f < 0.90", ratio(all.found, all.pos))
	}
	if ratio(all.masked, all.neg) > 0.05 {
		t.Errorf("negatives masked %.3f > 0.05", ratio(all.masked, all.neg))
	}
	report(t, "identifiers", rows)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func report(t *testing.T, name string, rows []string) {
	t.Helper()
	out := strings.Join(rows, "\n") + "\n"
	t.Log("\n" + out)
	if f := os.Getenv("VEIL_QUALITY_OUT"); f != "" {
		w, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "## %s\n\n%s\n", name, out)
		w.Close()
	}
}

// goldSpan is a marked span of the records fixture.
type goldSpan struct {
	lo, hi int
	kind   string
}

// parseRecords strips «KIND|text» marks.
func parseRecords(t *testing.T, s string) (string, []goldSpan) {
	t.Helper()
	var b strings.Builder
	var gold []goldSpan
	for {
		i := strings.Index(s, "«")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i+len("«"):]
		j := strings.Index(s, "»")
		k := strings.Index(s, "|")
		if j < 0 || k < 0 || k > j {
			t.Fatalf("bad mark near %q", s[:min(len(s), 40)])
		}
		lo := b.Len()
		b.WriteString(s[k+1 : j])
		gold = append(gold, goldSpan{lo, b.Len(), s[:k]})
		s = s[j+len("»"):]
	}
	return b.String(), gold
}

// tokens returns the byte ranges of the words of text (letters, digits,
// and the marks inside numbers and words).
func tokens(text string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '@' || r == '+'
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

func TestRecordsQuality(t *testing.T) {
	raw, err := os.ReadFile("testdata/records.txt")
	if err != nil {
		t.Fatal(err)
	}
	text, gold := parseRecords(t, string(raw))
	fs := detectAll(t, Build(Config{}).Text, text)
	inSpan := func(tok [2]int, lo, hi int) bool { return tok[0] >= lo && tok[1] <= hi }
	masked := func(tok [2]int) bool {
		for _, f := range fs {
			if f.Start < tok[1] && f.End > tok[0] {
				return true
			}
		}
		return false
	}
	type tl struct{ gold, found int }
	per := map[string]*tl{}
	var predicted, correct int
	for _, tok := range tokens(text) {
		kind := ""
		for _, g := range gold {
			if inSpan(tok, g.lo, g.hi) {
				kind = g.kind
				break
			}
		}
		m := masked(tok)
		if kind != "" {
			x := per[kind]
			if x == nil {
				x = &tl{}
				per[kind] = x
			}
			x.gold++
			if m {
				x.found++
			} else if testing.Verbose() && (kind == "ADDRESS" || kind == "ZIP" || kind == "PHONE") {
				t.Logf("missed %s token %q", kind, text[tok[0]:tok[1]])
			}
		}
		if m {
			predicted++
			if kind != "" {
				correct++
			} else if testing.Verbose() {
				t.Logf("masked outside gold: %q", text[tok[0]:tok[1]])
			}
		}
	}
	rows := []string{"| kind | gold tokens | token recall | target |", "|---|---|---|---|"}
	kinds := make([]string, 0, len(per))
	for k := range per {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		x := per[k]
		target := ""
		if k == "ADDRESS" || k == "ZIP" || k == "PHONE" {
			target = "0.85"
			if ratio(x.found, x.gold) < 0.85 {
				t.Errorf("%s token recall %.3f < 0.85", k, ratio(x.found, x.gold))
			}
		}
		rows = append(rows, fmt.Sprintf("| %s | %d | %.3f | %s |", k, x.gold, ratio(x.found, x.gold), target))
	}
	rows = append(rows, fmt.Sprintf("| token precision | %d masked | %.3f | 0.90 |", predicted, ratio(correct, predicted)))
	if ratio(correct, predicted) < 0.90 {
		t.Errorf("token precision %.3f < 0.90", ratio(correct, predicted))
	}
	report(t, "records", rows)
}
