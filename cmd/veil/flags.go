package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/pdf"
)

// Flags are defined once so that names and help texts are the same in every
// command.
var (
	// profileFlag is required by every command that has it; loadProfile
	// says so in one line (cli's Required prints the whole help page).
	profileFlag = &cli.StringFlag{
		Name: "profile", Aliases: []string{"p"},
		Usage: "(required) what to do with each kind of identifier: the `NAME` of a built-in profile (" +
			strings.Join(profiles.BuiltinNames(), ", ") + "; veil profiles list describes them), or a YAML file",
	}
	denyListFlag = &cli.StringSliceFlag{
		Name: "deny-list",
		Usage: "`FILE` of terms always redacted, one per line (# starts a comment; '# label: TEXT' and '# basis: TEXT' " +
			"set the list's own label and basis); may repeat",
	}
	allowListFlag = &cli.StringSliceFlag{
		Name:  "allow-list",
		Usage: "`FILE` of terms never redacted, one per line; may repeat",
	}
	workersFlag = &cli.IntFlag{
		Name: "workers", Value: runtime.NumCPU(), DefaultText: strconv.Itoa(runtime.NumCPU()) + ", the number of cores",
		Usage: "`N` files processed at once",
	}
	reportFlag = &cli.StringFlag{
		Name:  "report",
		Usage: "`LOCATION` (folder or s3://bucket/prefix) for report.json, report.md and redaction-log.csv (default DEST/veil-report)",
	}
	fileTimeoutFlag = &cli.DurationFlag{
		Name: "file-timeout", Value: pipeline.DefaultFileTimeout,
		Usage: "time budget of a file: it may take this plus this per MiB of its size, else it is quarantined (too_slow) " +
			"and the run goes on; 0: no limit",
	}
	caseByFlag = &cli.StringFlag{
		Name: "case-by", Value: "run",
		Usage: "what one case is, whose people keep one alias each: run (the whole run) or `N`, every folder N levels " +
			"below SOURCE (1 for SOURCE/<client>/…; a file less deep is a case of its own). Every file of a case is read " +
			"and analysed before any is written, so the output does not depend on the order of the files; memory holds one case",
	}
	singlePassFlag = &cli.BoolFlag{
		Name: "single-pass",
		Usage: "skip the first reading of each case: faster, but who is who, who is a minor and the alias letters " +
			"can then depend on the order of the files",
	}
	// caseFirstFlag is what --case-first was before the first pass became
	// the default: accepted, and does nothing.
	caseFirstFlag = &cli.BoolFlag{Name: "case-first", Hidden: true, Usage: "the default now; does nothing"}
	maxSizeFlag   = &cli.StringFlag{
		Name: "max-file-size", Value: "256MiB",
		Usage: "larger files are quarantined (`SIZE` like 64MiB or 2GB); memory use is up to workers × this",
	}
	noNERFlag = &cli.BoolFlag{
		Name:  "no-ner",
		Usage: "skip the statistical name recogniser (faster; rules and name lists only)",
	}
	logFormatFlag = &cli.StringFlag{
		Name: "log-format", Value: "text",
		Usage: "log `FORMAT` on stderr: text or json",
	}
	quietFlag = &cli.BoolFlag{
		Name: "quiet", Aliases: []string{"q"},
		Usage: "no progress and no summary; errors only",
	}
	batesFlag = &cli.StringFlag{
		Name:  "bates",
		Usage: "stamp Bates numbers `PREFIX`000001… on every PDF page, continuing across files in name order",
	}
	batesStartFlag = &cli.IntFlag{
		Name: "bates-start", Value: 1,
		Usage: "first Bates `NUMBER`",
	}
	batesDigitsFlag = &cli.IntFlag{
		Name: "bates-digits", Value: 6,
		Usage: "`N` digits of the zero-padded Bates number",
	}
	batesPositionFlag = &cli.StringFlag{
		Name: "bates-position", Value: "bottom-right",
		Usage: "`WHERE` the Bates number goes: bottom-right, bottom-left, bottom-center, top-right, top-left, top-center",
	}
	productionFlag = &cli.StringFlag{
		Name: "production",
		Usage: "write a production volume `NAME` under DEST: NAME/IMAGES (stamped PDFs), NAME/NATIVES, NAME/TEXT " +
			"and the load files NAME/DATA/NAME.dat (Concordance) and NAME.opt (Opticon); needs --bates",
	}
	batesMarginFlag = &cli.Float64Flag{
		Name: "bates-margin", Value: 0.5,
		Usage: "safe print margin in `INCHES`: the Bates number (and the key to labels too long for their boxes) stays this far from every edge, clear of the page's text",
	}
	ocrLanguagesFlag = &cli.StringFlag{
		Name: "ocr-languages", Value: "eng",
		Usage: "Tesseract `LANGS`, comma-separated (eng,pol,kor,vie), that images and scans are read with; " +
			"each must be installed (tesseract --list-langs), and each one added costs OCR time",
	}
	ocrLayerFlag = &cli.BoolFlag{
		Name: "ocr-layer",
		Usage: "give every scanned PDF written an invisible text layer of the words OCR read and kept, " +
			"so that the output can be searched (without it a scan's output holds no text)",
	}
	verboseFlag = &cli.BoolFlag{
		Name:  "verbose",
		Usage: "log every file at debug level (keys are redacted like the output names; never values)",
	}
	// Profiles of a whole run, for scripts/bench (cmd/veil/profile.go).
	cpuProfileFlag   = &cli.StringFlag{Name: "cpuprofile", Hidden: true, Usage: "write a CPU profile to `FILE`"}
	blockProfileFlag = &cli.StringFlag{Name: "blockprofile", Hidden: true, Usage: "write a blocking profile to `FILE`"}
	mutexProfileFlag = &cli.StringFlag{Name: "mutexprofile", Hidden: true, Usage: "write a mutex contention profile to `FILE`"}
	memProfileFlag   = &cli.StringFlag{Name: "memprofile", Hidden: true, Usage: "write an allocation profile to `FILE` at the end"}
)

// caseBy reads --case-by: 0 for the whole run, else the folder depth.
func caseBy(c *cli.Context) (int, error) {
	v := strings.TrimSpace(c.String(caseByFlag.Name))
	if v == "" || v == "run" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, withCode(exitFatal, fmt.Errorf("--%s: %q is not run or a number of folders (1, 2…)", caseByFlag.Name, v))
	}
	return n, nil
}

// profileFlags are the hidden profiling flags of the commands that process
// files.
func profileFlags() []cli.Flag {
	return []cli.Flag{cpuProfileFlag, blockProfileFlag, mutexProfileFlag, memProfileFlag}
}

// engineFlags are the flags every command that redacts takes.
func engineFlags() []cli.Flag {
	return []cli.Flag{profileFlag, denyListFlag, allowListFlag, noNERFlag, keyFileFlag, mappingFlag, minorsFlag, yearFlag, ocrLanguagesFlag, ocrLayerFlag}
}

// batesFlags are the production-numbering flags of the commands that write.
func batesFlags() []cli.Flag {
	return []cli.Flag{batesFlag, batesStartFlag, batesDigitsFlag, batesPositionFlag, batesMarginFlag}
}

// batesOptions returns the Bates settings, or nil when --bates is not set.
func batesOptions(c *cli.Context) (*pipeline.Bates, error) {
	if !c.IsSet(batesFlag.Name) {
		return nil, nil
	}
	b := &pipeline.Bates{
		Prefix: c.String(batesFlag.Name), Start: c.Int(batesStartFlag.Name),
		Digits: c.Int(batesDigitsFlag.Name), Position: c.String(batesPositionFlag.Name),
		Margin: c.Float64(batesMarginFlag.Name),
	}
	if !slices.Contains(pdf.StampPositions(), b.Position) {
		return nil, withCode(exitFatal, fmt.Errorf("--%s: %q is not one of %s", batesPositionFlag.Name, b.Position, strings.Join(pdf.StampPositions(), ", ")))
	}
	if b.Margin <= 0 {
		return nil, withCode(exitFatal, fmt.Errorf("--%s: %v inches; give a margin of more than 0 (printers need one)", batesMarginFlag.Name, b.Margin))
	}
	if err := b.Validate(); err != nil {
		return nil, withCode(exitFatal, err)
	}
	return b, nil
}

func loadProfile(c *cli.Context) (*profiles.Profile, error) {
	if err := requireProfile(c); err != nil {
		return nil, err
	}
	p, err := profiles.Load(c.String(profileFlag.Name))
	if err != nil {
		return nil, withCode(exitFatal, err)
	}
	return p, nil
}

// readList reads a term list file.
func readList(path string) ([]string, error) {
	l, err := readDenyList(path)
	return l.Terms, err
}

// readDenyList reads a term list file with its directives: comment lines
// "# label: TEXT" and "# basis: TEXT" give the list its own label and basis
// (ner.ParseTermList).
func readDenyList(path string) (pipeline.DenyList, error) {
	f, err := os.Open(path)
	if err != nil {
		return pipeline.DenyList{}, err
	}
	defer f.Close()
	return ner.ParseTermList(f)
}

func readLists(c *cli.Context, flag *cli.StringSliceFlag) ([]string, error) {
	var all []string
	for _, p := range c.StringSlice(flag.Name) {
		terms, err := readList(p)
		if err != nil {
			return nil, fileError(flag.Name, p, err)
		}
		all = append(all, terms...)
	}
	return all, nil
}

func newEngine(c *cli.Context) (*engine, error) { return buildEngine(c, false) }

// buildEngine builds the engine of a command; checkOnly for veil verify,
// which needs no key.
func buildEngine(c *cli.Context, checkOnly bool) (*engine, error) {
	return buildEngineKey(c, checkOnly, false)
}

// buildEngineKey is buildEngine; with throwawayKey, a profile that needs a
// key and has no --key-file gets a random one that is never saved (veil
// eval measures what is masked, not which pseudonym it becomes).
func buildEngineKey(c *cli.Context, checkOnly, throwawayKey bool) (*engine, error) {
	p, err := loadProfile(c)
	if err != nil {
		return nil, err
	}
	var deny []pipeline.DenyList
	for _, path := range c.StringSlice(denyListFlag.Name) {
		l, err := readDenyList(path)
		if err != nil {
			return nil, fileError(denyListFlag.Name, path, err)
		}
		deny = append(deny, l)
	}
	allow, err := readLists(c, allowListFlag)
	if err != nil {
		return nil, err
	}
	bates, err := batesOptions(c)
	if err != nil {
		return nil, err
	}
	var production *pipeline.Production
	if name := c.String(productionFlag.Name); c.IsSet(productionFlag.Name) {
		if bates == nil {
			return nil, withCode(exitFatal, errors.New("--production needs --bates PREFIX: every document of a production volume is named by its Bates number"))
		}
		production = &pipeline.Production{Name: name}
		if err := production.Validate(); err != nil {
			return nil, withCode(exitFatal, fmt.Errorf("--production: %w", err))
		}
	}
	keys, cs, mapping, minors, err := caseState(c)
	if err != nil {
		return nil, err
	}
	if keys == nil && throwawayKey && len(p.NeedsKey()) > 0 {
		if keys, err = profiles.NewKeys(profiles.NewKeyFile()); err != nil {
			return nil, withCode(exitFatal, err)
		}
	}
	eng := &engine{keys: keys, cs: cs, mapping: mapping}
	decisions, err := engineDecisions(c, eng)
	if err != nil {
		return nil, err
	}
	ocrOpts, err := ocrOptions(c)
	if err != nil {
		return nil, err
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, DenyLists: deny, AllowList: allow, NoNER: c.Bool(noNERFlag.Name),
		Secrets: keys, Case: cs, Minors: minors, Year: c.Int(yearFlag.Name), CheckOnly: checkOnly, Bates: bates, Production: production, Decisions: decisions,
		OCR: ocrOpts})
	if err != nil {
		return nil, withCode(exitFatal, err)
	}
	eng.Engine = e
	return eng, nil
}

func maxFileSize(c *cli.Context) (int64, error) {
	n, err := humanize.ParseBytes(c.String(maxSizeFlag.Name))
	if err != nil || n == 0 {
		return 0, withCode(exitFatal, fmt.Errorf("--%s: %q is not a size like 256MiB", maxSizeFlag.Name, c.String(maxSizeFlag.Name)))
	}
	return int64(n), nil
}

// ocrOptions reads --ocr-languages and --ocr-layer. Languages given on the
// command line are checked against the installed Tesseract data now, with
// an error that names each missing one; the default (eng) is not, so that
// a run without OCR installed still redacts what needs none.
func ocrOptions(c *cli.Context) (pipeline.OCROptions, error) {
	o := pipeline.OCROptions{Layer: c.Bool(ocrLayerFlag.Name)}
	if !c.IsSet(ocrLanguagesFlag.Name) {
		return o, nil
	}
	for _, l := range strings.Split(c.String(ocrLanguagesFlag.Name), ",") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(o.Languages, l) {
			o.Languages = append(o.Languages, l)
		}
	}
	if len(o.Languages) == 0 {
		return o, withCode(exitFatal, fmt.Errorf("--%s: no language given (like eng,pol)", ocrLanguagesFlag.Name))
	}
	if err := ocr.Default().Check(o.Languages); err != nil {
		return o, withCode(exitFatal, fmt.Errorf("--%s: %w", ocrLanguagesFlag.Name, err))
	}
	return o, nil
}
