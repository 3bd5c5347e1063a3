package pdf

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// requireOCR skips (fails under CI) without tesseract.
func requireOCR(t testing.TB) {
	t.Helper()
	ocrtest.Require(t)
}

// exhibitBody is the card's clinical line, which must stay readable.
const exhibitBody = "Seen for poor sleep and low mood, referred for assessment."

// exhibit draws a scanned intake card about p (6 × 2.2 inches) at dpi.
func exhibit(p ocrtest.Person, dpi int) *ocrtest.Sheet {
	s := ocrtest.NewSheet(6, 2.2, dpi)
	s.Line(20, 24, ocrtest.Style{Size: 12, Bold: true}, "Intake card")
	s.Line(20, 50, ocrtest.Style{Size: 11}, "Patient: "+p.Name())
	s.Line(20, 70, ocrtest.Style{Size: 11}, "Telephone: "+p.Phone)
	s.Line(20, 90, ocrtest.Style{Size: 11}, "Record number: "+p.MRN)
	s.Para(20, 116, 390, ocrtest.Style{Size: 11}, exhibitBody)
	return s
}

// filingText is the born-digital page's own text layer.
const filingText = "Declaration of counsel. The scanned card below is Exhibit B."

// filing builds a one-page filing: a line of text, the exhibit image drawn
// 432 × 158.4 points at (90, 400), a 12×12 picture (an icon) and a thin
// rule. enc says how the exhibit is stored: "flate" (8-bit grey), "jpeg"
// (RGB DCT), "smask" (black samples, the writing in a soft mask), "bilevel"
// (1 bit, Flate), "invert" (1 bit with Decode [1 0]).
func filing(t testing.TB, g *image.Gray, enc string) []byte {
	t.Helper()
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	content := "BT /F1 12 Tf 72 720 Td (" + filingText + ") Tj ET " +
		"q 432 0 0 158.4 90 400 cm /Ex Do Q q 12 0 0 12 72 760 cm /Icon Do Q q 400 0 0 2 72 700 cm /Rule Do Q"
	return pagesDoc([]string{content}, func(b *builder) string {
		var ex int
		switch enc {
		case "flate":
			ex = b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, h), g.Pix, true))
		case "jpeg":
			rgb := image.NewRGBA(g.Bounds())
			for i, v := range g.Pix {
				rgb.Pix[4*i], rgb.Pix[4*i+1], rgb.Pix[4*i+2], rgb.Pix[4*i+3] = v, v, 255-(255-v)/2, 255
			}
			var j bytes.Buffer
			if err := jpeg.Encode(&j, rgb, &jpeg.Options{Quality: 85}); err != nil {
				t.Fatal(err)
			}
			ex = b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", w, h), j.Bytes(), false))
		case "smask":
			alpha := make([]byte, len(g.Pix))
			for i, v := range g.Pix {
				alpha[i] = 255 - v
			}
			sm := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, h), alpha, true))
			ex = b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /SMask %d 0 R /Filter /FlateDecode", w, h, sm), make([]byte, len(g.Pix)), true))
		case "bilevel", "invert":
			row := (w + 7) / 8
			bits := make([]byte, row*h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					white := g.Pix[y*g.Stride+x] >= 128
					if white != (enc == "invert") {
						bits[y*row+x/8] |= 0x80 >> (x % 8)
					}
				}
			}
			dec := ""
			if enc == "invert" {
				dec = " /Decode [1 0]"
			}
			ex = b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1%s /Filter /FlateDecode", w, h, dec), bits, true))
		default:
			t.Fatalf("encoding %q", enc)
		}
		icon := make([]byte, 12*12)
		r := rand.New(rand.NewPCG(7, 7))
		for i := range icon {
			icon[i] = byte(r.IntN(256))
		}
		ic := b.add(stream("/Type /XObject /Subtype /Image /Width 12 /Height 12 /ColorSpace /DeviceGray /BitsPerComponent 8", icon, false))
		rule := b.add(stream("/Type /XObject /Subtype /Image /Width 400 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", make([]byte, 800), false))
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Ex %d 0 R /Icon %d 0 R /Rule %d 0 R >> >>", helvFont, ex, ic, rule)
	}, nil)
}

// pageWords renders page 1 of a PDF with pdftoppm at 300 dpi and reads it
// with the tesseract command (sparse text): an OCR pass that shares
// nothing with Veil's.
func pageWords(t *testing.T, data []byte) []string {
	t.Helper()
	return pageWordsAt(t, data, 1)
}

// pageWordsAt is pageWords of page n (1-based).
func pageWordsAt(t *testing.T, data []byte, n int) []string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "out.pdf")
	os.WriteFile(in, data, 0o600)
	pg := fmt.Sprint(n)
	if msg, err := exec.Command(judgeTool(t, "pdftoppm"), "-r", "300", "-gray", "-png", "-f", pg, "-l", pg, "-singlefile", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, judgeTool(t, "tesseract"), filepath.Join(dir, "p.png"), "stdout", "--psm", "11", "-l", "eng")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	return strings.Fields(string(b))
}

func ocrFormat(unread ImagePolicy) Format {
	return New(Options{Images: ImagesOCR, Unread: unread})
}

// TestImagesInTextPDF is issue 20's images inside a born-digital PDF: a
// scanned card drawn on a page with a text layer, stored five ways, is read
// by OCR into its own part; the values an oracle finds there are blanked in
// the pixels under labelled boxes; an independent reading of the rendered
// output page (pdftoppm at 300 dpi, tesseract) reads none of them and the
// card's clinical line still; the text layer and qpdf agree; PixelLeaks
// finds nothing on the output and finds the name when it is left.
func TestImagesInTextPDF(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(52)
	ids := []string{p.Name(), p.Phone, p.MRN}
	card := exhibit(p, 200)
	for _, enc := range []string{"flate", "jpeg", "smask", "bilevel", "invert"} {
		t.Run(enc, func(t *testing.T) {
			in := filing(t, card.Img, enc)
			doc, err := ocrFormat(ImagesDrop).Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			d := doc.(*Document)
			var img *redactors.Part
			for i, pt := range d.Parts() {
				if pt.Name == "page 1, image 1" {
					img = &d.Parts()[i]
				}
			}
			if img == nil || len(d.imgParts) != 1 {
				t.Fatalf("no image part: %s", partsText(d))
			}
			if n := len(ocr.NewFuzzy(ids, 0).Find(strings.Fields(img.Text))); n < len(ids) {
				t.Fatalf("%d of %d values in the OCR text", n, len(ids))
			}
			edits := ocrtest.Oracle(d.Parts(), ids, "[REDACTED]")
			var out bytes.Buffer
			if err := d.Redact(&out, edits); err != nil {
				t.Fatal(err)
			}
			notes := strings.Join(d.Notes(), "\n")
			for _, want := range []string{"page 1, image 1: OCR (eng) read", "regions blanked", "1 image written blank"} {
				if !strings.Contains(notes, want) {
					t.Errorf("notes lack %q:\n%s", want, notes)
				}
			}
			if strings.Contains(notes, p.Family) {
				t.Error("a note names the person")
			}
			j := judgeRead(t, out.Bytes())
			if !strings.Contains(j.pdftotext, "Exhibit B") {
				t.Errorf("the text layer lost its text: %q", j.pdftotext)
			}
			if enc == "flate" || enc == "smask" || enc == "invert" {
				words := pageWords(t, out.Bytes())
				for _, m := range ocr.NewFuzzy(append(ids, p.Family, p.Given), 0.25).Find(words) {
					t.Errorf("value %d read again on the rendered page (distance %.2f)", m.Value, m.Dist)
				}
				kept, body, _ := keptBody(words)
				if kept < len(body)-1 {
					t.Errorf("clinical line: %d of %d words readable: %q", kept, len(body), words)
				}
			}
			ctx := context.Background()
			if where, err := d.PixelLeaks(ctx, out.Bytes(), ids); err != nil || len(where) > 0 {
				t.Errorf("PixelLeaks on the output: %v %v", where, err)
			}
			if enc != "flate" {
				return
			}
			// Left on the card, the name is found by the checker.
			if where := leftOnScan(t, ocrFormat(ImagesDrop), in, ids, p.Given, 0); len(where) != 1 {
				t.Errorf("PixelLeaks on an output that shows the name: %v", where)
			}
		})
	}
}

// TestImagesUnreadQuarantine: under Unread quarantine a picture OCR reads
// nothing on (the icon) refuses the file, naming the page, not the image.
func TestImagesUnreadQuarantine(t *testing.T) {
	requireOCR(t)
	in := filing(t, exhibit(ocrtest.NewPerson(53), 150).Img, "flate")
	_, err := ocrFormat(ImagesQuarantine).Parse(in)
	if !errors.Is(err, redactors.ErrNoText) || !strings.Contains(err.Error(), "page 1") {
		t.Fatalf("error %v, want no_text naming page 1", err)
	}
}

// TestImagesTinyNotOCRed: an image under the size threshold is judged by
// its pixels without OCR: a flat one is kept, a picture is unread.
func TestImagesTinyNotOCRed(t *testing.T) {
	flat := image.NewGray(image.Rect(0, 0, 40, 10))
	for i := range flat.Pix {
		flat.Pix[i] = 90
	}
	if k := images.Classify(flat); k != images.PagePlain {
		t.Errorf("flat tiny image: %v", k)
	}
	pic := image.NewGray(image.Rect(0, 0, 12, 12))
	for i := range pic.Pix {
		pic.Pix[i] = uint8(i * 37)
	}
	pic.SetGray(3, 3, color.Gray{})
	if k := images.Classify(pic); k != images.PagePicture {
		t.Errorf("tiny picture: %v", k)
	}
}

// searchable builds a scanner's "searchable PDF" of the card: the scan
// drawn at (90, 400), 432 × 158.4 points, under an invisible OCR layer
// (text rendering mode 3) that is wrong in three ways: it lacks the
// telephone number, it read the name as other words ("Unreadable"), and
// its record number is half as wide as the scanned one.
func searchable(s *ocrtest.Sheet, p ocrtest.Person) []byte {
	w, h := s.Img.Bounds().Dx(), s.Img.Bounds().Dy()
	sx, sy := 432/float64(w), 158.4/float64(h)
	skip := map[string]bool{}
	for _, f := range strings.Fields(p.Phone) {
		skip[f] = true
	}
	var layer strings.Builder
	layer.WriteString("BT 3 Tr /F1 10 Tf ")
	for _, tw := range s.Words {
		if skip[tw.Text] {
			continue
		}
		text := tw.Text
		x0, x1 := 90+float64(tw.Box.Min.X)*sx, 90+float64(tw.Box.Max.X)*sx
		switch text {
		case p.Given, p.Family:
			text = "Unreadable"
		case p.MRN:
			x1 = x0 + (x1-x0)/2
		}
		natural := 0.0
		for i := 0; i < len(text); i++ {
			natural += coreWidth("Helvetica", "", text[i]) * 10
		}
		y := 400 + float64(h-tw.Box.Max.Y)*sy
		fmt.Fprintf(&layer, "%s Tz 1 0 0 1 %s %s Tm (%s) Tj ", fmtNum((x1-x0)/natural*100), fmtNum(x0), fmtNum(y), text)
	}
	layer.WriteString("ET")
	content := "BT /F1 12 Tf 72 720 Td (" + filingText + ") Tj ET q 432 0 0 158.4 90 400 cm /Ex Do Q " + layer.String()
	return pagesDoc([]string{content}, func(b *builder) string {
		ex := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, h), s.Img.Pix, true))
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Ex %d 0 R >> >>", helvFont, ex)
	}, nil)
}

// TestOCRLayerChecked is issue 20's second point: an invisible OCR layer
// over a scan is checked against a new OCR of the scan. The values the
// layer lacks or misread are found in the new reading and blanked in the
// pixels, the layer's words under them go too, and the record number the
// layer has too narrow is blanked to its scanned ink. With images not read
// by OCR (the layer trusted), the telephone number stays readable: the
// check is what removes it.
func TestOCRLayerChecked(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(54)
	card := exhibit(p, 200)
	in := searchable(card, p)
	ids := []string{p.Name(), p.Phone, p.MRN}
	run := func(f Format) ([]byte, *Document) {
		doc, err := f.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, ocrtest.Oracle(doc.Parts(), ids, "[REDACTED]")); err != nil {
			t.Fatal(err)
		}
		return out.Bytes(), doc.(*Document)
	}
	trusted, _ := run(New())
	if len(ocr.NewFuzzy([]string{p.Phone}, 0.25).Find(pageWords(t, trusted))) == 0 {
		t.Fatal("with the layer trusted the telephone number should stay readable (the fixture does not test the check)")
	}
	out, d := run(ocrFormat(ImagesDrop))
	if len(d.imgParts) != 1 {
		t.Fatalf("the scan under the layer was not read: %s", partsText(d))
	}
	for _, m := range ocr.NewFuzzy(append(ids, p.Family, p.Given), 0.25).Find(pageWords(t, out)) {
		t.Errorf("value %d read again on the rendered page (distance %.2f)", m.Value, m.Dist)
	}
	j := judgeClean(t, out, append(ids, p.Family, "Unreadable"), []string{"Exhibit B"})
	if !strings.Contains(j.pdftotext, "assessment") {
		t.Errorf("the layer's other words are gone: %q", j.pdftotext)
	}
	if where, err := d.PixelLeaks(context.Background(), out, ids); err != nil || len(where) > 0 {
		t.Errorf("PixelLeaks: %v %v", where, err)
	}
}

// BenchmarkOCRImages runs a mixed PDF — four US-letter pages, each with a
// line of text and a different person's scanned card (200 dpi, 1200×440
// pixels, Flate grey), the first with an icon and a rule as well — through
// parse (the cards read by OCR), redact (the oracle's values blanked) and
// PixelLeaks (every output image read twice more), as a veil run does
// before its own verify parse. It reports pages per second (wall clock),
// CPU seconds per page (this process and its tesseract children) and the
// largest tesseract process.
//
//	go test ./redactors/pdf -run '^$' -bench OCRImages -benchtime 2x
func BenchmarkOCRImages(b *testing.B) {
	requireOCR(b)
	const pages = 4
	var contents []string
	var cards []*image.Gray
	var ids []string
	for k := 0; k < pages; k++ {
		p := ocrtest.NewPerson(uint64(70 + k))
		ids = append(ids, p.Name(), p.Phone, p.MRN)
		cards = append(cards, exhibit(p, 200).Img)
		contents = append(contents, "BT /F1 12 Tf 72 720 Td ("+filingText+") Tj ET q 432 0 0 158.4 90 400 cm /Ex"+fmt.Sprint(k)+" Do Q")
	}
	in := pagesDoc(contents, func(bd *builder) string {
		var xo strings.Builder
		for k, g := range cards {
			w, h := g.Bounds().Dx(), g.Bounds().Dy()
			n := bd.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, h), g.Pix, true))
			fmt.Fprintf(&xo, "/Ex%d %d 0 R ", k, n)
		}
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << %s>> >>", helvFont, xo.String())
	}, nil)
	eng := ocr.NewTesseract(ocr.TesseractOptions{})
	f := New(Options{Images: ImagesOCR, OCR: images.Options{Engine: eng}})
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		doc, err := f.Parse(in)
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, ocrtest.Oracle(doc.Parts(), ids, "[REDACTED]")); err != nil {
			b.Fatal(err)
		}
		if where, err := doc.(*Document).PixelLeaks(b.Context(), out.Bytes(), ids); err != nil || len(where) > 0 {
			b.Fatalf("PixelLeaks: %v %v", where, err)
		}
	}
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	b.ReportMetric(float64(pages*b.N)/el.Seconds(), "pages/s")
	b.ReportMetric(cpu.Seconds()/float64(pages*b.N), "cpu-s/page")
	b.ReportMetric(float64(eng.PeakRSS())/(1<<20), "tesseract-MiB")
}

// cpuTime is the CPU time (user and system) of this process and of its
// waited-for children.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}

// jbig2Stripes wraps the Group 4 stripes of g4Stripes in an embedded
// JBIG2 stream (PDF 7.4.7: no file header): a page information segment and
// an immediate generic region coded with MMR (which is Group 4), then the
// end of the page.
func jbig2Stripes() []byte {
	var out []byte
	seg := func(n uint32, typ byte, data []byte) {
		out = binary.BigEndian.AppendUint32(out, n)
		out = append(out, typ, 0, 1) // type; no referred-to segments; page 1
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		out = append(out, data...)
	}
	var page []byte
	page = binary.BigEndian.AppendUint32(page, imgW)
	page = binary.BigEndian.AppendUint32(page, imgH)
	page = append(page, make([]byte, 8)...) // resolution unknown
	page = append(page, 0, 0, 0)            // flags, no striping
	seg(0, 48, page)
	var region []byte
	region = binary.BigEndian.AppendUint32(region, imgW)
	region = binary.BigEndian.AppendUint32(region, imgH)
	region = append(region, make([]byte, 8)...) // at 0, 0
	region = append(region, 0, 1)               // OR; MMR
	seg(1, 38, append(region, g4Stripes()...))
	seg(2, 49, nil)
	return out
}

// A JBIG2 image is decoded by jbig2dec, read (grey, as OCR gets it) as
// poppler reads it, and blanked under a box like any other.
func TestJBIG2Image(t *testing.T) {
	judgeTool(t, "jbig2dec")
	in := imageDoc("/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode", jbig2Stripes(), nil)
	before := extractImages(t, in)
	if len(before) != 1 || before[0].at(0, 0, 0) != 255 || before[0].at(4, 50, 0) != 0 {
		t.Fatalf("the fixture does not read as stripes in poppler")
	}
	d := parse(t, in)
	g, err := d.grayImage(d.models[0].imgUses[0].sd, true)
	if err != nil {
		t.Fatal(err)
	}
	for x := 0; x < imgW; x++ {
		if got, want := g.GrayAt(x, 50).Y, before[0].at(x, 50, 0); int(got) != int(want) {
			t.Fatalf("x %d: grey %d, poppler %d", x, got, want)
		}
	}
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "X", "Ellison") })
	after := extractImages(t, out)
	if len(after) != 1 {
		t.Fatalf("%d images after", len(after))
	}
	compareBlanked(t, before[0], after[0], false, false)
	judge(t, in, out, []string{"Ellison"}, []string{"wrote"})
}

// Without a decoder a JBIG2 image is unread: written blank, or the file
// refused, under images: ocr.
func TestJBIG2Corrupt(t *testing.T) {
	judgeTool(t, "jbig2dec")
	in := imageDoc("/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode", []byte("not jbig2 at all, long enough to be read"), nil)
	if _, err := ocrFormat(ImagesQuarantine).Parse(in); !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "JBIG2") {
		t.Errorf("quarantine: %v", err)
	}
	doc, err := ocrFormat(ImagesDrop).Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Join(doc.(*Document).Notes(), "\n"); !strings.Contains(n, "1 image written blank: not read (JBIG2") {
		t.Errorf("notes: %s", n)
	}
}

// keptBody counts the words of exhibitBody that OCR read again among
// words (case and trailing punctuation aside); it returns them with the
// body's words and the set of words read.
func keptBody(words []string) (kept int, body []string, seen map[string]bool) {
	seen = map[string]bool{}
	for _, w := range words {
		seen[strings.ToLower(strings.Trim(w, ".,"))] = true
	}
	body = strings.Fields(strings.ToLower(exhibitBody))
	for _, w := range body {
		if seen[strings.Trim(w, ".,")] {
			kept++
		}
	}
	return kept, body, seen
}
