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
