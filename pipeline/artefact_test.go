package pipeline

import (
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/redactors"
)

// artefactScan is contextArtefact as a scan over every edit and finding of
// the part: the definition the binary searches implement.
func artefactScan(in *verifyInput, part int, f ner.Finding) bool {
	var edits []redactors.Edit
	for _, ed := range in.edits {
		if ed.Part == part {
			edits = append(edits, ed)
		}
	}
	sort.Slice(edits, func(a, b int) bool { return edits[a].Start < edits[b].Start })
	delta := 0
	for _, ed := range edits {
		os := ed.Start + delta
		oe := os + len(ed.Replacement)
		if f.End <= os {
			break
		}
		if f.Start < oe {
			return false
		}
		delta += len(ed.Replacement) - (ed.End - ed.Start)
	}
	start, end := f.Start-delta, f.End-delta
	if start < 0 || end > len(in.parts[part].Text) {
		return false
	}
	for _, g := range in.found[part] {
		if g.Start < end && start < g.End {
			return false
		}
	}
	return true
}

// TestContextArtefactMatchesScan compares contextArtefact with the scan on
// random parts, edits (longer, shorter and empty replacements) and
// findings.
func TestContextArtefactMatchesScan(t *testing.T) {
	for seed := int64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewSource(seed))
		in := &verifyInput{}
		for part := 0; part < 3; part++ {
			n := 20 + r.Intn(200)
			in.parts = append(in.parts, redactors.Part{Name: "p", Text: strings.Repeat("x", n)})
			var found []ner.Finding
			for at := r.Intn(10); at < n-1; at += 2 + r.Intn(20) {
				end := min(n, at+1+r.Intn(8))
				found = append(found, ner.Finding{Start: at, End: end, Entity: ner.Person})
				if r.Intn(2) == 0 {
					in.edits = append(in.edits, redactors.Edit{Part: part, Start: at, End: end, Replacement: strings.Repeat("r", r.Intn(12))})
				}
				at = end
			}
			in.found = append(in.found, found)
		}
		for part := range in.parts {
			for k := 0; k < 200; k++ {
				s := r.Intn(len(in.parts[part].Text) + 40)
				f := ner.Finding{Start: s, End: s + 1 + r.Intn(10)}
				if got, want := in.contextArtefact(part, f), artefactScan(in, part, f); got != want {
					t.Fatalf("seed %d part %d finding %v: %v, the scan says %v", seed, part, f, got, want)
				}
			}
		}
	}
}

// A finding of maximum recall that spans the blank of a replacement is
// judged piece by piece: pieces apart from the replacement that analysis
// did not flag are artefacts; the rest of a word a replacement cut is not.
func TestPiecesArtefact(t *testing.T) {
	input := "RUGBY - WALES WIN 3-1 .\nQuillanby Hartwell\nCup 99 veteran Johnsonby scored .\n"
	name := strings.Index(input, "Quillanby Hartwell")
	cut := strings.Index(input, "Johnsonby")
	in := &verifyInput{
		parts: []redactors.Part{{Name: "body", Text: input}},
		found: [][]ner.Finding{{
			{Start: name, End: name + len("Quillanby Hartwell"), Entity: ner.Person},
			{Start: cut, End: cut + len("Johnsonby"), Entity: ner.Person}, // the plan cut it short
		}},
		edits: []redactors.Edit{
			{Part: 0, Start: name, End: name + len("Quillanby Hartwell"), Replacement: "[PERSON]"},
			{Part: 0, Start: cut, End: cut + len("Johnson"), Replacement: "[PERSON]"},
		},
	}
	out := redactors.Splice(input, in.edits)
	masked := maskReplacements([]string{"[PERSON]"})(out)
	at := func(from, to string) ner.Finding {
		s := strings.Index(out, from)
		return ner.Finding{Start: s, End: strings.Index(out, to) + len(to), Entity: ner.Other}
	}
	// "1 .\n[blank]\nCup": joined across the blank, nothing of the name
	if f := at("1 .", "Cup"); !in.piecesArtefact(0, f, masked) {
		t.Errorf("%q: a finding across a replacement's blank is a leftover", out[f.Start:f.End])
	}
	// "[blank]by": the end of a name, flagged in the input
	if f := at("veteran", "by scored"); in.piecesArtefact(0, f, masked) {
		t.Errorf("%q: the rest of a cut name is an artefact", out[f.Start:f.End])
	}
	// the same with the name's end not flagged: still a leftover, since
	// it continues the replacement's word
	in.found[0][1].End = cut + len("Johnson")
	if f := at("veteran", "by scored"); in.piecesArtefact(0, f, masked) {
		t.Errorf("%q: a word continuing a replacement is an artefact", out[f.Start:f.End])
	}
}
