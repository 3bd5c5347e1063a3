package ner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
)

// dropRule is a refiner that drops the findings of one rule.
type dropRule string

func (d dropRule) Name() string { return "drop-" + string(d) }
func (d dropRule) Refine(ctx context.Context, text string, found []Finding) ([]Finding, error) {
	var out []Finding
	for _, f := range found {
		if f.Rule != string(d) {
			out = append(out, f)
		}
	}
	return out, ctx.Err()
}

// seen is a refiner that records the rules of the findings it is given
// and adds one finding over the first word.
type seen struct{ rules *[]string }

func (seen) Name() string { return "seen" }
func (s seen) Refine(ctx context.Context, text string, found []Finding) ([]Finding, error) {
	for _, f := range found {
		*s.rules = append(*s.rules, f.Rule)
	}
	w := Words(text)[0]
	return append(found[:len(found):len(found)], Finding{Start: w.Start, End: w.End, Entity: Other, Score: 0.5, Rule: "seen"}), ctx.Err()
}

type failing struct{}

func (failing) Name() string { return "failing" }
func (failing) Refine(context.Context, string, []Finding) ([]Finding, error) {
	return nil, errors.New("model gone")
}

func TestChain(t *testing.T) {
	text := "Odile Brannigan met Jamie Doe about Project Falcon."
	minors := NewTermsAs([]string{"Jamie Doe"}, Person, "minors-list")
	deny := NewTerms([]string{"Project Falcon", "Brannigan"})
	var got []string
	c := NewChain("text", []Detector{minors, deny}, dropRule(DenyListRule), seen{&got})
	fs, err := c.Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	// Detectors run in order; each refiner reads what the passes before it
	// left (the deny-list findings were dropped before seen ran).
	if want := []string{"minors-list"}; !slices.Equal(got, want) {
		t.Errorf("second refiner saw %q, want %q", got, want)
	}
	var out []string
	for _, f := range fs {
		out = append(out, text[f.Start:f.End]+" "+f.Rule)
	}
	if want := []string{"Jamie Doe minors-list", "Odile seen"}; !slices.Equal(out, want) {
		t.Errorf("chain found %q, want %q", out, want)
	}
	if n := len(c.Detectors()); n != 2 || len(c.Refiners()) != 2 || c.Name() != "text" {
		t.Errorf("chain holds %d detectors, %d refiners, name %q", n, len(c.Refiners()), c.Name())
	}
	// A chain is a Detector: a chain inside a chain is the same detection.
	outer := NewChain("outer", []Detector{c})
	fs2, err := outer.Detect(context.Background(), text)
	if err != nil || fmt.Sprint(fs2) != fmt.Sprint(fs) {
		t.Errorf("nested chain: %v %v, want %v", fs2, err, fs)
	}
	// Without refiners a chain is its detectors' findings, concatenated.
	bare, err := NewChain("bare", []Detector{minors, deny}).Detect(context.Background(), text)
	want, _ := Multi{minors, deny}.Detect(context.Background(), text)
	if err != nil || fmt.Sprint(bare) != fmt.Sprint(want) {
		t.Errorf("chain without refiners: %v, want %v", bare, want)
	}
}

func TestChainErrors(t *testing.T) {
	deny := NewTerms([]string{"Falcon"})
	_, err := NewChain("text", []Detector{deny}, failing{}).Detect(context.Background(), "Falcon")
	if err == nil || err.Error() != "failing: model gone" {
		t.Errorf("refiner error: %v, want it named after the pass", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var got []string
	_, err = NewChain("text", []Detector{deny}, seen{&got}).Detect(ctx, "Falcon")
	if !errors.Is(err, context.Canceled) || len(got) != 0 {
		t.Errorf("cancelled: %v, refiner ran on %q", err, got)
	}
}
