package pdf

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
)

// Images read by OCR (ImagesOCR): every image XObject the pages draw — a
// scanned exhibit inside a born-digital filing, a letterhead, a pasted
// screenshot, a scanned page under a scanner's invisible OCR layer — is
// decoded to grey (its soft mask or stencil mask composited over white),
// and read by the image format (redactors/images: OCR, layout, page
// kinds). An image on which OCR reads text gives one part per drawing
// ("page 2, image 1"), detected like any text. Redact turns the edits of
// such a part into pixel regions (images.Document.Regions: whole words,
// with the margin for OCR box error and the doubtful neighbours), maps
// them onto the page through the drawing's matrix, and treats them as
// redaction boxes: the pixels under them are blanked in every image there
// (image.go), whatever glyphs lie under them are removed (an invisible OCR
// layer's text, wherever its words sit), and the labelled box is drawn.
// Verification reads every image of the output again (PixelLeaks).
//
// An image too small to hold a line of text (minOCRSide, minOCRPixels) is
// not OCRed but judged by its pixels (images.Classify): blank, one flat
// colour or a thin line is kept; anything else (an icon, a logo, a face)
// is unread. What cannot be read — a picture on which OCR reads no text,
// an image that does not decode (JBIG2 without jbig2dec, JPEG 2000
// without opj_decompress, a four-component JPEG without an Adobe marker,
// a colour JPEG with an inverting Decode array), every image when OCR is
// not installed, an inline image whose data does not parse — goes to
// Options.Unread: written blank (ImagesDrop) or the file is refused
// (ImagesQuarantine).

// Images under these sizes are not OCRed. Tesseract needs an x-height of
// about 10 pixels to read a word (below it accuracy falls away), so a line
// of text takes at least 16 pixels with ascenders and descenders; an
// image smaller than that on either side, or of fewer pixels than a short
// word at that size (a 48×48 icon), holds no text OCR reads. Documents
// are full of such images (bullets, icons, rules, spacers, corners of
// tables): not running a process for each keeps OCR for what it can read.
const (
	minOCRSide   = 16
	minOCRPixels = 48 * 48
)

// imgRead is what OCR made of one image object.
type imgRead struct {
	doc  *images.Document // nil when not OCRed or not read
	kind images.PageKind
	why  error // why it is unread (not kept), if it failed
	// picture: a picture without text, kept (PicturesKeep); else
	// notPicture says why a PagePicture is unread (pictures.go).
	picture    bool
	notPicture string
	// tiny: an image too small for OCR at its size whose text was read
	// magnified (tinyRead): its magnification is its own, not a floor for
	// the document's other images, and verification reads it although
	// it is that small.
	tiny bool
	// mosaic is 1 + the index of the mosaic whose strip this image is
	// (mosaic.go), 0 for none.
	mosaic int
}

// tinyRead returns the document of an image too small for OCR at its size
// (grey pixels g) whose reading magnified mag× is read (boxes in g's
// pixels): the image format's document of g, not read by it, made to
// read so (images.Document.ReadAs).
func (d *Document) tinyRead(ctx context.Context, g *image.Gray, read *ocr.Page, mag float64) (*images.Document, error) {
	data, err := pngWithDPI(g, 0, 0)
	if err != nil {
		return nil, err
	}
	o := d.opts.OCR
	o.NoOCR, o.KeepPlain, o.KeepEncoding, o.NoText = true, true, false, images.NoTextDrop
	doc, err := redactors.Parse(ctx, images.New(o), data)
	if err != nil {
		return nil, err
	}
	id := doc.(*images.Document)
	id.ReadAs(0, read, mag, true)
	if id.Kinds()[0] != images.PageText {
		return nil, errImage("the magnified reading holds no readable word")
	}
	return id, nil
}

// inlineRef locates an inline image read by OCR: the key of its drawing
// on page models[page].
type inlineRef struct {
	page int
	key  opKey
}

// imgPart is a drawing of an image OCR read text on: parts[first] is its
// text.
type imgPart struct {
	page, use int // models[page].imgUses[use]
	nr        int
	n         int // 1-based among the image parts of the page
	first     int // part index
}

// ocrFormat returns the image format that reads the images.
func (d *Document) ocrFormat() *images.Format {
	o := d.opts.OCR
	o.NoOCR = false
	o.KeepPlain = true
	o.KeepEncoding = false
	o.NoText = images.NoTextDrop // unread images are decided here, by Unread
	return images.New(o)
}

// ocrImages reads every image XObject of the document by OCR, adds the
// parts of those it read text on, and decides the others by Unread.
// Images are decoded one at a time (the reader is not shared) and read
// by OCR as they come, at most as many at once as there are CPUs (the
// engine has its own limit; this one bounds the decoded images held).
func (d *Document) ocrImages(ctx context.Context) error {
	type job struct {
		nr   int
		sd   *types.StreamDict
		dpiX float64
		dpiY float64
	}
	var jobs []job
	seen := map[int]bool{}
	d.inlines = map[int]inlineRef{}
	// The strips of a mosaic are read together (mosaic.go).
	mosaics := d.mosaics()
	if err := d.edgeToEdge(mosaics); err != nil {
		return err
	}
	for _, m := range mosaics {
		for _, k := range m.uses {
			seen[d.models[m.page].imgUses[k].nr] = true
		}
	}
	for i, pm := range d.models {
		for k := range pm.imgUses {
			u := &pm.imgUses[k]
			if u.sd == nil && u.inline != nil {
				// An inline image: a number of its own (inline.go).
				u.nr = -1 - len(d.inlines)
				d.inlines[u.nr] = inlineRef{page: i, key: u.key}
			}
			sd := u.stream()
			if sd == nil || seen[u.nr] {
				continue
			}
			seen[u.nr] = true
			w, h := d.r.num(sd.Dict["Width"]), d.r.num(sd.Dict["Height"])
			pw, ph := math.Hypot(u.ctm[0], u.ctm[1]), math.Hypot(u.ctm[2], u.ctm[3])
			var dx, dy float64
			if pw > 0 && ph > 0 {
				dx, dy = w/(pw/72), h/(ph/72)
			}
			jobs = append(jobs, job{nr: u.nr, sd: sd, dpiX: dx, dpiY: dy})
		}
	}
	d.ocrRead = map[int]*imgRead{}
	f := d.ocrFormat()
	ctx = ocr.WithPageCap(ctx, imageOCRPages(len(d.models)))
	if len(jobs) == 0 && len(mosaics) == 0 {
		d.scannedNotes(f)
		return nil
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			wg.Wait()
			return err
		}
		ir := &imgRead{kind: images.PageUnread}
		mu.Lock()
		d.ocrRead[j.nr] = ir
		mu.Unlock()
		// A slot is taken before the image is decoded, so that no more
		// decoded images are held than readings run (a 600 dpi scan is
		// 18 MB of grey, and its reading holds two more copies).
		sem <- struct{}{}
		g, err := d.grayImage(j.sd, true)
		if err != nil {
			<-sem
			ir.why = err
			continue
		}
		b := g.Bounds()
		dpi := int(math.Round(math.Max(j.dpiX, j.dpiY)))
		if b.Dx() < minOCRSide || b.Dy() < minOCRSide || b.Dx()*b.Dy() < minOCRPixels {
			ir.kind = images.Classify(g)
			if ir.kind != images.PagePicture || d.opts.Pictures != PicturesKeep {
				<-sem
				continue
			}
			wg.Add(1)
			go func(ir *imgRead, g *image.Gray) {
				defer wg.Done()
				defer func() { <-sem }()
				var read *ocr.Page
				var mag float64
				ir.notPicture, read, mag = d.pictureCheck(ctx, nil, g, dpi)
				if read != nil {
					// Text OCR reads only magnified (pictures.go).
					doc, err := d.tinyRead(ctx, g, read, mag)
					if err != nil {
						ir.notPicture = fmt.Sprintf("OCR reads text on it only magnified %.2g×; %v", mag, err)
						return
					}
					ir.doc, ir.kind, ir.tiny = doc, doc.Kinds()[0], true
					return
				}
				ir.picture = ir.notPicture == ""
			}(ir, g)
			continue
		}
		data, err := pngWithDPI(g, j.dpiX, j.dpiY)
		g = nil // the reading decodes data; a picture's check decodes it again
		if err != nil {
			<-sem
			ir.why = err
			continue
		}
		wg.Add(1)
		go func(ir *imgRead, data []byte) {
			defer wg.Done()
			defer func() { <-sem }()
			doc, err := redactors.Parse(ctx, f, data)
			if err != nil {
				ir.why = err
				return
			}
			ir.doc = doc.(*images.Document)
			ir.kind = ir.doc.Kinds()[0]
			check := ir.kind == images.PagePicture && d.opts.Pictures == PicturesKeep ||
				ir.kind == images.PageBlank // nearly white: kept, unless the second reading finds text on it (a faint stamp, a pale pencil note)
			if !check {
				return
			}
			g, err := grayOfPNG(data)
			if err != nil {
				ir.why = err
				return
			}
			var read *ocr.Page
			var mag float64
			ir.notPicture, read, mag = d.pictureCheck(ctx, ir.doc, g, dpi)
			if read != nil {
				// Text OCR reads only magnified: read so (pictures.go).
				ir.doc.ReadAs(0, read, mag, true)
				ir.kind = ir.doc.Kinds()[0]
				return
			}
			ir.picture = ir.kind == images.PagePicture && ir.notPicture == ""
		}(ir, data)
	}
	for mi, m := range mosaics {
		if err := ctx.Err(); err != nil {
			wg.Wait()
			return err
		}
		pm := d.models[m.page]
		irs := make([]*imgRead, len(m.uses))
		for i, k := range m.uses {
			irs[i] = &imgRead{kind: images.PageUnread, mosaic: mi + 1}
			mu.Lock()
			d.ocrRead[pm.imgUses[k].nr] = irs[i]
			mu.Unlock()
		}
		sem <- struct{}{}
		gs := make([]*image.Gray, len(m.uses))
		var err error
		for i, k := range m.uses {
			if gs[i], err = d.grayImage(pm.imgUses[k].sd, true); err != nil {
				break
			}
		}
		if err != nil {
			<-sem
			for _, ir := range irs {
				ir.why = err
			}
			continue
		}
		u := pm.imgUses[m.uses[0]]
		dpiX := d.r.num(u.sd.Dict["Width"]) / (u.ctm[0] / 72)
		dpiY := d.r.num(u.sd.Dict["Height"]) / (u.ctm[3] / 72)
		wg.Add(1)
		go func(m mosaic, gs []*image.Gray, irs []*imgRead) {
			defer wg.Done()
			defer func() { <-sem }()
			d.readMosaic(ctx, f, m, gs, irs, dpiX, dpiY)
		}(m, gs, irs)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return d.decideOCR(f)
}

// decideOCR applies Unread to the images OCR could not read and adds the
// parts of the drawings of those it read text on.
func (d *Document) decideOCR(f *images.Format) error {
	var nrs []int
	for nr := range d.ocrRead {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	dropped := map[string]int{}
	var pictures []int
	for _, nr := range nrs {
		ir := d.ocrRead[nr]
		if f.Kept(ir.kind) && ir.notPicture == "" {
			continue
		}
		if ir.picture {
			pictures = append(pictures, nr)
			continue
		}
		why := "a picture on which OCR reads no text (it can identify someone)"
		switch {
		case ir.notPicture != "":
			why = ir.notPicture
		case ir.why != nil:
			why = "not read (" + strings.TrimPrefix(ir.why.Error(), "images: ") + ")"
		case ir.kind == images.PageUnread && ir.doc != nil:
			why = strings.TrimPrefix(ir.doc.Notes()[0], "page 1: ")
		}
		if d.opts.Unread == ImagesQuarantine {
			reason := redactors.ErrNoText
			if ir.why != nil && !errors.Is(ir.why, redactors.ErrNoText) {
				reason = redactors.ErrUninspectable
			}
			return fmt.Errorf("%s: %s, and the profile quarantines images it cannot read: %w", d.imageWhere(nr), why, reason)
		}
		if ref, ok := d.inlines[nr]; ok {
			pm := d.models[ref.page]
			if pm.dropInline == nil {
				pm.dropInline = map[opKey]bool{}
			}
			pm.dropInline[ref.key] = true
		} else {
			d.dropImg[nr] = true
		}
		dropped[why]++
	}
	var whys []string
	for w := range dropped {
		whys = append(whys, w)
	}
	sort.Strings(whys)
	for _, w := range whys {
		d.notes = append(d.notes, fmt.Sprintf("%s written blank: %s", imageCount(dropped[w]), w))
	}
	for _, nr := range pictures {
		d.notes = append(d.notes, d.imageWhere(nr)+": image kept: no text found (OCR, at its resolution and magnified, reads no word nor line of text; metadata removed): for a person to look at")
	}
	for i, pm := range d.models {
		n := 0
		for k, u := range pm.imgUses {
			ir := d.ocrRead[u.nr]
			if u.stream() == nil || ir == nil || ir.doc == nil || ir.kind != images.PageText || d.dropImg[u.nr] || pm.dropInline[u.key] {
				continue
			}
			if u.sd == nil {
				if pm.inlineOCR == nil {
					pm.inlineOCR = map[opKey]bool{}
				}
				pm.inlineOCR[u.key] = true
			}
			n++
			d.imgParts = append(d.imgParts, imgPart{page: i, use: k, nr: u.nr, n: n, first: len(d.parts)})
			d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("page %d, image %d", i+1, n), Text: ir.doc.Parts()[0].Text, Page: i + 1})
		}
	}
	d.scannedNotes(f)
	return nil
}

// imageWhere names the first drawing of image object nr: its page, and
// its place among the images that page draws ("page 3, image 2").
func (d *Document) imageWhere(nr int) string {
	for i, pm := range d.models {
		if k := pm.imageOrdinal(nr); k > 0 {
			return fmt.Sprintf("page %d, image %d", i+1, k)
		}
	}
	return "an image"
}

// imageOrdinal is the place of image object nr among the distinct images
// the page draws (1 for the first), 0 when the page does not draw it.
func (pm *pageModel) imageOrdinal(nr int) int {
	seen := map[int]bool{}
	for _, u := range pm.imgUses {
		if u.stream() == nil || seen[u.nr] {
			continue
		}
		seen[u.nr] = true
		if u.nr == nr {
			return len(seen)
		}
	}
	return 0
}

// imagePartOf returns the image part whose text is part pi, or nil.
func (d *Document) imagePartOf(pi int) *imgPart {
	for k := range d.imgParts {
		if d.imgParts[k].first == pi {
			return &d.imgParts[k]
		}
	}
	return nil
}

// imageBoxes returns the redaction boxes of the edits of image parts on
// page i, in the drawing's space: the images format's regions (pixels)
// mapped through the drawing's matrix. Under LowConfQuarantine doubtful
// words next to a redacted value make the page uninspectable.
func (d *Document) imageBoxes(i int, edits []redactors.Edit) ([]box, error) {
	var out []box
	// A value across the strips of a mosaic is a region on each: its
	// label goes on the tallest piece only (mosaicLabels).
	var pieces []mosaicPiece
	for _, ip := range d.imgParts {
		if ip.page != i {
			continue
		}
		own := append([]redactors.Edit(nil), redactors.EditsOf(edits, ip.first)...)
		ir := d.ocrRead[ip.nr]
		if len(own) == 0 {
			ir.doc.Regions(0, nil) // nothing blanked by this Redact (OCRNoise)
			continue
		}
		for k := range own {
			own[k].Part = 0
		}
		u := d.models[i].imgUses[ip.use]
		regs, doubtful := ir.doc.Regions(0, own)
		if doubtful > 0 && d.opts.OCR.LowConfPolicy == images.LowConfQuarantine {
			return nil, fmt.Errorf("page %d, image %d: %d low-confidence words next to redacted values: %w", i+1, ip.n, doubtful, redactors.ErrUninspectable)
		}
		sd := u.stream()
		w, h := int(d.r.num(sd.Dict["Width"])), int(d.r.num(sd.Dict["Height"]))
		for _, rg := range regs {
			if ir.mosaic > 0 {
				pieces = append(pieces, mosaicPiece{box: len(out), mosaic: ir.mosaic, x0: rg.Rect.Min.X, x1: rg.Rect.Max.X, height: rg.Rect.Dy()})
			}
			out = append(out, pixelBox(u.ctm, w, h, rg.Rect, rg.Label, u.space))
		}
	}
	mosaicLabels(out, pieces)
	return out, nil
}

// pixelBox returns the box covering pixel rectangle r of a w×h image
// drawn with ctm: a rectangle along the image's x axis (with its up
// direction), covering the rectangle's corners.
func pixelBox(ctm matrix, w, h int, r image.Rectangle, label string, space int) box {
	var b box
	b.o = [2]float64{ctm[4], ctm[5]}
	l := math.Hypot(ctm[0], ctm[1])
	if l < 1e-12 {
		b.u = [2]float64{1, 0}
	} else {
		b.u = [2]float64{ctm[0] / l, ctm[1] / l}
	}
	b.n = [2]float64{-b.u[1], b.u[0]}
	if ctm[2]*b.n[0]+ctm[3]*b.n[1] < 0 {
		b.n = [2]float64{-b.n[0], -b.n[1]}
	}
	first := true
	for _, p := range [4][2]int{{r.Min.X, r.Min.Y}, {r.Max.X, r.Min.Y}, {r.Min.X, r.Max.Y}, {r.Max.X, r.Max.Y}} {
		x, y := ctm.apply(float64(p[0])/float64(w), 1-float64(p[1])/float64(h))
		dx, dy := x-b.o[0], y-b.o[1]
		s, t := dx*b.u[0]+dy*b.u[1], dx*b.n[0]+dy*b.n[1]
		if first {
			b.s0, b.s1, b.t0, b.t1 = s, s, t, t
			first = false
			continue
		}
		b.s0, b.s1 = math.Min(b.s0, s), math.Max(b.s1, s)
		b.t0, b.t1 = math.Min(b.t0, t), math.Max(b.t1, t)
	}
	b.label, b.space, b.img = label, space, true
	b.updateBounds()
	return b
}

// removeUnder marks every glyph of page pm whose centre lies in one of the
// image boxes (same space) as removed: the text of an OCR layer over the
// redacted scanned words, wherever its own words sit.
func removeUnder(pm *pageModel, boxes []box, removed map[opKey][]bool) int {
	n := 0
	for k := range pm.text.glyphs {
		g := &pm.text.glyphs[k]
		cs := g.corners()
		cx := (cs[0][0] + cs[1][0] + cs[2][0] + cs[3][0]) / 4
		cy := (cs[0][1] + cs[1][1] + cs[2][1] + cs[3][1]) / 4
		for i := range boxes {
			b := &boxes[i]
			if !b.img || b.space != pm.insts[g.inst].space {
				continue
			}
			dx, dy := cx-b.o[0], cy-b.o[1]
			s, t := dx*b.u[0]+dy*b.u[1], dx*b.n[0]+dy*b.n[1]
			if s < b.s0 || s > b.s1 || t < b.t0 || t > b.t1 {
				continue
			}
			key := opKey{g.inst, g.op}
			rm := removed[key]
			for len(rm) <= int(g.idx) {
				rm = append(rm, false)
			}
			if !rm[g.idx] {
				rm[g.idx] = true
				n++
			}
			removed[key] = rm
			break
		}
	}
	return n
}

// imageNotes are the notes of the images read by OCR: per drawing what OCR
// read and (after Redact) how many regions were blanked.
func (d *Document) imageNotes() []string {
	var out []string
	for _, ip := range d.imgParts {
		ir := d.ocrRead[ip.nr]
		for _, n := range ir.doc.Notes() {
			if n == images.MetadataNote || !strings.HasPrefix(n, "page 1: ") {
				continue
			}
			out = append(out, fmt.Sprintf("page %d, image %d: %s", ip.page+1, ip.n, strings.TrimPrefix(n, "page 1: ")))
		}
	}
	return out
}

// pngWithDPI encodes g as a PNG with its resolution on the page (a pHYs
// chunk), which OCR is told; 0 leaves it out.
func pngWithDPI(g *image.Gray, dx, dy float64) ([]byte, error) {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, g); err != nil {
		return nil, errImage("the image cannot be encoded for OCR")
	}
	out := b.Bytes()
	if dx <= 0 || dy <= 0 || dx > 10000 || dy > 10000 || len(out) < 33 {
		return out, nil
	}
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, uint32(math.Round(dx/0.0254)))
	chunk = binary.BigEndian.AppendUint32(chunk, uint32(math.Round(dy/0.0254)))
	chunk = append(chunk, 1)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	// after the signature (8 bytes) and IHDR (25)
	res := make([]byte, 0, len(out)+len(chunk))
	res = append(res, out[:33]...)
	res = append(res, chunk...)
	return append(res, out[33:]...), nil
}

// grayOfPNG decodes a grey PNG made by pngWithDPI.
func grayOfPNG(data []byte) (*image.Gray, error) {
	img, err := png.Decode(bytes.NewReader(data))
	g, ok := img.(*image.Gray)
	if err != nil || !ok {
		return nil, errImage("the image encoded for OCR does not decode again")
	}
	return g, nil
}

// grayImage decodes an image (or a mask) into grey, as a viewer would
// show it over white: with masks, the image's soft mask (its alpha) or
// stencil mask composited (or a JPEG 2000 image's own alpha channel,
// when SMaskInData says so). What Veil cannot decode exactly is an error
// (errImage): a four-component JPEG without an Adobe marker, a colour
// JPEG with an inverting Decode array, JPEG 2000 without opj_decompress,
// bit depths and colour spaces image.go does not blank.
func (d *Document) grayImage(sd *types.StreamDict, masks bool) (*image.Gray, error) {
	r := d.r
	w, h := int(r.num(sd.Dict["Width"])), int(r.num(sd.Dict["Height"]))
	if w <= 0 || h <= 0 || w*h > maxImagePixels || w > maxImagePixels || h > maxImagePixels {
		return nil, errImage("image size out of range")
	}
	var held int64
	defer func() { r.release(held) }()
	hold := func(n int64) error {
		if err := r.reserve(n); err != nil {
			return errImage(fmt.Sprintf("image data and the decoded content exceed %d MiB", maxDecodedTotal>>20))
		}
		held += n
		return nil
	}
	if err := hold(int64(w) * int64(h)); err != nil {
		return nil, err
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	fs := sd.FilterPipeline
	last := ""
	if len(fs) > 0 {
		last = fs[len(fs)-1].Name
	}
	mask := r.bool(sd.Dict["ImageMask"])
	var jalpha []byte // a JPEG 2000 image's alpha channel, as its soft mask
	if last == filter.DCT {
		data, err := d.unfilter(sd, fs[:len(fs)-1])
		if err != nil {
			return nil, err
		}
		if err := hold(int64(len(data)) + int64(w)*int64(h)*3); err != nil {
			return nil, err
		}
		img, cmyk, err := decodeJPEG(data, w, h, r.dctYCCK(fs[len(fs)-1]))
		if err != nil {
			return nil, err
		}
		if cmyk != nil {
			// four bytes a pixel, and the samples' copy
			if err := hold(int64(w) * int64(h) * 5); err != nil {
				return nil, err
			}
		}
		dec := r.numbers(sd.Dict["Decode"])
		inverts := false
		for c := 0; 2*c+1 < len(dec); c++ {
			inverts = inverts || dec[2*c] > dec[2*c+1]
		}
		switch {
		case cmyk != nil && r.components(sd.Dict["ColorSpace"]) != 4:
			return nil, errImage("a four-component JPEG image whose colour space has not four components")
		case cmyk != nil:
			// Four components: the PDF samples (cmykSamples) through the
			// colour space and Decode array, as raw samples are.
			if err := d.fillGray(g, sd.Dict, cmykSamples(cmyk), mask); err != nil {
				return nil, err
			}
		case inverts && img.ColorModel() == color.GrayModel:
			gi := img.(*image.Gray)
			px := make([]byte, 0, w*h)
			for y := 0; y < h; y++ {
				o := gi.PixOffset(gi.Rect.Min.X, gi.Rect.Min.Y+y)
				px = append(px, gi.Pix[o:o+w]...)
			}
			if err := d.fillGray(g, sd.Dict, px, mask); err != nil {
				return nil, err
			}
		case inverts:
			// Viewers differ on whether the Decode array applies to a
			// colour JPEG's YCbCr or to its RGB.
			return nil, errImage("a colour JPEG image with an inverting Decode array")
		default:
			bd := img.Bounds()
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					g.Pix[y*g.Stride+x] = ocr.GrayOverWhite(img.At(bd.Min.X+x, bd.Min.Y+y))
				}
			}
		}
	} else {
		var data []byte
		var err error
		dict := sd.Dict
		switch last {
		case filter.JBIG2:
			data, err = d.jbig2Samples(sd, w, h)
		case filter.JPX:
			var j *jpxImage
			if j, err = d.jpxSamples(sd, w, h); err == nil {
				data, dict = j.samples, d.jpxDict(sd, j)
				if masks && d.jpxAlpha(sd, j) {
					jalpha = j.alpha
				}
			}
		default:
			data, err = d.unfilter(sd, fs)
		}
		if err != nil {
			return nil, err
		}
		if err := hold(int64(len(data))); err != nil {
			return nil, err
		}
		if err := d.fillGray(g, dict, data, mask); err != nil {
			return nil, err
		}
	}
	if jalpha != nil {
		bps := len(jalpha) / (w * h)
		for i := 0; i < w*h; i++ {
			a := int(jalpha[i*bps]) // the high byte of 16 bits
			k := i/w*g.Stride + i%w
			g.Pix[k] = uint8((int(g.Pix[k])*a + 255*(255-a) + 127) / 255)
		}
	}
	if !masks || mask {
		return g, nil
	}
	for _, k := range []string{"SMask", "Mask"} {
		msd, _ := r.stream(sd.Dict[k])
		if msd == nil {
			continue // absent, or a colour-key array: every pixel drawn
		}
		ms := msd
		if k == "Mask" && !r.bool(msd.Dict["ImageMask"]) {
			c := *msd
			c.Dict = msd.Dict.Clone().(types.Dict)
			c.Dict["ImageMask"] = types.Boolean(true)
			ms = &c
		}
		m, err := d.grayImage(ms, false)
		if err != nil {
			return nil, fmt.Errorf("its %s: %w", k, err)
		}
		mb := m.Bounds()
		for y := 0; y < h; y++ {
			my := y * mb.Dy() / h
			for x := 0; x < w; x++ {
				a := int(m.Pix[my*m.Stride+x*mb.Dx()/w]) // soft mask: alpha; stencil: 0 where painted
				if k == "Mask" {
					a = 255 - a
				}
				i := y*g.Stride + x
				g.Pix[i] = uint8((int(g.Pix[i])*a + 255*(255-a) + 127) / 255)
			}
		}
	}
	return g, nil
}

// fillGray sets g from an image's samples data (rows of its components,
// each row starting on a byte), read through dict's bit depth, colour
// space and Decode array (a stencil mask's when mask is set).
func (d *Document) fillGray(g *image.Gray, dict types.Dict, data []byte, mask bool) error {
	bpc, comps, lum, err := d.r.samples(dict, mask)
	if err != nil {
		return err
	}
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	rowBytes := (w*comps*bpc + 7) / 8
	px := make([]uint32, comps)
	// One component of at most 8 bits (scans, masks, palettes): each
	// sample value's grey is worked out once.
	var lut []uint8
	if comps == 1 && bpc <= 8 {
		lut = make([]uint8, 1<<bpc)
		for v := range lut {
			px[0] = uint32(v)
			lut[v] = uint8(math.Round(255 * lum(px)))
		}
	}
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		if (y+1)*rowBytes > len(data) {
			// short data reads as zeros, as viewers do (image.go)
			data = append(data, make([]byte, (y+1)*rowBytes-len(data))...)
		}
		src := data[y*rowBytes : (y+1)*rowBytes]
		if lut != nil {
			for x := 0; x < w; x++ {
				row[x] = lut[getSample(src, x, bpc)]
			}
			continue
		}
		for x := 0; x < w; x++ {
			for c := 0; c < comps; c++ {
				px[c] = getSample(src, x*comps+c, bpc)
			}
			row[x] = uint8(math.Round(255 * lum(px)))
		}
	}
	return nil
}

var _ redactors.PixelChecker = (*Document)(nil)

// PixelLeaks implements redactors.PixelChecker under ImagesOCR: every
// image of data (an output of Redact) — found in the file's objects, not
// through the pages, so that no drawing is missed — that is large enough
// to hold text is decoded again and read by the image format's
// verification (two new OCR readings, a removed value searched for with
// misreads allowed). The boxes are drawn on the page, not in the pixels:
// nothing of an image is left out of the search.
func (d *Document) PixelLeaks(ctx context.Context, data []byte, removed []string) (where []string, err error) {
	if d.opts.Images != ImagesOCR || len(removed) == 0 || len(d.ocrRead) == 0 && len(d.rasters) == 0 {
		return nil, nil
	}
	stage := "verify"
	defer catch(&err, &stage)
	if where, err = d.rasterLeaks(ctx, data, removed); err != nil { // raster.go
		return nil, err
	}
	pc, _, err := readContext(data)
	if err != nil {
		return nil, fmt.Errorf("pdf: verify images: %w", err)
	}
	out := &Document{ctx: pc, r: newReader(pc.XRefTable, len(data)), size: len(data), stop: ctx, opts: d.opts}
	var nrs []int
	for nr := range pc.XRefTable.Table {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	f := d.ocrFormat()
	ctx = ocr.WithPageCap(ctx, imageOCRPages(len(d.models)))
	// An image whose text was read sparse and magnified (pictures.go) is
	// read so again; so is every image that cannot be traced to its
	// input (outImg) when the document has such an image.
	rereadOf := func(nr int) images.Reread {
		old, ok := d.outImg[nr]
		if !ok {
			old = 0
		}
		return d.reread(old)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	sem := make(chan struct{}, runtime.NumCPU())
	for _, nr := range nrs {
		sd, _ := out.r.stream(types.IndirectRef{ObjectNumber: types.Integer(nr)})
		if sd == nil || out.r.name(sd.Dict["Subtype"]) != "Image" {
			continue
		}
		g, err := out.grayImage(sd, true)
		if err != nil {
			return nil, fmt.Errorf("pdf: verify: image object %d does not decode again (%v): %w", nr, err, redactors.ErrVerify)
		}
		b := g.Bounds()
		if (b.Dx() < minOCRSide || b.Dy() < minOCRSide || b.Dx()*b.Dy() < minOCRPixels) && !d.tinyText(d.outImg[nr]) {
			continue
		}
		png, err := pngWithDPI(g, 0, 0)
		if err != nil {
			return nil, err
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(nr int, png []byte) {
			defer wg.Done()
			defer func() { <-sem }()
			w, err := f.PixelLeaksWith(ctx, png, removed, rereadOf(nr))
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("image object %d: %w", nr, err)
			}
			if len(w) > 0 {
				where = append(where, fmt.Sprintf("image object %d", nr))
			}
		}(nr, png)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("pdf: verify images: %w", firstErr)
	}
	sort.Strings(where)
	return where, nil
}

// reread is how verification reads the output image written from input
// image object nr (0: an image not traced to one): magnified at least as
// much as any image of the document was read (text found only magnified
// is read again so, images.Format.PixelLeaksWith), and sparse too at
// that magnification when nr was read so, or, for 0, when any image was.
func (d *Document) reread(nr int) images.Reread {
	rr := images.Reread{Mag: 1}
	for k, ir := range d.ocrRead {
		if ir.doc == nil {
			continue
		}
		if !ir.tiny || k == nr {
			rr.Mag = max(rr.Mag, ir.doc.Magnified(0))
		}
		if nr == 0 && !ir.tiny || k == nr {
			rr.Sparse = rr.Sparse || ir.doc.ReadSparse(0)
		}
	}
	return rr
}

// tinyText reports whether input image object nr is an image too small
// for OCR at its size whose text was read magnified (imgRead.tiny).
func (d *Document) tinyText(nr int) bool {
	ir := d.ocrRead[nr]
	return ir != nil && ir.tiny && ir.doc != nil
}

// Before it writes, Redact reads every image it keeps as verification
// will read the output's (PixelLeaks: the same grey pixels, the same
// readings, cached by content) and blanks every word run those readings
// read as a value the edits remove (ocr.NewWordFuzzy, as verification
// searches), wherever it is: a value the parse's reading missed or
// misread (another segmentation, another scale) is not left for
// verification to find. An image Redact leaves as it was is then not
// read a second time by verification; a blanked one is, and whatever it
// still reads fails the file, as before.

// editValues returns the texts the edits remove, each once.
func (d *Document) editValues(edits []redactors.Edit) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range edits {
		if e.Part < 0 || e.Part >= len(d.parts) {
			continue
		}
		t := d.parts[e.Part].Text
		if e.Start < 0 || e.End > len(t) || e.Start >= e.End {
			continue
		}
		v := strings.TrimSpace(t[e.Start:e.End])
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// rereadImages sets d.rereadHits: for every image object read by OCR
// that the output keeps, the pixel rectangles (word boxes with a margin)
// of the words verification's readings of it read as one of values.
func (d *Document) rereadImages(values []string) error {
	d.rereadHits = nil
	if d.opts.Images != ImagesOCR || len(values) == 0 || len(d.ocrRead) == 0 {
		return nil
	}
	sds := map[int]*types.StreamDict{}
	for _, pm := range d.models {
		for _, u := range pm.imgUses {
			if u.sd != nil && u.nr > 0 && d.ocrRead[u.nr] != nil && !d.dropImg[u.nr] {
				sds[u.nr] = u.sd
			}
		}
	}
	var nrs []int
	for nr := range sds {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	ctx := d.stop
	if ctx == nil {
		ctx = context.Background()
	}
	ctx = ocr.WithPageCap(ctx, imageOCRPages(len(d.models)))
	f := d.ocrFormat()
	fz := ocr.NewWordFuzzy(values, 0)
	hits := map[int][]image.Rectangle{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	sem := make(chan struct{}, runtime.NumCPU())
	for _, nr := range nrs {
		if err := ctx.Err(); err != nil {
			wg.Wait()
			return err
		}
		sem <- struct{}{}
		g, err := d.grayImage(sds[nr], true)
		if err != nil {
			<-sem
			wg.Wait()
			return fmt.Errorf("image object %d does not decode again (%v): %w", nr, err, redactors.ErrUninspectable)
		}
		b := g.Bounds()
		if (b.Dx() < minOCRSide || b.Dy() < minOCRSide || b.Dx()*b.Dy() < minOCRPixels) && !d.tinyText(nr) {
			<-sem
			continue
		}
		data, err := pngWithDPI(g, 0, 0)
		if err != nil {
			<-sem
			wg.Wait()
			return err
		}
		wg.Add(1)
		go func(nr int, data []byte, bounds image.Rectangle) {
			defer wg.Done()
			defer func() { <-sem }()
			rs, err := f.Reread(ctx, data, d.reread(nr))
			var rects []image.Rectangle
			for _, words := range rs {
				for _, r := range matchRects(fz, words, nil) {
					if r = r.Intersect(bounds); !r.Empty() {
						rects = append(rects, r)
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("image object %d, read as verification will: %w", nr, err)
			}
			if len(rects) > 0 {
				hits[nr] = rects
			}
		}(nr, data, b)
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	d.rereadHits = hits
	return nil
}

// matchRects returns the rectangles (rereadRect) that blank the runs of
// words fz finds (as verification matches), each match passed to hit
// (nil: none).
func matchRects(fz *ocr.Fuzzy, words []ocr.Word, hit func(ocr.Match)) []image.Rectangle {
	texts := make([]string, len(words))
	for i, w := range words {
		texts[i] = w.Text
	}
	var rects []image.Rectangle
	for _, m := range fz.Find(texts) {
		if hit != nil {
			hit(m)
		}
		for i := m.First; i <= m.Last; i++ {
			rects = append(rects, rereadRect(words, i, m.First, m.Last))
		}
	}
	return rects
}

// rereadMargin is the margin around a word blanked because verification's
// reading reads it as a removed value, as a share of the word box's
// height on every side (images.DefaultMargin is 15 % of the line's).
const rereadMargin = 0.2

// eachWordHolding calls f(v, k), values in order and words in order for
// each, for every value v of vals that OCR word k holds, case folded: a
// value inside a longer word OCR reads (an identifier in code,
// "NewReader(" for "Reader") is covered by the whole word. Each word is
// lower-cased once.
func eachWordHolding(words []ocr.Word, vals []string, f func(v, k int)) {
	low := make([]string, len(words))
	for k, w := range words {
		low[k] = strings.ToLower(w.Text)
	}
	for v, val := range vals {
		lv := strings.ToLower(val)
		for k := range low {
			if strings.Contains(low[k], lv) {
				f(v, k)
			}
		}
	}
}

// rereadRect is the rectangle that blanks word i of words, of a match
// of words first..last: its box grown by rereadMargin on every side, but
// toward a word outside the match on the same line (the word before or
// after it in the reading, overlapping it vertically) by half the gap at
// most, as the image format's regions do: OCR reads a word that touches a
// black box as part of it.
func rereadRect(words []ocr.Word, i, first, last int) image.Rectangle {
	r := words[i].Box
	mg := max(1, int(math.Ceil(rereadMargin*float64(r.Dy()))))
	left, right := mg, mg
	sameLine := func(o image.Rectangle) bool { return o.Min.Y < r.Max.Y && r.Min.Y < o.Max.Y }
	if i == first && i > 0 {
		if o := words[i-1].Box; sameLine(o) && o.Max.X <= r.Min.X {
			left = min(mg, (r.Min.X-o.Max.X)/2)
		}
	}
	if i == last && i+1 < len(words) {
		if o := words[i+1].Box; sameLine(o) && o.Min.X >= r.Max.X {
			right = min(mg, (o.Min.X-r.Max.X)/2)
		}
	}
	return image.Rect(r.Min.X-left, r.Min.Y-mg, r.Max.X+right, r.Max.Y+mg)
}

// rereadBoxes returns the boxes, in the drawings' spaces, of the words
// rereadImages found on the images page i draws.
func (d *Document) rereadBoxes(i int) []box {
	var out []box
	for _, u := range d.models[i].imgUses {
		rects := d.rereadHits[u.nr]
		if len(rects) == 0 || u.sd == nil || u.nr <= 0 {
			continue
		}
		w, h := int(d.r.num(u.sd.Dict["Width"])), int(d.r.num(u.sd.Dict["Height"]))
		for _, r := range rects {
			out = append(out, pixelBox(u.ctm, w, h, r, "", u.space))
		}
	}
	return out
}

// OCRPart reports whether part i of out, a parse of the output the last
// Redact wrote, is the OCR text of an image drawn there (pipeline verify
// reads such parts as new OCR readings).
func (d *Document) OCRPart(out redactors.Document, i int) bool {
	od, ok := out.(*Document)
	return ok && od.imagePartOf(i) != nil
}

// pairedImage returns, for part i of out (a parse of the output the last
// Redact of d wrote), the OCR readings of the image drawn there in d and
// in out: the same drawing (page and place among the page's image parts,
// part i in both, as verify's artefact judgement reads the input's part
// i) of an image of the same size, drawn once in d (Regions holds the
// boxes of its last drawing). ok is false otherwise.
func (d *Document) pairedImage(out redactors.Document, i int) (in, o *images.Document, ok bool) {
	od, isDoc := out.(*Document)
	if !isDoc {
		return nil, nil, false
	}
	ip, op := d.imagePartOf(i), od.imagePartOf(i)
	if ip == nil || op == nil || ip.page != op.page || ip.n != op.n {
		return nil, nil, false
	}
	for _, q := range d.imgParts {
		if q.nr == ip.nr && q.first != ip.first {
			return nil, nil, false
		}
	}
	ir, or := d.ocrRead[ip.nr], od.ocrRead[op.nr]
	if ir == nil || or == nil || ir.doc == nil || or.doc == nil {
		return nil, nil, false
	}
	ri, ro := ir.doc.Reading(0), or.doc.Reading(0)
	if ri == nil || ro == nil || ri.Width != ro.Width || ri.Height != ro.Height {
		return nil, nil, false
	}
	return ir.doc, or.doc, true
}

// OCRNoise returns the byte spans of the text of part i of out that are
// OCR noise around the regions Redact blanked on that image
// (images.Document.OCRNoise); nil for a part that is not an image's, or
// whose drawing does not pair with one of d's.
func (d *Document) OCRNoise(out redactors.Document, i int) [][2]int {
	in, o, ok := d.pairedImage(out, i)
	if !ok {
		return nil
	}
	return in.OCRNoise(o, 0)
}

// OCRSource is images.Document.OCRSource for the image drawn as part i:
// spans of the input's part i.
func (d *Document) OCRSource(out redactors.Document, i, start, end int) ([][2]int, bool) {
	in, o, ok := d.pairedImage(out, i)
	if !ok {
		return nil, false
	}
	return in.OCRSource(o, 0, start, end)
}
