package pdf

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/sys/unix"
)

// JPEG 2000 images (JPXDecode, PDF 32000-1 7.4.9) are decoded by
// opj_decompress (Debian's libopenjp2-tools, installed by scripts/setup),
// run as a separate process with a time budget, as jbig2dec is (jbig2.go).
// opj_decompress reads its input twice (its format from the first bytes,
// then the codestream, seeking) and names formats by file extension, so
// the data goes to it in an anonymous memory file (memfd: nothing on disk)
// reached through a link named in.jp2 or in.j2k in a private temporary
// folder, and the image comes back as a PNM (P5 grey, P6 RGB, P7 with an
// alpha channel) through a pipe behind a link named out.pnm. Components are
// upsampled to the image's size and colour transforms (sYCC, CMYK, an
// embedded ICC profile) are applied by the decoder: what comes back is
// grey or RGB, with or without alpha, of 8 or 16 bits. Without
// opj_decompress a JPEG 2000 image cannot be read, nor blanked: the image
// policy decides (unread).

// jpxBudget is the time opj_decompress may take over one image.
const jpxBudget = 30 * time.Second

var jpxPath = sync.OnceValues(func() (string, error) { return exec.LookPath("opj_decompress") })

// jpxImage is a decoded JPEG 2000 image in PDF sample layout: rows of
// comps components of bpc bits (8 or 16, big-endian), each row starting
// on a byte; alpha, when the image has an alpha channel, is one component
// of the same depth.
type jpxImage struct {
	comps, bpc int
	samples    []byte
	alpha      []byte
}

// jpxComponents reads the number of components of a JPEG 2000 image (a
// JP2 file or a raw codestream) from its codestream's SIZ segment, and
// whether the data is a JP2 file; 0 if it cannot be found.
func jpxComponents(b []byte) (int, bool) {
	jp2 := len(b) >= 12 && string(b[4:8]) == "jP  "
	i := bytes.Index(b, []byte{0xFF, 0x4F, 0xFF, 0x51})
	if i < 0 || i+4+38 > len(b) {
		return 0, jp2
	}
	// SIZ: Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz
	return int(binary.BigEndian.Uint16(b[i+4+36:])), jp2
}

// decodeJPX decodes JPEG 2000 data of a w×h image.
func decodeJPX(ctx context.Context, data []byte, w, h int) (*jpxImage, error) {
	bin, err := jpxPath()
	if err != nil {
		return nil, errImage("JPEG 2000 images need opj_decompress (scripts/setup installs libopenjp2-tools), which is not installed")
	}
	n, jp2 := jpxComponents(data)
	switch {
	case n == 0:
		return nil, errImage("JPXDecode data is not a JPEG 2000 codestream")
	case n > 4:
		return nil, errImage(fmt.Sprintf("a JPEG 2000 image of %d components", n))
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, jpxBudget)
	defer cancel()
	dir, err := os.MkdirTemp("", "veil-jpx-*") // mode 0700
	if err != nil {
		return nil, errImage("JPEG 2000: cannot make a temporary folder")
	}
	defer os.RemoveAll(dir)
	fd, err := unix.MemfdCreate("veil-jpx", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, errImage("JPEG 2000: cannot make a memory file")
	}
	in := os.NewFile(uintptr(fd), "jpx")
	defer in.Close()
	if _, err := in.Write(data); err != nil {
		return nil, errImage("JPEG 2000: cannot write the memory file")
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, errImage("JPEG 2000: cannot start opj_decompress")
	}
	defer pr.Close()
	ext := "j2k"
	if jp2 {
		ext = "jp2"
	}
	inName, outName := filepath.Join(dir, "in."+ext), filepath.Join(dir, "out.pnm")
	// In the child, descriptor 3 is the memory file, 4 the pipe's end.
	if os.Symlink("/dev/fd/3", inName) != nil || os.Symlink("/dev/fd/4", outName) != nil {
		pw.Close()
		return nil, errImage("JPEG 2000: cannot link the memory file")
	}
	cmd := exec.CommandContext(ctx, bin, "-quiet", "-upsample", "-i", inName, "-o", outName)
	cmd.ExtraFiles = []*os.File{in, pw}
	var out bytes.Buffer
	var readErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The PNM of a w×h image is at most 8 bytes a pixel (RGBA, 16 bits).
		_, readErr = out.ReadFrom(&limitedFile{pr, int64(w)*int64(h)*8 + 4096})
	}()
	err = cmd.Start()
	pw.Close()
	if err == nil {
		err = cmd.Wait()
	}
	<-done
	if err != nil {
		if ctx.Err() != nil {
			return nil, errImage(fmt.Sprintf("JPEG 2000: opj_decompress over its time budget of %s", jpxBudget))
		}
		return nil, errImage("JPEG 2000 data does not decode")
	}
	if readErr != nil {
		return nil, errImage("JPEG 2000: the decoded image is larger than its size says")
	}
	return pnmSamples(out.Bytes(), w, h)
}

// limitedFile reads f up to n bytes and fails past them.
type limitedFile struct {
	f *os.File
	n int64
}

func (l *limitedFile) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errImage("too much data")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.f.Read(p)
	l.n -= int64(k)
	return k, err
}

// pnmSamples reads opj_decompress's PNM of a w×h image: P5 (grey), P6
// (RGB) or P7 (PAM: grey or RGB with alpha), of maxval 255 or 65535.
func pnmSamples(b []byte, w, h int) (*jpxImage, error) {
	if len(b) < 2 || b[0] != 'P' || (b[1] != '5' && b[1] != '6' && b[1] != '7') {
		return nil, errImage("JPEG 2000: opj_decompress wrote no PNM")
	}
	bad := errImage("JPEG 2000: a bad PNM header")
	var width, height, depth, maxval int
	pos := 2
	if b[1] == '7' {
		end := bytes.Index(b, []byte("\nENDHDR\n"))
		if end < 0 {
			return nil, bad
		}
		for _, line := range bytes.Split(b[3:end], []byte("\n")) {
			f := bytes.Fields(line)
			if len(f) != 2 {
				continue
			}
			v, _ := strconv.Atoi(string(f[1]))
			switch string(f[0]) {
			case "WIDTH":
				width = v
			case "HEIGHT":
				height = v
			case "DEPTH":
				depth = v
			case "MAXVAL":
				maxval = v
			}
		}
		pos = end + len("\nENDHDR\n")
	} else {
		depth = 1
		if b[1] == '6' {
			depth = 3
		}
		var fields [3]int
		for k := 0; k < 3; {
			for pos < len(b) && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t') {
				pos++
			}
			if pos < len(b) && b[pos] == '#' {
				for pos < len(b) && b[pos] != '\n' {
					pos++
				}
				continue
			}
			start := pos
			for pos < len(b) && b[pos] >= '0' && b[pos] <= '9' {
				pos++
			}
			v, err := strconv.Atoi(string(b[start:pos]))
			if err != nil {
				return nil, bad
			}
			fields[k] = v
			k++
		}
		pos++ // one white-space character ends the header
		width, height, maxval = fields[0], fields[1], fields[2]
	}
	if width != w || height != h {
		return nil, errImage("JPEG 2000 size differs from the image's")
	}
	bpc := 8
	switch {
	case maxval == 255:
	case maxval == 65535:
		bpc = 16
	default:
		return nil, errImage("JPEG 2000: a decoded depth Veil does not write")
	}
	if depth < 1 || depth > 4 {
		return nil, bad
	}
	colour := depth
	if depth == 2 || depth == 4 {
		colour--
	}
	bps := bpc / 8
	n := w * h * depth * bps
	if pos > len(b) || len(b)-pos < n {
		return nil, errImage("JPEG 2000: opj_decompress's image is cut short")
	}
	px := b[pos : pos+n]
	out := &jpxImage{comps: colour, bpc: bpc}
	if colour == depth {
		out.samples = append([]byte(nil), px...)
		return out, nil
	}
	out.samples = make([]byte, w*h*colour*bps)
	out.alpha = make([]byte, w*h*bps)
	for i := 0; i < w*h; i++ {
		copy(out.samples[i*colour*bps:(i+1)*colour*bps], px[i*depth*bps:(i*depth+colour)*bps])
		copy(out.alpha[i*bps:(i+1)*bps], px[(i*depth+colour)*bps:(i+1)*depth*bps])
	}
	return out, nil
}

// jpxSamples decodes a JPEG 2000 image stream (its last filter JPXDecode)
// of w×h pixels.
func (d *Document) jpxSamples(sd *types.StreamDict, w, h int) (*jpxImage, error) {
	fs := sd.FilterPipeline
	data, err := d.unfilter(sd, fs[:len(fs)-1])
	if err != nil {
		return nil, err
	}
	return decodeJPX(d.stop, data, w, h)
}

// jpxDict returns the dictionary that describes a decoded JPEG 2000
// image's samples: its own colour space and Decode array when they have
// as many components as the decoded image (PDF 32000-1 8.9.5.1: a
// ColorSpace entry overrides the file's), else the device space of that
// many components; the bit depth of the decoded samples; without the keys
// of JPEG 2000 alone.
func (d *Document) jpxDict(sd *types.StreamDict, j *jpxImage) types.Dict {
	nd := imageDict(sd.Dict)
	delete(nd, "SMaskInData")
	if d.r.components(sd.Dict["ColorSpace"]) != j.comps {
		nd["ColorSpace"] = types.Name(map[int]string{1: "DeviceGray", 3: "DeviceRGB"}[j.comps])
		delete(nd, "Decode")
	}
	nd["BitsPerComponent"] = types.Integer(j.bpc)
	return nd
}

// jpxAlpha reports whether an image's alpha channel is its soft mask: it
// says so (SMaskInData 1 or 2) and has no SMask of its own, which takes
// precedence.
func (d *Document) jpxAlpha(sd *types.StreamDict, j *jpxImage) bool {
	return j.alpha != nil && d.r.num(sd.Dict["SMaskInData"]) != 0 && sd.Dict["SMask"] == nil
}
