package pipeline

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

func TestShape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Ysolde Parrish", "A A"},
		{"odile  fenwick", "a a"},
		{"219-55-4410", "999-99-9999"},
		{"O'Hara-Lund", "A'A-A"},
		{"", ""},
	} {
		if got := shape(c.in); got != c.want {
			t.Errorf("shape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	ss := shapeSet{}
	ss.add("Ysolde Parrish")
	for in, want := range map[string]bool{
		"Odile Fenwick": true,
		"odile fenwick": true,  // one case, two words
		"ODILE FENWICK": true,  // one case, two words
		"odile Fenwick": false, // mixed case is another shape
		"unknown":       false,
		"Fenwick":       false,
	} {
		if got := ss.has(in); got != want {
			t.Errorf("has(%q) = %v", in, got)
		}
	}
}

// column builds a document of one table column and its findings.
func column(cells []string, found [][]ner.Finding) *Doc {
	d := &Doc{found: found}
	for r, c := range cells {
		d.parts = append(d.parts, redactors.Part{Name: "cell", Text: c, Field: "H", Cell: redactors.Cell{Table: 1, Row: r + 2, Col: 1}})
	}
	return d
}

// FuzzRefineColumns: whatever the cells and the findings, the refiner
// adds only findings inside their cell, on rune boundaries, of the
// column's majority entity, and never removes one.
func FuzzRefineColumns(f *testing.F) {
	f.Add("Ysolde Parrish\nOdile Fenwick\nOrsolya Brenneke\nwendeline ashgrove\nFine", uint64(0b0111), uint8(3))
	f.Add("219-55-4410\n219-55-4411\n 219-55-4412 \nxx\n\u00e9\u00e9 \u00e9", uint64(0b111), uint8(20))
	p, _ := profiles.Load("supervision")
	ff := newFindingFilter(p, []string{"Odile Fenwick"})
	f.Fuzz(func(t *testing.T, joined string, mask uint64, cut uint8) {
		if !utf8.ValidString(joined) {
			return
		}
		cells := strings.Split(joined, "\n")
		if len(cells) > 64 {
			cells = cells[:64]
		}
		found := make([][]ner.Finding, len(cells))
		raw := make([][]ner.Finding, len(cells))
		for i, c := range cells {
			if mask>>uint(i)&1 == 0 || c == "" {
				continue
			}
			// a finding over the cell, or over its first runes
			end := len(c)
			if n := int(cut) % (utf8.RuneCountInString(c) + 1); n > 0 {
				end = len(string([]rune(c)[:n]))
			}
			if end == 0 {
				continue
			}
			fs := ner.Finding{Start: 0, End: end, Entity: ner.Person, Score: 0.9, Rule: "test"}
			found[i] = []ner.Finding{fs}
			raw[i] = []ner.Finding{fs, {Start: 0, End: end, Entity: ner.Person, Score: 0.3, Rule: "weak"}}
		}
		before := make([]int, len(cells))
		for i := range found {
			before[i] = len(found[i])
		}
		d := column(cells, found)
		ff.refineColumns(d, raw)
		for i, fs := range d.found {
			if len(fs) < before[i] && before[i] > 0 {
				// Resolve may merge overlapping findings into one, never to none.
				if len(fs) == 0 {
					t.Fatalf("cell %d lost its findings", i)
				}
			}
			for _, g := range fs {
				if g.Start < 0 || g.End > len(cells[i]) || g.Start >= g.End {
					t.Fatalf("cell %d: finding [%d,%d) out of %q", i, g.Start, g.End, cells[i])
				}
				if !utf8.ValidString(cells[i][g.Start:g.End]) {
					t.Fatalf("cell %d: finding splits a rune", i)
				}
				if g.Entity != ner.Person {
					t.Fatalf("cell %d: entity %s", i, g.Entity)
				}
				if g.Rule == majorityRule && strings.TrimSpace(cells[i][g.Start:g.End]) == "odile fenwick" {
					t.Fatalf("an allowed value taken")
				}
			}
		}
	})
}
