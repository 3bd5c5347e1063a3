package pdf

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// A file whose time ran out says so (too_slow), not "internal error": the
// context's error is passed up without a reason by the pages' loop.
func TestDeadlineIsTooSlow(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := New(Options{}).ParseContext(ctx, pdftest.OnePage("Orsolya Quillanby signed the lease."))
	if !errors.Is(err, redactors.ErrTooSlow) {
		t.Fatalf("ParseContext past its deadline: %v, want ErrTooSlow", err)
	}
	// A cancelled run is not the file's fate: no reason is made up.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = New(Options{}).ParseContext(ctx, pdftest.OnePage("Orsolya Quillanby signed the lease."))
	if err == nil || errors.Is(err, redactors.ErrTooSlow) {
		t.Fatalf("ParseContext cancelled: %v, want the cancellation", err)
	}
}

// A panic in Veil's code is an internal error that names the runtime's
// cause and the place, never the panic's value (it may hold document
// bytes).
func TestCatchNamesTheCause(t *testing.T) {
	run := func(f func()) (err error) {
		stage := "verify"
		defer catch(&err, &stage)
		f()
		return nil
	}
	var none []int
	i := 3
	err := run(func() { _ = none[i] })
	if !errors.Is(err, redactors.ErrInternal) || !strings.Contains(err.Error(), "index out of range [3] with length 0") ||
		!strings.Contains(err.Error(), "reasons_test.go:") {
		t.Errorf("index panic: %v", err)
	}
	err = run(func() { panic(fmt.Sprintf("a value of the document: %s", "Tamsin Everard")) })
	if !errors.Is(err, redactors.ErrInternal) || strings.Contains(err.Error(), "Everard") || !strings.Contains(err.Error(), "a panic") {
		t.Errorf("value panic: %v", err)
	}
	// While pdfcpu reads, a panic is a damaged file.
	err = func() (err error) {
		stage := "read"
		defer catch(&err, &stage)
		var m map[string]int
		m["x"] = 1
		return nil
	}()
	if !errors.Is(err, redactors.ErrCorrupt) {
		t.Errorf("read panic: %v", err)
	}
}
