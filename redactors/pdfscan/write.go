package pdfscan

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/charmap"

	"github.com/veilhq/veil/redactors/ocr"
)

// writePDF writes a PDF of one page per image, each page the image's size
// at dpi, the image filling it: grey-scale when every pixel is grey, else
// RGB, 8 bits, Flate-compressed. With layers (one list of words per page,
// boxes in the page's pixels) each page also gets an invisible text layer
// of its words (text rendering mode 3, Helvetica, each word scaled to its
// box), so that viewers can search and select it. Nothing else goes in:
// no metadata (not even an Info dictionary), no document ID.
func writePDF(w io.Writer, pages []image.Image, layers [][]ocr.Word, dpi int) error {
	bw := bufio.NewWriter(w)
	var offsets []int
	off := 0
	put := func(s string, stream []byte) {
		offsets = append(offsets, off)
		n, _ := fmt.Fprintf(bw, "%d 0 obj\n%s", len(offsets), s)
		off += n
		if stream != nil {
			n, _ = fmt.Fprintf(bw, "\nstream\n")
			off += n
			n, _ = bw.Write(stream)
			off += n
			n, _ = fmt.Fprintf(bw, "\nendstream")
			off += n
		}
		n, _ = fmt.Fprintf(bw, "\nendobj\n")
		off += n
	}
	n, _ := bw.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	off += n
	// Objects: 1 catalog, 2 page tree, then per page k (0-based) the page
	// 3+3k, its content 4+3k and its image 5+3k; with layers, the font
	// last.
	kids := new(bytes.Buffer)
	for k := range pages {
		fmt.Fprintf(kids, "%d 0 R ", 3+3*k)
	}
	fontRes := ""
	if layers != nil {
		fontRes = fmt.Sprintf(" /Font << /F0 %d 0 R >>", 3+3*len(pages))
	}
	put("<< /Type /Catalog /Pages 2 0 R >>", nil)
	put(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", bytes.TrimSpace(kids.Bytes()), len(pages)), nil)
	for k, img := range pages {
		b := img.Bounds()
		wpt, hpt := pt(b.Dx(), dpi), pt(b.Dy(), dpi)
		put(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 %d 0 R >>%s >> /Contents %d 0 R >>",
			wpt, hpt, 5+3*k, fontRes, 4+3*k), nil)
		content := fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im0 Do Q", wpt, hpt)
		if layers != nil {
			content += textLayer(layers[k], b, dpi)
		}
		put(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
		raw, space := samples(img)
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(raw)
		if err := zw.Close(); err != nil {
			return err
		}
		put(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>",
			b.Dx(), b.Dy(), space, z.Len()), z.Bytes())
	}
	if layers != nil {
		put("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", nil)
	}
	xref := off
	fmt.Fprintf(bw, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(bw, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(bw, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return bw.Flush()
}

// pt is n pixels at dpi in points, in the shortest form that is exact to
// a thousandth.
func pt(n, dpi int) string {
	return strconv.FormatFloat(float64(n)*72/float64(dpi), 'f', -1, 64)
}

// samples returns the pixels of img row by row, one byte per pixel
// ("DeviceGray") when every pixel is grey, else three ("DeviceRGB"),
// composited over white.
func samples(img image.Image) ([]byte, string) {
	b := img.Bounds()
	rgb := make([]byte, 0, 3*b.Dx()*b.Dy())
	grey := true
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			// over white: c + (1-a)
			r, g, bl = (r+0xffff-a)>>8, (g+0xffff-a)>>8, (bl+0xffff-a)>>8
			rgb = append(rgb, byte(r), byte(g), byte(bl))
			if r != g || g != bl {
				grey = false
			}
		}
	}
	if !grey {
		return rgb, "DeviceRGB"
	}
	out := rgb[:0]
	for i := 0; i < len(rgb); i += 3 {
		out = append(out, rgb[i])
	}
	return out, "DeviceGray"
}

// corners are the stamp positions (redactors.Stamper), with whether the
// label goes at the right, the centre, and the top.
var corners = map[string][3]bool{
	"bottom-right": {true, false, false}, "bottom-left": {false, false, false}, "bottom-center": {false, true, false},
	"top-right": {true, false, true}, "top-left": {false, false, true}, "top-center": {false, true, true},
}

// Stamps as the PDF format draws them: 9 pt, 18 pt from the edges, on a
// white ground.
const stampSize, stampMargin = 9.0, 18.0

var (
	stampFontOnce sync.Once
	stampFont     *opentype.Font
)

// stamp returns img with label drawn at position (bottom-right for "") at
// dpi: black on a white ground, like the PDF format's production numbers,
// but in the pixels.
func stamp(img image.Image, label, position string, dpi int) image.Image {
	stampFontOnce.Do(func() { stampFont, _ = opentype.Parse(goregular.TTF) })
	c, ok := corners[position]
	if !ok {
		c = corners["bottom-right"]
	}
	px := func(points float64) int { return int(points * float64(dpi) / 72) }
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	if stampFont == nil {
		return out
	}
	face, err := opentype.NewFace(stampFont, &opentype.FaceOptions{Size: float64(px(stampSize)), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return out
	}
	defer face.Close()
	dr := &font.Drawer{Dst: out, Src: image.NewUniform(color.Black), Face: face}
	wd := dr.MeasureString(label).Ceil()
	m := face.Metrics()
	h := (m.Ascent + m.Descent).Ceil()
	r := out.Rect
	x := r.Min.X + px(stampMargin)
	switch {
	case c[0]:
		x = r.Max.X - px(stampMargin) - wd
	case c[1]:
		x = r.Min.X + (r.Dx()-wd)/2
	}
	y := r.Max.Y - px(stampMargin) - h
	if c[2] {
		y = r.Min.Y + px(stampMargin)
	}
	pad := px(2)
	draw.Draw(out, image.Rect(x-pad, y-pad, x+wd+pad, y+h+pad), image.NewUniform(color.White), image.Point{}, draw.Src)
	dr.Dot = fixed.P(x, y+m.Ascent.Ceil())
	dr.DrawString(label)
	return out
}

// textLayer returns the content that shows words invisibly (text
// rendering mode 3) over a page image of bounds b at dpi: each word in
// Helvetica at its box's height, scaled across to its box's width, its
// baseline a fifth of the height above the box's bottom. Characters
// WinAnsiEncoding lacks are written as '?': the layer is for search, and
// holds nothing the page does not show.
func textLayer(words []ocr.Word, b image.Rectangle, dpi int) string {
	if len(words) == 0 {
		return ""
	}
	scale := 72 / float64(dpi)
	var s strings.Builder
	s.WriteString("\nBT 3 Tr")
	for _, w := range words {
		enc := winAnsi(w.Text)
		if len(enc) == 0 {
			continue
		}
		r := w.Box.Sub(b.Min)
		h := float64(r.Dy()) * scale
		if h <= 0 {
			continue
		}
		size := h
		natural := helvWidth(enc) * size
		tz := 100.0
		if natural > 0 {
			tz = float64(r.Dx()) * scale / natural * 100
		}
		x := float64(r.Min.X) * scale
		y := float64(b.Dy()-r.Max.Y)*scale + h/5
		fmt.Fprintf(&s, " /F0 %s Tf %s Tz 1 0 0 1 %s %s Tm <%x> Tj", num(size), num(tz), num(x), num(y), enc)
	}
	s.WriteString(" ET")
	return s.String()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// winAnsi encodes s in WinAnsiEncoding; characters it lacks become '?'.
func winAnsi(s string) []byte {
	var out []byte
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok || c < 32 {
			c = '?'
		}
		out = append(out, c)
	}
	return out
}

// helvWidth is the width of Helvetica text in ems, from the widths of its
// character classes (close enough for a layer scaled to its boxes).
func helvWidth(b []byte) float64 {
	w := 0.0
	for _, c := range b {
		switch {
		case c == 'i' || c == 'j' || c == 'l' || c == '.' || c == ',' || c == '\'' || c == ':' || c == ';' || c == '!' || c == '|':
			w += 0.25
		case c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '@':
			w += 0.85
		case c >= 'A' && c <= 'Z':
			w += 0.68
		default:
			w += 0.55
		}
	}
	return w
}
