package pattern

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
)

// minScore is the score a finding needs to count as a match in examples: the
// lowest threshold of the built-in profiles.
const minScore = 0.5

// parseExample strips «» markers and returns the text and the marked spans.
func parseExample(t testing.TB, ex string) (string, [][2]int) {
	t.Helper()
	var b strings.Builder
	var spans [][2]int
	start := -1
	for _, r := range ex {
		switch r {
		case '«':
			if start >= 0 {
				t.Fatalf("nested « in example %q", ex)
			}
			start = b.Len()
		case '»':
			if start < 0 {
				t.Fatalf("» without « in example %q", ex)
			}
			spans = append(spans, [2]int{start, b.Len()})
			start = -1
		default:
			b.WriteRune(r)
		}
	}
	if start >= 0 {
		t.Fatalf("unclosed « in example %q", ex)
	}
	return b.String(), spans
}

func ruleSpans(r *Rule, text string) [][2]int {
	var out [][2]int
	for _, f := range r.appendMatches(nil, text, window{0, len(text)}) {
		if f.Score >= minScore {
			out = append(out, [2]int{f.Start, f.End})
		}
	}
	return out
}

// TestRuleExamples runs every positive and negative example of every rule.
func TestRuleExamples(t *testing.T) {
	d := Default()
	if len(d.Rules()) < 20 {
		t.Fatalf("only %d rules loaded", len(d.Rules()))
	}
	for _, r := range d.Rules() {
		t.Run(r.ID(), func(t *testing.T) {
			for _, ex := range r.Spec.Examples.Match {
				text, want := parseExample(t, ex)
				if len(want) == 0 {
					t.Errorf("positive example without «»: %q", ex)
				}
				got := ruleSpans(r, text)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("example %q:\n got spans %v %q\nwant spans %v", ex, got, quote(text, got), want)
				}
				// The windowed path of Detect must find the same.
				viaDetect := detectorSpans(t, d, r, text)
				if fmt.Sprint(viaDetect) != fmt.Sprint(want) {
					t.Errorf("example %q through Detect: got %v want %v", ex, viaDetect, want)
				}
			}
			for _, ex := range r.Spec.Examples.NoMatch {
				if got := ruleSpans(r, ex); len(got) > 0 {
					t.Errorf("negative example %q matched %q", ex, quote(ex, got))
				}
			}
		})
	}
}

func detectorSpans(t *testing.T, d *Detector, r *Rule, text string) [][2]int {
	fs, err := d.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]int
	for _, f := range fs {
		if f.Rule == "pattern/"+r.ID() && f.Score >= minScore {
			out = append(out, [2]int{f.Start, f.End})
		}
	}
	return out
}

// fullScan runs every rule over the whole text, without windows, then
// the layout pass (which reads the whole text anyway).
func fullScan(d *Detector, text string) []ner.Finding {
	var out []ner.Finding
	for _, r := range d.Rules() {
		out = r.appendMatches(out, text, window{0, len(text)})
	}
	return d.appendLayout(out, text, out[:len(out):len(out)])
}

func sameFindings(a, b []ner.Finding) bool {
	a, b = append([]ner.Finding(nil), a...), append([]ner.Finding(nil), b...)
	ner.Sort(a)
	ner.Sort(b)
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestWindowsMatchFullScan(t *testing.T) {
	d := Default()
	filler := strings.Repeat("the quick brown fox jumps over the lazy dog ", 8)
	var sb strings.Builder
	for _, r := range d.Rules() {
		for _, ex := range r.Spec.Examples.Match {
			text, _ := parseExample(t, ex)
			sb.WriteString(text + " " + filler[:len(ex)%len(filler)] + "\n")
		}
	}
	text := sb.String()
	got, _ := d.Detect(context.Background(), text)
	if want := fullScan(d, text); !sameFindings(got, want) {
		t.Fatalf("windowed detection differs from a full scan:\n got %v\nwant %v", got, want)
	}
}

func quote(text string, spans [][2]int) []string {
	var out []string
	for _, s := range spans {
		out = append(out, text[s[0]:s[1]])
	}
	return out
}

func TestParseErrorsNameTheRule(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown key", "rules:\n- id: x\n  entity: EMAIL\n  regex: a\n  score: 0.5\n  colour: red\n", "field colour not found"},
		{"bad entity", "rules:\n- id: x1\n  entity: NOPE\n  regex: a\n  score: 0.5\n  examples: {match: ['«a»']}\n", `rule "x1": unknown entity "NOPE"`},
		{"bad regex", "rules:\n- id: x2\n  entity: EMAIL\n  regex: '('\n  score: 0.5\n  examples: {match: ['«a»']}\n", `rule "x2": invalid regex`},
		{"bad validator", "rules:\n- id: x3\n  entity: EMAIL\n  regex: a\n  score: 0.5\n  validate: [nope]\n  examples: {match: ['«a»']}\n", `rule "x3": unknown validator "nope"`},
		{"bad group", "rules:\n- id: x4\n  entity: EMAIL\n  regex: a\n  group: 2\n  score: 0.5\n  examples: {match: ['«a»']}\n", `rule "x4": group 2`},
		{"bad macro", "rules:\n- id: x5\n  entity: EMAIL\n  regex: '{{nope}}'\n  score: 0.5\n  examples: {match: ['«a»']}\n", `rule "x5": unknown macro`},
		{"no examples", "rules:\n- id: x6\n  entity: EMAIL\n  regex: a\n  score: 0.5\n", `rule "x6": no positive examples`},
		{"duplicate", "rules:\n- id: x7\n  entity: EMAIL\n  regex: a\n  score: 0.5\n  examples: {match: ['«a»']}\n- id: x7\n  entity: EMAIL\n  regex: a\n  score: 0.5\n  examples: {match: ['«a»']}\n", `rule "x7": duplicate id`},
		{"score", "rules:\n- id: x8\n  entity: EMAIL\n  regex: a\n  score: 2\n  examples: {match: ['«a»']}\n", `rule "x8": score 2`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Parse error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestValidators(t *testing.T) {
	cases := []struct {
		name  string
		value string
		want  bool
	}{
		{"luhn", "4111 1111 1111 1111", true},
		{"luhn", "4111 1111 1111 1112", false},
		{"luhn", "1234", false},
		{"ssn", "123-45-6789", true},
		{"ssn", "000-45-6789", false},
		{"ssn", "666-45-6789", false},
		{"ssn", "900-45-6789", false},
		{"ssn", "123-00-6789", false},
		{"ssn", "123-45-0000", false},
		{"iban", "GB82 WEST 1234 5698 7654 32", true},
		{"iban", "GB82 WEST 1234 5698 7654 31", false},
		{"iban", "GB82", false},
		{"nanp", "(503) 555-0147", true},
		{"nanp", "(103) 555-0147", true}, // made-up numbers identify too
		{"nanp", "999-999-9999", false},
		{"nanp", "503-555-014", false},
		{"pesel", "44051401359", true},
		{"pesel", "44051401358", false},
		{"pesel", "44151401359", false}, // month 15
		{"nip", "123-456-32-18", true},
		{"nip", "1234563219", false},
		{"regon", "123456785", true},
		{"regon", "123456786", false},
		{"pl_id_card", "ABA300000", true},
		{"pl_id_card", "ABA300001", false},
		{"rrn", "800101-1234560", true},
		{"rrn", "800101-1234561", false},
		{"rrn", "801301-1234560", false}, // month 13
		{"vn_cccd", "001234567890", true},
		{"vn_cccd", "997234567890", false},
		{"nhs", "943 476 5919", true},
		{"nhs", "943 476 5918", false},
		{"ni_number", "AB 12 34 56 C", true},
		{"ni_number", "GB123456C", false},
		{"ni_number", "AB123456E", false},
		{"eu_vat", "PL1234563218", true},
		{"eu_vat", "PL1234563219", false},
		{"eu_vat", "DE000000000", false},
		{"ipv4", "203.0.113.45", true},
		{"ipv4", "256.0.0.1", false},
		{"ipv6", "2001:db8::1", true},
		{"ipv6", "10:30:45", false},
		{"age", "93", true},
		{"age", "300", false},
	}
	for _, c := range cases {
		if got := validators[c.name](c.value); got != c.want {
			t.Errorf("%s(%q) = %v, want %v", c.name, c.value, got, c.want)
		}
	}
}

func TestContextRaisesScore(t *testing.T) {
	d := Default()
	score := func(text string) float64 {
		fs, _ := d.Detect(context.Background(), text)
		best := 0.0
		for _, f := range fs {
			if f.Entity == ner.SSN && f.Score > best {
				best = f.Score
			}
		}
		return best
	}
	with, without := score("her SSN is 123 45 6789"), score("the code 123 45 6789")
	if !(with > without) || with < 0.9 {
		t.Fatalf("context score %v, plain %v", with, without)
	}
}

// checkOffsets asserts the Finding contract.
func checkOffsets(t *testing.T, text string, fs []ner.Finding) {
	t.Helper()
	for _, f := range fs {
		if f.Start < 0 || f.Start >= f.End || f.End > len(text) {
			t.Fatalf("finding %v out of range for text of %d bytes", f, len(text))
		}
		if !utf8.RuneStart(text[f.Start]) || (f.End < len(text) && !utf8.RuneStart(text[f.End])) {
			t.Fatalf("finding %v not on rune boundaries", f)
		}
		if !f.Entity.Valid() || f.Score <= 0 || f.Score > 1 || f.Rule == "" {
			t.Fatalf("finding %v malformed", f)
		}
	}
}

func FuzzDetect(f *testing.F) {
	d := Default()
	for _, r := range d.Rules() {
		for _, ex := range r.Spec.Examples.Match {
			text, _ := parseExample(f, ex)
			f.Add(text)
		}
		for _, ex := range r.Spec.Examples.NoMatch {
			f.Add(ex)
		}
	}
	f.Add("\xff\xfe 123-45-6789 \xc3")
	f.Fuzz(func(t *testing.T, text string) {
		fs, err := d.Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		checkOffsets(t, text, fs)
		if want := fullScan(d, text); !sameFindings(fs, want) {
			t.Fatalf("windowed detection differs from a full scan:\n got %v\nwant %v", fs, want)
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	d := Default()
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.WriteString("Ms. Sandoval (DOB 02/17/1951, MRN 00482913) was seen on March 3, 2023 at 87 Willow Creek Road, Portland, OR 97205. " +
			"She reports improved sleep and fewer panic episodes since the last session; call (503) 555-0147 or write to m.sandoval@example.org.\n")
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Detect(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzKeywordIndex checks that the one-pass keyword index finds exactly
// what a search per keyword finds.
func FuzzKeywordIndex(f *testing.F) {
	f.Add("DOB: 02/17/1951, tel. +48 601, date of birth; ph:503 MRN#1")
	f.Add("xdob dob+ +++ d.o.b. mayday may")
	d := Default()
	f.Fuzz(func(t *testing.T, text string) {
		lower := asciiLower(text)
		hits := d.kw.find(lower)
		for id, k := range d.kw.words {
			want := keywordStarts(lower, []string{k})
			if fmt.Sprint(hits[id]) != fmt.Sprint(want) && !(len(hits[id]) == 0 && len(want) == 0) {
				t.Fatalf("keyword %q in %q: index %v, search %v", k, text, hits[id], want)
			}
		}
	})
}

// TestFirstBytes checks the bytes anchored matching tries a rule at.
func TestFirstBytes(t *testing.T) {
	str := func(set *[256]bool) string {
		if set == nil {
			return "any"
		}
		var b strings.Builder
		for c := 0; c < 256; c++ {
			if set[c] && c < 0x80 {
				b.WriteByte(byte(c))
			}
		}
		for c := 0xC0; c < 0x100; c++ {
			if set[c] {
				b.WriteString("+utf8")
				break
			}
		}
		return b.String()
	}
	for src, want := range map[string]string{
		`\b[0-9]{3}-[0-9]{2}`:     "0123456789",
		`(?i)\bdob\b`:             "Dd",
		`(?:\+1 )?\([0-9]{3}\)`:   "(+",
		`a?b?`:                    "any", // may match nothing
		`.x`:                      "any",
		`[A-Z][a-zé]+`:            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
		`ż?[0-9]`:                 "0123456789+utf8",
		`(?i)[a-z]{2}[0-9]{8,12}`: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+utf8", // ſ and K fold too
	} {
		if got := str(firstBytes(src)); got != want {
			t.Errorf("firstBytes(%q) = %s, want %s", src, got, want)
		}
	}
}

// TestPrefixBytes checks the bytes anchored matching requires at each
// offset of a match.
func TestPrefixBytes(t *testing.T) {
	str := func(sets []*[256]bool) string {
		var parts []string
		for _, set := range sets {
			if set == nil {
				parts = append(parts, "*")
				continue
			}
			var b strings.Builder
			for c := 0; c < 0x80; c++ {
				if set[c] {
					b.WriteByte(byte(c))
				}
			}
			parts = append(parts, b.String())
		}
		return strings.Join(parts, "|")
	}
	for src, want := range map[string]string{
		`\b[0-9]{2}-[0-9]`: "0123456789|0123456789|-|0123456789",
		`(?i)dob\b`:        "Dd|Oo|Bb",
		`a?b`:              "ab",           // the second byte only after a
		`ab?`:              "a",            // may end after one byte
		`[0-9]ż[0-9]`:      "0123456789|*", // a wide rune: stop
		`(?i)ab`:           "Aa|Bb",
		`(?i)ks`:           "*", // k folds to the Kelvin sign too
		`x.y`:              "x|*",
		`[0-9]{20}`:        strings.TrimSuffix(strings.Repeat("0123456789|", 12), "|"),
	} {
		if got := str(prefixBytes(src, maxPrefix)); got != want {
			t.Errorf("prefixBytes(%q) = %s, want %s", src, got, want)
		}
	}
}

// TestViable checks the simulation that rules a candidate out before its
// regular expression is tried.
func TestViable(t *testing.T) {
	prog := func(src string) *program {
		re, err := syntax.Parse(src, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		p, err := syntax.Compile(re.Simplify())
		if err != nil {
			t.Fatal(err)
		}
		return newProgram(p)
	}
	var sim simulator
	for _, c := range []struct {
		src, text string
		want      bool
	}{
		{`\b(?:Unit|Flat|Apt\.?) [0-9]{1,5},? [0-9]+ [A-Z]\w+ (?:Road|Lane)\b`, "Unit 4, 18 Harbour Road", true},
		{`\b(?:Unit|Flat|Apt\.?) [0-9]{1,5},? [0-9]+ [A-Z]\w+ (?:Road|Lane)\b`, "Unit was closed", false},
		{`\b(?:Unit|Flat|Apt\.?) [0-9]{1,5}`, "Apt. 4", true},
		{`\b(?:Unit|Flat|Apt\.?) [0-9]{1,5}`, "Apt 4", true},
		{`\b(?:Unit|Flat|Apt\.?) [0-9]{1,5}`, "Apt", false}, // the text ends first
		{`(?i)dob:? [0-9]`, "DOB 1", true},
		{`(?i)dob:? [0-9]`, "dobbin", false},
		{`ab[^x]*c`, "ab" + strings.Repeat("y", 40), true}, // undecided within the bytes read
		{`a\x{17F}`, "a\xc5\xbf", true},                    // a rune of two bytes: not simulated
		{`x?`, "", true},                                   // matches nothing
	} {
		if got := sim.viable(prog(c.src), c.text, 0); got != c.want {
			t.Errorf("viable(%q, %q) = %v, want %v", c.src, c.text, got, c.want)
		}
	}
}

// TestFollowRandom builds texts from the pieces the follow conditions
// read (keywords, dots, blanks, digits, colons, hex) and checks windowed
// detection against a full scan on each.
func TestFollowRandom(t *testing.T) {
	d := Default()
	pieces := []string{"straße", "Hauptstr", "str.", "Gartenweg", "gatan", "Ring", "torget", "age", "AGE", "aged", "page",
		"Tamsin", "Everard", ".", ". ", " ", "  ", "\t", "\n", "5", "12", "1234", "a", "B", ":", "::", "fe80", "0", "db8", "x", "-", "/"}
	r := rand.New(rand.NewSource(14))
	for i := 0; i < 3000; i++ {
		var sb strings.Builder
		for n := 1 + r.Intn(12); n > 0; n-- {
			sb.WriteString(pieces[r.Intn(len(pieces))])
		}
		text := sb.String()
		got, _ := d.Detect(context.Background(), text)
		if want := fullScan(d, text); !sameFindings(got, want) {
			t.Fatalf("%q: windowed detection differs from a full scan:\n got %v\nwant %v", text, got, want)
		}
	}
}

// TestFollowKeepsMatches checks, on texts made to sit at the edges of the
// rules' follow conditions, that windows opened only where a keyword is
// followed find what a full scan finds.
func TestFollowKeepsMatches(t *testing.T) {
	d := Default()
	for _, text := range []string{
		"wohnt Hauptstr.. 5 und Hauptstr. 7, Gartenweg 3a/4b B 2; Ringweg\t5",
		"ring 5, Ring 5, Tamsin Everard Brandweg 12 B",
		"AGE:\t\t 45, aged\n\n61, page 12, Aged 102, age:x 4",
		"fe80::1 FE80:0:0::1 a:b:c 10:30:45 ::1 note: see: 12:ab: x",
		"Torgetorget 4; torgetorget 4; Storgatan 12; Mannerheimintie 5 B 12",
	} {
		got, _ := d.Detect(context.Background(), text)
		if want := fullScan(d, text); !sameFindings(got, want) {
			t.Errorf("%q: windowed detection differs from a full scan:\n got %v\nwant %v", text, got, want)
		}
	}
}

// followTexts are texts made of the pieces of the keyword rules with a
// follow condition: keywords in every case, digits, the bytes follow
// reads, letters and non-ASCII letters glued on.
func followTexts(n int, seed int64) []string {
	pieces := []string{"straße", "Straße", "STRASSE", "Hauptstr", "str.", "Gartenweg", "gatan", "Ring", "torget", "vej", "tie",
		"age", "AGE", "aged", "page", "Tamsin", "Everard", ".", ". ", " ", "  ", "\t", "\n", "5", "12", "1234", "a", "B",
		":", "::", "fe80", "0", "db8", "x", "-", "/", "ß", "ü", "Ö", "\xff", "\u00a0", "5a", "7/9"}
	r := rand.New(rand.NewSource(seed))
	out := make([]string, n)
	for i := range out {
		var sb strings.Builder
		for k := 1 + r.Intn(30); k > 0; k-- {
			sb.WriteString(pieces[r.Intn(len(pieces))])
		}
		out[i] = sb.String()
	}
	return out
}

// TestFollowWindowsMatchReference checks followWindows against the
// search per keyword it replaces (keywordWindows) for every rule that
// uses it.
func TestFollowWindowsMatchReference(t *testing.T) {
	d := Default()
	n := 0
	for _, r := range d.rules {
		if r.followFirst == nil {
			continue
		}
		n++
		var sim simulator
		for _, text := range append(followTexts(5000, 31), "Hauptstraße 12, Ringvej 4, Storgatan 12"+strings.Repeat(" Gartenweg. 5", 3)) {
			lower := asciiLower(text)
			got := r.followWindows(text, lower, &sim)
			want := keywordWindows(text, lower, r.keywords, r.follow, &sim)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("rule %s, %q: followWindows %v, keywordWindows %v", r.ID(), text, got, want)
			}
		}
	}
	if n == 0 {
		t.Fatal("no rule uses followWindows")
	}
}

// FuzzFollowWindows checks followWindows against keywordWindows on any
// text.
func FuzzFollowWindows(f *testing.F) {
	for _, s := range followTexts(20, 5) {
		f.Add(s)
	}
	d := Default()
	f.Fuzz(func(t *testing.T, text string) {
		var sim simulator
		lower := asciiLower(text)
		for _, r := range d.rules {
			if r.followFirst == nil {
				continue
			}
			got := r.followWindows(text, lower, &sim)
			want := keywordWindows(text, lower, r.keywords, r.follow, &sim)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("rule %s: followWindows %v, keywordWindows %v", r.ID(), got, want)
			}
		}
	})
}

// TestCompiledOnce checks that the first bytes, prefixes and program a
// rule keeps, made from one compilation of its expression, are what
// separate compilations make.
func TestCompiledOnce(t *testing.T) {
	for _, r := range Default().rules {
		if !r.anchored {
			continue
		}
		src := r.src
		if got, want := r.atStart.String(), regexp.MustCompile(`^(?:`+src+`)`).String(); got != want {
			t.Errorf("rule %s: anchored expression %q, want %q", r.ID(), got, want)
		}
		if got, want := r.afterPrev.String(), regexp.MustCompile(`^(?s:.)(?:`+src+`)`).String(); got != want {
			t.Errorf("rule %s: expression after a character %q, want %q", r.ID(), got, want)
		}
		if !reflect.DeepEqual(r.first, firstBytes(src)) {
			t.Errorf("rule %s: first bytes differ from a separate compilation's", r.ID())
		}
		if !reflect.DeepEqual(r.prefix, prefixBytes(src, maxPrefix)) {
			t.Errorf("rule %s: prefix differs from a separate compilation's", r.ID())
		}
		if prog := compileSyntax(src); r.prog == nil || prog == nil || r.prog.String() != prog.String() {
			t.Errorf("rule %s: program differs from a separate compilation", r.ID())
		}
	}
}
