package pipeline

import "github.com/veilhq/veil/profiles"

// What a resumed run restores so that it writes what an uninterrupted run
// would have written. Plan leaves three things behind:
//
//   - the case (aliases, links, roles, pseudonyms): restored from a
//     snapshot; Plan's calls on a case are idempotent, so a snapshot taken
//     after more Plans than were finished is as good as an exact one;
//   - the redacted output keys handed out: reserved again from the records
//     of finished files (ReserveKey), exactly, since a key handed out to a
//     file that is redone must be handed out to it again;
//   - the Bates counter: restored exactly from the PlanMark of the last
//     finished file.

// PlanMark is the counter state Plan leaves after one document.
type PlanMark struct {
	// BatesNext is the next Bates number (0 without Bates numbering).
	BatesNext int `json:"bates_next,omitempty"`
}

// Case returns the case table the engine links names in now.
func (e *Engine) Case() *profiles.Case {
	_, c := e.CurrentCase()
	return c
}

// CurrentCase returns the case table the engine links names in now and
// the key of its case (RunConfig.CaseBy; "" for the whole run), for a
// snapshot in a resumable run's state. It is safe to call while a run
// plans.
func (e *Engine) CurrentCase() (key string, c *profiles.Case) {
	p := e.planner
	p.caseMu.Lock()
	defer p.caseMu.Unlock()
	return p.caseKey, p.cases
}

// SetCase replaces the engine's case table (with a resumed run's). Call it
// before the first Plan.
func (e *Engine) SetCase(c *profiles.Case) {
	if c != nil {
		e.planner.useCase("", c)
	}
}

// useCase makes c, the table of case key, the one the planner links
// names in; the plan goroutine calls it before the first file of each
// case. The file names the old table redacted stay counted (Renamed).
func (p *planner) useCase(key string, c *profiles.Case) {
	p.caseMu.Lock()
	defer p.caseMu.Unlock()
	if p.cases == c {
		return
	}
	if p.cases != nil && c != nil && key != p.caseKey {
		p.renamedBefore += p.cases.Renamed()
	}
	p.cases, p.caseKey = c, key
}

// Renamed returns how many file names the engine redacted, in every case
// of the run.
func (e *Engine) Renamed() int {
	p := e.planner
	p.caseMu.Lock()
	defer p.caseMu.Unlock()
	return p.renamedBefore + p.cases.Renamed()
}

// Numbering reports whether the engine numbers pages (Bates), which a run
// split in shards cannot do: numbers follow the keys of the whole source.
func (e *Engine) Numbering() bool { return e.planner.bates != nil }

// mark returns the counter state after the last plan.
func (p *planner) mark() PlanMark {
	if p.bates == nil {
		return PlanMark{}
	}
	p.bates.mu.Lock()
	defer p.bates.mu.Unlock()
	return PlanMark{BatesNext: p.bates.next}
}

// RestoreMark sets the counters to m, the mark of the last document an
// earlier attempt finished. Call it before the first Plan.
func (e *Engine) RestoreMark(m PlanMark) {
	if b := e.planner.bates; b != nil && m.BatesNext > 0 {
		b.mu.Lock()
		b.next = m.BatesNext
		b.mu.Unlock()
	}
}
