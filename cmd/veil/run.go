package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
)

const reportDir = "veil-report"

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "redact every file of SOURCE into DEST, with a report",
		ArgsUsage: "SOURCE DEST",
		Description: `Reads every file under the folder SOURCE, redacts it with the profile, checks
the result again (verify), and writes it to DEST under the same relative name,
in the same format. Names of files that hold identifying words are redacted
like the text. The report goes to DEST/veil-report/ (report.json, report.md,
redaction-log.csv).

Files that cannot be processed completely are not written; the report lists
them with the reason and veil exits with code 2.

Example:
   veil run --profile supervision samples/cases out/
   veil run --profile court --deny-list privileged.txt exhibits/ production/
   veil run --profile court --bates ACME --bates-start 101 exhibits/ production/`,
		Flags: append(append(engineFlags(), batesFlags()...), workersFlag, reportFlag, maxSizeFlag, logFormatFlag, quietFlag, verboseFlag,
			&cli.BoolFlag{Name: "dry-run", Usage: "process everything, write only the report"}),
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return withCode(exitFatal, fmt.Errorf("run needs SOURCE and DEST (got %d arguments); see veil run --help", c.NArg()))
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
		Flags: append(engineFlags(), workersFlag, reportFlag, maxSizeFlag, logFormatFlag, quietFlag, verboseFlag),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return withCode(exitFatal, fmt.Errorf("scan needs SOURCE (got %d arguments)", c.NArg()))
			}
			return doRun(c, c.Args().Get(0), "", true)
		},
	}
}

func doRun(c *cli.Context, srcArg, dstArg string, dryRun bool) error {
	started := time.Now()
	src, err := parseLocation(srcArg, "SOURCE")
	if err != nil {
		return err
	}
	if err := src.checkSource(); err != nil {
		return err
	}
	var dst *location
	if dstArg != "" {
		if dst, err = parseLocation(dstArg, "DEST"); err != nil {
			return err
		}
		if err := checkDisjoint(src, dst, "DEST"); err != nil {
			return err
		}
	}
	// The report goes to --report, else DEST/veil-report, else ./veil-report.
	var repSink storage.Sink
	repPrefix := reportDir
	repWhere := ""
	switch {
	case c.String(reportFlag.Name) != "":
		rl, err := parseLocation(c.String(reportFlag.Name), "--report")
		if err != nil {
			return err
		}
		if err := checkDisjoint(src, rl, "--report"); err != nil {
			return err
		}
		repSink, repPrefix, repWhere = rl.local, "", rl.local.Root()
	case dst != nil:
		repSink, repWhere = dst.local, dst.local.Root()+string(os.PathSeparator)+reportDir
	default:
		rl, _ := parseLocation(reportDir, "--report")
		if err := checkDisjoint(src, rl, "report folder"); err != nil {
			return err
		}
		repSink, repPrefix, repWhere = rl.local, "", rl.local.Root()
	}
	maxSize, err := maxFileSize(c)
	if err != nil {
		return err
	}
	eng, err := newEngine(c)
	if err != nil {
		return err
	}
	if err := eng.checkMapping(map[string]string{"SOURCE": src.local.Root(), "DEST": dstRoot(dst), "the report folder": c.String(reportFlag.Name)}); err != nil {
		return err
	}
	rb, err := report.NewBuilder()
	if err != nil {
		return withCode(exitFatal, err)
	}
	defer rb.Close()

	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	quiet := c.Bool(quietFlag.Name)
	prog := newProgress(os.Stderr, quiet)
	rc := pipeline.RunConfig{
		Engine: eng.Engine, Source: src.local, Report: rb,
		Workers: c.Int(workersFlag.Name), MaxFileSize: maxSize,
		Logger: newLogger(c, prog.isTerminal), Progress: prog.update,
	}
	if dst != nil && !dryRun {
		if err := os.MkdirAll(dst.local.Root(), 0o755); err != nil {
			return withCode(exitFatal, fmt.Errorf("DEST: %w", err))
		}
		if err := dst.local.RemoveStaleTemp(); err != nil {
			return withCode(exitFatal, fmt.Errorf("DEST: remove temporary files of an earlier run: %w", err))
		}
		rc.Sink = dst.local
	}
	runErr := pipeline.Run(ctx, rc)
	prog.finish()
	if !dryRun { // the aliases of files written must stay theirs
		if err := eng.saveMapping(); err != nil {
			return err
		}
	}

	command := "run"
	if dstArg == "" {
		command = "scan"
	}
	meta := report.Meta{
		Tool: "veil", Version: version(), Command: command, DryRun: dryRun,
		Profile: eng.Profile().Name, Source: src.local.Root(), Started: started, Finished: time.Now(),
		Notices: eng.notices(), Categories: eng.categories(),
	}
	if dst != nil {
		meta.Dest = dst.local.Root()
	}
	if err := writeReport(context.Background(), rb, meta, repSink, repPrefix); err != nil {
		return withCode(exitFatal, fmt.Errorf("write report: %w", err))
	}
	t := rb.Totals()
	if !quiet {
		printSummary(os.Stdout, meta, t, repWhere)
	}
	if runErr != nil {
		return withCode(exitFatal, fmt.Errorf("%w (the report covers the files finished so far)", runErr))
	}
	if t.NotWritten() > 0 {
		verb := "not written"
		if dryRun {
			verb = "would not be written"
		}
		return withCode(exitNotWritten, fmt.Errorf("%d of %d files %s; see %s", t.NotWritten(), t.Files, verb, repWhere))
	}
	return nil
}

func dstRoot(dst *location) string {
	if dst == nil {
		return ""
	}
	return dst.local.Root()
}

// writeReport writes the three report files through sink.
func writeReport(ctx context.Context, rb *report.Builder, meta report.Meta, sink storage.Sink, prefix string) error {
	files := []struct {
		name  string
		ctype string
		write func(io.Writer) error
	}{
		{"report.json", "application/json", func(w io.Writer) error { return rb.WriteJSON(w, meta) }},
		{"report.md", "text/markdown; charset=utf-8", func(w io.Writer) error { return rb.WriteMarkdown(w, meta) }},
		{"redaction-log.csv", "text/csv; charset=utf-8", func(w io.Writer) error {
			return rb.WriteCSV(w, func(e string) string { return ner.Entity(e).Description() })
		}},
	}
	for _, f := range files {
		tmp, err := os.CreateTemp("", "veil-report-out-*")
		if err != nil {
			return err
		}
		err = f.write(tmp)
		if err == nil {
			_, err = tmp.Seek(0, io.SeekStart)
		}
		if err == nil {
			err = sink.Put(ctx, storage.Join(prefix, f.name), tmp, -1, f.ctype)
		}
		tmp.Close()
		os.Remove(tmp.Name())
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}

func newLogger(c *cli.Context, terminal bool) *slog.Logger {
	level := slog.LevelWarn // on a terminal the progress line says enough
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
