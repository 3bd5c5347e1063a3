package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/profiles"
)

// TestDocumentedCommandLines checks that every veil command line shown in
// the README, in docs/ and in the commands' own help examples uses only
// flags that the command defines: a flag lost in a refactoring otherwise
// surfaces as "flag provided but not defined" in a user's terminal.
func TestDocumentedCommandLines(t *testing.T) {
	app := newApp()
	type line struct{ where, text string }
	var lines []line
	files, _ := filepath.Glob("../../docs/*.md")
	for _, f := range append(files, "../../README.md") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in := false
		for i, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "```") {
				in = !in
				continue
			}
			if in {
				lines = append(lines, line{filepath.Base(f) + ":" + strconv.Itoa(i+1), l})
			}
		}
	}
	var walk func(prefix string, cs []*cli.Command)
	walk = func(prefix string, cs []*cli.Command) {
		for _, c := range cs {
			for _, l := range strings.Split(c.Description, "\n") {
				lines = append(lines, line{"veil " + prefix + c.Name + " --help", l})
			}
			walk(prefix+c.Name+" ", c.Subcommands)
		}
	}
	walk("", app.Commands)

	invocation := regexp.MustCompile(`(?:^|[\s$(])(?:go run \./cmd/veil|veil) ([a-z]+)((?: [a-z]+)?)(.*)`)
	flagRE := regexp.MustCompile(`(?:^|\s)--([a-z0-9-]+)`)
	research := regexp.MustCompile(`(?:--profile|-p)[ =]research\b`)
	checked := 0
	for _, l := range lines {
		m := invocation.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		cmd := app.Command(m[1])
		if cmd == nil {
			continue // prose such as "veil is quiet"
		}
		rest := m[3]
		if sub := strings.TrimSpace(m[2]); sub != "" {
			if sc := cmd.Command(sub); sc != nil {
				cmd = sc
			} else {
				rest = m[2] + rest
			}
		}
		if i := strings.Index(rest, "#"); i >= 0 {
			rest = rest[:i]
		}
		for _, f := range flagRE.FindAllStringSubmatch(rest, -1) {
			checked++
			if !hasFlag(cmd, f[1]) && f[1] != "help" {
				t.Errorf("%s: veil %s has no flag --%s: %s", l.where, cmd.Name, f[1], strings.TrimSpace(l.text))
			}
		}
		// A profile that needs a key fails without one: the example must
		// give it (veil verify and veil eval need none).
		if research.MatchString(rest) && !strings.Contains(rest, "--key-file") && cmd.Name != "verify" && cmd.Name != "eval" {
			t.Errorf("%s: research needs --key-file: %s", l.where, strings.TrimSpace(l.text))
		}
	}
	if checked < 20 {
		t.Fatalf("only %d flags found in documented command lines; the parser is broken", checked)
	}
}

func hasFlag(c *cli.Command, name string) bool {
	for _, f := range c.Flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// readmeSection returns the lines of README.md under "## title" (or
// "### title") up to the next heading of that level or above.
func readmeSection(t *testing.T, title string) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in, level := false, 0
	code := false
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "```") {
			code = !code
		}
		if h := strings.IndexFunc(l, func(r rune) bool { return r != '#' }); !code && h > 0 && l[h] == ' ' {
			if in && h <= level {
				break
			}
			if strings.TrimSpace(l[h:]) == title {
				in, level = true, h
				continue
			}
		}
		if in {
			out = append(out, l)
		}
	}
	if !in {
		t.Fatalf("README.md has no section %q", title)
	}
	return out
}

// tableColumn returns the first cells of the rows of the first table in
// lines, without backticks (the header and the separator left out).
func tableColumn(lines []string) []string {
	var out []string
	rows := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "|") {
			if rows > 0 {
				break
			}
			continue
		}
		if rows++; rows <= 2 {
			continue
		}
		l = strings.ReplaceAll(l, `\|`, "¦") // an escaped pipe inside a cell
		cell := strings.TrimSpace(strings.Split(l, "|")[1])
		out = append(out, strings.Trim(strings.ReplaceAll(cell, "¦", "|"), "`"))
	}
	return out
}

// The README's quick start is exactly two commands on a fresh machine: one
// runs Veil on samples/ (run here, as written), the other the tests, which
// is what CI runs.
func TestReadmeQuickStartCommands(t *testing.T) {
	var cmds []string
	code := false
	for _, l := range readmeSection(t, "Quick start") {
		if strings.HasPrefix(l, "```") {
			code = !code
			continue
		}
		if code && strings.TrimSpace(l) != "" {
			cmds = append(cmds, strings.TrimSpace(l))
		}
	}
	if len(cmds) != 2 || cmds[1] != "./scripts/test" {
		t.Fatalf("quick start commands %q, want a veil run on samples/ and ./scripts/test", cmds)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil || !strings.Contains(string(ci), "\n./scripts/test") {
		t.Errorf(".ci/run does not run ./scripts/test, the README's test command")
	}
	args, ok := strings.CutPrefix(cmds[0], "go run ./cmd/veil ")
	if !ok || !strings.Contains(args, "samples/") {
		t.Fatalf("the first command %q is not go run ./cmd/veil … samples/…", cmds[0])
	}
	f := strings.Fields(args)
	out := filepath.Join(t.TempDir(), "out")
	for i, a := range f {
		if strings.HasPrefix(a, "samples/") {
			f[i] = "../../" + a
		}
	}
	f[len(f)-1] = out // DEST
	if code, msg := veil(t, append([]string{f[0], "-q"}, f[1:]...)...); code != exitOK {
		t.Fatalf("%s: exit %d %s", cmds[0], code, msg)
	}
	if _, err := os.Stat(filepath.Join(out, reportDir, "report.md")); err != nil {
		t.Errorf("%s wrote no report: %v", cmds[0], err)
	}
}

// The README's tables of commands, profiles and exit codes list exactly
// what the CLI has, and its links lead to files that exist.
func TestReadmeFrontDoor(t *testing.T) {
	app := newApp()
	var want []string
	for _, c := range app.Commands {
		if !c.Hidden {
			want = append(want, c.Name)
		}
	}
	got := map[string]bool{}
	for _, cell := range tableColumn(readmeSection(t, "Commands")) {
		f := strings.Fields(cell)
		if len(f) < 2 || f[0] != "veil" || app.Command(f[1]) == nil {
			t.Errorf("README command table: %q is not a veil command", cell)
			continue
		}
		got[f[1]] = true
	}
	for _, c := range want {
		if !got[c] {
			t.Errorf("README command table lacks veil %s", c)
		}
	}

	profs := tableColumn(readmeSection(t, "Veil"))
	sort.Strings(profs)
	if strings.Join(profs, " ") != strings.Join(profiles.BuiltinNames(), " ") {
		t.Errorf("README profile table lists %v, the built-ins are %v", profs, profiles.BuiltinNames())
	}

	codes := strings.Join(tableColumn(readmeSection(t, "Exit codes")), " ")
	if want := fmt.Sprint(exitOK, exitFatal, exitNotWritten, exitIdentifiers); codes != want {
		t.Errorf("README exit codes %q, the CLI's are %q", codes, want)
	}

	b, _ := os.ReadFile("../../README.md")
	links := regexp.MustCompile(`\]\(([^)#]+)(?:#[^)]*)?\)`).FindAllStringSubmatch(string(b), -1)
	if len(links) < 5 {
		t.Fatalf("only %d links in README.md", len(links))
	}
	for _, m := range links {
		if _, err := os.Stat(filepath.Join("../..", m[1])); err != nil {
			t.Errorf("README links to %s: %v", m[1], err)
		}
	}
}

// Links between the pages of docs/ lead to files and headings that exist.
func TestDocsLinks(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	anchors := map[string]map[string]bool{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		anchors[filepath.Base(f)] = map[string]bool{}
		for _, l := range strings.Split(string(b), "\n") {
			if h := strings.TrimLeft(l, "#"); len(h) < len(l) && strings.HasPrefix(h, " ") {
				anchors[filepath.Base(f)][githubAnchor(h)] = true
			}
		}
	}
	link := regexp.MustCompile(`\]\(([A-Z]+\.md)(?:#([^)]*))?\)`)
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			a, ok := anchors[m[1]]
			if !ok {
				t.Errorf("%s links to %s, which is not in docs/", filepath.Base(f), m[1])
			} else if m[2] != "" && !a[m[2]] {
				t.Errorf("%s links to %s#%s, which has no such heading", filepath.Base(f), m[1], m[2])
			}
		}
	}
}

// githubAnchor is the anchor GitHub gives a heading: lower case, spaces to
// hyphens, punctuation dropped.
func githubAnchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
