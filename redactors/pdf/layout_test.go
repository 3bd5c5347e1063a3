package pdf

import (
	"strings"
	"testing"
)

// layoutPage builds a page's text from words placed at (x, y) in a
// 10-point font whose glyphs are half an em wide, in the order given (the
// content stream's).
type placedWord struct {
	x, y float32
	s    string
}

func layoutPage(words []placedWord) *textBuilder {
	t := &textBuilder{}
	const size = 10
	for wi, w := range words {
		x := w.x
		for i, r := range w.s {
			g := glyph{inst: int32(wi), idx: int32(i), ox: x, oy: w.y, ex: [2]float32{size, 0}, ey: [2]float32{0, size}, w: 0.5, asc: 0.7, desc: -0.2}
			t.add(g, string(r))
			x += size * 0.5
		}
	}
	return t
}

// cellTexts returns "field = text" of each cell reading.
func cellTexts(t *textBuilder) []string {
	var out []string
	for _, r := range t.cellReadings() {
		out = append(out, r.field+" = "+r.text)
	}
	return out
}

// TestLayoutCells: a header row's columns give the values below them
// their fields; a value wrapped in its cell is one cell; a sentence below
// the table is not the table's; a label left of its value names it.
func TestLayoutCells(t *testing.T) {
	page := []placedWord{
		{50, 700, "Payee"}, {150, 700, "SSN"}, {230, 700, "Account"}, {270, 700, "No."},
		{50, 686, "Tobias"}, {85, 686, "Wrenfield"}, {150, 686, "412739586"}, {230, 686, "Harbor"}, {265, 686, "4471"},
		{230, 674, "0926"}, {255, 674, "3358"},
		{50, 660, "Odalys"}, {85, 660, "Brennick"}, {150, 660, "523814467"}, {230, 660, "5108"}, {255, 660, "3327"},
		{50, 636, "Order"}, {80, 636, "634120987"}, {130, 636, "shipped"}, {170, 636, "on"}, {185, 636, "time"}, {210, 636, "to"}, {225, 636, "the"}, {245, 636, "bank."},
		{50, 600, "DOB:"}, {120, 600, "03/04/1961"},
	}
	got := cellTexts(layoutPage(page))
	want := []string{"Payee = Tobias Wrenfield", "SSN = 412739586", "Account No. = Harbor 4471\n0926 3358",
		"Payee = Odalys Brennick", "SSN = 523814467", "Account No. = 5108 3327", "DOB: = 03/04/1961"}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("cells:\n%q\nwant:\n%q", got, want)
	}
	// prose alone has no cells
	if got := cellTexts(layoutPage(page[16:24])); len(got) > 0 {
		t.Errorf("cells in prose: %q", got)
	}
}

// FuzzLayoutCells places words at random and checks every cell reading:
// its spans never go back, each glyph of the cell reads in it as in the
// page text, and every other glyph has an empty span at its start or end,
// so that an edit on it can remove no glyph outside the cell.
func FuzzLayoutCells(f *testing.F) {
	f.Add([]byte{50, 200, 1, 150, 200, 2, 50, 186, 3, 150, 186, 4, 150, 174, 5}, "Payee SSN Tobias 412739586 0926")
	f.Add([]byte{10, 10, 0, 90, 10, 1}, "DOB: 03/04/1961")
	// two words of one cell, right to left in the content stream
	f.Add([]byte{5, 50, 0, 50, 50, 0, 15, 45, 0, 5, 45, 0}, "Aa Bb yy xx")
	f.Fuzz(func(t *testing.T, geo []byte, words string) {
		ws := strings.Fields(words)
		var page []placedWord
		for i := 0; i+2 < len(geo) && len(page) < len(ws) && len(page) < 64; i += 3 {
			page = append(page, placedWord{float32(geo[i]) * 2, float32(geo[i+1]) * 2, ws[len(page)]})
		}
		tb := layoutPage(page)
		text := tb.b.String()
		for _, r := range tb.cellReadings() {
			prev := int32(0)
			for i := range tb.glyphs {
				g := &tb.glyphs[i]
				s, e := r.span(tb.glyphs, i)
				if s < prev || e < s || int(e) > len(r.text) {
					t.Fatalf("glyph %d: span %d-%d after %d in %q", i, s, e, prev, r.text)
				}
				prev = e
				if s == e && g.start != g.end {
					if s != 0 && int(s) != len(r.text) {
						t.Fatalf("glyph %d outside the cell has an empty span inside it (%d of %q)", i, s, r.text)
					}
					continue
				}
				if r.text[s:e] != text[g.start:g.end] {
					t.Fatalf("glyph %d reads %q in the cell, %q on the page", i, r.text[s:e], text[g.start:g.end])
				}
			}
		}
	})
}
