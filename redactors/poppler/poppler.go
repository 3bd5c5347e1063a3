// Package poppler runs poppler's commands (pdftoppm, pdftotext, pdfinfo)
// over a PDF held in memory: the PDF goes to their standard input and what
// they make comes back on their standard output, nothing is written to
// disk. It is the renderer of redactors/pdfscan (scanned files) and of
// redactors/pdf (pages whose fonts cannot be read as text, read as
// images): an independent reading of the file, not Veil's own parser.
package poppler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/images"
)

// PageBudget is the time poppler may take over one page or one reading of
// the file.
const PageBudget = 2 * time.Minute

// Tools runs poppler's commands. Their standard error can quote the
// file, so errors say only how a command failed. A Tools is safe for
// concurrent use.
type Tools struct {
	names [3]string // pdftoppm, pdftotext, pdfinfo as given ("" = PATH)
	once  sync.Once
	paths [3]string
	err   string
}

// New returns the tools; "" looks a command up on PATH.
func New(pdftoppm, pdftotext string) *Tools {
	return &Tools{names: [3]string{pdftoppm, pdftotext, ""}}
}

// Missing returns "" when every command is found, else the condition
// under which they would run, to follow "when": "pdftoppm (poppler-utils)
// is installed".
func (t *Tools) Missing() string {
	t.once.Do(func() {
		var lost []string
		for i, def := range []string{"pdftoppm", "pdftotext", "pdfinfo"} {
			name := t.names[i]
			if name == "" {
				name = def
			}
			p, err := exec.LookPath(name)
			if err != nil {
				lost = append(lost, def)
				continue
			}
			t.paths[i] = p
		}
		if len(lost) > 0 {
			t.err = strings.Join(lost, ", ") + " (poppler-utils) " + map[bool]string{true: "is", false: "are"}[len(lost) == 1] + " installed"
		}
	})
	return t.err
}

// run runs command i over pdf and returns its standard output.
func (t *Tools) run(ctx context.Context, i int, pdf []byte, args ...string) ([]byte, error) {
	if msg := t.Missing(); msg != "" {
		return nil, fmt.Errorf("poppler runs only when %s: %w", msg, redactors.ErrNoText)
	}
	ctx, cancel := context.WithTimeout(ctx, PageBudget)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.paths[i], args...)
	cmd.Stdin = bytes.NewReader(pdf)
	var out bytes.Buffer
	cmd.Stdout = &out
	name := [...]string{"pdftoppm", "pdftotext", "pdfinfo"}[i]
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: over its time budget of %s: %w", name, PageBudget, redactors.ErrUninspectable)
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%s: exit code %d: %w", name, ee.ExitCode(), redactors.ErrUninspectable)
		}
		return nil, fmt.Errorf("%s: %v: %w", name, err, redactors.ErrUninspectable)
	}
	return out.Bytes(), nil
}

// Render returns page n (1-based) of pdf as a PNG at dpi (its crop box,
// upright, in colour). pdftoppm writes PPM, which is fast; its own PNG
// encoder compresses hard and takes seconds a page, so the PNG is made
// here, compressed lightly.
func (t *Tools) Render(ctx context.Context, pdf []byte, n, dpi int) ([]byte, error) {
	img, err := t.RenderImage(ctx, pdf, n, dpi)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		return nil, fmt.Errorf("pdftoppm: encode the page: %w", redactors.ErrInternal)
	}
	return b.Bytes(), nil
}

// RenderImage is Render's page as decoded pixels, for a caller that
// would decode the PNG again (the same pixels, without the PNG).
func (t *Tools) RenderImage(ctx context.Context, pdf []byte, n, dpi int) (*image.RGBA, error) {
	p := strconv.Itoa(n)
	out, err := t.run(ctx, 0, pdf, "-r", strconv.Itoa(dpi), "-cropbox", "-f", p, "-l", p, "-singlefile", "-")
	if err != nil {
		return nil, err
	}
	img, err := decodePPM(out)
	if err != nil {
		return nil, fmt.Errorf("pdftoppm: %v: %w", err, redactors.ErrUninspectable)
	}
	return img, nil
}

// decodePPM decodes a binary PPM (P6, 8 bits), as pdftoppm writes it.
func decodePPM(data []byte) (*image.RGBA, error) {
	var fields [4]int
	pos, k := 0, 0
	if !bytes.HasPrefix(data, []byte("P6")) {
		return nil, errors.New("no PPM on its output")
	}
	pos = 2
	for k < 3 {
		for pos < len(data) && (data[pos] == ' ' || data[pos] == '\n' || data[pos] == '\r' || data[pos] == '\t') {
			pos++
		}
		if pos < len(data) && data[pos] == '#' {
			for pos < len(data) && data[pos] != '\n' {
				pos++
			}
			continue
		}
		start := pos
		for pos < len(data) && data[pos] >= '0' && data[pos] <= '9' {
			pos++
		}
		v, err := strconv.Atoi(string(data[start:pos]))
		if err != nil || v <= 0 || v > 1<<16 {
			return nil, errors.New("a bad PPM header")
		}
		fields[k] = v
		k++
	}
	pos++ // the one white space after maxval
	w, h := fields[0], fields[1]
	if fields[2] != 255 || int64(w)*int64(h) > images.MaxPixels || len(data)-pos < 3*w*h {
		return nil, errors.New("a PPM of another depth, too large or cut short")
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	src := data[pos:]
	for i, j := 0, 0; i < 3*w*h; i, j = i+3, j+4 {
		img.Pix[j], img.Pix[j+1], img.Pix[j+2], img.Pix[j+3] = src[i], src[i+1], src[i+2], 255
	}
	return img, nil
}

// Text returns the text layer of pdf as pdftotext reads it.
func (t *Tools) Text(ctx context.Context, pdf []byte) (string, error) {
	out, err := t.run(ctx, 1, pdf, "-q", "-", "-")
	return string(out), err
}

// PageText returns the text of page n (1-based) of pdf as pdftotext
// reads it.
func (t *Tools) PageText(ctx context.Context, pdf []byte, n int) (string, error) {
	p := strconv.Itoa(n)
	out, err := t.run(ctx, 1, pdf, "-q", "-f", p, "-l", p, "-", "-")
	return string(out), err
}

var pagesRE = regexp.MustCompile(`(?m)^Pages:\s+(\d+)\s*$`)

// Pages returns the page count of pdf as pdfinfo reads it.
func (t *Tools) Pages(ctx context.Context, pdf []byte) (int, error) {
	out, err := t.run(ctx, 2, pdf, "-")
	if err != nil {
		return 0, err
	}
	m := pagesRE.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pdfinfo: no page count: %w", redactors.ErrCorrupt)
	}
	n, err := strconv.Atoi(string(m[1]))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("pdfinfo: no page count: %w", redactors.ErrCorrupt)
	}
	return n, nil
}
