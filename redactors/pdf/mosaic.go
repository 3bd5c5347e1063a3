package pdf

import (
	"context"
	"fmt"
	"image"
	"math"
	"sort"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
)

// Mosaics: a picture cut into horizontal strips, each strip its own image
// XObject, drawn edge to edge so that the page shows one picture (a
// producer's way with large images: CenterOfWhy's diagram is 43 strips of
// 1 to 35 pixel rows). Read strip by strip, a line of text cut across
// strips is read by nobody: OCR of a strip of 3 rows reads no word, so
// each strip was a picture without text, kept, while the page showed a
// legible name (found on issue 19: a deny-listed name in a picture cut
// into strips of 3 or 8 rows was written as it was, verified). So the
// strips of a mosaic are read together: the strips stacked into one
// image, read as any image is (at its resolution, then magnified and
// sparse when it reads as a picture), and each strip made to read as the
// words of that reading that touch its rows (boxes in its own pixels), so
// that a value is detected on every strip it crosses and blanked on each.
// Verification parses the output the same way, so it reads the mosaic
// together too. What the reading of the whole says applies to every
// strip: text-like marks OCR is not sure of make every strip unread.
//
// Strips of a mosaic: image XObjects each drawn once in the document,
// not under a text layer, upright (no rotation or flip), in the same
// space, with the same left edge and width on the page and the same pixel
// width and vertical resolution, each one's top edge at the bottom edge of
// the one above it, within half a pixel row.

// mosaic is a column of strips on a page: indices into the page's
// imgUses, top to bottom.
type mosaic struct {
	page int
	uses []int
}

// mosaics returns the mosaics of the document's pages (two strips or
// more each).
func (d *Document) mosaics() []mosaic {
	drawn := map[int]int{}
	for _, pm := range d.models {
		for _, u := range pm.imgUses {
			if u.sd != nil {
				drawn[u.nr]++
			}
		}
	}
	var out []mosaic
	for p, pm := range d.models {
		type strip struct {
			use                  int
			space                int
			x, w, bottom, top, h float64 // page placement (points), rows
			pw                   float64 // pixel width
			row                  float64 // points per pixel row
		}
		var ss []strip
		for k, u := range pm.imgUses {
			c := u.ctm
			if u.sd == nil || u.nr <= 0 || u.read || drawn[u.nr] != 1 ||
				math.Abs(c[1]) > 1e-9 || math.Abs(c[2]) > 1e-9 || c[0] <= 0 || c[3] <= 0 {
				continue
			}
			pw, h := d.r.num(u.sd.Dict["Width"]), d.r.num(u.sd.Dict["Height"])
			if pw < 1 || h < 1 {
				continue
			}
			ss = append(ss, strip{use: k, space: u.space, x: c[4], w: c[0], bottom: c[5], top: c[5] + c[3], h: h, pw: pw, row: c[3] / h})
		}
		sort.SliceStable(ss, func(i, j int) bool {
			a, b := ss[i], ss[j]
			if a.space != b.space {
				return a.space < b.space
			}
			if math.Abs(a.x-b.x) > 1e-6 {
				return a.x < b.x
			}
			return a.top > b.top
		})
		var cur []int
		flush := func() {
			if len(cur) >= 2 {
				out = append(out, mosaic{page: p, uses: cur})
			}
			cur = nil
		}
		for i, s := range ss {
			if i > 0 {
				prev := ss[i-1]
				tol := 0.5 * min(prev.row, s.row)
				if s.space == prev.space && math.Abs(s.x-prev.x) <= tol && math.Abs(s.w-prev.w) <= tol &&
					s.pw == prev.pw && math.Abs(s.row-prev.row) <= 0.05*prev.row && math.Abs(prev.bottom-s.top) <= tol {
					cur = append(cur, s.use)
					continue
				}
				flush()
			}
			cur = []int{s.use}
		}
		flush()
	}
	return out
}

// stackStrips returns the strips stacked top to bottom in one image (all
// of one width) and each strip's first row in it.
func stackStrips(gs []*image.Gray) (*image.Gray, []int) {
	w, h := gs[0].Bounds().Dx(), 0
	offs := make([]int, len(gs))
	for i, g := range gs {
		offs[i] = h
		h += g.Bounds().Dy()
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i, g := range gs {
		b := g.Bounds()
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[(offs[i]+y)*out.Stride:(offs[i]+y)*out.Stride+w], g.Pix[(b.Min.Y+y-g.Rect.Min.Y)*g.Stride:(b.Min.Y+y-g.Rect.Min.Y)*g.Stride+w])
		}
	}
	return out, offs
}

// stripPage returns the words of reading p that touch rows [y0,y1) of
// its image, their boxes moved to a strip that starts at row y0 and cut
// to its rows, with the lines, paragraphs and blocks that hold them.
func stripPage(p *ocr.Page, y0, y1 int) *ocr.Page {
	out := &ocr.Page{Width: p.Width, Height: y1 - y0, DPI: p.DPI, Languages: p.Languages}
	cut := func(r image.Rectangle) image.Rectangle { // rows clamped, columns kept
		return image.Rectangle{Min: image.Pt(r.Min.X, min(max(r.Min.Y, y0), y1)-y0), Max: image.Pt(r.Max.X, max(min(r.Max.Y, y1), y0)-y0)}
	}
	for _, b := range p.Blocks {
		nb := ocr.Block{Box: cut(b.Box)}
		for _, pa := range b.Paras {
			np := ocr.Para{Box: cut(pa.Box)}
			for _, l := range pa.Lines {
				nl := ocr.Line{Box: cut(l.Box)}
				for _, w := range l.Words {
					if w.Box.Max.Y > y0 && w.Box.Min.Y < y1 {
						w.Box = cut(w.Box)
						nl.Words = append(nl.Words, w)
					}
				}
				if len(nl.Words) > 0 {
					np.Lines = append(np.Lines, nl)
				}
			}
			if len(np.Lines) > 0 {
				nb.Paras = append(nb.Paras, np)
			}
		}
		if len(nb.Paras) > 0 {
			out.Blocks = append(out.Blocks, nb)
		}
	}
	return out
}

// readMosaic reads the strips gs of mosaic m together (see Mosaics) and
// sets each strip's reading in irs. dpiX and dpiY are the strips'
// resolution on the page.
func (d *Document) readMosaic(ctx context.Context, f *images.Format, m mosaic, gs []*image.Gray, irs []*imgRead, dpiX, dpiY float64) {
	fail := func(err error) {
		for _, ir := range irs {
			ir.why = err
		}
	}
	comp, offs := stackStrips(gs)
	for i := range gs {
		// Each strip's pixels are the composite's rows from here on:
		// the decoded strips are not held twice.
		gs[i] = comp.SubImage(image.Rect(0, offs[i], comp.Bounds().Dx(), offs[i]+gs[i].Bounds().Dy())).(*image.Gray)
	}
	data, err := pngWithDPI(comp, dpiX, dpiY)
	if err != nil {
		fail(err)
		return
	}
	doc, err := redactors.Parse(ctx, f, data)
	if err != nil {
		fail(err)
		return
	}
	cd := doc.(*images.Document)
	kind := cd.Kinds()[0]
	where := fmt.Sprintf("read with the %d strips of its picture (images %s)", len(gs), d.mosaicWhere(m))
	var read *ocr.Page
	mag, sparse := cd.Magnified(0), cd.ReadSparse(0)
	switch {
	case kind == images.PageText:
		read = cd.Reading(0)
	case kind == images.PagePicture && d.opts.Pictures == PicturesKeep || kind == images.PageBlank:
		dpi := int(math.Round(math.Max(dpiX, dpiY)))
		why, r, rm := d.pictureCheck(ctx, cd, comp, dpi)
		switch {
		case why != "":
			for _, ir := range irs {
				ir.kind, ir.notPicture = images.PagePicture, why+", "+where
			}
			return
		case r == nil:
			for _, ir := range irs {
				ir.kind = kind
				ir.picture = kind == images.PagePicture
			}
			return
		}
		read, mag, sparse = r, rm, true
	default:
		for _, ir := range irs {
			ir.kind = kind
			if kind == images.PageUnread {
				ir.doc = cd // its note says why
			}
		}
		return
	}
	for i, g := range gs {
		sp := stripPage(read, offs[i], offs[i]+g.Bounds().Dy())
		if sp.Stats().Readable == 0 {
			// No word of the picture's text touches this strip: a
			// margin of it, as a scan's margins are kept.
			irs[i].kind = images.PageBlank
			continue
		}
		sd, err := d.tinyRead(ctx, g, sp, mag)
		if err != nil {
			irs[i].why = err
			continue
		}
		if !sparse {
			sd.ReadAs(0, sp, mag, false)
		}
		irs[i].doc, irs[i].kind, irs[i].tiny = sd, sd.Kinds()[0], true
	}
}

// mosaicWhere names the first and last image of mosaic m as imageWhere
// numbers them ("3–45").
func (d *Document) mosaicWhere(m mosaic) string {
	pm := d.models[m.page]
	first, last := pm.imgUses[m.uses[0]].nr, pm.imgUses[m.uses[len(m.uses)-1]].nr
	return fmt.Sprintf("%d–%d of page %d", pm.imageOrdinal(first), pm.imageOrdinal(last), m.page+1)
}

// mosaicPiece is a region blanked on a strip of a mosaic: boxes[box] of
// imageBoxes, its columns [x0,x1) and height in the strip's pixels (all
// strips of a mosaic share their columns).
type mosaicPiece struct {
	box, mosaic, x0, x1, height int
}

// mosaicLabels keeps the label of the regions of one value across the
// strips of a mosaic (same mosaic, same columns) on the tallest piece
// only (the first of equals): a label on every strip, each a few rows
// high, prints as a column of marks.
func mosaicLabels(boxes []box, pieces []mosaicPiece) {
	type key struct{ mosaic, x0, x1 int }
	best := map[key]int{}
	for i, p := range pieces {
		k := key{p.mosaic, p.x0, p.x1}
		if j, ok := best[k]; !ok || p.height > pieces[j].height {
			best[k] = i
		}
	}
	for i, p := range pieces {
		if best[key{p.mosaic, p.x0, p.x1}] != i {
			boxes[p.box].label = ""
		}
	}
}

// Pieces of a picture that are not a mosaic: images drawn edge to edge
// (or overlapping) that are not the strips of one recognised mosaic are
// each read alone, and a line of text cut across them is read by nobody
// (found by a safety review on issue 19: a picture cut into columns of 8
// or 24 pixels, or into strips whose pixel widths alternate, was written
// legible). Until such a page is read as it is shown, it is refused:
// edgeToEdge fails closed (ErrUninspectable) when two images of a page,
// in the same space, touch or overlap within edgeTol points and are
// neither strips of one mosaic nor drawn at the same place (the layers
// of a compressed scan, each the whole picture). The check runs in the
// parse, so verification, which parses the output, applies it too.

// edgeTol is how far apart (points) two images' rectangles may be and
// still count as touching: about a pixel at 72 dpi.
const edgeTol = 1.0

// edgeBudget bounds the pairs compared per image drawn (a page of many
// images side by side over one band): beyond it the page is refused, so
// the check stays linear in the images drawn.
const edgeBudget = 64

// edgeToEdge returns an error (ErrUninspectable) naming the first page
// where two images are drawn edge to edge or overlapping and are not
// read as one picture (see above).
func (d *Document) edgeToEdge(ms []mosaic) error {
	_, err := d.edgePage(ms)
	return err
}

// edgePage is edgeToEdge with the index of the page it names.
func (d *Document) edgePage(ms []mosaic) (int, error) {
	type piece struct {
		use, space int // use: 1 + a drawing's index, or -(1 + a mosaic's)
		r          rect
	}
	inMosaic := map[[2]int]bool{} // {page, use}
	byPage := map[int][]piece{}
	for i, m := range ms {
		pm := d.models[m.page]
		u := pm.imgUses[m.uses[0]]
		r := u.bounds
		for _, k := range m.uses {
			inMosaic[[2]int{m.page, k}] = true
			b := pm.imgUses[k].bounds
			r = rect{math.Min(r.x0, b.x0), math.Min(r.y0, b.y0), math.Max(r.x1, b.x1), math.Max(r.y1, b.y1)}
		}
		// A mosaic is one picture: one piece, its strips' union.
		byPage[m.page] = append(byPage[m.page], piece{use: -1 - i, space: u.space, r: r})
	}
	name := func(pc piece) string {
		if pc.use < 0 {
			return "the strips " + d.mosaicWhere(ms[-1-pc.use])
		}
		return fmt.Sprintf("image drawing %d of the page", pc.use)
	}
	for p, pm := range d.models {
		ps := byPage[p]
		for k := range pm.imgUses {
			u := &pm.imgUses[k]
			if u.stream() == nil || inMosaic[[2]int{p, k}] {
				continue
			}
			ps = append(ps, piece{use: k + 1, space: u.space, r: u.bounds})
		}
		if len(ps) < 2 {
			continue
		}
		sort.SliceStable(ps, func(i, j int) bool {
			if ps[i].space != ps[j].space {
				return ps[i].space < ps[j].space
			}
			return ps[i].r.x0 < ps[j].r.x0
		})
		budget := edgeBudget * len(ps)
		for i, a := range ps {
			for _, b := range ps[i+1:] {
				if b.space != a.space || b.r.x0 > a.r.x1+edgeTol {
					break // sorted by space, then left edge
				}
				if budget--; budget < 0 {
					return p, fmt.Errorf("page %d: too many images drawn over one band of the page to check whether they are pieces of one picture: %w", p+1, redactors.ErrUninspectable)
				}
				if b.r.y0 > a.r.y1+edgeTol || a.r.y0 > b.r.y1+edgeTol {
					continue
				}
				if math.Abs(a.r.x0-b.r.x0) <= edgeTol && math.Abs(a.r.x1-b.r.x1) <= edgeTol &&
					math.Abs(a.r.y0-b.r.y0) <= edgeTol && math.Abs(a.r.y1-b.r.y1) <= edgeTol {
					continue // one place: layers, each the whole picture
				}
				return p, fmt.Errorf("page %d: images drawn edge to edge that are not read as one picture (%s, %s): %w",
					p+1, name(a), name(b), redactors.ErrUninspectable)
			}
		}
	}
	return -1, nil
}
