package pdf

import (
	"image"
	"testing"

	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// TestStripPage: a strip's reading holds the words of the whole that touch
// its rows, their boxes moved to the strip and cut to its rows.
func TestStripPage(t *testing.T) {
	p := &ocr.Page{Width: 100, Height: 30, Blocks: []ocr.Block{{Box: image.Rect(0, 0, 100, 30), Paras: []ocr.Para{{Box: image.Rect(0, 0, 100, 30), Lines: []ocr.Line{
		{Box: image.Rect(0, 2, 100, 12), Words: []ocr.Word{{Text: "Witness", Box: image.Rect(0, 2, 40, 12), Conf: 95}, {Text: "Everard", Box: image.Rect(50, 4, 90, 14), Conf: 95}}},
		{Box: image.Rect(0, 20, 100, 28), Words: []ocr.Word{{Text: "below", Box: image.Rect(0, 20, 30, 28), Conf: 95}}},
	}}}}}}
	sp := stripPage(p, 10, 16)
	ws := sp.Words()
	if sp.Height != 6 || len(ws) != 2 || ws[0].Text != "Witness" || ws[1].Text != "Everard" {
		t.Fatalf("strip reads %+v", ws)
	}
	if ws[0].Box != image.Rect(0, 0, 40, 2) || ws[1].Box != image.Rect(50, 0, 90, 4) {
		t.Errorf("boxes %v %v", ws[0].Box, ws[1].Box)
	}
	if n := len(stripPage(p, 14, 20).Words()); n != 0 {
		t.Errorf("a strip between the lines reads %d words", n)
	}
}

// TestMosaics: the strips of pdftest.Strips (drawn edge to edge, one
// width and left edge) make one mosaic.
func TestMosaics(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 50, 30))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	d := parse(t, pdftest.Strips(g, 150, 3, "Strips"))
	ms := d.mosaics()
	if len(ms) != 1 || len(ms[0].uses) != 10 {
		t.Fatalf("mosaics %+v", ms)
	}
	d = parse(t, pdftest.Strips(g, 150, 30, "One image"))
	if ms := d.mosaics(); len(ms) != 0 {
		t.Errorf("one image makes mosaics %+v", ms)
	}
}
