package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// A reading of an output that fails says why: the format's error (which
// names the part and the cause, never a value) under ErrVerify; a
// reading out of time stays too_slow; an error without a reason is not
// reported as "internal error" alone.
func TestReadFailureSaysWhy(t *testing.T) {
	cause := fmt.Errorf("pdf: verify images: image object 12: ocr: tesseract: exit status 1: %w", redactors.ErrUninspectable)
	err := readFailure("the OCR reading of the output's images fails", cause)
	if !errors.Is(err, redactors.ErrVerify) || !strings.Contains(err.Error(), "image object 12") || !strings.Contains(err.Error(), "exit status 1") {
		t.Errorf("reasoned: %v", err)
	}
	slow := fmt.Errorf("images: verify: ocr: timeout (20s): %w", redactors.ErrTooSlow)
	if err := readFailure("the OCR reading of the output's images fails", slow); !errors.Is(err, redactors.ErrTooSlow) || errors.Is(err, redactors.ErrVerify) {
		t.Errorf("slow: %v", err)
	}
	bare := fmt.Errorf("pdf: page 3: %w", context.DeadlineExceeded)
	err = readFailure("output does not parse again", bare)
	if !errors.Is(err, redactors.ErrVerify) || !strings.Contains(err.Error(), "page 3: context deadline exceeded") {
		t.Errorf("bare: %v", err)
	}
}
