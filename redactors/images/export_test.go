package images

import (
	"image"

	"github.com/veilhq/veil/redactors"
)

// PageImages returns the decoded pages of a parsed document.
func PageImages(doc redactors.Document) []image.Image {
	dec, _, err := decodeFile(doc.(*Document).data)
	if err != nil {
		panic(err)
	}
	var out []image.Image
	for _, p := range dec {
		out = append(out, p.img)
	}
	return out
}

// WithoutLabels makes doc's Redact draw bare boxes.
func WithoutLabels(doc redactors.Document) {
	d := doc.(*Document)
	o := d.f.o
	o.NoLabels = true
	d.f = &Format{o: o}
}
