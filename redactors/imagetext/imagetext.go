// Package imagetext reads the text an image file carries besides its
// pixels: EXIF tags (ASCII, UTF-16 "XP" tags, user comments, GPS), XMP
// packets, IPTC datasets, JPEG comments and unknown application segments,
// PNG text chunks (tEXt, zTXt, iTXt), GIF comments, plain-text and
// application extensions, WebP EXIF and XMP chunks, TIFF tags, and bytes
// after the end of the image. It is the verify step's independent reading
// of image metadata: it shares no code with redactors/imagemeta, which
// strips these places, nor with the decoders, so that what the stripper
// misses, this reader still reads (issue 13).
//
// It walks the containers with its own bounds-checked parsers, never
// panics on malformed input, runs in time linear in the input, and
// inflates compressed text at most MaxInflate bytes a file. Unknown
// formats give no fields (their readers refuse them).
package imagetext

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/xml"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Field is one text of an image's metadata.
type Field struct {
	// Kind says where it was read ("EXIF", "XMP", "IPTC", "JPEG comment",
	// "PNG text", …): structural, never image content.
	Kind string
	// Text is the field's text, valid UTF-8.
	Text string
}

// MaxInflate bounds the bytes inflated from compressed chunks of one file.
const MaxInflate = 16 << 20

// Read returns the metadata texts of data, an image file.
func Read(data []byte) []Field {
	r := &reader{left: MaxInflate}
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		r.jpeg(data)
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		r.png(data[8:])
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		r.gif(data)
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		r.tiff(data, "TIFF")
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		r.webp(data[12:])
	}
	return r.out
}

type reader struct {
	out  []Field
	left int // bytes that may still be inflated
}

func (r *reader) add(kind, text string) {
	text = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(text, "\x00", " "), " "))
	if text != "" {
		r.out = append(r.out, Field{Kind: kind, Text: text})
	}
}

// runs adds the printable runs of b of four characters or more, a line
// each: what a reader of unknown bytes makes of them.
func (r *reader) runs(kind string, b []byte) {
	var lines []string
	start := -1
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] >= 0x20 && b[i] < 0x7F {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 4 {
			lines = append(lines, string(b[start:i]))
		}
		start = -1
	}
	r.add(kind, strings.Join(lines, "\n"))
}

// inflate returns the zlib data of b, at most what is left to inflate.
func (r *reader) inflate(b []byte) []byte {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(zr, int64(r.left)))
	r.left -= len(out)
	return out
}

// jpeg walks the markers of a JPEG, the scans skipped.
func (r *reader) jpeg(b []byte) {
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			// Entropy-coded data: to the next marker that is not a
			// stuffed byte or a restart.
			for i+1 < len(b) && !(b[i] == 0xFF && b[i+1] != 0 && b[i+1] != 0xFF && (b[i+1] < 0xD0 || b[i+1] > 0xD7)) {
				i++
			}
			if i+1 >= len(b) {
				return
			}
		}
		m := b[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0xD9: // end of image
			if tail := b[i+2:]; len(tail) > 0 {
				r.runs("bytes after the image", tail)
			}
			return
		case m == 0x01 || m >= 0xD0 && m <= 0xD8:
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			r.runs("JPEG segment", b[i+2:])
			return
		}
		p := b[i+4 : i+2+n]
		switch {
		case m == 0xE1 && bytes.HasPrefix(p, []byte("Exif\x00")):
			if len(p) > 6 {
				r.tiff(p[6:], "EXIF")
			}
		case m == 0xE1 && bytes.HasPrefix(p, []byte("http://ns.adobe.com/")):
			if k := bytes.IndexByte(p, 0); k >= 0 {
				r.xmp(p[k+1:])
			}
		case m == 0xED:
			r.photoshop(p)
		case m == 0xFE:
			r.add("JPEG comment", string(p))
		case m == 0xE0 && bytes.HasPrefix(p, []byte("JFIF\x00")) && len(p) == 14:
			// JFIF without a thumbnail: version, density.
		case m == 0xEE && bytes.HasPrefix(p, []byte("Adobe")) && len(p) == 12:
			// Adobe colour transform flags.
		case m >= 0xE0 && m <= 0xEF:
			r.runs("JPEG application segment", p)
		}
		i += 2 + n
	}
}

// photoshop reads the image resources of an APP13 segment: IPTC records
// (resource 0x0404) dataset by dataset, other resources as runs.
func (r *reader) photoshop(p []byte) {
	k := bytes.IndexByte(p, 0)
	if k < 0 {
		r.runs("Photoshop resources", p)
		return
	}
	b := p[k+1:]
	for len(b) >= 12 && string(b[:4]) == "8BIM" {
		id := binary.BigEndian.Uint16(b[4:])
		nl := int(b[6])
		off := 7 + nl
		if off%2 == 1 {
			off++
		}
		if off+4 > len(b) {
			break
		}
		size := int(binary.BigEndian.Uint32(b[off:]))
		off += 4
		if size < 0 || off+size > len(b) {
			r.runs("Photoshop resources", b)
			return
		}
		data := b[off : off+size]
		if id == 0x0404 {
			r.iptc(data)
		} else {
			r.runs("Photoshop resources", data)
		}
		off += size
		if off%2 == 1 {
			off++
		}
		if off > len(b) {
			break
		}
		b = b[off:]
	}
}

// iptc reads IPTC-IIM datasets (0x1C, record, dataset, size, value).
func (r *reader) iptc(b []byte) {
	var lines []string
	for len(b) >= 5 && b[0] == 0x1C {
		n := int(binary.BigEndian.Uint16(b[3:]))
		if n&0x8000 != 0 || 5+n > len(b) {
			break
		}
		if b[1] == 2 && b[2] != 0 { // application record, not its version
			lines = append(lines, string(b[5:5+n]))
		}
		b = b[5+n:]
	}
	r.add("IPTC", strings.Join(lines, "\n"))
	if len(b) > 0 {
		r.runs("IPTC", b)
	}
}

// xmp reads an XMP packet: the character data and the attribute values
// of its elements (XMP writes properties either way), namespace
// declarations and rdf:about left out; a packet that does not parse is
// read as runs.
func (r *reader) xmp(b []byte) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	var lines []string
	for {
		tok, err := dec.Token()
		if err != nil {
			if err != io.EOF {
				r.runs("XMP", b)
				return
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Local == "about" || a.Name.Local == "lang" {
					continue
				}
				if v := strings.TrimSpace(a.Value); v != "" {
					lines = append(lines, v)
				}
			}
		case xml.CharData:
			if v := strings.TrimSpace(string(t)); v != "" {
				lines = append(lines, v)
			}
		}
	}
	r.add("XMP", strings.Join(lines, "\n"))
}

// TIFF field types and tags read specially.
const (
	tiffByte      = 1
	tiffASCII     = 2
	tiffUndefined = 7
)

// tiff reads every IFD of a TIFF structure (a TIFF file, EXIF): ASCII
// tags, the UTF-16 XP tags, the user comment, XMP and IPTC tags, the EXIF,
// GPS and interoperability IFDs and the next-IFD chain.
func (r *reader) tiff(b []byte, kind string) {
	if len(b) < 8 {
		return
	}
	var o binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		o = binary.LittleEndian
	case "MM":
		o = binary.BigEndian
	default:
		return
	}
	seen := map[uint32]bool{}
	queue := []uint32{o.Uint32(b[4:])}
	var lines []string
	for len(queue) > 0 && len(seen) < 256 {
		off := queue[0]
		queue = queue[1:]
		if off == 0 || seen[off] || int64(off)+2 > int64(len(b)) {
			continue
		}
		seen[off] = true
		n := int(o.Uint16(b[off:]))
		base := int(off) + 2
		if base+12*n+4 > len(b) {
			n = (len(b) - base) / 12
		}
		for k := 0; k < n; k++ {
			e := b[base+12*k:]
			tag, typ, count := o.Uint16(e), o.Uint16(e[2:]), o.Uint32(e[4:])
			if tag == 0x8769 || tag == 0x8825 || tag == 0xA005 { // EXIF, GPS, interoperability IFDs
				queue = append(queue, o.Uint32(e[8:]))
				continue
			}
			if typ != tiffASCII && typ != tiffByte && typ != tiffUndefined || count == 0 {
				continue
			}
			v := e[8:12]
			if count > 4 {
				at := o.Uint32(e[8:])
				if int64(at)+int64(count) > int64(len(b)) {
					continue
				}
				v = b[at : at+count]
			} else {
				v = v[:count]
			}
			switch {
			case tag == 0x02BC: // XMP
				r.xmp(v)
			case tag == 0x83BB: // IPTC
				r.iptc(v)
			case tag >= 0x9C9B && tag <= 0x9C9F: // XPTitle…XPSubject, UTF-16LE
				lines = append(lines, utf16LE(v))
			case tag == 0x9286 && len(v) >= 8: // user comment, 8-byte charset code
				if bytes.HasPrefix(v, []byte("UNICODE\x00")) {
					if o == binary.LittleEndian {
						lines = append(lines, utf16LE(v[8:]))
					} else {
						lines = append(lines, utf16BE(v[8:]))
					}
				} else {
					lines = append(lines, string(v[8:]))
				}
			case typ == tiffASCII:
				lines = append(lines, string(v))
			case tag == 0x8773: // ICC profile
			case len(v) > 8:
				r.runs(kind, v)
			}
		}
		if base+12*n+4 <= len(b) {
			queue = append(queue, o.Uint32(b[base+12*n:]))
		}
	}
	r.add(kind, strings.Join(lines, "\n"))
}

func utf16LE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func utf16BE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// png walks the chunks after the signature.
func (r *reader) png(b []byte) {
	for len(b) >= 12 {
		n := int(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		if n < 0 || 12+n > len(b) {
			r.runs("PNG chunk", b[8:])
			return
		}
		d := b[8 : 8+n]
		switch typ {
		case "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "cICP", "mDCv", "cLLi", "sBIT", "bKGD", "pHYs", "hIST", "acTL", "fcTL", "fdAT":
		case "tEXt":
			r.add("PNG text", string(bytes.Replace(d, []byte{0}, []byte{'\n'}, 1)))
		case "zTXt":
			if k := bytes.IndexByte(d, 0); k >= 0 && k+2 <= len(d) {
				r.add("PNG text", string(d[:k])+"\n"+latin1(r.inflate(d[k+2:])))
			}
		case "iTXt":
			r.itxt(d)
		case "eXIf":
			r.tiff(d, "EXIF")
		case "iCCP":
			if k := bytes.IndexByte(d, 0); k >= 0 {
				r.add("PNG ICC profile name", latin1(d[:k]))
			}
		default:
			r.runs("PNG chunk", d)
		}
		if typ == "IEND" {
			if tail := b[12+n:]; len(tail) > 0 {
				r.runs("bytes after the image", tail)
			}
			return
		}
		b = b[12+n:]
	}
}

// itxt reads an international text chunk: keyword, compression flag and
// method, language tag, translated keyword, text.
func (r *reader) itxt(d []byte) {
	k := bytes.IndexByte(d, 0)
	if k < 0 || k+3 > len(d) {
		r.runs("PNG text", d)
		return
	}
	key, compressed, rest := d[:k], d[k+1] == 1, d[k+3:]
	f := bytes.SplitN(rest, []byte{0}, 3)
	if len(f) < 3 {
		r.runs("PNG text", d)
		return
	}
	text := f[2]
	if compressed {
		text = r.inflate(text)
	}
	if bytes.Equal(key, []byte("XML:com.adobe.xmp")) {
		r.xmp(text)
		return
	}
	r.add("PNG text", string(key)+"\n"+string(f[0])+"\n"+string(f[1])+"\n"+string(text))
}

func latin1(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}

// gif walks the blocks of a GIF.
func (r *reader) gif(b []byte) {
	if len(b) < 13 {
		return
	}
	i := 13
	if b[10]&0x80 != 0 { // global colour table
		i += 3 << (int(b[10]&7) + 1)
	}
	subs := func(i int) ([]byte, int) {
		var out []byte
		for i < len(b) {
			n := int(b[i])
			i++
			if n == 0 {
				return out, i
			}
			if i+n > len(b) {
				return append(out, b[i:]...), len(b)
			}
			out = append(out, b[i:i+n]...)
			i += n
		}
		return out, i
	}
	for i < len(b) {
		switch b[i] {
		case 0x3B: // trailer
			if tail := b[i+1:]; len(tail) > 0 {
				r.runs("bytes after the image", tail)
			}
			return
		case 0x2C: // image: descriptor, local table, LZW data
			if i+10 > len(b) {
				return
			}
			j := i + 10
			if b[i+9]&0x80 != 0 {
				j += 3 << (int(b[i+9]&7) + 1)
			}
			_, i = subs(j + 1)
		case 0x21:
			if i+2 > len(b) {
				return
			}
			label := b[i+1]
			data, next := subs(i + 2)
			switch label {
			case 0xFE:
				r.add("GIF comment", latin1(data))
			case 0x01:
				if len(data) > 12 {
					r.add("GIF plain text", latin1(data[12:]))
				}
			case 0xFF:
				if len(data) >= 11 && (string(data[:11]) == "NETSCAPE2.0" || string(data[:11]) == "ANIMEXTS1.0") {
					break
				}
				if len(data) >= 11 && string(data[:11]) == "XMP DataXMP" {
					// XMP's sub-block lengths are the packet's own bytes:
					// the packet is the raw bytes after the identifier,
					// to its end (a 258-byte trailer follows).
					raw := b[min(i+3+11, next):next]
					if k := bytes.Index(raw, []byte("<?xpacket end")); k >= 0 {
						if e := bytes.Index(raw[k:], []byte("?>")); e >= 0 {
							raw = raw[:k+e+2]
						}
					}
					r.xmp(raw)
					break
				}
				r.runs("GIF application extension", data)
			}
			i = next
		default:
			r.runs("GIF block", b[i:])
			return
		}
	}
}

// webp walks the chunks of a RIFF WebP file.
func (r *reader) webp(b []byte) {
	for len(b) >= 8 {
		typ := string(b[:4])
		n := int(binary.LittleEndian.Uint32(b[4:]))
		if n < 0 || 8+n > len(b) {
			r.runs("WebP chunk", b[8:])
			return
		}
		d := b[8 : 8+n]
		switch typ {
		case "VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF":
		case "EXIF":
			if bytes.HasPrefix(d, []byte("Exif\x00\x00")) {
				d = d[6:]
			}
			r.tiff(d, "EXIF")
		case "XMP ":
			r.xmp(d)
		default:
			r.runs("WebP chunk", d)
		}
		adv := 8 + n + n%2
		if adv > len(b) {
			return
		}
		b = b[adv:]
	}
}
