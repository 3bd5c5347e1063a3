package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
	"golang.org/x/image/tiff/lzw"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// testImages returns small images of every colour model the TIFF writer
// handles, with structure (runs) and noise.
func testImages() map[string]tiffPage {
	r := rand.New(rand.NewPCG(1, 2))
	const w, h = 37, 23
	gray := image.NewGray(image.Rect(0, 0, w, h))
	bw := image.NewGray(image.Rect(0, 0, w, h))
	g16 := image.NewGray16(image.Rect(0, 0, w, h))
	rgb := image.NewRGBA(image.Rect(0, 0, w, h))
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	pal := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black, color.RGBA{200, 10, 10, 255}})
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(r.IntN(256))
			if x < w/2 {
				v = uint8(x * 7) // runs for PackBits and LZW
			}
			gray.Pix[y*gray.Stride+x] = v
			if (x/3+y/2)%2 == 0 {
				bw.Pix[y*bw.Stride+x] = 255
			}
			g16.SetGray16(x, y, color.Gray16{uint16(v)<<8 | uint16(x)})
			rgb.Set(x, y, color.RGBA{v, uint8(x * 5), uint8(y * 9), 255})
			nrgba.Set(x, y, color.NRGBA{v, uint8(x * 5), uint8(y * 9), uint8(y * 11)})
			pal.SetColorIndex(x, y, uint8((x+y)%3))
		}
	}
	return map[string]tiffPage{
		"gray8":     {img: gray, xdpi: 300, ydpi: 300},
		"bilevel":   {img: bw, bilevel: true, xdpi: 200, ydpi: 100},
		"bilevelWZ": {img: bw, bilevel: true, whiteZero: true},
		"gray16":    {img: g16},
		"rgb":       {img: rgb, xdpi: 150, ydpi: 150},
		"nrgba":     {img: nrgba},
		"paletted":  {img: pal},
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds().Size() != b.Bounds().Size() {
		return false
	}
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			c1 := color.NRGBA64Model.Convert(a.At(ab.Min.X+x, ab.Min.Y+y))
			c2 := color.NRGBA64Model.Convert(b.At(bb.Min.X+x, bb.Min.Y+y))
			if c1 != c2 {
				return false
			}
		}
	}
	return true
}

// The TIFF writer's pages read back pixel for pixel through
// golang.org/x/image/tiff, for every compression and colour model, and
// keep their resolution and bit depth.
func TestTIFFRoundTrip(t *testing.T) {
	for name, p := range testImages() {
		for _, c := range []uint32{cNone, cPackBits, cLZW, cDeflate} {
			p1, p2 := p, p
			p1.compression, p2.compression = c, c
			var buf bytes.Buffer
			if err := writeTIFF(&buf, []tiffPage{p1, p2}); err != nil {
				t.Fatalf("%s/%d: %v", name, c, err)
			}
			pages, info, err := decodeFile(buf.Bytes())
			if err != nil {
				t.Fatalf("%s/%d: decode: %v", name, c, err)
			}
			if info.kind != kindTIFF || len(pages) != 2 {
				t.Fatalf("%s/%d: %v, %d pages", name, c, info.kind, len(pages))
			}
			for i, got := range pages {
				if !samePixels(p.img, got.img) {
					t.Errorf("%s/%d: page %d pixels differ", name, c, i+1)
				}
				if got.compression != c || got.bilevel != p.bilevel || got.whiteZero != p.whiteZero {
					t.Errorf("%s/%d: page %d read as compression %d bilevel %v/%v", name, c, i+1, got.compression, got.bilevel, got.whiteZero)
				}
				if p.xdpi > 0 && (round(got.xdpi) != p.xdpi || round(got.ydpi) != p.ydpi) {
					t.Errorf("%s/%d: resolution %v×%v, want %v×%v", name, c, got.xdpi, got.ydpi, p.xdpi, p.ydpi)
				}
			}
		}
	}
}

func round(f float64) float64 { return float64(int(f + 0.5)) }

// TIFF's LZW, against golang.org/x/image/tiff/lzw, over inputs long
// enough to fill the code table several times.
func TestLZW(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	inputs := [][]byte{nil, {7}, bytes.Repeat([]byte{1, 2, 3}, 5000), make([]byte, 100000)}
	noisy := make([]byte, 60000)
	for i := range noisy {
		noisy[i] = byte(r.IntN(256))
		if i%5 == 0 {
			noisy[i] = 0
		}
	}
	inputs = append(inputs, noisy)
	for i, in := range inputs {
		enc := lzwEncode(in)
		got, err := io.ReadAll(lzw.NewReader(bytes.NewReader(enc), lzw.MSB, 8))
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
		if !bytes.Equal(got, in) {
			t.Fatalf("input %d: round trip differs (%d bytes, want %d)", i, len(got), len(in))
		}
	}
}

func TestPackBits(t *testing.T) {
	in := []byte{1, 1, 1, 1, 2, 3, 4, 4, 5, 5, 5, 6}
	in = append(in, bytes.Repeat([]byte{9}, 300)...)
	enc := packBits(nil, in)
	var out []byte
	for i := 0; i < len(enc); {
		n := int(int8(enc[i]))
		i++
		switch {
		case n >= 0:
			out = append(out, enc[i:i+n+1]...)
			i += n + 1
		case n != -128:
			out = append(out, bytes.Repeat([]byte{enc[i]}, 1-n)...)
			i++
		}
	}
	if !bytes.Equal(out, in) {
		t.Errorf("PackBits round trip: %v", out)
	}
}

// The quality of a JPEG is read back from its quantisation tables.
func TestJPEGQuality(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	for _, q := range []int{20, 50, 70, 85, 92, 100} {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
			t.Fatal(err)
		}
		m, err := scanJPEG(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if d := m.quality - q; d < -1 || d > 1 {
			t.Errorf("quality %d estimated as %d", q, m.quality)
		}
	}
}

// Each EXIF orientation turns the stored pixels upright: the marked corner
// of an upright 3×2 image must come back to the top left.
func TestOrient(t *testing.T) {
	up := image.NewGray(image.Rect(0, 0, 3, 2))
	up.Pix = []byte{10, 20, 30, 40, 50, 60}
	// stored forms of up for each orientation (what a camera writes)
	stored := map[int][]byte{ // width, height, pixels
		1: {10, 20, 30, 40, 50, 60},
		2: {30, 20, 10, 60, 50, 40},
		3: {60, 50, 40, 30, 20, 10},
		4: {40, 50, 60, 10, 20, 30},
		5: {10, 40, 20, 50, 30, 60},
		6: {30, 60, 20, 50, 10, 40},
		7: {60, 30, 50, 20, 40, 10},
		8: {40, 10, 50, 20, 60, 30},
	}
	for o, px := range stored {
		w, h := 3, 2
		if o >= 5 {
			w, h = 2, 3
		}
		s := image.NewGray(image.Rect(0, 0, w, h))
		copy(s.Pix, px)
		got := orient(s, o)
		if !samePixels(got, up) {
			t.Errorf("orientation %d: got %v", o, got.(*image.Gray).Pix)
		}
	}
}

// A PNG's eXIf orientation is applied like a JPEG's.
func TestPNGOrientation(t *testing.T) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 30, 10)))
	p := b.Bytes()
	exif := []byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00")
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(exif)))
	chunk = append(chunk, "eXIf"...)
	chunk = append(chunk, exif...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	withExif := append(append(append([]byte(nil), p[:33]...), chunk...), p[33:]...)
	pages, info, err := decodeFile(withExif)
	if err != nil {
		t.Fatal(err)
	}
	if sz := pages[0].img.Bounds().Size(); sz != image.Pt(10, 30) || info.orientation != 6 {
		t.Errorf("size %v, orientation %d: want 10x30, 6", sz, info.orientation)
	}
}

// A palette without black or white is drawn on in RGBA.
func TestEditablePalette(t *testing.T) {
	pale := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.RGBA{200, 200, 150, 255}, color.RGBA{150, 150, 200, 255}})
	pale.Pix[5] = 1
	if e, ok := editable(pale).(*image.Paletted); !ok || !hasContrast(e.Palette) || len(e.Palette) != 4 || !samePixels(e, pale) {
		t.Errorf("pale palette: black and white not added, or pixels changed")
	}
	full := image.NewPaletted(image.Rect(0, 0, 4, 4), nil)
	for i := 0; i < 256; i++ {
		full.Palette = append(full.Palette, color.RGBA{uint8(100 + i%100), 150, 150, 255})
	}
	if _, ok := editable(full).(*image.RGBA); !ok {
		t.Errorf("a full pale palette kept")
	}
	bw := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})
	if _, ok := editable(bw).(*image.Paletted); !ok {
		t.Errorf("black-and-white palette not kept")
	}
}

func TestDecodeErrors(t *testing.T) {
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 20, 20)))
	good := pngBuf.Bytes()
	huge := append([]byte(nil), good...)
	huge[17], huge[21] = 1, 1 // 16 million pixels wide and high
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	var tb bytes.Buffer
	writeTIFF(&tb, []tiffPage{{img: image.NewGray(image.Rect(0, 0, 8, 8)), compression: cNone}})
	loop := append([]byte(nil), tb.Bytes()...)
	// point the IFD's next pointer at itself
	ifd := int(loop[4]) | int(loop[5])<<8
	n := int(loop[ifd]) | int(loop[ifd+1])<<8
	copy(loop[ifd+2+12*n:], loop[4:8])
	jpegTIFF := append([]byte(nil), tb.Bytes()...)
	for i := 0; i+12 <= len(jpegTIFF); i++ { // Compression tag 259 -> 7 (JPEG)
		if jpegTIFF[i] == 0x03 && jpegTIFF[i+1] == 0x01 && jpegTIFF[i+2] == 3 {
			jpegTIFF[i+8] = 7
			break
		}
	}
	cases := map[string]struct {
		data []byte
		want *redactors.Reason
	}{
		"truncated PNG":  {good[:len(good)-20], redactors.ErrCorrupt},
		"truncated JPEG": {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J'}, redactors.ErrCorrupt},
		"huge PNG":       {huge, redactors.ErrTooLarge},
		"truncated GIF":  {[]byte("GIF89a\x01\x00\x01\x00"), redactors.ErrCorrupt},
		"animated GIF":   {animatedGIF(), redactors.ErrUnsupported},
		"truncated BMP":  {[]byte("BM\x00\x00\x00"), redactors.ErrCorrupt},
		"WebP":           {[]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), redactors.ErrUnsupported},
		"BigTIFF":        {[]byte("II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00"), redactors.ErrUnsupported},
		"looping TIFF":   {loop, redactors.ErrCorrupt},
		"JPEG in TIFF":   {jpegTIFF, redactors.ErrUnsupported},
		"text":           {[]byte("not an image"), redactors.ErrCorrupt},
	}
	for name, c := range cases {
		_, _, err := decodeFile(c.data)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %s", name, err, c.want.Code)
		}
	}
}

func FuzzDecode(f *testing.F) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)))
	f.Add(b.Bytes())
	b.Reset()
	jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	f.Add(jpegWithJFIF(b.Bytes(), 300, 300))
	b.Reset()
	writeTIFF(&b, []tiffPage{{img: image.NewGray(image.Rect(0, 0, 4, 4)), bilevel: true, compression: cPackBits}, {img: image.NewGray(image.Rect(0, 0, 3, 3)), compression: cLZW}})
	f.Add(b.Bytes())
	f.Add(animatedGIF())
	b.Reset()
	gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 3, 3), color.Palette{color.White}), nil)
	f.Add(b.Bytes())
	b.Reset()
	encodeBMP(&b, image.NewGray(image.Rect(0, 0, 5, 3)), 96, 96)
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		pages, info, err := decodeFile(data)
		if err != nil {
			if redactors.ReasonOf(err) == redactors.ErrInternal {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		// what decodes must encode again
		var out []outPage
		for _, p := range pages {
			out = append(out, outPage{img: p.img, decoded: p})
		}
		if _, err := encodeFile(io.Discard, out, info); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
	})
}

var _ = tiff.Decode

// animatedGIF is a GIF of two frames.
func animatedGIF() []byte {
	p := color.Palette{color.White, color.Black}
	a := image.NewPaletted(image.Rect(0, 0, 4, 4), p)
	b := image.NewPaletted(image.Rect(0, 0, 4, 4), p)
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{a, b}, Delay: []int{10, 10}}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// GIF and BMP read back pixel for pixel; a GIF frame off the screen's
// origin is placed on the screen; a BMP keeps its resolution; a redacted
// GIF with a pale palette gets black boxes without leaving palette mode.
func TestGIFAndBMP(t *testing.T) {
	pal := color.Palette{color.RGBA{240, 230, 200, 255}, color.RGBA{90, 60, 160, 255}, color.RGBA{0, 0, 0, 0}}
	frame := image.NewPaletted(image.Rect(3, 2, 13, 9), pal)
	for i := range frame.Pix {
		frame.Pix[i] = uint8(i % 2)
	}
	var g bytes.Buffer
	if err := gif.EncodeAll(&g, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
		Config: image.Config{ColorModel: pal, Width: 20, Height: 12}}); err != nil {
		t.Fatal(err)
	}
	pages, info, err := decodeFile(g.Bytes())
	if err != nil || info.kind != kindGIF || len(pages) != 1 {
		t.Fatalf("GIF: %v %v", info.kind, err)
	}
	img := pages[0].img
	if img.Bounds() != image.Rect(0, 0, 20, 12) || img.At(5, 3) != frame.At(5, 3) || img.At(14, 3) != pal[2] {
		t.Errorf("GIF frame not placed on its screen: %v", img.Bounds())
	}
	e := editable(img)
	paint(e, region{rect: image.Rect(4, 3, 10, 7)}, false)
	var out bytes.Buffer
	if _, err := encodeFile(&out, []outPage{{img: e, decoded: pages[0]}}, info); err != nil {
		t.Fatal(err)
	}
	back, err := gif.Decode(bytes.NewReader(out.Bytes()))
	if err != nil || !samePixels(back, e) {
		t.Fatalf("GIF does not read back: %v", err)
	}
	if r, g, b, _ := back.At(5, 4).RGBA(); r|g|b != 0 {
		t.Errorf("box not black in the GIF")
	}

	rgb := testImages()["rgb"].img
	var bm bytes.Buffer
	if err := encodeBMP(&bm, rgb, 150, 150); err != nil {
		t.Fatal(err)
	}
	pages, info, err = decodeFile(bm.Bytes())
	if err != nil || info.kind != kindBMP {
		t.Fatalf("BMP: %v", err)
	}
	if !samePixels(pages[0].img, rgb) || round(pages[0].xdpi) != 150 || round(pages[0].ydpi) != 150 {
		t.Errorf("BMP: pixels or resolution lost (%v dpi)", pages[0].xdpi)
	}
	out.Reset()
	if _, err := encodeFile(&out, []outPage{{img: pages[0].img, decoded: pages[0]}}, info); err != nil || !bytes.Equal(out.Bytes(), bm.Bytes()) {
		t.Errorf("BMP written differently: %v", err)
	}
}

// The labels drawn in the boxes are not searched by verification: a word
// mostly inside a blanked region is left out, one mostly outside is not.
func TestOutsideRegions(t *testing.T) {
	regs := []region{{rect: image.Rect(100, 100, 200, 130)}}
	words := []ocr.Word{
		{Text: "label", Box: image.Rect(110, 105, 190, 125)}, // inside
		{Text: "edge", Box: image.Rect(180, 105, 230, 125)},  // 20 of 50 px inside
		{Text: "kept", Box: image.Rect(300, 105, 350, 125)},  // outside
		{Text: "half", Box: image.Rect(170, 105, 230, 125)},  // 30 of 60: half is not most
	}
	if got := strings.Join(outsideRegions(words, regs), " "); got != "edge kept half" {
		t.Errorf("searched %q", got)
	}
}
