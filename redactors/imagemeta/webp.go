package imagemeta

import "encoding/binary"

// VP8X flags (WebP container specification).
const (
	webpFlagICC  = 0x20
	webpFlagEXIF = 0x08
	webpFlagXMP  = 0x04
)

type riffChunk struct {
	id   string
	data []byte
}

// riffChunks splits the chunks of a RIFF payload.
func riffChunks(b []byte) ([]riffChunk, error) {
	var out []riffChunk
	for i := 0; i < len(b); {
		if i+8 > len(b) {
			return nil, corrupt(WebP, "truncated chunk")
		}
		n := binary.LittleEndian.Uint32(b[i+4:])
		if uint64(n) > uint64(len(b)-i-8) {
			return nil, corrupt(WebP, "chunk length")
		}
		out = append(out, riffChunk{string(b[i : i+4]), b[i+8 : i+8+int(n)]})
		i += 8 + int(n) + int(n&1)
	}
	return out, nil
}

func appendChunk(out []byte, id string, data []byte) []byte {
	out = append(out, id...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(data)))
	out = append(out, data...)
	if len(data)&1 == 1 {
		out = append(out, 0)
	}
	return out
}

func stripWebP(b []byte, rm Removed) ([]byte, error) {
	if len(b) < 12 {
		return nil, corrupt(WebP, "truncated header")
	}
	size := binary.LittleEndian.Uint32(b[4:])
	if size < 4 || uint64(size) > uint64(len(b)-8) {
		return nil, corrupt(WebP, "RIFF size")
	}
	if uint64(size)+8 < uint64(len(b)) {
		rm["trailing data"]++
	}
	chunks, err := riffChunks(b[12 : 8+size])
	if err != nil {
		return nil, err
	}
	if len(chunks) == 0 {
		return nil, corrupt(WebP, "no image")
	}
	out := make([]byte, 12, len(b))
	copy(out, "RIFF\x00\x00\x00\x00WEBP")
	for k, c := range chunks {
		switch c.id {
		case "VP8X":
			if k != 0 || len(c.data) < 10 {
				return nil, corrupt(WebP, "VP8X")
			}
			d := append([]byte(nil), c.data...)
			d[0] &^= webpFlagICC | webpFlagEXIF | webpFlagXMP
			out = appendChunk(out, c.id, d)
		case "VP8 ", "VP8L", "ALPH", "ANIM":
			out = appendChunk(out, c.id, c.data)
		case "ANMF":
			if len(c.data) < 16 {
				return nil, corrupt(WebP, "animation frame")
			}
			sub, err := riffChunks(c.data[16:])
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				if s.id != "ALPH" && s.id != "VP8 " && s.id != "VP8L" {
					return nil, unsupported(WebP, "animation frame with unknown chunks")
				}
			}
			out = appendChunk(out, c.id, c.data)
		case "ICCP":
			rm["ICC profile"]++
		case "EXIF":
			rm["EXIF"]++
		case "XMP ":
			rm["XMP"]++
		default:
			rm["other metadata"]++
		}
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}

// blankWebP writes a lossless (VP8L) image of w×h white pixels. Every
// prefix code has a single symbol, so the pixels take no bits at all
// (WebP lossless bitstream specification, "simple code length code").
func blankWebP(w, h int) ([]byte, error) {
	if w < 1 || h < 1 || w > 1<<14 || h > 1<<14 {
		return nil, unsupported(WebP, "size beyond the lossless format")
	}
	var bw bitWriter
	bw.write(0x2F, 8) // signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	bw.write(0, 1) // alpha is not used
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	// Green, red, blue, alpha: one 8-bit symbol, 255. Distance: symbol 0.
	for k := 0; k < 4; k++ {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of 8 bits
		bw.write(255, 8)
	}
	bw.write(1, 1)
	bw.write(0, 1)
	bw.write(0, 1) // of 1 bit
	bw.write(0, 1)
	data := bw.bytes()
	out := []byte("RIFF\x00\x00\x00\x00WEBP")
	out = appendChunk(out, "VP8L", data)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}

// bitWriter writes bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf  []byte
	acc  uint64
	nacc uint
}

func (b *bitWriter) write(v uint32, n uint) {
	b.acc |= uint64(v) << b.nacc
	b.nacc += n
	for b.nacc >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.nacc -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.nacc > 0 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc, b.nacc = 0, 0
	}
	return b.buf
}
