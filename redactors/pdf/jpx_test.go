package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// opjCompress encodes the test pattern (comps components of 8 bits,
// written by val) as JPEG 2000 with the real encoder, opj_compress
// (libopenjp2-tools, lossless): a JP2 file, or a raw codestream (j2k).
func opjCompress(t *testing.T, comps int, ext string, val func(x, y, c int) int) []byte {
	t.Helper()
	judgeTool(t, "opj_compress")
	dir := t.TempDir()
	magic := "P5"
	if comps == 3 {
		magic = "P6"
	}
	src := filepath.Join(dir, "in.pnm")
	head := fmt.Sprintf("%s\n%d %d\n255\n", magic, imgW, imgH)
	if err := os.WriteFile(src, append([]byte(head), pack(comps, 8, val)...), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "out."+ext)
	if b, err := exec.Command("opj_compress", "-i", src, "-o", dst).CombinedOutput(); err != nil {
		t.Fatalf("opj_compress: %v %s", err, b)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gsCMYKJPEG draws the test image in CMYK with Ghostscript's jpegcmyk
// device, which writes an Adobe (APP14) JPEG with inverted samples, as
// Photoshop does: the left half without ink, the right half full black
// (K), and a band of cyan across the upper middle.
func gsCMYKJPEG(t *testing.T) []byte {
	t.Helper()
	judgeTool(t, "gs")
	dir := t.TempDir()
	ps := fmt.Sprintf(`%%!
<< /PageSize [%d %d] >> setpagedevice
0 0 0 1 setcmykcolor 100 0 100 100 rectfill
1 0 0 0 setcmykcolor 0 70 200 10 rectfill
showpage
`, imgW, imgH)
	src, dst := filepath.Join(dir, "in.ps"), filepath.Join(dir, "out.jpg")
	if err := os.WriteFile(src, []byte(ps), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=jpegcmyk", "-r72", "-sOutputFile="+dst, src).CombinedOutput(); err != nil {
		t.Fatalf("gs: %v %s", err, b)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b[:64], []byte("Adobe")) {
		t.Fatal("Ghostscript's CMYK JPEG has no Adobe marker")
	}
	return b
}

// JPEG 2000 images are decoded by opj_decompress: read (grey, as OCR gets
// it) as poppler reads them, and blanked under a box, re-encoded with
// Flate.
func TestJPXImage(t *testing.T) {
	judgeTool(t, "opj_decompress")
	cases := []struct {
		name, dict string
		data       []byte
	}{
		{"gray jp2", "/ColorSpace /DeviceGray /BitsPerComponent 8", opjCompress(t, 1, "jp2", sample)},
		{"rgb jp2", "", opjCompress(t, 3, "jp2", sample)},
		{"rgb codestream", "/ColorSpace /DeviceRGB /BitsPerComponent 8", opjCompress(t, 3, "j2k", sample)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := imageDoc(c.dict+" /Filter /JPXDecode", c.data, nil)
			before := extractImages(t, in)
			if len(before) != 1 {
				t.Fatalf("poppler reads %d images", len(before))
			}
			d := parse(t, in)
			g, err := d.grayImage(d.models[0].imgUses[0].sd, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range [][2]int{{0, 0}, {10, 50}, {120, 80}, {199, 99}} {
				want := before[0].at(p[0], p[1], 0)
				if before[0].ch == 3 {
					want = (299*before[0].at(p[0], p[1], 0) + 587*before[0].at(p[0], p[1], 1) + 114*before[0].at(p[0], p[1], 2) + 500) / 1000
				}
				if got := int(g.GrayAt(p[0], p[1]).Y); got < want-1 || got > want+1 {
					t.Errorf("pixel %v: grey %d, poppler %d", p, got, want)
				}
			}
			out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "X", "Ellison") })
			if bytes.Contains(out, []byte("JPXDecode")) {
				t.Error("the blanked image is still JPEG 2000")
			}
			after := extractImages(t, out)
			if len(after) != 1 {
				t.Fatalf("%d images after", len(after))
			}
			compareBlanked(t, before[0], after[0], false, false)
			judge(t, in, out, []string{"Ellison"}, []string{"wrote"})
		})
	}
}

// Data that is not JPEG 2000 stays unread, with the reason.
func TestJPXCorrupt(t *testing.T) {
	judgeTool(t, "opj_decompress")
	good := opjCompress(t, 1, "j2k", sample)
	for _, data := range [][]byte{[]byte("not JPEG 2000 at all, long enough to be read"), good[:len(good)/3]} {
		in := imageDoc("/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode", data, nil)
		d := parse(t, in)
		_, err := d.grayImage(d.models[0].imgUses[0].sd, true)
		if err == nil || !strings.Contains(err.Error(), "JPEG 2000") && !strings.Contains(err.Error(), "JPXDecode") {
			t.Errorf("error %v", err)
		}
	}
}

// A four-component (CMYK) JPEG is read and blanked as poppler reads it:
// Adobe's inverted samples show inverted without a Decode array and
// upright with [1 0 1 0 1 0 1 0], in Veil as in poppler; under a box it
// is written as Flate samples, black (full K) there.
//
// The same data without its Adobe marker (as some producers write CMYK
// JPEG) is plain CMYK, as libjpeg reads it, unless the filter's
// ColorTransform says 1 (YCCK), which Veil does not read.
func TestCMYKJPEG(t *testing.T) {
	adobe := gsCMYKJPEG(t)
	bare := withoutAdobeMarker(t, adobe)
	for _, c := range []struct {
		name, parms string
		jpg         []byte
	}{
		{"adobe", "", adobe},
		{"no marker", "", bare},
		{"no marker, ColorTransform 0", "/DecodeParms << /ColorTransform 0 >>", bare},
	} {
		for _, decode := range []string{"", "/Decode [1 0 1 0 1 0 1 0]"} {
			t.Run(c.name+" decode "+decode, func(t *testing.T) {
				jpg := c.jpg
				in := imageDoc("/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /DCTDecode "+c.parms+" "+decode, jpg, nil)
				before := extractImages(t, in)
				if len(before) != 1 || before[0].ch != 3 {
					t.Fatalf("poppler reads %d images", len(before))
				}
				lum := func(x, y int) int {
					p := before[0]
					return (299*p.at(x, y, 0) + 587*p.at(x, y, 1) + 114*p.at(x, y, 2) + 500) / 1000
				}
				d := parse(t, in)
				g, err := d.grayImage(d.models[0].imgUses[0].sd, true)
				if err != nil {
					t.Fatal(err)
				}
				// Light or dark as poppler shows it: the two halves.
				for _, p := range [][2]int{{20, 10}, {150, 10}, {20, 90}, {150, 90}} {
					got, want := int(g.GrayAt(p[0], p[1]).Y), lum(p[0], p[1])
					if (got > 128) != (want > 128) {
						t.Errorf("pixel %v: grey %d, poppler %d", p, got, want)
					}
				}
				if decode != "" && lum(20, 10) < 200 {
					t.Errorf("with the Decode array poppler shows the blank half at %d", lum(20, 10))
				}
				out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "X", "Ellison") })
				after := extractImages(t, out)
				if len(after) != 1 {
					t.Fatalf("%d images after", len(after))
				}
				compareBlanked(t, before[0], after[0], true, true)
				judge(t, in, out, []string{"Ellison"}, []string{"wrote"})
			})
		}
	}
}

// Four components without an Adobe marker whose filter says
// ColorTransform 1 (YCCK) stay unread, with the reason.
func TestYCCKJPEGWithoutMarker(t *testing.T) {
	bare := withoutAdobeMarker(t, gsCMYKJPEG(t))
	in := imageDoc("/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /DCTDecode /DecodeParms << /ColorTransform 1 >>", bare, nil)
	d := parse(t, in)
	if _, err := d.grayImage(d.models[0].imgUses[0].sd, true); err == nil || !strings.Contains(err.Error(), "YCCK") {
		t.Errorf("error %v, want the YCCK reason", err)
	}
	in = imageDoc("/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /DCTDecode /DecodeParms << /ColorTransform 1 >>", gsCMYKJPEG(t), nil)
	d = parse(t, in)
	if _, err := d.grayImage(d.models[0].imgUses[0].sd, true); err != nil {
		t.Errorf("with the marker (which wins over ColorTransform): %v", err)
	}
}

// withoutAdobeMarker returns JPEG data without its Adobe APP14 segment
// (which it must have).
func withoutAdobeMarker(t *testing.T, jpg []byte) []byte {
	t.Helper()
	for i := 2; i+4 <= len(jpg) && jpg[i] == 0xFF; {
		n := int(jpg[i+2])<<8 | int(jpg[i+3])
		if jpg[i+1] == 0xEE && bytes.HasPrefix(jpg[i+4:], []byte("Adobe")) {
			return append(append([]byte{}, jpg[:i]...), jpg[i+2+n:]...)
		}
		if jpg[i+1] == 0xDA { // start of scan: no more markers
			break
		}
		i += 2 + n
	}
	t.Fatal("no Adobe marker to remove")
	return nil
}
