package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// Limits that bound time and memory on hostile files. A file over a limit
// is quarantined, never partly processed.
var (
	maxDecodedStream int64 = 128 << 20 // one decoded stream (a variable for tests)
)

// The decode budget of one document (decodeBudget): what all its decoded
// streams may add up to. It grows with the file, so that a small file
// that inflates a thousandfold (a decompression bomb) is refused after a
// few tens of MiB instead of being held in memory, while real files, whose
// decoded streams are 0.1–4 times their size, keep a wide margin.
const (
	decodeRatio     = 16        // decoded bytes per byte of the file
	minDecodedTotal = 64 << 20  // the budget of small files
	maxDecodedTotal = 512 << 20 // the budget of any file
)

// decodeBudget returns the decode budget of a file of size bytes.
func decodeBudget(size int) int64 {
	return min(max(int64(size)*decodeRatio, minDecodedTotal), maxDecodedTotal)
}

const (
	maxPages         = 100000
	maxPageTreeDepth = 64
	maxFormDepth     = 12
	maxFormUses      = 20000 // Form XObjects drawn per page, nested included
	maxOpsPerPage    = 20_000_000
	maxGlyphsPerDoc  = 8_000_000
	maxGStateDepth   = 256
	maxRefChain      = 32
)

// reader gives typed, bounded access to pdfcpu's object model. Methods
// return zero values for missing or mistyped objects: the callers decide
// what is an error.
type reader struct {
	x *model.XRefTable
	// decoded counts the bytes of every stream decoded (cache hits
	// excepted) and of the images being decoded; budget bounds it.
	decoded, budget int64
	fonts           map[int]*font
	// streams caches decoded streams by object number while the pages are
	// read, so that a form or content stream drawn on many pages is
	// decoded and held once; nil afterwards (what stays needed, the page
	// models hold).
	streams map[int][]byte
	err     error // first budget error
	// oneStream: the error is a stream over maxDecodedStream, with room
	// left in the budget.
	oneStream bool
	// glyphs reads by OCR the glyphs nothing in the file names
	// (glyphocr.go); nil when images are not read by OCR.
	glyphs *glyphReader
}

// newReader returns a reader for a file of size bytes.
func newReader(x *model.XRefTable, size int) *reader {
	return &reader{x: x, budget: decodeBudget(size), fonts: map[int]*font{}, streams: map[int][]byte{}}
}

// resolve follows indirect references.
func (r *reader) resolve(o types.Object) types.Object {
	for i := 0; i < maxRefChain; i++ {
		ref, ok := o.(types.IndirectRef)
		if !ok {
			return o
		}
		v, err := r.x.Dereference(ref)
		if err != nil {
			return nil
		}
		o = v
	}
	return nil
}

func (r *reader) dict(o types.Object) types.Dict {
	switch v := r.resolve(o).(type) {
	case types.Dict:
		return v
	case types.StreamDict:
		return v.Dict
	}
	return nil
}

func (r *reader) name(o types.Object) string {
	if n, ok := r.resolve(o).(types.Name); ok {
		return string(n)
	}
	return ""
}

func (r *reader) numOK(o types.Object) (float64, bool) {
	switch v := r.resolve(o).(type) {
	case types.Integer:
		return float64(v), true
	case types.Float:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}

func (r *reader) num(o types.Object) float64 {
	f, _ := r.numOK(o)
	return f
}

func (r *reader) numbers(o types.Object) []float64 {
	a, _ := r.resolve(o).(types.Array)
	out := make([]float64, 0, len(a))
	for _, e := range a {
		f, ok := r.numOK(e)
		if !ok {
			return out
		}
		out = append(out, f)
	}
	return out
}

// stream returns the stream dict o refers to, and its object number (0 for
// a direct stream).
func (r *reader) stream(o types.Object) (*types.StreamDict, int) {
	nr := 0
	for i := 0; i < maxRefChain; i++ {
		ref, ok := o.(types.IndirectRef)
		if !ok {
			break
		}
		nr = ref.ObjectNumber.Value()
		v, err := r.x.Dereference(ref)
		if err != nil {
			return nil, 0
		}
		o = v
	}
	sd, ok := o.(types.StreamDict)
	if !ok {
		return nil, 0
	}
	return &sd, nr
}

var errBudget = errors.New("decoded streams exceed the memory limit")

// budgetError says which limit a file exceeded (numbers only).
func (r *reader) budgetError() string {
	if r.oneStream {
		return fmt.Sprintf("a decoded stream exceeds the limit of %d MiB", maxDecodedStream>>20)
	}
	return fmt.Sprintf("decoded streams exceed the limit of %d MiB for this file (%d times its size, at least %d MiB, at most %d MiB)",
		r.budget>>20, decodeRatio, minDecodedTotal>>20, maxDecodedTotal>>20)
}

// room returns how many bytes one more stream may decode to: what is left
// of the budget, and at most maxDecodedStream.
func (r *reader) room() int64 {
	return max(0, min(maxDecodedStream, r.budget-r.decoded))
}

// overBudget records that the budget (or the one-stream limit) was hit
// by a stream that had room bytes.
func (r *reader) overBudget(room int64) error {
	if r.err == nil {
		r.err = errBudget
		r.oneStream = room == maxDecodedStream && r.budget-r.decoded > maxDecodedStream
	}
	return errBudget
}

// imageRoom is room for the pixels of an image decoded to blank it. A
// scanned page decodes to tens of times its compressed size, so images
// are not held to the file's budget but to maxDecodedTotal: they are
// decoded one at a time, held while blanked (reserve) and released.
func (r *reader) imageRoom() int64 {
	return max(0, min(maxDecodedStream, maxDecodedTotal-r.decoded))
}

// reserve counts n bytes of image data about to be held; release gives
// them back once they are not.
func (r *reader) reserve(n int64) error {
	if n < 0 || n > r.imageRoom() {
		return errBudget
	}
	r.decoded += n
	return nil
}

func (r *reader) release(n int64) { r.decoded -= n }

// decode returns the decoded bytes of a stream, within the budget.
// Streams with an object number are cached while the pages are read.
func (r *reader) decode(sd *types.StreamDict, nr int) ([]byte, error) {
	return r.decodeStream(sd, nr, true)
}

// decodeOnce is decode for bytes that the caller copies or reads once:
// they are not cached.
func (r *reader) decodeOnce(sd *types.StreamDict, nr int) ([]byte, error) {
	return r.decodeStream(sd, nr, false)
}

func (r *reader) decodeStream(sd *types.StreamDict, nr int, store bool) ([]byte, error) {
	if nr > 0 {
		if b, ok := r.streams[nr]; ok {
			return b, nil
		}
	}
	if r.err != nil {
		return nil, errBudget // refused at once: nothing more is decoded
	}
	// room > 0 always: pdfcpu reads a limit of 0 as its own default.
	room := r.room()
	if room <= 0 || (len(sd.FilterPipeline) == 0 && int64(len(sd.Raw)) > room) {
		return nil, r.overBudget(room)
	}
	var content []byte
	if plainFlate(sd) {
		b, err := inflate(sd.Raw, room)
		if err != nil {
			if errors.Is(err, errBudget) {
				return nil, r.overBudget(room)
			}
			return nil, err
		}
		content = b
	} else {
		c := *sd // Decode sets Content on the copy only
		c.Content = nil
		if err := c.DecodeWithLimit(room); err != nil {
			if errors.Is(err, filter.ErrDecodeLimitExceeded) {
				return nil, r.overBudget(room)
			}
			return nil, err
		}
		content = c.Content
	}
	r.decoded += int64(len(content))
	if r.decoded > r.budget {
		return nil, r.overBudget(0)
	}
	if store {
		// What is kept is what the budget counts: not the unused half
		// of a doubled buffer.
		if slack := cap(content) - len(content); slack > 4<<10 && slack > len(content)/4 {
			content = append(make([]byte, 0, len(content)), content...)
		}
		if nr > 0 && r.streams != nil {
			r.streams[nr] = content
		}
	}
	return content, nil
}

// chargeObjectStreams counts the decoded size of every object stream
// against the budget before any object is read. pdfcpu decodes an object
// stream when one of its objects is first read and keeps the decoded bytes
// for the life of the document, out of decode's sight; counted here
// first, a file whose object streams inflate past its budget is refused
// before they are held. Plain Flate is counted as it streams, without
// holding it.
func (r *reader) chargeObjectStreams() error {
	for _, e := range r.x.Table {
		if e == nil || e.Free {
			continue
		}
		osd, ok := e.Object.(types.ObjectStreamDict)
		if !ok {
			continue
		}
		if osd.Content != nil { // decoded while the file was read
			r.decoded += int64(len(osd.Content))
			continue
		}
		sd := &osd.StreamDict
		if !plainFlate(sd) {
			if _, err := r.decodeOnce(sd, 0); errors.Is(err, errBudget) {
				return errBudget
			}
			continue // pdfcpu reports what does not decode when it reads it
		}
		room := r.room()
		if room <= 0 {
			return r.overBudget(room)
		}
		n, err := inflateLength(sd.Raw, room)
		if errors.Is(err, errBudget) {
			return r.overBudget(room)
		}
		r.decoded += n
	}
	if r.decoded > r.budget {
		return r.overBudget(0)
	}
	return nil
}

// plainFlate reports a stream with one FlateDecode filter and no
// predictor: most content streams, decoded by inflate.
func plainFlate(sd *types.StreamDict) bool {
	if len(sd.FilterPipeline) != 1 || sd.FilterPipeline[0].Name != filter.Flate {
		return false
	}
	p, ok := sd.FilterPipeline[0].DecodeParms["Predictor"].(types.Integer)
	return sd.FilterPipeline[0].DecodeParms == nil || !ok || p == 1
}

// zlibReaders reuses decompressors (each holds a 32 KiB window).
var zlibReaders sync.Pool

// zlibReader returns a pooled decompressor reading raw; the caller puts
// it back in zlibReaders.
func zlibReader(raw []byte) (io.ReadCloser, error) {
	src := bytes.NewReader(raw)
	if v := zlibReaders.Get(); v != nil {
		zr := v.(io.ReadCloser)
		if err := zr.(zlib.Resetter).Reset(src, nil); err != nil {
			zlibReaders.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return zlib.NewReader(src)
}

// A Flate stream that inflates to more than suspectRatio times its size,
// and to more than suspectMin bytes, is measured before it is held. Real
// content streams inflate 2 to 10 times.
const (
	suspectRatio = 16
	suspectMin   = 1 << 20
)

// inflate decodes zlib data as pdfcpu's FlateDecode does (a missing end
// of stream is tolerated, a checksum mismatch is an error), to at most
// limit bytes (errBudget beyond), with pooled decompressors.
//
// Past suspectRatio times the compressed size, the rest of the stream is
// only counted: a stream over the limit is refused without being held (a
// decompression bomb costs next to no memory), and one within it is
// decoded again into a buffer of its exact size.
func inflate(raw []byte, limit int64) ([]byte, error) {
	zr, err := zlibReader(raw)
	if err != nil {
		return nil, err
	}
	defer zlibReaders.Put(zr)
	hold := min(max(int64(len(raw))*suspectRatio, suspectMin), limit+1)
	// The buffer doubles up to hold bytes.
	buf := make([]byte, 0, min(int64(4*len(raw)+512), hold))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) == hold {
				break // more to come, maybe: count it
			}
			c := min(2*int64(cap(buf)), hold)
			if c > hold/4*3 {
				c = hold // no step just short of it
			}
			nb := make([]byte, len(buf), c)
			copy(nb, buf)
			buf = nb
		}
		n, err := zr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if int64(len(buf)) > limit {
				return nil, errBudget
			}
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	rest, err := io.Copy(io.Discard, io.LimitReader(zr, limit+1-hold))
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	total := hold + rest
	if total > limit {
		return nil, errBudget
	}
	out := make([]byte, total)
	if err := zr.(zlib.Resetter).Reset(bytes.NewReader(raw), nil); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, err
	}
	return out, nil
}

// inflateLength returns how many bytes zlib data inflates to, reading at
// most limit of them (errBudget beyond), without holding them.
func inflateLength(raw []byte, limit int64) (int64, error) {
	zr, err := zlibReader(raw)
	if err != nil {
		return 0, nil // not zlib: pdfcpu reports it when it reads the stream
	}
	defer zlibReaders.Put(zr)
	n, _ := io.Copy(io.Discard, io.LimitReader(zr, limit+1))
	if n > limit {
		return n, errBudget
	}
	return n, nil
}

// streamData decodes the stream o refers to, or returns nil.
func (r *reader) streamData(o types.Object) []byte {
	sd, nr := r.stream(o)
	if sd == nil {
		return nil
	}
	b, err := r.decode(sd, nr)
	if err != nil {
		return nil
	}
	return b
}

// fontFor loads (and caches) the font a resource entry refers to.
func (r *reader) fontFor(o types.Object) *font {
	nr := 0
	if ref, ok := o.(types.IndirectRef); ok {
		nr = ref.ObjectNumber.Value()
		if f, ok := r.fonts[nr]; ok {
			return f
		}
	}
	d := r.dict(o)
	if d == nil {
		return nil
	}
	f := r.loadFont(d)
	if nr > 0 {
		r.fonts[nr] = f
	}
	return f
}

// page is one page of the page tree with its inherited attributes.
type page struct {
	ref    types.IndirectRef
	dict   types.Dict
	res    types.Dict
	media  [4]float64
	crop   [4]float64
	rotate int
}

// pages walks the page tree, with loops, depth and size bounded.
func (r *reader) pages() ([]page, error) {
	root := r.dict(*r.x.Root)
	if root == nil {
		return nil, fmt.Errorf("no document catalog: %w", redactors.ErrCorrupt)
	}
	ref, ok := root["Pages"].(types.IndirectRef)
	if !ok {
		return nil, fmt.Errorf("no page tree: %w", redactors.ErrCorrupt)
	}
	var out []page
	seen := map[int]bool{}
	type inh struct {
		res         types.Dict
		media, crop []float64
		rotate      int
	}
	var walk func(ref types.IndirectRef, in inh, depth int) error
	walk = func(ref types.IndirectRef, in inh, depth int) error {
		nr := ref.ObjectNumber.Value()
		if seen[nr] {
			return fmt.Errorf("page tree loop: %w", redactors.ErrCorrupt)
		}
		seen[nr] = true
		if depth > maxPageTreeDepth {
			return fmt.Errorf("page tree too deep: %w", redactors.ErrCorrupt)
		}
		d := r.dict(ref)
		if d == nil {
			return fmt.Errorf("page tree node is not a dictionary: %w", redactors.ErrCorrupt)
		}
		if res := r.dict(d["Resources"]); res != nil {
			in.res = res
		}
		if m := r.numbers(d["MediaBox"]); len(m) == 4 {
			in.media = m
		}
		if c := r.numbers(d["CropBox"]); len(c) == 4 {
			in.crop = c
		}
		if rot, ok := r.numOK(d["Rotate"]); ok {
			in.rotate = int(rot)
		}
		kids, isNode := r.resolve(d["Kids"]).(types.Array)
		if r.name(d["Type"]) == "Pages" || (isNode && r.name(d["Type"]) != "Page") {
			for _, k := range kids {
				kr, ok := k.(types.IndirectRef)
				if !ok {
					return fmt.Errorf("page tree kid is not a reference: %w", redactors.ErrCorrupt)
				}
				if err := walk(kr, in, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if len(out) >= maxPages {
			return fmt.Errorf("more than %d pages: %w", maxPages, redactors.ErrUninspectable)
		}
		p := page{ref: ref, dict: d, res: in.res, rotate: ((in.rotate % 360) + 360) % 360}
		if p.res == nil {
			p.res = types.Dict{}
		}
		if len(in.media) != 4 {
			in.media = []float64{0, 0, 612, 792}
		}
		copy(p.media[:], in.media)
		p.crop = p.media
		if len(in.crop) == 4 {
			copy(p.crop[:], in.crop)
		}
		out = append(out, p)
		return nil
	}
	if err := walk(ref, inh{}, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// contentRefs returns the content streams of a page: one, or an array.
func (d *Document) contentRefs(p *page) []types.Object {
	c := p.dict["Contents"]
	if a, ok := d.r.resolve(c).(types.Array); ok {
		return a
	}
	if c == nil {
		return nil
	}
	return []types.Object{c}
}
