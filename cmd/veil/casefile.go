package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
)

// Flags for pseudonymisation state (defined once, like the others).
var (
	keyFileFlag = &cli.StringFlag{
		Name:  "key-file",
		Usage: "secret `FILE` for keyed pseudonyms, date shifts and the --mapping file (make one with veil keygen FILE); keep it away from the output",
	}
	mappingFlag = &cli.StringFlag{
		Name: "mapping",
		Usage: "encrypted `FILE` of the case's aliases and pseudonyms (needs --key-file): read at start, " +
			"written after the run, so later batches give the same alias to the same person; must be outside SOURCE and DEST",
	}
	minorsFlag = &cli.StringFlag{
		Name:  "minors",
		Usage: "`FILE` of names of people known to be minors, one per line (court: their names become initials)",
	}
	yearFlag = &cli.IntFlag{
		Name: "reference-year", Value: time.Now().Year(), DefaultText: strconv.Itoa(time.Now().Year()) + ", this year",
		Usage: "`YEAR` against which birth dates imply an age (over 89, minors)",
	}
)

// engine is a pipeline engine with the case state the CLI keeps for it.
type engine struct {
	*pipeline.Engine
	keys    *profiles.Keys
	cs      *profiles.Case
	mapping string // path of the mapping file, "" if none
}

// caseState reads --key-file, --mapping and --minors.
func caseState(c *cli.Context) (keys *profiles.Keys, cs *profiles.Case, mapping string, minors []string, err error) {
	if p := c.String(keyFileFlag.Name); p != "" {
		if keys, err = profiles.ReadKeyFile(p); err != nil {
			return nil, nil, "", nil, fileError(keyFileFlag.Name, p, err)
		}
	}
	cs = profiles.NewCase()
	if mapping = c.String(mappingFlag.Name); mapping != "" {
		if keys == nil {
			return nil, nil, "", nil, withCode(exitFatal, fmt.Errorf("--%s needs --%s: the mapping file is encrypted with it", mappingFlag.Name, keyFileFlag.Name))
		}
		if mapping, err = filepath.Abs(mapping); err != nil {
			return nil, nil, "", nil, withCode(exitFatal, fmt.Errorf("--%s: %w", mappingFlag.Name, err))
		}
		if cs, err = profiles.LoadCaseFile(mapping, keys); err != nil {
			return nil, nil, "", nil, fileError(mappingFlag.Name, c.String(mappingFlag.Name), err)
		}
	}
	if p := c.String(minorsFlag.Name); p != "" {
		if minors, err = readList(p); err != nil {
			return nil, nil, "", nil, fileError(minorsFlag.Name, p, err)
		}
	}
	return keys, cs, mapping, minors, nil
}

// checkMapping refuses a mapping file inside a folder that is read or
// shared: SOURCE (it would be read as input), DEST and the report folder
// (it would be handed on with the output).
func (e *engine) checkMapping(places map[string]string) error {
	if e.mapping == "" {
		return nil
	}
	return checkOutside(mappingFlag.Name, e.mapping, places)
}

// saveMapping writes the mapping file if the case changed.
func (e *engine) saveMapping() error {
	if e.mapping == "" || !e.cs.Changed() {
		return nil
	}
	if err := e.cs.SaveFile(e.mapping, e.keys); err != nil {
		return fileError(mappingFlag.Name, e.mapping, err)
	}
	return nil
}

// notices are the statements report.md and report.json open with.
func (e *engine) notices() []string {
	out := []string{
		"Automated redaction can miss identifiers that its detectors do not know. Review the output before you share it.",
		"report.json holds locations in the output, rule ids and replacement text, never original values. redaction-log.csv is the log to hand on.",
	}
	if e.keys != nil && (e.mapping != "" || len(e.Profile().NeedsKey()) > 0) {
		kept := "the key (--key-file, key id " + e.keys.ID() + ")"
		if e.mapping != "" {
			kept += " and the mapping file (--mapping)"
		}
		out = append(out, "The output is pseudonymised, not anonymous (GDPR Art. 4(5)): whoever holds "+kept+
			" can link aliases, pseudonyms and shifted dates back to people, so it remains personal data. Keep them apart from the output.")
	}
	p := e.Profile()
	var manual []string
	for _, c := range p.Categories {
		if len(c.Entities) == 0 {
			manual = append(manual, "("+c.ID+") "+c.Name)
		}
	}
	if len(manual) > 0 {
		out = append(out, "Veil cannot detect these in text; check them by hand: "+strings.Join(manual, "; ")+".")
	}
	return append(out, p.Notices...)
}

// categories are the profile's categories for the report.
func (e *engine) categories() []report.Category { return pipeline.ReportCategories(e.Profile()) }

func keygenCommand() *cli.Command {
	return &cli.Command{
		Name:      "keygen",
		Usage:     "write a new secret key file for --key-file",
		ArgsUsage: "FILE",
		Description: `Writes 32 random bytes (hex) to FILE, readable by you only. The key makes
pseudonyms and date shifts repeatable and encrypts the --mapping file:
keep it safe and away from the output. Whoever holds it can re-identify.`,
		Action: func(c *cli.Context) error {
			if err := needArgs(c, "FILE"); err != nil {
				return err
			}
			f, err := os.OpenFile(c.Args().First(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				if errors.Is(err, fs.ErrExist) {
					return withCode(exitFatal, errors.New("keygen FILE: the file exists; an existing key is never overwritten"))
				}
				return withCode(exitFatal, fmt.Errorf("keygen FILE: %s", problem(err)))
			}
			_, err = f.Write(profiles.NewKeyFile())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return withCode(exitFatal, fmt.Errorf("keygen FILE: %s", problem(err)))
			}
			return nil
		},
	}
}

func reidentifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "reidentify",
		Usage:     "show who an alias or pseudonym stands for, or which source a redacted file name came from (needs the key)",
		ArgsUsage: "[ALIAS|PSEUDONYM|FILE...]",
		Description: `For the custodian who holds the key. With --mapping, prints every person of
the case (or those whose alias or pseudonym is given): alias, pseudonyms,
roles, and the spellings seen (normalised: lower case, titles dropped).
With --files, prints instead, for every run made with the mapping file,
each output whose name was redacted and the source file it came from (or
those whose output or source name is given). With --name, prints the
pseudonym a name gets under the key, so a custodian can check a suspected
match without a mapping file.

Output goes to stdout only; it identifies people, so treat it as the
original data.

Examples:
   veil reidentify --key-file case.key --mapping case.veilmap "Client A"
   veil reidentify --key-file case.key --mapping case.veilmap --files intake_Person-A.md
   veil reidentify --key-file case.key --name "Maria Sandoval"`,
		Flags: []cli.Flag{keyFileFlag, mappingFlag,
			&cli.BoolFlag{Name: "files", Usage: "print output file names and the source file each came from, instead of people"},
			&cli.StringSliceFlag{Name: "name", Usage: "print the pseudonym of `NAME` (may repeat)"},
			&cli.StringFlag{Name: "prefix", Value: "PERSON", Usage: "pseudonym prefix for --name"},
			&cli.StringFlag{Name: "entity", Value: "PERSON", Usage: "entity for --name"},
		},
		Action: doReidentify,
	}
}

func doReidentify(c *cli.Context) error {
	if c.String(keyFileFlag.Name) == "" {
		return withCode(exitFatal, errors.New("reidentify needs --key-file"))
	}
	keys, cs, mapping, _, err := caseState(c)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	defer w.Flush()
	for _, n := range c.StringSlice("name") {
		t := profiles.NewCase()
		id := profiles.Identity(n)
		if id == "" {
			continue
		}
		fmt.Fprintf(w, "%s\t%s\n", t.Pseudonym(t.Link(c.String("entity"), id), c.String("prefix"), keys), id)
	}
	if mapping == "" {
		if len(c.StringSlice("name")) == 0 {
			return usageError(c.Command, "veil reidentify needs --mapping FILE or --name NAME")
		}
		return nil
	}
	want := map[string]bool{}
	for _, a := range c.Args().Slice() {
		want[a] = true
	}
	if c.Bool("files") {
		return printFileNames(w, cs, want)
	}
	found := 0
	for _, en := range cs.Entries() {
		match := len(want) == 0 || want[en.Alias]
		for _, t := range en.Tokens {
			match = match || want[t]
		}
		if !match {
			continue
		}
		found++
		var roles []string
		for _, r := range en.Roles {
			roles = append(roles, string(r))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", orDash(en.Alias), orDash(strings.Join(en.Tokens, " ")), en.NS, orDash(strings.Join(roles, ",")), strings.Join(en.Identities, " | "))
	}
	if found == 0 && len(want) > 0 {
		return withCode(exitFatal, errors.New("none of the given aliases or pseudonyms is in the mapping file"))
	}
	return nil
}

// printFileNames prints "DEST/output <- SOURCE/source" for every redacted
// file name the mapping file holds, or for those whose output or source
// key (or its last element) is in want.
func printFileNames(w io.Writer, cs *profiles.Case, want map[string]bool) error {
	found := 0
	for _, r := range cs.NameRuns() {
		for _, src := range r.SourceKeys() {
			out := r.Files[src]
			if len(want) > 0 && !want[out] && !want[src] && !want[path.Base(out)] && !want[path.Base(src)] {
				continue
			}
			found++
			fmt.Fprintf(w, "%s\t<- %s\n", joinKey(r.Dest, out), joinKey(r.Source, src))
		}
	}
	if found == 0 && len(want) > 0 {
		return withCode(exitFatal, errors.New("none of the given file names is in the mapping file"))
	}
	return nil
}

// joinKey joins a location (folder or s3://bucket/prefix) and a key.
func joinKey(loc, key string) string {
	if strings.HasPrefix(loc, "s3://") {
		return strings.TrimSuffix(loc, "/") + "/" + key
	}
	return filepath.Join(loc, filepath.FromSlash(key))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// fileError is the error for a file given with a flag: the flag and the
// problem ("--key-file: no such file or folder"). It never holds the
// file's contents, nor its path (path is not used): a folder or file can
// be named after a client (session "side36", issue 13).
func fileError(flag, path string, err error) error {
	_ = path
	return withCode(exitFatal, fmt.Errorf("--%s: %s", flag, problem(err)))
}

// problem says what is wrong with a file in a few words, without its path
// (the caller names it once).
func problem(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.EISDIR):
		return "is a folder, not a file"
	case errors.As(err, &pe):
		return pe.Op + ": " + pe.Err.Error()
	}
	msg := err.Error()
	for _, p := range []string{"key file: ", "mapping: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}
