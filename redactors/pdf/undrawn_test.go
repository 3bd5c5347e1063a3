package pdf

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"regexp"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// The interpreter records how each glyph is painted: its fill's grey in
// device, calibrated and ICC-based spaces, unknown in others and for
// stroked text, and whether it lies outside the clipping path.
func TestGlyphPaint(t *testing.T) {
	for _, c := range []struct {
		name, content string
		grey          float64 // -1: unknown
		clipped       bool
	}{
		{"default black", "BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 0, false},
		{"grey", "0.5 g BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 0.5, false},
		{"white grey", "1 g BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 1, false},
		{"white RGB", "1 1 1 rg BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 1, false},
		{"white CMYK", "0 0 0 0 k BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 1, false},
		{"black CMYK", "0 0 0 1 k BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 0, false},
		{"device RGB by cs", "/DeviceRGB cs 1 1 1 sc BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 1, false},
		{"separation", "/Sep cs 0 scn BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", -1, false},
		{"stroked", "1 g 1 Tr BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", -1, false},
		{"restored", "q 1 g Q BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 0, false},
		{"clipped", "q 300 300 50 50 re W n BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET Q", 0, true},
		{"inside the clip", "q 0 600 600 150 re W n BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET Q", 0, false},
		{"clip restored", "q 300 300 50 50 re W n Q BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET", 0, false},
		{"clips intersected", "q 0 600 600 150 re W n 300 0 300 800 re W n BT /F1 12 Tf 72 700 Td (Tamsin) Tj ET Q", 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := pagesDoc([]string{c.content}, func(b *builder) string {
				return "<< /Font << /F1 " + helvFont + " >> /ColorSpace << /Sep [/Separation /Spot /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>] >> >>"
			}, nil)
			doc, err := New(Options{}).Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			gl := doc.(*Document).models[0].text.glyphs
			if len(gl) == 0 {
				t.Fatal("no glyphs")
			}
			for _, g := range gl {
				grey, ok := g.grey()
				if !ok {
					grey = -1
				}
				if grey < c.grey-0.01 || grey > c.grey+0.01 || (g.paint&paintClipped != 0) != c.clipped {
					t.Fatalf("grey %.2f (known %v), clipped %v; want %.2f, %v", grey, ok, g.paint&paintClipped != 0, c.grey, c.clipped)
				}
			}
		})
	}
}

// A value of the readable text of a page written as an image whose glyphs
// paint nothing (invisible, white on white, clipped away, off the page)
// leaves with the text layer: the file is written, with a note, and no
// reader finds the value in the output; the page's other words stay.
func TestRasterUndrawn(t *testing.T) {
	requireOCR(t)
	for _, c := range []struct{ name, show string }{
		{"invisible", "BT 3 Tr /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET"},
		{"white on white", "BT 1 g /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET"},
		{"clipped away", "q 400 100 50 50 re W n BT /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET Q"},
		{"off the page", "BT /F2 20 Tf 72 -300 Td (Zebulon Marchetti) Tj ET"},
		{"invisible over a flat fill", "0.3 g 60 480 400 50 re f 0 g BT 3 Tr /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := witnessPage(t, c.show)
			checkUndrawnRedacted(t, in)
		})
	}
}

// checkUndrawnRedacted redacts the finding of marchettiEdit on page 1 of
// in, whose glyphs are not drawn: written as an image, passed over with a
// note, and the undrawn line's other word gone from the output's text and
// objects.
func checkUndrawnRedacted(t *testing.T, in []byte) {
	t.Helper()
	d, edits := marchettiEdit(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatalf("redact: %v", err)
	}
	checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Marchetti")
	if notes := strings.Join(d.Notes(), "\n"); !strings.Contains(notes, "page 1: 1 values found in its text are not drawn on it") {
		t.Errorf("notes:\n%s", notes)
	}
	if j := judgeRead(t, out.Bytes()); strings.Contains(j.pdftotext, "Zebulon") || bytes.Contains(j.raw, []byte("Zebulon")) {
		t.Error("the undrawn line's other word survives in the output's text or objects")
	}
}

// A finding whose glyphs are not drawn is passed over only when nothing
// else on the page could show it: here the page also draws a picture of
// the words (turned 90°, or tiny and away from the invisible layer),
// which OCR does not read as the value, so the name would stay visible on
// the written image. Such a page is refused, the reason never holding
// the value.
func TestRasterUndrawnVisibleElsewhere(t *testing.T) {
	requireOCR(t)
	words := wordsImage(t, "Zebulon Marchetti", 26)
	for _, c := range []struct{ name, more string }{
		{"turned picture, invisible layer", inlineGray(rotate90(words), 500, 300, 0.5) + " BT 3 Tr /F2 20 Tf 72 400 Td (Zebulon Marchetti) Tj ET"},
		{"turned picture, white layer", inlineGray(rotate90(words), 500, 300, 0.5) + " BT 1 g /F2 20 Tf 72 400 Td (Zebulon Marchetti) Tj ET"},
		{"tiny picture away from an invisible layer", inlineGray(words, 72, 470, 0.17) + " BT 3 Tr /F2 20 Tf 72 400 Td (Zebulon Marchetti) Tj ET"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := witnessPage(t, c.more)
			d, edits := marchettiEdit(t, in)
			var out bytes.Buffer
			err := d.Redact(&out, edits)
			if err == nil {
				t.Fatalf("written (notes %q); want refused: the picture of the words may stay on the image", d.Notes())
			}
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "its glyphs are not drawn") {
				t.Errorf("err = %v", err)
			}
			if strings.Contains(err.Error(), "Marchetti") || strings.Contains(err.Error(), "Zebulon") {
				t.Error("the reason holds the value")
			}
		})
	}
}

// wordsImage draws s in black on white in Go Regular at px pixels.
func wordsImage(t *testing.T, s string, px float64) *image.Gray {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, xfont.MeasureString(face, s).Ceil()+8, int(px*1.4)+4))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	(&xfont.Drawer{Dst: img, Src: image.Black, Face: face, Dot: fixed.P(4, int(px)+2)}).DrawString(s)
	return img
}

// rotate90 turns g a quarter turn clockwise.
func rotate90(g *image.Gray) *image.Gray {
	b := g.Bounds()
	r := image.NewGray(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r.SetGray(b.Dy()-1-y, x, g.GrayAt(x, y))
		}
	}
	return r
}

// inlineGray is content drawing g as an inline image at (x, y), a pixel
// scale points wide.
func inlineGray(g *image.Gray, x, y, scale float64) string {
	b := g.Bounds()
	return fmt.Sprintf(" q %.2f 0 0 %.2f %.2f %.2f cm BI /W %d /H %d /CS /G /BPC 8 /F /AHx ID %s> EI Q ", float64(b.Dx())*scale, float64(b.Dy())*scale, x, y, b.Dx(), b.Dy(), hex.EncodeToString(g.Pix))
}

// The other carriers of a page written as an image go with it: the value
// as the /ActualText of marked content, as the /Alt of a structure
// element of the page, as a text annotation's /Contents, and as text
// drawn invisibly (what pdftotext reads of the page), found in every
// part of the page, leaves no trace in the output's text, objects or
// rendering.
func TestRasterCarriers(t *testing.T) {
	requireOCR(t)
	in, err := pdftest.Type3PageWith(glyphName,
		" BT /F2 20 Tf 72 600 Td (Witness: Orsolya Quillanby) Tj ET /Span << /ActualText (Zebulon Marchetti) >> BDC BT 3 Tr /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET EMC",
		"/Annots [<< /Type /Annot /Subtype /Text /Rect [400 400 420 420] /Contents (Zebulon Marchetti) >>]",
		"/StructTreeRoot << /Type /StructTreeRoot /K [<< /Type /StructElem /S /Figure /Alt (Zebulon Marchetti) /Pg 3 0 R /K 0 >>] >> /MarkInfo << /Marked true >>")
	if err != nil {
		t.Fatal(err)
	}
	// The judge can fail: the input holds the value in all four places.
	if n := bytes.Count(judgeRead(t, in).raw, []byte("Marchetti")); n < 4 {
		t.Fatalf("the input holds the value %d times, want 4", n)
	}
	d, _ := rasterParse(t, in)
	var edits []redactors.Edit
	var where []string
	for pi, p := range d.Parts() {
		e := fuzzyEdits(d, pi, "Marchetti")
		if len(e) > 0 {
			where = append(where, fmt.Sprintf("%s: %d", p.Name, len(e)))
		}
		edits = append(edits, e...)
	}
	t.Logf("edits: %s", strings.Join(where, "; "))
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatalf("redact: %v", err)
	}
	checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Marchetti", "Zebulon")
	for _, k := range []string{"/ActualText", "/Alt", "/Annots", "/StructTreeRoot", "/Contents (Z"} {
		if bytes.Contains(judgeRead(t, out.Bytes()).raw, []byte(k)) {
			t.Errorf("%s survives in the output", k)
		}
	}
}

// Findings OCR does not locate and that are drawn, or not drawn but over
// ink (an invisible layer over lines, as over a picture), are refused, the reason saying which case it is and never the
// value; the diagnostic hook prints no letters of the value.
func TestRasterUnlocatedReasons(t *testing.T) {
	requireOCR(t)
	for _, c := range []struct{ name, show, why string }{
		{"invisible over lines", "60 496 400 2 re f 60 504 400 2 re f 60 512 400 2 re f BT 3 Tr /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET",
			"its glyphs are not drawn (invisible (text rendering mode 3 or 7)) but the rendering shows ink where they are"},
		{"drawn too small", "BT /F2 2 Tf 72 500 Td (Zebulon Marchetti) Tj ET", "its glyphs are drawn too small for OCR to read"},
		// Light grey over stripes of about its grey: not read even in its
		// region made legible (legible.go), which reads light grey on white.
		{"drawn light grey over stripes", "0.9 g " + stripes(480, 530) + "f BT 0.95 g /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET", "its glyphs are drawn with too little contrast for OCR to read"},
		{"covered by a white fill", "BT /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET 1 g 60 480 400 50 re f",
			"its glyphs are drawn but the rendering shows no ink where they are"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := witnessPage(t, c.show)
			d, edits := marchettiEdit(t, in)
			var dbg bytes.Buffer
			debugLocate = &dbg
			err := d.Redact(&bytes.Buffer{}, edits)
			debugLocate = nil
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), c.why) {
				t.Fatalf("error %v, want uninspectable: %s", err, c.why)
			}
			if strings.Contains(strings.ToLower(err.Error()), "marchetti") || strings.Contains(err.Error(), "Zebulon") {
				t.Errorf("the error holds the value: %v", err)
			}
			checkLocateDebug(t, dbg.String(), "Zebulon Marchetti")
		})
	}
}

// locateLine is the shape of every line the hook writes: fixed words,
// numbers, and the label the test's edits carry.
var locateLine = regexp.MustCompile(`^veil-debug-locate: (page \d+: finding not located: label "\[REDACTED\]", \d+ characters, \d+ glyph boxes; glyphs (drawn|not drawn: [a-z0-9 (),]+); smallest em [\d.]+ pt; lightest fill grey ([\d.]+|unknown)` +
	`|  box \d+: [-\d. ]+ pt, [-\d ]+ px; text (visible|invisible \(rendering mode 3 or 7\)), (inside the page|partly off the page|off the page); rendering (no pixel of the rendering|grey \d+ to \d+( \(no ink\))?)` +
	`|    reading \d+: \d+ words over the box \(length/confidence\): [\d/ ]*` +
	`|page \d+: a value of pdftotext's reading not located as often: \d+ characters, \d+ places in that reading, \d+ located by one OCR reading` +
	`|page \d+: \d+ values of pdftotext's reading only not located as often by the whole page; \d+ regions of passed-over glyphs read again` +
	`|page \d+: \d+ values of pdftotext's reading only \(no glyph box\), \d+ located as often by the readings of the whole page or of its regions read again)$`)

// checkLocateDebug fails unless out holds at least one finding and every
// line has the hook's shape (its only letters are fixed words and the
// label), and out does not hold value.
func checkLocateDebug(t *testing.T, out, value string) {
	t.Helper()
	if !strings.Contains(out, "finding not located") {
		t.Fatalf("the hook wrote nothing: %q", out)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !locateLine.MatchString(l) {
			t.Errorf("a line of an unknown shape: %q", l)
		}
	}
	if strings.Contains(strings.ToLower(out), strings.ToLower(value)) {
		t.Error("the hook's output holds the value")
	}
}

// FuzzGlyphPaint runs colour and clip operators of any shape before a
// line of text: the parse does not panic, a known grey is within 0–1,
// and markPaint over the whole text agrees with the glyphs.
func FuzzGlyphPaint(f *testing.F) {
	for _, s := range []string{"1 g", "0.2 0.4 1 rg", "0 0 0 0 k", "/DeviceRGB cs 1 1 1 sc", "/Sep cs 0 scn",
		"q 300 300 50 50 re W n", "0 600 600 150 re W* n 300 0 300 800 re W n", "W n", "1 Tr 1 g", "-3 g 7 7 7 rg", "/CalRGB cs 1 sc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ops string) {
		if len(ops) > 512 {
			return
		}
		in := pagesDoc([]string{ops + "\nBT /F1 12 Tf 72 700 Td (Tamsin Everard) Tj ET"}, func(b *builder) string {
			return "<< /Font << /F1 " + helvFont + " >> /ColorSpace << /Sep [/Separation /Spot /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>] >> >>"
		}, nil)
		doc, err := New(Options{}).Parse(in)
		if err != nil {
			return
		}
		d := doc.(*Document)
		pm := d.models[0]
		if pm == nil {
			return
		}
		all := uint8(0xff)
		for i := range pm.text.glyphs {
			g := &pm.text.glyphs[i]
			if grey, ok := g.grey(); ok && (grey < 0 || grey > 1) {
				t.Fatalf("grey %v", grey)
			}
			all &= undrawnOf(g, pm.insts[g.inst].space, rect{0, 0, 612, 792})
		}
		text := d.Parts()[0].Text
		if len(pm.text.glyphs) == 0 || text == "" {
			return
		}
		u, _, em := markPaint(pm, redactors.Edit{Part: 0, Start: 0, End: len(text)}, rect{0, 0, 612, 792})
		if u != all || em < 0 {
			t.Fatalf("markPaint %d, em %v; the glyphs say %d", u, em, all)
		}
	})
}

// witnessLine is the text every witnessPage shows above the case's own
// drawing: a found value that must stay located.
const witnessLine = " BT /F2 20 Tf 72 600 Td (Witness: Orsolya Quillanby) Tj ET "

// witnessPage returns a Type 3 page that shows witnessLine, then show.
func witnessPage(t *testing.T, show string) []byte {
	t.Helper()
	in, err := pdftest.Type3Page(glyphName, witnessLine+show)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// marchettiEdit parses in read as an image and returns the document and
// the one edit over "Marchetti" on the page's text.
func marchettiEdit(t *testing.T, in []byte) (*Document, []redactors.Edit) {
	t.Helper()
	d, _ := rasterParse(t, in)
	edits := fuzzyEdits(d, 0, "Marchetti")
	if len(edits) != 1 {
		t.Fatalf("%d edits on %q", len(edits), d.Parts()[0].Text)
	}
	return d, edits
}

// A white-on-white copy of a value whose every other copy on the page is
// drawn, read by OCR and blanked (pdf37; itu-t81's page 44, a figure
// caption in white next to its drawn twin): the words OCR reads like the
// value are the blanked copies, so no copy stays visible; the white one
// leaves with the text layer and the file is written (refused at 4a8049e:
// any word like the value counted). A word like the value that is not
// blanked (another word sharing three letters) still refuses.
func TestRasterUndrawnCopyBlanked(t *testing.T) {
	requireOCR(t)
	white := "BT 1 g /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET"
	t.Run("drawn copy blanked", func(t *testing.T) {
		in := witnessPage(t, white+" BT 0 g /F2 20 Tf 72 400 Td (Signed: Marchetti) Tj ET")
		d, _ := rasterParse(t, in)
		edits := fuzzyEdits(d, 0, "Marchetti")
		if len(edits) != 2 {
			t.Fatalf("%d edits, want the white and the drawn copy", len(edits))
		}
		var out bytes.Buffer
		if err := d.Redact(&out, edits); err != nil {
			t.Fatalf("redact: %v", err)
		}
		checkRasterOutput(t, d, out.Bytes(), 1, whyFonts, "Marchetti")
		if notes := strings.Join(d.Notes(), "\n"); !strings.Contains(notes, "page 1: 1 values found in its text are not drawn on it") {
			t.Errorf("notes:\n%s", notes)
		}
	})
	t.Run("like word not blanked", func(t *testing.T) {
		in := witnessPage(t, white+" BT 0 g /F2 20 Tf 72 400 Td (Signed: Marchese) Tj ET")
		d, edits := marchettiEdit(t, in)
		var out bytes.Buffer
		err := d.Redact(&out, edits)
		if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "OCR reads a word like the value") {
			t.Fatalf("err = %v (notes %q), want refused: a word like the value stays", err, d.Notes())
		}
		if strings.Contains(err.Error(), "Marche") {
			t.Error("the reason holds the value")
		}
	})
}

// covered agrees with a pixel-by-pixel check: every pixel of the box in
// one of the rectangles (an empty box is never covered).
func FuzzCovered(f *testing.F) {
	f.Add([]byte{0, 0, 10, 10, 0, 0, 5, 10, 5, 0, 10, 10})
	f.Add([]byte{0, 0, 10, 10, 0, 0, 5, 10, 6, 0, 10, 10})
	f.Add([]byte{2, 2, 8, 8, 0, 0, 10, 4, 0, 4, 10, 10})
	f.Add([]byte{2, 2, 8, 8})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 || len(b) > 4*12 {
			return
		}
		r := func(i int) image.Rectangle {
			return image.Rect(int(b[i]%24), int(b[i+1]%24), int(b[i+2]%24), int(b[i+3]%24))
		}
		box := r(0)
		var rects []image.Rectangle
		for i := 4; i+4 <= len(b); i += 4 {
			rects = append(rects, r(i))
		}
		want := !box.Empty()
		for y := box.Min.Y; y < box.Max.Y && want; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				in := false
				for _, rc := range rects {
					if (image.Point{x, y}).In(rc) {
						in = true
						break
					}
				}
				if !in {
					want = false
					break
				}
			}
		}
		if got := covered(box, rects); got != want {
			t.Fatalf("covered(%v, %v) = %v, want %v", box, rects, got, want)
		}
	})
}
