package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
)

// RenderDPI is the resolution of page images: enough to read a page on a
// screen, small enough to send (a letter page is 816 × 1056 pixels).
const RenderDPI = 96

// PDFRenderer returns a Config.Render that renders with poppler's pdftoppm
// at bin. The PDF goes to pdftoppm's standard input and the PNG comes back
// on its standard output (no output root given, pdftoppm writes there):
// nothing is written to disk.
func PDFRenderer(bin string) func(ctx context.Context, pdf []byte, page int) ([]byte, error) {
	return func(ctx context.Context, pdf []byte, page int) ([]byte, error) {
		n := strconv.Itoa(page)
		cmd := exec.CommandContext(ctx, bin, "-png", "-r", strconv.Itoa(RenderDPI), "-cropbox", "-f", n, "-l", n, "-singlefile", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			// stderr can quote the file; say only that it failed.
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return nil, fmt.Errorf("pdftoppm: exit code %d", ee.ExitCode())
			}
			return nil, fmt.Errorf("pdftoppm: %w", err)
		}
		if !bytes.HasPrefix(out.Bytes(), []byte("\x89PNG")) {
			return nil, errors.New("pdftoppm: no PNG on its output")
		}
		return out.Bytes(), nil
	}
}
