// Package pdf reads and truly redacts PDF files on top of pdfcpu's object
// model: glyphs are removed from the content streams (not covered), an
// opaque labelled box marks each redaction, filled form fields are drawn
// into their pages as page text (forms.go), and what can hold text outside
// the page content (metadata, annotations, forms, outlines, attachments,
// scripts, replacement texts, the structure tree) is removed. The output is a complete new file
// written from the reachable objects only, so no earlier revision survives.
//
// Parts are the page texts in reading order ("page 3"). What Veil cannot
// read with certainty ends in quarantine with a reason: encrypted files
// (ErrEncrypted), pages without a text layer (ErrNoText), fonts whose codes
// do not map to Unicode and images under a redaction (ErrUninspectable),
// and damaged files no cross-reference rebuild opens (ErrCorrupt).
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

func init() {
	// pdfcpu would otherwise create a configuration folder in the user's
	// home on first use.
	model.ConfigPath = "disable"
}

// Format implements redactors.Format for PDF.
type Format struct{ opts Options }

var (
	_ redactors.Format      = Format{}
	_ redactors.Document    = (*Document)(nil)
	_ redactors.LeakChecker = (*Document)(nil)
	_ redactors.Noter       = (*Document)(nil)
	_ redactors.Stamper     = (*Document)(nil)
)

// New returns the PDF format, with the options given or the defaults
// (unread images dropped).
func New(opts ...Options) Format {
	var f Format
	if len(opts) > 0 {
		f.opts = opts[0]
	}
	return f
}

// Name implements redactors.Format.
func (Format) Name() string { return "pdf" }

// Extensions implements redactors.Format.
func (Format) Extensions() []string { return []string{".pdf"} }

// Document is a parsed PDF. Redact may be called once.
type Document struct {
	ctx     *model.Context
	r       *reader
	pages   []page
	models  []*pageModel
	parts   []redactors.Part
	notes   []string
	names   int
	stamps  []string
	stampAt string
	lab     labelState // label font and layout (overlay.go)
	used    bool
	dests   map[string]types.Object // named destinations, read when a link needs them
	size    int                     // of the input, to size the output buffer
	// stop is the context of the current Parse or Redact (ParseContext,
	// RedactContext), checked in their loops over pages and operators.
	stop context.Context
	// alts are the parts after the pages: other readings of a page's
	// glyphs (readings.go); part len(pages)+k is alts[k].
	alts []altRef
	helv types.IndirectRef // the label font, once added (helvetica)
	// objPart is the index of the objects part (objects.go), -1 if none;
	// objSpans say where its text comes from.
	objPart   int
	objSpans  []objSpan
	fontFiles map[int]bool // object numbers of embedded font programs
	opts      Options
	// xfaUnshown are the values of a dynamic XFA form that its AcroForm
	// fallback's generated appearances do not draw, of xfaTotal; the
	// pages' text must hold them (xfaShown).
	xfaUnshown []string
	xfaTotal   int
	dropImg    map[int]bool // image objects written as blanks: not inspected (images.go)
	// ocrRead are the image objects read by OCR (ImagesOCR), imgParts
	// the drawings of those with text, whose parts follow the readings
	// (ocrimages.go).
	ocrRead  map[int]*imgRead
	imgParts []imgPart
	inlines  map[int]inlineRef // the inline images read by OCR, by their (negative) numbers
	// outImg maps the object number of an image in the output the last
	// Redact wrote to the input's image object it was written from
	// (write.go), for PixelLeaks to read an image at least as it was
	// read at Parse.
	outImg map[int]int
	// rereadHits are the pixel rectangles, per input image object, of the
	// removed values verification's readings read there (rereadImages).
	rereadHits map[int][]image.Rectangle
	// rasters are the pages whose fonts cannot be read as text, read as
	// images (raster.go), in page order.
	rasters []*rasterRead
}

// altRef locates another reading of a page: models[page].alts[alt].
type altRef struct{ page, alt int }

// config is pdfcpu's configuration for a file of size bytes: no stream
// that pdfcpu decodes itself (object streams) may exceed the file's
// decode budget either.
func config(size int) *model.Configuration {
	c := model.NewDefaultConfiguration()
	c.ValidationMode = model.ValidationRelaxed
	c.Optimize = false
	c.Limits.MaxDecodeBytes = min(maxDecodedStream, decodeBudget(size))
	return c
}

// catch turns a panic into an error: ErrCorrupt while pdfcpu reads the
// file, ErrInternal in Veil's own code, with its cause when the runtime
// raised it (panicCause). Any other panic value is dropped: it may hold
// document bytes. An error returned without a reason because a time
// budget ran out (a context's deadline, passed up as it is) gets
// ErrTooSlow, so that no report says "internal error" for a slow machine.
func catch(err *error, stage *string) {
	if r := recover(); r != nil {
		reason := redactors.ErrInternal
		if *stage == "read" {
			reason = redactors.ErrCorrupt
		}
		*err = fmt.Errorf("pdf: %s: recovered from a failure (%s): %w", *stage, panicCause(r), reason)
		return
	}
	*err = withReason(*err)
}

// withReason returns err, with ErrTooSlow when it wraps no reason and a
// context deadline (the file's budget, or a stage's) is what ended it.
func withReason(err error) error {
	var r *redactors.Reason
	if err == nil || errors.As(err, &r) || !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%v: %w", err, redactors.ErrTooSlow)
}

// panicCause describes a recovered panic without its value: a runtime
// error's own message (an index and a length, a nil dereference: never
// document bytes) and the place in Veil's code where it happened; for
// any other value, only that it was one.
func panicCause(r any) string {
	re, ok := r.(runtime.Error)
	if !ok {
		return "a panic"
	}
	cause := re.Error()
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, "github.com/veilhq/veil/") {
			cause += fmt.Sprintf(" at %s:%d", filepath.Base(f.File), f.Line)
			break
		}
		if !more {
			break
		}
	}
	return cause
}

// readContext reads a PDF with pdfcpu and refuses encrypted files, except
// those whose user password is empty (permissions only: every reader opens
// them without asking): pdfcpu decrypts those as it reads, and the writer
// writes no /Encrypt, so the output is unprotected (decrypted reports it).
func readContext(data []byte) (ctx *model.Context, decrypted bool, err error) {
	ctx, err = readContextEnc(data)
	if err != nil {
		return nil, false, err
	}
	if ctx.XRefTable.Encrypt != nil || ctx.XRefTable.E != nil {
		if ctx.EncKey == nil || ctx.XRefTable.E == nil {
			return nil, false, redactors.ErrEncrypted
		}
		decrypted = true
	}
	return ctx, decrypted, nil
}

// readContextEnc reads a PDF with pdfcpu, with the empty user password.
func readContextEnc(data []byte) (*model.Context, error) {
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, fmt.Errorf("no PDF header: %w", redactors.ErrCorrupt)
	}
	ctx, err := api.ReadContext(bytes.NewReader(data), config(len(data)))
	if err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			return nil, redactors.ErrEncrypted
		}
		return nil, fmt.Errorf("cannot read the file structure: %w", redactors.ErrCorrupt)
	}
	if ctx.XRefTable.Root == nil {
		return nil, fmt.Errorf("no document catalog: %w", redactors.ErrCorrupt)
	}
	return ctx, nil
}

// Parse implements redactors.Format.
func (f Format) Parse(data []byte) (redactors.Document, error) {
	return f.ParseContext(context.Background(), data)
}

// ParseContext implements redactors.ContextParser: ctx is checked before
// every page and every few thousand operators.
func (f Format) ParseContext(ctx context.Context, data []byte) (redactors.Document, error) {
	doc, err := f.parseContext(ctx, data, false)
	if err == nil || !errors.Is(err, redactors.ErrCorrupt) || ctx.Err() != nil {
		return doc, err
	}
	// A damaged file that other readers open: read it again with its
	// cross-reference table rebuilt by scanning (repair.go).
	fixed := rebuildXRef(data, decodeBudget(len(data)))
	if fixed == nil {
		return nil, err
	}
	if doc2, err2 := f.parseContext(ctx, fixed, true); err2 == nil || !errors.Is(err2, redactors.ErrCorrupt) {
		return doc2, err2
	}
	return nil, err
}

// parseContext parses data; repaired says that its cross-reference
// table was rebuilt (a note).
func (f Format) parseContext(ctx context.Context, data []byte, repaired bool) (doc redactors.Document, err error) {
	stage := "read"
	defer catch(&err, &stage)
	if len(data) == 0 {
		return nil, fmt.Errorf("pdf: %w", redactors.ErrEmpty)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pc, decrypted, err := readContext(data)
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	stage = "parse"
	d := &Document{ctx: pc, r: newReader(pc.XRefTable, len(data)), size: len(data), stop: ctx, opts: f.opts}
	if f.opts.Images == ImagesOCR {
		d.r.glyphs = d.newGlyphReader(ctx)
	}
	if repaired {
		d.notes = append(d.notes, "repaired: the cross-reference table was damaged and was rebuilt from the objects found in the file")
	}
	if decrypted {
		d.notes = append(d.notes, "removed: encryption (the file opened with an empty user password; the output is not protected)")
	}
	if err := d.r.chargeObjectStreams(); err != nil {
		return nil, fmt.Errorf("pdf: object streams: %s: %w", d.r.budgetError(), redactors.ErrUninspectable)
	}
	if d.pages, err = d.r.pages(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if len(d.pages) == 0 {
		return nil, fmt.Errorf("pdf: no pages: %w", redactors.ErrEmpty)
	}
	// Filled form fields are drawn into their pages before the pages are
	// read (forms.go).
	if err := d.flattenForms(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	hint := 0
	for i := range d.pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		pm, err := d.readPage(i, hint)
		if err != nil {
			// A page whose fonts cannot be read as text may be read as
			// an image (raster.go).
			if pm, err = d.rasterPage(i, hint, err); err != nil {
				return nil, fmt.Errorf("pdf: %w", err)
			}
		}
		hint = len(pm.text.glyphs) + len(pm.text.glyphs)/8
		if !pm.raster {
			pm.alts = append(pm.text.readings(), pm.text.cellReadings()...)
			pm.readImages()
		}
		d.models = append(d.models, pm)
		d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("page %d", i+1), Text: pm.text.b.String(), Page: i + 1})
	}
	if err := d.xfaShown(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	// A page of images drawn edge to edge may be read as an image
	// (raster.go).
	if err := d.rasterEdges(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	// The other readings of pages come after all pages, so that part i is
	// page i+1 (readings.go).
	for i, pm := range d.models {
		for k, a := range pm.alts {
			d.alts = append(d.alts, altRef{page: i, alt: k})
			d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("page %d%s", i+1, readingSuffix[a.kind]), Text: a.text, Page: i + 1, Field: a.field})
		}
	}
	if d.r.err != nil {
		return nil, fmt.Errorf("pdf: %s: %w", d.r.budgetError(), redactors.ErrUninspectable)
	}
	if err := d.allScanned(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if err := d.decideImages(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if d.opts.Images == ImagesOCR {
		if err := d.ocrImages(ctx); err != nil {
			return nil, fmt.Errorf("pdf: %w", err)
		}
	}
	if err := d.readRasters(ctx, data); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	// Last, what the output holds besides the pages' text (objects.go).
	objText, spans, err := d.readObjects()
	if err == nil && d.r.err != nil {
		err = fmt.Errorf("%s: %w", d.r.budgetError(), redactors.ErrUninspectable)
	}
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	d.objPart = -1
	if objText != "" {
		d.objPart, d.objSpans = len(d.parts), spans
		d.parts = append(d.parts, redactors.Part{Name: objectsPartName, Text: objText})
	}
	// The page models hold the content and forms the rewrite pass and
	// the leak check read again; the rest of the cache (font programs,
	// CMaps, already parsed) goes.
	d.r.streams = nil
	return d, nil
}

// contentPart is one content stream of a page within the joined content.
type contentPart struct {
	nr         int // object number (0: a direct stream)
	start, end int
}

// pageContent joins the content streams of a page, with a line break
// between them so that tokens do not fuse, and says where each lies. A
// page of one stream uses the decoded (cached) stream itself; the streams
// of a page of several are decoded without caching, so that only the
// joined copy stays.
func (d *Document) pageContent(p *page, pageNo int) ([]byte, []contentPart, error) {
	var parts [][]byte
	var where []contentPart
	off := 0
	refs := d.contentRefs(p)
	for _, o := range refs {
		sd, nr := d.r.stream(o)
		if sd == nil {
			continue
		}
		decode := d.r.decode
		if len(refs) > 1 {
			decode = d.r.decodeOnce
		}
		b, err := decode(sd, nr)
		if err != nil {
			if errors.Is(err, errBudget) {
				return nil, nil, fmt.Errorf("page %d: %s: %w", pageNo, d.r.budgetError(), redactors.ErrUninspectable)
			}
			return nil, nil, fmt.Errorf("page %d: a content stream cannot be decoded: %w", pageNo, redactors.ErrCorrupt)
		}
		parts = append(parts, b)
		where = append(where, contentPart{nr: nr, start: off, end: off + len(b)})
		off += len(b) + 1
	}
	if len(parts) == 1 {
		return parts[0], where, nil
	}
	return bytes.Join(parts, []byte("\n")), where, nil
}

// readPage runs the parse pass over one page.
// hint is the expected number of glyphs.
func (d *Document) readPage(i, hint int) (*pageModel, error) {
	pm, err := d.interpretPage(i, hint, false)
	if err != nil {
		return nil, err
	}
	if len(pm.text.glyphs) == 0 {
		if pm.images > 0 {
			// Read by OCR under ImagesOCR, else refused (scanpages.go).
			return pm, d.scannedPage(pm, i+1)
		}
		// Text converted to outlines is curves: a short name is tens of
		// Bézier segments, a circle 4, rules and tables none.
		if pm.curves >= maxCurvesWithoutText {
			return nil, fmt.Errorf("page %d: drawn with curves and no text layer (may be outlined text): %w", i+1, redactors.ErrNoText)
		}
	}
	return pm, nil
}

// interpretPage runs the parse pass over page i; lenient passes over
// glyphs no reading maps (raster.go).
func (d *Document) interpretPage(i, hint int, lenient bool) (*pageModel, error) {
	p := &d.pages[i]
	data, parts, err := d.pageContent(p, i+1)
	if err != nil {
		return nil, err
	}
	pm := &pageModel{children: map[[2]int]int{}, usedX: map[string]bool{}, usedP: map[string]bool{}, parts: parts}
	pm.text.hint = hint
	pm.insts = []instance{{parent: -1, data: data, res: p.res}}
	in := &interp{ctx: d.stop, r: d.r, pm: pm, pageNo: i + 1, lenient: lenient}
	if err := in.run(0, gstate{ctm: identity, th: 1}, 0); err != nil {
		return nil, err
	}
	return pm, nil
}

// maxCurvesWithoutText is how many Bézier segments a page without any text
// may paint before it is taken for outlined text and quarantined.
const maxCurvesWithoutText = 16

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Notes implements redactors.Noter.
func (d *Document) Notes() []string {
	if len(d.imgParts) == 0 {
		return d.notes
	}
	return append(append([]string(nil), d.notes...), d.imageNotes()...)
}

// PageCount implements redactors.Stamper.
func (d *Document) PageCount() int { return len(d.pages) }

// SetStamps implements redactors.Stamper.
func (d *Document) SetStamps(labels []string, position string) error {
	if len(labels) != len(d.pages) {
		return fmt.Errorf("pdf: %d stamps for %d pages", len(labels), len(d.pages))
	}
	if _, ok := stampPositions[position]; !ok && position != "" {
		return fmt.Errorf("pdf: unknown stamp position %q", position)
	}
	d.stamps, d.stampAt = labels, position
	return nil
}

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	return d.RedactContext(context.Background(), w, edits)
}

// RedactContext implements redactors.ContextRedacter, as ParseContext.
func (d *Document) RedactContext(ctx context.Context, w io.Writer, edits []redactors.Edit) (err error) {
	d.stop = ctx
	stage := "redact"
	defer catch(&err, &stage)
	if d.used {
		return errors.New("pdf: Redact called twice")
	}
	d.used = true
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("pdf: redact: %w", err)
	}
	for _, e := range edits {
		if e.Part == d.objPart {
			return fmt.Errorf("pdf: %w", d.objectsError(e))
		}
	}
	var out bytes.Buffer
	out.Grow(d.size + d.size/8 + 4096)
	if err := d.redact(&out, edits); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	// The engine's verify step parses the output again and compares the
	// page counts (Stamper); reading it back here as well cost a third
	// parse of every file.
	// What was read is not needed any more: let it go before the output
	// is parsed again for verification (PageCount, Notes stay).
	d.ctx, d.r, d.models = nil, nil, nil
	if _, err := w.Write(out.Bytes()); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}
