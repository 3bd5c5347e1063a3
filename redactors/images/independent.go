package images

import (
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagetext"
)

var _ redactors.IndependentReader = (*Document)(nil)

// IndependentText implements redactors.IndependentReader for the text an
// image file holds besides its pixels: the fields of its metadata (EXIF,
// XMP, IPTC, comments, PNG text chunks, TIFF tags, bytes after the image)
// read by redactors/imagetext, which shares no code with the stripper
// (imagemeta) nor with this package's encoders. An output holds none
// (Redact writes pixels and resolution only), so any field is there
// because the writer failed; the verify step runs the detection chain
// over it. Part names say the kind of field ("metadata: EXIF (independent
// reading)"), never its content. The pixels' independent readings are
// OCR's (Leaks, PixelLeaks).
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	var out []redactors.Part
	for _, f := range imagetext.Read(data) {
		out = append(out, redactors.Part{Name: "metadata: " + f.Kind + " (independent reading)", Text: f.Text})
	}
	return out, nil
}
