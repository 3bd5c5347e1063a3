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

const (
	maxDecodedTotal  = 1 << 30 // all streams decoded for one document
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
	x       *model.XRefTable
	decoded int64
	fonts   map[int]*font
	streams map[int][]byte // decoded content and CMap streams by object number
	err     error          // first budget error
}

func newReader(x *model.XRefTable) *reader {
	return &reader{x: x, fonts: map[int]*font{}, streams: map[int][]byte{}}
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

// decode returns the decoded bytes of a stream, within the limits. Streams
// with an object number are cached.
func (r *reader) decode(sd *types.StreamDict, nr int) ([]byte, error) {
	if nr > 0 {
		if b, ok := r.streams[nr]; ok {
			return b, nil
		}
	}
	if int64(len(sd.Raw)) > maxDecodedStream {
		return nil, errBudget
	}
	var content []byte
	if plainFlate(sd) {
		b, err := inflate(sd.Raw)
		if err != nil {
			return nil, err
		}
		content = b
	} else {
		c := *sd // Decode sets Content on the copy only
		c.Content = nil
		if err := c.DecodeWithLimit(maxDecodedStream); err != nil {
			if errors.Is(err, filter.ErrDecodeLimitExceeded) {
				return nil, errBudget
			}
			return nil, err
		}
		content = c.Content
	}
	r.decoded += int64(len(content))
	if r.decoded > maxDecodedTotal {
		r.err = errBudget
		return nil, errBudget
	}
	if nr > 0 {
		r.streams[nr] = content
	}
	return content, nil
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

// inflate decodes zlib data as pdfcpu's FlateDecode does (a missing end
// of stream is tolerated, a checksum mismatch is an error), within the
// decoded-stream limit, with pooled decompressors.
func inflate(raw []byte) ([]byte, error) {
	src := bytes.NewReader(raw)
	var zr io.ReadCloser
	if v := zlibReaders.Get(); v != nil {
		zr = v.(io.ReadCloser)
		if err := zr.(zlib.Resetter).Reset(src, nil); err != nil {
			zlibReaders.Put(zr)
			return nil, err
		}
	} else {
		var err error
		if zr, err = zlib.NewReader(src); err != nil {
			return nil, err
		}
	}
	defer zlibReaders.Put(zr)
	var out bytes.Buffer
	out.Grow(min(4*len(raw)+512, int(maxDecodedStream)))
	n, err := out.ReadFrom(io.LimitReader(zr, maxDecodedStream+1))
	if n > maxDecodedStream {
		return nil, errBudget
	}
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	return out.Bytes(), nil
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
