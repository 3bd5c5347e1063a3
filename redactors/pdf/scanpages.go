package pdf

import (
	"fmt"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
)

// Scanned pages inside a file with text: a signed signature page, a
// scanned cover or exhibit page in a born-digital filing. Such a page
// draws images and no text at all. Under ImagesOCR it is read like every
// other image of the file (ocrimages.go): each image on it is decoded and
// read by OCR, its text is a part ("page 3, image 1"), redactions blank
// its pixels under labelled boxes, and verification reads the output's
// images again (PixelLeaks). The page stays in place, the file keeps its
// page count, the rest of the file is redacted as text. An image on it
// that OCR cannot read follows Unread like any image: written blank with
// a note that names the page (ImagesDrop: the page is then empty, never
// passed on as read), or the file refused (ImagesQuarantine).
//
// Under ImagesDrop and ImagesQuarantine images are not read, and a page
// of images only would be written blank or refused: the file is refused
// (no_text), the page named, as before OCR.
//
// A file none of whose pages has text is no business of this format: it
// is refused (no_text) and read as a scan by redactors/pdfscan, which
// renders each page and writes the file again from the redacted page
// images.

// scannedPage decides about page pageNo (1-based) that draws no text:
// nil when it is read by OCR (marked scanned), else why the file is
// refused.
func (d *Document) scannedPage(pm *pageModel, pageNo int) error {
	if pm.images == 0 {
		return nil
	}
	if pm.curves >= maxCurvesWithoutText {
		return fmt.Errorf("page %d: images and curves without a text layer (may be outlined text): %w", pageNo, redactors.ErrNoText)
	}
	if d.opts.Images != ImagesOCR {
		return fmt.Errorf("page %d: images without a text layer (a scanned page; read by OCR under the profile setting images: ocr): %w", pageNo, redactors.ErrNoText)
	}
	pm.scanned = true
	return nil
}

// allScanned refuses a file none of whose pages has text (after every
// page was read): it is a scan, read by redactors/pdfscan.
func (d *Document) allScanned() error {
	scanned := 0
	for _, pm := range d.models {
		if len(pm.text.glyphs) > 0 {
			return nil
		}
		if pm.scanned {
			scanned++
		}
	}
	if scanned == 0 {
		return nil
	}
	return fmt.Errorf("page 1: images without a text layer on every page (a scanned file): %w", redactors.ErrNoText)
}

// scannedNotes says, for each scanned page, how its images were read:
// after decideOCR, which drops what OCR cannot read.
func (d *Document) scannedNotes(f *images.Format) {
	for i, pm := range d.models {
		if !pm.scanned {
			continue
		}
		read, blank, kept := 0, 0, 0
		seen := map[int]bool{}
		for _, u := range pm.imgUses {
			if u.nr == 0 {
				blank++ // an inline image that does not parse: taken out
				continue
			}
			if seen[u.nr] {
				continue
			}
			seen[u.nr] = true
			ir := d.ocrRead[u.nr]
			switch {
			case d.dropImg[u.nr] || pm.dropInline[u.key] || ir == nil:
				blank++
			case ir.kind == images.PageText:
				read++
			case ir.picture:
				kept++ // a picture without text (pictures.go)
			case !f.Kept(ir.kind):
				blank++
			}
		}
		n := fmt.Sprintf("page %d: no text layer (a scanned page): ", i+1)
		switch {
		case read == 0 && kept > 0:
			n += fmt.Sprintf("OCR read no text on it; %s kept as pictures without text", imageCount(kept))
		case read == 0:
			n += "OCR read no text on it; its images were written blank or show nothing, the page is empty of them"
		default:
			n += fmt.Sprintf("%s read by OCR", imageCount(read))
			if blank > 0 {
				n += fmt.Sprintf(", %s written blank", imageCount(blank))
			}
			if kept > 0 {
				n += fmt.Sprintf(", %s kept as pictures without text", imageCount(kept))
			}
		}
		d.notes = append(d.notes, n)
	}
}
