// Package imagetest writes small images that carry a secret in every kind
// of metadata their format has, for the tests of every format that holds
// images (imagemeta itself, DOCX media, PDF image XObjects). The images are
// built here byte by byte from the specifications, so a test's judge
// (exiftool, raw bytes) reads them independently of the code under test.
//
// Each generator puts the secret (an invented name) into the metadata
// only, never into the pixels, and returns the image and the strings that
// must not survive stripping.
package imagetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"unicode/utf16"
)

// Picture is a 16×12 image with a diagonal gradient: pixels that are not
// blank, so a test can tell a stripped image (same pixels) from a blank one.
func Picture() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for y := 0; y < 12; y++ {
		for x := 0; x < 16; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 20), 128, 255})
		}
	}
	return img
}

// ifdEntry is one TIFF directory entry. A value longer than 4 bytes is
// written after the directory; sub >= 0 makes the entry a LONG pointer to
// directory sub.
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
	sub      int
}

func ascii(tag uint16, s string) ifdEntry {
	return ifdEntry{tag: tag, typ: 2, count: uint32(len(s) + 1), data: append([]byte(s), 0), sub: -1}
}

func short(tag uint16, v uint16) ifdEntry {
	return ifdEntry{tag: tag, typ: 3, count: 1, data: binary.LittleEndian.AppendUint16(nil, v), sub: -1}
}

func long(tag uint16, v uint32) ifdEntry {
	return ifdEntry{tag: tag, typ: 4, count: 1, data: binary.LittleEndian.AppendUint32(nil, v), sub: -1}
}

func rationals(tag uint16, v ...uint32) ifdEntry {
	var d []byte
	for _, x := range v {
		d = binary.LittleEndian.AppendUint32(d, x)
		d = binary.LittleEndian.AppendUint32(d, 1)
	}
	return ifdEntry{tag: tag, typ: 5, count: uint32(len(v)), data: d, sub: -1}
}

// tiffFile writes a little-endian TIFF structure: the directories in order
// (the first is IFD0, the others are reached by pointer entries), each
// followed by its long values, then tail, whose offset replaces the value
// of every entry with tag tailTag.
func tiffFile(ifds [][]ifdEntry, tail []byte, tailTag uint16) []byte {
	le := binary.LittleEndian
	// Offsets of the directories first: each is 2 + 12n + 4 bytes plus its
	// long values (padded to even).
	offs := make([]int, len(ifds))
	at := 8
	for k, ifd := range ifds {
		offs[k] = at
		at += 2 + 12*len(ifd) + 4
		for _, e := range ifd {
			if len(e.data) > 4 {
				at += len(e.data) + len(e.data)&1
			}
		}
	}
	tailAt := at
	out := []byte("II*\x00")
	out = le.AppendUint32(out, 8)
	for k, ifd := range ifds {
		dataAt := offs[k] + 2 + 12*len(ifd) + 4
		var data []byte
		out = le.AppendUint16(out, uint16(len(ifd)))
		for _, e := range ifd {
			out = le.AppendUint16(out, e.tag)
			out = le.AppendUint16(out, e.typ)
			out = le.AppendUint32(out, e.count)
			switch {
			case e.sub >= 0:
				out = le.AppendUint32(out, uint32(offs[e.sub]))
			case e.tag == tailTag && tail != nil:
				out = le.AppendUint32(out, uint32(tailAt))
			case len(e.data) > 4:
				out = le.AppendUint32(out, uint32(dataAt+len(data)))
				data = append(data, e.data...)
				if len(e.data)&1 == 1 {
					data = append(data, 0)
				}
			default:
				v := make([]byte, 4)
				copy(v, e.data)
				out = append(out, v...)
			}
		}
		out = le.AppendUint32(out, 0) // no next directory
		out = append(out, data...)
	}
	return append(out, tail...)
}

// EXIF returns a TIFF structure for an APP1 or eXIf block: the secret as
// image description, artist, copyright and (UTF-16) XP author, and a GPS
// position.
func EXIF(secret string) []byte {
	var xp []byte
	for _, u := range utf16.Encode([]rune(secret)) {
		xp = binary.LittleEndian.AppendUint16(xp, u)
	}
	xp = append(xp, 0, 0)
	ifd0 := []ifdEntry{
		ascii(0x010E, "Portrait of "+secret),
		ascii(0x013B, secret),
		ascii(0x8298, "(c) "+secret),
		{tag: 0x8825, typ: 4, count: 1, sub: 1},
		{tag: 0x9C9D, typ: 1, count: uint32(len(xp)), data: xp, sub: -1},
	}
	gps := []ifdEntry{
		{tag: 0x0000, typ: 1, count: 4, data: []byte{2, 3, 0, 0}, sub: -1},
		ascii(0x0001, "N"),
		rationals(0x0002, 45, 31, 12),
		ascii(0x0003, "W"),
		rationals(0x0004, 122, 40, 30),
	}
	return tiffFile([][]ifdEntry{ifd0, gps}, nil, 0)
}

// XMP returns an XMP packet naming the secret as creator and description.
func XMP(secret string) []byte {
	return []byte(`<?xpacket begin="` + "\uFEFF" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		`<dc:creator><rdf:Seq><rdf:li>` + secret + `</rdf:li></rdf:Seq></dc:creator>` +
		`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Referral letter of ` + secret + `</rdf:li></rdf:Alt></dc:description>` +
		`</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
}

// iptc returns a Photoshop image resource block holding IPTC-IIM by-line
// (2:80) and caption (2:120) records.
func iptc(secret string) []byte {
	rec := func(ds byte, v string) []byte {
		b := []byte{0x1C, 2, ds}
		b = binary.BigEndian.AppendUint16(b, uint16(len(v)))
		return append(b, v...)
	}
	data := append(rec(80, secret), rec(120, "Photo of "+secret)...)
	b := []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00")
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)&1 == 1 {
		b = append(b, 0)
	}
	return b
}

// ICC returns a small ICC colour profile (version 2) whose description tag
// names the secret.
func ICC(secret string) []byte {
	be := binary.BigEndian
	text := "Profile of " + secret
	desc := []byte("desc\x00\x00\x00\x00")
	desc = be.AppendUint32(desc, uint32(len(text)+1))
	desc = append(append(desc, text...), 0)
	desc = append(desc, make([]byte, 4+4+2+1+67)...) // no Unicode or ScriptCode text
	const tagAt = 128 + 4 + 12
	size := tagAt + len(desc)
	h := be.AppendUint32(nil, uint32(size))
	h = append(h, "none"...)
	h = be.AppendUint32(h, 0x02100000)
	h = append(h, "mntrRGB XYZ "...)
	h = append(h, make([]byte, 12)...) // date
	h = append(h, "acsp"...)
	h = append(h, make([]byte, 128-len(h))...)
	h = be.AppendUint32(h, 1)
	h = append(h, "desc"...)
	h = be.AppendUint32(h, tagAt)
	h = be.AppendUint32(h, uint32(len(desc)))
	return append(h, desc...)
}

func segment(m byte, payload []byte) []byte {
	b := []byte{0xFF, m}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// JPEG returns a JPEG whose EXIF (with GPS), XMP, IPTC, ICC profile
// description, comment, JFIF thumbnail and trailing bytes carry the secret.
func JPEG(secret string) (data []byte, secrets []string) {
	var base bytes.Buffer
	if err := jpeg.Encode(&base, Picture(), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	b := base.Bytes()
	// jpeg.Encode writes SOI and then the tables; metadata goes after SOI.
	// A JFIF header with a 1×1 thumbnail whose "pixels" spell nothing, then
	// the rest.
	jfif := []byte("JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x01\x01\x10\x20\x30")
	icc := append([]byte("ICC_PROFILE\x00\x01\x01"), ICC(secret)...)
	var out []byte
	out = append(out, 0xFF, 0xD8)
	out = append(out, segment(0xE0, jfif)...)
	out = append(out, segment(0xE1, append([]byte("Exif\x00\x00"), EXIF(secret)...))...)
	out = append(out, segment(0xE1, append([]byte("http://ns.adobe.com/xap/1.0/\x00"), XMP(secret)...))...)
	out = append(out, segment(0xE2, icc)...)
	out = append(out, segment(0xED, iptc(secret))...)
	out = append(out, segment(0xFE, []byte("scanned for "+secret))...)
	out = append(out, b[2:]...)
	out = append(out, "trailing "+secret...)
	return out, []string{secret}
}

func chunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

func deflate(s []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(s)
	w.Close()
	return b.Bytes()
}

// PNG returns a PNG whose tEXt, zTXt (compressed), iTXt (XMP, and a
// compressed comment), eXIf, iCCP, tIME, a private chunk and trailing bytes
// carry the secret.
func PNG(secret string) (data []byte, secrets []string) {
	var base bytes.Buffer
	if err := png.Encode(&base, Picture()); err != nil {
		panic(err)
	}
	b := base.Bytes()
	ihdrEnd := 8 + 12 + 13
	var meta []byte
	meta = append(meta, chunk("iCCP", append([]byte("profile\x00\x00"), deflate(ICC(secret))...))...)
	meta = append(meta, chunk("tEXt", []byte("Author\x00"+secret))...)
	meta = append(meta, chunk("zTXt", append([]byte("Description\x00\x00"), deflate([]byte("Scan of "+secret))...))...)
	meta = append(meta, chunk("iTXt", append([]byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"), XMP(secret)...))...)
	meta = append(meta, chunk("iTXt", append([]byte("Comment\x00\x01\x00en\x00Comment\x00"), deflate([]byte("for "+secret))...))...)
	meta = append(meta, chunk("eXIf", EXIF(secret))...)
	meta = append(meta, chunk("tIME", []byte{0x07, 0xE8, 3, 14, 10, 0, 0})...)
	meta = append(meta, chunk("prVt", []byte(secret))...)
	out := append(append(append([]byte(nil), b[:ihdrEnd]...), meta...), b[ihdrEnd:]...)
	return append(out, secret...), []string{secret}
}

// GIF returns a GIF whose comment, plain-text, XMP and unknown application
// extensions and trailing bytes carry the secret.
func GIF(secret string) (data []byte, secrets []string) {
	var base bytes.Buffer
	if err := gif.Encode(&base, Picture(), nil); err != nil {
		panic(err)
	}
	b := base.Bytes()
	sub := func(s []byte) []byte { // data sub-blocks
		var out []byte
		for len(s) > 0 {
			n := min(len(s), 255)
			out = append(out, byte(n))
			out = append(out, s[:n]...)
			s = s[n:]
		}
		return append(out, 0)
	}
	var ext []byte
	ext = append(append(ext, 0x21, 0xFE), sub([]byte("Scan of "+secret))...)
	pt := append([]byte{12, 0, 0, 0, 0, 16, 0, 12, 0, 8, 8, 0, 1}, sub([]byte(secret))...)
	ext = append(append(ext, 0x21, 0x01), pt...)
	// XMP is written raw, then a "magic trailer" of 257 bytes that makes
	// readers that walk sub-blocks skip it (XMP specification part 3).
	ext = append(append(ext, 0x21, 0xFF, 11), "XMP DataXMP"...)
	ext = append(ext, XMP(secret)...)
	ext = append(ext, 1)
	for v := 255; v >= 0; v-- {
		ext = append(ext, byte(v))
	}
	ext = append(ext, 0)
	ext = append(append(ext, 0x21, 0xFF, 11), "VEILTEST1.0"...)
	ext = append(ext, sub([]byte(secret))...)
	// before the trailer
	out := append(append(append([]byte(nil), b[:len(b)-1]...), ext...), 0x3B)
	return append(out, secret...), []string{secret}
}

// vp8l returns the VP8L chunk of a w×h lossless image of one grey level:
// every prefix code has a single symbol, so the pixels take no bits.
func vp8l(w, h int, grey byte) []byte {
	var acc uint64
	var n uint
	var out []byte
	put := func(v uint64, bits uint) {
		acc |= v << n
		n += bits
		for n >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			n -= 8
		}
	}
	put(0x2F, 8)
	put(uint64(w-1), 14)
	put(uint64(h-1), 14)
	put(0, 1+3+1+1+1) // no alpha, version 0, no transform, no cache, no meta codes
	for _, v := range []byte{grey, grey, grey, 255} {
		put(1, 1)
		put(0, 1)
		put(1, 1)
		put(uint64(v), 8)
	}
	put(1, 1)
	put(0, 1)
	put(0, 1)
	put(0, 1)
	if n > 0 {
		out = append(out, byte(acc))
	}
	b := append([]byte("VP8L"), binary.LittleEndian.AppendUint32(nil, uint32(len(out)))...)
	b = append(b, out...)
	if len(out)&1 == 1 {
		b = append(b, 0)
	}
	return b
}

// WebP returns an extended WebP (VP8X) of 16×12 grey pixels whose ICCP,
// EXIF, XMP and unknown chunks and trailing bytes carry the secret.
func WebP(secret string) (data []byte, secrets []string) {
	le := binary.LittleEndian
	const w, h = 16, 12
	vp8x := []byte{0x20 | 0x08 | 0x04, 0, 0, 0}
	vp8x = append(vp8x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	riff := func(id string, d []byte) []byte {
		b := append([]byte(id), le.AppendUint32(nil, uint32(len(d)))...)
		b = append(b, d...)
		if len(d)&1 == 1 {
			b = append(b, 0)
		}
		return b
	}
	body := []byte("WEBP")
	body = append(body, riff("VP8X", vp8x)...)
	body = append(body, riff("ICCP", ICC(secret))...)
	body = append(body, vp8l(w, h, 0x80)...)
	body = append(body, riff("EXIF", EXIF(secret))...)
	body = append(body, riff("XMP ", XMP(secret))...)
	body = append(body, riff("NOTE", []byte(secret))...)
	out := append([]byte("RIFF"), le.AppendUint32(nil, uint32(len(body)))...)
	out = append(out, body...)
	return append(out, secret...), []string{secret}
}

// TIFF returns a one-page 8-bit greyscale TIFF (uncompressed, 16×12) whose
// description, artist, copyright, XMP and GPS directory carry the secret.
func TIFF(secret string) (data []byte, secrets []string) {
	pic := Picture()
	pix := make([]byte, 0, 16*12)
	for y := 0; y < 12; y++ {
		for x := 0; x < 16; x++ {
			r, _, _, _ := pic.At(x, y).RGBA()
			pix = append(pix, byte(r>>8))
		}
	}
	ifd0 := []ifdEntry{
		short(256, 16), short(257, 12), short(258, 8), short(259, 1), short(262, 1),
		ascii(270, "Scan of "+secret),
		long(273, 0), // strip offset: the tail
		short(277, 1), short(278, 12), long(279, uint32(len(pix))),
		ascii(315, secret),
		{tag: 700, typ: 1, count: uint32(len(XMP(secret))), data: XMP(secret), sub: -1},
		ascii(33432, "(c) "+secret),
		{tag: 34853, typ: 4, count: 1, sub: 1},
	}
	gps := []ifdEntry{ascii(0x0001, "N"), rationals(0x0002, 45, 31, 12)}
	return tiffFile([][]ifdEntry{ifd0, gps}, pix, 273), []string{secret}
}

// PNGOf encodes img as a PNG without metadata.
func PNGOf(img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}
