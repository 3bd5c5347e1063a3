package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Images under a redaction box (PDF 32000-1 8.9): the samples of every
// pixel whose square meets a box are set to black (or, in a mask, to
// "not painted"), the image is written again as a new object for this one
// use, and the content draws the copy. What is decoded: raw samples of 1,
// 2, 4, 8 and 16 bits in any colour space, through Flate (with PNG and
// TIFF predictors), LZW, run-length, ASCII hex and 85, and CCITT Group 3
// (1-D) and 4 faxes, re-encoded with Flate; and baseline and progressive
// JPEG (DCTDecode) of one or three components, decoded and re-encoded with
// image/jpeg. Soft masks and stencil masks of the image are blanked the
// same way. JBIG2 is decoded by jbig2dec (jbig2.go), JPEG 2000 by
// opj_decompress (jpx.go, its alpha channel a soft mask when SMaskInData
// says so), four-component JPEG (CMYK and YCCK; CMYK without an Adobe marker) by
// image/jpeg (cmykSamples), and each is re-encoded with Flate as raw
// samples. Anything that does not decode cleanly is an error: the caller
// quarantines the file.

// Limits for image blanking.
const (
	maxImagePixels = 1 << 26 // 64 M pixels
	jpegQuality    = 92
)

// errImage is the reason an image cannot be blanked; its message names the
// filter or the problem, never content.
type errImage string

func (e errImage) Error() string { return string(e) }

// quad is a convex quadrilateral (a redaction box) given by its corners.
type quad [4][2]float64

// invert returns the inverse of m, and false if m is singular.
func (m matrix) invert() (matrix, bool) {
	det := m[0]*m[3] - m[1]*m[2]
	if math.Abs(det) < 1e-12 || math.IsNaN(det) {
		return matrix{}, false
	}
	a, b, c, d := m[3]/det, -m[1]/det, -m[2]/det, m[0]/det
	return matrix{a, b, c, d, -(m[4]*a + m[5]*c), -(m[4]*b + m[5]*d)}, true
}

// pixelQuads maps boxes in page space into the pixel space of a w×h image
// drawn with ctm (the unit square; row 0 at the top). It returns nil when
// the image has no area.
func pixelQuads(ctm matrix, w, h int, boxes []quad) []quad {
	inv, ok := ctm.invert()
	if !ok {
		return nil
	}
	out := make([]quad, 0, len(boxes))
	for _, b := range boxes {
		var q quad
		for i, c := range b {
			u, v := inv.apply(c[0], c[1])
			q[i] = [2]float64{u * float64(w), (1 - v) * float64(h)}
		}
		out = append(out, q)
	}
	return out
}

// cellHit reports whether quad q overlaps the square [x, x+1]×[y, y+1]
// (touching edges do not count).
func cellHit(q *quad, x, y float64) bool {
	lo, hi, ok := rowSpan(q, y)
	return ok && lo < x+1 && hi > x
}

// rowSpan returns the x extent of the part of convex quad q that lies in
// the strip y < Y < y+1, and false if none does. The cells of row y that
// q overlaps are exactly those whose x range overlaps the extent.
func rowSpan(q *quad, y float64) (float64, float64, bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	y0, y1 := y, y+1
	add := func(x float64) {
		if x < lo {
			lo = x
		}
		if x > hi {
			hi = x
		}
	}
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		if a[1] > y0 && a[1] < y1 {
			add(a[0])
		}
		if a[1] == b[1] { // horizontal edge: inside the strip or not at all
			if a[1] > y0 && a[1] < y1 {
				add(b[0])
			}
			continue
		}
		for _, yy := range [2]float64{y0, y1} {
			if (a[1]-yy)*(b[1]-yy) < 0 {
				add(a[0] + (b[0]-a[0])*(yy-a[1])/(b[1]-a[1]))
			}
		}
	}
	// A quad taller than the strip that crosses it with no vertex inside
	// and edges only on its borders is covered by the crossings above; a
	// strip edge running along a vertex adds that vertex.
	for i := range q {
		if q[i][1] == y0 || q[i][1] == y1 {
			prev, next := q[(i+3)%4], q[(i+1)%4]
			if inStrip(prev[1], q[i][1], y0, y1) || inStrip(next[1], q[i][1], y0, y1) {
				add(q[i][0])
			}
		}
	}
	if lo > hi || hi-lo < 0 {
		return 0, 0, false
	}
	return lo, hi, true
}

// inStrip reports whether the edge from a vertex at height v to one at
// height w enters the open strip (y0, y1).
func inStrip(w, v, y0, y1 float64) bool {
	if v == y0 {
		return w > y0
	}
	return w < y1
}

// eachHit calls fn for every pixel of a w×h grid that a quad overlaps, and
// returns how many calls it made (a pixel under two quads counts twice).
func eachHit(qs []quad, w, h int, fn func(x, y int)) int {
	n := 0
	for i := range qs {
		q := &qs[i]
		y0, y1 := math.Inf(1), math.Inf(-1)
		for _, c := range q {
			y0, y1 = math.Min(y0, c[1]), math.Max(y1, c[1])
		}
		ya, yb := max(0, int(math.Floor(y0))), min(h-1, int(math.Ceil(y1)))
		for y := ya; y <= yb; y++ {
			lo, hi, ok := rowSpan(q, float64(y))
			if !ok {
				continue
			}
			xa, xb := max(0, int(math.Floor(lo))), min(w-1, int(math.Ceil(hi))-1)
			for x := xa; x <= xb; x++ {
				if lo < float64(x+1) && hi > float64(x) {
					fn(x, y)
					n++
				}
			}
		}
	}
	return n
}

// blankImage returns a new image object: a copy of sd (drawn with ctm)
// whose pixels under boxes are blanked, with its masks blanked too. It
// returns a zero reference when no pixel lies under a box.
func (d *Document) blankImage(sd *types.StreamDict, ctm matrix, boxes []quad) (types.IndirectRef, error) {
	dict, raw, hit, err := d.blankedImage(sd, ctm, boxes, false)
	if err != nil || !hit {
		return types.IndirectRef{}, err
	}
	for _, k := range []string{"SMask", "Mask"} {
		msd, _ := d.r.stream(dict[k])
		if msd == nil {
			continue // absent, or a colour-key array: nothing drawn from it
		}
		mdict, mraw, mhit, err := d.blankedImage(msd, ctm, boxes, k == "Mask")
		if err != nil {
			return types.IndirectRef{}, fmt.Errorf("its %s: %w", k, err)
		}
		if mhit {
			dict[k] = d.addStream(mdict, mraw)
		}
	}
	return d.addStream(dict, raw), nil
}

// addStream adds a stream object whose Raw bytes are already encoded as
// dict says.
func (d *Document) addStream(dict types.Dict, raw []byte) types.IndirectRef {
	dict["Length"] = types.Integer(len(raw))
	s := types.NewStreamDict(dict, 0, nil, nil, nil)
	s.Raw = raw
	return d.addObject(s)
}

// blankedImage decodes one image (or mask) stream, blanks the pixels under
// boxes and encodes it again: the new dictionary and encoded bytes, and
// whether any pixel was under a box. stencil is set for a /Mask stream
// (a stencil mask whatever its dictionary says).
func (d *Document) blankedImage(sd *types.StreamDict, ctm matrix, boxes []quad, stencil bool) (types.Dict, []byte, bool, error) {
	r := d.r
	w, h := int(r.num(sd.Dict["Width"])), int(r.num(sd.Dict["Height"]))
	if w <= 0 || h <= 0 || w*h > maxImagePixels || w > maxImagePixels || h > maxImagePixels {
		return nil, nil, false, errImage("image size out of range")
	}
	qs := pixelQuads(ctm, w, h, boxes)
	if eachHit(qs, w, h, func(int, int) {}) == 0 {
		return nil, nil, false, nil
	}
	// The decoded data and samples are held until the image is encoded
	// again: they count toward the decode limit meanwhile (imageRoom).
	var held int64
	defer func() { r.release(held) }()
	hold := func(n int64) error {
		if err := r.reserve(n); err != nil {
			return errImage(fmt.Sprintf("image data and the decoded content exceed %d MiB", maxDecodedTotal>>20))
		}
		held += n
		return nil
	}
	fs := sd.FilterPipeline
	var data []byte
	var err error
	last := ""
	if len(fs) > 0 {
		last = fs[len(fs)-1].Name
	}
	nd := imageDict(sd.Dict)
	var alpha *jpxImage // a JPEG 2000 image whose alpha channel is its soft mask
	switch last {
	case filter.DCT:
		data, err = d.unfilter(sd, fs[:len(fs)-1])
		if err != nil {
			return nil, nil, false, err
		}
		if err := hold(int64(len(data)) + int64(w)*int64(h)*3); err != nil {
			return nil, nil, false, err
		}
		img, cmyk, err := decodeJPEG(data, w, h, r.dctYCCK(fs[len(fs)-1]))
		if err != nil {
			return nil, nil, false, err
		}
		if cmyk != nil {
			// four bytes a pixel (the samples' copy is held below)
			if err := hold(int64(w) * int64(h)); err != nil {
				return nil, nil, false, err
			}
		}
		if cmyk == nil {
			out, err := blankJPEG(img, w, h, qs)
			if err != nil {
				return nil, nil, false, err
			}
			nd["Filter"] = types.Name("DCTDecode")
			return nd, out, true, nil
		}
		// A four-component JPEG is written as its PDF samples (Go's
		// encoder writes no CMYK), blanked below like raw samples.
		if r.components(sd.Dict["ColorSpace"]) != 4 {
			return nil, nil, false, errImage("a four-component JPEG image whose colour space has not four components")
		}
		data = cmykSamples(cmyk)
	case filter.JBIG2:
		data, err = d.jbig2Samples(sd, w, h)
	case filter.JPX:
		var j *jpxImage
		if j, err = d.jpxSamples(sd, w, h); err == nil {
			data, nd = j.samples, d.jpxDict(sd, j)
			if d.jpxAlpha(sd, j) {
				alpha = j
			}
		}
	default:
		data, err = d.unfilter(sd, fs)
	}
	if err != nil {
		return nil, nil, false, err
	}
	if err := hold(int64(len(data))); err != nil {
		return nil, nil, false, err
	}
	mask := stencil || r.bool(sd.Dict["ImageMask"])
	bpc, comps := 1, 1
	if !mask {
		bpc = int(r.num(nd["BitsPerComponent"]))
		comps = r.components(nd["ColorSpace"])
	}
	switch bpc {
	case 1, 2, 4, 8, 16:
	default:
		return nil, nil, false, errImage("unsupported bits per component")
	}
	if comps <= 0 {
		return nil, nil, false, errImage("unknown colour space")
	}
	rowBytes := (w*comps*bpc + 7) / 8
	if rowBytes*h > int(maxDecodedStream) {
		return nil, nil, false, errImage("image too large")
	}
	if err := hold(int64(rowBytes * h)); err != nil {
		return nil, nil, false, err
	}
	samples := make([]byte, rowBytes*h) // short data reads as zeros, as viewers do
	copy(samples, data)
	dark := r.darkSamples(nd, comps, bpc, mask)
	eachHit(qs, w, h, func(x, y int) {
		row := samples[y*rowBytes : (y+1)*rowBytes]
		for c := 0; c < comps; c++ {
			setSample(row, x*comps+c, bpc, dark[c])
		}
	})
	if alpha != nil {
		// The alpha channel becomes a soft mask, not painted under the
		// boxes.
		am := alpha.alpha
		ar := w * alpha.bpc / 8
		eachHit(qs, w, h, func(x, y int) { setSample(am[y*ar:(y+1)*ar], x, alpha.bpc, 0) })
		nd["SMask"] = d.addStream(types.Dict{
			"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
			"Width": types.Integer(w), "Height": types.Integer(h), "ColorSpace": types.Name("DeviceGray"),
			"BitsPerComponent": types.Integer(alpha.bpc), "Filter": types.Name("FlateDecode"),
		}, deflate(am))
	}
	nd["Filter"] = types.Name("FlateDecode")
	return nd, deflate(samples), true, nil
}

// imageDict copies an image dictionary without its encoding and the keys
// that could still show the old pixels (alternates, OPI proxies).
func imageDict(d types.Dict) types.Dict {
	nd := d.Clone().(types.Dict)
	for _, k := range []string{"Filter", "DecodeParms", "Length", "DL", "Alternates", "OPI", "Metadata"} {
		delete(nd, k)
	}
	return nd
}

// unfilter applies the stream's filters fs (none of them an image codec
// other than CCITT) to its raw bytes, within the decode limit (imageRoom).
func (d *Document) unfilter(sd *types.StreamDict, fs []types.PDFFilter) ([]byte, error) {
	limit := d.r.imageRoom()
	if limit <= 0 { // pdfcpu reads a limit of 0 as its own default
		return nil, errImage("image data does not decode within the limits")
	}
	var rd io.Reader = bytes.NewReader(sd.Raw)
	for _, f := range fs {
		switch f.Name {
		case filter.JPX, filter.JBIG2, filter.DCT:
			return nil, errImage(filterName(f.Name) + " is not the last filter")
		}
		parms := map[string]int{}
		for k, v := range f.DecodeParms {
			switch x := d.r.resolve(v).(type) {
			case types.Integer:
				parms[k] = int(x)
			case types.Boolean:
				parms[k] = 0
				if x {
					parms[k] = 1
				}
			}
		}
		if f.Name == filter.CCITTFax {
			if _, ok := parms["Rows"]; !ok {
				parms["Rows"] = int(d.r.num(sd.Dict["Height"]))
			}
			if _, ok := parms["Columns"]; !ok {
				parms["Columns"] = int(d.r.num(sd.Dict["Width"]))
			}
		}
		fi, err := filter.NewFilter(f.Name, parms, limit)
		if err != nil {
			return nil, errImage(filterName(f.Name) + " cannot be decoded")
		}
		if rd, err = fi.Decode(rd); err != nil {
			return nil, errImage(filterName(f.Name) + " data does not decode")
		}
	}
	b, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil || int64(len(b)) > limit {
		return nil, errImage("image data does not decode within the limits")
	}
	return b, nil
}

// decodeJPEG decodes the JPEG data of a w×h image: a grey or YCbCr
// image, or a four-component one as cmyk: CMYK or YCCK as its Adobe
// APP14 marker says, plain CMYK when it has none (as libjpeg reads it).
//
// ycck is the DCT filter's ColorTransform of 1 (see dctYCCK), which says
// what four components without the marker are.
func decodeJPEG(data []byte, w, h int, ycck bool) (img image.Image, cmyk *image.CMYK, err error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, nil, errImage("JPEG data does not decode")
	}
	if cfg.Width != w || cfg.Height != h {
		return nil, nil, errImage("JPEG size differs from the image's")
	}
	if int64(w)*int64(h)*3 > maxDecodedStream {
		return nil, nil, errImage("JPEG image too large")
	}
	img, err = jpeg.Decode(bytes.NewReader(data))
	var unsupported jpeg.UnsupportedError
	if err != nil && cfg.ColorModel == color.CMYKModel && errors.As(err, &unsupported) {
		// Four components without an Adobe APP14 marker: libjpeg
		// (jdapimin.c, default_decompress_parms) takes them as plain
		// CMYK, not YCCK, and so do poppler and pdf.js unless the
		// filter's ColorTransform is 1 (PDF 32000-1 Table 13: the
		// marker, where there is one, wins). Go's decoder reads only
		// marked ones, so CMYK data is read again behind a marker that
		// says "no transform". YCCK without a marker is not read: Veil's
		// reading of it was not shown to match poppler's.
		if ycck {
			return nil, nil, errImage("a four-component JPEG image without an Adobe marker whose ColorTransform is 1 (YCCK)")
		}
		img, err = jpeg.Decode(bytes.NewReader(withAdobeMarker(data)))
	}
	if err != nil {
		return nil, nil, errImage("JPEG data does not decode")
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		return nil, nil, errImage("JPEG size differs from the image's")
	}
	if c, ok := img.(*image.CMYK); ok {
		return img, c, nil
	}
	return img, nil, nil
}

// withAdobeMarker returns JPEG data with an Adobe APP14 segment (Adobe
// Technical Note #5116: "Adobe", version, two flag words, transform)
// inserted after its SOI marker, whose transform 0 says the components
// are as stored (CMYK). Data without an SOI is returned as it is (and
// fails to decode).
func withAdobeMarker(data []byte) []byte {
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return data
	}
	app14 := []byte{0xFF, 0xEE, 0x00, 0x0E, 'A', 'd', 'o', 'b', 'e', 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00}
	out := make([]byte, 0, len(data)+len(app14))
	out = append(out, data[:2]...)
	out = append(out, app14...)
	return append(out, data[2:]...)
}

// dctYCCK reports whether a DCT filter's ColorTransform is 1: its four
// components, when the data has no Adobe marker, are YCCK (the default
// for four components is 0, no transform).
func (r *reader) dctYCCK(f types.PDFFilter) bool {
	v, ok := r.numOK(f.DecodeParms["ColorTransform"])
	return ok && v == 1
}

// cmykSamples returns the PDF samples of a four-component JPEG (rows of
// C, M, Y, K bytes). Go's decoder reads such a JPEG as Adobe's
// applications write it, inverted (255 no ink), and turns it upright;
// in a PDF the samples are what the data holds and viewers (pdf.js,
// poppler) apply no such inversion: an inverted Adobe JPEG comes with a
// Decode array [1 0 1 0 1 0 1 0], read with the samples by the caller.
// So each sample is 255 minus Go's value (for YCCK data too, whose Go
// reading is upright in the same way).
func cmykSamples(c *image.CMYK) []byte {
	b := c.Bounds()
	w := b.Dx() * 4
	out := make([]byte, w*b.Dy())
	for y := 0; y < b.Dy(); y++ {
		o := c.PixOffset(b.Min.X, b.Min.Y+y)
		src := c.Pix[o : o+w]
		dst := out[y*w : (y+1)*w]
		for i, v := range src {
			dst[i] = 255 - v
		}
	}
	return out
}

// blankJPEG blanks the pixels of a decoded grey or YCbCr JPEG of w×h
// pixels under qs in black, in place, and encodes it again.
func blankJPEG(img image.Image, w, h int, qs []quad) ([]byte, error) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		eachHit(qs, w, h, func(x, y int) { m.Pix[m.PixOffset(b.Min.X+x, b.Min.Y+y)] = 0 })
	case *image.YCbCr:
		// Black is Y 0 with neutral chroma; a chroma sample shared with
		// neighbouring pixels (subsampling) loses their colour, not their
		// brightness.
		eachHit(qs, w, h, func(x, y int) {
			m.Y[m.YOffset(b.Min.X+x, b.Min.Y+y)] = 0
			c := m.COffset(b.Min.X+x, b.Min.Y+y)
			m.Cb[c], m.Cr[c] = 128, 128
		})
	case draw.Image:
		eachHit(qs, w, h, func(x, y int) { m.Set(b.Min.X+x, b.Min.Y+y, color.Black) })
	default:
		return nil, errImage("JPEG colour model not supported")
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, errors.New("jpeg encode failed")
	}
	return out.Bytes(), nil
}

// setSample writes sample i (bpc bits) of a row.
func setSample(row []byte, i, bpc int, v uint32) {
	switch bpc {
	case 8:
		row[i] = byte(v)
	case 16:
		row[2*i], row[2*i+1] = byte(v>>8), byte(v)
	default:
		bit := i * bpc
		shift := 8 - bpc - bit%8
		m := byte((1<<bpc)-1) << shift
		row[bit/8] = row[bit/8]&^m | byte(v)<<shift&m
	}
}

func (r *reader) bool(o types.Object) bool {
	b, ok := r.resolve(o).(types.Boolean)
	return ok && bool(b)
}

// components returns the number of colour components of an image colour
// space, 0 if unknown.
func (r *reader) components(o types.Object) int {
	switch v := r.resolve(o).(type) {
	case types.Name:
		switch v {
		case "DeviceGray", "CalGray", "G":
			return 1
		case "DeviceRGB", "CalRGB", "RGB":
			return 3
		case "DeviceCMYK", "CMYK":
			return 4
		}
	case types.Array:
		if len(v) == 0 {
			return 0
		}
		switch r.name(v[0]) {
		case "CalGray", "Indexed", "I", "Separation":
			return 1
		case "CalRGB", "Lab":
			return 3
		case "ICCBased":
			if len(v) > 1 {
				if sd, _ := r.stream(v[1]); sd != nil {
					if n := int(r.num(sd.Dict["N"])); n >= 1 && n <= 4 {
						return n
					}
				}
			}
		case "DeviceN":
			if len(v) > 1 {
				if names, ok := r.resolve(v[1]).(types.Array); ok && len(names) > 0 && len(names) <= 32 {
					return len(names)
				}
			}
		case "DeviceGray", "DeviceRGB", "DeviceCMYK":
			return r.components(v[0])
		}
	}
	return 0
}

// darkSamples returns, per component, the sample that paints black (for
// a stencil mask: the sample that paints nothing), given the image's
// colour space and Decode array. Colour spaces other than the device ones
// get the lowest sample: one uniform value, which is what matters.
func (r *reader) darkSamples(d types.Dict, comps, bpc int, mask bool) []uint32 {
	maxV := uint32(1)<<bpc - 1
	out := make([]uint32, comps)
	if mask {
		out[0] = 1 // with Decode [0 1], 1 paints nothing
	} else if comps == 4 && isCMYK(r, d["ColorSpace"]) {
		out[3] = maxV
	}
	dec := r.numbers(d["Decode"])
	for c := range out {
		if 2*c+1 < len(dec) && dec[2*c] > dec[2*c+1] {
			if out[c] == 0 {
				out[c] = maxV
			} else {
				out[c] = 0
			}
		}
	}
	if mask && out[0] != 0 {
		out[0] = maxV
	}
	return out
}

func isCMYK(r *reader, o types.Object) bool {
	switch v := r.resolve(o).(type) {
	case types.Name:
		return v == "DeviceCMYK" || v == "CMYK"
	case types.Array:
		return len(v) > 0 && (r.name(v[0]) == "ICCBased" || r.name(v[0]) == "DeviceCMYK")
	}
	return false
}

// filterName returns a filter's name for a message: a standard name as it
// is, anything else as "an unknown filter" (a name is the file's own text,
// and could be "/Maria_Sandoval_Intake").
func filterName(name string) string {
	switch name {
	case filter.ASCII85, filter.ASCIIHex, filter.RunLength, filter.LZW, filter.Flate,
		filter.CCITTFax, filter.JBIG2, filter.DCT, filter.JPX, "Crypt":
		return name
	}
	return "an unknown filter"
}
