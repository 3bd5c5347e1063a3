package pdf

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// Class 4, an OCR layer narrower than the scanned words. The "scan" is a
// 600×100 grey image drawn at 0.5 page units a pixel over x 72-372, y
// 600-650: three words of dark grey (60) letters, 8-pixel strokes 2 pixels
// apart, rows 30-70, on light grey (230). The invisible OCR text covers
// the first word whole and only the first half of the second and third.
const (
	scanW, scanH    = 600, 100
	scanInk, scanBG = 60, 230
)

// scanWords are the ink columns of the scanned words.
var scanWords = [][2]int{{20, 110}, {140, 300}, {330, 520}}

// scanImage returns the scan's samples; long makes the second word's ink
// run on to the right edge (a scan the OCR text does not describe).
func scanImage(long bool) []byte {
	px := make([]byte, scanW*scanH)
	for i := range px {
		px[i] = scanBG
	}
	words := append([][2]int(nil), scanWords...)
	if long {
		words[1][1], words = scanW, words[:2]
	}
	for _, w := range words {
		for x := w[0]; x < w[1]; x++ {
			if (x-w[0])%10 >= 8 {
				continue // the gap between letters
			}
			for y := 30; y < 70; y++ {
				px[y*scanW+x] = scanInk
			}
		}
	}
	return px
}

// ocrWord shows word invisibly, scaled to span page x from x0 to x1.
func ocrWord(word string, x0, x1 float64) string {
	natural := 0.0
	for i := 0; i < len(word); i++ {
		natural += coreWidth("Helvetica", "", word[i]) * 24
	}
	return fmt.Sprintf("%s Tz 1 0 0 1 %s 615 Tm (%s) Tj ", fmtNum((x1-x0)/natural*100), fmtNum(x0), word)
}

func scanPage(long bool) []byte {
	page := func(px int) float64 { return 72 + float64(px)/2 }
	content := "q 300 0 0 50 72 600 cm /Scan Do Q BT 3 Tr /F1 24 Tf " +
		ocrWord("Maria", page(20), page(110)) +
		ocrWord("Sandoval", page(140), page(220)) + // ink to 300
		ocrWord("03/14/1962", page(330), page(425)) + // ink to 520
		"0 Tr 100 Tz /F1 12 Tf 1 0 0 1 72 700 Tm (Patient label, scanned) Tj ET"
	return pagesDoc([]string{content}, func(b *builder) string {
		im := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", scanW, scanH),
			deflate(scanImage(long)), false))
		b.objs[im-1] = strings.Replace(b.objs[im-1], "/BitsPerComponent 8", "/BitsPerComponent 8 /Filter /FlateDecode", 1)
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Scan %d 0 R >> >>", helvFont, im)
	}, nil)
}

// grayImages extracts the images of a PDF with poppler's pdfimages.
func grayImages(t *testing.T, data []byte) []*image.Gray {
	t.Helper()
	pdfimages := judgeTool(t, "pdfimages")
	dir := t.TempDir()
	src := filepath.Join(dir, "f.pdf")
	os.WriteFile(src, data, 0o644)
	if b, err := exec.Command(pdfimages, "-png", src, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v\n%s", err, b)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	var out []*image.Gray
	for _, f := range files {
		r, _ := os.Open(f)
		img, err := png.Decode(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		g, ok := img.(*image.Gray)
		if !ok {
			t.Fatalf("image %s is %T, want grey", f, img)
		}
		out = append(out, g)
	}
	return out
}

// The box over an OCR word and the pixels blanked cover the scanned word's
// whole ink, not only the OCR text's width; other words stay.
func TestDoorOCRNarrowerThanScan(t *testing.T) {
	in := scanPage(false)
	for _, c := range []struct {
		value  string
		word   int // index in scanWords
		others []int
	}{{"Sandoval", 1, []int{0, 2}}, {"03/14/1962", 2, []int{0, 1}}} {
		t.Run(c.value, func(t *testing.T) {
			d := parse(t, in)
			// The box drawn: grown to the ink (page x of the word's last column).
			_, boxes := planPage(d.models[0], editsFor(d, "X", c.value))
			if err := d.growOCRBoxes(d.models[0], 1, boxes, map[int]*ink{}); err != nil {
				t.Fatal(err)
			}
			if len(boxes) != 1 || boxes[0].bounds.x1 < 72+float64(scanWords[c.word][1]-2)/2 || boxes[0].bounds.x0 > 72+float64(scanWords[c.word][0])/2 {
				t.Fatalf("boxes %+v do not cover the scanned word's ink", boxes)
			}
			out := redactWith(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "X", c.value) })
			imgs := grayImages(t, out)
			if len(imgs) != 1 || imgs[0].Bounds().Dx() != scanW {
				t.Fatalf("%d images in the output", len(imgs))
			}
			img := imgs[0]
			w := scanWords[c.word]
			for x := w[0]; x < w[1]; x++ {
				for y := 30; y < 70; y++ {
					if v := img.GrayAt(x, y).Y; v != 0 && v != scanBG {
						t.Fatalf("ink of the redacted word at (%d,%d) is %d: not blanked", x, y, v)
					}
				}
			}
			for _, o := range c.others {
				for x := scanWords[o][0]; x < scanWords[o][1]; x += 10 {
					if v := img.GrayAt(x, 50).Y; v != scanInk {
						t.Errorf("ink of another word at (%d,50) is %d, want %d", x, v, scanInk)
					}
				}
			}
			judgeClean(t, out, []string{c.value}, []string{"Patient label, scanned"})
		})
	}
}

// A scan whose ink runs on far beyond the OCR word: OCR and scan disagree
// beyond tolerance, and the page is uninspectable.
func TestDoorOCRDisagrees(t *testing.T) {
	d := parse(t, scanPage(true))
	err := d.Redact(&bytesDiscard{}, editsFor(d, "X", "Sandoval"))
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "beyond its OCR text") {
		t.Errorf("error %v, want uninspectable: the scanned word runs on beyond its OCR text", err)
	}
}

type bytesDiscard struct{}

func (*bytesDiscard) Write(p []byte) (int, error) { return len(p), nil }
