package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/veilhq/veil/pipeline"
)

// logEvery is how often a run that is not on a terminal logs its progress.
const logEvery = 10 * time.Second

// progress draws one status line on a terminal, or logs a progress record
// every logEvery elsewhere. It never shows a file name.
type progress struct {
	mu         sync.Mutex
	w          io.Writer
	isTerminal bool
	shown      bool
	quiet      bool
	logger     *slog.Logger
	lastLog    time.Time
	lastDraw   time.Time
}

func newProgress(w *os.File, quiet bool) *progress {
	info, err := w.Stat()
	term := err == nil && info.Mode()&os.ModeCharDevice != 0
	return &progress{w: w, isTerminal: term, quiet: quiet, lastLog: time.Now()}
}

func (p *progress) update(s pipeline.Progress) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !p.isTerminal {
		if p.logger != nil && now.Sub(p.lastLog) >= logEvery {
			p.lastLog = now
			attrs := []any{"files", s.Done, "bytes", s.Bytes, "not_written", s.Quarantined, "files_per_s", round1(rate(float64(s.Done-s.Skipped), s.Elapsed))}
			if s.Skipped > 0 {
				attrs = append(attrs, "finished_before", s.Skipped)
			}
			if s.Total >= 0 {
				attrs = append(attrs, "total", s.Total)
			}
			p.logger.Info("progress", attrs...)
		}
		return
	}
	if now.Sub(p.lastDraw) < 100*time.Millisecond && (s.Total < 0 || s.Done < s.Total) {
		return // redrawing faster than the eye is waste
	}
	p.lastDraw = now
	fmt.Fprint(p.w, "\r\033[K  "+line(s))
	p.shown = true
}

// line is the status line: files (of total), bytes, rate, ETA, not written.
func line(s pipeline.Progress) string {
	var b strings.Builder
	if s.Total >= 0 {
		fmt.Fprintf(&b, "%d/%d files", s.Done, s.Total)
	} else {
		fmt.Fprintf(&b, "%d files", s.Done)
	}
	bps := rate(float64(s.Bytes), s.Elapsed)
	fmt.Fprintf(&b, "  %s  %s/s", humanize.IBytes(uint64(s.Bytes)), humanize.IBytes(uint64(bps)))
	if eta, ok := estimate(s); ok {
		fmt.Fprintf(&b, "  ETA %s", eta)
	}
	fmt.Fprintf(&b, "  not written %d", s.Quarantined)
	if s.Skipped > 0 {
		fmt.Fprintf(&b, "  (%d finished before)", s.Skipped)
	}
	return b.String()
}

// estimate is the time left at the rate so far, by bytes when they are
// known, else by files.
func estimate(s pipeline.Progress) (time.Duration, bool) {
	if s.Total < 0 || s.Elapsed < time.Second {
		return 0, false
	}
	var left float64
	if s.TotalBytes > 0 && s.Bytes > 0 && s.Skipped == 0 {
		done := s.Bytes
		left = float64(s.TotalBytes-done) / rate(float64(done), s.Elapsed)
	} else if n := s.Done - s.Skipped; n > 0 {
		left = float64(s.Total-s.Done) / rate(float64(n), s.Elapsed)
	} else {
		return 0, false
	}
	if left < 0 {
		left = 0
	}
	return (time.Duration(left) * time.Second).Round(time.Second), true
}

func rate(n float64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return n / d.Seconds()
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
