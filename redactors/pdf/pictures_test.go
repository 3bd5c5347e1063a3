package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
)

// gsExhibit renders a PostScript drawing of the exhibit's size (6 × 2.2
// inches, as filing draws it) to grey pixels at dpi with Ghostscript,
// anti-aliased as a scanner's or a camera's image is.
func gsExhibit(t *testing.T, dpi int, body string) *image.Gray {
	t.Helper()
	return gsImage(t, dpi, 432, 158.4, body)
}

// gsImage is gsExhibit for a drawing of w × h points.
func gsImage(t *testing.T, dpi int, w, h float64, body string) *image.Gray {
	t.Helper()
	judgeTool(t, "gs")
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.ps"), filepath.Join(dir, "out.png")
	ps := fmt.Sprintf("%%!\n<< /PageSize [%g %g] >> setpagedevice\n", w, h) + body + "\nshowpage\n"
	if err := os.WriteFile(src, []byte(ps), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", fmt.Sprintf("-r%d", dpi),
		"-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", "-sOutputFile="+dst, src)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gs: %v %s", err, b)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("gs wrote %T", img)
	}
	return g
}

// pictureFixtures are exhibits that hold text a person reads but OCR may
// not (handwriting-like script, stamps, signatures, small or faint print)
// and exhibits without text (a photograph-like scene, a chart). Names and
// dates are invented.
var pictureFixtures = []struct {
	name, ps string
	dpi      int
	text     bool
}{
	{"script note", `/Z003-MediumItalic findfont 16 scalefont setfont 20 110 moveto (Received with thanks, Orsolya Quillanby) show 20 80 moveto (on the twelfth of March) show`, 150, true},
	{"script note small faint", `0.55 setgray /Z003-MediumItalic findfont 9 scalefont setfont 20 110 moveto (Received with thanks, Orsolya Quillanby) show 20 95 moveto (on the twelfth of March) show`, 100, true},
	{"signature", `0.25 setgray 60 60 translate -6 rotate /Z003-MediumItalic findfont 34 scalefont setfont 0 0 moveto (Tamsin Everard) show 0 -8 moveto 260 0 rlineto 0.8 setlinewidth stroke`, 150, true},
	{"stamp", `0.5 setgray 150 40 translate 18 rotate 3 setlinewidth 0 0 150 60 rectstroke /NimbusSans-Bold findfont 22 scalefont setfont 14 32 moveto (FILED) show /NimbusSans-Bold findfont 13 scalefont setfont 14 10 moveto (MAR 12 2024) show`, 150, true},
	{"faint stamp", `0.75 setgray 150 40 translate -25 rotate 3 setlinewidth 0 0 150 60 rectstroke /NimbusSans-Bold findfont 20 scalefont setfont 12 32 moveto (RECEIVED) show /NimbusSans-Bold findfont 12 scalefont setfont 12 10 moveto (CLERK OF COURT) show`, 150, true},
	{"small print", `/NimbusSans-Regular findfont 4.5 scalefont setfont 20 120 moveto (Orsolya Quillanby, 41 Larchmere Road, telephone 555 0142) show 20 110 moveto (Tamsin Everard, witness, statement taken on the twelfth of March) show`, 150, true},
	{"scene", `0 1 431 { dup 431 div 0.6 mul 0.2 add setgray 0 1 158.4 rectfill } for
0.15 setgray 120 70 45 0 360 arc fill 0.85 setgray 300 90 30 0 360 arc fill 0.4 setgray 40 20 moveto 200 60 lineto 400 10 lineto fill
0.3 setgray 250 20 50 40 rectfill`, 150, false},
	{"chart", `0.9 setgray 0 0 432 158.4 rectfill 0 setgray 1 setlinewidth 40 20 moveto 40 140 lineto stroke 40 20 moveto 410 20 lineto stroke
0.3 setgray 60 20 40 70 rectfill 0.5 setgray 130 20 40 100 rectfill 0.2 setgray 200 20 40 45 rectfill 0.6 setgray 270 20 40 110 rectfill 0.4 setgray 340 20 40 80 rectfill`, 150, false},
}

// pictureOf parses the filing built around g under PicturesKeep (the
// other images dropped) and returns what became of the exhibit.
func pictureOf(t *testing.T, g *image.Gray) (*Document, *imgRead) {
	t.Helper()
	f := New(Options{Images: ImagesOCR, Unread: ImagesDrop, Pictures: PicturesKeep})
	doc, err := f.Parse(filing(t, g, "flate"))
	if err != nil {
		t.Fatal(err)
	}
	d := doc.(*Document)
	return d, d.ocrRead[d.models[0].imgUses[0].nr]
}

// TestPicturesWithoutText is the court policy's three classes of images
// (pictures.go) over the fixtures: an exhibit that holds text is read or
// unread, never kept as a picture without text; the scene and the chart
// are kept. The log gives each fixture's class and reason.
func TestPicturesWithoutText(t *testing.T) {
	requireOCR(t)
	counts := map[string]int{}
	for _, c := range pictureFixtures {
		t.Run(c.name, func(t *testing.T) {
			_, ir := pictureOf(t, gsExhibit(t, c.dpi, c.ps))
			class := "unread"
			switch {
			case ir.kind == images.PageText:
				class = "read"
			case ir.picture:
				class = "picture"
			case ir.kind == images.PageBlank && ir.notPicture == "":
				class = "blank"
			}
			counts[fmt.Sprintf("text %v: %s", c.text, class)]++
			t.Logf("%s: %s (kind %v) %s", c.name, class, ir.kind, ir.notPicture)
			if c.text && (class == "picture" || class == "blank") {
				t.Errorf("an exhibit with text is kept as %s", class)
			}
			if !c.text && !ir.picture {
				t.Errorf("a picture without text is %s: %s", class, ir.notPicture)
			}
		})
	}
	t.Logf("classes: %v", counts)
}

// A kept picture is written as it is (its pixels unchanged), named in the
// notes by page and image; under PicturesUnread with Unread quarantine
// the same file is refused, naming the page, the image and why.
func TestPictureKept(t *testing.T) {
	requireOCR(t)
	g := gsExhibit(t, 150, pictureFixtures[len(pictureFixtures)-2].ps)
	in := filing(t, g, "flate")
	out, d := redactFormat(t, New(Options{Images: ImagesOCR, Unread: ImagesDrop, Pictures: PicturesKeep}), in)
	notes := strings.Join(d.Notes(), "\n")
	if !strings.Contains(notes, "page 1, image 1: image kept: no text found") {
		t.Errorf("notes: %s", notes)
	}
	before, after := extractImages(t, in), extractImages(t, out)
	if len(before) == 0 || len(after) == 0 || before[0].w != after[0].w || before[0].h != after[0].h {
		t.Fatalf("the picture is not in the output")
	}
	for i := range before[0].pix {
		if before[0].pix[i] != after[0].pix[i] {
			t.Fatal("the kept picture's pixels changed")
		}
	}
	_, err := New(Options{Images: ImagesOCR, Unread: ImagesQuarantine}).Parse(in)
	if !errors.Is(err, redactors.ErrNoText) || !strings.Contains(err.Error(), "page 1, image 1: a picture on which OCR reads no text") {
		t.Errorf("unread quarantine: %v", err)
	}
}

// redactFormat parses in with format f and redacts it without edits.
func redactFormat(t *testing.T, f Format, in []byte) ([]byte, *Document) {
	t.Helper()
	doc, err := f.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := doc.Redact(&b, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), doc.(*Document)
}

// pageMeter counts the OCR pages reported to it (ocr.Meter).
type pageMeter struct {
	mu sync.Mutex
	n  int
}

func (m *pageMeter) OCRPages(n int) { m.mu.Lock(); m.n += n; m.mu.Unlock() }

// A picture cut into strips (as some producers write one) costs an OCR
// reading per strip, but adds to its file's budget no more than its
// pages read twice (imageOCRPages): ten strips on one page report 2
// pages, not 10, and each strip is still judged.
func TestStripsChargeThePage(t *testing.T) {
	requireOCR(t)
	const strips, w, h = 10, 120, 12
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td (Exhibit C follows.) Tj ET ")
	for i := 0; i < strips; i++ {
		fmt.Fprintf(&content, "q 360 0 0 36 100 %d cm /S%d Do Q ", 300+36*i, i)
	}
	in := pagesDoc([]string{content.String()}, func(b *builder) string {
		var xo strings.Builder
		for i := 0; i < strips; i++ {
			px := make([]byte, w*h)
			for k := range px {
				px[k] = uint8((k*37 + i*91) % 251) // noise: a picture, read magnified
			}
			nr := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", w, h), px, false))
			fmt.Fprintf(&xo, "/S%d %d 0 R ", i, nr)
		}
		return "<< /Font << /F1 " + helvFont + " >> /XObject << " + xo.String() + ">> >>"
	}, nil)
	m := &pageMeter{}
	f := New(Options{Images: ImagesOCR, Unread: ImagesDrop, Pictures: PicturesKeep})
	doc, err := f.ParseContext(ocr.WithMeter(context.Background(), m), in)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.(*Document)
	if len(d.ocrRead) != strips {
		t.Fatalf("%d images judged, want %d", len(d.ocrRead), strips)
	}
	if m.n != imageOCRPages(1) {
		t.Errorf("%d OCR pages charged for %d strips on one page, want %d", m.n, strips, imageOCRPages(1))
	}
}
