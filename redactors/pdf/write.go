package pdf

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// The writer serialises the objects reachable from a new catalog into a
// complete PDF with a classic cross-reference table: no earlier revision,
// no unreachable object, no document information dictionary. Objects are
// numbered in the order they are reached and dictionary keys are sorted, so
// the same input and edits always give the same bytes.

type writer struct {
	d      *Document
	w      *bufio.Writer
	n      int64       // bytes written
	num    map[int]int // old object number -> new
	queue  []types.Object
	offs   []int64
	err    error
	layers int
	fonts  map[string]string // embedded fonts' names -> neutral names
}

func (wr *writer) write(s string) {
	if wr.err != nil {
		return
	}
	k, err := wr.w.WriteString(s)
	wr.n += int64(k)
	wr.err = err
}

func (wr *writer) writeBytes(b []byte) {
	if wr.err != nil {
		return
	}
	k, err := wr.w.Write(b)
	wr.n += int64(k)
	wr.err = err
}

// ref returns the new object number for an indirect reference, queueing
// the object when it is first seen; 0 for references to nothing.
func (wr *writer) ref(r types.IndirectRef) int {
	old := r.ObjectNumber.Value()
	if n, ok := wr.num[old]; ok {
		return n
	}
	if wr.d.dropImg[old] {
		// Unread images share one blank (images.go).
		if n, ok := wr.num[-1]; ok {
			wr.num[old] = n
			return n
		}
		wr.queue = append(wr.queue, blankImageObject())
		wr.num[-1], wr.num[old] = len(wr.queue), len(wr.queue)
		return len(wr.queue)
	}
	o := wr.d.r.resolve(r)
	if o == nil {
		return 0
	}
	wr.queue = append(wr.queue, o)
	n := len(wr.queue)
	wr.num[old] = n
	return n
}

// write serialises the document with catalog root.
func (d *Document) write(w io.Writer, root types.Dict) error {
	wr := &writer{d: d, w: bufio.NewWriterSize(w, 1<<16), num: map[int]int{}}
	wr.queue = append(wr.queue, root)
	wr.write("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	for i := 0; i < len(wr.queue); i++ {
		wr.offs = append(wr.offs, wr.n)
		wr.write(strconv.Itoa(i+1) + " 0 obj\n")
		switch o := wr.queue[i].(type) {
		case types.StreamDict:
			o, err := wr.d.strippedImage(o)
			if err != nil {
				return err
			}
			dict := types.Dict{}
			for k, v := range o.Dict {
				dict[k] = v
			}
			dict["Length"] = types.Integer(len(o.Raw))
			wr.object(dict, 0)
			wr.write("\nstream\n")
			wr.writeBytes(o.Raw)
			wr.write("\nendstream")
		default:
			wr.object(o, 0)
		}
		wr.write("\nendobj\n")
		if wr.err != nil {
			return wr.err
		}
	}
	d.outImg = map[int]int{}
	for old, n := range wr.num {
		if old > 0 && !d.dropImg[old] && d.ocrRead[old] != nil {
			d.outImg[n] = old
		}
	}
	xref := wr.n
	n := len(wr.queue) + 1
	wr.write(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", n))
	for _, off := range wr.offs {
		wr.write(fmt.Sprintf("%010d 00000 n \n", off))
	}
	wr.write(fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", n, xref))
	if wr.err != nil {
		return wr.err
	}
	return wr.w.Flush()
}

// object writes a direct object.
func (wr *writer) object(o types.Object, depth int) {
	if depth > 64 {
		wr.write("null")
		return
	}
	switch v := o.(type) {
	case nil:
		wr.write("null")
	case types.IndirectRef:
		if n := wr.ref(v); n > 0 {
			wr.write(strconv.Itoa(n) + " 0 R")
		} else {
			wr.write("null")
		}
	case types.Dict:
		wr.dict(v, depth)
	case types.StreamDict: // a stream can only be indirect; keep its dictionary
		wr.dict(v.Dict, depth)
	case types.Array:
		wr.write("[")
		for i, e := range v {
			if i > 0 {
				wr.write(" ")
			}
			wr.object(e, depth+1)
		}
		wr.write("]")
	case types.Float:
		wr.write(fmtNum(float64(v)))
	case types.Integer, types.Boolean, types.Name, types.StringLiteral, types.HexLiteral:
		wr.write(v.PDFString())
	case types.LazyObjectStreamObject:
		wr.object(wr.d.r.resolve(v), depth+1)
	default:
		wr.write("null")
	}
}

func (wr *writer) dict(d types.Dict, depth int) {
	keys := make([]string, 0, len(d))
	for k := range d {
		if !dropKeys[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	ocg := wr.d.r.name(d["Type"]) == "OCG"
	nameKey, fontName := wr.embeddedFontName(d)
	wr.write("<<")
	for _, k := range keys {
		v := d[k]
		if ocg && k == "Usage" || nameKey != "" && k == "FontFamily" {
			continue
		}
		if k == nameKey {
			v = types.Name(fontName)
		}
		wr.write(types.Name(k).PDFString())
		wr.write(" ")
		if ocg && k == "Name" {
			wr.layers++
			wr.write(fmt.Sprintf("(Layer %d)", wr.layers))
		} else if pd := wr.d.r.dict(v); k == "Properties" && pd != nil {
			wr.dict(wr.d.propertyLists(pd), depth+1)
		} else {
			wr.object(v, depth+1)
		}
		wr.write(" ")
	}
	wr.write(">>")
}

// embeddedFontName returns, for a font or font descriptor whose font
// program is embedded, the key that names the font (BaseFont, FontName)
// and the neutral name written instead: font names are metadata (a
// company's typeface, a handwriting font named after its writer) and the
// embedded program is what viewers draw with. Fonts that are not embedded
// keep their names, which viewers need to find them.
func (wr *writer) embeddedFontName(d types.Dict) (string, string) {
	r := wr.d.r
	key := embeddedFontKey(r, d)
	if key == "" {
		return "", ""
	}
	orig := r.name(d[key])
	if orig == "" {
		return "", ""
	}
	if wr.fonts == nil {
		wr.fonts = map[string]string{}
	}
	n, ok := wr.fonts[orig]
	if !ok {
		n = fmt.Sprintf("VeilFont%d", len(wr.fonts)+1)
		if subsetTag(orig) {
			// A subset keeps its tag (ISO 32000-1, 9.6.4: a subset's name
			// shall begin with one): six letters that say nothing.
			n = orig[:7] + n
		}
		wr.fonts[orig] = n
	}
	return key, n
}

// subsetTag reports whether a font name begins with a subset tag: six
// upper-case letters and a plus sign.
func subsetTag(name string) bool {
	if len(name) < 8 || name[6] != '+' {
		return false
	}
	for i := 0; i < 6; i++ {
		if name[i] < 'A' || name[i] > 'Z' {
			return false
		}
	}
	return true
}
