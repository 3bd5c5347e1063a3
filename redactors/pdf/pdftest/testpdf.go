// Package pdftest writes small, valid PDF files for tests (no real
// document: every text is the test's own).
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"sort"
	"strings"
)

// OnePage writes a minimal PDF whose page shows lines in Helvetica, with
// the document information's Author set to a name (which redaction must
// drop).
func OnePage(lines ...string) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&content, "(%s) '\n", strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l))
	}
	content.WriteString("ET")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Author (Margaret Ellison) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// Pages writes a PDF with one page (US Letter) per content stream given,
// each drawing with /F1, Helvetica in WinAnsi, and forms: name → content
// of a Form XObject (its bounding box the page) that any page may draw
// with Do.
func Pages(forms map[string]string, contents ...string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
	add := func(o string) int { objs = append(objs, o); return len(objs) }
	stream := func(dict, data string) string {
		return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
	}
	var xobjs strings.Builder
	var names []string
	for n := range forms {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		k := add(stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>", forms[n]))
		fmt.Fprintf(&xobjs, "/%s %d 0 R ", n, k)
	}
	var kids []string
	for _, c := range contents {
		cs := add(stream("", c))
		p := add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> /XObject << %s>> >> >>", cs, xobjs.String()))
		kids = append(kids, fmt.Sprintf("%d 0 R", p))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	return writeObjects("1.7", objs)
}

// Page is a page of Mixed: lines of Helvetica text at the top and, under
// them, an image (a scan pasted into a born-digital document).
type Page struct {
	Lines []string
	Image *image.Gray // nil for none
}

// Mixed writes a PDF of US-letter pages with a text layer and a grey
// image each (8 bits, Flate), the image 432 points wide at x 90, its top
// at y 620, its height by its aspect ratio.
func Mixed(pages ...Page) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	var kids []string
	for _, p := range pages {
		var content strings.Builder
		content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
		for _, l := range p.Lines {
			fmt.Fprintf(&content, "(%s) '\n", strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l))
		}
		content.WriteString("ET\n")
		xobj := ""
		if p.Image != nil {
			w, h := p.Image.Bounds().Dx(), p.Image.Bounds().Dy()
			ph := 432 * float64(h) / float64(w)
			fmt.Fprintf(&content, "q 432 0 0 %.3f 90 %.3f cm /Im1 Do Q\n", ph, 620-ph)
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			for y := 0; y < h; y++ {
				zw.Write(p.Image.Pix[y*p.Image.Stride : y*p.Image.Stride+w])
			}
			zw.Close()
			im := add(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", w, h, z.Len(), z.Bytes()))
			xobj = fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", im)
		}
		c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()))
		pg := add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >>%s >> >>", c, xobj))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	return writeObjects("1.4", objs)
}

// Objects writes objs (object bodies, streams whole) as objects 1… of a
// PDF of the version given, object 1 the catalogue, with a
// cross-reference table.
func Objects(version string, objs ...string) []byte { return writeObjects(version, objs) }

// writeObjects writes objs as objects 1… of a PDF of the version given,
// object 1 the catalogue, with a cross-reference table.
func writeObjects(version string, objs []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-" + version + "\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// Field is a filled text field of Form: its value, shown by its
// appearance stream (Helvetica 11) in a widget at y on the page.
type Field struct {
	Name, Value string
	Y           int
}

// Form writes a one-page PDF with lines of Helvetica text and an
// interactive form (AcroForm) of filled text fields, each with a widget on
// the page whose appearance shows its value, as form software writes them.
func Form(lines []string, fields ...Field) []byte {
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&content, "(%s) '\n", esc(l))
	}
	content.WriteString("ET")
	objs := []string{"", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()))
	page := add("")
	var widgets []string
	for _, f := range fields {
		ap := fmt.Sprintf("/Tx BMC q BT /Helv 11 Tf 0 g 2 6 Td (%s) Tj ET Q EMC", esc(f.Value))
		a := add(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 300 20] /Resources << /Font << /Helv 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream", len(ap), ap))
		w := add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (%s) /V (%s) /DA (/Helv 11 Tf 0 g) /F 4 /Rect [200 %d 500 %d] /P %d 0 R /AP << /N %d 0 R >> >>", esc(f.Name), esc(f.Value), f.Y, f.Y+20, page, a))
		widgets = append(widgets, fmt.Sprintf("%d 0 R", w))
	}
	objs[page-1] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> /Annots [%s] >>", c, strings.Join(widgets, " "))
	objs[0] = fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] /DR << /Font << /Helv 3 0 R >> >> >> >>", strings.Join(widgets, " "))
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page)
	return writeObjects("1.7", objs)
}

// Strips writes a one-page PDF with a line of Helvetica text at the top
// and, under it, the grey image img cut into horizontal strips of rows
// rows each, every strip its own image XObject (8 bits, Flate), drawn
// edge to edge at dpi from x 72, the top at y 650: a page that shows one
// picture made of strips (a mosaic, as some producers write large images).
func Strips(img *image.Gray, dpi float64, rows int, line string) []byte {
	var cut []image.Rectangle
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	for y0 := 0; y0 < h; y0 += rows {
		cut = append(cut, image.Rect(0, y0, w, min(h, y0+rows)))
	}
	return Pieces(img, dpi, cut, line)
}

// Columns cuts an image of w×h pixels into columns of n pixels, left to
// right (for Pieces).
func Columns(w, h, n int) []image.Rectangle {
	var cut []image.Rectangle
	for x0 := 0; x0 < w; x0 += n {
		cut = append(cut, image.Rect(x0, 0, min(w, x0+n), h))
	}
	return cut
}

// RaggedStrips cuts an image of w×h pixels into strips of n rows whose
// widths alternate w and w-1, top to bottom (for Pieces): strips that are
// not of one pixel width.
func RaggedStrips(w, h, n int) []image.Rectangle {
	var cut []image.Rectangle
	for y0, i := 0, 0; y0 < h; y0, i = y0+n, i+1 {
		cut = append(cut, image.Rect(0, y0, w-i%2, min(h, y0+n)))
	}
	return cut
}

// Pieces writes a one-page PDF as Strips does, img cut into the pieces
// cut (rectangles of its pixels), each its own image XObject drawn where
// its pixels lie in the picture: a page that shows one picture made of
// pieces.
func Pieces(img *image.Gray, dpi float64, cut []image.Rectangle, line string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	var content, xobjs strings.Builder
	fmt.Fprintf(&content, "BT /F1 12 Tf 72 720 Td (%s) Tj ET\n", line)
	for i, r := range cut {
		k := i + 1
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			zw.Write(img.Pix[y*img.Stride+r.Min.X : y*img.Stride+r.Max.X])
		}
		zw.Close()
		im := add(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", r.Dx(), r.Dy(), z.Len(), z.Bytes()))
		fmt.Fprintf(&xobjs, "/S%d %d 0 R ", k, im)
		pw, ph := float64(r.Dx())*72/dpi, float64(r.Dy())*72/dpi
		top := 650 - float64(r.Min.Y)*72/dpi
		fmt.Fprintf(&content, "q %.4f 0 0 %.4f %.4f %.4f cm /S%d Do Q\n", pw, ph, 72+float64(r.Min.X)*72/dpi, top-ph, k)
	}
	c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()))
	pg := add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> /XObject << %s>> >> >>", c, xobjs.String()))
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", pg)
	return writeObjects("1.4", objs)
}
