package imagemeta

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

var pngSig = []byte("\x89PNG\r\n\x1a\n")

// pngKeep are the chunks that draw the image (PNG 3rd edition: critical,
// colour space, transparency, physical size, and APNG animation).
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "cICP": true, "mDCv": true, "cLLi": true,
	"sBIT": true, "bKGD": true, "pHYs": true, "hIST": true,
	"acTL": true, "fcTL": true, "fdAT": true,
}

func stripPNG(b []byte, rm Removed) ([]byte, error) {
	out := make([]byte, 0, len(b))
	out = append(out, pngSig...)
	i := len(pngSig)
	first := true
	for {
		if i+12 > len(b) {
			return nil, corrupt(PNG, "truncated chunk")
		}
		n := binary.BigEndian.Uint32(b[i:])
		if n > 1<<31-1 || uint64(i)+12+uint64(n) > uint64(len(b)) {
			return nil, corrupt(PNG, "chunk length")
		}
		typ := b[i+4 : i+8]
		end := i + 12 + int(n)
		for _, c := range typ {
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
				return nil, corrupt(PNG, "chunk type")
			}
		}
		if crc32.ChecksumIEEE(b[i+4:end-4]) != binary.BigEndian.Uint32(b[end-4:]) {
			return nil, corrupt(PNG, "chunk checksum")
		}
		t := string(typ)
		if first != (t == "IHDR") {
			return nil, corrupt(PNG, "IHDR is not the first chunk")
		}
		first = false
		switch {
		case pngKeep[t]:
			out = append(out, b[i:end]...)
		case typ[0] >= 'A' && typ[0] <= 'Z':
			return nil, unsupported(PNG, "unknown critical chunk")
		default:
			rm[pngKind(t, b[i+8:end-4])]++
		}
		i = end
		if t == "IEND" {
			if i < len(b) {
				rm["trailing data"]++
			}
			return out, nil
		}
	}
}

func pngKind(t string, data []byte) string {
	switch t {
	case "iTXt":
		if bytes.HasPrefix(data, []byte("XML:com.adobe.xmp\x00")) {
			return "XMP"
		}
		return "text"
	case "tEXt", "zTXt":
		return "text"
	case "eXIf":
		return "EXIF"
	case "iCCP":
		return "ICC profile"
	case "tIME":
		return "time"
	}
	return "other metadata"
}
