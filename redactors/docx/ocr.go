package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ooxml"
)

// Images through OCR (ImagesOCR). Each image part that redactors/images
// reads (PNG, JPEG, TIFF, GIF, BMP) is parsed by it: decoded, read by OCR,
// and its text exposed as parts of the document ("image 3
// (word/media/image3.png)", one per page of a TIFF). Redact hands the
// image's edits to it, which blanks the words' boxes on the pixels and
// writes the same format again without metadata. What it cannot read is
// the Unread policy's: an image of another format (EMF, WMF, SVG, WebP,
// JPEG XR…), one that does not decode, a picture on which OCR reads no
// text, every image when OCR is not installed. Under ImagesDrop ("") such
// an image is written blank at its size and format (images.NoTextDrop, or
// imagemeta.Blank for the formats images does not write), with a note;
// under ImagesQuarantine the file is refused. An image that shows nothing
// (blank, one flat colour, a thin line: images.PagePlain) is kept.

// docImage is an image part read through OCR.
type docImage struct {
	n     int // 1-based number among the image parts of the file
	entry int
	doc   *images.Document
	first int    // index of its first part in Document.parts
	out   []byte // written by the last Redact
}

// imageReader returns the images format the options ask for: NoTextDrop
// or NoTextQuarantine by Unread, KeepPlain, KeepEncoding.
func imageReader(o Options) *images.Format {
	io := o.OCR
	io.NoOCR = false
	io.KeepPlain = true
	io.KeepEncoding = true
	io.NoText = images.NoTextDrop
	if o.Unread == ImagesQuarantine {
		io.NoText = images.NoTextQuarantine
	} else if o.Unread != ImagesDrop && o.Unread != "" {
		io.NoText = images.NoTextQuarantine // fail closed
	}
	return images.New(io)
}

// readable are the formats redactors/images reads and writes.
var readable = map[imagemeta.Format]bool{imagemeta.PNG: true, imagemeta.JPEG: true, imagemeta.TIFF: true, imagemeta.GIF: true, imagemeta.BMP: true}

// imageName is the name of image part n in parts, notes and errors.
func (d *Document) imageName(n, entry int) string {
	return fmt.Sprintf("image %d (%s)", n, d.entries[entry].safe)
}

// readImages reads the images of pending (entry indexes, with their
// number and data) through OCR, at most as many at once as there are CPUs
// (the OCR engine has its own limit; this one bounds the images decoded at
// once). What cannot be read goes to the Unread policy.
func (d *Document) readImages(pending []pendingImage) error {
	f := imageReader(d.opts)
	docs := make([]redactors.Document, len(pending))
	errs := make([]error, len(pending))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for k, p := range pending {
		if !readable[imagemeta.Sniff(p.data)] {
			errs[k] = fmt.Errorf("%s images are not read: %w", sniffName(p.data), redactors.ErrUninspectable)
			continue
		}
		wg.Add(1)
		go func(k int, p pendingImage) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					errs[k] = fmt.Errorf("reading the image: %w (recovered panic)", redactors.ErrInternal)
				}
			}()
			docs[k], errs[k] = f.Parse(p.data)
		}(k, p)
	}
	wg.Wait()
	for k, p := range pending {
		name := d.imageName(p.n, p.entry)
		if err := errs[k]; err != nil {
			if d.opts.Unread == ImagesQuarantine || errors.Is(err, redactors.ErrInternal) {
				return fmt.Errorf("docx: %s: %w", name, err)
			}
			blank, _, berr := blankImage(p.data)
			if berr != nil {
				return fmt.Errorf("docx: %s: %w", name, berr)
			}
			d.entries[p.entry].blank = blank
			d.imageNotes = append(d.imageNotes, fmt.Sprintf("%s: not read (%s): replaced by a blank image", name, redactors.ReasonOf(err).Code))
			d.dropped++
			continue
		}
		img := &docImage{n: p.n, entry: p.entry, doc: docs[k].(*images.Document), first: len(d.parts)}
		for pg, part := range img.doc.Parts() {
			pn := name
			if len(img.doc.Parts()) > 1 {
				pn = fmt.Sprintf("%s, page %d", name, pg+1)
			}
			d.parts = append(d.parts, redactors.Part{Name: pn, Text: part.Text})
			d.placed = append(d.placed, nil)
		}
		for _, k := range img.doc.Kinds() {
			if f.Kept(k) {
				continue
			}
			if d.opts.Unread == ImagesQuarantine {
				// refused now rather than at Redact: veil scan says so too
				return fmt.Errorf("docx: %s: a %s image that OCR cannot read (it can identify someone), and the profile quarantines such images: %w", name, k, redactors.ErrNoText)
			}
			d.dropped++
			break
		}
		d.images = append(d.images, img)
	}
	return nil
}

// pendingImage is an image part waiting for OCR.
type pendingImage struct {
	n, entry int
	data     []byte
}

func sniffName(data []byte) string {
	if f := imagemeta.Sniff(data); f != "" {
		return strings.ToUpper(string(f))
	}
	return "unknown"
}

// imageOf returns the image whose parts include part pi, or nil.
func (d *Document) imageOf(pi int) *docImage {
	for _, img := range d.images {
		if pi >= img.first && pi < img.first+len(img.doc.Parts()) {
			return img
		}
	}
	return nil
}

// redactImages writes every image read through OCR with its edits.
func (d *Document) redactImages(edits []redactors.Edit) error {
	for _, img := range d.images {
		own := redactors.EditsFrom(edits, img.first, len(img.doc.Parts()))
		var buf bytes.Buffer
		if err := img.doc.Redact(&buf, own); err != nil {
			return fmt.Errorf("docx: %s: %w", d.imageName(img.n, img.entry), err)
		}
		img.out = buf.Bytes()
	}
	return nil
}

// ocrNotes are the notes on the images read through OCR: per image what
// OCR read and what was done (after Redact: what was blanked), and once
// that their metadata is gone.
func (d *Document) ocrNotes() []string {
	if len(d.images) == 0 && len(d.imageNotes) == 0 {
		return nil
	}
	var out []string
	for _, img := range d.images {
		name := d.imageName(img.n, img.entry)
		for _, n := range img.doc.Notes() {
			if n == images.MetadataNote {
				continue
			}
			if len(img.doc.Parts()) == 1 {
				n = strings.TrimPrefix(n, "page 1: ")
			}
			out = append(out, name+": "+n)
		}
	}
	out = append(out, d.imageNotes...)
	if len(d.images) > 0 {
		out = append(out, images.MetadataNote+", from "+plural(len(d.images), "image")+" read by OCR")
	}
	return out
}

// PixelLeaks implements redactors.PixelChecker: every image of data (an
// output of Redact) that was read through OCR is read again by
// images.Document.PixelLeaks, which looks for the removed values fuzzily
// in two new readings (the OCR engine's own decoder with sparse
// segmentation, and Veil's upscaled), apart from the boxes it drew. The
// images are found in the output by their entry names; an image of the
// output that no image of the input explains is read as a new one.
func (d *Document) PixelLeaks(ctx context.Context, data []byte, removed []string) ([]string, error) {
	if d.opts.Images != ImagesOCR || len(removed) == 0 {
		return nil, nil
	}
	lim := d.opts.Limits.OrDefault()
	zr, err := ooxml.OpenZip(data, lim)
	if err != nil {
		return nil, fmt.Errorf("docx: verify images: %w", err)
	}
	byName := map[string]*docImage{}
	for _, img := range d.images {
		byName[d.entries[img.entry].f.Name] = img
	}
	b := &ooxml.Budget{Lim: lim}
	heads := outputHeads.take(data)
	type job struct {
		name string
		doc  *images.Document
		data []byte
	}
	var jobs []job
	for i, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		// Only an image is read again, and its first bytes say whether
		// it is one: the rest of the entry is not inflated here (parsing
		// the output read it, and Leaks and the independent reading read
		// it again).
		head, ok := heads[i]
		if !ok {
			head, err = entryHead(f)
		}
		if err != nil || !readable[imagemeta.Sniff(head)] {
			if err != nil {
				return nil, fmt.Errorf("docx: verify images: %s: %w", safeName(f.Name, i), redactors.ErrCorrupt)
			}
			continue
		}
		var buf bytes.Buffer
		if err := b.Read(i, f, &buf); err != nil {
			return nil, fmt.Errorf("docx: verify images: %w", err)
		}
		if img, ok := byName[f.Name]; ok {
			jobs = append(jobs, job{d.imageName(img.n, img.entry), img.doc, buf.Bytes()})
			continue
		}
		// Not an image Redact wrote from one it read: read it now.
		doc, err := imageReader(d.opts).Parse(buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("docx: verify images: %s: %w", safeName(f.Name, i), err)
		}
		jobs = append(jobs, job{safeName(f.Name, i), doc.(*images.Document), buf.Bytes()})
	}
	where := make([][]string, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for k, j := range jobs {
		wg.Add(1)
		go func(k int, j job) {
			defer wg.Done()
			where[k], errs[k] = j.doc.PixelLeaks(ctx, j.data, removed)
		}(k, j)
	}
	wg.Wait()
	var out []string
	for k, j := range jobs {
		if errs[k] != nil {
			return nil, fmt.Errorf("docx: verify %s: %w", j.name, errs[k])
		}
		for _, w := range where[k] {
			out = append(out, j.name+": "+w)
		}
	}
	return out, nil
}

// sniffLen bytes of an entry are enough for imagemeta.Sniff to tell every
// format in readable (the longest signature it reads for them is a BMP's
// 26 bytes).
const sniffLen = 64

// outputHeads holds the first sniffLen bytes of the top-level entries of
// the outputs Leaks read last (as the independent reading inflated them,
// with archive/zip, as entryHead does), by the file they were read from
// (the same slice, not equal bytes): PixelLeaks, called on the input's
// Document right after Leaks on the output's, takes them instead of
// opening a decompressor for every entry again. Leaks keeps them under
// ImagesOCR only, where PixelLeaks follows. It holds the files of a few
// verifications at a time (one per worker; a verification that stops at
// Leaks leaves its file here until it is pushed out); one it does not hold
// is read with entryHead.
var outputHeads headCache

type headCache struct {
	mu    sync.Mutex
	files []fileHeads
}

type fileHeads struct {
	data  []byte
	heads map[int][]byte // by the entry's index in the directory
}

const headFiles = 8

func sameSlice(a, b []byte) bool { return len(a) > 0 && len(a) == len(b) && &a[0] == &b[0] }

// keep notes the heads of the entries in shared (zipview.Shared places:
// a top-level entry's is its index) of data.
func (c *headCache) keep(data []byte, shared map[string][]byte) {
	if len(shared) == 0 {
		return
	}
	heads := make(map[int][]byte, len(shared))
	for place, b := range shared {
		i, err := strconv.Atoi(place) // nested places ("3!0") are not top-level entries
		if err != nil {
			continue
		}
		heads[i] = bytes.Clone(b[:min(len(b), sniffLen)])
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files = slices.DeleteFunc(c.files, func(f fileHeads) bool { return sameSlice(f.data, data) })
	if len(c.files) >= headFiles {
		c.files = c.files[1:]
	}
	c.files = append(c.files, fileHeads{data, heads})
}

// take returns the heads kept for data and forgets them; nil if none.
func (c *headCache) take(data []byte) map[int][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, f := range c.files {
		if sameSlice(f.data, data) {
			c.files = slices.Delete(c.files, k, k+1)
			return f.heads
		}
	}
	return nil
}

// entryHead returns the first sniffLen bytes of f inflated (fewer if the
// entry is shorter).
func entryHead(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(rc, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// imagePage returns the image whose parts include part i, and the page of
// it part i is; nil when part i is not the text of an image read by OCR.
func (d *Document) imagePage(i int) (*docImage, int) {
	img := d.imageOf(i)
	if img == nil {
		return nil, 0
	}
	return img, i - img.first
}

// pairedImage returns, for part i of out (a parse of the output the last
// Redact of d wrote), the images of d and of out it is a page of, and the
// page: the same entry of the file, read as as many pages, at the same
// part index in both (verify's artefact judgement reads the input's part
// i). ok is false otherwise.
func (d *Document) pairedImage(out redactors.Document, i int) (in, o *docImage, pg int, ok bool) {
	od, isDoc := out.(*Document)
	if !isDoc {
		return nil, nil, 0, false
	}
	o, pg = od.imagePage(i)
	in, ipg := d.imagePage(i)
	if o == nil || in == nil || pg != ipg || in.out == nil ||
		d.entries[in.entry].f.Name != od.entries[o.entry].f.Name ||
		len(in.doc.Parts()) != len(o.doc.Parts()) {
		return nil, nil, 0, false
	}
	return in, o, pg, true
}

// OCRPart reports whether part i of out, a parse of the output the last
// Redact wrote, is the OCR text of one of its images (pipeline verify
// reads such parts as new OCR readings).
func (d *Document) OCRPart(out redactors.Document, i int) bool {
	od, ok := out.(*Document)
	if !ok {
		return false
	}
	img, _ := od.imagePage(i)
	return img != nil
}

// OCRNoise returns the byte spans of the text of part i of out, a parse
// of the output the last Redact wrote, that are OCR noise around the
// boxes Redact blanked on that image (images.Document.OCRNoise): what
// verify's re-detection does not read. nil for a part that is not an
// image's, or whose image out does not pair with one of d's.
func (d *Document) OCRNoise(out redactors.Document, i int) [][2]int {
	in, o, pg, ok := d.pairedImage(out, i)
	if !ok {
		return nil
	}
	return in.doc.OCRNoise(o.doc, pg)
}

// OCRSource is images.Document.OCRSource for the image page that part i
// is: spans of the input's part i.
func (d *Document) OCRSource(out redactors.Document, i, start, end int) ([][2]int, bool) {
	in, o, pg, ok := d.pairedImage(out, i)
	if !ok {
		return nil, false
	}
	return in.doc.OCRSource(o.doc, pg, start, end)
}
