package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors"
)

// A stage cut short at its budget's deadline is too_slow, whatever time
// it measured: on a busy machine the goroutine can be held between the
// deadline being set and the stage's clock starting, so a stage stopped
// by its deadline measures under its budget, and the error it returned
// when cut (an error without a reason: internal_error) must not stand.
// The clock is made to lie here by spending less than the time that
// passed; both kinds of budget are tried (with and without OCR pages
// adding to it).
func TestStageOverBudgetIsTooSlow(t *testing.T) {
	for _, per := range []time.Duration{0, time.Hour} {
		const budget = 20 * time.Millisecond
		st := stage{d: &Doc{}, budget: budget, left: budget, grown: &growth{per: per}}
		fctx, cancel := st.within(context.Background())
		<-fctx.Done() // the stage is cut at its deadline
		st.d.err = errors.New("a detector cut short")
		cancel()
		st.spend(budget/2, context.Background()) // measured from later
		if !errors.Is(st.d.err, redactors.ErrTooSlow) {
			t.Errorf("OCR page budget %v: a stage cut at its deadline ends with %v, want too_slow", per, st.d.err)
		}
	}
	// A stage that ends within its budget is not too_slow.
	st := stage{d: &Doc{}, budget: time.Hour, left: time.Hour, grown: &growth{}}
	_, cancel := st.within(context.Background())
	cancel()
	st.spend(time.Millisecond, context.Background())
	if st.d.err != nil {
		t.Errorf("a stage within its budget ends with %v", st.d.err)
	}
}
