package imagemeta

import "bytes"

// stripGIF keeps the header, colour tables, image blocks, graphic control
// extensions and the looping extension (GIF89a specification).
func stripGIF(b []byte, rm Removed) ([]byte, error) {
	if len(b) < 13 {
		return nil, corrupt(GIF, "truncated header")
	}
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << (b[10]&7 + 1)
	}
	if i > len(b) {
		return nil, corrupt(GIF, "truncated colour table")
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	// subBlocks returns the offset after the data sub-blocks starting at j.
	subBlocks := func(j int) (int, bool) {
		for j < len(b) {
			n := int(b[j])
			j++
			if n == 0 {
				return j, true
			}
			j += n
		}
		return 0, false
	}
	for {
		if i >= len(b) {
			return nil, corrupt(GIF, "no trailer")
		}
		switch b[i] {
		case 0x3B: // trailer
			out = append(out, 0x3B)
			if i+1 < len(b) {
				rm["trailing data"]++
			}
			return out, nil
		case 0x2C: // image descriptor, colour table, LZW code size, data
			j := i + 10
			if j > len(b) {
				return nil, corrupt(GIF, "truncated image descriptor")
			}
			if b[i+9]&0x80 != 0 {
				j += 3 << (b[i+9]&7 + 1)
			}
			j++ // LZW minimum code size
			if j > len(b) {
				return nil, corrupt(GIF, "truncated image")
			}
			end, ok := subBlocks(j)
			if !ok {
				return nil, corrupt(GIF, "truncated image data")
			}
			out = append(out, b[i:end]...)
			i = end
		case 0x21: // extension
			if i+2 > len(b) {
				return nil, corrupt(GIF, "truncated extension")
			}
			label := b[i+1]
			end, ok := subBlocks(i + 2)
			if !ok {
				return nil, corrupt(GIF, "truncated extension")
			}
			switch label {
			case 0xF9: // graphic control: delay, disposal, transparency
				out = append(out, b[i:end]...)
			case 0xFF:
				app := b[i+2 : min(end, i+14)]
				switch {
				case len(app) == 12 && app[0] == 11 && (bytes.Equal(app[1:], []byte("NETSCAPE2.0")) || bytes.Equal(app[1:], []byte("ANIMEXTS1.0"))):
					out = append(out, b[i:end]...)
				case len(app) == 12 && bytes.Equal(app[1:], []byte("XMP DataXMP")):
					rm["XMP"]++
				default:
					rm["other metadata"]++
				}
			case 0xFE:
				rm["comment"]++
			case 0x01:
				rm["text"]++
			default:
				rm["other metadata"]++
			}
			i = end
		default:
			return nil, corrupt(GIF, "unknown block")
		}
	}
}
