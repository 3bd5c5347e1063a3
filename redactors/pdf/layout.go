package pdf

import (
	"math"
	"sort"
	"strings"

	"github.com/veilhq/veil/redactors/table"
)

// Layout: the fields of table cells and form values, from geometry. A page
// of a table shows its cells as text at places, and its page text reads
// them one after the other; which column a value stands in is told by
// where it is. The page's upright horizontal text is cut into segments:
// runs of glyphs, consecutive in the content stream, on one baseline, with
// no gap wider than cellGap ems between them (a word space is about a
// quarter of an em; the padding between two cells is more). Segments are
// gathered into lines by baseline, top to bottom.
//
// A line of two or more segments, each a short label (table.IsLabel) and
// no two alike, is a table's header when the lines below it (each within
// rowGap ems of the one above) have their segments within its columns:
// the columns are the header's segments, split halfway between them, and
// a segment belongs to the column its middle is in and must lie within it
// for the most part. Each segment under the header is a cell whose Field
// is its column's header; a segment that continues the one just above it
// in the same column (a line down, and next in the content stream: a
// value that wraps inside its cell) joins it. A line of two segments, a
// label and a short value that is not one ("Date of birth:   March 4,
// 1961"), outside a table, makes the value a cell whose Field is the
// label.
//
// A cell is another reading of the page (readings.go): its text is the
// page text of its glyphs, which are consecutive in the content stream,
// and every other glyph of the page has an empty span before or after it,
// so an edit on the cell removes the cell's glyphs and no other.

const (
	cellGap  = 0.5  // ems between two segments of a line
	rowGap   = 2.4  // ems between two lines of a table, baseline to baseline
	wrapGap  = 1.45 // ems between a line of a cell and the next
	sameLine = 0.3  // ems of difference between baselines of one line
	// minGutter is the narrowest white space between two columns, in ems
	minGutter = 0.15

	// maxHeaderWords bounds a header cell or a label: a sentence heads no
	// column
	maxHeaderWords = 4
	// maxValueWords bounds the value beside a label on its line: a longer
	// text is a sentence (a list item, a reference), not a form's value
	maxValueWords = 6
	// maxCells bounds the cells of a page
	maxCells = 2000
)

// segment is a run of glyphs [i0, i1] on one baseline.
type segment struct {
	i0, i1 int
	x0, x1 float64 // page space, along x
	y      float64 // baseline
	size   float64 // em, page units
	text   string
}

// layoutCell is a cell of the page: glyphs [i0, i1] and their field.
type layoutCell struct {
	i0, i1 int
	field  string
}

// segments cuts the page's upright horizontal glyphs into segments.
func (t *textBuilder) segments(text string) []segment {
	var out []segment
	var cur *segment
	flush := func() {
		if cur != nil {
			cur.text = strings.TrimSpace(text[t.glyphs[cur.i0].start:t.glyphs[cur.i1].end])
			if cur.text != "" {
				out = append(out, *cur)
			}
			cur = nil
		}
	}
	for i := range t.glyphs {
		g := &t.glyphs[i]
		s := text[g.start:g.end]
		blank := strings.TrimSpace(s) == ""
		upright := !g.vert && g.ex[0] > 0 && math.Abs(float64(g.ex[1])) < 1e-3*float64(g.ex[0]) &&
			math.Abs(float64(g.ey[0])) < 1e-3*float64(g.ex[0]) && g.ey[1] > 0 && !g.invisible
		if !upright {
			flush()
			continue
		}
		size := float64(g.ex[0])
		x0, x1, y := float64(g.ox), float64(g.ox)+float64(g.w)*size, float64(g.oy)
		if cur != nil {
			gap := (x0 - cur.x1) / cur.size
			if math.Abs(y-cur.y) > sameLine*cur.size || gap > cellGap || gap < -0.5 || strings.Contains(text[t.glyphs[cur.i1].end:g.start], "\n") {
				flush()
			}
		}
		if blank {
			if cur != nil {
				cur.i1 = i
			}
			continue
		}
		if cur == nil {
			cur = &segment{i0: i, x0: x0, y: y, size: size}
		}
		cur.i1, cur.x1 = i, math.Max(cur.x1, x1)
	}
	flush()
	return out
}

// layoutCells returns the cells the page's layout gives fields to, in
// content order.
func (t *textBuilder) layoutCells(text string) []layoutCell {
	segs := t.segments(text)
	if len(segs) < 2 {
		return nil
	}
	// lines by baseline, top to bottom, segments left to right
	order := make([]int, len(segs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return segs[order[a]].y > segs[order[b]].y })
	var lines [][]int
	for _, k := range order {
		n := len(lines)
		if n > 0 && math.Abs(segs[lines[n-1][0]].y-segs[k].y) <= sameLine*segs[k].size {
			lines[n-1] = append(lines[n-1], k)
			continue
		}
		lines = append(lines, []int{k})
	}
	for _, l := range lines {
		sort.Slice(l, func(a, b int) bool { return segs[l[a]].x0 < segs[l[b]].x0 })
	}
	var cells []layoutCell
	used := make([]bool, len(lines))
	for li := 0; li < len(lines) && len(cells) < maxCells; li++ {
		if n := t.tableAt(text, segs, lines, li, &cells); n > 0 {
			for k := li; k < li+n; k++ {
				used[k] = true
			}
			li += n - 1
		}
	}
	// label and value on one baseline
	for li, l := range lines {
		if used[li] || len(l) != 2 || len(cells) >= maxCells {
			continue
		}
		label, value := segs[l[0]], segs[l[1]]
		if headerWord(label.text) && len(strings.Fields(value.text)) <= maxValueWords &&
			(strings.HasSuffix(label.text, ":") || !table.IsLabel(value.text)) {
			cells = append(cells, layoutCell{value.i0, value.i1, label.text})
		}
	}
	sort.Slice(cells, func(a, b int) bool { return cells[a].i0 < cells[b].i0 })
	// cells never overlap (a segment is in one line, a line in one
	// table or pair); keep it so whatever the geometry
	out := cells[:0]
	for _, c := range cells {
		if c.i0 <= c.i1 && (len(out) == 0 || c.i0 > out[len(out)-1].i1) {
			out = append(out, c)
		}
	}
	return out
}

// headerWord reports whether s can head a column.
func headerWord(s string) bool {
	return table.IsLabel(s) && len(strings.Fields(s)) <= maxHeaderWords
}

// tableAt reads a table whose header is line li; it appends its cells and
// returns the lines it took (0: no table there).
//
// The columns are told apart by gutters: the white space between two
// header segments, narrowed by every word of the lines below that reaches
// into it (from the side its middle is on). A line whose words would
// close a gutter (leave less than minGutter ems), or one of whose
// segments spans two gutters (a sentence across the columns), is not the
// table's. A word belongs to the column its middle is in; the words of a
// line in one column, consecutive in the content stream, are a cell.
func (t *textBuilder) tableAt(text string, segs []segment, lines [][]int, li int, cells *[]layoutCell) int {
	head := lines[li]
	if len(head) < 2 {
		return 0
	}
	seen := map[string]bool{}
	for _, k := range head {
		s := strings.ToLower(segs[k].text)
		if !headerWord(segs[k].text) || seen[s] {
			return 0
		}
		seen[s] = true
	}
	type gutter struct{ lo, hi float64 }
	gutters := make([]gutter, len(head)-1)
	for k := range gutters {
		gutters[k] = gutter{segs[head[k]].x1, segs[head[k+1]].x0}
	}
	columnOf := func(gs []gutter, x0, x1 float64) int {
		mid, k := (x0+x1)/2, 0
		for k < len(gs) && (gs[k].lo+gs[k].hi)/2 < mid {
			k++
		}
		return k
	}
	var out []layoutCell
	last := make([]int, len(head)) // index in out of the column's last cell, -1 none
	lastY := make([]float64, len(head))
	for k := range last {
		last[k] = -1
	}
	prevY := segs[head[0]].y
	n := 1
	for ; li+n < len(lines); n++ {
		l := lines[li+n]
		y, size := segs[l[0]].y, segs[l[0]].size
		if prevY-y > rowGap*size {
			break
		}
		// a segment across two gutters is a sentence
		across := false
		for _, k := range l {
			inside := 0
			for _, g := range gutters {
				if segs[k].x0 < g.lo && segs[k].x1 > g.hi {
					inside++
				}
			}
			across = across || inside >= 2
		}
		if across {
			break
		}
		words := t.words2(text, segs, l)
		gs := append([]gutter(nil), gutters...)
		for _, w := range words {
			for k := range gs {
				g := &gs[k]
				if w.x0 < g.hi && w.x1 > g.lo {
					if (w.x0+w.x1)/2 < (g.lo+g.hi)/2 {
						g.lo = math.Max(g.lo, w.x1)
					} else {
						g.hi = math.Min(g.hi, w.x0)
					}
				}
			}
		}
		closed := false
		for _, g := range gs {
			closed = closed || g.hi-g.lo < minGutter*size
		}
		if closed {
			break
		}
		gutters = gs
		// the words of one column, consecutive, are a cell
		var lineCells []layoutCell
		var lineCols []int
		for _, w := range words {
			c := columnOf(gutters, w.x0, w.x1)
			if m := len(lineCells); m > 0 && lineCols[m-1] == c && t.adjacent(text, lineCells[m-1].i1, w.i0) {
				lineCells[m-1].i1 = w.i1
				continue
			}
			lineCells = append(lineCells, layoutCell{w.i0, w.i1, segs[head[c]].text})
			lineCols = append(lineCols, c)
		}
		for j, lc := range lineCells {
			c := lineCols[j]
			if p := last[c]; p >= 0 && lastY[c]-y <= wrapGap*size && lineCols[0] != 0 && out[p].i1 < lc.i0 && t.adjacent(text, out[p].i1, lc.i0) {
				out[p].i1 = lc.i1 // the value wraps in its cell
			} else {
				out = append(out, lc)
				last[c] = len(out) - 1
			}
			lastY[c] = y
		}
		prevY = y
	}
	if len(out) == 0 {
		return 0
	}
	*cells = append(*cells, out...)
	return n
}

// words2 returns the words of the segments of a line, left to right: runs
// of glyphs without white space between them.
func (t *textBuilder) words2(text string, segs []segment, line []int) []segment {
	var out []segment
	for _, k := range line {
		s := segs[k]
		var cur *segment
		for i := s.i0; i <= s.i1; i++ {
			g := &t.glyphs[i]
			x0 := float64(g.ox)
			x1 := x0 + float64(g.w)*float64(g.ex[0])
			blank := strings.TrimSpace(text[g.start:g.end]) == ""
			if cur != nil && (blank || (x0-cur.x1)/s.size > wordGap || text[t.glyphs[cur.i1].end:g.start] != "") {
				out = append(out, *cur)
				cur = nil
			}
			if blank {
				continue
			}
			if cur == nil {
				cur = &segment{i0: i, x0: x0, y: s.y, size: s.size}
			}
			cur.i1, cur.x1 = i, math.Max(cur.x1, x1)
		}
		if cur != nil {
			out = append(out, *cur)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].x0 < out[b].x0 })
	return out
}

// adjacent reports whether glyph b follows glyph a in the content stream,
// with only white space between them.
func (t *textBuilder) adjacent(text string, a, b int) bool {
	if b <= a {
		return false
	}
	for i := a + 1; i < b; i++ {
		g := &t.glyphs[i]
		if strings.TrimSpace(text[g.start:g.end]) != "" {
			return false
		}
	}
	return true
}

// cellReadings returns the cells of the page as readings: each the page
// text of its glyphs, the other glyphs with empty spans before or after it
// (altReading.span).
func (t *textBuilder) cellReadings() []altReading {
	text := t.b.String()
	cells := t.layoutCells(text)
	out := make([]altReading, 0, len(cells))
	for k := range cells {
		c := &cells[k]
		lo, hi := t.glyphs[c.i0].start, t.glyphs[c.i1].end
		out = append(out, altReading{kind: readingCell, text: text[lo:hi], field: c.field, cell: c, lo: lo})
	}
	return out
}
