package images_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// requireOCR skips a test without Tesseract, or fails it under CI=true
// (scripts/setup installs it).
func requireOCR(t testing.TB, langs ...string) {
	t.Helper()
	ocrtest.Require(t, langs...)
}

// scan is a rendered and degraded document of the corpus.
type scan struct {
	name  string
	data  []byte
	truth []ocrtest.Truth // every word drawn, boxes in the file's pixels (page 1)
	pages [][]ocrtest.Truth
	ids   []string // values to remove
}

// detect stands in for the pipeline's detectors (ocrtest.Oracle).
var detect = ocrtest.Oracle

// pngWithChunks adds text and EXIF chunks before IEND: metadata that
// identifies someone and that the output must not carry.
func pngWithChunks(p []byte, chunks map[string]string) []byte {
	iend := bytes.LastIndex(p, []byte("IEND")) - 4
	out := append([]byte(nil), p[:iend]...)
	keys := make([]string, 0, len(chunks))
	for k := range chunks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, typ := range keys {
		data := chunks[typ]
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		c := append([]byte(typ), data...)
		out = append(out, c...)
		out = binary.BigEndian.AppendUint32(out, crc(c))
	}
	return append(out, p[iend:]...)
}

func crc(b []byte) uint32 {
	var table [256]uint32
	for i := range table {
		c := uint32(i)
		for k := 0; k < 8; k++ {
			if c&1 == 1 {
				c = 0xedb88320 ^ c>>1
			} else {
				c >>= 1
			}
		}
		table[i] = c
	}
	c := ^uint32(0)
	for _, x := range b {
		c = table[byte(c)^x] ^ c>>8
	}
	return ^c
}

// jpegWithSegments inserts APP and COM segments after SOI.
func jpegWithSegments(j []byte, segs [][]byte) []byte {
	out := append([]byte(nil), j[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, j[2:]...)
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker}
	s = binary.BigEndian.AppendUint16(s, uint16(len(payload)+2))
	return append(s, payload...)
}

// exifAPP1 is an EXIF block with an Artist (315) and an ImageDescription
// (270) and the given orientation.
func exifAPP1(artist, desc string, orientation int) []byte {
	le := binary.LittleEndian
	t := []byte("II*\x00\x08\x00\x00\x00")
	n := 3
	t = le.AppendUint16(t, uint16(n))
	valOff := 8 + 2 + 12*n + 4
	ent := func(tag, typ uint16, count, val uint32) {
		t = le.AppendUint16(t, tag)
		t = le.AppendUint16(t, typ)
		t = le.AppendUint32(t, count)
		t = le.AppendUint32(t, val)
	}
	ent(270, 2, uint32(len(desc)+1), uint32(valOff))
	ent(274, 3, 1, uint32(orientation))
	ent(315, 2, uint32(len(artist)+1), uint32(valOff+len(desc)+1))
	t = le.AppendUint32(t, 0)
	t = append(t, desc...)
	t = append(t, 0)
	t = append(t, artist...)
	t = append(t, 0)
	return segment(0xE1, append([]byte("Exif\x00\x00"), t...))
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// toRGBA gives a grey page a faint paper tint, as a colour scan has.
func toRGBA(g *image.Gray) *image.RGBA {
	b := g.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			v := g.GrayAt(x, y).Y
			out.Set(x, y, color.RGBA{v, uint8(int(v) * 250 / 255), uint8(int(v) * 235 / 255), 255})
		}
	}
	return out
}

// rotate90 turns img a quarter clockwise: the stored pixels of a photo
// taken sideways, whose EXIF orientation 8 turns it back.
func rotate90(img *image.Gray) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.SetGray(b.Dy()-1-y, x, img.GrayAt(x, y))
		}
	}
	return out
}

// corpus builds the scanned documents of the tests: invented people on a
// referral letter and a declaration, at 150–300 dpi, with skew, noise,
// blur, JPEG compression and a fax's 1-bit 200×100 dpi, as PNG, JPEG and
// multi-page TIFF, each carrying metadata that names the person.
func corpus(t testing.TB) []scan {
	var out []scan

	// 1. A clean 200-dpi referral, grey PNG, with text and EXIF chunks.
	p1 := ocrtest.NewPerson(1)
	s1 := ocrtest.Referral(p1, 200)
	out = append(out, scan{
		name: "referral-200dpi-png", truth: s1.Words, ids: p1.Identifiers(),
		data: pngWithChunks(encodePNG(t, s1.Img), map[string]string{
			"tEXt": "Author\x00" + p1.Name(),
			"iTXt": "Description\x00\x00\x00\x00\x00Referral of " + p1.Name(),
		}),
	})

	// 2. A colour declaration at 150 dpi, skewed 1.5°, noisy, JPEG q70,
	// with EXIF, XMP, IPTC-like and comment segments, stored sideways
	// with EXIF orientation 8.
	p2 := ocrtest.NewPerson(2)
	s2 := ocrtest.Declaration(p2, 150)
	img2, w2 := ocrtest.Rotate(s2.Img, s2.Words, 1.5)
	img2 = ocrtest.Noise(img2, 8, 0.001, 2)
	j2 := encodeJPEG(t, toRGBA(rotate90(img2)), 70)
	out = append(out, scan{
		name: "declaration-150dpi-skew-jpeg", truth: w2, ids: p2.Identifiers(),
		data: jpegWithSegments(j2, [][]byte{
			exifAPP1(p2.Name(), "Declaration of "+p2.Name(), 8),
			segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><dc:creator>"+p2.Name()+"</dc:creator></x:xmpmeta>")),
			segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10\x1c\x02\x50\x00\x0c"+p2.Family)),
			segment(0xFE, []byte("scanned for "+p2.Name())),
		}),
	})

	// 3. A fax: a referral at 300 dpi, skewed −1°, speckled, sent at
	// 200×100 dpi in black and white, and a declaration as page 2, in one
	// multi-page TIFF with an Artist and an ImageDescription.
	p3 := ocrtest.NewPerson(3)
	s3 := ocrtest.Referral(p3, 300)
	img3, w3 := ocrtest.Rotate(s3.Img, s3.Words, -1)
	img3 = ocrtest.Noise(img3, 6, 0.0005, 3)
	fax3, wf3 := ocrtest.Fax(img3, w3, 300)
	s3b := ocrtest.Declaration(p3, 300)
	fax3b, wf3b := ocrtest.Fax(s3b.Img, s3b.Words, 300)
	out = append(out, scan{
		name: "fax-referral-200x100-tiff", truth: wf3, pages: [][]ocrtest.Truth{wf3, wf3b}, ids: p3.Identifiers(),
		data: ocrtest.TIFF([]ocrtest.TIFFPage{
			{Img: grayOf(fax3), Bilevel: true, XDPI: 200, YDPI: 100, ASCII: map[uint16]string{270: "Fax from " + p3.Name(), 315: p3.Name()}},
			{Img: grayOf(fax3b), Bilevel: true, XDPI: 200, YDPI: 100},
		}),
	})

	// 4. A declaration at 300 dpi, blurred and noisy, skewed 2°, grey PNG.
	p4 := ocrtest.NewPerson(4)
	s4 := ocrtest.Declaration(p4, 300)
	img4, w4 := ocrtest.Rotate(ocrtest.Blur(s4.Img), s4.Words, 2)
	img4 = ocrtest.Noise(img4, 10, 0.001, 4)
	out = append(out, scan{name: "declaration-300dpi-blur-skew-png", truth: w4, ids: p4.Identifiers(), data: encodePNG(t, img4)})

	for i := range out {
		if out[i].pages == nil {
			out[i].pages = [][]ocrtest.Truth{out[i].truth}
		}
	}
	return out
}

func grayOf(p *image.Paletted) *image.Gray {
	b := p.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, p.At(x, y))
		}
	}
	return g
}

// joinWords lists the words of a truth sequence.
func truthTexts(ws []ocrtest.Truth) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}

// occurrences returns, for each value, the runs of truth words that spell
// it (value words compared after normalisation, so "Castellano," matches
// "Castellano").
func occurrences(words []ocrtest.Truth, value string) [][]ocrtest.Truth {
	want := strings.Fields(value)
	var out [][]ocrtest.Truth
	norm := func(s string) string { return string(ocr.Normalize(s)) }
	for i := 0; i+len(want) <= len(words); i++ {
		ok := true
		for j, w := range want {
			if norm(words[i+j].Text) != norm(w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, words[i:i+len(want)])
		}
	}
	return out
}
