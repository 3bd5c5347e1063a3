package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/poppler"
)

// Images Veil cannot read. Under ImagesOCR every image object is read by
// OCR (ocrimages.go) and what it cannot read follows Options.Unread; under
// the other policies, described here, the pixels of an image are
// read only where a text layer lies over them: the invisible text a
// scanner's OCR writes over the scanned page (text rendering mode 3 or 7).
// Every other image is unread, and is never written as it was: by default
// (ImagesDrop) each image object drawn without a text layer over it is
// written as a blank in its place (a 1×1 stencil mask that paints nothing:
// the page keeps its layout, and nothing of the image), inline images are
// taken out of the content; with ImagesQuarantine such a file is
// uninspectable. A page whose only content is images is no_text either
// way. Images that are kept lose their metadata: the JPEG data of every
// DCTDecode image written goes through imagemeta.Strip (EXIF, XMP, IPTC,
// comments), a JPEG 2000 file keeps only its signature, file type, header
// and codestream boxes, its codestream no comments (stripJPX), and the
// writer drops /Metadata everywhere (dropKeys).

// ImagePolicy says what happens to images Veil cannot read.
type ImagePolicy int

const (
	// ImagesDrop writes a blank in place of each unread image, with a
	// note; the default.
	ImagesDrop ImagePolicy = iota
	// ImagesQuarantine makes a file with an unread image uninspectable.
	ImagesQuarantine
	// ImagesOCR reads every image XObject by OCR (ocrimages.go), whether
	// a text layer lies over it or not, and treats those it cannot read
	// as Unread says.
	ImagesOCR
)

// Options configure the PDF format.
type Options struct {
	// Images is what happens to images without a text layer over them
	// (ImagesDrop, ImagesQuarantine), or to every image (ImagesOCR).
	Images ImagePolicy
	// Unread is, under ImagesOCR, what happens to an image OCR cannot
	// read: ImagesDrop (the default) or ImagesQuarantine.
	Unread ImagePolicy
	// Pictures is, under ImagesOCR, what happens to a picture: an image
	// that decodes and on which OCR, read twice, finds no text
	// (pictures.go): PicturesUnread (the default: as Unread says) or
	// PicturesKeep (written as it is, its metadata removed, and listed in
	// the notes).
	Pictures PicturePolicy
	// OCR configures the image format that reads images under ImagesOCR
	// (engine, languages, low-confidence policy); the policies for pages
	// without text are set by Unread.
	OCR images.Options
	// Forms is what happens to the fields of an interactive form:
	// FormsFlatten (the default) or FormsDrop (forms.go).
	Forms FormsPolicy
	// Poppler renders, under ImagesOCR, a page whose fonts cannot be read
	// as text, to read it as an image (raster.go); nil means poppler's
	// commands on PATH.
	Poppler *poppler.Tools
}

// imageUse is one drawing of an image, recorded by the parse pass.
type imageUse struct {
	nr     int // object number of an XObject, 0 for an inline image
	key    opKey
	bounds rect   // in the space of instance space
	ctm    matrix // the unit square's mapping at the drawing
	space  int
	sd     *types.StreamDict
	read   bool // a text layer lies over it
	// inline is an inline image's data as a stream (inline.go), nil for
	// an XObject or an inline image that does not parse.
	inline *types.StreamDict
}

// stream is the image's stream: the XObject's, or an inline image's.
func (u *imageUse) stream() *types.StreamDict {
	if u.sd != nil {
		return u.sd
	}
	return u.inline
}

// readImages decides, after a page was read, which of its images a text
// layer lies over: an invisible glyph (an OCR layer) whose origin is
// inside the image's bounds, in the same space.
func (pm *pageModel) readImages() {
	if len(pm.imgUses) == 0 {
		return
	}
	ocr := false
	for k := range pm.text.glyphs {
		if pm.text.glyphs[k].invisible {
			ocr = true
			break
		}
	}
	if !ocr {
		return
	}
	for i := range pm.imgUses {
		u := &pm.imgUses[i]
		b := grow(u.bounds, 0.5)
		for k := range pm.text.glyphs {
			g := &pm.text.glyphs[k]
			if !g.invisible || pm.insts[g.inst].space != u.space {
				continue
			}
			x, y := float64(g.ox), float64(g.oy)
			if x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1 {
				u.read = true
				break
			}
		}
	}
}

// decideImages applies the image policy once every page was read: the
// unread image objects go to dropImg, the unread inline images to their
// page's dropInline; with ImagesQuarantine an unread image is an error.
func (d *Document) decideImages() error {
	d.dropImg = map[int]bool{}
	dropped, kept := 0, 0
	keptNr := map[int]bool{}
	ocr := d.opts.Images == ImagesOCR
	policy := d.opts.Images
	if ocr {
		policy = d.opts.Unread
	}
	for i, pm := range d.models {
		for _, u := range pm.imgUses {
			if ocr && (u.nr > 0 || u.inline != nil) {
				continue // read by OCR (ocrimages.go)
			}
			if u.read && !ocr {
				if u.nr > 0 {
					keptNr[u.nr] = true
				} else {
					kept++
				}
				continue
			}
			if policy == ImagesQuarantine {
				if ocr {
					return fmt.Errorf("page %d: an inline image's data does not parse as an image, and the profile quarantines images it cannot read: %w", i+1, redactors.ErrUninspectable)
				}
				return fmt.Errorf("page %d: an image without a text layer over it cannot be inspected (no OCR), and the profile quarantines such files: %w", i+1, redactors.ErrUninspectable)
			}
			if u.nr == 0 {
				if pm.dropInline == nil {
					pm.dropInline = map[opKey]bool{}
				}
				pm.dropInline[u.key] = true
				dropped++
				continue
			}
			if !d.dropImg[u.nr] {
				d.dropImg[u.nr] = true
				dropped++
			}
		}
	}
	for nr := range keptNr {
		if !d.dropImg[nr] {
			kept++
		}
	}
	if dropped > 0 && ocr {
		d.notes = append(d.notes, fmt.Sprintf("%d inline images removed (their data does not parse as an image)", dropped))
	} else if dropped > 0 {
		d.notes = append(d.notes, imageCount(dropped)+" removed (not inspected: no OCR)")
	}
	if kept > 0 {
		d.notes = append(d.notes, "scanned "+imageCount(kept)+" kept under their text layer (pixels not inspected beyond it: no OCR)")
	}
	return nil
}

// blankImageObject is what the writer writes in place of an unread image:
// a 1×1 stencil mask whose one sample paints nothing.
func blankImageObject() types.StreamDict {
	sd := types.NewStreamDict(types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
		"Width": types.Integer(1), "Height": types.Integer(1), "ImageMask": types.Boolean(true),
	}, 0, nil, nil, nil)
	sd.Raw = []byte{0xFF} // with Decode [0 1], 1 is "not painted"
	return sd
}

// errImageMeta is the reason a kept JPEG image cannot be written.
var errImageMeta = errors.New("a JPEG or JPEG 2000 image's metadata cannot be removed")

// strippedImage returns a DCTDecode image stream without the metadata in
// its JPEG data (and the other filters of its pipeline undone), or sd
// itself when it is not a JPEG image.
func (d *Document) strippedImage(sd types.StreamDict) (types.StreamDict, error) {
	fs := sd.FilterPipeline
	if d.r.name(sd.Dict["Subtype"]) != "Image" || len(fs) == 0 {
		return sd, nil
	}
	last := fs[len(fs)-1].Name
	if last != filter.DCT && last != filter.JPX {
		return sd, nil
	}
	data := sd.Raw
	if len(fs) > 1 {
		b, err := d.unfilter(&sd, fs[:len(fs)-1])
		if err != nil {
			return sd, fmt.Errorf("%w (%v)", errImageMeta, err)
		}
		data = b
	}
	var out []byte
	var err error
	if last == filter.DCT {
		out, _, err = imagemeta.Strip(data)
	} else {
		out, err = stripJPX(data)
	}
	if err != nil {
		return sd, fmt.Errorf("%w: %w", errImageMeta, redactors.ErrUninspectable)
	}
	if len(fs) == 1 && bytes.Equal(out, sd.Raw) {
		return sd, nil
	}
	nd := imageDict(sd.Dict)
	nd["Filter"] = types.Name(last)
	if p := fs[len(fs)-1].DecodeParms; p != nil {
		nd["DecodeParms"] = p
	}
	nd["Length"] = types.Integer(len(out))
	ns := types.NewStreamDict(nd, 0, nil, nil, nil)
	ns.Raw = out
	return ns, nil
}

// stripJPX returns a JPEG 2000 image (a JP2 file or a raw codestream)
// without what can hold text besides its pixels: of a JP2 file's top-level
// boxes only the signature, file type, header and codestream are kept (XML,
// UUID, IPR and unknown boxes go), and the codestream's main header loses
// its comment segments. Malformed data is an error.
func stripJPX(b []byte) ([]byte, error) {
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0x4F {
		return stripCodestream(b)
	}
	if len(b) < 12 || string(b[4:8]) != "jP  " {
		return nil, errors.New("not a JPEG 2000 file")
	}
	var out []byte
	for i := 0; i < len(b); {
		if i+8 > len(b) {
			return nil, errors.New("truncated box")
		}
		n, hdr := int(binary.BigEndian.Uint32(b[i:])), 8
		typ := string(b[i+4 : i+8])
		switch n {
		case 0:
			n = len(b) - i
		case 1:
			if i+16 > len(b) {
				return nil, errors.New("truncated box")
			}
			v := binary.BigEndian.Uint64(b[i+8:])
			if v > uint64(len(b)) {
				return nil, errors.New("box beyond the data")
			}
			n, hdr = int(v), 16
		}
		if n < hdr || i+n > len(b) {
			return nil, errors.New("box beyond the data")
		}
		switch typ {
		case "jP  ", "ftyp", "jp2h":
			out = append(out, b[i:i+n]...)
		case "jp2c":
			cs, err := stripCodestream(b[i+hdr : i+n])
			if err != nil {
				return nil, err
			}
			if len(cs)+8 > math.MaxUint32 {
				return nil, errors.New("codestream too large")
			}
			out = binary.BigEndian.AppendUint32(out, uint32(8+len(cs)))
			out = append(out, "jp2c"...)
			out = append(out, cs...)
		}
		i += n
	}
	return out, nil
}

// stripCodestream removes the comment segments (COM) of a JPEG 2000
// codestream's main header, up to its first tile.
func stripCodestream(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0x4F {
		return nil, errors.New("not a JPEG 2000 codestream")
	}
	out := []byte{0xFF, 0x4F}
	i := 2
	for {
		if i+2 > len(b) || b[i] != 0xFF {
			return nil, errors.New("malformed main header")
		}
		if b[i+1] == 0x90 { // SOT: the tiles follow
			return append(out, b[i:]...), nil
		}
		if i+4 > len(b) {
			return nil, errors.New("malformed main header")
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, errors.New("malformed main header")
		}
		if b[i+1] != 0x64 {
			out = append(out, b[i:i+2+n]...)
		}
		i += 2 + n
	}
}

// imageCount says "1 image" or "n images".
func imageCount(n int) string {
	if n == 1 {
		return "1 image"
	}
	return fmt.Sprintf("%d images", n)
}
