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

// loadMemoryLimit bounds the heap while the target is raised: files are
// read and parsed while the tables still load, and at 800 a large file
// read then could grow the heap to nine times what is live before a
// collection. With this soft limit (or a lower one the environment set,
// GOMEMLIMIT) the collector runs as the heap nears it instead, so the
// raise never lifts the peak above it.
const loadMemoryLimit = 256 << 20

// gcRaise raises a collector's target while loads are in progress.
type gcRaise struct {
	mu         sync.Mutex
	set        func(int) int     // sets the target, returns the previous one
	limit      func(int64) int64 // sets the memory limit (negative: unchanged), returns the previous one
	loading    int               // loads in progress
	saved      int               // the target before the first of them
	savedLimit int64             // the memory limit before the first of them
}

var loadGC = gcRaise{set: debug.SetGCPercent, limit: debug.SetMemoryLimit}

// lessGCForLoading raises the process's collector target to
// loadGCPercent until the returned function is called (when the loads
// are done; later calls do nothing), which sets it back to what it was.
// The output of a run does not depend on the target.
func lessGCForLoading() (done func()) { return loadGC.raise(loadGCPercent) }

// raise sets the target to to, unless it is higher or off (negative),
// and the memory limit to loadMemoryLimit unless it is lower, until the
// returned function is called. Loads that overlap (several engines)
// share one raise: the last to finish restores both, each only if it
// still holds the value raise set (a target or limit somebody else set
// meanwhile is theirs to restore).
func (g *gcRaise) raise(to int) (done func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.loading == 0 {
		g.saved = g.set(to)
		if g.saved < 0 || g.saved >= to {
			g.set(g.saved)
		}
		g.savedLimit = g.limit(-1)
		g.limit(min(g.savedLimit, loadMemoryLimit))
	}
	g.loading++
	return sync.OnceFunc(func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.loading--; g.loading != 0 {
			return
		}
		if g.saved >= 0 && g.saved < to {
			if now := g.set(g.saved); now != to {
				g.set(now)
			}
		}
		if now := g.limit(g.savedLimit); now != min(g.savedLimit, loadMemoryLimit) {
			g.limit(now)
		}
	})
}
