package pdf

import (
	"fmt"
	"sort"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"

	"github.com/veilhq/veil/redactors"
)

// Leaks implements redactors.LeakChecker: it decodes every string, name
// and stream of the file (images and font programs excepted: their bytes
// are pixels and outlines, and matching words in them finds noise) and
// reports the objects where find matches. The receiver must be the Document parsed from data.
func (d *Document) Leaks(data []byte, find func(string) bool) (where []string, err error) {
	stage := "leaks"
	defer catch(&err, &stage)
	x := d.ctx.XRefTable
	nrs := make([]int, 0, len(x.Table))
	for nr := range x.Table {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	// Font programs hold glyph outlines and the font's own notices, not
	// document text; like images they are not searched (fonts' names and
	// dictionaries are).
	fontFiles := map[int]bool{}
	for _, nr := range nrs {
		if e := x.Table[nr]; e != nil && !e.Free && e.Object != nil {
			if fd, ok := e.Object.(types.Dict); ok && d.r.name(fd["Type"]) == "FontDescriptor" {
				for _, k := range []string{"FontFile", "FontFile2", "FontFile3"} {
					if ref, ok := fd[k].(types.IndirectRef); ok {
						fontFiles[ref.ObjectNumber.Value()] = true
					}
				}
			}
		}
	}
	for _, nr := range nrs {
		e := x.Table[nr]
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		gen := 0
		if e.Generation != nil {
			gen = *e.Generation
		}
		o := d.r.resolve(*types.NewIndirectRef(nr, gen))
		hit := false
		var strs []string
		collectStrings(o, &strs, 0)
		for _, s := range strs {
			if find(s) {
				hit = true
				break
			}
		}
		if sd, ok := o.(types.StreamDict); ok && !hit && !fontFiles[nr] && !binaryStream(d.r, sd.Dict) {
			b, err := d.r.decode(&sd, 0)
			if err != nil {
				return nil, fmt.Errorf("pdf: object %d cannot be decoded for inspection: %w", nr, redactors.ErrUninspectable)
			}
			hit = find(string(b))
		}
		if hit {
			where = append(where, fmt.Sprintf("object %d", nr))
		}
	}
	return where, nil
}

// collectStrings appends the decoded text of every string and name in o.
func collectStrings(o types.Object, out *[]string, depth int) {
	if depth > 64 {
		return
	}
	switch v := o.(type) {
	case types.StringLiteral:
		b, err := types.Unescape(string(v))
		if err == nil {
			*out = append(*out, textString(b))
		}
		*out = append(*out, string(v))
	case types.HexLiteral:
		if b, err := v.Bytes(); err == nil {
			*out = append(*out, textString(b))
		}
	case types.Name:
		*out = append(*out, string(v))
	case types.Dict:
		for k, e := range v {
			*out = append(*out, k)
			collectStrings(e, out, depth+1)
		}
	case types.StreamDict:
		collectStrings(v.Dict, out, depth+1)
	case types.Array:
		for _, e := range v {
			collectStrings(e, out, depth+1)
		}
	}
}

// textString decodes a PDF text string: UTF-16 with a byte-order mark, or
// PDFDocEncoding (read as Windows-1252, which agrees on the letters).
func textString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}

// binaryStream reports streams whose bytes are not text a reader sees:
// images, ICC colour profiles (their notices name the profile's vendor),
// cross-reference and object streams.
func binaryStream(r *reader, d types.Dict) bool {
	if r.name(d["Subtype"]) == "Image" {
		return true
	}
	switch r.name(d["Type"]) {
	case "XRef", "ObjStm":
		return true
	}
	_, icc := d["N"]
	return icc && d["Subtype"] == nil
}
