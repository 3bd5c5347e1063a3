package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// JBIG2 images (PDF 32000-1 7.4.7) are decoded by jbig2dec (Debian's
// jbig2dec, installed by scripts/setup), run as a separate process with a
// time budget: the embedded page stream and its global segments go to it
// through pipes (/dev/fd/3 and /dev/fd/4, nothing on disk) and the page
// comes back as a PBM on its standard output. Without jbig2dec a JBIG2
// image cannot be read, nor blanked: the image policy decides (unread).

// jbig2Budget is the time jbig2dec may take over one image.
const jbig2Budget = 30 * time.Second

var jbig2Path = sync.OnceValues(func() (string, error) { return exec.LookPath("jbig2dec") })

// decodeJBIG2 decodes an embedded JBIG2 stream (its earlier filters
// undone) of a w×h image, with its global segments (nil for none), into
// PDF samples: 1 bit per pixel, rows padded to a byte, 0 black.
func decodeJBIG2(ctx context.Context, page, globals []byte, w, h int) ([]byte, error) {
	bin, err := jbig2Path()
	if err != nil {
		return nil, errImage("JBIG2 images need jbig2dec (scripts/setup), which is not installed")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, jbig2Budget)
	defer cancel()
	args := []string{"-q", "-e", "-t", "pbm", "-M", strconv.Itoa(maxImagePixels), "-o", "-"}
	inputs := [][]byte{page}
	if globals != nil {
		inputs = [][]byte{globals, page}
	}
	cmd := exec.CommandContext(ctx, bin)
	var writers []*os.File
	for i := range inputs {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, errImage("JBIG2: cannot start jbig2dec")
		}
		defer r.Close()
		cmd.ExtraFiles = append(cmd.ExtraFiles, r)
		args = append(args, "/dev/fd/"+strconv.Itoa(3+i))
		writers = append(writers, w)
	}
	cmd.Args = append([]string{bin}, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		for _, w := range writers {
			w.Close()
		}
		return nil, errImage("JBIG2: cannot start jbig2dec")
	}
	var wg sync.WaitGroup
	for i, w := range writers {
		wg.Add(1)
		go func(w *os.File, b []byte) {
			defer wg.Done()
			w.Write(b) // a decoder that stops reading early fails below
			w.Close()
		}(w, inputs[i])
	}
	err = cmd.Wait()
	wg.Wait()
	if err != nil {
		if ctx.Err() != nil {
			return nil, errImage(fmt.Sprintf("JBIG2: jbig2dec over its time budget of %s", jbig2Budget))
		}
		return nil, errImage("JBIG2 data does not decode")
	}
	return pbmSamples(out.Bytes(), w, h)
}

// pbmSamples reads a binary PBM (P4: 1 black) of w×h pixels into PDF
// samples (0 black).
func pbmSamples(b []byte, w, h int) ([]byte, error) {
	var fields [2]int
	pos := 2
	if !bytes.HasPrefix(b, []byte("P4")) {
		return nil, errImage("JBIG2: jbig2dec wrote no PBM")
	}
	for k := 0; k < 2; {
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
			return nil, errImage("JBIG2: a bad PBM header")
		}
		fields[k] = v
		k++
	}
	pos++
	if fields[0] != w || fields[1] != h {
		return nil, errImage("JBIG2 page size differs from the image's")
	}
	n := (w + 7) / 8 * h
	if len(b)-pos < n {
		return nil, errImage("JBIG2: jbig2dec's page is cut short")
	}
	out := make([]byte, n)
	for i := range out {
		out[i] = ^b[pos+i]
	}
	return out, nil
}

// jbig2Globals returns the global segments of a JBIG2 stream (the
// JBIG2Globals stream of its DecodeParms), nil when it has none.
func (d *Document) jbig2Globals(f types.PDFFilter) ([]byte, error) {
	if f.DecodeParms == nil {
		return nil, nil
	}
	g, ok := f.DecodeParms["JBIG2Globals"]
	if !ok {
		return nil, nil
	}
	sd, nr := d.r.stream(g)
	if sd == nil {
		return nil, errImage("JBIG2 globals missing")
	}
	b, err := d.r.decodeOnce(sd, nr)
	if err != nil {
		return nil, errImage("JBIG2 globals do not decode")
	}
	return b, nil
}

// jbig2Samples decodes a JBIG2 image stream (its last filter JBIG2Decode)
// of w×h pixels into PDF samples.
func (d *Document) jbig2Samples(sd *types.StreamDict, w, h int) ([]byte, error) {
	fs := sd.FilterPipeline
	page, err := d.unfilter(sd, fs[:len(fs)-1])
	if err != nil {
		return nil, err
	}
	globals, err := d.jbig2Globals(fs[len(fs)-1])
	if err != nil {
		return nil, err
	}
	return decodeJBIG2(d.stop, page, globals, w, h)
}
