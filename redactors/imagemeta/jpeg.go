package imagemeta

import "bytes"

// stripJPEG copies the segments that draw the image (ITU T.81 B.1) and
// drops the rest.
func stripJPEG(b []byte, rm Removed) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, corrupt(JPEG, "no start of image")
	}
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	i := 2
	for {
		if i >= len(b) {
			return nil, corrupt(JPEG, "no end of image")
		}
		if b[i] != 0xFF {
			return nil, corrupt(JPEG, "bytes between segments")
		}
		for i < len(b) && b[i] == 0xFF { // fill bytes
			i++
		}
		if i >= len(b) {
			return nil, corrupt(JPEG, "no end of image")
		}
		m := b[i]
		i++
		if m == 0xD9 { // end of image
			out = append(out, 0xFF, 0xD9)
			if i < len(b) {
				rm["trailing data"]++
			}
			return out, nil
		}
		if m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8) {
			return nil, corrupt(JPEG, "marker without a segment outside a scan")
		}
		if i+2 > len(b) {
			return nil, corrupt(JPEG, "truncated segment")
		}
		n := int(b[i])<<8 | int(b[i+1])
		if n < 2 || i+n > len(b) {
			return nil, corrupt(JPEG, "segment length")
		}
		payload := b[i+2 : i+n]
		seg := b[i : i+n] // length and payload
		i += n
		switch {
		case m == 0xE0: // APP0
			if bytes.HasPrefix(payload, []byte("JFIF\x00")) && len(payload) >= 14 {
				// version (2), units (1), densities (2+2); thumbnail 0×0
				out = append(out, 0xFF, 0xE0, 0, 16)
				out = append(out, payload[:12]...)
				out = append(out, 0, 0)
				if len(payload) > 14 {
					rm["thumbnail"]++
				}
				continue
			}
			if bytes.HasPrefix(payload, []byte("JFXX\x00")) {
				rm["thumbnail"]++
			} else {
				rm["other metadata"]++
			}
		case m == 0xEE && len(payload) == 12 && bytes.HasPrefix(payload, []byte("Adobe")):
			// Adobe APP14: version, flags and the colour transform, which
			// decides how the decoder reads the components.
			out = append(out, 0xFF, m)
			out = append(out, seg...)
		case m >= 0xE1 && m <= 0xEF:
			rm[appKind(m, payload)]++
		case m == 0xFE:
			rm["comment"]++
		case m == 0xDA: // start of scan: the header, then entropy-coded data
			out = append(out, 0xFF, m)
			out = append(out, seg...)
			j := i
			for {
				k := bytes.IndexByte(b[j:], 0xFF)
				if k < 0 {
					return nil, corrupt(JPEG, "no end of image")
				}
				j += k
				if j+1 >= len(b) {
					return nil, corrupt(JPEG, "no end of image")
				}
				if c := b[j+1]; c == 0x00 || (c >= 0xD0 && c <= 0xD7) {
					j += 2 // stuffed byte or restart marker: scan data
					continue
				}
				break
			}
			out = append(out, b[i:j]...)
			i = j
		case isFrameOrTable(m):
			out = append(out, 0xFF, m)
			out = append(out, seg...)
		default:
			return nil, unsupported(JPEG, "unknown segment")
		}
	}
}

// isFrameOrTable reports the markers that decoding needs: start of frame
// (all processes), Huffman and quantisation tables, arithmetic-coding
// conditioning, restart interval, number of lines, hierarchical
// progression and expansion.
func isFrameOrTable(m byte) bool {
	switch {
	case m >= 0xC0 && m <= 0xCF: // SOF0–15 (C8 is reserved, JPG), DHT C4, DAC CC
		return m != 0xC8
	case m == 0xDB, m == 0xDC, m == 0xDD, m == 0xDE, m == 0xDF:
		return true
	}
	return false
}

// appKind names an application segment for the report.
func appKind(m byte, p []byte) string {
	switch {
	case m == 0xE1 && bytes.HasPrefix(p, []byte("Exif\x00")):
		return "EXIF"
	case m == 0xE1 && (bytes.HasPrefix(p, []byte("http://ns.adobe.com/xap/1.0/")) || bytes.HasPrefix(p, []byte("http://ns.adobe.com/xmp/extension/"))):
		return "XMP"
	case m == 0xE2 && bytes.HasPrefix(p, []byte("ICC_PROFILE\x00")):
		return "ICC profile"
	case m == 0xED:
		return "IPTC"
	}
	return "other metadata"
}
