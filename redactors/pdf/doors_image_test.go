package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
)

// Class 5, images: metadata of image XObjects and of the JPEG data inside
// them, and images Veil cannot read (no OCR).

// The secret that imagetest writes into every kind of image metadata.
const imageSecret = "Maria Sandoval"

// jpegPage is a page with visible text and a 16×12 JPEG drawn over x
// 100-500, y 500-700; ocr adds an invisible OCR word over the image, so
// that the image is read (and kept).
func jpegPage(jpg []byte, dict func(b *builder) string, ocr bool) []byte {
	content := "BT /F1 12 Tf 72 740 Td (Referral attached) Tj ET q 400 0 0 200 100 500 cm /Im Do Q"
	if ocr {
		content += " BT 3 Tr /F1 20 Tf 150 600 Td (Referral) Tj ET"
	}
	return pagesDoc([]string{content}, func(b *builder) string {
		im := b.add(stream("/Type /XObject /Subtype /Image /Width 16 /Height 12 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "+dict(b), jpg, false))
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Im %d 0 R >> >>", helvFont, im)
	}, nil)
}

// extractJPEGs returns the DCT streams of a PDF as pdfimages -j writes
// them (the stream data itself).
func extractJPEGs(t *testing.T, data []byte) [][]byte {
	t.Helper()
	pdfimages := judgeTool(t, "pdfimages")
	dir := t.TempDir()
	src := filepath.Join(dir, "f.pdf")
	os.WriteFile(src, data, 0o644)
	if b, err := exec.Command(pdfimages, "-j", src, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v\n%s", err, b)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "img-*.jpg"))
	var out [][]byte
	for _, f := range files {
		b, _ := os.ReadFile(f)
		out = append(out, b)
	}
	return out
}

// jpegMarkers returns the markers of a JPEG's segments before its first
// scan, read from the bytes.
func jpegMarkers(b []byte) []byte {
	var out []byte
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		m := b[i+1]
		out = append(out, m)
		if m == 0xDA {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return out
}

// exiftoolSays returns what exiftool reads in an image, every tag.
func exiftoolSays(t *testing.T, img []byte) string {
	t.Helper()
	exiftool := judgeTool(t, "exiftool")
	f := filepath.Join(t.TempDir(), "i.jpg")
	os.WriteFile(f, img, 0o644)
	b, err := exec.Command(exiftool, "-a", "-u", "-G1", f).CombinedOutput()
	if err != nil {
		t.Fatalf("exiftool: %v\n%s", err, b)
	}
	return string(b)
}

// A JPEG under an OCR layer is kept, without its EXIF, XMP, IPTC, ICC
// profile or comment; the image's XMP /Metadata stream is gone too.
func TestDoorJPEGMetadata(t *testing.T) {
	jpg, secrets := imagetest.JPEG(imageSecret)
	in := jpegPage(jpg, func(b *builder) string {
		meta := b.add(stream("/Type /Metadata /Subtype /XML", []byte("<x:xmpmeta><dc:creator>"+imageSecret+"</dc:creator></x:xmpmeta>"), false))
		return fmt.Sprintf("/Metadata %d 0 R", meta)
	}, true)
	if say := exiftoolSays(t, extractJPEGs(t, in)[0]); !strings.Contains(say, imageSecret) {
		t.Fatalf("fixture: exiftool does not read the secret in the input:\n%s", say)
	}
	d := parse(t, in)
	out := redactWith(t, in, func(redactors.Document) []redactors.Edit { return nil })
	if n := strings.Join(d.Notes(), ";"); !strings.Contains(n, "scanned 1 image kept") {
		t.Errorf("notes %q", n)
	}
	judgeClean(t, out, append(secrets, "Sandoval"), []string{"Referral attached"})
	jpgs := extractJPEGs(t, out)
	if len(jpgs) != 1 {
		t.Fatalf("%d JPEG images in the output, want the one kept", len(jpgs))
	}
	for _, m := range jpegMarkers(jpgs[0]) {
		if m >= 0xE1 && m <= 0xEF || m == 0xFE {
			t.Errorf("the kept JPEG still has an APP%d/COM segment (marker %02X)", m-0xE0, m)
		}
	}
	say := exiftoolSays(t, jpgs[0])
	for _, g := range []string{"[IFD0]", "[XMP", "[IPTC]", "[GPS]", "[ICC", "Comment"} {
		if strings.Contains(say, g) {
			t.Errorf("exiftool still reads %s in the kept image:\n%s", g, say)
		}
	}
}

// An image without a text layer over it is not read: it is written as a
// blank (with a note), its data and metadata gone; the page's text stays.
func TestDoorUnreadImageDropped(t *testing.T) {
	jpg, secrets := imagetest.JPEG(imageSecret)
	in := jpegPage(jpg, func(*builder) string { return "" }, false)
	d := parse(t, in)
	out := redactWith(t, in, func(redactors.Document) []redactors.Edit { return nil })
	if n := strings.Join(d.Notes(), ";"); !strings.Contains(n, "1 image removed (not inspected: no OCR)") {
		t.Errorf("notes %q", n)
	}
	judgeClean(t, out, append(secrets, "Sandoval"), []string{"Referral attached"})
	if jpgs := extractJPEGs(t, out); len(jpgs) != 0 {
		t.Errorf("%d JPEG images in the output, want none", len(jpgs))
	}
	if bytes.Contains(out, jpg[len(jpg)/2:len(jpg)/2+32]) {
		t.Error("the output holds the image's data")
	}
	if got, want := parse(t, out).PageCount(), 1; got != want {
		t.Errorf("%d pages", got)
	}
}

// An inline image without a text layer is taken out of the content; with
// ImagesQuarantine the file is uninspectable instead; an image-only page
// stays no_text.
func TestDoorUnreadImagePolicies(t *testing.T) {
	inline := pagesDoc([]string{"BT /F1 12 Tf 72 740 Td (Signed) Tj ET q 120 0 0 40 72 680 cm BI /W 4 /H 1 /CS /G /BPC 8 ID \x10\x20\x30\x40 EI Q"}, helvRes, nil)
	d := parse(t, inline)
	out := redactWith(t, inline, func(redactors.Document) []redactors.Edit { return nil })
	if !strings.Contains(strings.Join(d.Notes(), ";"), "1 image removed") {
		t.Errorf("notes %q", d.Notes())
	}
	if q := qdfText(t, out); strings.Contains(q, "BI") || strings.Contains(q, "\x10\x20\x30\x40") {
		t.Error("the inline image is still in the content")
	}
	judgeClean(t, out, nil, []string{"Signed"})

	jpg, _ := imagetest.JPEG(imageSecret)
	_, err := New(Options{Images: ImagesQuarantine}).Parse(jpegPage(jpg, func(*builder) string { return "" }, false))
	if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "no OCR") {
		t.Errorf("ImagesQuarantine: error %v, want uninspectable (no OCR)", err)
	}
	if _, err := New(Options{Images: ImagesQuarantine}).Parse(jpegPage(jpg, func(*builder) string { return "" }, true)); err != nil {
		t.Errorf("ImagesQuarantine, image under an OCR layer: %v", err)
	}
	only := pagesDoc([]string{"q 400 0 0 200 100 500 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"}, helvRes, nil)
	if _, err := New().Parse(only); !errors.Is(err, redactors.ErrNoText) {
		t.Errorf("image-only page: error %v, want no_text", err)
	}
}

// Class 6, the leak check reads image metadata: a file written by someone
// else (veil verify) with a JPEG whose EXIF, XMP or comment holds a value
// fails, and so does one with the value in a JPEG 2000 XML box; the same
// files with the metadata stripped pass.
func TestDoorLeaksImageMetadata(t *testing.T) {
	jpg, _ := imagetest.JPEG(imageSecret)
	find := func(s string) bool { return strings.Contains(s, "Sandoval") }
	in := jpegPage(jpg, func(*builder) string { return "" }, true)
	if where, err := parse(t, in).Leaks(in, find); err != nil || len(where) == 0 {
		t.Errorf("JPEG with metadata: Leaks = %v, %v; want the image", where, err)
	}
	out := redactWith(t, in, func(redactors.Document) []redactors.Edit { return nil })
	if where, err := parse(t, out).Leaks(out, find); err != nil || len(where) > 0 {
		t.Errorf("stripped JPEG: Leaks = %v, %v; want none", where, err)
	}
	// A JP2 file: signature, ftyp, an XML box, and a codestream with a
	// comment segment (not decodable: only its boxes matter here).
	box := func(typ string, payload []byte) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(8+len(payload))), append([]byte(typ), payload...)...)
	}
	com := append(append([]byte{0xFF, 0x4F, 0xFF, 0x64, 0, byte(4 + len("scanned by Sandoval")), 0, 1}, "scanned by Sandoval"...), 0xFF, 0x90, 0, 10, 0, 0, 0, 0, 0, 14, 0, 1, 0xFF, 0x93, 0xFF, 0xD9)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"xml box", append(append(append(box("jP  ", []byte{13, 10, 0x87, 10}), box("ftyp", []byte("jp2 \x00\x00\x00\x00jp2 "))...), box("xml ", []byte("<creator>Maria Sandoval</creator>"))...), box("jp2c", []byte{0xFF, 0x4F, 0xFF, 0x90})...)},
		{"codestream comment", com},
	} {
		jpx := pagesDoc([]string{"BT /F1 12 Tf 72 740 Td (Scan) Tj ET q 400 0 0 200 100 500 cm /Im Do Q BT 3 Tr /F1 20 Tf 150 600 Td (Scan) Tj ET"}, func(b *builder) string {
			im := b.add(stream("/Type /XObject /Subtype /Image /Width 16 /Height 12 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode", c.data, false))
			return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Im %d 0 R >> >>", helvFont, im)
		}, nil)
		if where, err := parse(t, jpx).Leaks(jpx, find); err != nil || len(where) == 0 {
			t.Errorf("JPEG 2000 %s: Leaks = %v, %v; want the image", c.name, where, err)
		}
		// Kept (an OCR word lies over it), it loses the metadata.
		out := redactWith(t, jpx, func(redactors.Document) []redactors.Edit { return nil })
		if where, err := parse(t, out).Leaks(out, find); err != nil || len(where) > 0 {
			t.Errorf("JPEG 2000 %s stripped: Leaks = %v, %v; want none", c.name, where, err)
		}
		if raw := rawObjects(t, out); bytes.Contains(raw, []byte("Sandoval")) || !bytes.Contains(raw, []byte("/JPXDecode")) {
			t.Errorf("JPEG 2000 %s: the output holds the value, or lost the image", c.name)
		}
	}
}

// Class 6, the leak check reads the codes of shown strings as bytes, not
// as the font says: codes of a two-byte font that hold ASCII ("\0M\0a…")
// read as the name whatever the font's ToUnicode map says, though no part
// (given to the detectors) reads them so (on ordinary CID fonts such a
// reading is noise).
func TestDoorLeaksBytesWithoutFonts(t *testing.T) {
	var codes strings.Builder
	for _, r := range "Maria Sandoval" {
		fmt.Fprintf(&codes, "00%02X", r)
	}
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td <" + codes.String() + "> Tj ET"}, func(b *builder) string {
		cm := "begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <00FF> <0078> endbfrange endcmap"
		tu := b.add(stream("", []byte(cm), true))
		desc := b.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Plain /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 >>")
		f := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /Plain /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", desc, tu))
		return fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", f)
	}, nil)
	d := parse(t, in)
	for _, p := range d.Parts() {
		if strings.Contains(p.Text, "Sandoval") {
			t.Fatalf("fixture: a reading shows the name (%s)", p.Name)
		}
	}
	where, err := d.Leaks(in, func(s string) bool { return strings.Contains(s, "Sandoval") })
	if err != nil || len(where) == 0 {
		t.Errorf("Leaks = %v, %v; want the content stream", where, err)
	}
}
