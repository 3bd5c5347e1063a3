package imagemeta_test

import (
	"bytes"
	"testing"

	"github.com/veilhq/veil/redactors/imagemeta"
)

// FuzzStrip: no input panics; a stripped image is one Strip accepts again
// with nothing more to remove, in the same format; Blank and Size never
// panic and Blank keeps the format.
func FuzzStrip(f *testing.F) {
	for _, g := range generators {
		b, _ := g.make("A B")
		f.Add(b)
	}
	f.Add(emf("A B"))
	f.Add(wmf("A B"))
	f.Add(svg("A B"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, err := imagemeta.Blank(data); err == nil && imagemeta.Sniff(out) != imagemeta.Sniff(data) {
			t.Fatalf("blank of a %s is a %s", imagemeta.Sniff(data), imagemeta.Sniff(out))
		}
		imagemeta.Size(data)
		out, _, err := imagemeta.Strip(data)
		if err != nil {
			return
		}
		if imagemeta.Sniff(out) != imagemeta.Sniff(data) {
			t.Fatalf("format changed: %s → %s", imagemeta.Sniff(data), imagemeta.Sniff(out))
		}
		again, rm, err := imagemeta.Strip(out)
		if err != nil {
			t.Fatalf("stripped image refused: %v", err)
		}
		if rm.Total() != 0 {
			t.Fatalf("second strip removed %s", rm)
		}
		if f := imagemeta.Sniff(out); f != imagemeta.TIFF && f != imagemeta.BMP && !bytes.Equal(again, out) {
			t.Fatal("second strip changed the image")
		}
	})
}
