package ocr

import (
	"image"
	"sort"
	"strings"
)

// Text is a page's text in reading order with the place of every word in
// it. Words of a line are joined by a space, cells of a table row by a tab,
// lines by a newline, paragraphs and blocks by an empty line.
type Text struct {
	String string
	// Words in the order of String; Words[i].Start < Words[i+1].Start.
	Words []Placed
}

// Placed is a word and where it is in Text.String and on the image.
type Placed struct {
	Start, End int // String[Start:End] == Word.Text
	Word
	// Line is the box of the line (or table row) the word belongs to: its
	// height is the text height that margins are measured in.
	Line image.Rectangle
}

// row is a line of text as Text assembles it: cells side by side.
type row struct {
	box   image.Rectangle
	cells [][]Word
}

// Text assembles the page's text in reading order. Tesseract's layout
// analysis orders blocks (columns are read one after the other); on top of
// that, blocks that sit side by side and whose lines pair up row by row
// with short left-hand lines (a form or a table split into columns, "Date
// of birth:" in one block and the date in the next) are read row by row,
// so that a label and its value stay together.
func (p *Page) Text() Text {
	var groups [][]row // one per block (or merged table)
	var boxes []image.Rectangle
	for _, b := range p.Blocks {
		var rows []row
		for _, pa := range b.Paras {
			for i, l := range pa.Lines {
				r := row{box: l.Box, cells: [][]Word{l.Words}}
				if i == 0 && len(rows) > 0 {
					rows = append(rows, row{}) // paragraph break
				}
				rows = append(rows, r)
			}
		}
		if n := len(groups); n > 0 && isTable(groups[n-1], boxes[n-1], rows, b.Box) {
			groups[n-1] = mergeRows(groups[n-1], rows)
			boxes[n-1] = boxes[n-1].Union(b.Box)
			continue
		}
		groups = append(groups, rows)
		boxes = append(boxes, b.Box)
	}
	var sb strings.Builder
	var out []Placed
	for gi, g := range groups {
		if gi > 0 {
			sb.WriteString("\n\n")
		}
		for ri, r := range g {
			if ri > 0 {
				sb.WriteString("\n")
			}
			for ci, c := range r.cells {
				if ci > 0 {
					sb.WriteString("\t")
				}
				for wi, w := range c {
					if wi > 0 {
						sb.WriteString(" ")
					}
					start := sb.Len()
					sb.WriteString(w.Text)
					out = append(out, Placed{Start: start, End: sb.Len(), Word: w, Line: r.box})
				}
			}
		}
	}
	return Text{String: sb.String(), Words: out}
}

// textRows are the rows that hold words (not paragraph breaks).
func textRows(rs []row) []row {
	var out []row
	for _, r := range rs {
		if len(r.cells) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// isTable reports whether block b (rows) sits to the right of block a and
// pairs up with it line by line, with a's lines short (labels, cells):
// two columns of prose also align, but their lines are long.
func isTable(a []row, abox image.Rectangle, b []row, bbox image.Rectangle) bool {
	ar, br := textRows(a), textRows(b)
	if len(ar) == 0 || len(br) == 0 || bbox.Min.X < abox.Max.X-abox.Dx()/10 {
		return false
	}
	if bbox.Min.Y >= abox.Max.Y || abox.Min.Y >= bbox.Max.Y {
		return false
	}
	words := 0
	for _, r := range ar {
		words += len(r.cells[len(r.cells)-1])
	}
	if float64(words)/float64(len(ar)) > 4 {
		return false
	}
	paired := 0
	for _, r := range br {
		if _, ok := partner(ar, r.box); ok {
			paired++
		}
	}
	small := min(len(ar), len(br))
	return paired*10 >= small*8 && paired > 0
}

// partner returns the index of the row of rs that overlaps box vertically by
// at least half the smaller height.
func partner(rs []row, box image.Rectangle) (int, bool) {
	best, bestOv := -1, 0
	for i, r := range rs {
		ov := min(r.box.Max.Y, box.Max.Y) - max(r.box.Min.Y, box.Min.Y)
		if ov*2 >= min(r.box.Dy(), box.Dy()) && ov > bestOv {
			best, bestOv = i, ov
		}
	}
	return best, best >= 0
}

// mergeRows puts each row of b beside its partner row of a (as a new
// cell), and rows without a partner in order of their top.
func mergeRows(a, b []row) []row {
	ar := textRows(a)
	out := make([]row, len(ar))
	copy(out, ar)
	for _, r := range textRows(b) {
		if i, ok := partner(out, r.box); ok {
			out[i].cells = append(append([][]Word(nil), out[i].cells...), r.cells...)
			out[i].box = out[i].box.Union(r.box)
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].box.Min.Y < out[j].box.Min.Y })
	return out
}
