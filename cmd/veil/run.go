package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/state"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

const reportDir = "veil-report"

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "redact every file of SOURCE into DEST, with a report",
		ArgsUsage: "SOURCE DEST",
		Description: `Reads every file under SOURCE (a folder or s3://bucket/prefix), redacts it
with the profile, checks the result again (verify), and writes it to DEST
(a folder or s3://bucket/prefix) under the same relative name, in the same
format. Names of files that hold identifying words are redacted like the
text. The report goes to DEST/veil-report/ (report.json, report.md,
redaction-log.csv, and privilege-log.csv/.md/.docx when documents withhold
privileged material). With --bates, Word documents become stamped PDFs
(LibreOffice); --production NAME lays DEST out as a production volume with
Concordance and Opticon load files (docs/PRODUCTIONS.md).

Files that cannot be processed completely are not written; the report lists
them with the reason and veil exits with code 2.

An interrupted run continues with --resume (same SOURCE and DEST): finished
objects are not processed again. --shard i/n splits a run over n processes;
each writes part i of the report, and veil report merge joins the parts.
S3 credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or
~/.aws/credentials, or IAM); the server from --s3-endpoint/AWS_ENDPOINT_URL.

Example:
   veil run --profile supervision samples/cases out/
   veil run --profile court --deny-list privileged.txt exhibits/ production/
   veil run --profile court --bates ACME --bates-start 101 exhibits/ production/
   veil run --profile court --deny-list privileged.txt --bates ACME --production VOL001 exhibits/ out/
   veil run --profile research --key-file case.key --resume s3://archive/2019/ s3://released/2019/`,
		Flags: append(append(append(append(engineFlags(), batesFlags()...), productionFlag, workersFlag, reportFlag, maxSizeFlag, fileTimeoutFlag, caseByFlag, singlePassFlag, caseFirstFlag, logFormatFlag, quietFlag, verboseFlag,
			&cli.BoolFlag{Name: "dry-run", Usage: "process everything, write only the report"}, decisionsFlag, reviewerFlag), batchFlags()...), append(s3Flags(), profileFlags()...)...),
		Action: func(c *cli.Context) error {
			if err := needArgs(c, "SOURCE", "DEST"); err != nil {
				return err
			}
			return doRun(c, c.Args().Get(0), c.Args().Get(1), c.Bool("dry-run"))
		},
	}
}

func scanCommand() *cli.Command {
	return &cli.Command{
		Name:      "scan",
		Usage:     "find identifiers in SOURCE and report them; write nothing else",
		ArgsUsage: "SOURCE",
		Description: `Runs the whole pipeline on every file of SOURCE in memory, including the
verify step, and writes only the report (default ./veil-report, or --report).
Use it to see what a profile would do before a run.`,
		Flags: append(append(engineFlags(), workersFlag, reportFlag, maxSizeFlag, fileTimeoutFlag, caseByFlag, singlePassFlag, caseFirstFlag, logFormatFlag, quietFlag, verboseFlag, shardFlag, decisionsFlag, reviewerFlag), s3Flags()...),
		Action: func(c *cli.Context) error {
			if err := needArgs(c, "SOURCE"); err != nil {
				return err
			}
			return doRun(c, c.Args().Get(0), "", true)
		},
	}
}

func doRun(c *cli.Context, srcArg, dstArg string, dryRun bool) error {
	started := time.Now()
	stopProfiles, err := startProfiles(c)
	defer stopProfiles()
	if err != nil {
		return err
	}
	ctx := c.Context // cancelled by the first SIGINT or SIGTERM (main.go)
	shard, err := parseShard(c)
	if err != nil {
		return err
	}
	src, err := parseLocation(c, srcArg, "SOURCE")
	if err != nil {
		return err
	}
	if err := src.checkSource(ctx, "SOURCE"); err != nil {
		return err
	}
	var dst *location
	if dstArg != "" {
		if dst, err = parseLocation(c, dstArg, "DEST"); err != nil {
			return err
		}
		if err := checkDisjoint(src, dst, "DEST"); err != nil {
			return err
		}
	}
	// The report goes to --report, else DEST/veil-report, else ./veil-report;
	// a shard writes its part under parts/shard-i-of-n.
	var rep *location
	switch {
	case c.String(reportFlag.Name) != "":
		if rep, err = parseLocation(c, c.String(reportFlag.Name), "--report"); err != nil {
			return err
		}
	case dst != nil:
		rep = dst.sub(reportDir)
	default:
		if rep, err = parseLocation(c, reportDir, "--report"); err != nil {
			return err
		}
		rep.name = "./" + reportDir
	}
	if err := checkDisjoint(src, rep, "report location"); err != nil {
		return err
	}
	if shard.Sharded() {
		rep = rep.sub(partsDir + "/" + shardDir(shard))
	}
	maxSize, err := maxFileSize(c)
	if err != nil {
		return err
	}
	if f := c.String(logFormatFlag.Name); f != "text" && f != "json" {
		return usageError(c.Command, fmt.Sprintf("--%s: %q is not text or json", logFormatFlag.Name, f))
	}
	resume := c.Bool(resumeFlag.Name)
	if resume && (dryRun || dst == nil) {
		return withCode(exitFatal, errors.New("--resume continues a run that writes to DEST; a dry run or scan has nothing to resume"))
	}
	// Everything that can be checked is checked before anything is
	// created: a run that fails at start-up (a bad profile, a missing deny
	// list or key file) leaves no empty DEST or report folder behind.
	eng, err := newEngine(c)
	if err != nil {
		return err
	}
	places := map[string]string{"SOURCE": localRoot(src), "DEST": localRoot(dst), "the report folder": localRoot(rep)}
	if err := eng.checkMapping(places); err != nil {
		return err
	}
	if p := c.String(decisionsFlag.Name); p != "" {
		if err := checkOutside(decisionsFlag.Name, p, places); err != nil {
			return err
		}
		if shard.Sharded() {
			return withCode(exitFatal, errors.New("--decisions with --shard: one process applies a review, so that the report counts every decision"))
		}
	}
	if shard.Sharded() && eng.Numbering() {
		return withCode(exitFatal, errors.New("--bates numbers the pages of the whole source in one sequence: it cannot be split with --shard"))
	}
	cases, err := caseBy(c)
	if err != nil {
		return err
	}
	if cases > 0 && eng.mapping != "" {
		return withCode(exitFatal, fmt.Errorf("--mapping with --%s: a mapping file holds one case, and this run has one per folder; use keyed pseudonyms (--key-file), or one run per case folder with its own mapping file", caseByFlag.Name))
	}
	if shard.Sharded() && eng.mapping != "" {
		return withCode(exitFatal, errors.New("--mapping with --shard: shards would each add people to the same mapping file and overwrite each other's; use keyed pseudonyms (--key-file), which every shard computes alike, or one process"))
	}
	eng.SetShard(shard)
	var created []string // folders made below, removed if the run does not start
	running := false
	defer func() {
		if !running {
			removeCreated(created)
		}
	}()
	if dst != nil && !dryRun {
		if err := dst.prepareSink(ctx, "DEST", &created); err != nil {
			return err
		}
		if dst.local != nil {
			if err := dst.local.RemoveStaleTemp(); err != nil {
				return withCode(exitFatal, fmt.Errorf("%s: remove temporary files of an earlier run: %s", role("DEST"), problem(err)))
			}
		}
	}
	if err := rep.prepareSink(ctx, "report location", &created); err != nil {
		return err
	}
	// The resume state: only for runs that write.
	var ledger *state.Ledger
	var stateLoc *location
	var settled func(string) (*profiles.Case, error)
	if dst != nil && !dryRun {
		if stateLoc, err = stateLocation(c, src, dst, rep, shard); err != nil {
			return err
		}
		if ledger, err = openLedger(ctx, c, stateLoc, src, dst, shard, started); err != nil {
			return err
		}
		defer ledger.Close()
		if settled, err = resumeEngine(ledger, eng); err != nil {
			return err
		}
	}
	if eng.mapping != "" && dst != nil && !dryRun {
		// The mapping file keeps which source each redacted name came from.
		eng.Case().BeginRun(src.String(), dst.String())
	}
	rb, err := report.NewBuilder()
	if err != nil {
		return withCode(exitFatal, err)
	}
	defer rb.Close()

	quiet := c.Bool(quietFlag.Name)
	prog := newProgress(os.Stderr, quiet)
	logger := newLogger(c, prog.isTerminal)
	prog.logger = logger
	rc := pipeline.RunConfig{
		Engine: eng.Engine, Source: src.store(), Report: rb,
		Workers: c.Int(workersFlag.Name), MaxFileSize: maxSize,
		Logger: logger, Progress: prog.update, CountTotal: prog.isTerminal && !quiet,
		Shard: shard, Retries: c.Int(retriesFlag.Name), FileTimeout: c.Duration(fileTimeoutFlag.Name),
		CaseBy: cases, SinglePass: c.Bool(singlePassFlag.Name), Settled: settled,
	}
	if rc.FileTimeout == 0 {
		rc.FileTimeout = -1 // --file-timeout 0: no limit
	}
	if rc.Retries == 0 {
		rc.Retries = -1 // --retries 0: none
	}
	if ledger != nil {
		rc.Ledger = ledger
		if n := ledger.Earlier(); n > 0 {
			logger.Info("resuming", "attempt", ledger.Manifest().Attempt, "finished_before", n)
		}
	}
	if dst != nil && !dryRun {
		rc.Sink = dst.store()
		if dst.local != nil && ledger != nil {
			// One sync of DEST's file system before each journal
			// segment, not one per file: a file counts as done only
			// once the segment that records it is written.
			dst.local.DeferSync()
			ledger.BeforeFlush(dst.local.Sync)
		}
	}
	running = true
	runErr := pipeline.Run(ctx, rc)
	prog.finish()
	if !dryRun { // the aliases of files written must stay theirs
		if err := eng.saveMapping(); err != nil {
			return err
		}
	}
	var stateErr error
	if ledger != nil {
		stateErr = ledger.Close()
		if runErr == nil && stateErr != nil {
			runErr = stateErr
		}
	}

	command := "run"
	if dstArg == "" {
		command = "scan"
	}
	meta := report.Meta{
		Tool: "veil", Version: version(), Command: command, DryRun: dryRun,
		Profile: eng.Profile().Name, Source: src.ReportName(), Started: started, Finished: time.Now(),
		Notices: eng.notices(), Categories: eng.categories(), Shard: shard.String(),
		Review: eng.ReviewSummary(c.String(reviewerFlag.Name)),
	}
	if dst != nil {
		meta.Dest = dst.ReportName()
	}
	if ledger != nil {
		meta.Attempts = ledger.Manifest().Attempt
		meta.Started = ledger.Manifest().Started
		meta.Notices = append(meta.Notices, batchNotices(ledger, shard, cases)...)
	}
	if name := c.String(productionFlag.Name); name != "" && dst != nil && !dryRun {
		// The load files, with the records of every file written.
		for _, f := range []struct {
			key   string
			write func(io.Writer) error
		}{{pipeline.DATKey(name), rb.WriteDAT}, {pipeline.OPTKey(name), rb.WriteOPT}} {
			if err := putSpooled(context.Background(), dst.store(), f.key, "text/plain; charset=utf-8", f.write); err != nil && runErr == nil {
				runErr = fmt.Errorf("write the load file %s: %w", f.key, err)
			}
		}
	}
	if err := writeReport(context.Background(), rb, meta, rep.store(), ""); err != nil {
		if runErr != nil {
			return withCode(exitFatal, fmt.Errorf("%w; the report could not be written either: %v%s", runErr, err, resumeHint(ledger, stateLoc)))
		}
		return withCode(exitFatal, fmt.Errorf("write report: %w", err))
	}
	t := rb.Totals()
	if !quiet {
		printSummary(c.App.Writer, meta, t, rep.Name())
		if n := eng.Renamed(); n > 0 && eng.mapping == "" && dst != nil && !dryRun {
			names := fmt.Sprintf("%d file names were", n)
			if n == 1 {
				names = "1 file name was"
			}
			fmt.Fprintln(c.App.ErrWriter, wrap("veil: "+names+" redacted, and nothing in DEST or the report says which source each came from. "+
				"To keep that for whoever holds the key, run with --key-file FILE --mapping FILE; veil reidentify --files prints it.", 79, 0))
		}
	}
	if runErr != nil {
		return withCode(exitFatal, fmt.Errorf("%w (the report covers the files finished so far)%s", runErr, resumeHint(ledger, stateLoc)))
	}
	if ledger != nil && t.Failed == 0 && !c.Bool(keepStateFlag.Name) {
		// Finished: leave no list of source keys behind.
		if err := removeState(ledger, stateLoc); err != nil {
			logger.Warn("could not remove the resume state", "state", stateLoc.Name(), "error", problem(err))
		}
	}
	if t.NotWritten() > 0 {
		verb := "not written"
		if dryRun {
			verb = "would not be written"
		}
		return withCode(notWrittenCode(c), fmt.Errorf("%d of %d files %s; see %s", t.NotWritten(), t.Files, verb, rep.Name()))
	}
	return nil
}

// localRoot returns the folder of a local location, "" otherwise.
func localRoot(l *location) string {
	if l == nil || l.local == nil {
		return ""
	}
	return l.local.Root()
}

// writeReport writes the report files through sink: report.json,
// report.md, redaction-log.csv, and the privilege log (CSV, Markdown,
// DOCX) when documents withhold privileged material.
func writeReport(ctx context.Context, rb *report.Builder, meta report.Meta, sink storage.Sink, prefix string) error {
	type file struct {
		name  string
		ctype string
		write func(io.Writer) error
	}
	files := []file{
		{"report.json", "application/json", func(w io.Writer) error { return rb.WriteJSON(w, meta) }},
		{"report.md", "text/markdown; charset=utf-8", func(w io.Writer) error { return rb.WriteMarkdown(w, meta) }},
		{"redaction-log.csv", "text/csv; charset=utf-8", rb.WriteCSV},
	}
	if rb.Totals().Privileged > 0 {
		files = append(files,
			file{"privilege-log.csv", "text/csv; charset=utf-8", rb.WritePrivilegeCSV},
			file{"privilege-log.md", "text/markdown; charset=utf-8", func(w io.Writer) error { return rb.WritePrivilegeMarkdown(w, meta) }},
			file{"privilege-log.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", func(w io.Writer) error { return rb.WritePrivilegeDOCX(w, meta) }},
		)
	}
	for _, f := range files {
		if err := putSpooled(ctx, sink, storage.Join(prefix, f.name), f.ctype, f.write); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}

// putSpooled writes what write makes to a temporary file, then puts it
// through sink under key.
func putSpooled(ctx context.Context, sink storage.Sink, key, ctype string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp("", "veil-report-out-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	err = write(tmp)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err == nil {
		err = sink.Put(ctx, key, tmp, -1, ctype)
	}
	return err
}

func newLogger(c *cli.Context, terminal bool) *slog.Logger {
	// On a terminal the progress line says enough; elsewhere a progress
	// record every few seconds. Every file only with --verbose.
	level := slog.LevelWarn
	if !terminal {
		level = slog.LevelInfo
	}
	if c.Bool(verboseFlag.Name) {
		level = slog.LevelDebug
	}
	if c.Bool(quietFlag.Name) {
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.String(logFormatFlag.Name) == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func printSummary(w io.Writer, m report.Meta, t report.Totals, where string) {
	title := "Veil " + m.Command
	if m.DryRun && m.Command == "run" {
		title += " (dry run: nothing written)"
	}
	fmt.Fprintf(w, "%s — profile %s\n", title, m.Profile)
	fmt.Fprintf(w, "  files        %d  (redacted %d, unchanged %d, not written %d)\n", t.Files, t.Redacted, t.Unchanged, t.NotWritten())
	fmt.Fprintf(w, "  redactions   %d\n", t.Redactions)
	ents := make([]string, 0, len(t.Entities))
	for e := range t.Entities {
		ents = append(ents, e)
	}
	sort.Slice(ents, func(i, j int) bool {
		if t.Entities[ents[i]] != t.Entities[ents[j]] {
			return t.Entities[ents[i]] > t.Entities[ents[j]]
		}
		return ents[i] < ents[j]
	})
	for _, e := range ents {
		fmt.Fprintf(w, "    %-22s %d\n", e, t.Entities[e])
	}
	if len(t.Reasons) > 0 {
		var rs []string
		for r, n := range t.Reasons {
			rs = append(rs, fmt.Sprintf("%s %d", r, n))
		}
		sort.Strings(rs)
		fmt.Fprintf(w, "  not written  %s\n", strings.Join(rs, ", "))
	}
	fmt.Fprintf(w, "  time         %s\n", m.Finished.Sub(m.Started).Round(time.Millisecond))
	fmt.Fprintf(w, "  report       %s\n", where)
}
