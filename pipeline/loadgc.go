package pipeline

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// loadGCPercent is the collector's target (GOGC) while an engine is built
// and while a run's tables and models load. Everything they allocate
// stays live, so a collection then marks the growing tables only to free
// nothing: at the default target a one-file run collected eight to ten
// times before its first file was done (heaps of 4, 8, 16, 32, 64 MB).
// At 800 it collected four to six times, most of them small, one of them
// marking 50–60 MB of tables near the end of supervision's loads (9 × a
// 5–7 MB mark is less than they allocate). At 2000 a one-file run
// collects only in package initialisation (three or four times, at 4–10
// MB), and its peak resident memory stays as at 800 (117, 109, 92 MiB
// against 119, 112, 96 for supervision, court, research): what the loads
// allocate stays live, and loadMemoryLimit bounds the rest.
const loadGCPercent = 2000

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
	heap       func() (marked, now uint64)
	afterGC    func(func()) // calls fn once, after the next collection ends
	loading    int          // loads in progress
	saved      int          // the target before the first of them
	savedLimit int64        // the memory limit before the first of them
	interim    int          // the target set when the loads ended, until the next collection; 0: none
	gen        int          // counts the ends of loads, so that an old interim's restore does nothing
}

var loadGC = gcRaise{set: debug.SetGCPercent, limit: debug.SetMemoryLimit, heap: heapSizes, afterGC: afterNextGC}

// heapSizes returns the heap the last collection marked and the heap's
// objects now (live or not yet swept), from runtime/metrics (no
// stop-the-world).
func heapSizes() (marked, now uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0, 0
	}
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// afterNextGC calls fn after a collection has found an object
// unreachable that is made here (the next collection, or the one after).
func afterNextGC(fn func()) {
	sentinel := new([16]byte) // large enough not to share a tiny block
	runtime.SetFinalizer(sentinel, func(*[16]byte) { fn() })
}

// interimTarget is the target under which the next collection comes when
// the heap has grown by saved percent over now, as it would had a
// collection just marked now: the target computed from an older, smaller
// mark would start one at once, marking the tables just loaded only to
// free nothing (in a one-file run, about a tenth of its CPU). 0 when
// saved should simply be set back.
func interimTarget(saved int, marked, now uint64) int {
	if saved <= 0 || marked == 0 || now <= marked {
		return 0
	}
	goal := float64(now) * (1 + float64(saved)/100)
	p := (goal/float64(marked) - 1) * 100
	if p <= float64(saved) {
		return 0
	}
	return int(min(p, 1e6))
}

// lessGCForLoading raises the process's collector target to
// loadGCPercent until the returned function is called (when the loads
// are done; later calls do nothing), which sets it back to what it was.
// The output of a run does not depend on the target.
func lessGCForLoading() (done func()) { return loadGC.raise(loadGCPercent) }

// restore sets the target back to what it was before the loads whose end
// was gen, once the collection after their end is over, unless loads
// started again since or somebody else set the target meanwhile.
func (g *gcRaise) restore(gen int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.loading != 0 || g.interim == 0 || gen != g.gen {
		return
	}
	if now := g.set(g.saved); now != g.interim {
		g.set(now)
	}
	g.interim = 0
}

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
		prev := g.set(to)
		if g.interim != 0 && prev == g.interim {
			prev = g.saved // the loads before ended, the target is not yet back
		}
		g.interim = 0
		g.saved = prev
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
			back := g.saved
			var marked, now uint64
			if g.heap != nil && g.afterGC != nil {
				marked, now = g.heap()
			}
			if p := interimTarget(g.saved, marked, now); p != 0 {
				back = p
			}
			if now := g.set(back); now != to {
				g.set(now)
			} else if back != g.saved {
				g.gen++
				g.interim = back
				gen := g.gen
				g.afterGC(func() { g.restore(gen) })
			}
		}
		if now := g.limit(g.savedLimit); now != min(g.savedLimit, loadMemoryLimit) {
			g.limit(now)
		}
	})
}
