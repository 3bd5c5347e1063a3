package pdf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// The image tests draw a 200×100 image over x 100-500, y 500-700 (two page
// units a pixel) and the line "Ms. Ellison wrote" in 20 pt Helvetica at
// (150, 600); redacting "Ellison" boxes x 187.2-247.3, y 595.4-616.6. In
// pixels: columns 43-73, rows 41-52. The images are extracted with poppler's
// pdfimages from the input and the output and compared pixel by pixel.
const imgW, imgH = 200, 100

var (
	// boxInner lies inside the box: every pixel there must be blanked.
	boxInner = image.Rect(45, 43, 72, 52)
	// boxOuter contains the box: no pixel outside it may change.
	boxOuter = image.Rect(42, 40, 75, 54)
)

// An invisible word ("scan", an OCR layer's) lies over the image's lower
// left, far from the box: the image is read, and kept.
const imagePage = "BT /F1 20 Tf 150 600 Td (Ms. Ellison wrote) Tj ET q 400 0 0 200 100 500 cm /Im Do Q BT 3 Tr /F1 10 Tf 110 510 Td (scan) Tj ET"

// sample is the test pattern: a gradient that is never 0.
func sample(x, y, c int) int { return 40 + (x*7+y*3+c*50)%200 }

// pack writes the test pattern with comps components of bpc bits.
func pack(comps, bpc int, val func(x, y, c int) int) []byte {
	row := (imgW*comps*bpc + 7) / 8
	out := make([]byte, row*imgH)
	for y := 0; y < imgH; y++ {
		for x := 0; x < imgW; x++ {
			for c := 0; c < comps; c++ {
				setSample(out[y*row:(y+1)*row], x*comps+c, bpc, uint32(val(x, y, c)))
			}
		}
	}
	return out
}

// pngUp encodes rows with the PNG Up predictor (Predictor 12).
func pngUp(data []byte, row int) []byte {
	var out []byte
	prev := make([]byte, row)
	for y := 0; y*row < len(data); y++ {
		r := data[y*row : (y+1)*row]
		out = append(out, 2)
		for i := range r {
			out = append(out, r[i]-prev[i])
		}
		prev = r
	}
	return out
}

func jpegOf(t *testing.T, gray bool) []byte {
	var img image.Image
	if gray {
		g := image.NewGray(image.Rect(0, 0, imgW, imgH))
		for y := 0; y < imgH; y++ {
			for x := 0; x < imgW; x++ {
				g.SetGray(x, y, color.Gray{uint8(120 + x%40)})
			}
		}
		img = g
	} else {
		c := image.NewRGBA(image.Rect(0, 0, imgW, imgH))
		for y := 0; y < imgH; y++ {
			for x := 0; x < imgW; x++ {
				c.Set(x, y, color.RGBA{uint8(100 + x%50), uint8(150 + y%40), 180, 255})
			}
		}
		img = c
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// imageDoc builds the test page with image dictionary entries dict and
// stream data; extra objects (a soft mask) come from more.
func imageDoc(dict string, data []byte, more func(b *builder) string) []byte {
	return pagesDoc([]string{imagePage}, func(b *builder) string {
		extra := ""
		if more != nil {
			extra = more(b)
		}
		im := b.add(stream("/Type /XObject /Subtype /Image /Width 200 /Height 100 "+dict+" "+extra, data, false))
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Im %d 0 R >> >>", helvFont, im)
	}, nil)
}

func zlibBytes(b []byte) []byte { return deflate(b) }

func TestBlankImages(t *testing.T) {
	gray8 := pack(1, 8, sample)
	smask := func(b *builder) string {
		m := b.add(stream("/Type /XObject /Subtype /Image /Width 200 /Height 100 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
			zlibBytes(pack(1, 8, func(x, y, c int) int { return 255 - sample(x, y, c)/2 })), false))
		return fmt.Sprintf("/SMask %d 0 R", m)
	}
	palette := "<" + strings.Repeat("00", 3) + strings.Repeat("ff8040", 15) + ">"
	cases := []struct {
		name  string
		dict  string
		data  []byte
		more  func(b *builder) string
		lossy bool
	}{
		{"gray 8 flate", "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", zlibBytes(gray8), nil, false},
		{"gray 8 png predictor", "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 200 >>",
			zlibBytes(pngUp(gray8, imgW)), nil, false},
		{"rgb 8 raw", "/ColorSpace /DeviceRGB /BitsPerComponent 8", pack(3, 8, sample), nil, false},
		{"cmyk 8 flate", "/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /FlateDecode", zlibBytes(pack(4, 8, sample)), nil, false},
		{"gray 1", "/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode",
			zlibBytes(pack(1, 1, func(x, y, c int) int { return 1 - (x/3+y/2)%2 })), nil, false},
		{"gray 16", "/ColorSpace /DeviceGray /BitsPerComponent 16 /Filter /FlateDecode",
			zlibBytes(pack(1, 16, func(x, y, c int) int { return sample(x, y, c) * 257 })), nil, false},
		{"indexed 4", "/ColorSpace [/Indexed /DeviceRGB 15 " + palette + "] /BitsPerComponent 4 /Filter /FlateDecode",
			zlibBytes(pack(1, 4, func(x, y, c int) int { return 1 + (x+y)%15 })), nil, false},
		{"rgb with soft mask", "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode", zlibBytes(pack(3, 8, sample)), smask, false},
		{"stencil mask", "/ImageMask true /Filter /FlateDecode",
			zlibBytes(pack(1, 1, func(x, y, c int) int { return (x / 4) % 2 })), nil, false},
		{"jpeg gray", "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", jpegOf(t, true), nil, true},
		{"jpeg rgb", "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", jpegOf(t, false), nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := imageDoc(c.dict, c.data, c.more)
			out, d := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "X", "Ellison") })
			if !strings.Contains(strings.Join(d.Notes(), ";"), "1 images blanked") {
				t.Errorf("notes %q", d.Notes())
			}
			before, after := extractImages(t, in), extractImages(t, out)
			if len(before) != len(after) || len(before) == 0 {
				t.Fatalf("%d images before, %d after", len(before), len(after))
			}
			for i := range before {
				// Masks and CMYK (which poppler converts to RGB) must be
				// uniform under the box; the others black.
				uniform := c.name == "stencil mask" || c.name == "cmyk 8 flate" || i > 0
				compareBlanked(t, before[i], after[i], c.lossy, uniform)
			}
			judge(t, in, out, []string{"Ellison"}, []string{"wrote"})
		})
	}
}

// compareBlanked checks that every pixel inside boxInner is blanked (black,
// or for a mask any one uniform value) and that no pixel outside boxOuter
// changed (for JPEG: on average by less than 3 levels away from the box).
func compareBlanked(t *testing.T, a, b *pnm, lossy, anyUniform bool) {
	t.Helper()
	if a.w != b.w || a.h != b.h || a.ch != b.ch {
		t.Fatalf("image shape %dx%dx%d became %dx%dx%d", a.w, a.h, a.ch, b.w, b.h, b.ch)
	}
	inner := map[[3]int]int{} // pixel values under the box
	changedInner := 0
	for y := boxInner.Min.Y; y < boxInner.Max.Y; y++ {
		for x := boxInner.Min.X; x < boxInner.Max.X; x++ {
			var px [3]int
			for c := 0; c < a.ch; c++ {
				px[c] = b.at(x, y, c)
				if px[c] != a.at(x, y, c) {
					changedInner++
				}
			}
			inner[px]++
		}
	}
	switch {
	case lossy:
		for px := range inner {
			if px[0] > 40 || px[1] > 40 || px[2] > 40 {
				t.Errorf("a pixel under the box reads %v after re-encoding, want near black", px)
				break
			}
		}
	case len(inner) != 1:
		t.Errorf("pixels under the box take %d values, want one", len(inner))
	case !anyUniform && inner[[3]int{}] == 0:
		t.Errorf("pixels under the box are not black: %v", inner)
	}
	if changedInner == 0 && !anyUniform {
		t.Error("no pixel under the box changed")
	}
	far := boxOuter
	if lossy {
		far = image.Rect(boxOuter.Min.X-16, boxOuter.Min.Y-16, boxOuter.Max.X+16, boxOuter.Max.Y+16)
	}
	diff, n, changed := 0, 0, 0
	for y := 0; y < a.h; y++ {
		for x := 0; x < a.w; x++ {
			if (image.Point{x, y}).In(far) {
				continue
			}
			for c := 0; c < a.ch; c++ {
				d := a.at(x, y, c) - b.at(x, y, c)
				if d < 0 {
					d = -d
				}
				diff += d
				n++
				if d != 0 {
					changed++
				}
			}
		}
	}
	if lossy {
		if n > 0 && float64(diff)/float64(n) >= 3 {
			t.Errorf("pixels away from the box changed by %.1f levels on average", float64(diff)/float64(n))
		}
	} else if changed > 0 {
		t.Errorf("%d samples outside the box changed", changed)
	}
}

// pnm is an image read from pdfimages' PBM/PGM/PPM output; 0 is black.
type pnm struct {
	w, h, ch int
	maxv     int
	pix      []int
}

func (p *pnm) at(x, y, c int) int { return p.pix[(y*p.w+x)*p.ch+c] }

// extractImages runs pdfimages over a PDF and reads every image it writes.
func extractImages(t *testing.T, data []byte) []*pnm {
	t.Helper()
	tool(t, "pdfimages")
	dir := t.TempDir()
	src := filepath.Join(dir, "in.pdf")
	os.WriteFile(src, data, 0o644)
	if b, err := exec.Command("pdfimages", src, filepath.Join(dir, "im")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v %s", err, b)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "im-*"))
	sort.Strings(names)
	var out []*pnm
	for _, n := range names {
		out = append(out, readPNM(t, n))
	}
	return out
}

func readPNM(t *testing.T, path string) *pnm {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var magic string
	p := &pnm{maxv: 1}
	fmt.Fscan(r, &magic, &p.w, &p.h)
	switch magic {
	case "P4":
		p.ch = 1
	case "P5":
		p.ch = 1
		fmt.Fscan(r, &p.maxv)
	case "P6":
		p.ch = 3
		fmt.Fscan(r, &p.maxv)
	default:
		t.Fatalf("%s: unexpected format %q", path, magic)
	}
	r.ReadByte() // the single white space before the data
	p.pix = make([]int, p.w*p.h*p.ch)
	if magic == "P4" {
		row := (p.w + 7) / 8
		buf := make([]byte, row)
		for y := 0; y < p.h; y++ {
			if _, err := io.ReadFull(r, buf); err != nil {
				t.Fatal(err)
			}
			for x := 0; x < p.w; x++ {
				p.pix[y*p.w+x] = 255 * (1 - int(buf[x/8]>>(7-x%8))&1) // PBM: 1 is black

			}
		}
		return p
	}
	bps := 1
	if p.maxv > 255 {
		bps = 2
	}
	buf := make([]byte, len(p.pix)*bps)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	for i := range p.pix {
		if bps == 2 {
			p.pix[i] = int(buf[2*i])<<8 | int(buf[2*i+1])
		} else {
			p.pix[i] = int(buf[i])
		}
	}
	return p
}

// Images that cannot be decoded keep the file in quarantine.
func TestBlankImageUnsupported(t *testing.T) {
	for _, f := range []string{"/JPXDecode", "/JBIG2Decode", "[/FlateDecode /JPXDecode]", "/Elena_Sandoval_Intake", "[/Elena_Sandoval_Intake /FlateDecode]"} {
		in := imageDoc("/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter "+f, []byte("not decodable"), nil)
		d := parse(t, in)
		err := d.Redact(&bytes.Buffer{}, editsFor(d, "X", "Ellison"))
		if !errors.Is(err, redactors.ErrUninspectable) {
			t.Errorf("%s: error %v, want uninspectable", f, err)
		}
		// A filter's name is the file's text: only standard ones are shown.
		if err != nil && strings.Contains(err.Error(), "Sandoval") {
			t.Errorf("%s: error names the filter: %v", f, err)
		}
	}
}

// A pixel meets a box when their areas overlap; touching edges do not.
func TestCellHit(t *testing.T) {
	q := quad{{1, 1}, {3, 1}, {3, 2}, {1, 2}}
	for _, c := range []struct {
		x, y float64
		want bool
	}{{1, 1, true}, {2, 1, true}, {0, 1, false}, {3, 1, false}, {1, 0, false}, {1, 2, false}, {0.5, 0.5, true}} {
		if got := cellHit(&q, c.x, c.y); got != c.want {
			t.Errorf("cellHit(%g,%g) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	// A box rotated by 45° around (5,5) with half-diagonal 1 reaches only
	// the four pixels around its centre.
	r := quad{{5, 4}, {6, 5}, {5, 6}, {4, 5}}
	n := eachHit([]quad{r}, 10, 10, func(int, int) {})
	if n != 4 {
		t.Errorf("rotated box meets %d pixels, want 4", n)
	}
}

// g4Stripes encodes a 200×100 CCITT Group 4 image of vertical stripes (4
// white, 2 black, repeated; the last 2 white): the first row in horizontal
// mode against the imaginary white row, the others in vertical mode V0.
func g4Stripes() []byte {
	var bits []byte
	put := func(s string) { bits = append(bits, s...) }
	for x := 0; x+6 <= 198; x += 6 {
		put("001" + "1011" + "11") // H, white 4, black 2
	}
	put("1") // V0 to the end of the row
	for y := 1; y < imgH; y++ {
		put(strings.Repeat("1", 67)) // every change right above: V0
	}
	put("000000000001000000000001") // EOFB
	out := make([]byte, (len(bits)+7)/8)
	for i, b := range bits {
		if b == '1' {
			out[i/8] |= 0x80 >> (i % 8)
		}
	}
	return out
}

func TestBlankCCITTImage(t *testing.T) {
	in := imageDoc("/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 200 /Rows 100 >>", g4Stripes(), nil)
	before := extractImages(t, in)
	if len(before) != 1 || before[0].at(0, 0, 0) != 255 || before[0].at(4, 50, 0) != 0 {
		t.Fatalf("the fixture does not read as stripes")
	}
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "X", "Ellison") })
	after := extractImages(t, out)
	if len(after) != 1 {
		t.Fatalf("%d images after", len(after))
	}
	compareBlanked(t, before[0], after[0], false, false)
	judge(t, in, out, []string{"Ellison"}, []string{"wrote"})
}

// Over a scan, the invisible OCR word is scaled to the scanned word as a
// whole, not letter by letter: the box covers the whole word ("(Ellison,"),
// not only the redacted letters; visible text keeps tight boxes.
func TestOCRWordBox(t *testing.T) {
	for _, c := range []struct {
		tr    string
		whole bool
	}{{"3", true}, {"7", true}, {"0", false}} {
		in := pagesDoc([]string{"BT " + c.tr + " Tr /F1 20 Tf 60 Tz 150 600 Td (Ms.) Tj 40 0 Td (\\(Ellison,) Tj 80 0 Td (wrote) Tj ET"}, helvRes, nil)
		d := parse(t, in)
		pm := d.models[0]
		_, boxes := planPage(pm, editsFor(d, "X", "Ellison"))
		if len(boxes) != 1 {
			t.Fatalf("Tr %s: %d boxes", c.tr, len(boxes))
		}
		var open, comma *glyph
		text := pm.text.b.String()
		for i := range pm.text.glyphs {
			g := &pm.text.glyphs[i]
			switch text[g.start:g.end] {
			case "(":
				open = g
			case ",":
				comma = g
			}
		}
		b := boxes[0].bounds
		covers := b.x0 <= float64(open.ox) && b.x1 >= float64(comma.ox)+float64(comma.w)*float64(comma.ex[0])
		if covers != c.whole {
			t.Errorf("Tr %s: box %v covers the whole word: %v, want %v", c.tr, b, covers, c.whole)
		}
	}
}
