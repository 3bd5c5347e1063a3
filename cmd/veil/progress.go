package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/dustin/go-humanize"

	"github.com/veilhq/veil/pipeline"
)

// progress draws one status line on a terminal. It prints no file names.
type progress struct {
	mu         sync.Mutex
	w          io.Writer
	isTerminal bool
	shown      bool
	quiet      bool
}

func newProgress(w *os.File, quiet bool) *progress {
	info, err := w.Stat()
	term := err == nil && info.Mode()&os.ModeCharDevice != 0
	return &progress{w: w, isTerminal: term, quiet: quiet}
}

func (p *progress) update(s pipeline.Progress) {
	if !p.isTerminal || p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	rate := 0.0
	if sec := s.Elapsed.Seconds(); sec > 0 {
		rate = float64(s.Bytes) / sec
	}
	fmt.Fprintf(p.w, "\r\033[K  %d files  %s  %s/s  not written %d", s.Done, humanize.IBytes(uint64(s.Bytes)), humanize.IBytes(uint64(rate)), s.Quarantined)
	p.shown = true
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
