// Package complexity checks in tests that a stage's cost grows linearly
// with its input (issue 14): the stage runs on an input of size n and one
// of size 8n, and its cost may grow at most Ratio times, 8 for linear work
// with room for n·log n and for noise, far below the 64 of quadratic work.
//
// A shared 2-core machine is noisy, and noise only ever adds cost, so a
// measurement is made robust by taking the least of several, never by
// widening the bound:
//   - cost is the CPU time of the process (user + system), which does not
//     grow when other processes take the cores, as wall time does;
//   - the small and the large input are measured in turn (interleaved), so
//     that a burst of load hits both sizes alike, and each size keeps the
//     least cost of Rounds measurements;
//   - when the ratio is over the bound, the whole measurement is tried again,
//     up to Tries times. A quadratic stage measures about 64 every time and
//     still fails; a linear one that met a burst of load passes on a retry;
//   - the garbage collector is held off while a measurement runs (it runs
//     before each one instead). A collection's cost is that of the whole
//     live heap, the word lists and models loaded by the test included, not
//     of the stage's garbage: one collection falling in a measurement of
//     the large input and none in the small one's gave ratios of 40-65 for
//     a stage that is linear to 2 MiB (ner/contact in CI). Allocation
//     itself is still measured, since it costs in proportion to the bytes.
package complexity

import (
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
	"time"
)

const (
	// Ratio is the largest cost(8n)/cost(n) accepted.
	Ratio = 8 * 2.5
	// Rounds is how many interleaved measurements of each size a try takes.
	Rounds = 3
	// Tries is how many times a measurement over the bound is tried again.
	Tries = 3
	// MinCost is the least CPU time a measurement should take to be
	// compared: below it, clock ticks and collections are most of it. A
	// stage quicker than this on the small input is called several times
	// per measurement (8 times fewer on the large one).
	MinCost = 8 * time.Millisecond
	// MaxReps bounds the calls per measurement of the small input.
	MaxReps = 4096
	// heapRoom is how far the heap may grow during a measurement before the
	// collector runs anyway (a memory limit, so a stage that allocates a lot
	// cannot exhaust the machine).
	heapRoom = 1 << 30
)

// CPUTime returns the user and system CPU time of the process so far.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cost returns the CPU time of reps calls of run, per call.
func cost(reps int, run func()) time.Duration {
	runtime.GC()
	t0 := CPUTime()
	for k := 0; k < reps; k++ {
		run()
	}
	return (CPUTime() - t0) / time.Duration(reps)
}

// Assert measures stage on inputs of size n and 8n (built outside the
// measurement) and fails the test when the cost grows more than Ratio
// times on every try. Inputs stay small enough that memory and caches
// behave alike at both sizes; the measurement takes a second or two.
func Assert[T any](t testing.TB, n int, build func(n int) T, stage func(T)) {
	t.Helper()
	small, large := build(n), build(8*n)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(ms.HeapAlloc) + heapRoom))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	stage(small) // warm up: lazy tables, the model
	reps := 1
	for c := cost(1, func() { stage(small) }); c*time.Duration(reps) < MinCost && reps < MaxReps; {
		reps *= 2
	}
	runSmall := func() { stage(small) }
	runLarge := func() { stage(large) }
	var ratio float64
	var cs, cl time.Duration
	for try := 1; try <= Tries; try++ {
		cs, cl = time.Duration(1<<62), time.Duration(1<<62)
		for r := 0; r < Rounds; r++ {
			cs = min(cs, cost(reps, runSmall))
			cl = min(cl, cost(max(1, reps/8), runLarge))
		}
		ratio = float64(cl) / float64(max(cs, time.Microsecond))
		t.Logf("try %d: n=%d: %v, 8n: %v (%d calls per measurement), ratio %.1f (bound %.0f)", try, n, cs, cl, reps, ratio, Ratio)
		if ratio <= Ratio {
			return
		}
	}
	t.Errorf("cost grows %.1f times for 8 times the input (n=%d: %v, 8n: %v; least of %d interleaved measurements, %d tries): super-linear",
		ratio, n, cs, cl, Rounds, Tries)
}
