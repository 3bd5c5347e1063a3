package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// A finding whose glyphs are not drawn is not passed over when something
// is drawn over their boxes after them (a box filled in white or black, an
// image, visible text, an annotation), nor when an annotation's appearance
// draws text or an image anywhere on the page: what the rendering shows
// there is not ruled out. Such pages are refused with the reason, never
// the value. (At c8cd546 all of these were written.)
func TestRasterUndrawnDrawnOver(t *testing.T) {
	requireOCR(t)
	const invisible = " BT 3 Tr /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET "
	for _, c := range []struct{ name, more, page, why string }{
		{"white box drawn over", invisible + "1 g 60 480 400 50 re f", "", "something is drawn over them"},
		{"black box drawn over", invisible + "0 g 60 480 400 50 re f", "", "something is drawn over them"},
		{"stroked rule over", invisible + "0 g 50 w 60 505 m 460 505 l S", "", "something is drawn over them"},
		{"flat image drawn over", invisible + "q 400 0 0 50 60 480 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q", "", "something is drawn over them"},
		{"annotation over the text", invisible, "/Annots [<< /Type /Annot /Subtype /Square /Rect [60 480 460 530] /AP << /N 90 0 R >> >>]", "something is drawn over them"},
		{"link whose appearance fills a box over the text", invisible, "/Annots [<< /Type /Annot /Subtype /Link /Rect [60 480 460 530] /AP << /N 90 0 R >> >>]", "something is drawn over them"},
		{"link whose appearance states include a filled box", invisible, "/Annots [<< /Type /Annot /Subtype /Link /Rect [60 480 460 530] /AP << /N 92 0 R /D << /On 90 0 R >> >> >>]", "something is drawn over them"},
		{"stamp with text elsewhere", invisible, "/Annots [<< /Type /Annot /Subtype /Stamp /Rect [300 100 500 140] /AP << /N 91 0 R >> >>]", "the page draws images, shadings or patterns"},
		// Appearances that cannot be read count as showing (fail closed):
		// pictures counted them as nothing until the fold into
		// appearanceOps, and these pages were written.
		{"stamp elsewhere whose appearance state is a dictionary, not a stream", invisible, "/Annots [<< /Type /Annot /Subtype /Stamp /Rect [300 100 500 140] /AP << /N << /Off 92 0 R /On << /Type /XObject /Subtype /Form >> >> >> >>]", "the page draws images, shadings or patterns"},
		{"stamp elsewhere whose appearance state is not a stream", invisible, "/Annots [<< /Type /Annot /Subtype /Stamp /Rect [300 100 500 140] /AP << /N << /Off 92 0 R /On 7 >> >> >>]", "the page draws images, shadings or patterns"},
		{"stamp elsewhere whose appearance is a number", invisible, "/Annots [<< /Type /Annot /Subtype /Stamp /Rect [300 100 500 140] /AP << /N 7 >> >>]", "the page draws images, shadings or patterns"},
		{"free text without appearance elsewhere", invisible, "/Annots [<< /Type /Annot /Subtype /FreeText /Rect [300 100 500 140] /Contents (Zebulon Marchetti) /DA (/Helv 12 Tf 0 g) >>]", "the page draws images, shadings or patterns"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := pdftest.Type3PageWith(glyphName, witnessLine+c.more, c.page, "")
			if err != nil {
				t.Fatal(err)
			}
			in = withAppearances(t, in)
			d, edits := marchettiEdit(t, in)
			err = d.Redact(&bytes.Buffer{}, edits)
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), c.why) {
				t.Fatalf("error %v, want uninspectable: %s", err, c.why)
			}
			if strings.Contains(strings.ToLower(err.Error()), "marchetti") {
				t.Errorf("the error holds the value: %v", err)
			}
		})
	}
}

// withAppearances appends to a Type3PageWith file three appearance
// streams, objects 90 (a filled grey box), 91 (a stamp that shows text
// in Helvetica) and 92 (a clip that paints nothing), and has qpdf rewrite the file with a cross-reference
// table that holds them.
func withAppearances(t *testing.T, in []byte) []byte {
	t.Helper()
	if !bytes.Contains(in, []byte("90 0 R")) && !bytes.Contains(in, []byte("91 0 R")) && !bytes.Contains(in, []byte("92 0 R")) {
		return in
	}
	box := "0.5 g 0 0 400 50 re f"
	stamp := "BT /F 18 Tf 10 10 Td (Approved) Tj ET"
	nothing := "q 0 0 400 50 re W n 0 g Q"
	objs := fmt.Sprintf("90 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 400 50] /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(box), box) +
		fmt.Sprintf("91 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 200 40] /Resources << /Font << /F << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(stamp), stamp) +
		fmt.Sprintf("92 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 400 50] /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(nothing), nothing)
	i := bytes.LastIndex(in, []byte("\nxref")) + 1
	if i <= 0 {
		t.Fatal("no xref")
	}
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(src, append(append(append([]byte(nil), in[:i]...), objs...), in[i:]...), 0o600); err != nil {
		t.Fatal(err)
	}
	// qpdf repairs the table (exit 3: done with warnings).
	if err := exec.Command(judgeTool(t, "qpdf"), src, dst).Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			t.Fatalf("qpdf: %v", err)
		}
	}
	out, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if raw := rawObjects(t, out); bytes.Contains(in, []byte("91 0 R")) && !bytes.Contains(raw, []byte("Approved")) || !bytes.Contains(raw, []byte("/BBox")) {
		t.Fatal("the appearance streams are not in the rewritten file")
	}
	return out
}

// An annotation over undrawn text whose appearance paints nothing (a
// link's appearance that only clips, an empty stream) draws nothing over
// the glyphs: the pass-over stands, as with no annotation. Refused at
// 3442e9e ("something is drawn over them"); the cases where the
// appearance paints are in TestRasterUndrawnDrawnOver.
func TestRasterUndrawnEmptyAppearance(t *testing.T) {
	requireOCR(t)
	const invisible = " BT 3 Tr /F2 20 Tf 72 500 Td (Zebulon Marchetti) Tj ET "
	for _, c := range []struct{ name, page string }{
		{"link with a clip-only appearance", "/Annots [<< /Type /Annot /Subtype /Link /Rect [60 480 460 530] /AP << /N 92 0 R >> >>]"},
		{"widget-like square with states that paint nothing", "/Annots [<< /Type /Annot /Subtype /Square /Rect [60 480 460 530] /AP << /N << /Off 92 0 R /On 92 0 R >> >> >>]"},
		{"hidden square with a filled box", "/Annots [<< /Type /Annot /Subtype /Square /F 2 /Rect [60 480 460 530] /AP << /N 90 0 R >> >>]"},
		{"NoView square with a filled box", "/Annots [<< /Type /Annot /Subtype /Square /F 36 /Rect [60 480 460 530] /AP << /N 90 0 R >> >>]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := pdftest.Type3PageWith(glyphName, witnessLine+invisible, c.page, "")
			if err != nil {
				t.Fatal(err)
			}
			in = withAppearances(t, in)
			// The premise, checked on pdftoppm itself: it draws nothing
			// of the annotation (the grey box of 90 would show).
			img, err := defaultPoppler.RenderImage(context.Background(), in, 1, 72)
			if err != nil {
				t.Fatal(err)
			}
			if c := img.RGBAAt(260, 792-490); c.R != 255 || c.G != 255 || c.B != 255 {
				t.Fatalf("pdftoppm draws the annotation: %v under it", c)
			}
			checkUndrawnRedacted(t, in)
		})
	}
}
