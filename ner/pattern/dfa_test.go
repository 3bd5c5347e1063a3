package pattern

import (
	"fmt"
	"math/rand/v2"
	"regexp/syntax"
	"testing"
	"time"
)

// checkDFA compares viable through each program's dfa with the
// simulation, at every offset of text, for every program of d's rules
// (their expressions and follow conditions).
func checkDFA(t *testing.T, d *Detector, text string) {
	t.Helper()
	var fast, slow simulator
	slow.noDFA = true
	for _, r := range d.Rules() {
		for _, pr := range []*program{r.prog, r.follow} {
			if pr == nil {
				continue
			}
			for p := 0; p <= len(text); p++ {
				if got, want := fast.viable(pr, text, p), slow.viable(pr, text, p); got != want {
					t.Fatalf("rule %s at %d of %q: dfa %v, simulation %v", r.ID(), p, text, got, want)
				}
			}
		}
	}
}

// TestDFAMatchesSimulation checks viable's tables against its simulation
// over the default rules' examples (alone, together, in upper case), and
// over a program whose sets of threads outgrow the table (each a-or-b
// string of ten bytes is a set of its own), where the readings past the
// table's size must fall back to the simulation.
func TestDFAMatchesSimulation(t *testing.T) {
	d := Default()
	each, together := ruleExamples(t, d)
	for _, text := range append(each, together...) {
		checkDFA(t, d, text)
	}

	re, err := syntax.Parse(`[ab]*a[ab]{9}c`, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		t.Fatal(err)
	}
	pr := newProgram(prog)
	if pr.dfa == nil {
		t.Fatal("no dfa")
	}
	var fast, slow simulator
	slow.noDFA = true
	rnd := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 3000; i++ {
		b := make([]byte, 30)
		for j := range b {
			b[j] = "ab"[rnd.IntN(2)]
		}
		if rnd.IntN(2) == 0 {
			b[rnd.IntN(30)] = 'c'
		}
		text := string(b)
		for p := 0; p < len(text); p++ {
			if got, want := fast.viable(pr, text, p), slow.viable(pr, text, p); got != want {
				t.Fatalf("at %d of %q: dfa %v, simulation %v", p, text, got, want)
			}
		}
	}
	pr.dfa.mu.Lock()
	n := len(pr.dfa.pcs)
	pr.dfa.mu.Unlock()
	if n != dfaStates {
		t.Fatalf("the table holds %d states, want it full (%d)", n, dfaStates)
	}
	// Once full, a reading does not take mu: with mu held here, readings
	// that meet transitions not in the table still answer.
	pr.dfa.mu.Lock()
	defer pr.dfa.mu.Unlock()
	done := make(chan string, 1)
	go func() {
		for i := 0; i < 200; i++ {
			b := []byte("??????????????????????c")
			for j := range len(b) - 1 {
				b[j] = "ab"[rnd.IntN(2)]
			}
			text := string(b)
			for p := 0; p < len(text); p++ {
				if got, want := fast.viable(pr, text, p), slow.viable(pr, text, p); got != want {
					done <- fmt.Sprintf("at %d of %q: dfa %v, simulation %v", p, text, got, want)
					return
				}
			}
		}
		done <- ""
	}()
	select {
	case msg := <-done:
		if msg != "" {
			t.Fatal(msg)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a reading of the full table waits for mu")
	}
}

// FuzzDFA checks viable's tables against its simulation on any text.
func FuzzDFA(f *testing.F) {
	f.Add("(617) 555-0143 ZIP 02139-4307 DE123456789 PO Box 17 MRN 48213907")
	f.Add("\xff12/05/2021\xc3 AB 12 34 56 C 1M8GDM9AXKP042788")
	d := Default()
	f.Fuzz(func(t *testing.T, text string) {
		checkDFA(t, d, text)
	})
}
