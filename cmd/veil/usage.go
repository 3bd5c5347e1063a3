package main

// What a newcomer sees when a command line is wrong: one line that says
// what is wrong (with "did you mean" for a mistyped flag or command), one
// usage line, and where the help is; never the whole help page.

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/profiles"
)

// usageError is a mistake on the command line: exit code 1, and a usage
// line for the command after the message.
func usageError(c *cli.Command, msg string) error {
	return withCode(exitFatal, fmt.Errorf("%s\n%s", msg, usageLine(c)))
}

// usageLine is "usage: veil run [options] SOURCE DEST (veil run --help
// for more)" for a command, or the app's line for nil.
func usageLine(c *cli.Command) string {
	if c == nil || c.HelpName == "" || c.HelpName == "veil" {
		return "usage: veil COMMAND [options] ARGS… (veil --help lists the commands)"
	}
	line := "usage: " + c.HelpName
	for _, s := range c.Subcommands {
		if s.Name != "help" {
			line += " COMMAND"
			break
		}
	}
	for _, f := range c.Flags {
		if f != cli.HelpFlag {
			line += " [options]"
			break
		}
	}
	if c.ArgsUsage != "" {
		line += " " + c.ArgsUsage
	}
	return line + " (" + c.HelpName + " --help for more)"
}

// commandName is "veil run" for a command, "veil" for the app.
func commandName(c *cli.Command) string {
	if c == nil || c.HelpName == "" {
		return "veil"
	}
	return c.HelpName
}

// onUsageError turns the flag package's errors into a sentence with a
// suggestion ("unknown flag --profle; did you mean --profile?").
func onUsageError(c *cli.Context, err error, _ bool) error {
	cmd := c.Command
	msg := err.Error()
	var name string
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name = strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-")
		msg = fmt.Sprintf("%s has no option %s", commandName(cmd), dashed(name))
		if s := closest(name, flagNames(cmd)); s != "" {
			msg += "; did you mean " + dashed(s) + "?"
		} else if others := commandsWithFlag(c.App, name); len(others) > 0 {
			msg += " (" + strings.Join(others, " and ") + " has it)"
		}
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name = strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-")
		msg = fmt.Sprintf("%s needs a value", dashed(name))
		if f := findFlag(cmd, name); f != nil {
			if p := placeholder(f); p != "" {
				msg += " (" + dashed(name) + " " + p + ")"
			}
		}
	default:
		// invalid value "x" for flag -workers: parse error
		if m := invalidValue.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("%s: %s is not a whole number", dashed(m[2]), strconv.Quote(m[1]))
			if f := findFlag(cmd, m[2]); f != nil {
				if _, ok := f.(*cli.IntFlag); !ok {
					msg = fmt.Sprintf("%s: %s is not a valid value", dashed(m[2]), strconv.Quote(m[1]))
				}
			}
		}
	}
	return usageError(cmd, msg)
}

var invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -+([A-Za-z0-9-]+)`)

// dashed writes a flag name as it is typed: --profile, -p.
func dashed(name string) string {
	if utf8.RuneCountInString(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func flagNames(c *cli.Command) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, f := range c.Flags {
		out = append(out, f.Names()...)
	}
	return append(out, "help")
}

func findFlag(c *cli.Command, name string) cli.Flag {
	if c == nil {
		return nil
	}
	for _, f := range c.Flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

// placeholder is the value's name in a flag's help ("FILE" of "`FILE` of
// terms…"), or "".
func placeholder(f cli.Flag) string {
	if d, ok := f.(cli.DocGenerationFlag); ok {
		u := d.GetUsage()
		if i := strings.IndexByte(u, '`'); i >= 0 {
			if j := strings.IndexByte(u[i+1:], '`'); j > 0 {
				return u[i+1 : i+1+j]
			}
		}
		if d.TakesValue() {
			return "VALUE"
		}
	}
	return ""
}

// commandsWithFlag names the commands that define the flag ("veil run").
func commandsWithFlag(app *cli.App, name string) []string {
	var out []string
	var walk func(prefix string, cs []*cli.Command)
	walk = func(prefix string, cs []*cli.Command) {
		for _, c := range cs {
			if findFlag(c, name) != nil {
				out = append(out, prefix+c.Name)
			}
			walk(prefix+c.Name+" ", c.Subcommands)
		}
	}
	if app != nil {
		walk("veil ", app.Commands)
	}
	sort.Strings(out)
	return out
}

// unknownCommand is the action of the app and of commands with
// subcommands: help without arguments ("veil help run" too), else "no
// command X; did you mean Y?".
func unknownCommand(c *cli.Context) error {
	root := c.Command == nil || c.Command.HelpName == "" || c.Command.HelpName == c.App.Name
	help := func() error {
		if root {
			return cli.ShowAppHelp(c)
		}
		return cli.ShowSubcommandHelp(c)
	}
	if c.NArg() == 0 {
		return help()
	}
	name := c.Args().First()
	subs := c.App.Commands
	if !root {
		subs = c.Command.Subcommands
	}
	if name == "help" {
		if c.NArg() == 1 {
			return help()
		}
		for _, s := range subs {
			if s.HasName(c.Args().Get(1)) {
				return cli.ShowCommandHelp(c, s.Name)
			}
		}
		name = c.Args().Get(1)
	}
	var names []string
	for _, s := range subs {
		if !s.Hidden {
			names = append(names, s.Names()...)
		}
	}
	msg := fmt.Sprintf("%s has no command %q", commandName(c.Command), name)
	if s := closest(name, names); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return usageError(c.Command, msg)
}

// closest returns the candidate nearest to s: the only one s is a prefix
// of, else the one at the smallest Damerau-Levenshtein distance if that is
// small for the word's length (1 up to 3 letters, 2 up to 7, else 3).
func closest(s string, candidates []string) string {
	if s == "" {
		return ""
	}
	var prefixed []string
	for _, c := range candidates {
		if strings.HasPrefix(c, s) && c != s {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	limit := 1
	switch n := utf8.RuneCountInString(s); {
	case n > 7:
		limit = 3
	case n > 3:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := damerau(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// damerau is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours
// each cost 1.
func damerau(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// needArgs checks a command's arguments against the names it wants
// ("SOURCE", "DEST"; a name in brackets is optional) and says in a
// sentence what is missing or too much. Flags after the arguments are the
// usual cause of extra ones: urfave/cli stops reading flags at the first
// argument.
func needArgs(c *cli.Context, names ...string) error {
	want, optional := 0, 0
	for _, n := range names {
		if strings.HasPrefix(n, "[") {
			optional++
		} else {
			want++
		}
	}
	got := c.Args().Slice()
	if len(got) >= want && len(got) <= want+optional {
		return nil
	}
	if err := misplacedOption(c); err != nil {
		return err
	}
	need := commandName(c.Command) + " needs " + listNames(names[:want])
	switch {
	case len(got) == 0:
		return usageError(c.Command, need+"; got none")
	case len(got) < want:
		missing := names[len(got):want]
		verb := " is"
		if len(missing) > 1 {
			verb = " are"
		}
		return usageError(c.Command, fmt.Sprintf("%s; got %s (%s), %s%s missing", need, plural(len(got), "argument"),
			listNames(names[:len(got)]), listNames(missing), verb))
	default:
		return usageError(c.Command, fmt.Sprintf("%s; got %s, %d too many (quote a path that has spaces)", need,
			plural(len(got), "argument"), len(got)-want-optional))
	}
}

// misplacedOption returns an error for an option given after the first
// argument, which urfave/cli reads as an argument.
func misplacedOption(c *cli.Context) error {
	for i, a := range c.Args().Slice() {
		name, _, _ := strings.Cut(a, "=")
		if i > 0 && len(a) > 1 && strings.HasPrefix(a, "-") && findFlag(c.Command, strings.TrimLeft(name, "-")) != nil {
			first, _, _ := strings.Cut(c.Command.ArgsUsage, " ")
			if first = strings.Trim(first, "[]"); first == "" {
				first = "the arguments"
			}
			return usageError(c.Command, fmt.Sprintf("%s reads options only before its arguments: move %s before %s",
				commandName(c.Command), name, first))
		}
	}
	return nil
}

// listNames joins names as a sentence does: "SOURCE", "SOURCE and DEST".
func listNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// installUsageHandlers gives every command the short usage errors, and
// every command with subcommands the "no command X" action.
func installUsageHandlers(app *cli.App) {
	app.OnUsageError = onUsageError
	app.Action = unknownCommand
	var walk func(cs []*cli.Command)
	walk = func(cs []*cli.Command) {
		for _, c := range cs {
			c.OnUsageError = onUsageError
			c.HideHelpCommand = true // as the app's: --help is the way
			if findFlag(c, profileFlag.Name) != nil && c.Before == nil {
				c.Before = requireProfile
			}
			if len(c.Subcommands) > 0 && c.Action == nil {
				c.Action = unknownCommand
			}
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
}

// termWidth is the width to wrap text to: $COLUMNS, else the terminal's,
// else 80.
func termWidth(f *os.File) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n >= 20 {
		return n
	}
	if n := ttyWidth(f); n >= 20 {
		return n
	}
	return 80
}

// wrap breaks text into lines of at most width runes (a longer word stays
// whole), the first line after a prefix of indent runes already written,
// the next ones indented by indent spaces.
func wrap(text string, width, indent int) string {
	if width-indent < 20 {
		width = indent + 20
	}
	var b strings.Builder
	col := indent
	for i, w := range strings.Fields(text) {
		n := utf8.RuneCountInString(w)
		if i > 0 && col+1+n > width {
			b.WriteString("\n" + strings.Repeat(" ", indent))
			col = indent
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}

// requireProfile is the Before of the commands that take --profile: it is
// required, and said so before anything else is checked.
func requireProfile(c *cli.Context) error {
	if c.String(profileFlag.Name) != "" {
		return nil
	}
	if err := misplacedOption(c); err != nil {
		return err // "veil run in/ out/ --profile court"
	}
	return usageError(c.Command, fmt.Sprintf("%s needs --profile NAME: one of %s (veil profiles list), or a YAML file",
		commandName(c.Command), strings.Join(profiles.BuiltinNames(), ", ")))
}
