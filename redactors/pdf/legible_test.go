package pdf

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// lowLine is the content of the low-contrast fixtures' line, drawn at
// y = 500 pt in /F2 (Helvetica) 14 pt, under the Type 3 line that sends
// the page to be read as an image.
const lowLine = "72 500 Td (Filed by Zebulon Marchetti today) Tj ET"

// bandInk is bandWords' threshold (grey levels from the band's background).
const bandInk = 12

// bandWords renders page 1 of data with pdftoppm at 200 dpi, cuts the band
// of the page from y0 to y1 (points from the bottom of a Letter page),
// thresholds it on its own (a pixel is ink when it is farther from the
// band's most frequent grey than bandInk levels: light text on white and
// light text on dark alike become black on white), magnifies it 2×, and reads
// it with the tesseract command: a judge of low-contrast text that shares
// no code with Veil's preprocessing.
func bandWords(t *testing.T, data []byte, y0, y1 float64) []string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "f.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(judgeTool(t, "pdftoppm"), "-r", "200", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	f, err := os.Open(filepath.Join(dir, "p.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	top, bottom := int((792-y1)*200/72), int((792-y0)*200/72)
	band := image.Rect(g.Rect.Min.X, top, g.Rect.Max.X, bottom).Intersect(g.Rect)
	var hist [256]int
	for y := band.Min.Y; y < band.Max.Y; y++ {
		for x := band.Min.X; x < band.Max.X; x++ {
			v := int(g.GrayAt(x, y).Y)
			hist[v]++
		}
	}
	mode := 0
	for v := range hist {
		if hist[v] > hist[mode] {
			mode = v
		}
	}
	cut := image.NewGray(image.Rect(0, 0, 2*band.Dx(), 2*band.Dy()+40))
	for i := range cut.Pix {
		cut.Pix[i] = 255
	}
	for y := band.Min.Y; y < band.Max.Y; y++ {
		for x := band.Min.X; x < band.Max.X; x++ {
			d := int(g.GrayAt(x, y).Y) - mode
			if d < 0 {
				d = -d
			}
			if d > bandInk {
				for dy := 0; dy < 2; dy++ {
					for dx := 0; dx < 2; dx++ {
						cut.Pix[cut.PixOffset(2*(x-band.Min.X)+dx, 2*(y-band.Min.Y)+20+dy)] = 0
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, cut); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, judgeTool(t, "tesseract"), "stdin", "stdout", "--psm", "6", "-l", "eng")
	cmd.Stdin = &buf
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	return strings.Fields(string(b))
}

// A drawn value of a page read as an image whose text has too little
// contrast for OCR of the whole page (light grey or beige on white, a dark
// theme's green on dark grey) is read again in its region made legible,
// located there and blanked: the file is written, and neither pdftotext,
// qpdf's objects, tesseract on the rendered output, verification's
// readings, nor a judge that thresholds the line's band on its own reads
// the name (that judge reads it on the input).
func TestRasterLowContrast(t *testing.T) {
	requireOCR(t)
	for _, c := range []struct{ name, show string }{
		{"light grey on white", "BT 0.9 g /F2 14 Tf " + lowLine},
		{"beige on white", "BT 0.93 0.88 0.76 rg /F2 14 Tf " + lowLine},
		{"green on dark grey", "0.12 g 0 470 612 70 re f BT 0.25 0.45 0.25 rg /F2 14 Tf " + lowLine},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := witnessPage(t, c.show)
			if ocr.NewFuzzy([]string{"Marchetti"}, 0.25).Find(bandWords(t, in, 485, 525)) == nil {
				t.Fatal("the judge does not read the name on the input: it could not fail")
			}
			d, edits := marchettiEdit(t, in)
			var out bytes.Buffer
			if err := d.Redact(&out, edits); err != nil {
				t.Fatalf("redact: %v", err)
			}
			checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Marchetti")
			words := bandWords(t, out.Bytes(), 485, 525)
			if m := ocr.NewFuzzy([]string{"Marchetti"}, 0.25).Find(words); m != nil {
				t.Errorf("the name is read again on the output's band made legible: %q", words)
			}
			if ocr.NewFuzzy([]string{"today"}, 0.25).Find(words) == nil {
				t.Errorf("the line's other words are gone too: %q", words)
			}
		})
	}
}

// stripes returns rectangles 1 pt high every 2 pt from y0 to y1, from
// x = 60 to 540: a hatching about as light as the text drawn over it.
func stripes(y0, y1 int) string {
	s := ""
	for y := y0; y < y1; y += 2 {
		s += "60 " + strconv.Itoa(y) + " 480 1 re "
	}
	return s
}

// A value only pdftotext reads (a Type 3 font whose glyph names are
// character numbers, which poppler takes for codes and Veil's parse does
// not: no glyph box) drawn with too little contrast for OCR of the whole
// page (a dark theme's green on dark grey) gets a second attempt in the
// line regions of the glyphs the parse passed over, made legible: located
// there, blanked, and the file is written (refused at 3442e9e: "not
// located ... as often as that text holds it"). The same value drawn
// invisibly is still refused: nothing there reads it, and a value of
// pdftotext's reading has no glyphs to say it is not drawn.
func TestRasterPdftotextOnly(t *testing.T) {
	requireOCR(t)
	const dark = "0.12 g 0 680 612 60 re f 0.25 0.45 0.25 rg "
	const more = " BT 0 g 0 Tr /F2 12 Tf 72 600 Td (Signed in the presence of the clerk of the court.) Tj ET"
	parse := func(t *testing.T, before string) (*Document, []byte, []redactors.Edit) {
		in, err := pdftest.Type3PageNumeric("Tamsin Everard", before, more)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := rasterParse(t, in)
		for i, p := range d.Parts() {
			if p.Name == "page 1 (pdftotext)" {
				if strings.Contains(d.Parts()[0].Text, "Everard") {
					t.Fatalf("the parse reads the name: %q", d.Parts()[0].Text)
				}
				edits := fuzzyEdits(d, i, "Everard")
				if len(edits) != 1 {
					t.Fatalf("%d edits on %q", len(edits), p.Text)
				}
				return d, in, edits
			}
		}
		t.Fatalf("no pdftotext part:\n%s", partsText(d))
		return nil, nil, nil
	}
	t.Run("green on dark grey", func(t *testing.T) {
		d, in, edits := parse(t, dark)
		if ocr.NewFuzzy([]string{"Everard"}, 0.25).Find(bandWords(t, in, 685, 730)) == nil {
			t.Fatal("the judge does not read the name on the input: it could not fail")
		}
		var out bytes.Buffer
		if err := d.Redact(&out, edits); err != nil {
			t.Fatalf("redact: %v", err)
		}
		checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Everard")
		words := bandWords(t, out.Bytes(), 685, 730)
		if m := ocr.NewFuzzy([]string{"Everard"}, 0.25).Find(words); m != nil {
			t.Errorf("the name is read again on the output's band made legible: %q", words)
		}
		if ocr.NewFuzzy([]string{"Tamsin"}, 0.25).Find(words) == nil {
			t.Errorf("the line's other word is gone too: %q", words)
		}
	})
	t.Run("invisible", func(t *testing.T) {
		d, _, edits := parse(t, "3 Tr ")
		err := d.Redact(&bytes.Buffer{}, edits)
		if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "as often as that text holds it") {
			t.Fatalf("error %v, want uninspectable: not located as often", err)
		}
		if strings.Contains(err.Error(), "Everard") {
			t.Error("the reason holds the value")
		}
	})
}
