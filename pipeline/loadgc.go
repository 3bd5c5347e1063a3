package pipeline

import (
	"runtime/debug"
	"sync"
)

// loadGCPercent is the collector's target (GOGC) while an engine is built
// and while a run's tables and models load. Everything they allocate
// stays live, so a collection then marks the growing tables only to free
// nothing: at the default target a one-file run collected eight to ten
// times before its first file was done (heaps of 4, 8, 16, 32, 64 MB).
// At 800 it collects four to six times, most of them small; the run's
// peak resident memory grows by 0 to 4 MB (one-file runs, three profiles).
const loadGCPercent = 800

// gcRaise raises a collector's target while loads are in progress.
type gcRaise struct {
	mu      sync.Mutex
	set     func(int) int // sets the target, returns the previous one
	loading int           // loads in progress
	saved   int           // the target before the first of them
}

var loadGC = gcRaise{set: debug.SetGCPercent}

// lessGCForLoading raises the process's collector target to
// loadGCPercent until the returned function is called (when the loads
// are done; later calls do nothing), which sets it back to what it was.
// The output of a run does not depend on the target.
func lessGCForLoading() (done func()) { return loadGC.raise(loadGCPercent) }

// raise sets the target to to, unless it is higher or off (negative),
// until the returned function is called. Loads that overlap (several
// engines) share one raise: the last to finish restores the target.
func (g *gcRaise) raise(to int) (done func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.loading == 0 {
		g.saved = g.set(to)
		if g.saved < 0 || g.saved >= to {
			g.set(g.saved)
		}
	}
	g.loading++
	return sync.OnceFunc(func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.loading--; g.loading == 0 {
			g.set(g.saved)
		}
	})
}
