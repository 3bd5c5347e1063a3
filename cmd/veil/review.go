package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/review"
)

// Flags of the review and of the runs that apply it.
var (
	// decisionsFlag applies a review (veil run, veil scan).
	decisionsFlag = &cli.StringFlag{
		Name: "decisions",
		Usage: "apply a reviewer's decisions `FILE` (made with veil review; needs the same --key-file and profile): " +
			"rejected findings stay as written, added values are redacted",
	}
	// reviewDecisionsFlag is where veil review keeps the decisions.
	reviewDecisionsFlag = &cli.StringFlag{
		Name: "decisions",
		Usage: "(required) `FILE` the decisions are saved to, sealed with --key-file (it holds original values); " +
			"an existing file is continued; must be outside SOURCE, DEST and the report",
	}
	reviewerFlag = &cli.StringFlag{
		Name:  "reviewer",
		Usage: "`NAME` of the person who reviewed, for the report",
	}
)

func reviewCommand() *cli.Command {
	return &cli.Command{
		Name:      "review",
		Usage:     "check every proposed redaction on a local page before a run; the decisions go to a sealed file",
		ArgsUsage: "SOURCE DEST",
		Description: `Runs the analysis and the plan of veil run over SOURCE in memory (nothing is
written to DEST) and serves a page on 127.0.0.1 where a reviewer walks
through every file: the original text with each proposed redaction and its
replacement, PDF pages with their boxes, what could still identify
someone; accept or reject each proposal, add redactions the detectors
missed (in one document or everywhere in the case), mark documents
reviewed. Open the address it prints (it holds a one-time token; the page
refuses requests without it).

Decisions are saved as you make them to the --decisions file, sealed with
--key-file. Then apply them:

   veil review -p supervision --key-file case.key --decisions case.veildec samples/cases out/
   veil run -p supervision --key-file case.key --decisions case.veildec --reviewer "A. Reviewer" samples/cases out/

PDF pages are drawn by pdftoppm (poppler-utils), through pipes: nothing
from the page is written to disk but the decisions file.`,
		Flags:  append(append(engineFlags(), reviewDecisionsFlag, reviewerFlag, workersFlag, maxSizeFlag, reportFlag), s3Flags()...),
		Action: doReview,
	}
}

func doReview(c *cli.Context) error {
	if err := needArgs(c, "SOURCE", "DEST"); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srcArg, dstArg := c.Args().Get(0), c.Args().Get(1)
	src, err := parseLocation(c, srcArg, "SOURCE")
	if err != nil {
		return err
	}
	if err := src.checkSource(ctx, "SOURCE"); err != nil {
		return err
	}
	dst, err := parseLocation(c, dstArg, "DEST")
	if err != nil {
		return err
	}
	if err := checkDisjoint(src, dst, "DEST"); err != nil {
		return err
	}
	rep := dst.sub(reportDir)
	if r := c.String(reportFlag.Name); r != "" {
		if rep, err = parseLocation(c, r, "--report"); err != nil {
			return err
		}
	}
	if c.String(keyFileFlag.Name) == "" {
		return usageError(c.Command, "veil review needs --key-file FILE: the decisions file holds original values and is sealed with the key (veil keygen FILE makes one)")
	}
	path := c.String(reviewDecisionsFlag.Name)
	if path == "" {
		return usageError(c.Command, "veil review needs --decisions FILE, where the decisions are saved")
	}
	if path, err = filepath.Abs(path); err != nil {
		return withCode(exitFatal, fmt.Errorf("--decisions: %w", err))
	}
	maxSize, err := maxFileSize(c)
	if err != nil {
		return err
	}
	eng, err := newEngine(c)
	if err != nil {
		return err
	}
	places := map[string]string{"SOURCE": localRoot(src), "DEST": localRoot(dst), "the report folder": localRoot(rep)}
	if err := checkOutside(reviewDecisionsFlag.Name, path, places); err != nil {
		return err
	}
	if err := notSameFile(path, c.String(keyFileFlag.Name), eng.mapping); err != nil {
		return err
	}
	var earlier *pipeline.Decisions
	switch ds, err := pipeline.LoadDecisionsFile(path, eng.keys); {
	case err == nil:
		if ds.Profile != eng.Profile().Name {
			return withCode(exitFatal, fmt.Errorf("--decisions holds decisions on the proposals of profile %s: review with --profile %s, or start another file", ds.Profile, ds.Profile))
		}
		earlier = ds
	case errors.Is(err, fs.ErrNotExist):
	default:
		return fileError(reviewDecisionsFlag.Name, c.String(reviewDecisionsFlag.Name), err)
	}

	fmt.Fprintf(c.App.ErrWriter, "veil review: reading SOURCE with profile %s…\n", eng.Profile().Name)
	proposals, err := pipeline.Propose(ctx, pipeline.ReviewConfig{Engine: eng.Engine, Source: src.store(), MaxFileSize: maxSize, Workers: c.Int(workersFlag.Name)})
	if err != nil {
		return withCode(exitFatal, fmt.Errorf("review: %w", err))
	}
	var render func(ctx context.Context, pdf []byte, page int) ([]byte, error)
	if bin, err := exec.LookPath("pdftoppm"); err == nil {
		render = review.PDFRenderer(bin)
	} else if slices.ContainsFunc(proposals, func(p *pipeline.Proposal) bool { return p.Pages > 0 }) {
		fmt.Fprintln(c.App.ErrWriter, "veil review: pdftoppm (Debian: poppler-utils) is not installed: PDF pages are shown as text only")
	}
	srv, err := review.New(review.Config{
		Proposals: proposals, Profile: eng.Profile(), Reviewer: c.String(reviewerFlag.Name), Earlier: earlier,
		Save:    func(ds *pipeline.Decisions) error { return ds.SaveFile(path, eng.keys) },
		Render:  render,
		Notices: manualChecks(eng),
	})
	if err != nil {
		return withCode(exitFatal, err)
	}
	ln, err := srv.Listen()
	if err != nil {
		return withCode(exitFatal, err)
	}
	printReviewStart(c.App.Writer, proposals, srv)
	if n := srv.Dropped(); n > 0 {
		fmt.Fprintf(c.App.ErrWriter, "veil review: %d decisions of the earlier review were dropped: their files changed since.\n", n)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return withCode(exitFatal, err)
	}
	ds := srv.Decisions()
	// The closing hint names the files and folders by role, never as
	// typed: a folder or a decisions file can be named after a client
	// (session "side37", issue 13).
	fmt.Fprintf(c.App.Writer, "\nDecisions saved to the --decisions file (%s). Apply them with the same key file, decisions file, SOURCE and DEST:\n   veil run -p %s --key-file KEY --decisions DECISIONS%s SOURCE DEST\n",
		decisionCounts(ds), shellWord(eng.Profile().Name), reviewerArg(ds.Reviewer))
	return nil
}

func printReviewStart(w io.Writer, ps []*pipeline.Proposal, srv *review.Server) {
	changes := 0
	for _, p := range ps {
		changes += len(p.Changes)
	}
	fmt.Fprintf(w, "Veil review: %d files, %d proposed changes.\n", len(ps), changes)
	fmt.Fprintf(w, "Open this address in a browser on this computer (it holds the page's one-time key; do not share it):\n\n   %s\n\n", srv.URL())
	fmt.Fprintf(w, "Every decision is saved to the --decisions file as you make it. Finish review in the page, or press Ctrl+C, to stop.\n")
}

// decisionCounts says how many decisions of each kind ds holds.
func decisionCounts(ds *pipeline.Decisions) string {
	n := map[pipeline.Verdict]int{}
	reviewed := 0
	for _, d := range ds.Documents {
		for _, x := range d.Decisions {
			n[x.Verdict]++
		}
		if d.Reviewed {
			reviewed++
		}
	}
	return fmt.Sprintf("%d accepted, %d rejected, %d added; %d documents reviewed", n[pipeline.Accept], n[pipeline.Reject], n[pipeline.Add], reviewed)
}

func reviewerArg(name string) string {
	if name == "" {
		return ""
	}
	return " --reviewer " + shellWord(name)
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// manualChecks are the page's notices: what Veil cannot detect in text.
func manualChecks(e *engine) []string {
	var out []string
	for _, c := range e.Profile().Categories {
		if len(c.Entities) == 0 {
			out = append(out, "Check by hand: ("+c.ID+") "+c.Name)
		}
	}
	return out
}

// engineDecisions reads --decisions for a command that applies them (run,
// scan); nil otherwise.
func engineDecisions(c *cli.Context, e *engine) (*pipeline.Decisions, error) {
	if c.Command == nil || !slices.Contains(c.Command.Flags, cli.Flag(decisionsFlag)) || c.String(decisionsFlag.Name) == "" {
		return nil, nil
	}
	p := c.String(decisionsFlag.Name)
	if e.keys == nil {
		return nil, withCode(exitFatal, fmt.Errorf("--%s needs --%s: the decisions file is sealed with it", decisionsFlag.Name, keyFileFlag.Name))
	}
	ds, err := pipeline.LoadDecisionsFile(p, e.keys)
	if err != nil {
		return nil, fileError(decisionsFlag.Name, p, err)
	}
	return ds, nil
}

// checkOutside refuses a file of original values (the mapping or the
// decisions file) inside a folder that is read or shared: SOURCE (it
// would be read as input), DEST and the report folder (it would be handed
// on with the output).
func checkOutside(flag, file string, places map[string]string) error {
	m, err := filepath.Abs(file)
	if err != nil {
		return withCode(exitFatal, fmt.Errorf("--%s: %w", flag, err))
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(m)); err == nil {
		m = filepath.Join(d, filepath.Base(m))
	}
	for what, dir := range places {
		if dir == "" {
			continue
		}
		if abs, err := filepath.Abs(dir); err == nil {
			if r, err := filepath.EvalSymlinks(abs); err == nil {
				abs = r
			}
			if inside(m, abs) {
				return withCode(exitFatal, fmt.Errorf("--%s lies inside %s: keep the file away from the files it re-identifies", flag, what))
			}
		}
	}
	return nil
}

// notSameFile refuses a decisions file that is the key file or the
// mapping file: saving would overwrite them.
func notSameFile(decisions string, others ...string) error {
	di, err := os.Stat(decisions)
	if err != nil {
		return nil
	}
	for _, o := range others {
		if o == "" {
			continue
		}
		if oi, err := os.Stat(o); err == nil && os.SameFile(di, oi) {
			return withCode(exitFatal, fmt.Errorf("--%s is the key file or the mapping file: give the decisions a file of their own", reviewDecisionsFlag.Name))
		}
	}
	return nil
}
