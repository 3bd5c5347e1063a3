package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/internal/par"
	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/eval"
)

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "measure detection on annotated text (recall, precision, misses)",
		ArgsUsage: "GOLD.jsonl",
		Description: `Runs Veil with the profile over every document of an annotated JSONL file
and compares what the redacted text masks with the gold spans:

   {"id": "...", "text": "...", "spans": [{"start": 12, "end": 27,
    "label": "PERSON", "kind": "direct", "entity_id": "e1"}]}

Offsets are Unicode code points, end exclusive. Spans of kind no_mask
must stay; they only count towards over-redaction. Prints mention recall
(lenient: at least 90 % of a mention's characters masked; strict: all;
tab: TAB's rule), entity recall by kind (every mention masked), token
precision and recall, and with --misses the mentions that were missed, in
context. Scoring follows shared/eval/score.py: --out writes the redacted
texts in its format, so both can be run on the same output.

Missed mentions are printed with their text: run it on data you may read.
A profile that needs a key (research) gets a throwaway one unless
--key-file gives one: pseudonyms do not change what is masked.

Example:
   veil eval --profile research --misses 20 sample.jsonl`,
		Flags: append(engineFlags(), workersFlag,
			&cli.IntFlag{Name: "misses", Usage: "print up to `N` missed mentions with context"},
			&cli.StringFlag{Name: "json", Usage: "also write every number to `FILE` (score.py's keys)"},
			&cli.StringFlag{Name: "out", Usage: "write the redacted documents to `FILE` as JSONL {id, redacted}"},
		),
		Action: doEval,
	}
}

func doEval(c *cli.Context) error {
	if err := needArgs(c, "GOLD.jsonl"); err != nil {
		return err
	}
	f, err := os.Open(c.Args().First())
	if err != nil {
		return withCode(exitFatal, fmt.Errorf("GOLD.jsonl: %s", problem(err)))
	}
	docs, err := eval.ReadGold(f)
	f.Close()
	if err != nil {
		return withCode(exitFatal, err)
	}
	eng, err := buildEngineKey(c, false, true)
	if err != nil {
		return err
	}
	redacted, failed := redactAll(c.Context, eng.Engine, docs, c.Int(workersFlag.Name))
	nfailed := 0
	for _, n := range failed {
		nfailed += n
	}
	if err := c.Context.Err(); err != nil {
		return withCode(exitFatal, err)
	}
	opt := eval.DefaultOptions()
	opt.Misses = c.Int("misses")
	sc := eval.NewScorer(opt)
	for i, d := range docs {
		sc.Add(d, eval.MaskRedacted(d.Text, redacted[i]))
	}
	res := sc.Result()
	w := c.App.Writer
	fmt.Fprintf(w, "profile %s, %d documents\n", eng.Profile().Name, len(docs))
	if nfailed > 0 {
		fmt.Fprintf(w, "warning: %d documents could not be redacted and count as nothing masked:", nfailed)
		for _, code := range sortedKeys(failed) {
			fmt.Fprintf(w, " %s %d", code, failed[code])
		}
		fmt.Fprintln(w)
	}
	if err := eval.Write(w, res); err != nil {
		return withCode(exitFatal, err)
	}
	if p := c.String("json"); p != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err == nil {
			err = os.WriteFile(p, append(b, '\n'), 0o644)
		}
		if err != nil {
			return withCode(exitFatal, fmt.Errorf("--json: %w", stripPathErr(err)))
		}
	}
	if p := c.String("out"); p != "" {
		if err := writePredictions(p, docs, redacted); err != nil {
			return withCode(exitFatal, fmt.Errorf("--out: %w", stripPathErr(err)))
		}
	}
	return nil
}

// redactAll redacts every document's text: detection in parallel, planning
// in document order (aliases are deterministic), then apply and verify in
// parallel. A document that cannot be redacted keeps its text.
// It returns the redacted texts and the number of failures per reason code.
func redactAll(ctx context.Context, eng *pipeline.Engine, docs []eval.Doc, workers int) ([]string, map[string]int) {
	if workers < 1 {
		workers = 1
	}
	analyzed := make([]*pipeline.Doc, len(docs))
	par.For(len(docs), workers, func(i int) {
		analyzed[i] = eng.Analyze(ctx, fmt.Sprintf("doc-%06d.txt", i), []byte(docs[i].Text))
	})
	for _, d := range analyzed {
		eng.Plan(d)
	}
	out := make([]string, len(docs))
	var mu sync.Mutex
	failed := map[string]int{}
	par.For(len(docs), workers, func(i int) {
		b, rec := eng.Apply(ctx, analyzed[i])
		if b == nil {
			mu.Lock()
			failed[string(rec.Reason)]++
			mu.Unlock()
			out[i] = docs[i].Text
			return
		}
		out[i] = string(b)
		analyzed[i] = nil
	})
	return out, failed
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func writePredictions(path string, docs []eval.Doc, redacted []string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := encodePredictions(f, docs, redacted); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func encodePredictions(w io.Writer, docs []eval.Doc, redacted []string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, d := range docs {
		if err := enc.Encode(struct {
			ID       string `json:"id"`
			Redacted string `json:"redacted"`
		}{d.ID, redacted[i]}); err != nil {
			return err
		}
	}
	return nil
}
