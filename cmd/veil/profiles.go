package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
)

func profilesCommand() *cli.Command {
	return &cli.Command{
		Name:  "profiles",
		Usage: "list the built-in profiles, or print one as YAML to copy and edit",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list built-in profiles",
				Action: func(c *cli.Context) error {
					w := c.App.Writer
					width := 80
					if f, ok := w.(*os.File); ok {
						width = termWidth(f)
					}
					col := 0
					for _, n := range profiles.BuiltinNames() {
						col = max(col, len(n))
					}
					for _, n := range profiles.BuiltinNames() {
						p, err := profiles.Load(n)
						if err != nil {
							return withCode(exitFatal, err)
						}
						fmt.Fprintf(w, "%-*s  %s\n\n", col, p.Name, wrap(p.Description, width-1, col+2))
					}
					fmt.Fprintln(w, wrap("veil profiles show NAME prints one as YAML to copy and edit; veil profiles actions lists what rules can do.", width-1, 0))
					return nil
				},
			},
			{
				Name:      "show",
				Usage:     "print the effective profile NAME (or FILE) as YAML",
				ArgsUsage: "NAME|FILE",
				Description: `Prints the profile with every rule spelled out. Save it, edit it, and pass
the file to --profile:
   veil profiles show court > my-court.yaml
   veil run --profile my-court.yaml exhibits/ production/`,
				Action: func(c *cli.Context) error {
					if err := needArgs(c, "NAME (or FILE)"); err != nil {
						return err
					}
					p, err := profiles.Load(c.Args().First())
					if err != nil {
						return withCode(exitFatal, err)
					}
					y, err := p.YAML()
					if err != nil {
						return withCode(exitFatal, err)
					}
					w := c.App.Writer
					fmt.Fprintf(w, "# Veil profile %q (%s). Entities without a rule use default.\n", p.Name, p.Source)
					fmt.Fprintf(w, "# Entities: %s\n", entityNames())
					_, err = w.Write(y)
					return err
				},
			},
			{
				Name:  "actions",
				Usage: "list the actions a profile rule can take",
				Action: func(c *cli.Context) error {
					as := profiles.Actions()
					var names []string
					for a := range as {
						names = append(names, string(a))
					}
					sort.Strings(names)
					for _, n := range names {
						fmt.Fprintf(c.App.Writer, "%-11s %s\n", n, as[profiles.Action(n)])
					}
					return nil
				},
			},
		},
	}
}

func entityNames() string {
	var s []string
	for _, e := range ner.Entities() {
		s = append(s, string(e))
	}
	return strings.Join(s, " ")
}

// profileSummaries lists the built-in profiles with the first sentence of
// each description, for the app's help.
func profileSummaries() string {
	names := profiles.BuiltinNames()
	col := 0
	for _, n := range names {
		col = max(col, len(n))
	}
	var b strings.Builder
	for i, n := range names {
		p, err := profiles.Load(n)
		if err != nil {
			continue
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "   %-*s  %s", col, n, wrap(firstSentence(p.Description), 76, col+5))
	}
	return b.String()
}

// firstSentence returns text up to the first full stop that ends a
// sentence: after a lower-case word or a closing bracket, before a capital
// ("Fed. R. Crim. P. 49.1" does not end one).
func firstSentence(text string) string {
	words := strings.Fields(text)
	for i, w := range words[:max(0, len(words)-1)] {
		if !strings.HasSuffix(w, ".") {
			continue
		}
		body := strings.TrimSuffix(w, ".")
		next, _ := utf8.DecodeRuneInString(words[i+1])
		last, _ := utf8.DecodeLastRuneInString(body)
		first, _ := utf8.DecodeRuneInString(body)
		if unicode.IsUpper(next) && (last == ')' || (unicode.IsLower(first) && utf8.RuneCountInString(body) > 2)) {
			return strings.Join(words[:i+1], " ")
		}
	}
	return strings.Join(words, " ")
}
