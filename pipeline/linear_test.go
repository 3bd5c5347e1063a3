package pipeline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
)

// Complexity tests (issue 14): every stage is linear (or n·log n) in its
// input. Each test builds an input of size n and one of size 8n shaped to
// stress the stage (one long line, many findings, many distinct names,
// deep nesting, many parts) and checks with internal/complexity that the
// CPU time grows at most complexity.Ratio times (interleaved
// measurements, the least of each, tried again on a burst of load). The
// sizes keep each test to a second or two. These tests run in CI and
// under -short: a quadratic stage is a bug whatever the mode.

// assertLinear is complexity.Assert.
func assertLinear[T any](t *testing.T, n int, build func(n int) T, stage func(T)) {
	t.Helper()
	complexity.Assert(t, n, build, stage)
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
