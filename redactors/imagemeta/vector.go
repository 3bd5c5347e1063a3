package imagemeta

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Vector formats hold drawing records, and text records draw text: Veil
// cannot read them as it reads a page, so they are never stripped, only
// blanked: a new picture with the same frame and no records.

// emfHead is what a blank EMF keeps of the original header (MS-EMF
// 2.3.4.2 EMR_HEADER): the bounds and frame, and the reference device.
type emfHead struct {
	bounds, frame [4]int32
	device, mm    [2]int32
}

func emfHeader(b []byte) (emfHead, error) {
	var h emfHead
	if len(b) < 88 {
		return h, corrupt(EMF, "truncated header")
	}
	le := binary.LittleEndian
	size := le.Uint32(b[4:])
	if size < 88 || uint64(size) > uint64(len(b)) {
		return h, corrupt(EMF, "header size")
	}
	for k := 0; k < 4; k++ {
		h.bounds[k] = int32(le.Uint32(b[8+4*k:]))
		h.frame[k] = int32(le.Uint32(b[24+4*k:]))
	}
	for k := 0; k < 2; k++ {
		h.device[k] = int32(le.Uint32(b[72+4*k:]))
		h.mm[k] = int32(le.Uint32(b[80+4*k:]))
	}
	if h.frame[2] <= h.frame[0] || h.frame[3] <= h.frame[1] || h.device[0] <= 0 || h.device[1] <= 0 || h.mm[0] <= 0 || h.mm[1] <= 0 {
		return h, corrupt(EMF, "empty frame")
	}
	return h, nil
}

// blankEMF writes a header (no description: the description string names
// the application and the picture) and the end-of-file record.
func blankEMF(b []byte) ([]byte, error) {
	h, err := emfHeader(b)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	out := make([]byte, 0, 108)
	u32 := func(v uint32) { out = le.AppendUint32(out, v) }
	u32(1)  // EMR_HEADER
	u32(88) // its size
	for _, v := range h.bounds {
		u32(uint32(v))
	}
	for _, v := range h.frame {
		u32(uint32(v))
	}
	u32(0x464D4520) // " EMF"
	u32(0x00010000) // version
	u32(88 + 20)    // bytes in the file
	u32(2)          // records
	out = le.AppendUint16(out, 1)
	out = le.AppendUint16(out, 0)
	u32(0) // description: none
	u32(0)
	u32(0) // palette entries
	u32(uint32(h.device[0]))
	u32(uint32(h.device[1]))
	u32(uint32(h.mm[0]))
	u32(uint32(h.mm[1]))
	u32(14) // EMR_EOF
	u32(20)
	u32(0)
	u32(16)
	u32(20)
	return out, nil
}

// wmfPlace is the placeable header of a WMF (the frame in logical units
// and their number per inch).
type wmfPlace struct {
	box  [4]int16
	inch uint16
}

func wmfPlaceable(b []byte) (wmfPlace, error) {
	var p wmfPlace
	if len(b) < 22 || !bytes.HasPrefix(b, []byte{0xD7, 0xCD, 0xC6, 0x9A}) {
		return p, unsupported(WMF, "no placeable header (the frame is unknown)")
	}
	le := binary.LittleEndian
	for k := 0; k < 4; k++ {
		p.box[k] = int16(le.Uint16(b[6+2*k:]))
	}
	p.inch = le.Uint16(b[14:])
	if p.box[2] <= p.box[0] || p.box[3] <= p.box[1] || p.inch == 0 {
		return p, corrupt(WMF, "empty frame")
	}
	return p, nil
}

// blankWMF writes a placeable header with the original frame, a header,
// the window origin and extent, and the end-of-file record.
func blankWMF(b []byte) ([]byte, error) {
	p, err := wmfPlaceable(b)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	var out []byte
	u16 := func(v uint16) { out = le.AppendUint16(out, v) }
	u32 := func(v uint32) { out = le.AppendUint32(out, v) }
	u32(0x9AC6CDD7)
	u16(0)
	for _, v := range p.box {
		u16(uint16(v))
	}
	u16(p.inch)
	u32(0)
	var sum uint16
	for k := 0; k < 10; k++ {
		sum ^= le.Uint16(out[2*k:])
	}
	u16(sum)
	const words = 9 + 5 + 5 + 3
	u16(1) // in memory
	u16(9) // header words
	u16(0x0300)
	u32(words)
	u16(0) // objects
	u32(5) // largest record, in words
	u16(0)
	u32(5) // META_SETWINDOWORG y, x
	u16(0x020B)
	u16(uint16(p.box[1]))
	u16(uint16(p.box[0]))
	u32(5) // META_SETWINDOWEXT height, width
	u16(0x020C)
	u16(uint16(p.box[3] - p.box[1]))
	u16(uint16(p.box[2] - p.box[0]))
	u32(3) // META_EOF
	u16(0)
	return out, nil
}

// looksSVG reports whether data starts like an SVG document.
func looksSVG(b []byte) bool {
	head := b[:min(len(b), 1024)]
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if !bytes.HasPrefix(head, []byte("<?xml")) && !bytes.HasPrefix(head, []byte("<svg")) && !bytes.HasPrefix(head, []byte("<!--")) {
		return false
	}
	return bytes.Contains(head, []byte("<svg"))
}

var (
	svgLength  = regexp.MustCompile(`^[0-9]{1,7}(\.[0-9]{1,6})?(px|pt|pc|mm|cm|in)?$`)
	svgViewBox = regexp.MustCompile(`^-?[0-9]{1,7}(\.[0-9]{1,6})?([ ,]+-?[0-9]{1,7}(\.[0-9]{1,6})?){3}$`)
)

type svgSize struct {
	width, height, viewBox string
	w, h                   int
}

// svgFrame reads the size attributes of the root element. Only values of
// the shapes above are kept: nothing else of the original reaches the
// blank picture.
func svgFrame(b []byte) (svgSize, error) {
	var s svgSize
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return s, corrupt(SVG, "no root element")
		}
		if err != nil {
			return s, corrupt(SVG, "XML")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return s, unsupported(SVG, "DTD")
		case xml.StartElement:
			if t.Name.Local != "svg" {
				return s, corrupt(SVG, "root is not svg")
			}
			for _, a := range t.Attr {
				v := strings.TrimSpace(a.Value)
				switch {
				case a.Name.Space != "":
				case a.Name.Local == "width" && svgLength.MatchString(v):
					s.width = v
				case a.Name.Local == "height" && svgLength.MatchString(v):
					s.height = v
				case a.Name.Local == "viewBox" && svgViewBox.MatchString(v):
					s.viewBox = v
				}
			}
			if s.width != "" && s.height != "" {
				s.w, s.h = svgNumber(s.width), svgNumber(s.height)
			} else if s.viewBox != "" {
				f := strings.FieldsFunc(s.viewBox, func(r rune) bool { return r == ' ' || r == ',' })
				s.w, s.h = svgNumber(f[2]), svgNumber(f[3])
			}
			if s.w <= 0 || s.h <= 0 {
				return s, unsupported(SVG, "no size")
			}
			return s, nil
		}
	}
}

func svgNumber(v string) int {
	v = strings.TrimRight(v, "pxtcmin")
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0
	}
	return int(f)
}

func blankSVG(b []byte) ([]byte, error) {
	s, err := svgFrame(b)
	if err != nil {
		return nil, err
	}
	var out strings.Builder
	out.WriteString(`<svg xmlns="http://www.w3.org/2000/svg"`)
	if s.width != "" && s.height != "" {
		out.WriteString(` width="` + s.width + `" height="` + s.height + `"`)
	}
	if s.viewBox != "" {
		out.WriteString(` viewBox="` + s.viewBox + `"`)
	}
	out.WriteString("/>\n")
	return []byte(out.String()), nil
}
