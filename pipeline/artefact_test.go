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
