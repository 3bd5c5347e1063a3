package ocr

import (
	"image"
	"sort"
	"strings"
)

// Text is a page's text in reading order with the place of every word in
// it. Words of a line are joined by a space, cells of a table row by a tab
// (a space after a label cell ending in a colon),
// lines by a newline, paragraphs and blocks by an empty line. A number
// with misread digits is given as the digits it shows (Digits).
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
// so that a label and its value stay together (joined by a space after a
// label ending in a colon, else by a tab). A block whose lines run
// across a gutter (two columns that layout analysis took for one, as it
// does on a 1-bit fax) is split there first (splitColumns).
func (p *Page) Text() Text {
	var groups [][]row // one per block (or merged table)
	var boxes []image.Rectangle
	for _, b := range splitColumns(p.Blocks) {
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
					sb.WriteString(cellSep(r.cells[ci-1]))
				}
				for wi, w := range c {
					if wi > 0 {
						sb.WriteString(" ")
					}
					w.Text = Digits(w.Text)
					start := sb.Len()
					sb.WriteString(w.Text)
					out = append(out, Placed{Start: start, End: sb.Len(), Word: w, Line: r.box})
				}
			}
		}
	}
	return Text{String: sb.String(), Words: out}
}

// cellSep is what joins a cell to the one before it (prev) in a row: a
// space after a label ("Record number:" and its value read as a label and
// its value, as the label rules of detection expect them), else a tab.
func cellSep(prev []Word) string {
	if n := len(prev); n > 0 && strings.HasSuffix(prev[n-1].Text, ":") {
		return " "
	}
	return "\t"
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

// splitColumns returns blocks with every block that spans two columns
// split at its gutter into the left column and the right one, in that
// order. A gutter is an x position that falls in a wide gap (at least
// gutterGap text heights) between two words of at least minGutterLines
// lines of the block and inside no word of any line: prose lines, whose
// word gaps are a fraction of a text height, never make one.
func splitColumns(blocks []Block) []Block {
	var out []Block
	for _, b := range blocks {
		x, ok := gutter(b)
		if !ok {
			out = append(out, b)
			continue
		}
		left, right := cut(b, x)
		out = append(out, left, right)
	}
	return out
}

const (
	gutterGap      = 3 // text heights
	minGutterLines = 3
)

// gutter finds the x of a block's gutter.
func gutter(b Block) (int, bool) {
	type gap struct{ x0, x1 int }
	var gaps []gap
	var words []image.Rectangle
	for _, pa := range b.Paras {
		for _, l := range pa.Lines {
			h := 0
			for _, w := range l.Words {
				h = max(h, w.Box.Dy())
				words = append(words, w.Box)
			}
			for i := 1; i < len(l.Words); i++ {
				a, c := l.Words[i-1].Box, l.Words[i].Box
				if c.Min.X-a.Max.X >= gutterGap*h && h > 0 {
					gaps = append(gaps, gap{a.Max.X, c.Min.X})
				}
			}
		}
	}
	if len(gaps) < minGutterLines {
		return 0, false
	}
	best, bestN := 0, 0
	for _, g := range gaps {
		x := (g.x0 + g.x1) / 2
		n := 0
		for _, o := range gaps {
			if o.x0 < x && x < o.x1 {
				n++
			}
		}
		crossed := false
		for _, w := range words {
			if w.Min.X <= x && x < w.Max.X {
				crossed = true
				break
			}
		}
		if !crossed && n > bestN {
			best, bestN = x, n
		}
	}
	return best, bestN >= minGutterLines
}

// cut splits b at x into the words left of it and those right of it,
// keeping paragraphs and lines; boxes are those of the words kept.
func cut(b Block, x int) (Block, Block) {
	var out [2]Block
	for _, pa := range b.Paras {
		var paras [2]Para
		for _, l := range pa.Lines {
			var lines [2]Line
			for _, w := range l.Words {
				side := 0
				if w.Box.Min.X >= x {
					side = 1
				}
				lines[side].Words = append(lines[side].Words, w)
				lines[side].Box = lines[side].Box.Union(w.Box)
			}
			for s := range lines {
				if len(lines[s].Words) > 0 {
					paras[s].Lines = append(paras[s].Lines, lines[s])
					paras[s].Box = paras[s].Box.Union(lines[s].Box)
				}
			}
		}
		for s := range paras {
			if len(paras[s].Lines) > 0 {
				out[s].Paras = append(out[s].Paras, paras[s])
				out[s].Box = out[s].Box.Union(paras[s].Box)
			}
		}
	}
	return out[0], out[1]
}
