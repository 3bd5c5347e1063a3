package names

import (
	"context"

	"github.com/veilhq/veil/ner"
)

// MaxRecallRefiner is the fallback of maximum-recall mode as a pass of a
// detection chain: it adds MaxRecall's findings to those of the passes
// before it, which MaxRecall reads to leave alone what they cover.
type MaxRecallRefiner struct {
	// KeepMeasurements is Judgement.KeepMeasurements.
	KeepMeasurements bool
}

var _ ner.Refiner = MaxRecallRefiner{}

// Name implements ner.Refiner.
func (MaxRecallRefiner) Name() string { return "max-recall" }

// Refine implements ner.Refiner: found plus MaxRecallWith(text, found).
func (r MaxRecallRefiner) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return append(found[:len(found):len(found)], MaxRecallIn(ctx, text, found, Judgement{KeepMeasurements: r.KeepMeasurements})...), nil
}
