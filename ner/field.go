package ner

import (
	"context"
	"fmt"
)

// FieldDetector is a Detector that can read a text as the value of a
// labelled field: the header of the table column it sits in, or the label
// of the form field it fills ("SSN", "Date of birth", "Bank / Account
// No."). Formats know that layout (redactors.Part.Field); detectors stay
// format-blind and get the label as plain text.
//
// DetectField has the contract of Detect over text, and may use field as
// context: a value that Detect alone would not take (nine digits with no
// keyword beside them) is an identifier when its label names one. Offsets
// are in text; field is never part of a finding. A field of only spaces
// is no field.
type FieldDetector interface {
	Detector
	DetectField(ctx context.Context, field, text string) ([]Finding, error)
}

// DetectField runs d over text as the value of field: through
// FieldDetector when d has it, Detect otherwise.
func DetectField(ctx context.Context, d Detector, field, text string) ([]Finding, error) {
	if fd, ok := d.(FieldDetector); ok && field != "" {
		return fd.DetectField(ctx, field, text)
	}
	return d.Detect(ctx, text)
}

var (
	_ FieldDetector = Multi(nil)
	_ FieldDetector = (*Chain)(nil)
)

// DetectField implements FieldDetector: each detector gets the field.
func (m Multi) DetectField(ctx context.Context, field, text string) ([]Finding, error) {
	var all []Finding
	for _, d := range m {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fs, err := DetectField(ctx, d, field, text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name(), err)
		}
		all = append(all, fs...)
	}
	return all, nil
}

// DetectField implements FieldDetector: the detectors get the field, the
// refiners read their findings as in Detect.
func (c *Chain) DetectField(ctx context.Context, field, text string) ([]Finding, error) {
	fs, err := Multi(c.detectors).DetectField(ctx, field, text)
	if err != nil {
		return nil, err
	}
	return c.refine(ctx, text, fs)
}
