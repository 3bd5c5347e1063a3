package pdf

import (
	"bytes"
	"errors"
	"image"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
	"github.com/veilhq/veil/redactors/poppler"
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

// FuzzStripPage: whatever the boxes and the strip, a strip's reading holds
// exactly the words whose boxes touch its rows, each inside the strip's
// rows (a degenerate box stays degenerate, not moved out of them).
func FuzzStripPage(f *testing.F) {
	f.Add([]byte{0, 2, 40, 12, 50, 4, 90, 14, 0, 20, 30, 28}, 10, 6)
	f.Fuzz(func(t *testing.T, boxes []byte, y0, h int) {
		if y0 < 0 || y0 > 300 || h < 1 || h > 300 {
			return
		}
		var words []ocr.Word
		for i := 0; i+3 < len(boxes) && len(words) < 50; i += 4 {
			r := image.Rect(int(boxes[i]), int(boxes[i+1]), int(boxes[i+2]), int(boxes[i+3]))
			words = append(words, ocr.Word{Text: "w", Box: r, Conf: 90})
		}
		p := &ocr.Page{Width: 256, Height: 256, Blocks: []ocr.Block{{Paras: []ocr.Para{{Lines: []ocr.Line{{Words: words}}}}}}}
		want := 0
		for _, w := range words {
			if w.Box.Max.Y > y0 && w.Box.Min.Y < y0+h {
				want++
			}
		}
		got := stripPage(p, y0, y0+h).Words()
		if len(got) != want {
			t.Fatalf("%d words, want %d", len(got), want)
		}
		for _, w := range got {
			if w.Box.Min.Y < 0 || w.Box.Max.Y > h || w.Box.Min.Y > w.Box.Max.Y {
				t.Fatalf("box %v outside the strip's %d rows", w.Box, h)
			}
		}
	})
}

// TestEdgeToEdge: a picture cut into columns, or into strips whose pixel
// widths alternate, is not a mosaic; its pieces touch, so the page is
// refused (ErrUninspectable) rather than read piece by piece. The strips
// of a mosaic, one image, and two images apart pass.
func TestEdgeToEdge(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 60, 30))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for _, c := range []struct {
		name string
		cut  []image.Rectangle
		want bool
	}{
		{"mosaic of 3 rows", nil, false},
		{"columns of 8", pdftest.Columns(60, 30, 8), true},
		{"columns of 24", pdftest.Columns(60, 30, 24), true},
		{"ragged strips of 8", pdftest.RaggedStrips(60, 30, 8), true},
		{"ragged strips of 3", pdftest.RaggedStrips(60, 30, 3), true},
		{"one image", []image.Rectangle{g.Bounds()}, false},
		{"two apart", []image.Rectangle{image.Rect(0, 0, 20, 30), image.Rect(40, 0, 60, 30)}, false},
	} {
		data := pdftest.Pieces(g, 150, c.cut, "Pieces")
		if c.cut == nil {
			data = pdftest.Strips(g, 150, 3, "Strips")
		}
		d := parse(t, data)
		err := d.edgeToEdge(d.mosaics())
		if got := err != nil; got != c.want || err != nil && !errors.Is(err, redactors.ErrUninspectable) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestEdgeToEdgeRaster: under ImagesOCR, a page whose picture is cut
// into pieces that are not a mosaic is read as an image (raster.go):
// rendered, read whole by OCR, so that a name cut across the pieces is
// read in context, blanked, and written as one image that no reader
// finds the name on. Without pdftoppm the file is refused as before.
func TestEdgeToEdgeRaster(t *testing.T) {
	requireOCR(t)
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftoppm is required under CI (scripts/setup installs it)")
		}
		t.Skip("pdftoppm not installed; run scripts/setup")
	}
	s := ocrtest.NewSheet(4, 0.6, 150)
	s.Line(10, 28, ocrtest.Style{Size: 16}, "Witness Tamsin Quillanby")
	w, h := s.Img.Bounds().Dx(), s.Img.Bounds().Dy()
	for _, c := range []struct {
		name string
		cut  []image.Rectangle
	}{
		{"columns of 8", pdftest.Columns(w, h, 8)},
		{"columns of 24", pdftest.Columns(w, h, 24)},
		{"ragged strips of 8", pdftest.RaggedStrips(w, h, 8)},
		{"ragged strips of 3", pdftest.RaggedStrips(w, h, 3)},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := pdftest.Pieces(s.Img, 150, c.cut, "Statement of the witness follows")
			d, pi := rasterParse(t, in)
			edits := fuzzyEdits(d, pi, "Quillanby")
			if len(edits) != 1 {
				t.Fatalf("%d edits for the name in %q", len(edits), d.Parts()[pi].Text)
			}
			var out bytes.Buffer
			if err := d.Redact(&out, edits); err != nil {
				t.Fatal(err)
			}
			checkRasterOutput(t, d, out.Bytes(), 1, whyEdges, "Quillanby")
			if words := pageWordsAt(t, out.Bytes(), 1); len(ocr.NewFuzzy([]string{"Witness", "Statement"}, 0.25).Find(words)) < 2 {
				t.Errorf("the page's other words are lost: %q", words)
			}
		})
	}
	_, err := New(Options{Images: ImagesOCR, Poppler: poppler.New("veil-no-such-pdftoppm", "")}).Parse(pdftest.Pieces(s.Img, 150, pdftest.Columns(w, h, 8), "Statement"))
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "edge to edge") {
		t.Errorf("without pdftoppm: %v", err)
	}
}
