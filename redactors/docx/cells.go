package docx

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/veilhq/veil/redactors/table"
)

// Tables. Each cell of a table of WordprocessingML (w:tbl, outside any
// other table) is a part of its own, named "<XML part>:table T, row R,
// column C" with its redactors.Cell, after the text of its XML part that
// is in no table; its paragraphs are lines of it, as in the body (a value
// that wraps across paragraphs or line breaks of one cell is one text).
// A table inside a cell is text of that cell. Cells are numbered as Word
// shows them: rows from 1, columns by the table grid (a cell spanning two
// grid columns is at the first; a cell continuing a vertical merge holds
// no text of its own).
//
// The layout gives cells their Field (redactors.Part.Field), context for
// detection: in a table whose first row is a header (marked as repeating,
// or table.LooksLikeHeader), the header of its column; in a two-column
// table of labels and values, the label beside the value. A table of two
// columns is labels and values when its first column holds only distinct
// labels (table.IsLabel) and its second does not hold values of one shape
// under a header (a column of account numbers or dates written alike):
// one of its labels ends with a colon, its first row's second cell is no
// label, or the values below the first row are of different shapes. A
// table with one row has no header.

// docTable is a top-level table of a story.
type docTable struct {
	id     int
	rows   []*tableRow
	repeat bool // the first row is marked as a header (w:tblHeader)
}

type tableRow struct{ cells []*tableCell }

// tableCell is a cell; its text is the stream st.
type tableCell struct {
	st       *stream
	tbl      *docTable
	row, col int // 1-based; col in grid columns
	span     int // grid columns it spans
	merged   bool
	part     int // its part, -1 when it has no text (assemble)
}

// tableState is a visitor's place in the tables of its entry.
type tableState struct {
	depth int // w:tbl elements open
	tbl   *docTable
	row   *tableRow
	cell  *tableCell
	col   int // grid column of the next cell
}

// maxSpan bounds a cell's grid span as read from the file.
const maxSpan = 64

// target is the stream the paragraphs being read belong to: their cell's,
// or the entry's main text.
func (v *visitor) target() string {
	if c := v.tables.cell; c != nil {
		return c.st.name
	}
	return v.main
}

// startTable follows the table structure of a story: w:tbl, w:tr, w:tc
// and the properties that place a cell (w:gridSpan, w:vMerge) or mark a
// header row (w:tblHeader).
func (v *visitor) startTable(o, parent *open) {
	ts := &v.tables
	top := ts.depth == 1 && ts.tbl != nil
	switch o.name.Local {
	case "tbl":
		o.tbl = true
		ts.depth++
		if ts.depth == 1 && v.r == roleStory {
			ts.tbl = &docTable{id: len(v.s.tables) + 1}
			v.s.tables = append(v.s.tables, ts.tbl)
			ts.row, ts.cell = nil, nil
		}
	case "tr":
		if top {
			ts.row = &tableRow{}
			ts.tbl.rows = append(ts.tbl.rows, ts.row)
			ts.col = 1
		}
	case "tc":
		if top && ts.row != nil && ts.cell == nil {
			c := &tableCell{tbl: ts.tbl, row: len(ts.tbl.rows), col: ts.col, span: 1, part: -1}
			c.st = v.s.stream(fmt.Sprintf("%s:table %d, row %d, column %d", v.main, ts.tbl.id, c.row, c.col))
			c.st.cell = c
			ts.row.cells = append(ts.row.cells, c)
			ts.cell = c
			o.cell = true
		}
	case "gridSpan":
		if top && ts.cell != nil && inProps(parent, "tcPr") {
			if n, err := strconv.Atoi(wVal(o)); err == nil && n > 1 {
				ts.cell.span = min(n, maxSpan)
			}
		}
	case "vMerge":
		if top && ts.cell != nil && inProps(parent, "tcPr") && wVal(o) != "restart" {
			ts.cell.merged = true
		}
	case "tblHeader":
		if top && len(ts.tbl.rows) == 1 && inProps(parent, "trPr") {
			switch wVal(o) {
			case "0", "false", "off":
			default:
				ts.tbl.repeat = true
			}
		}
	}
}

// endTable closes what startTable opened.
func (v *visitor) endTable(o *open) {
	ts := &v.tables
	if o.cell {
		ts.col = min(ts.cell.col+ts.cell.span, 1<<16)
		ts.cell = nil
	}
	if o.tbl {
		if ts.depth--; ts.depth == 0 {
			ts.tbl, ts.row, ts.cell = nil, nil, nil
		}
	}
}

func inProps(parent *open, local string) bool {
	return parent != nil && parent.class == nsW && parent.name.Local == local
}

// wVal is the w:val attribute of o, "" when it has none.
func wVal(o *open) string {
	for _, a := range o.el.Attrs {
		if a.Name.Local == "val" {
			return a.Value
		}
	}
	return ""
}

// setFields gives the cells of every table their Field.
func (d *Document) setFields(tables []*docTable) {
	for _, t := range tables {
		for c, f := range tableFields(t, func(c *tableCell) string {
			if c.part < 0 {
				return ""
			}
			return strings.Join(strings.Fields(d.parts[c.part].Text), " ")
		}) {
			if c.part >= 0 {
				d.parts[c.part].Field = f
			}
		}
	}
}

// maxHeaderRows is how many rows below a header table.LooksLikeHeader
// sees.
const maxHeaderRows = 20

// tableFields returns the Field of the cells of t that have one, given the
// text of each cell (white space folded).
func tableFields(t *docTable, text func(*tableCell) string) map[*tableCell]string {
	// rows with some text (a deleted row, a blank row, are none)
	var rows []*tableRow
	for _, r := range t.rows {
		for _, c := range r.cells {
			if text(c) != "" {
				rows = append(rows, r)
				break
			}
		}
	}
	if len(rows) < 2 {
		return nil
	}
	out := map[*tableCell]string{}
	if !t.repeat && labelsAndValues(rows, text) {
		for _, r := range rows {
			if l := text(r.cells[0]); l != "" {
				out[r.cells[1]] = l
			}
		}
		return out
	}
	cols := 0
	for _, r := range rows {
		for _, c := range r.cells {
			cols = max(cols, c.col+c.span-1)
		}
	}
	cols = min(cols, maxSpan*4)
	byCol := func(r *tableRow) []string {
		out := make([]string, cols)
		for _, c := range r.cells {
			if c.col-1 < cols {
				out[c.col-1] = text(c)
			}
		}
		return out
	}
	header := make([]string, cols)
	for _, c := range rows[0].cells {
		for k := c.col - 1; k < c.col-1+c.span && k < cols; k++ {
			header[k] = text(c)
		}
	}
	if !t.repeat {
		var rest [][]string
		for _, r := range rows[1:min(len(rows), maxHeaderRows+1)] {
			rest = append(rest, byCol(r))
		}
		if !table.LooksLikeHeader(byCol(rows[0]), rest) {
			return nil
		}
	}
	for _, r := range rows[1:] {
		for _, c := range r.cells {
			if c.col-1 < cols && header[c.col-1] != "" {
				out[c] = header[c.col-1]
			}
		}
	}
	return out
}

// labelsAndValues reports whether rows are a form of two columns, labels
// and their values (see the package comment above).
func labelsAndValues(rows []*tableRow, text func(*tableCell) string) bool {
	seen := map[string]bool{}
	colon := false
	for _, r := range rows {
		if len(r.cells) != 2 || r.cells[0].col != 1 {
			return false
		}
		l := text(r.cells[0])
		if !table.IsLabel(l) || seen[strings.ToLower(l)] {
			return false
		}
		seen[strings.ToLower(l)] = true
		colon = colon || strings.HasSuffix(l, ":")
	}
	if colon || !table.IsLabel(text(rows[0].cells[1])) {
		return true
	}
	// values of one shape under a header are a column
	shapes := map[string]int{}
	n, most := 0, 0
	for _, r := range rows[1:] {
		if v := text(r.cells[1]); v != "" {
			n++
			s := shape(v)
			shapes[s]++
			most = max(most, shapes[s])
		}
	}
	return n < 2 || most*2 <= n
}

// shape is the skeleton of a value: runs of letters as "a", of digits as
// "9", other characters as they are ("Account 0012-44" → "a 9-9").
func shape(s string) string {
	var b strings.Builder
	var last rune
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			r = 'a'
		case unicode.IsDigit(r):
			r = '9'
		}
		if r == last && (r == 'a' || r == '9') {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}
