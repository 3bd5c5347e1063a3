package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"path"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// DefaultMaxFileSize is the largest file read by default. Files are held in
// memory while processed (input, parsed parts and output), so peak memory is
// about Workers × a few times this limit in the worst case, whatever the
// number of objects.
const DefaultMaxFileSize = 256 << 20

// DefaultRetries is how many times Run tries a read or write again when the
// store is unavailable (storage.ErrUnavailable), with exponential backoff
// from RetryBackoff. Stores retry single requests themselves first.
const DefaultRetries = 3

// RetryBackoff is the first wait between tries; it doubles each time.
var RetryBackoff = 500 * time.Millisecond

// DefaultFileTimeout is the default time budget of a file: a file may take
// this long, plus this long per MiB of its size, to be analysed, planned,
// redacted and verified (reading and writing it are not counted, nor the
// time it waits for its turn). That is far more than any file that is not
// built to be slow needs, even on a loaded machine: text runs at 0.1 MB/s
// or more per core with the statistical model on every sentence.
const DefaultFileTimeout = time.Minute

// StopGrace is how long a stopping run (its context cancelled) waits for
// the files in flight to give up before it returns without them. Every
// long loop checks its context, so they give up well within it; this
// bounds the stop even if one does not.
var StopGrace = 3 * time.Second

// RunConfig configures Run.
type RunConfig struct {
	Engine *Engine
	Source storage.Source
	// Sink receives redacted files; nil for a dry run (scan).
	Sink   storage.Sink
	Report *report.Builder
	// Workers is the number of files processed at once (default: cores).
	Workers int
	// MaxFileSize is the largest file processed (default
	// DefaultMaxFileSize); larger files are quarantined.
	MaxFileSize int64
	Logger      *slog.Logger
	// Progress, if set, is called after each file from one goroutine.
	Progress func(Progress)
	// CountTotal lists the source a second time, alongside the run, to
	// give Progress a total (for an ETA). Listing is cheap next to
	// processing: one request per 1,000 keys on S3.
	CountTotal bool
	// Shard restricts the run to one shard of the source.
	Shard Shard
	// Ledger, if set, remembers finished objects so that a killed run can
	// be resumed: objects it reports done are not processed again, and
	// their earlier records go into this run's report.
	Ledger Ledger
	// Retries for reads and writes that fail with storage.ErrUnavailable
	// (default DefaultRetries; negative: none). When they are spent, the
	// run stops with that error: everything finished so far is recorded.
	Retries int
	// CaseBy says what a case is: 0, the whole run (of the shard); N,
	// the files under each folder N levels below the source (CaseKey).
	// Before the files of a case are planned, a first pass reads and
	// analyses every one of them to build the case's table (who is who,
	// their roles, their aliases), so that the output does not depend on
	// the order of the files; then they are planned and written. Run
	// holds one case's table (two while the next case is gathered) and,
	// with CaseBy, the listing entries of one case, never more. With
	// CaseBy, a shard takes whole cases (Shard.Has of the case key), and
	// every case starts from an empty table: the engine's own
	// (Options.Case, a mapping file) is not used.
	CaseBy int
	// SinglePass skips the first pass: names are linked and aliases
	// handed out as the files are planned, in key order, so who is who
	// and who is a minor can depend on the order of the files.
	SinglePass bool
	// Settled, if set, returns the table an earlier attempt of the run
	// settled for a case (by CaseKey; "" for the whole run), or nil: the
	// case is not gathered again (resume).
	Settled func(caseKey string) (*profiles.Case, error)
	// FileTimeout is the time budget of a file: it may take FileTimeout
	// plus FileTimeout per MiB of its size (see DefaultFileTimeout, the
	// default; negative: no limit). A file over its budget is quarantined
	// with reason too_slow, and the run goes on.
	FileTimeout time.Duration
	// OCRPageTimeout is added to a file's budget for every page OCR is
	// asked to read in it (a scan, an image, a picture inside a document,
	// and the readings of verification): a 300-page scan gets a budget that
	// grows with its pages, not with its bytes only. 0 means
	// DefaultOCRPageTimeout; negative: nothing added.
	OCRPageTimeout time.Duration

	stop context.CancelCauseFunc // set by Run
	// analysed keeps the first pass's analyses for the second
	// (analysed.go).
	analysed *analysedDocs
	// kept hands the bytes the first pass read to the second
	// (gather.go).
	kept *keptInputs
}

// DefaultOCRPageTimeout is what a page read by OCR adds to its file's
// budget by default: a 300-dpi letter page takes 1–3 s on one core, and
// waits for a free OCR process behind the pages of other files.
const DefaultOCRPageTimeout = 20 * time.Second

// ocrPage returns what a page read by OCR adds to a file's budget.
func (c *RunConfig) ocrPage() time.Duration {
	switch {
	case c.OCRPageTimeout < 0:
		return 0
	case c.OCRPageTimeout == 0:
		return DefaultOCRPageTimeout
	}
	return c.OCRPageTimeout
}

// budget returns the time budget of a file of size bytes, or 0 for none.
func (c *RunConfig) budget(size int) time.Duration {
	if c.FileTimeout < 0 {
		return 0
	}
	per := c.FileTimeout
	if per == 0 {
		per = DefaultFileTimeout
	}
	return per + time.Duration(float64(per)*float64(size)/(1<<20))
}

// tooSlow is the error of a file over its budget.
func tooSlow(budget time.Duration) error {
	return fmt.Errorf("budget %s: %w", budget.Round(time.Millisecond), redactors.ErrTooSlow)
}

// Ledger remembers finished objects across attempts of a run.
type Ledger interface {
	// Done reports whether o was finished by an earlier attempt and has
	// not changed since (same ETag and size), with the record written
	// then. Run calls it from one goroutine, in walk order. ctx bounds
	// the reads of earlier attempts' journals; an error ends the run.
	Done(ctx context.Context, o storage.Object) (rec report.File, ok bool, err error)
	// Finish records that o ended with rec, after its output (if any) was
	// written, and the engine's counters after its Plan. Run calls it from
	// one goroutine, in walk order, and only for final outcomes: not for
	// files that failed for a reason another attempt could fix (read or
	// write errors, a stopping run). ctx bounds any write the record
	// causes; Run passes a context that a stopping run does not cancel,
	// so that a file finished before the stop is recorded as finished.
	Finish(ctx context.Context, o storage.Object, rec report.File, m PlanMark) error
}

// Progress is the state of a run after a file.
type Progress struct {
	Done        int // files finished in this run, including Skipped
	Quarantined int // not written, for any reason
	Skipped     int // finished by an earlier attempt (resume)
	Bytes       int64
	Elapsed     time.Duration
	// Total and TotalBytes count the files of the run (with CountTotal),
	// or are -1 while the count is not known.
	Total      int
	TotalBytes int64
}

type job struct {
	seq     int
	planSeq int // turn in the Plan sequence; -1 for files not planned
	obj     storage.Object
	done    *report.File // finished by an earlier attempt
	// cs is the table of the file's case and caseKey its key, with
	// RunConfig.CaseBy (nil: the engine's table).
	cs      *profiles.Case
	caseKey string
}

type result struct {
	seq     int
	obj     storage.Object
	rec     report.File
	mark    PlanMark
	skipped bool
	final   bool // the outcome is for good (Ledger.Finish)
}

// Run processes every object of the source (of the shard). It returns an
// error only for problems with the run itself (source unreadable, store
// unavailable, context cancelled); problems with single files end in the
// report.
//
// Memory does not grow with the number of objects: the listing is
// streamed, at most 4 × Workers files are between the listing and the
// report, records go to the report's spool file, and the ledger appends to
// its journal; the first pass keeps analyses (analysedMax) and the bytes
// of the files it read (keptMax) for the second within fixed bounds.
// What grows is the set of redacted output keys (one per file whose name
// is redacted) and the case (one entry per person; with CaseBy, one case
// at a time).
//
// A redacted output key is never the key of a source object (one
// Source.Exists per file whose name is redacted, in the plan stage), so it
// cannot overwrite a file written under its own name, by this process or
// by another shard.
func Run(ctx context.Context, c RunConfig) error {
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.MaxFileSize <= 0 {
		c.MaxFileSize = DefaultMaxFileSize
	}
	if c.Retries == 0 {
		c.Retries = DefaultRetries
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.stop = cancel
	c.analysed = &analysedDocs{}
	c.kept = &keptInputs{}
	if c.CaseBy <= 0 {
		if err := c.settleRun(ctx); err != nil {
			return fmt.Errorf("case: %w", err)
		}
	}

	// window bounds the files between dispatch and report, so memory does
	// not grow with the number of objects while results wait for order.
	window := make(chan struct{}, 4*c.Workers)
	jobs := make(chan job)
	results := make(chan result, c.Workers)

	// Three stages, so that no worker waits for another's file: analyze
	// (parallel), plan (one goroutine, in source-key order, from a reorder
	// buffer), apply and write (parallel).
	analyzed := make(chan stage, c.Workers)
	planned := make(chan stage, c.Workers)
	var analyzers, appliers sync.WaitGroup
	for i := 0; i < c.Workers; i++ {
		analyzers.Add(1)
		go func() {
			defer analyzers.Done()
			ready := false
			for j := range jobs {
				if j.done != nil {
					c.analysed.drop(j.obj.Key)
					c.kept.drop(j.obj.Key)
					results <- result{seq: j.seq, obj: j.obj, rec: *j.done, skipped: true}
					continue
				}
				if !ready { // tables and model loaded: budgets count from here
					select {
					case <-c.Engine.warmup():
					case <-ctx.Done():
					}
					ready = true
				}
				analyzed <- c.analyze(ctx, j)
			}
		}()
	}
	go func() { analyzers.Wait(); close(analyzed) }()
	inSource := c.inSource(ctx)
	go func() {
		defer close(planned)
		pending := map[int]stage{}
		next := 0
		for st := range analyzed {
			pending[st.j.planSeq] = st
			for {
				st, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				// Planning is serial, so it must be short for every
				// file: it is linear in the findings, and the heavy
				// work (roles, the phrases verify searches) is done in
				// the parallel stages. It counts against the budget,
				// less a Word document's conversion to PDF under Bates
				// numbering (convert.go), which has its own timeout.
				if st.j.cs != nil {
					c.Engine.planner.useCase(st.j.caseKey, st.j.cs)
				}
				t0 := time.Now()
				c.Engine.planner.plan(ctx, st.d, inSource)
				st.spend(time.Since(t0)-st.d.converting, ctx)
				st.mark = c.Engine.planner.mark()
				planned <- st
			}
		}
	}()
	for i := 0; i < c.Workers; i++ {
		appliers.Add(1)
		go func() {
			defer appliers.Done()
			for st := range planned {
				rec, final := c.finish(ctx, st)
				results <- result{seq: st.j.seq, obj: st.j.obj, rec: rec, mark: st.mark, final: final}
			}
		}()
	}
	walkErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		n, planned := 0, 0
		emit := func(j job) error {
			j.seq = n
			if j.done == nil {
				j.planSeq = planned
			}
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
			select {
			case jobs <- j:
				n++
				if j.done == nil {
					planned++
				}
				return nil
			case <-ctx.Done():
				<-window
				return context.Cause(ctx)
			}
		}
		// With CaseBy, the listing entries of a case wait until the
		// case is complete and settled (settleCase).
		var batch []job
		var batchCase string
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			cs, err := c.settleCase(ctx, batchCase, batch)
			if err != nil {
				return fmt.Errorf("case: %w", err)
			}
			for _, j := range batch {
				j.cs, j.caseKey = cs, batchCase
				if err := emit(j); err != nil {
					return err
				}
			}
			batch = batch[:0]
			return nil
		}
		err := c.Source.Walk(ctx, func(o storage.Object) error {
			if !c.inShard(o.Key) {
				return nil
			}
			j := job{planSeq: -1, obj: o}
			if c.Ledger != nil {
				rec, ok, err := c.Ledger.Done(ctx, o)
				if err != nil {
					return fmt.Errorf("resume: %w", err)
				}
				if ok {
					j.done = &rec
				}
			}
			if j.done == nil {
				c.Engine.warmup() // a file to do: load while listing
			}
			if c.CaseBy <= 0 {
				return emit(j)
			}
			if k := c.caseOf(o.Key); len(batch) == 0 || k != batchCase {
				if len(batch) > 0 && k < batchCase {
					return errCaseOrder
				}
				if err := flush(); err != nil {
					return err
				}
				batchCase = k
			}
			batch = append(batch, j)
			return nil
		})
		if err == nil {
			err = flush()
		}
		walkErr <- err
	}()
	go func() { analyzers.Wait(); appliers.Wait(); close(results) }()

	start := time.Now()
	p := Progress{Total: -1, TotalBytes: -1}
	var total atomic.Pointer[[2]int64]
	if c.CountTotal && c.Progress != nil {
		go c.count(ctx, &total)
	}
	var ledgerErr error
	pending := map[int]result{}
	next := 0
	stopping, abandon := ctx.Done(), (<-chan time.Time)(nil)
	for {
		var r result
		select {
		case res, ok := <-results:
			if !ok {
				goto drained
			}
			r = res
		case <-stopping:
			// Stopping: the files in flight give up (every long loop
			// checks ctx); wait for them a little, not for ever.
			stopping, abandon = nil, time.After(StopGrace)
			continue
		case <-abandon:
			c.Logger.Warn("stopping without waiting any longer for the files in flight", "grace", StopGrace.String())
			goto drained
		}
		pending[r.seq] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			rec := r.rec
			if ctx.Err() != nil && !r.final && !r.skipped {
				// Cut short by the stop: not finished, so not reported;
				// a resumed run does it again.
				continue
			}
			if r.final && c.Ledger != nil && ledgerErr == nil {
				if ledgerErr = c.Ledger.Finish(context.WithoutCancel(ctx), r.obj, rec, r.mark); ledgerErr != nil {
					cancel(fmt.Errorf("record progress: %w", ledgerErr))
				}
			}
			c.Report.Add(rec)
			p.Done++
			if r.skipped {
				p.Skipped++
			} else {
				p.Bytes += rec.Bytes
			}
			if rec.Status == report.StatusQuarantined || rec.Status == report.StatusFailed {
				p.Quarantined++
			}
			p.Elapsed = time.Since(start)
			if t := total.Load(); t != nil {
				p.Total, p.TotalBytes = int(t[0]), t[1]
			}
			if !r.skipped {
				c.log(rec)
			}
			if c.Progress != nil {
				c.Progress(p)
			}
		}
	}
drained:
	var err error
	select {
	case err = <-walkErr:
	case <-abandon:
	}
	if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
		if errors.Is(cause, context.Canceled) {
			return fmt.Errorf("run interrupted after %d files: %w", p.Done, cause)
		}
		return fmt.Errorf("run stopped after %d files: %w", p.Done, cause)
	}
	if err != nil {
		return fmt.Errorf("list %s: %w", c.Source, err)
	}
	return nil
}

// count walks the source (the shard) to total the files and bytes of the
// run, for an ETA.
func (c *RunConfig) count(ctx context.Context, total *atomic.Pointer[[2]int64]) {
	var n, b int64
	err := c.Source.Walk(ctx, func(o storage.Object) error {
		if c.inShard(o.Key) {
			n++
			b += max(o.Size, 0)
		}
		return nil
	})
	if err == nil {
		total.Store(&[2]int64{n, b})
	}
}

func (c *RunConfig) log(rec report.File) {
	n := 0
	for _, v := range rec.Entities {
		n += v
	}
	attrs := []any{"key", rec.Key, "status", rec.Status, "redactions", n, "bytes", rec.Bytes}
	if rec.Reason != "" {
		attrs = append(attrs, "reason", rec.Reason, "detail", rec.Detail)
		c.Logger.Warn("file not written", attrs...)
		return
	}
	c.Logger.Debug("file", attrs...)
}

// stage is a file between the stages of Run.
type stage struct {
	j     job
	d     *Doc
	ctype string
	mark  PlanMark
	// budget is the file's time budget (0: none), left what remains of
	// it after the stages so far.
	budget, left time.Duration
	// grown counts the pages OCR read for the file, which add to its
	// budget (RunConfig.OCRPageTimeout).
	grown *growth
}

// growth is a file's budget growing with the pages OCR reads (an
// ocr.Meter): each page adds per to the budget and moves the deadline of
// the stage running on.
type growth struct {
	per time.Duration
	mu  sync.Mutex
	// added is the time added since the last take; timer and deadline
	// are the running stage's (nil between stages).
	added    time.Duration
	timer    *time.Timer
	deadline time.Time
	fired    bool // a stage's budget ran out: pages reported later do not revive it
}

var _ ocr.Meter = (*growth)(nil)

// OCRPages implements ocr.Meter.
func (g *growth) OCRPages(n int) {
	if g == nil || g.per <= 0 || n <= 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	add := time.Duration(n) * g.per
	g.added += add
	if g.timer != nil {
		g.deadline = g.deadline.Add(add)
		if g.timer.Stop() { // not fired yet: the stage goes on
			g.timer.Reset(time.Until(g.deadline))
		}
	}
}

// take returns the time added since the last take, and whether a stage's
// budget ran out.
func (g *growth) take() (time.Duration, bool) {
	if g == nil {
		return 0, false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.added
	g.added = 0
	return a, g.fired
}

// budgetCtx is a stage's context under a growing budget: its error is
// context.DeadlineExceeded once the budget ran out, like a timeout's.
type budgetCtx struct{ context.Context }

func (c budgetCtx) Err() error {
	if err := c.Context.Err(); err != nil {
		if errors.Is(context.Cause(c.Context), context.DeadlineExceeded) {
			return context.DeadlineExceeded
		}
		return err
	}
	return nil
}

// spend counts d of the file's budget, and quarantines the file as
// too_slow when the budget is spent (unless the run is stopping: then the
// file is not finished, whatever the time).
func (st *stage) spend(d time.Duration, run context.Context) {
	if st.budget <= 0 {
		return
	}
	grown, fired := st.grown.take()
	st.budget += grown
	st.left += grown - d
	if fired {
		st.left = min(st.left, 0)
	}
	if st.left <= 0 && run.Err() == nil && !errors.Is(st.d.err, redactors.ErrTooSlow) {
		st.d.err = tooSlow(st.budget)
	}
}

// within returns a context for the next stage of the file: done when the
// run stops or the file's budget runs out. Its cancel func is called when
// the stage ends, before spend: a stage whose context reached the budget's
// deadline is over budget (too_slow) whatever its measured time says.
func (st *stage) within(ctx context.Context) (context.Context, context.CancelFunc) {
	if st.budget <= 0 {
		return context.WithCancel(ctx)
	}
	if st.grown == nil || st.grown.per <= 0 {
		// The context, not the clock, says whether the budget ran out:
		// the stage's time is measured from a moment after the deadline
		// was set (a busy machine can hold the goroutine in between), so
		// a stage cut short at its deadline could measure under its
		// budget and leave the error of whatever it was doing when cut
		// (internal_error) instead of too_slow.
		sctx, cancel := context.WithTimeout(ctx, max(st.left, 0))
		g := st.grown
		return sctx, func() {
			if g != nil && errors.Is(sctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
				g.mu.Lock()
				g.fired = true
				g.mu.Unlock()
			}
			cancel()
		}
	}
	g := st.grown
	sctx, cancel := context.WithCancelCause(ocr.WithMeter(ctx, g))
	g.mu.Lock()
	g.deadline = time.Now().Add(max(st.left, 0))
	g.timer = time.AfterFunc(max(st.left, 0), func() {
		g.mu.Lock()
		g.fired = true
		g.mu.Unlock()
		cancel(context.DeadlineExceeded)
	})
	g.mu.Unlock()
	return budgetCtx{sctx}, func() {
		g.mu.Lock()
		g.timer.Stop()
		g.timer = nil
		g.mu.Unlock()
		cancel(context.Canceled)
	}
}

// analyze reads one object (or takes the bytes the first pass read of
// it) and runs the engine's first stage on it, within
// the file's budget.
func (c *RunConfig) analyze(ctx context.Context, j job) stage {
	e := c.Engine
	data, ctype, sum, ok := c.kept.takeSum(j.obj)
	known := &sum // the SHA-256 of the kept bytes, from the first pass
	if !ok {
		var err error
		if data, ctype, err = c.read(ctx, j.obj); err != nil {
			return stage{j: j, d: e.Reject(ctx, j.obj.Key, j.obj.Size, err)}
		}
		known = nil
	}
	st := stage{j: j, ctype: ctype, budget: c.budget(len(data)), grown: &growth{per: c.ocrPage()}}
	st.left = st.budget
	fctx, cancel := st.within(ctx)
	t0 := time.Now()
	if d, spent, grown, ok := c.analysed.takeSummed(fctx, j.obj.Key, data, known); ok {
		// analysed by the first pass: its cost counts as if done here,
		// with the parse that gave its texts back
		parsed := time.Since(t0)
		cancel()
		st.d = d
		st.grown.mu.Lock()
		st.grown.added += grown
		st.grown.mu.Unlock()
		st.spend(spent+parsed, ctx)
		return st
	}
	st.d = e.Analyze(fctx, j.obj.Key, data)
	cancel() // before spend: it records whether the budget ran out
	st.spend(time.Since(t0), ctx)
	return st
}

// finish redacts, verifies and writes a planned file. final reports
// whether the record is the file's fate (see Run).
func (c *RunConfig) finish(ctx context.Context, st stage) (rec report.File, final bool) {
	d := st.d
	fctx, cancel := st.within(ctx)
	t0 := time.Now()
	out, rec := c.Engine.Apply(fctx, d)
	cancel()
	if was := d.err; !errors.Is(was, redactors.ErrTooSlow) {
		st.spend(time.Since(t0), ctx)
		if d.err != was { // over budget: quarantined after all
			out, rec = c.Engine.Apply(ctx, d)
		}
	}
	if c.Logger.Enabled(ctx, slog.LevelDebug) {
		// Counts and codes only: the key logged is the output key.
		c.Logger.Debug("processed", "key", d.outputKey, "seq", st.j.seq, "parts", len(d.parts), "edits", len(d.edits), "status", rec.Status)
	}
	// A read error, or anything that happened while the run was stopping
	// (a detector cut short looks like an internal error), is not the
	// file's fate: another attempt does it again.
	final = !errors.Is(d.err, redactors.ErrRead) && ctx.Err() == nil
	if out == nil || c.Sink == nil || ctx.Err() != nil {
		// A stopping run writes nothing more: the file is done again
		// by the resumed run.
		return rec, final
	}
	ctype := st.ctype
	key := d.outputKey
	if d.place != nil {
		key = d.place.file
		ctype = ""
	}
	if ctype == "" {
		ctype = mime.TypeByExtension(path.Ext(key))
	}
	err := c.retry(ctx, func() error {
		return c.Sink.Put(ctx, key, bytes.NewReader(out), int64(len(out)), ctype)
	})
	if err == nil && d.place != nil {
		err = c.retry(ctx, func() error {
			return c.Sink.Put(ctx, d.place.text, bytes.NewReader(d.outText), int64(len(d.outText)), "text/plain; charset=utf-8")
		})
	}
	if err != nil {
		rec.Status, rec.Reason, rec.Detail = report.StatusFailed, "write_error", "write failed: "+err.Error()
		rec.Changes, rec.Entities, rec.Actions, rec.Production = nil, nil, nil, nil
		return rec, false
	}
	return rec, ctx.Err() == nil
}

// retry runs op, and again after a backoff while it fails with
// storage.ErrUnavailable. When the tries are spent it stops the run: a
// store that stays unavailable would fail every file that follows.
func (c *RunConfig) retry(ctx context.Context, op func() error) error {
	wait := RetryBackoff
	for try := 0; ; try++ {
		err := op()
		if err == nil || !errors.Is(err, storage.ErrUnavailable) {
			return err
		}
		if try >= c.Retries {
			c.stop(fmt.Errorf("storage unavailable after %d tries: %w", try+1, err))
			return err
		}
		c.Logger.Warn("storage unavailable, retrying", "try", try+1, "wait", wait.String(), "error", err.Error())
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
		wait *= 2
	}
}

// inSource returns a check whether a key names a source object, with the
// run's retries, for Plan to keep redacted output keys off source keys.
func (c *RunConfig) inSource(ctx context.Context) func(string) (bool, error) {
	return func(key string) (bool, error) {
		var exists bool
		err := c.retry(ctx, func() error {
			var err error
			exists, err = c.Source.Exists(ctx, key)
			return err
		})
		return exists, err
	}
}

// read returns the content of o and its stored content type, if the
// store keeps one.
func (c *RunConfig) read(ctx context.Context, o storage.Object) (data []byte, ctype string, err error) {
	if o.Size < 0 {
		return nil, "", fmt.Errorf("not a regular file: %w", redactors.ErrUnsupported)
	}
	if o.Size > c.MaxFileSize {
		return nil, "", fmt.Errorf("%d bytes, limit %d: %w", o.Size, c.MaxFileSize, redactors.ErrTooLarge)
	}
	err = c.retry(ctx, func() error {
		rc, err := c.Source.Open(ctx, o.Key)
		if err != nil {
			return err
		}
		defer rc.Close()
		if ct, ok := rc.(storage.ContentTyper); ok {
			ctype = ct.ContentType()
		}
		data, err = readAll(rc, o.Size, c.MaxFileSize+1)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", redactors.ErrRead, err)
	}
	if int64(len(data)) > c.MaxFileSize {
		return nil, "", fmt.Errorf("grew past the limit of %d bytes: %w", c.MaxFileSize, redactors.ErrTooLarge)
	}
	return data, ctype, nil
}

// readAll reads r to its end, or to limit bytes, into one buffer of the
// size the listing gave (size, or -1 if unknown) plus one byte: a file that
// did not change since it was listed is read in one read and a read that
// says it ended, with no copy and no garbage; one that grew is read on
// into a growing buffer, up to limit.
func readAll(r io.Reader, size, limit int64) ([]byte, error) {
	n := int64(512)
	if size >= 0 {
		n = size + 1
	}
	buf := make([]byte, 0, min(n, limit))
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grows the buffer
			buf = buf[:len(buf):min(int64(cap(buf)), limit)]
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}
