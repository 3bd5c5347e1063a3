package pipeline

import (
	"sort"
	"strings"
	"unicode"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/redactors"
)

// The column refiner: a column of a table whose non-empty cells mostly
// hold one entity makes the rest of the column suspect. After detection
// and before propagation (which then spreads what it found to the rest of
// the document), for each column (the cells of one Cell.Table and
// Cell.Col, its header cell left out):
//
//   - a cell holds an entity when findings of it cover at least half of
//     its characters (white space aside);
//   - when at least majorityMin cells, and at least majorityShare of the
//     column's non-empty cells, hold one entity E, every other cell gets a
//     second look: the findings of E the detectors made in it with a score
//     of at least half the profile's threshold are taken; and a cell with
//     none whose text has the shape of a cell that E covers whole (letters
//     as runs of "A" or "a", digits one by one, other characters as they
//     are: "Ysolde Parrish" and "Odile Fenwick" are "A A", "219-55-4410"
//     is "999-99-9999") is taken whole as E (rule column/majority);
//   - a cell that holds E without E covering it whole, and has such a
//     shape, is taken whole too ("Orsolya Brenneke" where only the surname
//     was found, in a column of whole names);
//   - a cell of two or more words written in one case ("odile fenwick",
//     "ODILE FENWICK") matches the shape of whole values in any case:
//     exports lower or upper case whole columns, or a clerk's row.
//
// It is deterministic (it reads the findings, not their order) and cheap:
// one pass over the cells. A cell decided by a profile's columns: rule is
// not looked at again (columnDecides runs after it).

const (
	// majorityShare is the share of a column's non-empty cells that must
	// hold one entity.
	majorityShare = 0.6
	// majorityMin is the fewest cells that must hold it: two names in a
	// column of three make no pattern.
	majorityMin = 3
	// majorityRule is the rule id of a cell taken whole by its shape.
	majorityRule = "column/majority"
)

// refineColumns runs the column refiner over d. raw are the unfiltered
// findings of the detectors per part (nil for parts that are not cells).
func (ff *findingFilter) refineColumns(d *Doc, raw [][]ner.Finding) {
	type key struct{ table, col int }
	cols := map[key][]int{}
	for i, p := range d.parts {
		if p.Cell.Table == 0 || strings.TrimSpace(p.Text) == "" {
			continue
		}
		if _, decided := ff.columnFindings(p); decided {
			continue
		}
		k := key{p.Cell.Table, p.Cell.Col}
		cols[k] = append(cols[k], i)
	}
	keys := make([]key, 0, len(cols))
	for k := range cols {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].table != keys[b].table {
			return keys[a].table < keys[b].table
		}
		return keys[a].col < keys[b].col
	})
	for _, k := range keys {
		ff.refineColumn(d, raw, withoutHeader(d.parts, cols[k]))
	}
}

// withoutHeader drops the header cell of a column: a cell without a Field
// whose text is the Field of the column's other cells.
func withoutHeader(parts []redactors.Part, cells []int) []int {
	header := ""
	for _, i := range cells {
		if parts[i].Field != "" {
			header = strings.TrimSpace(parts[i].Field)
			break
		}
	}
	if header == "" {
		return cells
	}
	out := cells[:0:0]
	for _, i := range cells {
		if parts[i].Field == "" && strings.TrimSpace(parts[i].Text) == header {
			continue
		}
		out = append(out, i)
	}
	return out
}

func (ff *findingFilter) refineColumn(d *Doc, raw [][]ner.Finding, cells []int) {
	if len(cells) < majorityMin {
		return
	}
	holders := map[ner.Entity]int{}
	holds := make([]ner.Entity, len(cells)) // "" when the cell holds none
	for k, i := range cells {
		if e := heldEntity(d.parts[i].Text, d.found[i]); e != "" {
			holds[k] = e
			holders[e]++
		}
	}
	var major ner.Entity
	for e, n := range holders {
		m := holders[major]
		if major == "" || n > m || n == m && (e.Priority() > major.Priority() || e.Priority() == major.Priority() && e < major) {
			major = e
		}
	}
	n := holders[major]
	if major == "" || n < majorityMin || float64(n) < majorityShare*float64(len(cells)) {
		return
	}
	// The shapes of the cells the entity covers whole.
	shapes := shapeSet{}
	for k, i := range cells {
		if holds[k] != major {
			continue
		}
		text := d.parts[i].Text
		if s, e := trimSpan(text); coversWhole(d.found[i], major, s, e) {
			shapes.add(text[s:e])
		}
	}
	low := ff.profile.Threshold / 2
	for k, i := range cells {
		text := d.parts[i].Text
		if holds[k] == major {
			// held, but maybe not whole: a cell of the shape of whole
			// values is whole.
			if s, e := trimSpan(text); !coversWhole(d.found[i], major, s, e) && shapes.has(text[s:e]) && !ff.allowed(text[s:e]) {
				d.found[i] = ner.Resolve(append(d.found[i], ner.Finding{Start: s, End: e, Entity: major, Score: ff.profile.Threshold, Rule: majorityRule}))
			}
			continue
		}
		var add []ner.Finding
		for _, f := range raw[i] {
			if f.Entity == major && f.Score >= low && !ff.allowed(text[f.Start:f.End]) {
				add = append(add, f)
			}
		}
		if len(add) == 0 {
			s, e := trimSpan(text)
			if s < e && shapes.has(text[s:e]) && !ff.allowed(text[s:e]) {
				add = append(add, ner.Finding{Start: s, End: e, Entity: major, Score: ff.profile.Threshold, Rule: majorityRule})
			}
		}
		if len(add) > 0 {
			d.found[i] = ner.Resolve(append(d.found[i], add...))
		}
	}
}

// coversWhole reports whether a finding of e covers [s, e).
func coversWhole(fs []ner.Finding, ent ner.Entity, s, e int) bool {
	for _, f := range fs {
		if f.Entity == ent && f.Start <= s && f.End >= e {
			return true
		}
	}
	return false
}

// allowed reports whether a value is on the allow list.
func (ff *findingFilter) allowed(value string) bool {
	return len(ff.allow) > 0 && ff.allow[strings.Join(ner.Fold(value), " ")]
}

// heldEntity returns the entity whose findings cover at least half of the
// characters of text that are not white space, or "".
func heldEntity(text string, fs []ner.Finding) ner.Entity {
	total := 0
	for _, r := range text {
		if !unicode.IsSpace(r) {
			total++
		}
	}
	if total == 0 {
		return ""
	}
	covered := map[ner.Entity]int{}
	for _, f := range fs {
		for _, r := range text[f.Start:f.End] {
			if !unicode.IsSpace(r) {
				covered[f.Entity]++
			}
		}
	}
	var best ner.Entity
	for e, n := range covered {
		if 2*n >= total && (best == "" || n > covered[best] || n == covered[best] && e < best) {
			best = e
		}
	}
	return best
}

// shape writes text as its shape: a run of letters as "A" (capitalised)
// or "a", each digit as "9", a run of white space as one space, anything
// else as itself.
func shape(text string) string {
	var b strings.Builder
	inLetters, inSpace := false, false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			if !inLetters {
				if unicode.IsUpper(r) {
					b.WriteByte('A')
				} else {
					b.WriteByte('a')
				}
			}
			inLetters, inSpace = true, false
		case unicode.IsDigit(r):
			b.WriteByte('9')
			inLetters, inSpace = false, false
		case unicode.IsSpace(r):
			if !inSpace {
				b.WriteByte(' ')
			}
			inLetters, inSpace = false, true
		default:
			b.WriteRune(r)
			inLetters, inSpace = false, false
		}
	}
	return b.String()
}

// shapeSet holds the shapes of a column's whole values, as written and
// with the case of their letters folded.
type shapeSet map[string]bool

func (ss shapeSet) add(value string) {
	s := shape(value)
	ss[s] = true
	ss["\x00"+strings.ToUpper(s)] = true
}

// has reports whether value has one of the shapes: as written, or, for a
// value of two or more words all in one case, with case folded.
func (ss shapeSet) has(value string) bool {
	s := shape(value)
	if ss[s] {
		return true
	}
	return len(strings.Fields(s)) >= 2 && oneCase(value) && ss["\x00"+strings.ToUpper(s)]
}

// oneCase reports whether the letters of s are all lower or all upper case.
func oneCase(s string) bool {
	return s == strings.ToLower(s) || s == strings.ToUpper(s)
}
