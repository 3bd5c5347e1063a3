package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
)

// Flags are defined once so that names and help texts are the same in every
// command.
var (
	profileFlag = &cli.StringFlag{
		Name: "profile", Aliases: []string{"p"}, Required: true,
		Usage: "profile: a built-in name (supervision, court, research) or a YAML `FILE`; see `veil profiles list`",
	}
	denyListFlag = &cli.StringSliceFlag{
		Name:  "deny-list",
		Usage: "`FILE` of terms always redacted, one per line (# starts a comment); may repeat",
	}
	allowListFlag = &cli.StringSliceFlag{
		Name:  "allow-list",
		Usage: "`FILE` of terms never redacted, one per line; may repeat",
	}
	workersFlag = &cli.IntFlag{
		Name: "workers", Value: runtime.NumCPU(),
		Usage: "files processed at once",
	}
	reportFlag = &cli.StringFlag{
		Name:  "report",
		Usage: "folder for report.json, report.md and redaction-log.csv (default DEST/veil-report)",
	}
	maxSizeFlag = &cli.StringFlag{
		Name: "max-file-size", Value: "256MiB",
		Usage: "larger files are quarantined; memory use is up to workers × this",
	}
	noNERFlag = &cli.BoolFlag{
		Name:  "no-ner",
		Usage: "skip the statistical name recogniser (faster; rules and name lists only)",
	}
	logFormatFlag = &cli.StringFlag{
		Name: "log-format", Value: "text",
		Usage: "log format on stderr: text or json",
	}
	quietFlag = &cli.BoolFlag{
		Name: "quiet", Aliases: []string{"q"},
		Usage: "no progress and no summary; errors only",
	}
	verboseFlag = &cli.BoolFlag{
		Name:  "verbose",
		Usage: "log every file (keys are redacted like the output names)",
	}
)

// engineFlags are the flags every command that redacts takes.
func engineFlags() []cli.Flag {
	return []cli.Flag{profileFlag, denyListFlag, allowListFlag, noNERFlag}
}

func loadProfile(c *cli.Context) (*profiles.Profile, error) {
	p, err := profiles.Load(c.String(profileFlag.Name))
	if err != nil {
		return nil, withCode(exitFatal, err)
	}
	return p, nil
}

// readList reads a term list file.
func readList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" && !strings.HasPrefix(t, "#") {
			out = append(out, t)
		}
	}
	return out, sc.Err()
}

func readLists(c *cli.Context, flag *cli.StringSliceFlag) ([]string, error) {
	var all []string
	for _, p := range c.StringSlice(flag.Name) {
		terms, err := readList(p)
		if err != nil {
			return nil, withCode(exitFatal, fmt.Errorf("--%s: %w", flag.Name, err))
		}
		all = append(all, terms...)
	}
	return all, nil
}

// newEngine builds the engine from the flags; adjust may change the options
// first (a batch run wraps the aliases to journal them for --resume).
func newEngine(c *cli.Context, adjust ...func(*pipeline.Options)) (*pipeline.Engine, error) {
	p, err := loadProfile(c)
	if err != nil {
		return nil, err
	}
	deny, err := readLists(c, denyListFlag)
	if err != nil {
		return nil, err
	}
	allow, err := readLists(c, allowListFlag)
	if err != nil {
		return nil, err
	}
	o := pipeline.Options{Profile: p, DenyList: deny, AllowList: allow, NoNER: c.Bool(noNERFlag.Name)}
	for _, f := range adjust {
		f(&o)
	}
	e, err := pipeline.NewEngine(o)
	if err != nil {
		return nil, withCode(exitFatal, err)
	}
	return e, nil
}

func maxFileSize(c *cli.Context) (int64, error) {
	n, err := humanize.ParseBytes(c.String(maxSizeFlag.Name))
	if err != nil || n == 0 {
		return 0, withCode(exitFatal, fmt.Errorf("--%s: %q is not a size like 256MiB", maxSizeFlag.Name, c.String(maxSizeFlag.Name)))
	}
	return int64(n), nil
}
