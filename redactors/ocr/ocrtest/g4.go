package ocrtest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
)

// G4 encodes a black-and-white page (img thresholded at 128) as CCITT
// Group 4 with libtiff's tiffcp (Debian libtiff-tools: scripts/setup), a
// real fax encoder and not Veil's: an uncompressed bilevel TIFF at xdpi ×
// ydpi goes in; the G4 TIFF tiffcp writes comes back, and its one strip
// (MSB first, the data of a PDF's CCITTFaxDecode image with /K -1).
// exec.ErrNotFound is returned (wrapped) when tiffcp is not installed.
func G4(img *image.Gray, xdpi, ydpi int) (tiff, strip []byte, err error) {
	tiffcp, err := exec.LookPath("tiffcp")
	if err != nil {
		return nil, nil, fmt.Errorf("tiffcp (libtiff-tools, scripts/setup): %w", err)
	}
	dir, err := os.MkdirTemp("", "g4-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.tif"), filepath.Join(dir, "out.tif")
	if err := os.WriteFile(in, TIFF([]TIFFPage{{Img: img, Bilevel: true, XDPI: xdpi, YDPI: ydpi}}), 0o600); err != nil {
		return nil, nil, err
	}
	if msg, err := exec.Command(tiffcp, "-c", "g4", "-r", "1000000", in, out).CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("tiffcp: %v %s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, nil, err
	}
	if len(b) < 8 {
		return nil, nil, errors.New("tiffcp wrote no TIFF")
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if string(b[:2]) == "MM" {
		bo = binary.BigEndian
	}
	ifd := int(bo.Uint32(b[4:]))
	if ifd+2 > len(b) {
		return nil, nil, errors.New("tiffcp wrote no TIFF")
	}
	var off, size, comp int
	for i := 0; i < int(bo.Uint16(b[ifd:])) && ifd+14+12*i <= len(b); i++ {
		e := b[ifd+2+12*i:]
		tag, typ, cnt := bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:])
		v := int(bo.Uint32(e[8:]))
		if typ == 3 {
			v = int(bo.Uint16(e[8:]))
		}
		if cnt != 1 && (tag == 273 || tag == 279) {
			return nil, nil, fmt.Errorf("tiffcp wrote %d strips", cnt)
		}
		switch tag {
		case 259:
			comp = v
		case 273:
			off = v
		case 279:
			size = v
		}
	}
	if comp != 4 || off == 0 || off+size > len(b) {
		return nil, nil, fmt.Errorf("tiffcp: compression %d, strip %d+%d of %d bytes", comp, off, size, len(b))
	}
	return b, b[off : off+size], nil
}
