package images

import (
	"image"

	"github.com/veilhq/veil/redactors"
)

// PageImages returns the decoded pages of a parsed document.
func PageImages(doc redactors.Document) []image.Image {
	var out []image.Image
	for _, p := range doc.(*Document).pages {
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
