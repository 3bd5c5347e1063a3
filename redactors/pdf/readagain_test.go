package pdf

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// smallLabels is a diagram of 6 × 2.2 inches with four labels in 6 pt
// print (two of them in boxes, joined by a line), scanned at 90 dpi: OCR
// reads nothing at its size, nothing with layout analysis magnified, and
// the labels with the sparse reading magnified 2× (invented names).
const smallLabels = `/NimbusSans-Regular findfont 6 scalefont setfont 1 setlinewidth 30 100 90 30 rectstroke 36 112 moveto (Quillanby) show 250 40 110 30 rectstroke 256 52 moveto (Everard) show 120 115 moveto 250 55 lineto stroke 300 120 moveto (Larchmere) show 40 30 moveto (Tamsin) show`

// Text OCR reads only magnified (pictures.go): the image is read so,
// detected and redacted like any image's text, not refused as a picture
// with text on it; verification reads the output magnified and sparse
// too, so that it finds what was read (the unredacted output) and not
// what was blanked.
func TestTextOnlyMagnified(t *testing.T) {
	requireOCR(t)
	in := filing(t, gsExhibit(t, 90, smallLabels), "flate")
	f := New(Options{Images: ImagesOCR, Unread: ImagesQuarantine, Pictures: PicturesKeep})
	parse := func() (*Document, *redactors.Part) {
		doc, err := f.Parse(in)
		if err != nil {
			t.Fatal(err) // before: no_text, "OCR reads text on it only magnified 2×"
		}
		d := doc.(*Document)
		ir := d.ocrRead[d.models[0].imgUses[0].nr]
		if ir.doc == nil || ir.doc.Magnified(0) <= 1 || !ir.doc.ReadSparse(0) || len(d.imgParts) != 1 {
			t.Fatalf("not read magnified and sparse: %+v", ir)
		}
		return d, &d.parts[d.imgParts[0].first]
	}
	d, part := parse()
	var values []string
	var edits []redactors.Edit
	for _, w := range strings.Fields(part.Text) {
		if len(ocr.Normalize(w)) >= ocr.MinFuzzyLen {
			values = append(values, w)
		}
	}
	if len(values) < 2 {
		t.Fatalf("the magnified reading reads %d words of five letters or more", len(values))
	}
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if where, err := d.PixelLeaks(ctx, out.Bytes(), values); err != nil || len(where) != 1 {
		t.Fatalf("verification of the unredacted output: %v %v", where, err)
	}
	d, part = parse()
	edits = ocrtest.Oracle(d.Parts(), values, "[X]")
	out.Reset()
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	if where, err := d.PixelLeaks(ctx, out.Bytes(), values); err != nil || len(where) > 0 {
		t.Errorf("verification of the redacted output: %v %v", where, err)
	}
	if n := strings.Join(d.Notes(), "\n"); !strings.Contains(n, "magnified 2×") || !strings.Contains(n, "regions blanked") {
		t.Errorf("notes: %s", n)
	}
}

// A value removed elsewhere in the document (here the text layer's
// "card") that an image shows too is blanked there, where verification's
// readings of the image read it, though the edits do not touch the
// image's text: verification searches every image for every removed
// value, and would refuse the file otherwise. The rest of the image
// stays readable.
func TestRedactWhatVerifyReads(t *testing.T) {
	requireOCR(t)
	p := ocrtest.NewPerson(53)
	in := filing(t, exhibit(p, 200).Img, "flate")
	doc, err := ocrFormat(ImagesDrop).Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.(*Document)
	values := []string{"card"}
	var edits []redactors.Edit
	for _, e := range ocrtest.Oracle(d.Parts(), values, "[X]") {
		if d.imagePartOf(e.Part) == nil {
			edits = append(edits, e) // the text layer's only
		}
	}
	if len(edits) != 1 {
		t.Fatalf("%d edits in the text layer", len(edits))
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	if where, err := d.PixelLeaks(context.Background(), out.Bytes(), values); err != nil || len(where) > 0 {
		t.Errorf("verification finds the value on the image: %v %v", where, err)
	}
	words := pageWords(t, out.Bytes())
	kept, body, seen := keptBody(words)
	if kept < len(body)-1 || !seen["intake"] {
		t.Errorf("the rest of the card: %d of %d words readable: %q", kept, len(body), words)
	}
}

// An image too small for OCR at its size (a 138 × 14 strip of 8 pt print
// at 110 dpi) whose text OCR reads magnified is read so too: its text is
// redacted, and verification, which passes over images that small, reads
// it magnified as it was read: it finds the name on the unredacted
// output, and not on the redacted one (invented name).
func TestTinyTextOnlyMagnified(t *testing.T) {
	requireOCR(t)
	in := filing(t, gsImage(t, 110, 90, 9, `/NimbusSans-Regular findfont 8 scalefont setfont 1 2 moveto (Everard Quillanby) show`), "flate")
	f := New(Options{Images: ImagesOCR, Unread: ImagesQuarantine, Pictures: PicturesKeep})
	values := []string{"Quillanby"}
	ctx := context.Background()
	for _, redact := range []bool{false, true} {
		doc, err := f.Parse(in)
		if err != nil {
			t.Fatal(err) // before: no_text, "OCR reads text on it only magnified 4×"
		}
		d := doc.(*Document)
		ir := d.ocrRead[d.models[0].imgUses[0].nr]
		if !ir.tiny || ir.doc == nil || ir.doc.Magnified(0) <= 1 || len(d.imgParts) != 1 {
			t.Fatalf("not read magnified: %+v", ir)
		}
		var edits []redactors.Edit
		if redact {
			edits = ocrtest.Oracle(d.Parts(), values, "[X]")
			if len(edits) != 1 {
				t.Fatalf("%d edits: the magnified reading misses the name", len(edits))
			}
		}
		var out bytes.Buffer
		if err := d.Redact(&out, edits); err != nil {
			t.Fatal(err)
		}
		where, err := d.PixelLeaks(ctx, out.Bytes(), values)
		if err != nil || len(where) != map[bool]int{false: 1, true: 0}[redact] {
			t.Errorf("redacted %v: verification finds %v %v", redact, where, err)
		}
	}
}
