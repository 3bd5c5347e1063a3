package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "work with reports (merge the parts of a sharded run)",
		Subcommands: []*cli.Command{{
			Name:      "merge",
			Usage:     "join the report parts of a sharded run into one report",
			ArgsUsage: "REPORT",
			Description: `A run split with --shard i/n writes its report in parts, under
REPORT/parts/shard-i-of-n/ (REPORT is DEST/veil-report, or --report).
When every shard has finished, merge joins the parts into REPORT/report.json,
report.md and redaction-log.csv, as one unsharded run would have written
them (files in shard order). It refuses to merge while parts are missing.

Example:
   veil report merge s3://released/2019/veil-report`,
			Flags:  append([]cli.Flag{quietFlag, notWrittenCodeFlag}, s3Flags()...),
			Action: doMerge,
		}},
	}
}

type part struct {
	i, n int
	key  string
}

func doMerge(c *cli.Context) error {
	if err := needArgs(c, "REPORT"); err != nil {
		return err
	}
	ctx := c.Context
	loc, err := parseLocation(c, c.Args().First(), "REPORT")
	if err != nil {
		return err
	}
	if loc.isS3() {
		if err := loc.checkS3(ctx, "REPORT"); err != nil {
			return err
		}
	}
	parts, err := findParts(ctx, loc.sub(partsDir).store())
	if err != nil {
		return withCode(exitFatal, fmt.Errorf("%s: %s", role("REPORT"), problem(err)))
	}
	rb, err := report.NewBuilder()
	if err != nil {
		return withCode(exitFatal, err)
	}
	defer rb.Close()
	var metas []report.Meta
	partStore := loc.sub(partsDir).store()
	for _, p := range parts {
		m, err := readPart(ctx, partStore, p.key, rb.Add)
		if err != nil {
			return withCode(exitFatal, fmt.Errorf("part %d/%d: %w", p.i, p.n, err))
		}
		if m.Shard != fmt.Sprintf("%d/%d", p.i, p.n) {
			return withCode(exitFatal, fmt.Errorf("part %s says it is shard %q", p.key, m.Shard))
		}
		if len(metas) > 0 {
			f := metas[0]
			if m.Profile != f.Profile || m.Source != f.Source || m.Dest != f.Dest || m.Command != f.Command || m.DryRun != f.DryRun {
				return withCode(exitFatal, fmt.Errorf("part %d/%d is from another run (profile %s, source %s, dest %s)", p.i, p.n, m.Profile, m.Source, m.Dest))
			}
		}
		metas = append(metas, m)
	}
	meta := mergeMeta(metas)
	if err := writeReport(context.Background(), rb, meta, loc.store(), ""); err != nil {
		return withCode(exitFatal, fmt.Errorf("write report: %w", err))
	}
	t := rb.Totals()
	if !c.Bool(quietFlag.Name) {
		printSummary(c.App.Writer, meta, t, loc.Name())
	}
	if t.NotWritten() > 0 {
		return withCode(notWrittenCode(c), fmt.Errorf("%d of %d files not written; see %s", t.NotWritten(), t.Files, loc.Name()))
	}
	return nil
}

// findParts lists parts/shard-i-of-n/report.json and checks that there is
// exactly one part for each i of one n.
func findParts(ctx context.Context, st storage.Source) ([]part, error) {
	var parts []part
	err := st.Walk(ctx, func(o storage.Object) error {
		dir, file, ok := strings.Cut(o.Key, "/")
		if !ok || file != "report.json" {
			return nil
		}
		var p part
		if _, err := fmt.Sscanf(dir, "shard-%d-of-%d", &p.i, &p.n); err != nil || dir != shardDir(pipeline.Shard{I: p.i, N: p.n}) {
			return nil
		}
		p.key = o.Key
		parts = append(parts, p)
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("no report parts under %s/ (parts are written by runs with --shard)", partsDir)
	}
	n := parts[0].n
	have := map[int]bool{}
	for _, p := range parts {
		if p.n != n {
			return nil, fmt.Errorf("parts of different splits: %d/%d and %d/%d", parts[0].i, n, p.i, p.n)
		}
		have[p.i] = true
	}
	var missing []string
	for i := 0; i < n; i++ {
		if !have[i] {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing report parts %s: run those shards (with --resume if they were interrupted) before merging", strings.Join(missing, ", "))
	}
	sort.Slice(parts, func(a, b int) bool { return parts[a].i < parts[b].i })
	return parts, nil
}

func readPart(ctx context.Context, st storage.Source, key string, add func(report.File)) (report.Meta, error) {
	rc, err := st.Open(ctx, key)
	if err != nil {
		return report.Meta{}, err
	}
	defer rc.Close()
	m, _, err := report.Read(rc, func(f report.File) error { add(f); return nil })
	return m, err
}

// mergeMeta describes the whole run: from the first start to the last
// finish, with every notice of the parts once.
func mergeMeta(ms []report.Meta) report.Meta {
	m := ms[0]
	m.Version, m.Shard, m.Parts, m.Attempts = version(), "", len(ms), 0
	seen := map[string]bool{}
	m.Notices = nil
	for _, p := range ms {
		if p.Started.Before(m.Started) {
			m.Started = p.Started
		}
		if p.Finished.After(m.Finished) {
			m.Finished = p.Finished
		}
		for _, n := range p.Notices {
			if !seen[n] {
				seen[n] = true
				m.Notices = append(m.Notices, n)
			}
		}
	}
	m.Notices = append(m.Notices, fmt.Sprintf("Merged from %d shard parts by veil report merge; files are listed shard by shard.", len(ms)))
	return m
}
