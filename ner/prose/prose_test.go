package prose

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"

	"github.com/veilhq/veil/ner"
)

var update = flag.Bool("update", false, "update golden files in testdata/")

// parseTxtar splits a txtar archive ("-- name --" headers) into sections;
// the comment before the first header is section "".
func parseTxtar(data string) map[string]string {
	out := map[string]string{}
	name := ""
	var b strings.Builder
	for _, line := range strings.SplitAfter(data, "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimRight(line, "\n"), " --") {
			out[name] = b.String()
			name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(line, "\n"), "-- "), " --")
			b.Reset()
			continue
		}
		b.WriteString(line)
	}
	out[name] = b.String()
	return out
}

// TestGolden runs the detector on each testdata/*.txtar "input" section and
// compares "start:end ENTITY text" lines with the "want" section.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sec := parseTxtar(string(raw))
			input := sec["input"]
			fs, err := New().Detect(context.Background(), input)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, f := range fs {
				fmt.Fprintf(&b, "%d:%d %s %s\n", f.Start, f.End, f.Entity, input[f.Start:f.End])
			}
			if *update {
				out := sec[""] + "-- input --\n" + input + "-- want --\n" + b.String()
				if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := b.String(); got != sec["want"] {
				t.Errorf("findings differ (run go test -update to accept):\n got:\n%s\nwant:\n%s", got, sec["want"])
			}
		})
	}
}

func TestAlignTypographicQuotes(t *testing.T) {
	text := "“Maria’s” dog said\u00a0hi &rsquo; there"
	toks := []prose.Token{{Text: `"`}, {Text: "Maria"}, {Text: "'s"}, {Text: `"`}, {Text: "dog"}, {Text: "said"}, {Text: "hi"}, {Text: "'"}, {Text: "there"}}
	offs := Align(text, toks)
	for i, tok := range toks {
		if offs[i][0] < 0 {
			t.Fatalf("token %q not aligned", tok.Text)
		}
	}
	if got := text[offs[1][0]:offs[1][1]]; got != "Maria" {
		t.Fatalf("Maria aligned to %q", got)
	}
	if got := text[offs[7][0]:offs[7][1]]; got != "&rsquo;" {
		t.Fatalf("' aligned to %q", got)
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("Maria Sandoval met John Smith in Portland.")
	f.Add("“O’Neill” \xff visited Boston")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 2000 {
			return
		}
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
				t.Fatalf("bad finding %v", f)
			}
		}
	})
}

// TestCandidates checks which words prose is given: two words either side
// of a capitalised word that is not ordinary vocabulary, not a country or
// region, and that no rule has decided, within its sentence.
func TestCandidates(t *testing.T) {
	text := "The patient slept well.\nShe met Kowalczyk on Monday. Plan: continue.\nPHQ-9 was 9. Ms Ellison called." +
		"\nIn a long sentence with many words before it, Mr Zbyszewski was seen at noon with many words after it." +
		"\nShe moved to the United Kingdom and then to Poland."
	got := func(decided func(int, int) bool) []string {
		var out []string
		for _, c := range Candidates(text, decided) {
			out = append(out, strings.Trim(text[c[0]:c[1]], " .\n"))
		}
		return out
	}
	if g := strings.Join(got(nil), "|"); g != "She met Kowalczyk on Monday|Ms Ellison called|it, Mr Zbyszewski was seen" {
		t.Errorf("candidates %s", g)
	}
	ell := strings.Index(text, "Ellison")
	decided := func(s, e int) bool { return s == ell }
	if g := strings.Join(got(decided), "|"); g != "She met Kowalczyk on Monday|it, Mr Zbyszewski was seen" {
		t.Errorf("with Ellison decided: %s", g)
	}
	// prose findings from a candidate sentence keep their offsets
	fs, err := New().DetectWhere(context.Background(), text, decided)
	if err != nil {
		t.Fatal(err)
	}
	cands := Candidates(text, decided)
	for _, f := range fs {
		in := false
		for _, c := range cands {
			in = in || (c[0] <= f.Start && f.End <= c[1])
		}
		if !in {
			t.Errorf("finding %v outside the candidate ranges %v", f, cands)
		}
	}
	if len(fs) == 0 {
		t.Error("prose found nothing in the candidate sentences")
	}
}

func TestPlausible(t *testing.T) {
	for w, want := range map[string]bool{"PMed": true, "MDIs": true, "SVo2": true, "PPx4": true, "McDonald": false, "DeMarco": false, "USA": false, "Ellison": false} {
		if got := shorthand(w); got != want {
			t.Errorf("shorthand(%q) = %v", w, got)
		}
	}
}

// TestDropLeadingWord checks that an ordinary sentence-initial word is no
// part of a person's name, a given name is, and other entities keep theirs.
func TestDropLeadingWord(t *testing.T) {
	for _, c := range []struct {
		text, span string
		e          ner.Entity
		want       string
	}{
		{"Ask Greg Tomlinson about it.", "Ask Greg Tomlinson", ner.Person, "Greg Tomlinson"},
		{"Will Smith called.", "Will Smith", ner.Person, "Will Smith"},
		{"Please ask Greg Tomlinson.", "ask Greg Tomlinson", ner.Person, "ask Greg Tomlinson"},
		{"New Haven is far.", "New Haven", ner.Location, "New Haven"},
		{"Tomlinson came.", "Tomlinson", ner.Person, "Tomlinson"},
	} {
		i := strings.Index(c.text, c.span)
		f := dropLeadingWord(c.text, ner.Finding{Start: i, End: i + len(c.span), Entity: c.e})
		if got := c.text[f.Start:f.End]; got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

// TestNoFileNames checks that a template's file name is no place.
func TestNoFileNames(t *testing.T) {
	for _, text := range []string{"Normal.dotm", "Template: Normal.dotm\nLast saved by: Maria Sandoval\n"} {
		fs, err := New().Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if strings.Contains(text[f.Start:f.End], "Normal") {
				t.Errorf("%q: %v %q", text, f, text[f.Start:f.End])
			}
		}
	}
}
