package pdf

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
)

// An image reachable only through the /Resources of a form XObject, and
// drawn by nothing (the form that lists it does not use it, or is itself
// never drawn), is not written as it was: its pixels, data and metadata
// are gone from the output, and the page's text stays.
func TestDoorUndrawnImageInNestedForm(t *testing.T) {
	jpg, secrets := imagetest.JPEG(imageSecret)
	for _, c := range []struct {
		name  string
		outer string // the content of the form the page draws
	}{
		{"form drawn, image listed two forms down and never drawn", "q /Inner Do Q"},
		{"inner form never drawn", "0 0 m"},
	} {
		content := "BT /F1 12 Tf 72 740 Td (Referral attached) Tj ET q /Fx Do Q"
		in := pagesDoc([]string{content}, func(b *builder) string {
			im := b.add(stream("/Type /XObject /Subtype /Image /Width 16 /Height 12 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", jpg, false))
			inner := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /Hidden %d 0 R >> >>", im), []byte("0 0 m"), false))
			fx := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /Inner %d 0 R >> >>", inner), []byte(c.outer), false))
			return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Fx %d 0 R >> >>", helvFont, fx)
		}, nil)
		if !bytes.Contains(in, jpg[len(jpg)/2:len(jpg)/2+32]) {
			t.Fatalf("%s: the input does not hold the image", c.name)
		}
		out := redactWith(t, in, func(redactors.Document) []redactors.Edit { return nil })
		judgeClean(t, out, append(secrets, "Sandoval"), []string{"Referral attached"})
		if bytes.Contains(out, jpg[len(jpg)/2:len(jpg)/2+32]) {
			t.Errorf("%s: the output holds the image's data", c.name)
		}
		if jpgs := extractJPEGs(t, out); len(jpgs) != 0 {
			t.Errorf("%s: %d JPEG images in the output", c.name, len(jpgs))
		}
	}
}
