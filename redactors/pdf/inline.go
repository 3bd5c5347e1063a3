package pdf

import (
	"bytes"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// Inline images (BI … ID … EI in a content stream) under ImagesOCR. The
// parse pass turns each into a stream dictionary as an image XObject
// would have it (inlineStream: abbreviations expanded, a named colour
// space looked up in the resources, the filters as a pipeline), so that
// the code that decodes, reads and blanks image XObjects reads it too:
// ocrImages reads it by OCR under a number of its own (negative: not an
// object of the file), and an inline image on which OCR read text is
// written as an image XObject in its place, blanked where boxes cover it
// (rewrite: inlineXObject), so that verification (PixelLeaks, which reads
// every image object of the output) reads it again. An inline image that
// does not parse, does not decode or that OCR reads nothing on is unread:
// taken out of the content with a note (Unread drop) or the file refused
// (Unread quarantine). Without OCR inline images are dropped as before
// (images.go).

// inlineKeys are the abbreviated keys of an inline image's dictionary
// (ISO 32000-1, table 93).
var inlineKeys = map[string]string{
	"BPC": "BitsPerComponent", "CS": "ColorSpace", "D": "Decode", "DP": "DecodeParms",
	"F": "Filter", "H": "Height", "IM": "ImageMask", "I": "Interpolate", "W": "Width", "L": "Length",
}

// inlineNames are the abbreviated values (table 94: colour spaces and
// filters).
var inlineNames = map[string]string{
	"G": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK", "I": "Indexed",
	"AHx": "ASCIIHexDecode", "A85": "ASCII85Decode", "LZW": "LZWDecode", "Fl": "FlateDecode",
	"RL": "RunLengthDecode", "CCF": "CCITTFaxDecode", "DCT": "DCTDecode",
}

// inlineImage reads an inline image; l is just past its BI operator. It
// returns the dictionary's operands (key, value, …) and the data between
// ID and EI, and leaves l after EI (or at the end, as skipInlineImage).
// ok is false when the dictionary does not parse or no EI follows.
func (l *lexer) inlineImage() (ops []operand, raw []byte, ok bool) {
	ok = true
	for {
		u := l.next()
		if u.kind == tEOF {
			return nil, nil, false
		}
		if u.kind == tOp && string(l.data[u.start:u.end]) == "ID" {
			break
		}
		if u.kind == tOp && !isKeywordObject(l.data[u.start:u.end]) {
			ok = false
			continue
		}
		o, err := l.parseOperand(u, 0)
		if err != nil {
			ok = false
			continue
		}
		ops = append(ops, o)
	}
	start := l.pos
	if start < len(l.data) && isWhite(l.data[start]) {
		start++
	}
	if !l.skipInlineImage() || !ok || len(ops)%2 != 0 {
		return nil, nil, false
	}
	end := l.pos - 3 // the white space before EI belongs to no data
	if end < start {
		return nil, nil, false
	}
	return ops, l.data[start:end], true
}

// inlineStream returns the stream dictionary of an inline image (ops and
// raw from inlineImage) whose page resources are res, or nil when it
// cannot be read as one.
func (r *reader) inlineStream(data []byte, ops []operand, raw []byte, res types.Dict) *types.StreamDict {
	d := types.Dict{"Type": types.Name("XObject"), "Subtype": types.Name("Image")}
	for i := 0; i+1 < len(ops); i += 2 {
		if ops[i].tok.kind != tName {
			return nil
		}
		k := nameString(data[ops[i].tok.start:ops[i].tok.end])
		if full, ok := inlineKeys[k]; ok {
			k = full
		}
		v := inlineValue(data, &ops[i+1], 0)
		if v == nil {
			return nil
		}
		d[k] = v
	}
	delete(d, "Length")
	if cs, ok := d["ColorSpace"].(types.Name); ok && r.components(cs) == 0 && cs != "Indexed" {
		// A colour space named in the resources.
		named := r.resolve(r.dict(res["ColorSpace"])[string(cs)])
		if named == nil {
			return nil
		}
		d["ColorSpace"] = named
	}
	var fs []types.PDFFilter
	parms := func(i int) types.Dict {
		switch p := r.resolve(d["DecodeParms"]).(type) {
		case types.Dict:
			if i == 0 {
				return p
			}
		case types.Array:
			if i < len(p) {
				pd, _ := r.resolve(p[i]).(types.Dict)
				return pd
			}
		}
		return nil
	}
	switch f := d["Filter"].(type) {
	case nil:
	case types.Name:
		fs = append(fs, types.PDFFilter{Name: string(f), DecodeParms: parms(0)})
	case types.Array:
		for i, e := range f {
			n, ok := e.(types.Name)
			if !ok {
				return nil
			}
			fs = append(fs, types.PDFFilter{Name: string(n), DecodeParms: parms(i)})
		}
	default:
		return nil
	}
	sd := types.NewStreamDict(d, 0, nil, nil, fs)
	sd.Raw = raw
	return &sd
}

// inlineValue converts an operand of an inline image's dictionary into
// an object, abbreviated names expanded (the keys of a nested dictionary
// are not abbreviations).
func inlineValue(data []byte, o *operand, depth int) types.Object {
	s := data[o.tok.start:o.tok.end]
	switch o.tok.kind {
	case tName:
		n := nameString(s)
		if full, ok := inlineNames[n]; ok && depth < 2 {
			n = full
		}
		return types.Name(n)
	case tNum:
		if bytes.IndexByte(s, '.') < 0 {
			if i, err := strconv.Atoi(string(s)); err == nil {
				return types.Integer(i)
			}
		}
		return types.Float(o.num)
	case tStr:
		if len(s) < 2 {
			return nil
		}
		return types.StringLiteral(string(s[1 : len(s)-1]))
	case tHex:
		if len(s) < 2 {
			return nil
		}
		return types.HexLiteral(string(bytes.Join(bytes.Fields(s[1:len(s)-1]), nil)))
	case tArrOpen:
		a := types.Array{}
		for k := range o.arr {
			v := inlineValue(data, &o.arr[k], depth+1)
			if v == nil {
				return nil
			}
			a = append(a, v)
		}
		return a
	case tDictOpen:
		d := types.Dict{}
		for k := 0; k+1 < len(o.dict); k += 2 {
			if o.dict[k].tok.kind != tName {
				return nil
			}
			v := inlineValue(data, &o.dict[k+1], 2)
			if v == nil {
				return nil
			}
			d[nameString(data[o.dict[k].tok.start:o.dict[k].tok.end])] = v
		}
		return d
	case tOp, tJunk:
		switch string(s) {
		case "true":
			return types.Boolean(true)
		case "false":
			return types.Boolean(false)
		}
	}
	return nil
}

// inlineXObject writes an inline image OCR read text on (sd, drawn with
// ctm; start..end its BI … EI) as an image XObject drawn in its place —
// both draw the unit square in the CTM — its pixels blanked under the
// boxes under (streamOut.image has dropped an image inside a box). It
// reports whether the drawing changed (always).
func (o *streamOut) inlineXObject(in *interp, ctm matrix, under []quad, start, end int, sd *types.StreamDict) (bool, error) {
	rw := in.rw
	var ref types.IndirectRef
	if len(under) > 0 {
		var err error
		if ref, err = rw.d.blankImage(sd, ctm, under); err != nil {
			return false, in.fail(redactors.ErrUninspectable, "an inline image under a redaction box cannot be blanked (%v)", err)
		}
		if ref.ObjectNumber != 0 {
			rw.blankedImages++
		}
	}
	if ref.ObjectNumber == 0 {
		ref = rw.d.addStream(sd.Dict.Clone().(types.Dict), append([]byte(nil), sd.Raw...))
	}
	o.draw(in, ref, start, end)
	return true, nil
}
