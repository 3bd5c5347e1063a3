// Command scaneval measures Veil on scans (issue 20's Done-when; run it
// through scripts/scan-eval). It builds a corpus of invented people's
// letters (redactors/ocr/ocrtest: a referral and a two-column
// declaration), each written twice: as plain text, and as a scan — an
// image-only PDF (JPEG, or CCITT G4 encoded by libtiff's tiffcp), a PDF
// with a page of text and the scan as its second page, a PNG, a G4 fax
// TIFF (200×100 dpi) or a picture inside a DOCX — rendered at
// 150–300 dpi with skew, noise, blur, JPEG and fax-like compression. It
// runs the veil binary over both folders with one profile, and judges the
// outputs independently of Veil: the text by string search, the scans by
// rendering every output page (pdftoppm at 300 dpi; the images of a DOCX
// as they are) and reading it with the tesseract command (sparse text),
// with misreads allowed (ocr.Fuzzy). It prints
//
//   - identifier recall on the text and on the scans: an occurrence of a
//     value counts when the judge reads it on the input; it is removed
//     when the judge no longer reads it on the output. The target is scan
//     recall ≥ 0.95 × text recall;
//   - values the judge reads on the output scans (target 0);
//   - the clinical prose kept: of the words of the letters' prose the
//     judge reads on the input, the share it still reads on the output
//     (target ≥ 0.95).
//
// Values are counted as whole words on both sides (a value inside a
// longer word is not an occurrence): by string search in the text, and
// on the scans by ocr.NewWordFuzzy, whose misreads may not reach into
// the words around.
//
// Nothing is stored: the corpus is made in a temporary folder.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// doc is one letter of the corpus: its text file, its scan, the values
// to remove and its prose to keep.
type doc struct {
	name    string // file name without extension
	variant string
	ext     string // of the scan
	ids     []string
	body    string
}

func main() {
	veil := flag.String("veil", "", "the veil binary (required)")
	profile := flag.String("profile", "research", "profile to run")
	people := flag.Int("people", 6, "invented people; each has a referral and a declaration")
	work := flag.String("work", "", "work folder (kept); default a temporary one, removed")
	heldout := flag.Bool("heldout", false, "build the held-out corpus instead: other people, letters, faces and scan variants, not tuned on")
	keyFile := flag.String("key", "", "research: veil's --key-file (made with veil keygen); default a new key each run. The keyed pseudonyms are the labels drawn in the boxes, and OCR reads the words beside a box according to them: with one key the run repeats")
	fileTimeout := flag.String("file-timeout", "", "veil's --file-timeout (0: no limit); default veil's own. On a busy machine scans go over the wall-clock budget (too_slow), which says nothing of their reading")
	flag.Parse()
	if *veil == "" {
		fail("-veil is required")
	}
	for _, tool := range []string{"pdftoppm", "tesseract", "tiffcp"} {
		if _, err := exec.LookPath(tool); err != nil {
			fail(tool + " not found: run scripts/setup")
		}
	}
	dir := *work
	if dir == "" {
		d, err := os.MkdirTemp("", "scan-eval-")
		check(err)
		defer os.RemoveAll(d)
		dir = d
	}
	for _, sub := range []string{"in-text", "in-scan", "judge"} {
		check(os.MkdirAll(filepath.Join(dir, sub), 0o755))
	}
	var docs []doc
	if *heldout {
		docs = buildHeldOut(dir, *people)
		fmt.Printf("held-out corpus (not tuned on): %d letters of %d invented people, each as text and as a scan\n", len(docs), *people)
	} else {
		docs = build(dir, *people)
		fmt.Printf("corpus: %d letters of %d invented people, each as text and as a scan\n", len(docs), *people)
	}

	args := []string{"--profile", *profile}
	if *fileTimeout != "" {
		args = append(args, "--file-timeout", *fileTimeout)
		fmt.Printf("veil --file-timeout %s\n", *fileTimeout)
	}
	if *profile == "research" {
		key := *keyFile
		if key == "" {
			key = filepath.Join(dir, "judge", "case.key")
			run(*veil, "keygen", key)
		}
		args = append(args, "--key-file", key)
	}
	var cpu [2]time.Duration
	for i, kind := range []string{"text", "scan"} {
		out := filepath.Join(dir, "out-"+kind)
		os.RemoveAll(out)
		start := time.Now()
		cmd := exec.Command(*veil, append(append([]string{"run"}, args...), filepath.Join(dir, "in-"+kind), out)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if cmd.ProcessState == nil {
			fail(fmt.Sprintf("veil run: %v", err))
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			cpu[i] = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
		fmt.Printf("veil run --profile %s (%s): %s wall, %.1f CPU s (with its tesseract children), exit %d\n",
			*profile, kind, time.Since(start).Round(time.Second), cpu[i].Seconds(), cmd.ProcessState.ExitCode())
		quarantined(out)
	}

	var res result
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, d := range docs {
		wg.Add(1)
		go func(d doc) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := judge(dir, d)
			mu.Lock()
			res.add(d.variant, r)
			mu.Unlock()
		}(d)
	}
	wg.Wait()
	res.print()
}

// counts are one document's judged numbers.
type counts struct {
	textIn, textLeft int // value occurrences in the text input, left in its output
	scanIn, scanLeft int // value occurrences the judge reads on the scan input, on its output
	bodyIn, bodyOut  int // prose words the judge reads on the scan input, on its output (written files)
	// Files veil did not write (quarantined): their values count as not
	// removed (held, the value occurrences the judge reads on their
	// input), their output as nothing readable.
	textHeld, scanHeld   int
	textFiles, scanFiles int // quarantined files
}

type result struct {
	all       counts
	byVariant map[string]*counts
}

func (r *result) add(variant string, c counts) {
	if r.byVariant == nil {
		r.byVariant = map[string]*counts{}
	}
	v := r.byVariant[variant]
	if v == nil {
		v = &counts{}
		r.byVariant[variant] = v
	}
	for _, t := range []*counts{&r.all, v} {
		t.textIn += c.textIn
		t.textLeft += c.textLeft
		t.scanIn += c.scanIn
		t.scanLeft += c.scanLeft
		t.bodyIn += c.bodyIn
		t.bodyOut += c.bodyOut
		t.textHeld += c.textHeld
		t.scanHeld += c.scanHeld
		t.textFiles += c.textFiles
		t.scanFiles += c.scanFiles
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (r *result) print() {
	fmt.Println()
	fmt.Println("Recall counts a quarantined file's values as not removed; \"read on the output\" and the prose are over the files written.")
	fmt.Println()
	fmt.Println("| scans | value occurrences (text) | text recall | read on the scan input | scan recall | quarantined (text/scan files) | read on the output | prose words kept |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	var names []string
	for n := range r.byVariant {
		names = append(names, n)
	}
	sort.Strings(names)
	row := func(n string, c *counts) {
		fmt.Printf("| %s | %d | %.3f | %d | %.3f | %d/%d | %d | %.3f (%d/%d) |\n", n, c.textIn,
			ratio(c.textIn-c.textLeft-c.textHeld, c.textIn), c.scanIn, ratio(c.scanIn-c.scanLeft-c.scanHeld, c.scanIn),
			c.textFiles, c.scanFiles, c.scanLeft, ratio(c.bodyOut, c.bodyIn), c.bodyOut, c.bodyIn)
	}
	for _, n := range names {
		row(n, r.byVariant[n])
	}
	a := &r.all
	row("**all**", a)
	tr := ratio(a.textIn-a.textLeft-a.textHeld, a.textIn)
	sr := ratio(a.scanIn-a.scanLeft-a.scanHeld, a.scanIn)
	fmt.Printf("\nscan recall / text recall = %.3f (target ≥ 0.95); values read on the output scans: %d (target 0); prose kept %.3f (target ≥ 0.95)\n",
		sr/tr, a.scanLeft, ratio(a.bodyOut, a.bodyIn))
	if a.scanFiles > 0 {
		fmt.Printf("over the scans written only (%d quarantined left out): scan recall %.3f\n", a.scanFiles, ratio(a.scanIn-a.scanLeft-a.scanHeld, a.scanIn-a.scanHeld))
	}
}

// build writes the corpus into dir/in-text and dir/in-scan.
func build(dir string, people int) []doc {
	variants := []string{"pdf-jpeg-200dpi-skew", "pdf-g4-fine-fax", "png-300dpi-blur-skew", "tiff-g4-fax-200x100", "docx-png-150dpi", "pdf-text-page-then-scan-300dpi"}
	var out []doc
	k := 0
	for i := 0; i < people; i++ {
		p := ocrtest.NewPerson(uint64(1000 + i))
		ids := append(p.Identifiers(), p.City)
		for _, kind := range []string{"referral", "declaration"} {
			v := variants[k%len(variants)]
			k++
			name := fmt.Sprintf("%s-%02d", kind, i+1)
			dpi := map[string]int{"pdf-jpeg-200dpi-skew": 200, "pdf-g4-fine-fax": 300, "png-300dpi-blur-skew": 300, "tiff-g4-fax-200x100": 300, "docx-png-150dpi": 150, "pdf-text-page-then-scan-300dpi": 300}[v]
			var s *ocrtest.Sheet
			body := ocrtest.ReferralBody
			if kind == "referral" {
				s = ocrtest.Referral(p, dpi)
			} else {
				s = ocrtest.Declaration(p, dpi)
				body = ocrtest.DeclarationBody
			}
			check(os.WriteFile(filepath.Join(dir, "in-text", name+".txt"), []byte(text(s.Words)), 0o644))
			data, ext := scan(s, v, uint64(i*7+k))
			check(os.WriteFile(filepath.Join(dir, "in-scan", name+ext), data, 0o644))
			out = append(out, doc{name: name, variant: v, ext: ext, ids: ids, body: body})
		}
	}
	return out
}

// buildHeldOut writes the held-out corpus into dir/in-text and
// dir/in-scan: people of other seeds, a laboratory request form in a
// typewriter face (two columns of labelled fields) and an intake note in
// italics (identifiers inside sentences), scanned in ways the corpus of
// build does not use: a JPEG file at 150 dpi, a two-page TIFF (the second
// page a re-scan), a JPEG pasted into a DOCX, a PDF of a standard-mode G4
// fax, a PNG at 240 dpi, a PDF of a noisy JPEG at 250 dpi.
func buildHeldOut(dir string, people int) []doc {
	variants := []string{"jpeg-150dpi-q45-skew", "tiff-2-pages-300dpi", "docx-jpeg-200dpi", "pdf-g4-standard-fax", "png-240dpi-blur", "pdf-jpeg-250dpi-noisy-skew"}
	dpis := map[string]int{"jpeg-150dpi-q45-skew": 150, "tiff-2-pages-300dpi": 300, "docx-jpeg-200dpi": 200, "pdf-g4-standard-fax": 300, "png-240dpi-blur": 240, "pdf-jpeg-250dpi-noisy-skew": 250}
	var out []doc
	k := 0
	for i := 0; i < people; i++ {
		p := ocrtest.NewPerson(uint64(7000 + i))
		for _, kind := range []string{"labrequest", "intake"} {
			v := variants[k%len(variants)]
			k++
			name := fmt.Sprintf("%s-%02d", kind, i+1)
			var s *ocrtest.Sheet
			var ids []string
			body := ocrtest.LabRequestBody
			if kind == "labrequest" {
				s = ocrtest.LabRequest(p, dpis[v])
				ids = []string{p.Family, p.Given, p.DOB, p.Phone, p.MRN, p.Email, p.Street, p.City}
			} else {
				s = ocrtest.IntakeNote(p, dpis[v])
				ids = append(p.Identifiers(), p.City)
				body = ocrtest.IntakeBody
			}
			t := text(s.Words)
			if v == "tiff-2-pages-300dpi" {
				t += "\n" + t
			}
			check(os.WriteFile(filepath.Join(dir, "in-text", name+".txt"), []byte(t), 0o644))
			data, ext := scanHeldOut(s, v, uint64(i*11+k))
			check(os.WriteFile(filepath.Join(dir, "in-scan", name+ext), data, 0o644))
			out = append(out, doc{name: name, variant: v, ext: ext, ids: ids, body: body})
		}
	}
	return out
}

// scanHeldOut renders sheet s as a held-out variant v.
func scanHeldOut(s *ocrtest.Sheet, v string, seed uint64) ([]byte, string) {
	jpg := func(img *image.Gray, q int) []byte {
		var j bytes.Buffer
		check(jpeg.Encode(&j, img, &jpeg.Options{Quality: q}))
		return j.Bytes()
	}
	switch v {
	case "jpeg-150dpi-q45-skew":
		img, _ := ocrtest.Rotate(s.Img, s.Words, -1.2)
		return jpg(ocrtest.Noise(img, 6, 0.0005, seed), 45), ".jpg"
	case "tiff-2-pages-300dpi":
		a, _ := ocrtest.Rotate(s.Img, s.Words, 0.6)
		b, _ := ocrtest.Rotate(s.Img, s.Words, -0.9)
		return ocrtest.TIFF([]ocrtest.TIFFPage{
			{Img: ocrtest.Noise(a, 5, 0.0005, seed), XDPI: 300, YDPI: 300},
			{Img: ocrtest.Noise(b, 8, 0.001, seed+1), XDPI: 300, YDPI: 300},
		}), ".tiff"
	case "docx-jpeg-200dpi":
		img, _ := ocrtest.Rotate(s.Img, s.Words, 0.4)
		return docxtest.WithImages(`<w:p><w:r><w:t>Scan of the form pasted below.</w:t></w:r></w:p>`, docxtest.Media{Name: "image1.jpg", Data: jpg(ocrtest.Noise(img, 6, 0.0005, seed), 75)}), ".docx"
	case "pdf-g4-standard-fax":
		img, _ := ocrtest.Rotate(s.Img, s.Words, 0.3)
		fax, _ := ocrtest.Fax(ocrtest.Noise(img, 6, 0.0005, seed), s.Words, s.DPI)
		b := fax.Bounds()
		_, strip := g4(gray(fax), 200, 100)
		return imagePDF(b.Dx(), b.Dy(), 200, 100, fmt.Sprintf("/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns %d /Rows %d >>", b.Dx(), b.Dy()), strip), ".pdf"
	case "png-240dpi-blur":
		img := ocrtest.Noise(ocrtest.Blur(s.Img), 8, 0.001, seed)
		var b bytes.Buffer
		check(png.Encode(&b, img))
		return b.Bytes(), ".png"
	case "pdf-jpeg-250dpi-noisy-skew":
		img, _ := ocrtest.Rotate(s.Img, s.Words, 1.8)
		img = ocrtest.Noise(img, 14, 0.002, seed)
		b := img.Bounds()
		return imagePDF(b.Dx(), b.Dy(), s.DPI, s.DPI, "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", jpg(img, 60)), ".pdf"
	}
	fail("variant " + v)
	return nil, ""
}

// text lays the words drawn on a sheet out as lines: a word starts a new
// line when it lies left of the previous one or below it.
func text(words []ocrtest.Truth) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			prev := words[i-1].Box
			if w.Box.Min.X < prev.Max.X || w.Box.Min.Y >= prev.Max.Y || w.Box.Max.Y <= prev.Min.Y {
				b.WriteString("\n")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(w.Text)
	}
	b.WriteString("\n")
	return b.String()
}

// scan renders sheet s as variant v: the file's bytes and extension.
func scan(s *ocrtest.Sheet, v string, seed uint64) ([]byte, string) {
	switch v {
	case "pdf-jpeg-200dpi-skew":
		img, _ := ocrtest.Rotate(s.Img, s.Words, 1)
		img = ocrtest.Noise(img, 8, 0.001, seed)
		var j bytes.Buffer
		check(jpeg.Encode(&j, img, &jpeg.Options{Quality: 70}))
		b := img.Bounds()
		return imagePDF(b.Dx(), b.Dy(), s.DPI, s.DPI, "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", j.Bytes()), ".pdf"
	case "pdf-g4-fine-fax":
		// A fax in fine mode: 200 dpi both ways, black and white.
		img, _ := ocrtest.Rotate(s.Img, s.Words, -0.7)
		img = ocrtest.Noise(img, 6, 0.0005, seed)
		fax, _ := ocrtest.FaxAt(img, s.Words, s.DPI, 200, 200)
		b := fax.Bounds()
		_, strip := g4(gray(fax), 200, 200)
		return imagePDF(b.Dx(), b.Dy(), 200, 200, fmt.Sprintf("/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns %d /Rows %d >>", b.Dx(), b.Dy()), strip), ".pdf"
	case "png-300dpi-blur-skew":
		img, _ := ocrtest.Rotate(ocrtest.Blur(s.Img), s.Words, -1.5)
		img = ocrtest.Noise(img, 10, 0.001, seed)
		var b bytes.Buffer
		check(png.Encode(&b, img))
		return b.Bytes(), ".png"
	case "tiff-g4-fax-200x100":
		img, w := ocrtest.Rotate(s.Img, s.Words, 0.8)
		img = ocrtest.Noise(img, 6, 0.0005, seed)
		fax, _ := ocrtest.Fax(img, w, s.DPI)
		tiff, _ := g4(gray(fax), 200, 100)
		return tiff, ".tiff"
	case "pdf-text-page-then-scan-300dpi":
		// A born-digital filing whose second page is the scan: a page of
		// one image and no text inside a file with text.
		img, _ := ocrtest.Rotate(s.Img, s.Words, 0.5)
		img = ocrtest.Noise(img, 6, 0.0005, seed)
		return pdftest.Mixed(
			pdftest.Page{Lines: []string{"Notice of filing.", "The scanned letter on the next page is filed as an exhibit."}},
			pdftest.Page{Image: img},
		), ".pdf"
	case "docx-png-150dpi":
		img := ocrtest.Noise(s.Img, 6, 0.0005, seed)
		var b bytes.Buffer
		check(png.Encode(&b, img))
		return docxtest.WithImages(`<w:p><w:r><w:t>Scanned letter attached below.</w:t></w:r></w:p>`, docxtest.Media{Name: "image1.png", Data: b.Bytes()}), ".docx"
	}
	fail("variant " + v)
	return nil, ""
}

// g4 encodes a black-and-white page with tiffcp -c g4 (ocrtest.G4).
func g4(g *image.Gray, xdpi, ydpi int) (tiff, strip []byte) {
	tiff, strip, err := ocrtest.G4(g, xdpi, ydpi)
	check(err)
	return tiff, strip
}

// gray turns a fax's 1-bit palette image (0 black, 1 white) into grey.
func gray(p *image.Paletted) *image.Gray {
	g := image.NewGray(p.Bounds())
	for i, c := range p.Pix {
		g.Pix[i] = 255 * c
	}
	return g
}

// imagePDF writes a one-page PDF that is one image (dict: its colour
// space, depth and filter) of w×h pixels at xdpi × ydpi: a scanner's PDF.
func imagePDF(w, h, xdpi, ydpi int, dict string, data []byte) []byte {
	pw, ph := float64(w)*72/float64(xdpi), float64(h)*72/float64(ydpi)
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph)
	return pdftest.Objects("1.5",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>", pw, ph),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d %s /Length %d >>\nstream\n%s\nendstream", w, h, dict, len(data), data),
	)
}

// judge compares one document's inputs and outputs.
func judge(dir string, d doc) counts {
	var c counts
	in, _ := os.ReadFile(filepath.Join(dir, "in-text", d.name+".txt"))
	out, err := os.ReadFile(filepath.Join(dir, "out-text", d.name+".txt"))
	if err != nil {
		c.textFiles = 1
	}
	for _, v := range d.ids {
		n := countWords(string(in), v)
		c.textIn += n
		if err != nil {
			c.textHeld += n
			continue
		}
		c.textLeft += countWords(string(out), v)
	}
	before := read(dir, filepath.Join(dir, "in-scan", d.name+d.ext))
	c.scanIn = occurrences(d.ids, before)
	outScan := filepath.Join(dir, "out-scan", d.name+d.ext)
	if _, err := os.Stat(outScan); err != nil {
		c.scanFiles = 1
		c.scanHeld = c.scanIn
		return c
	}
	c.bodyIn = kept(d.body, before)
	after := read(dir, outScan)
	c.scanLeft = occurrences(d.ids, after)
	c.bodyOut = kept(d.body, after)
	return c
}

// occurrences counts the values the words hold, misreads allowed, as
// whole words (ocr.NewWordFuzzy): a value one edit from the inside of a
// longer word of the prose is not read there.
func occurrences(ids []string, words []string) int {
	return len(ocr.NewWordFuzzy(ids, 0.25).Find(words))
}

// countWords counts the occurrences of v in s that stand as whole words:
// neither preceded nor followed by a letter or a digit.
func countWords(s, v string) int {
	if v == "" {
		return 0
	}
	n := 0
	for i := 0; ; {
		k := strings.Index(s[i:], v)
		if k < 0 {
			return n
		}
		start, end := i+k, i+k+len(v)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !wordRune(before) && !wordRune(after) {
			n++
		}
		i = start + 1
	}
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// kept counts the words of body among words.
func kept(body string, words []string) int {
	seen := map[string]bool{}
	for _, w := range words {
		seen[strings.ToLower(strings.Trim(w, ".,;:"))] = true
	}
	n := 0
	for _, w := range strings.Fields(strings.ToLower(body)) {
		if seen[strings.Trim(w, ".,;:")] {
			n++
		}
	}
	return n
}

// read returns the words the judge reads on a scan: every page of a PDF
// rendered by pdftoppm at 300 dpi, a PNG or TIFF as it is, the images of
// a DOCX; each read by the tesseract command with sparse segmentation.
func read(dir, path string) []string {
	tmp, err := os.MkdirTemp(filepath.Join(dir, "judge"), "read-")
	check(err)
	defer os.RemoveAll(tmp)
	var imgs []string
	switch filepath.Ext(path) {
	case ".pdf":
		run("pdftoppm", "-r", "300", "-gray", "-png", path, filepath.Join(tmp, "p"))
		imgs, _ = filepath.Glob(filepath.Join(tmp, "p*.png"))
	case ".docx":
		z, err := zip.OpenReader(path)
		check(err)
		for i, f := range z.File {
			if !strings.HasPrefix(f.Name, "word/media/") {
				continue
			}
			r, err := f.Open()
			check(err)
			img, _, err := image.Decode(r)
			r.Close()
			if err != nil {
				continue
			}
			p := filepath.Join(tmp, fmt.Sprintf("m%d.png", i))
			fh, err := os.Create(p)
			check(err)
			check(png.Encode(fh, img))
			fh.Close()
			imgs = append(imgs, p)
		}
		z.Close()
	default:
		imgs = []string{path}
	}
	sort.Strings(imgs)
	var words []string
	for _, p := range imgs {
		cmd := exec.Command("tesseract", p, "stdout", "--psm", "11", "-l", "eng")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		b, err := cmd.Output()
		if err != nil {
			fail(fmt.Sprintf("tesseract on %s: %v", filepath.Base(p), err))
		}
		words = append(words, strings.Fields(string(b))...)
	}
	return words
}

// quarantined prints the files of a run that were not written, with the
// reasons of its report.
func quarantined(out string) {
	b, err := os.ReadFile(filepath.Join(out, "veil-report", "report.json"))
	if err != nil {
		fmt.Println("  no report:", err)
		return
	}
	var r struct {
		Files []struct {
			Key, Status, Reason, Detail string
		}
	}
	check(json.Unmarshal(b, &r))
	for _, f := range r.Files {
		if f.Status != "redacted" && f.Status != "unchanged" {
			fmt.Printf("  %s: %s %s (%s)\n", f.Key, f.Status, f.Reason, f.Detail)
		}
	}
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	if err := cmd.Run(); err != nil {
		fail(fmt.Sprintf("%s: %v: %s", name, err, strings.TrimSpace(stderr.String())))
	}
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "scan-eval:", msg)
	os.Exit(1)
}
