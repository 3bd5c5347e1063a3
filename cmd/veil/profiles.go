package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

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
					for _, n := range profiles.BuiltinNames() {
						p, err := profiles.Load(n)
						if err != nil {
							return withCode(exitFatal, err)
						}
						desc := strings.Join(strings.Fields(p.Description), " ")
						if i := strings.Index(desc, ". "); i > 0 {
							desc = desc[:i+1]
						}
						fmt.Printf("%-12s %s\n", p.Name, desc)
					}
					fmt.Println("\nveil profiles show NAME prints one; veil profiles actions lists what rules can do.")
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
					if c.NArg() != 1 {
						return withCode(exitFatal, errors.New("profiles show needs a NAME or FILE"))
					}
					p, err := profiles.Load(c.Args().First())
					if err != nil {
						return withCode(exitFatal, err)
					}
					y, err := p.YAML()
					if err != nil {
						return withCode(exitFatal, err)
					}
					fmt.Printf("# Veil profile %q (%s). Entities without a rule use default.\n", p.Name, p.Source)
					fmt.Printf("# Entities: %s\n", entityNames())
					_, err = os.Stdout.Write(y)
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
						fmt.Printf("%-11s %s\n", n, as[profiles.Action(n)])
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
