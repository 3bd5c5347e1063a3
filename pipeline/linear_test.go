package pipeline

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Complexity tests (issue 14): every stage is linear (or n·log n) in its
// input. Each test builds an input of size n and one of size 8n shaped to
// stress the stage (one long line, many findings, many distinct names,
// deep nesting, many parts) and checks that the cost grows at most
// linearRatio times: 8 for linear work, with room for n·log n and for
// noise, far below the 64 of quadratic work.
//
// Cost is the CPU time of the process (user + system, cpuTime in
// bench_test.go), the best of
// linearRuns runs: unlike wall time it does not grow when other processes
// take the cores, which on a shared 2-core machine is most of the noise.
// The sizes keep each test to a second or two. These tests run in CI and
// under -short: a quadratic stage is a bug whatever the mode.
const (
	linearRuns  = 3
	linearRatio = 8 * 2.5
)

// bestCost returns the least CPU time of linearRuns runs of reps calls
// of stage, per call.
func bestCost(reps int, run func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for i := 0; i < linearRuns; i++ {
		runtime.GC()
		t0 := cpuTime()
		for k := 0; k < reps; k++ {
			run()
		}
		if d := cpuTime() - t0; d < best {
			best = d
		}
	}
	return best / time.Duration(reps)
}

// minCost is the least CPU time a measurement should take to be compared:
// below it, clock ticks and collections are most of it.
const minCost = 8 * time.Millisecond

// assertLinear measures stage on inputs of size n and 8n (built outside
// the measurement) and fails when the cost grows more than linearRatio
// times. A stage that is quick on the smaller input is called several
// times per measurement (8 times fewer on the larger one), rather than
// given larger inputs: sizes stay where memory and caches behave alike.
func assertLinear[T any](t *testing.T, n int, build func(n int) T, stage func(T)) {
	t.Helper()
	small, large := build(n), build(8*n)
	stage(small) // warm up: lazy tables, the model
	reps := 1
	cs := bestCost(1, func() { stage(small) })
	for cs*time.Duration(reps) < minCost && reps < 256 {
		reps *= 2
	}
	if reps > 1 {
		cs = bestCost(reps, func() { stage(small) })
	}
	cl := bestCost(max(1, reps/8), func() { stage(large) })
	ratio := float64(cl) / float64(max(cs, time.Microsecond))
	t.Logf("n=%d: %v, 8n: %v (%d calls per run), ratio %.1f (bound %.0f)", n, cs, cl, reps, ratio, linearRatio)
	if ratio > linearRatio {
		t.Errorf("cost grows %.1f times for 8 times the input (n=%d: %v, 8n: %v): super-linear", ratio, n, cs, cl)
	}
}

// Hostile text. Every name here is invented: syllables put together.
var syllables = []string{"ka", "lo", "mir", "ten", "vos", "dra", "qui", "zel", "bor", "nak"}

// surname returns a distinct invented surname for each i.
func surname(i int) string {
	var b strings.Builder
	for k := 0; k < 3 || i > 0; k++ {
		b.WriteString(syllables[i%10])
		i /= 10
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// repeatLine repeats the sentences made by sentence(i) up to n bytes, on
// one line.
func repeatLine(n int, sentence func(i int) string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(sentence(i))
	}
	return b.String()
}

// sameNameLine is one line that repeats a sentence with a client's name,
// a phone number and a date: many findings of one person (the review's
// 27 MB file that stalled a batch, smaller).
func sameNameLine(n int) string {
	return repeatLine(n, func(int) string {
		return "Client Maria Sandoval called (503) 555-0147 on March 3, 2024 about her son. "
	})
}

// distinctNamesLine is one line of many distinct people who share a given
// name, with ages and birth years around them (roles, linking, phrases).
func distinctNamesLine(n int) string {
	return repeatLine(n, func(i int) string {
		return fmt.Sprintf("Dr. Maria %s saw the minor Tomas %s, aged 12, born 2011, at %d Elm Street. ", surname(i), surname(i+7), 10+i%90)
	})
}

// noSpaceLine is one "word" of letters, digits and the keywords of the
// pattern rules without any white space, so that nothing a detector snaps
// to white space finds any.
func noSpaceLine(n int) string {
	return repeatLine(n, func(i int) string { return fmt.Sprintf("ab%dcd-%02d/x@age:box_", i%10, i%100) })
}
