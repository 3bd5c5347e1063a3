package pipeline

import (
	"fmt"
	"strings"
	"sync"

	"github.com/veilhq/veil/redactors"
)

// Bates numbers every page of a production: Prefix followed by a counter
// zero-padded to Digits, continuing across documents in source-key order
// (Plan order). Documents without pages (text formats) get no numbers.
type Bates struct {
	Prefix   string
	Start    int
	Digits   int
	Position string // see redactors.Stamper; "" for bottom-right
	// Margin is the safe print margin, in inches, inside which the number
	// is printed (redactors.StampMargin); 0 for the format's default
	// (0.5 in for PDF).
	Margin float64
}

// Validate checks the numbering settings.
func (b *Bates) Validate() error {
	if b.Start < 0 {
		return fmt.Errorf("bates: start %d is negative", b.Start)
	}
	if b.Digits < 1 || b.Digits > 12 {
		return fmt.Errorf("bates: %d digits, want 1 to 12", b.Digits)
	}
	if strings.ContainsAny(b.Prefix, "\r\n\t") || len(b.Prefix) > 40 {
		return fmt.Errorf("bates: the prefix must be one short line")
	}
	if b.Margin < 0 || b.Margin > 2 {
		return fmt.Errorf("bates: margin %v in, want 0 to 2 inches", b.Margin)
	}
	return nil
}

// batesCounter hands out page numbers. Plan runs in key order, one
// document at a time, so numbers follow the keys.
type batesCounter struct {
	mu   sync.Mutex
	cfg  Bates
	next int
	// native gives a document without pages one number (a production
	// volume numbers every document, natives too).
	native bool
}

func (b *Bates) label(n int) string {
	return fmt.Sprintf("%s%0*d", b.Prefix, b.Digits, n)
}

// assign numbers the pages of d (if it is paged) and returns the labels.
// Numbers are taken even if the file is quarantined later, so that a
// rerun of the same source numbers every file the same way.
func (c *batesCounter) assign(d *Doc) ([]string, error) {
	st, ok := d.doc.(redactors.Stamper)
	if !ok {
		if !c.native || d.doc == nil {
			return nil, nil
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		label := c.cfg.label(c.next)
		c.next++
		return []string{label}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := st.PageCount()
	labels := make([]string, n)
	for i := range labels {
		labels[i] = c.cfg.label(c.next + i)
	}
	c.next += n
	if sm, ok := st.(redactors.StampMargin); ok && c.cfg.Margin > 0 {
		if err := sm.SetStampMargin(c.cfg.Margin * 72); err != nil {
			return nil, err
		}
	}
	return labels, st.SetStamps(labels, c.cfg.Position)
}
