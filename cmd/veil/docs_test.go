package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
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
