package images_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
	"github.com/veilhq/veil/redactors/images"
)

// The independent reading of an image is its metadata's text: the input
// (imagetest's JPEG and PNG, whose EXIF, XMP, IPTC, comments and text
// chunks name a person) reads the name in several fields, named by kind
// only; the output Redact writes (pixels only) reads nothing at all.
func TestIndependentText(t *testing.T) {
	const who = "Ysolde Farquharson-Pell"
	jpg, _ := imagetest.JPEG(who)
	png, _ := imagetest.PNG(who)
	f := images.New(images.Options{Engine: nopEngine{}, NoText: images.NoTextKeep})
	for name, data := range map[string][]byte{"jpeg": jpg, "png": png} {
		doc, err := f.Parse(data)
		if err != nil {
			t.Fatalf("%s: parse: %v", name, err)
		}
		ir := doc.(redactors.IndependentReader)
		in, err := ir.IndependentText(data)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range in {
			if strings.Contains(p.Text, who) {
				n++
			}
			if strings.Contains(p.Name, "Farquharson") || !strings.HasPrefix(p.Name, "metadata: ") {
				t.Errorf("%s: part name %q", name, p.Name)
			}
		}
		if n < 3 {
			t.Errorf("%s: the name read in %d fields of the input, want 3 or more", name, n)
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, nil); err != nil {
			t.Fatal(err)
		}
		od, err := f.Parse(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if ps, err := od.(redactors.IndependentReader).IndependentText(out.Bytes()); err != nil || len(ps) > 0 {
			t.Errorf("%s: the output reads %d metadata fields (%v)", name, len(ps), err)
		}
	}
}
