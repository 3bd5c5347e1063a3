package xlsx

import (
	"strings"
	"unicode"

	"github.com/veilhq/veil/redactors/table"
)

// A value typed as a number carries no label of its own: 48213907 in a
// cell is a record number only because of the column it is in (session
// "sheetdoor", issue 13). The first row of a sheet gives its columns
// their headers when it looks like a header row (assemble); a sheet that
// opens with a title, a header row lower down, or a form of "label |
// value" rows gives none. cueValues gives a value cell left without a
// header (a number, a date, a text with no letter) the label the layout
// shows for it, as its Field, so that detection reads it as a value
// under that label (the label lexicon, ner/pattern/labels.yaml, decides
// what the label names):
//   - its label in the last header row above it with no empty row
//     between (a header row: two cells or more, all labels), also over a
//     first row that assemble took for a header when that row is no
//     header row (a title alone in its row);
//   - else, with no first-row header, in a row of two cells, a label and
//     this value, the label (a form);
//   - else the last label above it in its column.
//
// A text cell among a column's values (below its label with no empty
// row between, in a row of two cells or more) is a value, not a label:
// a row of text among the data ("pending | a client's name") does not
// take the column's label from the values below it.
//
// A label is a text cell that table.IsLabel accepts. cs are the cells of
// one sheet sorted by row, then column; one pass, so linear in the cells.
func cueValues(cs []*cell) {
	perRow, labelsPerRow := map[int]int{}, map[int]int{}
	for _, c := range cs {
		perRow[c.row]++
		if isLabelCell(c) {
			labelsPerRow[c.row]++
		}
	}
	// a header row: two cells or more, all labels
	headerRow := func(r int) bool { return perRow[r] >= 2 && labelsPerRow[r] == perRow[r] }
	above := map[int]string{}    // column → last label above
	aboveHdr := map[int]string{} // column → its label in the last header row above
	firstIsHeaderRow := len(cs) > 0 && headerRow(cs[0].row)
	// labelled: the columns with a label since the last empty row;
	// hasData: those with a cell under that label. A label-like text in
	// a row of two cells or more, in a labelled column, is one of its
	// values ("pending" among record numbers, a client's name among
	// names), not a label: it neither replaces the column's label nor
	// heads it as part of a header row, unless it is in a header row
	// right under the label (a title, then the header row). A label
	// alone in its row (a form written down one column) still replaces.
	labelled, hasData := map[int]bool{}, map[int]bool{}
	var prev *cell
	for _, c := range cs {
		if prev != nil && c.row > prev.row+1 {
			aboveHdr = map[int]string{} // an empty row ends a table
			labelled, hasData = map[int]bool{}, map[int]bool{}
		}
		left := prev
		if left != nil && left.row != c.row {
			left = nil
		}
		prev = c
		if isLabelCell(c) {
			if labelled[c.col] && perRow[c.row] >= 2 && (hasData[c.col] || !headerRow(c.row)) {
				hasData[c.col] = true
				continue // a value of the column
			}
			labelled[c.col], hasData[c.col] = true, false
			above[c.col] = strings.TrimSpace(c.text)
			if headerRow(c.row) {
				aboveHdr[c.col] = above[c.col]
			}
			continue
		}
		if strings.TrimSpace(c.text) != "" && labelled[c.col] {
			hasData[c.col] = true
		}
		if !valueCell(c) {
			continue
		}
		switch {
		case aboveHdr[c.col] != "" && (c.headerText == "" || !firstIsHeaderRow):
			// the header row above it, over a first row taken for a
			// header that was a title ("Clinic list" over "MRN"); a
			// real first-row header is not overridden by a row of text
			// lower down
			c.headerText = aboveHdr[c.col]
		case c.headerText != "":
		case perRow[c.row] == 2 && left != nil && isLabelCell(left):
			c.headerText = strings.TrimSpace(left.text)
		case above[c.col] != "":
			c.headerText = above[c.col]
		}
	}
}

// isLabelCell reports a cell of text (not a number, a date or a formula's
// number) that reads as a label.
func isLabelCell(c *cell) bool {
	text := c.sst >= 0 || c.inline != nil || c.typ == "str" || c.typ == "inlineStr"
	return text && table.IsLabel(strings.TrimSpace(c.text))
}

// valueCell reports a cell whose text has no letter: a number, a date, a
// run of digits typed as text.
func valueCell(c *cell) bool {
	return !strings.ContainsFunc(c.text, unicode.IsLetter)
}
