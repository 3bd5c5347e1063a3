package ner

import (
	"context"
	"fmt"

	"github.com/veilhq/veil/ner/textform"
)

// Refiner is a detection pass that reads what the passes before it found:
// a vote of a statistical model where the rules left a word undecided, the
// fallback of maximum-recall mode over every word no finding covers.
type Refiner interface {
	// Name is a short stable identifier of the pass ("prose-vote").
	Name() string
	// Refine returns the findings of text after this pass: found with
	// what the pass adds, in any order, possibly overlapping (the
	// contract of Detector.Detect). A pass may drop or change findings;
	// it must not modify found's elements or append to found's backing
	// array in place (append to found[:len(found):len(found)]). found
	// holds the findings of the passes before, unfiltered (every score,
	// every entity, so that a value the profile keeps is known), in the
	// coordinates of text. Refine is safe for concurrent use, does not
	// retain text or found, and returns a non-nil error only when ctx is
	// done. It must not panic on any input.
	Refine(ctx context.Context, text string, found []Finding) ([]Finding, error)
}

// Chain is the detection of a text: its detectors, each over the whole
// text, their findings concatenated in detector order, then its refiners
// in order, each given the findings of everything before it. A Chain is a
// Detector, so one chain is the whole detection of a text part, and a
// chain can hold another. It is immutable and safe for concurrent use.
//
// A chain sees through the forms a text can hide a word in (ner/textform:
// soft hyphens and zero-width characters, hyphenation at line breaks,
// look-alike letters of other scripts, letter spacing): where the text
// has any, its passes run over the text and again over its view, and the
// view's findings are mapped back to spans of the text that cover the
// whole hidden form. Detectors and refiners need not know. A text with
// nothing to see through costs one read of it more.
type Chain struct {
	name      string
	detectors []Detector
	refiners  []Refiner
}

var _ Detector = (*Chain)(nil)

// NewChain returns a chain of detectors followed by refiners.
func NewChain(name string, detectors []Detector, refiners ...Refiner) *Chain {
	return &Chain{name: name, detectors: append([]Detector(nil), detectors...), refiners: append([]Refiner(nil), refiners...)}
}

// Name implements Detector.
func (c *Chain) Name() string { return c.name }

// Detectors returns the chain's detectors, in order.
func (c *Chain) Detectors() []Detector { return append([]Detector(nil), c.detectors...) }

// Refiners returns the chain's refiners, in order.
func (c *Chain) Refiners() []Refiner { return append([]Refiner(nil), c.refiners...) }

// Detect implements Detector: the findings of the last pass, unresolved
// and unfiltered, over the text and its view (see Chain). An error names
// the pass that returned it.
func (c *Chain) Detect(ctx context.Context, text string) ([]Finding, error) {
	fs, err := c.passes(ctx, text)
	if err != nil {
		return nil, err
	}
	v := textform.Of(text)
	if !v.Changed() {
		return fs, nil
	}
	// A finding of the text whose edge falls in a bare formatting tag
	// the view removed ("b>Orsolya", a tag glued to a word for a
	// tokenizer) covers the value, not half the tag (textform.Trim).
	kept := fs[:0]
	for _, f := range fs {
		if f.Start, f.End = v.Trim(text, f.Start, f.End); f.Start < f.End {
			kept = append(kept, f)
		}
	}
	fs = kept
	vf, err := c.passes(ctx, v.Text)
	if err != nil {
		return nil, err
	}
	for _, f := range vf {
		if f.Start, f.End = v.Span(f.Start, f.End); f.Start < f.End {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

// passes runs the detectors, then the refiners, over text.
// The passes share what they compute of text (WithShared): its words
// are split once.
func (c *Chain) passes(ctx context.Context, text string) ([]Finding, error) {
	ctx = WithShared(ctx, text)
	fs, err := Multi(c.detectors).Detect(ctx, text)
	if err != nil {
		return nil, err
	}
	return c.refine(ctx, text, fs)
}

// refine runs the refiners over the detectors' findings fs.
func (c *Chain) refine(ctx context.Context, text string, fs []Finding) ([]Finding, error) {
	var err error
	for _, r := range c.refiners {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if fs, err = r.Refine(ctx, text, fs); err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name(), err)
		}
	}
	return fs, nil
}
