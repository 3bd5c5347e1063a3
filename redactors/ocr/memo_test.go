package ocr_test

import (
	"context"
	"image"
	"reflect"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// countingEngine counts the readings that reach the real engine.
type countingEngine struct {
	n int
}

func (c *countingEngine) Recognize(ctx context.Context, img image.Image, opts ocr.Options) (*ocr.Page, error) {
	c.n++
	return ocr.Default().Recognize(ctx, img, opts)
}

// countingMeter counts the pages reported to a file's budget.
type countingMeter struct{ n int }

func (m *countingMeter) OCRPages(n int) { m.n += n }

func memoSheet(text string) *image.Gray {
	s := ocrtest.NewSheet(3, 1, 200)
	s.Line(14, 20, ocrtest.Style{Size: 14}, text)
	return s.Img
}

// TestMemo: the same pixels and options read again come from memory,
// equal to the first reading and to what Tesseract reads; other pixels,
// other options or a copy changed by its caller are not mixed up; the
// budget's meter is told of every page either way; the bound holds.
func TestMemo(t *testing.T) {
	ocrtest.Require(t)
	ctx := context.Background()
	inner := &countingEngine{}
	m := ocr.NewMemo(inner, 1000)
	img := memoSheet("Orsolya Quillanby signed")
	opts := ocr.Options{DPI: 200}

	meter := &countingMeter{}
	mctx := ocr.WithMeter(ctx, meter)
	first, err := m.Recognize(mctx, img, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.Text().String, "Quillanby") {
		t.Fatalf("first reading: %q", first.Text().String)
	}
	first.Scale(2, 2) // the caller's copy; the memory must not change
	again, err := m.Recognize(mctx, img, opts)
	if err != nil {
		t.Fatal(err)
	}
	if inner.n != 1 || m.Hits() != 1 {
		t.Fatalf("engine ran %d times, %d hits; want 1 and 1", inner.n, m.Hits())
	}
	if meter.n != 2 {
		t.Fatalf("meter told of %d pages; want 2 (a remembered page counts too)", meter.n)
	}
	direct, err := ocr.Default().Recognize(ctx, img, opts)
	if err != nil {
		t.Fatal(err)
	}
	again.Elapsed, direct.Elapsed = 0, 0
	if !reflect.DeepEqual(again.Words(), direct.Words()) {
		t.Fatalf("remembered reading %v differs from a new reading %v", again.Words(), direct.Words())
	}

	// Other options, other pixels: read.
	if _, err := m.Recognize(ctx, img, ocr.Options{DPI: 200, Mode: ocr.ModeSparse}); err != nil {
		t.Fatal(err)
	}
	other := memoSheet("Tamsin Everard signed")
	p, err := m.Recognize(ctx, other, opts)
	if err != nil {
		t.Fatal(err)
	}
	if inner.n != 3 || strings.Contains(p.Text().String, "Quillanby") {
		t.Fatalf("engine ran %d times (want 3), other sheet read %q", inner.n, p.Text().String)
	}

	// Another scope (another file's bytes) reads the same pixels anew;
	// its own scope answers from memory.
	a, b := m.For("file A"), m.For("file B")
	for _, e := range []ocr.Engine{a, b, a} {
		if _, err := e.Recognize(ctx, img, opts); err != nil {
			t.Fatal(err)
		}
	}
	if inner.n != 5 || m.Hits() != 2 {
		t.Fatalf("scopes: engine ran %d times, %d hits; want 5 and 2", inner.n, m.Hits())
	}

	// A bound of fewer words than a page holds remembers nothing.
	small := ocr.NewMemo(inner, 1)
	for range 2 {
		if _, err := small.Recognize(ctx, img, opts); err != nil {
			t.Fatal(err)
		}
	}
	if small.Hits() != 0 || inner.n != 7 {
		t.Fatalf("bound 1: %d hits, engine ran %d times; want 0 and 7", small.Hits(), inner.n)
	}
}
