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
	"time"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/redactors"
)

// DefaultMaxFileSize is the largest file read by default. Files are held in
// memory while processed, so peak memory is about Workers × this limit in
// the worst case.
const DefaultMaxFileSize = 256 << 20

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
}

// Progress is the state of a run after a file.
type Progress struct {
	Done        int
	Quarantined int // not written, for any reason
	Bytes       int64
	Elapsed     time.Duration
}

type job struct {
	seq int
	obj storage.Object
}

type result struct {
	seq int
	rec report.File
}

// Run processes every object of the source. It returns an error only for
// problems with the run itself (source unreadable, context cancelled);
// problems with single files end in the report.
func Run(ctx context.Context, c RunConfig) error {
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.MaxFileSize <= 0 {
		c.MaxFileSize = DefaultMaxFileSize
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// window bounds the files between dispatch and report, so memory does
	// not grow with the number of objects while results wait for order.
	window := make(chan struct{}, 4*c.Workers)
	jobs := make(chan job)
	results := make(chan result, c.Workers)
	turn := newSequencer()

	var wg sync.WaitGroup
	for i := 0; i < c.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- result{j.seq, c.process(ctx, j, turn)}
			}
		}()
	}
	walkErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		n := 0
		walkErr <- c.Source.Walk(ctx, func(o storage.Object) error {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- job{n, o}:
				n++
				return nil
			case <-ctx.Done():
				<-window
				return ctx.Err()
			}
		})
	}()
	go func() { wg.Wait(); close(results) }()

	start := time.Now()
	var p Progress
	pending := map[int]report.File{}
	next := 0
	for r := range results {
		pending[r.seq] = r.rec
		for {
			rec, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			c.Report.Add(rec)
			p.Done++
			p.Bytes += rec.Bytes
			if rec.Status == report.StatusQuarantined || rec.Status == report.StatusFailed {
				p.Quarantined++
			}
			p.Elapsed = time.Since(start)
			c.log(rec)
			if c.Progress != nil {
				c.Progress(p)
			}
		}
	}
	if err := <-walkErr; err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return fmt.Errorf("run interrupted after %d files: %w", p.Done, err)
		}
		return fmt.Errorf("list %s: %w", c.Source, err)
	}
	return ctx.Err()
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
	c.Logger.Info("file", attrs...)
}

// process runs one object through the engine and writes the output.
func (c *RunConfig) process(ctx context.Context, j job, turn *sequencer) report.File {
	e := c.Engine
	var d *Doc
	data, err := c.read(ctx, j.obj)
	if err != nil {
		d = e.Reject(ctx, j.obj.Key, j.obj.Size, err)
	} else {
		d = e.Analyze(ctx, j.obj.Key, data)
	}
	data = nil
	turn.do(j.seq, func() { e.Plan(d) })
	out, rec := e.Apply(ctx, d)
	if c.Logger.Enabled(ctx, slog.LevelDebug) {
		// Counts and codes only: the key logged is the output key.
		c.Logger.Debug("processed", "key", d.outKey, "seq", j.seq, "parts", len(d.parts), "edits", len(d.edits), "status", rec.Status)
	}
	if out == nil || c.Sink == nil {
		return rec
	}
	ctype := mime.TypeByExtension(path.Ext(d.outKey))
	if err := c.Sink.Put(ctx, d.outKey, bytes.NewReader(out), int64(len(out)), ctype); err != nil {
		rec.Status, rec.Reason, rec.Detail = report.StatusFailed, "write_error", "write failed: "+err.Error()
		rec.Changes, rec.Entities, rec.Actions = nil, nil, nil
	}
	return rec
}

func (c *RunConfig) read(ctx context.Context, o storage.Object) ([]byte, error) {
	if o.Size < 0 {
		return nil, fmt.Errorf("not a regular file: %w", redactors.ErrUnsupported)
	}
	if o.Size > c.MaxFileSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", o.Size, c.MaxFileSize, redactors.ErrTooLarge)
	}
	rc, err := c.Source.Open(ctx, o.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", redactors.ErrRead, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, c.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", redactors.ErrRead, err)
	}
	if int64(len(data)) > c.MaxFileSize {
		return nil, fmt.Errorf("grew past the limit of %d bytes: %w", c.MaxFileSize, redactors.ErrTooLarge)
	}
	return data, nil
}

// Reject returns a Doc for a file that cannot be processed, so that it goes
// through Plan (its name is redacted too) and is reported with err.
func (e *Engine) Reject(ctx context.Context, key string, size int64, err error) *Doc {
	if size < 0 {
		size = 0
	}
	return &Doc{Key: key, Size: size, keyFs: e.detectKey(ctx, key), err: err}
}

// sequencer lets goroutines take turns in sequence-number order.
type sequencer struct {
	mu   sync.Mutex
	cond *sync.Cond
	next int
}

func newSequencer() *sequencer {
	s := &sequencer{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// do waits for turn seq, runs fn, and passes the turn on, even if fn
// panics.
func (s *sequencer) do(seq int, fn func()) {
	s.mu.Lock()
	for s.next != seq {
		s.cond.Wait()
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.next++
		s.cond.Broadcast()
		s.mu.Unlock()
	}()
	fn()
}
