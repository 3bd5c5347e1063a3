package imagemeta_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/veilhq/veil/redactors/imagemeta"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
)

// The secret is an invented person.
const secret = "Odile Marchetti"

type generated struct {
	format imagemeta.Format
	make   func(string) ([]byte, []string)
}

var generators = []generated{
	{imagemeta.JPEG, imagetest.JPEG},
	{imagemeta.PNG, imagetest.PNG},
	{imagemeta.GIF, imagetest.GIF},
	{imagemeta.WebP, imagetest.WebP},
	{imagemeta.TIFF, imagetest.TIFF},
}

// rawViews is the judge that needs no tool: the bytes as they are, read as
// UTF-16 in both byte orders, and every zlib stream found in them inflated
// (PNG zTXt, iTXt and iCCP compress their text).
func rawViews(b []byte) []string {
	views := []string{string(b), utf16View(b, binary.LittleEndian), utf16View(b, binary.BigEndian)}
	for i := 0; i+2 <= len(b); i++ {
		if b[i] != 0x78 || (uint16(b[i])<<8|uint16(b[i+1]))%31 != 0 {
			continue
		}
		r, err := zlib.NewReader(bytes.NewReader(b[i:]))
		if err != nil {
			continue
		}
		s, _ := io.ReadAll(io.LimitReader(r, 1<<20))
		views = append(views, string(s))
	}
	return views
}

func utf16View(b []byte, bo binary.ByteOrder) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, bo.Uint16(b[i:]))
	}
	return string(utf16.Decode(u))
}

func holds(b []byte, s string) bool {
	for _, v := range rawViews(b) {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// exiftool returns exiftool's report of every tag (also unknown and
// duplicate ones, and embedded documents) of each image, by name, from one
// run (perl starts slowly); nil when exiftool is not installed and CI is
// not set.
func exiftool(t *testing.T, images map[string][]byte) map[string]string {
	t.Helper()
	bin, err := exec.LookPath("exiftool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("exiftool not found: scripts/setup installs it (Debian libimage-exiftool-perl)")
		}
		t.Log("exiftool not found: judging by raw bytes only")
		return nil
	}
	dir := t.TempDir()
	args := []string{"-a", "-u", "-G1", "-s", "-ee"}
	for name, b := range images {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil && len(out) == 0 {
		t.Fatalf("exiftool: %v", err)
	}
	reports := map[string]string{}
	if len(images) == 1 {
		for name := range images {
			reports[name] = string(out)
		}
		return reports
	}
	for _, part := range strings.Split(string(out), "======== ")[1:] {
		path, rest, _ := strings.Cut(part, "\n")
		reports[filepath.Base(strings.TrimSpace(path))] = rest
	}
	return reports
}

// gpsTags lists exiftool's GPS lines (the group is GPS whatever the format).
func gpsTags(report string) []string {
	var out []string
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, "[GPS]") && !strings.Contains(l, "GPSVersionID") {
			out = append(out, l)
		}
	}
	return out
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("does not decode: %v", err)
	}
	return img
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

// TestStrip: every kind of metadata that the generators put in is found by
// the judges in the input and by neither in the output, and the pixels are
// the same.
func TestStrip(t *testing.T) {
	ins, outs := map[string][]byte{}, map[string][]byte{}
	files := map[string][]byte{}
	for _, g := range generators {
		in, _ := g.make(secret)
		out, rm, err := imagemeta.Strip(in)
		if err != nil {
			t.Fatalf("%s: %v", g.format, err)
		}
		t.Logf("%s: removed %s", g.format, rm)
		if rm.Total() == 0 {
			t.Errorf("%s: nothing reported removed", g.format)
		}
		ins[string(g.format)], outs[string(g.format)] = in, out
		files[string(g.format)+".in"], files[string(g.format)+".out"] = in, out
	}
	reports := exiftool(t, files)
	for _, g := range generators {
		t.Run(string(g.format), func(t *testing.T) {
			in, out := ins[string(g.format)], outs[string(g.format)]
			_, secrets := g.make(secret)
			if f := imagemeta.Sniff(in); f != g.format {
				t.Fatalf("Sniff = %q", f)
			}
			inReport, outReport := reports[string(g.format)+".in"], reports[string(g.format)+".out"]
			if reports != nil && (inReport == "" || outReport == "") {
				t.Fatalf("no exiftool report")
			}
			for _, s := range secrets {
				if !holds(in, s) {
					t.Fatalf("the input does not hold %q: the test proves nothing", s)
				}
				if reports != nil && !strings.Contains(inReport, s) {
					t.Errorf("exiftool does not see %q in the input:\n%s", s, inReport)
				}
				if holds(out, s) {
					t.Errorf("%q survives in the bytes", s)
				}
				if strings.Contains(outReport, s) {
					t.Errorf("exiftool sees %q in the output:\n%s", s, outReport)
				}
			}
			if reports != nil && g.format != imagemeta.GIF && len(gpsTags(inReport)) == 0 {
				t.Errorf("exiftool sees no GPS position in the input:\n%s", inReport)
			}
			if gps := gpsTags(outReport); len(gps) > 0 {
				t.Errorf("GPS survives: %v", gps)
			}
			if strings.Contains(outReport, "Warning") || strings.Contains(outReport, "Error") {
				t.Errorf("exiftool finds the output malformed:\n%s", outReport)
			}
			if !samePixels(decode(t, in), decode(t, out)) {
				t.Error("pixels changed")
			}
			again, rm2, err := imagemeta.Strip(out)
			if err != nil || rm2.Total() != 0 {
				t.Errorf("second strip: %v %v", rm2, err)
			}
			if g.format != imagemeta.TIFF && !bytes.Equal(again, out) {
				t.Error("second strip changed the image")
			}
		})
	}
}

// TestStripKeepsCleanImages: an image without metadata comes back byte for
// byte (JPEG: with its JFIF header; PNG, GIF as the encoders write them).
func TestStripKeepsCleanImages(t *testing.T) {
	for _, f := range []imagemeta.Format{imagemeta.JPEG, imagemeta.PNG, imagemeta.GIF, imagemeta.WebP} {
		in, err := imagemeta.BlankRaster(f, 7, 5)
		if err != nil {
			t.Fatal(err)
		}
		out, rm, err := imagemeta.Strip(in)
		if err != nil || rm.Total() != 0 || !bytes.Equal(in, out) {
			t.Errorf("%s: changed (%v, %v)", f, rm, err)
		}
	}
}

// TestBlank: a blank image has the format and size of the original, decodes,
// is white, and holds nothing of the original.
func TestBlank(t *testing.T) {
	all := append(generators, generated{imagemeta.BMP, bmpImage})
	blanks := map[string][]byte{}
	for _, g := range all {
		in, _ := g.make(secret)
		out, err := imagemeta.Blank(in)
		if err != nil {
			t.Fatalf("%s: %v", g.format, err)
		}
		blanks[string(g.format)] = out
	}
	reports := exiftool(t, blanks)
	for _, g := range all {
		t.Run(string(g.format), func(t *testing.T) {
			in, secrets := g.make(secret)
			out := blanks[string(g.format)]
			if f := imagemeta.Sniff(out); f != g.format {
				t.Fatalf("format %q", f)
			}
			w1, h1, err1 := imagemeta.Size(in)
			w2, h2, err2 := imagemeta.Size(out)
			if err1 != nil || err2 != nil || w1 != w2 || h1 != h2 {
				t.Fatalf("size %dx%d → %dx%d (%v %v)", w1, h1, w2, h2, err1, err2)
			}
			img := decode(t, out)
			for y := 0; y < h2; y++ {
				for x := 0; x < w2; x++ {
					if r, g, b, _ := img.At(x, y).RGBA(); r < 0xF000 || g < 0xF000 || b < 0xF000 {
						t.Fatalf("pixel %d,%d is not white", x, y)
					}
				}
			}
			for _, s := range secrets {
				if holds(out, s) {
					t.Errorf("%q survives", s)
				}
			}
			if rep := reports[string(g.format)]; strings.Contains(rep, "Warning") || strings.Contains(rep, "Error") {
				t.Errorf("exiftool finds the blank malformed:\n%s", rep)
			}
		})
	}
}

// TestBlankSizes: blanks of odd and large sizes decode at that size and
// white (the JPEG and TIFF writers pack bits by hand).
func TestBlankSizes(t *testing.T) {
	for _, f := range []imagemeta.Format{imagemeta.JPEG, imagemeta.PNG, imagemeta.GIF, imagemeta.WebP, imagemeta.TIFF, imagemeta.BMP} {
		for _, sz := range [][2]int{{1, 1}, {8, 8}, {9, 17}, {129, 3}, {1031, 257}} {
			b, err := imagemeta.BlankRaster(f, sz[0], sz[1])
			if err != nil {
				t.Fatalf("%s %v: %v", f, sz, err)
			}
			if w, h, err := imagemeta.Size(b); err != nil || w != sz[0] || h != sz[1] {
				t.Fatalf("%s %v: size %dx%d %v", f, sz, w, h, err)
			}
			img := decode(t, b)
			if f == imagemeta.GIF {
				// one white pixel on a white screen of the size
				if r, _, _, _ := img.At(0, 0).RGBA(); img.Bounds().Dx() != 1 || r < 0xF000 {
					t.Fatalf("gif %v: frame %v", sz, img.Bounds())
				}
				continue
			}
			if img.Bounds().Dx() != sz[0] || img.Bounds().Dy() != sz[1] {
				t.Fatalf("%s %v: decodes as %v", f, sz, img.Bounds())
			}
			for _, p := range [][2]int{{0, 0}, {sz[0] - 1, sz[1] - 1}, {sz[0] / 2, sz[1] / 2}} {
				if r, _, _, _ := img.At(p[0], p[1]).RGBA(); r < 0xF000 {
					t.Fatalf("%s %v: pixel %v not white", f, sz, p)
				}
			}
		}
	}
}

// BenchmarkBlank makes blanks of 64 M pixels, what a header of a few bytes
// may claim.
func BenchmarkBlank(b *testing.B) {
	for _, f := range []imagemeta.Format{imagemeta.JPEG, imagemeta.PNG, imagemeta.GIF, imagemeta.TIFF, imagemeta.BMP} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := imagemeta.BlankRaster(f, 8192, 8192); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func bmpImage(string) ([]byte, []string) {
	b, err := imagemeta.BlankRaster(imagemeta.BMP, 9, 4)
	if err != nil {
		panic(err)
	}
	return b, nil
}

// Vector pictures: the secret is drawn as text and named in the
// description; the blank keeps the frame and nothing else.
func emf(secret string) []byte {
	le := binary.LittleEndian
	desc := utf16.Encode([]rune("Veil test\x00" + secret + "\x00\x00"))
	var descB []byte
	for _, u := range desc {
		descB = le.AppendUint16(descB, u)
	}
	text := []byte(secret)
	// EMR_HEADER (108 bytes with the extensions), the description, a
	// comment record holding the secret, EMR_EOF.
	var h []byte
	u32 := func(v uint32) { h = le.AppendUint32(h, v) }
	hdrSize := 108 + len(descB)
	comment := 12 + len(text) + (4-len(text)%4)%4
	total := hdrSize + comment + 20
	u32(1)
	u32(uint32(hdrSize))
	for _, v := range []uint32{0, 0, 99, 49, 0, 0, 2645, 1323} {
		u32(v)
	}
	u32(0x464D4520)
	u32(0x10000)
	u32(uint32(total))
	u32(3)
	h = le.AppendUint16(h, 1)
	h = le.AppendUint16(h, 0)
	u32(uint32(len(desc)))
	u32(108)
	u32(0)
	for _, v := range []uint32{1920, 1080, 508, 285, 0, 0, 0, 508000, 285000} {
		u32(v)
	}
	h = append(h, descB...)
	u32(70) // EMR_COMMENT
	u32(uint32(comment))
	u32(uint32(len(text)))
	h = append(h, text...)
	h = append(h, make([]byte, (4-len(text)%4)%4)...)
	for _, v := range []uint32{14, 20, 0, 16, 20} {
		u32(v)
	}
	return h
}

func wmf(secret string) []byte {
	le := binary.LittleEndian
	var b []byte
	u16 := func(v uint16) { b = le.AppendUint16(b, v) }
	u32 := func(v uint32) { b = le.AppendUint32(b, v) }
	u32(0x9AC6CDD7)
	u16(0)
	for _, v := range []uint16{0, 0, 1440, 720} {
		u16(v)
	}
	u16(1440)
	u32(0)
	var sum uint16
	for k := 0; k < 10; k++ {
		sum ^= le.Uint16(b[2*k:])
	}
	u16(sum)
	s := []byte(secret)
	if len(s)%2 == 1 {
		s = append(s, 0)
	}
	textWords := 3 + 1 + len(s)/2 + 2
	u16(1)
	u16(9)
	u16(0x300)
	u32(uint32(9 + textWords + 3))
	u16(0)
	u32(uint32(textWords))
	u16(0)
	u32(uint32(textWords)) // META_TEXTOUT
	u16(0x0521)
	u16(uint16(len(secret)))
	b = append(b, s...)
	u16(100)
	u16(100)
	u32(3)
	u16(0)
	return b
}

func svg(secret string) []byte {
	return []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="40pt" viewBox="0 0 120 40" data-author="` + secret + `">` +
		`<title>` + secret + `</title><text x="2" y="20">` + secret + `</text></svg>`)
}

func TestBlankVector(t *testing.T) {
	for _, c := range []struct {
		f    imagemeta.Format
		data []byte
		w, h int
	}{
		{imagemeta.EMF, emf(secret), 2645, 1323},
		{imagemeta.WMF, wmf(secret), 1440, 720},
		{imagemeta.SVG, svg(secret), 120, 40},
	} {
		t.Run(string(c.f), func(t *testing.T) {
			if f := imagemeta.Sniff(c.data); f != c.f {
				t.Fatalf("Sniff = %q", f)
			}
			if !holds(c.data, secret) {
				t.Fatal("input lacks the secret")
			}
			out, err := imagemeta.Blank(c.data)
			if err != nil {
				t.Fatal(err)
			}
			if f := imagemeta.Sniff(out); f != c.f {
				t.Fatalf("blank is %q", f)
			}
			w, h, err := imagemeta.Size(out)
			if err != nil || w != c.w || h != c.h {
				t.Errorf("size %dx%d, want %dx%d (%v)", w, h, c.w, c.h, err)
			}
			if holds(out, secret) {
				t.Error("secret survives")
			}
			if _, _, err := imagemeta.Strip(c.data); !errors.Is(err, imagemeta.ErrUnsupported) {
				t.Errorf("Strip of a vector picture: %v", err)
			}
		})
	}
}

// TestRefusals: what cannot be processed safely is an error with a
// sentinel, and no error holds a byte of the image.
func TestRefusals(t *testing.T) {
	jpg, _ := imagetest.JPEG(secret)
	pngB, _ := imagetest.PNG(secret)
	tif, _ := imagetest.TIFF(secret)
	critical := append(append([]byte(nil), pngB[:33]...), pngChunk("MARI", []byte(secret))...)
	critical = append(critical, pngB[33:]...)
	twoPages := append([]byte(nil), tif...)
	// point IFD0's "next directory" at IFD0 again
	n := int(binary.LittleEndian.Uint16(twoPages[8:]))
	binary.LittleEndian.PutUint32(twoPages[8+2+12*n:], 8)
	unknownMarker := append(append([]byte(nil), jpg[:2]...), 0xFF, 0x02, 0, 4, 'x', 'y')
	unknownMarker = append(unknownMarker, jpg[2:]...)
	cases := []struct {
		name string
		data []byte
		f    func([]byte) error
		want error
	}{
		{"unknown format", []byte("Odile Marchetti"), strip, imagemeta.ErrUnsupported},
		{"JPEG XR", []byte("II\xBC\x01" + secret), strip, imagemeta.ErrUnsupported},
		{"JPEG 2000 blank", []byte("\x00\x00\x00\x0CjP  \r\n\x87\n" + secret), blank, imagemeta.ErrUnsupported},
		{"truncated JPEG", jpg[:len(jpg)/2], strip, imagemeta.ErrCorrupt},
		{"unknown JPEG marker", unknownMarker, strip, imagemeta.ErrUnsupported},
		{"truncated PNG", pngB[:40], strip, imagemeta.ErrCorrupt},
		{"PNG checksum", flip(pngB, 40), strip, imagemeta.ErrCorrupt},
		{"unknown critical PNG chunk", critical, strip, imagemeta.ErrUnsupported},
		{"TIFF of two pages", twoPages, strip, imagemeta.ErrUnsupported},
		{"WMF without placeable header", []byte{1, 0, 9, 0, 0, 3, 0, 0, 0, 0}, blank, imagemeta.ErrUnsupported},
		{"huge blank", []byte{}, func([]byte) error { _, err := imagemeta.BlankRaster(imagemeta.PNG, 1<<14, 1<<14); return err }, imagemeta.ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.f(c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if strings.Contains(err.Error(), "Odile") || strings.Contains(err.Error(), "Marchetti") {
				t.Errorf("error holds image bytes: %v", err)
			}
		})
	}
}

func strip(b []byte) error { _, _, err := imagemeta.Strip(b); return err }
func blank(b []byte) error { _, err := imagemeta.Blank(b); return err }

func flip(b []byte, i int) []byte {
	out := append([]byte(nil), b...)
	out[i] ^= 0x01
	return out
}

func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.ChecksumIEEE(append([]byte(typ), data...))
	binary.Write(&b, binary.BigEndian, crc)
	return b.Bytes()
}
