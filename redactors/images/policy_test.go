package images_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// Without the OCR engine, every image is quarantined as no_text and the
// reason says what to install.
func TestNoEngine(t *testing.T) {
	e := ocr.NewTesseract(ocr.TesseractOptions{Path: filepath.Join(t.TempDir(), "absent")})
	s := ocrtest.NewSheet(2, 1, 100)
	s.Line(10, 40, ocrtest.Style{}, "Hello")
	_, err := images.New(images.Options{Engine: e}).Parse(encodePNG(t, s.Img))
	if !errors.Is(err, redactors.ErrNoText) || !strings.Contains(err.Error(), "tesseract") {
		t.Fatalf("err %v, want no_text naming tesseract", err)
	}
}

// portrait draws a face-like picture: shaded ovals, no text.
func portrait() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, 400, 500))
	for y := 0; y < 500; y++ {
		for x := 0; x < 400; x++ {
			v := 230.0
			dx, dy := float64(x-200)/130, float64(y-230)/170
			if d := dx*dx + dy*dy; d < 1 {
				v = 150 + 60*d // face
			}
			for _, ex := range []float64{150, 250} { // eyes
				if ddx, ddy := (float64(x)-ex)/22, float64(y-200)/12; ddx*ddx+ddy*ddy < 1 {
					v = 40
				}
			}
			if math.Abs(float64(x-200)) < 50 && math.Abs(float64(y-320)) < 6 {
				v = 70 // mouth
			}
			img.SetGray(x, y, color.Gray{uint8(v)})
		}
	}
	return img
}

// A picture without text is quarantined by default, written with a note
// under NoTextKeep; a blank page is no reason to quarantine.
func TestNoTextPolicy(t *testing.T) {
	requireOCR(t)
	photo := encodePNG(t, portrait())
	doc, err := images.New(images.Options{}).Parse(photo)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Redact(&bytes.Buffer{}, nil); !errors.Is(err, redactors.ErrNoText) {
		t.Errorf("picture: err %v, want no_text", err)
	}
	doc, err = images.New(images.Options{NoText: images.NoTextKeep}).Parse(photo)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := doc.Redact(&out, nil); err != nil {
		t.Fatalf("picture, keep: %v", err)
	}
	if notes := strings.Join(doc.(redactors.Noter).Notes(), "\n"); !strings.Contains(notes, "no readable text") {
		t.Errorf("notes: %s", notes)
	}
	blank := ocrtest.NewSheet(4, 3, 100)
	doc, err = images.New(images.Options{}).Parse(encodePNG(t, blank.Img))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Redact(&bytes.Buffer{}, nil); err != nil {
		t.Errorf("blank page: %v", err)
	}
}

// halfLetter is a small scan for the faster tests: identifiers on a form
// and a sentence.
func halfLetter(p ocrtest.Person, dpi int) *ocrtest.Sheet {
	s := ocrtest.NewSheet(6, 2.5, dpi)
	s.Line(36, 40, ocrtest.Style{Size: 12, Bold: true}, "Appointment reminder")
	s.Line(36, 70, ocrtest.Style{}, "Patient: "+p.Name())
	s.Line(36, 90, ocrtest.Style{}, "Telephone: "+p.Phone)
	s.Para(36, 115, 360, ocrtest.Style{}, "Please bring a list of current medication and arrive ten minutes early for the review.")
	return s
}

// Verification reads the output again and finds a value the edits left
// out (fuzzily, through the engine's own decoder and at 2×); on a correct
// redaction it finds nothing, and the exact LeakChecker agrees.
func TestVerifyOutput(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(11)
	s := halfLetter(p, 200)
	doc, err := images.New(images.Options{}).Parse(encodePNG(t, s.Img))
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{p.Name(), p.Phone}
	all := detect(doc.Parts(), ids, label)
	if len(all) != 2 {
		t.Fatalf("%d values found, want 2", len(all))
	}
	ctx := context.Background()
	// Leave the phone number in: verification must see it.
	var leaky bytes.Buffer
	if err := doc.Redact(&leaky, all[:1]); err != nil {
		t.Fatal(err)
	}
	v := doc.(*images.Document)
	c, err := v.VerifyOutput(ctx, leaky.Bytes(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if c.Pages[0].Found == 0 || !errors.Is(c.Err(images.LowConfBlank), redactors.ErrVerify) {
		t.Errorf("a value left in was not read again: %+v", c.Pages)
	}
	phone := strings.Join(strings.Fields(p.Phone), " ")
	where, err := v.Leaks(leaky.Bytes(), func(text string) bool { return strings.Contains(text, phone) })
	if err != nil || len(where) == 0 {
		t.Errorf("Leaks: %v, %v", where, err)
	}
	// Everything redacted: nothing read again.
	var good bytes.Buffer
	if err := doc.Redact(&good, all); err != nil {
		t.Fatal(err)
	}
	c, err = v.VerifyOutput(ctx, good.Bytes(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Err(images.LowConfBlank); err != nil {
		t.Errorf("clean output: %v", err)
	}
	if len(c.Pages[0].Readings) != 2 || c.Pages[0].Blanked != 2 {
		t.Errorf("check: %+v", c.Pages[0])
	}
	for _, n := range c.Notes() {
		t.Log(n)
		for _, id := range ids {
			if strings.Contains(n, id) || strings.Contains(n, p.Family) {
				t.Errorf("a note names a value")
			}
		}
	}
	where, err = v.Leaks(good.Bytes(), func(text string) bool {
		return strings.Contains(text, phone) || strings.Contains(text, p.Family)
	})
	if err != nil || len(where) > 0 {
		t.Errorf("Leaks on a clean output: %v, %v", where, err)
	}
}

// The language packs of scripts/setup are there, and Polish letters are
// read with Polish data.
func TestLanguages(t *testing.T) {
	requireOCR(t, "eng", "pol", "kor", "vie")
	s := ocrtest.NewSheet(5, 1, 300)
	s.Line(20, 40, ocrtest.Style{Size: 14}, "Pacjent: Łukasz Wróblewski, Źródlana 5")
	f := images.New(images.Options{Languages: []string{"eng", "pol"}})
	doc, err := f.Parse(encodePNG(t, s.Img))
	if err != nil {
		t.Fatal(err)
	}
	txt := doc.Parts()[0].Text
	for _, w := range []string{"Łukasz", "Wróblewski"} {
		if !strings.Contains(txt, w) {
			t.Errorf("Polish name not read exactly (%d of %d words)", len(strings.Fields(txt)), 5)
		}
	}
}

// flat is a picture of one colour with faint noise, as a JPEG fill is.
func flat(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := uint8((x*7 + y*3) % 5)
			img.Set(x, y, color.RGBA{30 + d, 90 + d, 160, 255})
		}
	}
	return img
}

// Pages without text are told apart: blank, plain (a flat colour, a thin
// line: nothing that can show a person), picture. KeepPlain keeps the
// plain ones; NoTextDrop writes pictures white at their size and format,
// with a note; without OCR, NoTextDrop writes every page white and the
// other policies refuse the file.
func TestPageKinds(t *testing.T) {
	requireOCR(t)
	line := image.NewGray(image.Rect(0, 0, 300, 3))
	icon := image.NewGray(image.Rect(0, 0, 16, 16)) // a 16×16 picture: not plain
	for i := range icon.Pix {
		icon.Pix[i] = uint8(i * 37)
	}
	s := halfLetter(ocrtest.NewPerson(3), 150)
	files := map[string][]byte{
		"blank":   encodePNG(t, ocrtest.NewSheet(2, 1, 100).Img),
		"flat":    encodeJPEG(t, flat(320, 200), 90),
		"line":    encodePNG(t, line),
		"icon":    encodePNG(t, icon),
		"picture": encodePNG(t, portrait()),
		"text":    encodePNG(t, s.Img),
	}
	want := map[string]images.PageKind{"blank": images.PageBlank, "flat": images.PagePlain, "line": images.PagePlain,
		"icon": images.PagePicture, "picture": images.PagePicture, "text": images.PageText}
	drop := images.New(images.Options{KeepPlain: true, NoText: images.NoTextDrop})
	for name, data := range files {
		doc, err := drop.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if k := doc.(*images.Document).Kinds(); len(k) != 1 || k[0] != want[name] {
			t.Errorf("%s: kind %v, want %v", name, k, want[name])
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, nil); err != nil {
			t.Fatalf("%s under NoTextDrop: %v", name, err)
		}
		in, _, _ := image.Decode(bytes.NewReader(data))
		got, format, err := image.Decode(bytes.NewReader(out.Bytes()))
		if err != nil || got.Bounds() != in.Bounds() {
			t.Fatalf("%s: output %v %v", name, format, err)
		}
		notes := strings.Join(doc.(redactors.Noter).Notes(), "\n")
		if white := isWhite(got); white != (want[name] == images.PagePicture || want[name] == images.PageBlank) {
			t.Errorf("%s: written white %v (kind %v)\n%s", name, white, want[name], notes)
		}
		if want[name] == images.PagePicture && !strings.Contains(notes, "written blank") {
			t.Errorf("%s: notes do not say it was blanked:\n%s", name, notes)
		}
	}
}

// What each policy keeps of each kind of page (the rest is written blank
// under NoTextDrop, or refused).
func TestKept(t *testing.T) {
	kinds := []images.PageKind{images.PageText, images.PageBlank, images.PagePlain, images.PagePicture, images.PageUnread}
	for _, c := range []struct {
		o    images.Options
		kept string
	}{
		{images.Options{}, "text blank"},
		{images.Options{KeepPlain: true}, "text blank plain"},
		{images.Options{NoText: images.NoTextDrop, KeepPlain: true}, "text blank plain"},
		{images.Options{NoText: images.NoTextDrop}, "text blank"},
		{images.Options{NoText: images.NoTextKeep}, "text blank plain picture"},
	} {
		var got []string
		for _, k := range kinds {
			if c.o.Kept(k) {
				got = append(got, k.String())
			}
		}
		if strings.Join(got, " ") != c.kept {
			t.Errorf("%+v keeps %v, want %s", c.o, got, c.kept)
		}
	}
}

func isWhite(img image.Image) bool {
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

// An image that cannot be read is never passed: without the engine (or
// with NoOCR), NoTextDrop writes it white with the reason in the notes,
// and the other policies refuse it (no_text).
func TestUnreadPages(t *testing.T) {
	absent := ocr.NewTesseract(ocr.TesseractOptions{Path: filepath.Join(t.TempDir(), "absent")})
	s := ocrtest.NewSheet(2, 1, 100)
	s.Line(10, 40, ocrtest.Style{}, "Hello")
	data := encodePNG(t, s.Img)
	for name, o := range map[string]images.Options{
		"no engine": {Engine: absent, NoText: images.NoTextDrop},
		"no OCR":    {Engine: absent, NoText: images.NoTextDrop, NoOCR: true},
	} {
		doc, err := images.New(o).Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if k := doc.(*images.Document).Kinds(); k[0] != images.PageUnread {
			t.Errorf("%s: kind %v", name, k)
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, _, err := image.Decode(bytes.NewReader(out.Bytes()))
		if err != nil || !isWhite(img) {
			t.Errorf("%s: not written white: %v", name, err)
		}
		notes := strings.Join(doc.(redactors.Noter).Notes(), "\n")
		if !strings.Contains(notes, "not read") || !strings.Contains(notes, "written blank") {
			t.Errorf("%s: notes %s", name, notes)
		}
		if name == "no engine" && !strings.Contains(notes, "tesseract") {
			t.Errorf("the note does not say what is missing: %s", notes)
		}
	}
	for name, o := range map[string]images.Options{
		"no engine, quarantine": {Engine: absent, KeepPlain: true},
		"no OCR, quarantine":    {Engine: absent, NoOCR: true},
		"no OCR, keep":          {Engine: absent, NoOCR: true, NoText: images.NoTextKeep},
	} {
		if _, err := images.New(o).Parse(data); !errors.Is(err, redactors.ErrNoText) {
			t.Errorf("%s: err %v, want no_text", name, err)
		}
	}
}

// KeepEncoding: a page Redact leaves as it is keeps its own image data,
// without its metadata; a sideways photo is encoded again from its
// pixels, and an animated PNG loses its animation.
func TestKeepEncoding(t *testing.T) {
	f := images.New(images.Options{Engine: nopEngine{}, NoText: images.NoTextKeep, KeepEncoding: true})
	noise := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(i * 7919 % 251)
	}
	photo := encodeJPEG(t, noise, 80)
	scan := photo[bytes.LastIndex(photo, []byte{0xFF, 0xDA}):]
	tagged := jpegWithSegments(photo, [][]byte{exifAPP1("Hollis Quillanby", "portrait", 1), segment(0xFE, []byte("Hollis Quillanby"))})
	sideways := jpegWithSegments(photo, [][]byte{exifAPP1("Hollis Quillanby", "portrait", 6)})
	apng := pngWithChunks(encodePNG(t, noise), map[string]string{"acTL": "\x00\x00\x00\x01\x00\x00\x00\x00"})
	for name, data := range map[string][]byte{"tagged JPEG": tagged, "sideways": sideways, "APNG": apng} {
		doc, err := f.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		o := out.Bytes()
		if bytes.Contains(o, []byte("Quillanby")) || bytes.Contains(o, []byte("Exif")) || bytes.Contains(o, []byte("acTL")) {
			t.Errorf("%s: metadata survives", name)
		}
		if same := bytes.HasSuffix(o, scan); same != (name == "tagged JPEG") {
			t.Errorf("%s: JPEG scan kept: %v", name, same)
		}
	}
}
