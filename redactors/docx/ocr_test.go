package docx_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// requireOCR skips a test without Tesseract, or fails it under CI=true
// (scripts/setup installs it).
func requireOCR(t testing.TB) {
	t.Helper()
	ocrtest.Require(t)
}

const org = "BRAMBLEWOOD CLINIC" // an invented clinic

// scanDoc is a note with a scanned referral pasted under one line of text
// (PNG), a photograph without text whose metadata names the person (JPEG)
// and a letterhead logo (GIF). It returns the document and the values on
// the scan.
func scanDoc(p ocrtest.Person) ([]byte, []string) {
	scan, _ := dt.ScannedReferral(p)
	return dt.WithImages(dt.P("Referral received today, the scan is below."),
		dt.Media{Name: "image1.png", Data: scan},
		dt.Media{Name: "image2.jpeg", Data: dt.Photo(p.Name())},
		dt.Media{Name: "image3.gif", Data: dt.Logo(org)},
	), []string{p.Name(), p.DOB, p.MRN, p.Phone}
}

// extracted are the images of a DOCX as the unzip command writes them.
func extracted(t *testing.T, data []byte) map[string]string {
	t.Helper()
	unzip := tool(t, "unzip")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.docx")
	os.WriteFile(in, data, 0o600)
	if msg, err := exec.Command(unzip, "-qq", "-o", in, "word/media/*", "-d", dir).CombinedOutput(); err != nil {
		t.Fatalf("unzip: %v %s", err, msg)
	}
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "word", "media", "*"))
	for _, f := range files {
		out[filepath.Base(f)] = f
	}
	return out
}

// readIndependently reads an image file with the tesseract command, not
// through Veil: the file as Leptonica decodes it with uniform-block and
// sparse segmentation, and the pixels magnified 2× (nearest neighbour)
// with single-column segmentation (the redactor reads with automatic
// segmentation at 1×, its verification sparse at 1× and automatic at
// 1.5–2× bilinear). It returns the words of all readings.
func readIndependently(t *testing.T, file string) []string {
	t.Helper()
	bin := tool(t, "tesseract")
	run := func(f, psm string) []string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, f, "stdout", "--psm", psm, "-l", "eng")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("tesseract %s: %v", filepath.Base(f), err)
		}
		return strings.Fields(string(out))
	}
	words := append(run(file, "6"), run(file, "11")...)
	b, _ := os.ReadFile(file)
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s does not decode: %v", filepath.Base(file), err)
	}
	r := img.Bounds()
	big := image.NewGray(image.Rect(0, 0, 2*r.Dx(), 2*r.Dy()))
	for y := 0; y < big.Rect.Dy(); y++ {
		for x := 0; x < big.Rect.Dx(); x++ {
			big.Pix[y*big.Stride+x] = ocr.GrayOverWhite(img.At(r.Min.X+x/2, r.Min.Y+y/2))
		}
	}
	var pb bytes.Buffer
	png.Encode(&pb, big)
	up := file + ".2x.png"
	os.WriteFile(up, pb.Bytes(), 0o600)
	return append(words, run(up, "4")...)
}

func white(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if ocr.GrayOverWhite(img.At(x, y)) < 250 {
				return false
			}
		}
	}
	return true
}

// TestImagesOCR is the DOCX case of issue 20 and of the image class of
// issue 13: a scanned referral pasted under one line of text, a photograph
// and a logo. With the values found in the OCR text (by an oracle), the
// output's images hold none of them for an independent reading of every
// image unzip extracts (tesseract with other segmentations and 2×), the
// clinical text stays readable, the photograph (no text: it can show a
// face) is blank, exiftool finds no metadata, and LibreOffice opens the
// file. The format's own PixelLeaks agrees, and finds a value left in.
func TestImagesOCR(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(21)
	data, ids := scanDoc(p)
	f := docx.New(docx.Options{Images: docx.ImagesOCR})
	doc, err := f.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, pt := range doc.Parts() {
		names[pt.Name] = pt.Text
	}
	scanText := names["image 1 (word/media/image1.png)"]
	if len(ocr.NewFuzzy(ids, 0).Find(strings.Fields(scanText))) < len(ids) {
		t.Fatalf("the scan's values are not all in its part: %d words", len(strings.Fields(scanText)))
	}
	if !strings.Contains(names["image 3 (word/media/image3.gif)"], "BRAMBLEWOOD") {
		t.Errorf("the logo's text is not in its part (%d words)", len(strings.Fields(names["image 3 (word/media/image3.gif)"])))
	}
	if _, ok := names["image 2 (word/media/image2.jpeg)"]; !ok {
		t.Errorf("no part for the photograph: %v", names)
	}
	secrets := append(append([]string(nil), ids...), org)
	edits := ocrtest.Oracle(doc.Parts(), secrets, "[REDACTED]")
	var out bytes.Buffer
	if err := doc.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(doc.(redactors.Noter).Notes(), "\n")
	for _, want := range []string{"image 1 (word/media/image1.png): OCR (eng) read", "regions blanked", "image 2 (word/media/image2.jpeg)", "written blank", "image metadata removed"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	for _, s := range append(secrets, p.Family) {
		if strings.Contains(notes, s) {
			t.Errorf("a note holds a value")
		}
	}

	files := extracted(t, out.Bytes())
	if len(files) != 3 {
		t.Fatalf("unzip extracted %d images", len(files))
	}
	fz := ocr.NewFuzzy(secrets, 0.25)
	for name, file := range files {
		words := readIndependently(t, file)
		for _, m := range fz.Find(words) {
			t.Errorf("%s: value %d read again (distance %.2f)", name, m.Value, m.Dist)
		}
		if name == "image1.png" {
			text := strings.ToLower(strings.Join(words, " "))
			for _, keep := range []string{"sertraline", "sleep", "referral"} {
				if !strings.Contains(text, keep) {
					t.Errorf("clinical word %q no longer readable", keep)
				}
			}
		}
		b, _ := os.ReadFile(file)
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if w := white(img); w != (name == "image2.jpeg") {
			t.Errorf("%s: white %v", name, w)
		}
	}
	exif := tool(t, "exiftool")
	args := []string{"-a", "-u", "-G1", "-s", "-ee"}
	for _, file := range files {
		args = append(args, file)
	}
	rep, _ := exec.Command(exif, args...).CombinedOutput()
	if strings.Contains(string(rep), p.Family) || strings.Contains(string(rep), "[GPS]") {
		t.Errorf("exiftool finds metadata in an output image:\n%s", rep)
	}
	in := extracted(t, data)
	rep, _ = exec.Command(exif, append(args[:5:5], in["image2.jpeg"])...).CombinedOutput()
	if !strings.Contains(string(rep), p.Family) {
		t.Fatalf("exiftool finds no name in the input photograph: the case proves nothing")
	}

	pdf := libreOfficePDF(t, map[string][]byte{"note": out.Bytes()})
	if !strings.Contains(pdf["note"], "Referral received today") {
		t.Errorf("LibreOffice does not show the body: %q", pdf["note"])
	}

	ctx := context.Background()
	pc := doc.(redactors.PixelChecker)
	if where, err := pc.PixelLeaks(ctx, out.Bytes(), secrets); err != nil || len(where) > 0 {
		t.Errorf("PixelLeaks on the output: %v %v", where, err)
	}
	// Leave the name on the scan: verification reads it.
	var leaky bytes.Buffer
	var less []redactors.Edit
	for _, e := range edits {
		if !strings.Contains(ocrtestText(doc, e), p.Given) {
			less = append(less, e)
		}
	}
	if len(less) == len(edits) {
		t.Fatal("no edit holds the name")
	}
	if err := doc.Redact(&leaky, less); err != nil {
		t.Fatal(err)
	}
	where, err := pc.PixelLeaks(ctx, leaky.Bytes(), secrets)
	if err != nil || len(where) != 1 || !strings.HasPrefix(where[0], "image 1 (word/media/image1.png)") {
		t.Errorf("PixelLeaks on an output that shows the name: %v %v", where, err)
	}
}

func ocrtestText(doc redactors.Document, e redactors.Edit) string {
	return doc.Parts()[e.Part].Text[e.Start:e.End]
}

// libreOfficePDF converts documents to PDF with one LibreOffice run and
// returns their text by pdftotext; a document LibreOffice cannot open is
// an error.
func libreOfficePDF(t *testing.T, docs map[string][]byte) map[string]string {
	t.Helper()
	soffice := tool(t, "soffice", "libreoffice")
	pdftotext := tool(t, "pdftotext")
	dir := t.TempDir()
	var args []string
	for name, b := range docs {
		p := filepath.Join(dir, name+".docx")
		os.WriteFile(p, b, 0o644)
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, msg)
	}
	out := map[string]string{}
	for name := range docs {
		txt, err := exec.Command(pdftotext, filepath.Join(dir, name+".pdf"), "-").Output()
		if err != nil {
			t.Errorf("%s: LibreOffice did not convert it: %v", name, err)
			continue
		}
		out[name] = string(txt)
	}
	return out
}

// A thin line (plain: it shows no one) for TestImagesUnread.
func rule() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 400, 3))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 30, 60, 120, 255
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// What cannot be read is never passed: under images_unread drop it is
// written blank with a note naming why; under quarantine the file is
// refused with the reason. A picture without text, a WebP (not read),
// and every image without the OCR engine; a thin line is kept either way;
// a body of only images some of which were dropped is refused.
func TestImagesUnread(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(22)
	webp, _ := imagetest.WebP(p.Name())
	line := dt.P("Attached below.")
	docs := map[string][]byte{
		"photo": dt.WithImages(line, dt.Media{Name: "image1.jpeg", Data: dt.Photo(p.Name())}),
		"webp":  dt.WithImages(line, dt.Media{Name: "image1.webp", Data: webp}),
		"rule":  dt.WithImages(line, dt.Media{Name: "image1.png", Data: rule()}),
	}
	absent := ocr.NewTesseract(ocr.TesseractOptions{Path: filepath.Join(t.TempDir(), "absent")})
	scan, _ := dt.ScannedReferral(p)
	docs["scan"] = dt.WithImages(line, dt.Media{Name: "image1.png", Data: scan})
	cases := []struct {
		doc    string
		unread docx.ImagePolicy
		engine ocr.Engine
		reason string // "" when written
		note   string // a note of the written file
	}{
		{"photo", docx.ImagesDrop, nil, "", "written blank"},
		{"photo", docx.ImagesQuarantine, nil, "no_text", ""},
		{"webp", docx.ImagesDrop, nil, "", "not read (uninspectable): replaced by a blank image"},
		{"webp", docx.ImagesQuarantine, nil, "uninspectable", ""},
		{"rule", docx.ImagesQuarantine, nil, "", "one flat colour or a thin line"},
		{"scan", docx.ImagesDrop, absent, "", "tesseract not found"},
		{"scan", docx.ImagesQuarantine, absent, "no_text", ""},
	}
	for _, c := range cases {
		name := c.doc + "/" + string(c.unread)
		if c.engine != nil {
			name += "/no-tesseract"
		}
		t.Run(name, func(t *testing.T) {
			f := docx.New(docx.Options{Images: docx.ImagesOCR, Unread: c.unread, OCR: images.Options{Engine: c.engine}})
			doc, err := f.Parse(docs[c.doc])
			if err == nil {
				var out bytes.Buffer
				if err = doc.Redact(&out, nil); err == nil && c.reason == "" {
					notes := strings.Join(doc.(redactors.Noter).Notes(), "\n")
					if !strings.Contains(notes, c.note) {
						t.Errorf("notes lack %q:\n%s", c.note, notes)
					}
					if strings.Contains(notes, p.Family) {
						t.Errorf("a note names the person")
					}
					if bytes.Contains(out.Bytes(), []byte(p.Family)) {
						t.Errorf("the output holds the name")
					}
					checkImagesWhite(t, out.Bytes(), c.doc != "rule")
				}
			}
			if got := redactors.ReasonOf(err).Code; (err == nil) != (c.reason == "") || (err != nil && got != c.reason) {
				t.Fatalf("err %v, want reason %q", err, c.reason)
			}
			if err != nil && strings.Contains(err.Error(), p.Family) {
				t.Errorf("the error names the person")
			}
		})
	}
	// A body of nothing but a picture that was dropped: nothing is left.
	only := dt.WithImages("", dt.Media{Name: "image1.jpeg", Data: dt.Photo(p.Name())})
	if _, err := docx.New(docx.Options{Images: docx.ImagesOCR}).Parse(only); !errors.Is(err, redactors.ErrNoText) {
		t.Errorf("body of one dropped picture: %v", err)
	}
}

// checkImagesWhite decodes every image entry of a DOCX and checks that it
// is white (or not).
func checkImagesWhite(t *testing.T, data []byte, want bool) {
	t.Helper()
	files := extracted(t, data)
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b, _ := os.ReadFile(files[k])
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s does not decode: %v", k, err)
			continue
		}
		if white(img) != want {
			t.Errorf("%s: white %v, want %v", k, !want, want)
		}
	}
}
